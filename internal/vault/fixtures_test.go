package vault

// Test fixtures, all built here from nothing: no binary file is shipped.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"testing"
)

// What the fixture JPEG's metadata says.
const (
	fixtureArtist = "مركز توثيق الانتهاكات — حلب"
	fixtureMake   = "Tawthiq"
	fixtureModel  = "TestCam 1"
	fixtureTime   = "2024-03-15T14:30:00" // DateTimeOriginal, no offset given
	fixtureLat    = 36.2021               // 36° 12' 7.56" N
	fixtureLon    = 37.1343               // 37° 8' 3.48" E
	secretComment = "WITNESS-NAME-SECRET"
)

type ifdEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

func ascii(tag uint16, s string) ifdEntry {
	return ifdEntry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)}
}

func short(tag uint16, v uint16) ifdEntry {
	return ifdEntry{tag, 3, 1, binary.LittleEndian.AppendUint16(nil, v)}
}

func rationals(tag uint16, v ...uint32) ifdEntry {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return ifdEntry{tag, 5, uint32(len(v) / 2), b}
}

// buildTIFF lays out IFD0, the Exif IFD and the GPS IFD (little-endian),
// adding the two pointer entries to IFD0. Entries must be sorted by tag.
func buildTIFF(ifd0, exifIFD, gpsIFD []ifdEntry) []byte {
	size := func(es []ifdEntry) uint32 {
		n := uint32(2 + 12*len(es) + 4)
		for _, e := range es {
			if len(e.data) > 4 {
				n += uint32(len(e.data)+1) &^ 1
			}
		}
		return n
	}
	ptr := func(tag uint16) ifdEntry { return ifdEntry{tag, 4, 1, make([]byte, 4)} }
	ifd0 = append(ifd0, ptr(0x8769), ptr(0x8825))
	off0 := uint32(8)
	offExif := off0 + size(ifd0)
	offGPS := offExif + size(exifIFD)
	binary.LittleEndian.PutUint32(ifd0[len(ifd0)-2].data, offExif)
	binary.LittleEndian.PutUint32(ifd0[len(ifd0)-1].data, offGPS)

	out := []byte("II*\x00\x08\x00\x00\x00")
	for _, ifd := range []struct {
		off uint32
		es  []ifdEntry
	}{{off0, ifd0}, {offExif, exifIFD}, {offGPS, gpsIFD}} {
		data := ifd.off + uint32(2+12*len(ifd.es)+4)
		var tail []byte
		out = binary.LittleEndian.AppendUint16(out, uint16(len(ifd.es)))
		for _, e := range ifd.es {
			out = binary.LittleEndian.AppendUint16(out, e.tag)
			out = binary.LittleEndian.AppendUint16(out, e.typ)
			out = binary.LittleEndian.AppendUint32(out, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				out = append(out, v...)
				continue
			}
			out = binary.LittleEndian.AppendUint32(out, data+uint32(len(tail)))
			tail = append(tail, e.data...)
			if len(tail)%2 == 1 {
				tail = append(tail, 0)
			}
		}
		out = binary.LittleEndian.AppendUint32(out, 0) // no next IFD
		out = append(out, tail...)
	}
	return out
}

// fixtureEXIF is an EXIF block with GPS, DateTimeOriginal and an Arabic
// Artist (UTF-8 in an ASCII field, as exiftool and phones write it).
func fixtureEXIF() []byte {
	return buildTIFF(
		[]ifdEntry{
			ascii(0x010F, fixtureMake), ascii(0x0110, fixtureModel), short(0x0112, 6),
			ascii(0x0131, "FieldApp 2.1"), ascii(0x013B, fixtureArtist),
		},
		[]ifdEntry{ascii(0x9003, "2024:03:15 14:30:00"), ascii(0xA431, "SERIAL-12345")},
		[]ifdEntry{
			{0x0000, 1, 4, []byte{2, 3, 0, 0}},
			ascii(0x0001, "N"), rationals(0x0002, 36, 1, 12, 1, 756, 100),
			ascii(0x0003, "E"), rationals(0x0004, 37, 1, 8, 1, 348, 100),
		},
	)
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	return img
}

// plainJPEG is what image/jpeg writes: no metadata at all.
func plainJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// metaJPEG is plainJPEG carrying every kind of metadata a witness's phone
// or editor may leave: JFIF with a thumbnail, EXIF with GPS, XMP, ICC,
// IPTC, a comment, an APP1 after the scan and data after EOI.
func metaJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	plain := plainJPEG(t, w, h)
	jfif := append([]byte("JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x01\x01"), 0xAA, 0xBB, 0xCC) // 1x1 thumbnail
	xmp := []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:CreatorTool=\"" + secretComment + "\"/></rdf:RDF></x:xmpmeta>")
	var b []byte
	b = append(b, plain[:2]...)
	b = append(b, segment(0xE0, jfif)...)
	b = append(b, segment(0xE1, append([]byte("Exif\x00\x00"), fixtureEXIF()...))...)
	b = append(b, segment(0xE1, xmp)...)
	b = append(b, segment(0xE2, []byte("ICC_PROFILE\x00\x01\x01fake profile"))...)
	b = append(b, segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04"+secretComment))...)
	b = append(b, segment(0xFE, []byte(secretComment))...)
	b = append(b, plain[2:len(plain)-2]...)                                    // up to EOI
	b = append(b, segment(0xE1, []byte("Exif\x00\x00late "+secretComment))...) // after the scan
	b = append(b, 0xFF, 0xD9)
	b = append(b, []byte("TRAILER "+secretComment)...)
	return b
}

func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

func plainPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// metaPNG is plainPNG with text, time, EXIF, ICC and private chunks after
// IHDR, a pHYs chunk that must stay, and data after IEND.
func metaPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	plain := plainPNG(t, w, h)
	ihdrEnd := 8 + 4 + 4 + 13 + 4
	var b []byte
	b = append(b, plain[:ihdrEnd]...)
	b = append(b, pngChunk("tEXt", []byte("Author\x00"+secretComment))...)
	b = append(b, pngChunk("iTXt", []byte("Description\x00\x00\x00ar\x00\x00"+fixtureArtist))...)
	b = append(b, pngChunk("zTXt", []byte("Comment\x00\x00x\x9c\x03\x00\x00\x00\x00\x01"))...)
	b = append(b, pngChunk("tIME", []byte{0x07, 0xE8, 3, 15, 14, 30, 0})...)
	b = append(b, pngChunk("eXIf", fixtureEXIF())...)
	b = append(b, pngChunk("iCCP", []byte("My Phone\x00\x00x\x9c\x03\x00\x00\x00\x00\x01"))...)
	b = append(b, pngChunk("caBX", []byte(secretComment))...)
	b = append(b, pngChunk("pHYs", []byte{0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1})...)
	b = append(b, plain[ihdrEnd:]...)
	return append(b, []byte("TRAILER "+secretComment)...)
}

// wav is one second of 16-bit mono silence at 8 kHz.
func wav() []byte {
	const rate, samples = 8000, 8000
	le := binary.LittleEndian
	b := []byte("RIFF")
	b = le.AppendUint32(b, 36+samples*2)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // PCM
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, rate)
	b = le.AppendUint32(b, rate*2)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 16)
	b = append(b, "data"...)
	b = le.AppendUint32(b, samples*2)
	return append(b, make([]byte, samples*2)...)
}

const pdfText = "Tawthiq test report"

// minimalPDF is a one-page PDF with pdfText in a standard font and an Info
// dictionary.
func minimalPDF() []byte {
	content := "BT /F1 18 Tf 20 50 Td (" + pdfText + ") Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Title (Report) /Creator (tawthiq-test) /CreationDate (D:20240315143000+03'00') >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// needTool skips a test when an external tool is missing, except in CI,
// where the tools are installed and a missing one is a failure.
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not installed; CI must install it (Debian ffmpeg, poppler-utils)", name)
			}
			t.Skipf("%s not installed (apt-get install ffmpeg poppler-utils)", name)
		}
	}
}
