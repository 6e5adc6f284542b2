package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

type jpegSegment struct {
	marker  byte
	payload []byte
}

// jpegSegments walks a JPEG strictly and returns its segments in order. It
// is the test's own reading of the format, kept apart from StripJPEG's.
func jpegSegments(b []byte) ([]jpegSegment, error) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errors.New("no SOI")
	}
	var segs []jpegSegment
	i := 2
	for i < len(b) {
		if b[i] != 0xFF || i+1 >= len(b) {
			return segs, fmt.Errorf("stray byte 0x%02x at %d", b[i], i)
		}
		m := b[i+1]
		i += 2
		switch {
		case m == 0xD9:
			segs = append(segs, jpegSegment{m, nil})
			if i != len(b) {
				return segs, fmt.Errorf("%d bytes after EOI", len(b)-i)
			}
			return segs, nil
		case m >= 0xD0 && m <= 0xD7 || m == 0x01:
			segs = append(segs, jpegSegment{m, nil})
			continue
		}
		if i+2 > len(b) {
			return segs, errors.New("truncated length")
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		segs = append(segs, jpegSegment{m, b[min(i+2, len(b)):min(i+n, len(b))]})
		i += n
		if m != 0xDA {
			continue
		}
		for i+1 < len(b) && (b[i] != 0xFF || b[i+1] == 0x00 || b[i+1] >= 0xD0 && b[i+1] <= 0xD7) {
			i++
		}
	}
	return segs, errors.New("no EOI")
}

func jpegMarkers(b []byte) ([]byte, error) {
	segs, err := jpegSegments(b)
	var ms []byte
	for _, s := range segs {
		ms = append(ms, s.marker)
	}
	return ms, err
}

// checkNoMetadataSegments fails if the output of StripJPEG, complete or
// not, holds a segment the filter must drop.
func checkNoMetadataSegments(t *testing.T, out []byte) {
	t.Helper()
	segs, _ := jpegSegments(out)
	for _, s := range segs {
		adobe := s.marker == 0xEE && len(s.payload) == 12 && string(s.payload[:5]) == "Adobe"
		if s.marker >= 0xE1 && s.marker <= 0xEF && !adobe || s.marker == 0xFE {
			t.Fatalf("output has segment 0x%02x", s.marker)
		}
	}
}

func decodeJPEG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("jpeg.Decode: %v", err)
	}
	return img
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

func TestStripJPEG(t *testing.T) {
	withAdobe := func(b []byte) []byte {
		adobe := segment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))
		return slices.Concat(b[:2], adobe, segment(0xEE, []byte("Adobe but longer, with a secret")), b[2:])
	}
	restart := func(b []byte) []byte { // DRI before the scan, plus fill bytes before a marker
		return slices.Concat(b[:2], []byte{0xFF, 0xFF, 0xFF}, segment(0xDD, []byte{0, 0}), b[2:])
	}
	for _, tc := range []struct {
		name      string
		in        []byte
		wantAPP0  bool
		wantAdobe bool
	}{
		{"plain", plainJPEG(t, 33, 17), false, false},
		{"all metadata", metaJPEG(t, 64, 48), true, false},
		{"adobe app14", withAdobe(metaJPEG(t, 16, 16)), true, true},
		{"fill bytes and DRI", restart(plainJPEG(t, 20, 20)), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := StripJPEG(bytes.NewReader(tc.in), &out); err != nil {
				t.Fatalf("StripJPEG: %v", err)
			}
			got := out.Bytes()
			checkNoMetadataSegments(t, got)
			markers, err := jpegMarkers(got)
			if err != nil {
				t.Fatalf("output is not a well-formed JPEG: %v (markers % x)", err, markers)
			}
			if slices.Contains(markers, 0xE0) != tc.wantAPP0 || slices.Contains(markers, 0xEE) != tc.wantAdobe {
				t.Errorf("markers % x: want APP0 %v, Adobe APP14 %v", markers, tc.wantAPP0, tc.wantAdobe)
			}
			if i := bytes.Index(got, []byte("JFIF\x00")); i >= 0 && binary.BigEndian.Uint16(got[i-2:]) != 16 {
				t.Errorf("JFIF header kept its thumbnail")
			}
			for _, leak := range []string{secretComment, "Exif", fixtureArtist, "ns.adobe.com", "ICC_PROFILE", "Photoshop", "SERIAL"} {
				if bytes.Contains(got, []byte(leak)) {
					t.Errorf("output still contains %q", leak)
				}
			}
			if !samePixels(decodeJPEG(t, tc.in), decodeJPEG(t, got)) {
				t.Error("decoded pixels differ")
			}
			m, _ := Extract(t.Context(), writeFile(t, "s.jpg", got), "image/jpeg")
			if m.GPS != nil || m.CaptureTime != "" || m.Make != "" || len(m.Raw) != 0 {
				t.Errorf("metadata left: %+v", m)
			}
		})
	}
}

func TestStripJPEGRejects(t *testing.T) {
	full := metaJPEG(t, 16, 16)
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"png", plainPNG(t, 4, 4)},
		{"truncated in a segment", full[:30]},
		{"truncated in the scan", plainJPEG(t, 16, 16)[:400]},
		{"no EOI", full[:bytes.LastIndex(full, []byte{0xFF, 0xD9})]},
		{"bad length", []byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x01}},
		{"second SOI", []byte{0xFF, 0xD8, 0xFF, 0xD8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := StripJPEG(bytes.NewReader(tc.in), &out); err == nil {
				t.Fatal("StripJPEG accepted it")
			}
			checkNoMetadataSegments(t, out.Bytes())
		})
	}
}

func pngChunkTypes(t *testing.T, b []byte) []string {
	t.Helper()
	var types []string
	for i := 8; i+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		types = append(types, string(b[i+4:i+8]))
		i += 12 + n
	}
	return types
}

func TestStripPNG(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want []string
	}{
		{"plain", plainPNG(t, 9, 7), []string{"IHDR", "IDAT", "IEND"}},
		{"all metadata", metaPNG(t, 30, 20), []string{"IHDR", "pHYs", "IDAT", "IEND"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := StripPNG(bytes.NewReader(tc.in), &out); err != nil {
				t.Fatalf("StripPNG: %v", err)
			}
			got := out.Bytes()
			if types := pngChunkTypes(t, got); !slices.Equal(types, tc.want) {
				t.Errorf("chunks %v, want %v", types, tc.want)
			}
			for _, leak := range []string{secretComment, fixtureArtist, "Exif", "My Phone", "II*"} {
				if bytes.Contains(got, []byte(leak)) {
					t.Errorf("output still contains %q", leak)
				}
			}
			a, err := png.Decode(bytes.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			b, err := png.Decode(bytes.NewReader(got)) // checks every CRC
			if err != nil {
				t.Fatalf("png.Decode of the output: %v", err)
			}
			if !samePixels(a, b) {
				t.Error("decoded pixels differ")
			}
		})
	}
}

func TestStripPNGRejects(t *testing.T) {
	good := metaPNG(t, 8, 8)
	badCRC := slices.Clone(good)
	badCRC[8+4+4+13] ^= 0xFF // IHDR's CRC
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"jpeg", plainJPEG(t, 4, 4)},
		{"truncated", good[:60]},
		{"bad crc", badCRC},
		{"no IEND", plainPNG(t, 4, 4)[:len(plainPNG(t, 4, 4))-12]},
		{"bad chunk type", slices.Concat([]byte(pngSignature), []byte{0, 0, 0, 0, '1', '2', '3', '4'})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := StripPNG(bytes.NewReader(tc.in), io.Discard); err == nil {
				t.Fatal("StripPNG accepted it")
			}
		})
	}
}

func TestPublishedCopy(t *testing.T) {
	e := newEnv(t, 10<<20)
	ctx := t.Context()
	for _, tc := range []struct {
		name, mime string
		data       []byte
		tr         string
	}{
		{"jpeg", "image/jpeg", metaJPEG(t, 40, 30), TransformStripJPEG},
		{"png", "image/png", metaPNG(t, 40, 30), TransformStripPNG},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig, err := e.v.Put(ctx, bytes.NewReader(tc.data), PutOptions{Name: "witness." + tc.name})
			if err != nil {
				t.Fatal(err)
			}
			d, err := e.v.PublishedCopy(ctx, orig.SHA256)
			if err != nil {
				t.Fatalf("PublishedCopy: %v", err)
			}
			if d.Parent != orig.SHA256 || d.Transformation != tc.tr || d.SHA256 == orig.SHA256 || d.Size >= orig.Size {
				t.Fatalf("Derivative = %+v (original %s, %d bytes)", d, orig.SHA256, orig.Size)
			}
			// The original is intact, byte for byte.
			if err := e.v.Verify(ctx, orig.SHA256); err != nil {
				t.Fatalf("Verify original: %v", err)
			}
			rc, _, err := e.v.Open(ctx, orig.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(b, tc.data) {
				t.Fatal("original changed")
			}
			// The copy is stored, verifiable, of the same type and clean.
			if err := e.v.Verify(ctx, d.SHA256); err != nil {
				t.Fatalf("Verify copy: %v", err)
			}
			rc, it, err := e.v.Open(ctx, d.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			copyBytes, _ := io.ReadAll(rc)
			rc.Close()
			if it.MIME != tc.mime || it.Size != d.Size || bytes.Contains(copyBytes, []byte(secretComment)) {
				t.Errorf("copy: %+v, still has the secret: %v", it, bytes.Contains(copyBytes, []byte(secretComment)))
			}
			// Deterministic: the same copy again is the same object.
			again, err := e.v.PublishedCopy(ctx, orig.SHA256)
			if err != nil || again != d {
				t.Errorf("second PublishedCopy = %+v, %v; want %+v", again, err, d)
			}
		})
	}
}

func TestPublishedCopyRefuses(t *testing.T) {
	e := newEnv(t, 0)
	ctx := t.Context()
	pdf, err := e.v.Put(ctx, bytes.NewReader(minimalPDF()), PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.v.PublishedCopy(ctx, pdf.SHA256); !errors.Is(err, ErrUnsupported) {
		t.Errorf("PublishedCopy(pdf) = %v, want ErrUnsupported", err)
	}
	if _, err := e.v.PublishedCopy(ctx, shaOf([]byte("missing"))); !errors.Is(err, ErrNotFound) {
		t.Errorf("PublishedCopy(missing) = %v, want ErrNotFound", err)
	}

	// A corrupt original gives no copy.
	img, err := e.v.Put(ctx, bytes.NewReader(metaJPEG(t, 32, 32)), PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	blob := e.blobPath(img.SHA256)
	b, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-3] ^= 0x01 // in the trailer: the image still parses
	if err := os.WriteFile(blob, b, 0o600); err != nil {
		t.Fatal(err)
	}
	before := countBlobs(t, e)
	if _, err := e.v.PublishedCopy(ctx, img.SHA256); !errors.Is(err, ErrCorrupt) {
		t.Errorf("PublishedCopy(corrupt) = %v, want ErrCorrupt", err)
	}
	if after := countBlobs(t, e); after != before {
		t.Errorf("a copy of a corrupt original was stored (%d blobs, was %d)", after, before)
	}
}

func countBlobs(t *testing.T, e env) int {
	n := 0
	if err := e.v.Walk(t.Context(), func(string, int64) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func FuzzStripJPEG(f *testing.F) {
	f.Add(plainJPEG(f, 8, 8))
	f.Add(metaJPEG(f, 16, 8))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xD9})
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0x00, 0xFF, 0xE1, 0x00, 0x03, 0x41, 0xFF, 0xD9})
	f.Add([]byte{0xFF, 0xD8, 0x00, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 9, 9, 0xFF, 0xD9})
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		err := StripJPEG(bytes.NewReader(in), &out)
		checkNoMetadataSegments(t, out.Bytes())
		if err != nil {
			return
		}
		if _, err := jpegMarkers(out.Bytes()); err != nil {
			t.Fatalf("accepted input gave a malformed output: %v", err)
		}
		// Stripping is idempotent.
		var again bytes.Buffer
		if err := StripJPEG(bytes.NewReader(out.Bytes()), &again); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
			t.Fatalf("stripping the output again changed it (%v)", err)
		}
	})
}

func FuzzStripPNG(f *testing.F) {
	f.Add(plainPNG(f, 4, 4))
	f.Add(metaPNG(f, 4, 4))
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		if err := StripPNG(bytes.NewReader(in), &out); err != nil {
			return
		}
		for _, typ := range pngChunkTypes(t, out.Bytes()) {
			if !keepPNGChunk(typ) || strings.Contains("eXIf tEXt zTXt iTXt tIME iCCP", typ) {
				t.Fatalf("output has chunk %q", typ)
			}
		}
	})
}
