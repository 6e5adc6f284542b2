package vault

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Transformations a Derivative records. The output of one version for one
// input never changes; a change to what is stripped gets a new version.
const (
	// TransformStripJPEG: StripJPEG (APP1–APP15, COM, non-image segments and
	// data after EOI dropped; JFIF header rewritten without thumbnail).
	TransformStripJPEG = "strip-metadata/jpeg/v1"
	// TransformStripPNG: StripPNG (every ancillary chunk but the rendering
	// ones dropped; data after IEND dropped).
	TransformStripPNG = "strip-metadata/png/v1"
)

// Derivative is a working copy made from an original (Parent), stored in the
// vault like any other file. The caller records the copy_made custody event.
type Derivative struct {
	Parent         string // sha256 of the original
	SHA256         string // sha256 of the copy
	Transformation string // TransformStripJPEG, TransformStripPNG
	Size           int64
}

// PublishedCopy makes the copy of an original that may leave the vault: the
// same pixels without the metadata that can identify or locate a witness
// (EXIF GPS, device serials, XMP, IPTC, comments, thumbnails). JPEG and PNG
// only; anything else is ErrUnsupported. The original is only read, and its
// hash is checked while it is read: a corrupt original gives ErrCorrupt and
// no copy. Making the same copy twice stores it once.
//
// Stripping does not rotate pixels: a viewer should apply the original's
// EXIF orientation (Metadata.Raw["exif:Orientation"]).
func (v *Vault) PublishedCopy(ctx context.Context, sha string) (Derivative, error) {
	rc, it, err := v.Open(ctx, sha)
	if err != nil {
		return Derivative{}, err
	}
	defer rc.Close()
	var strip func(io.Reader, io.Writer) error
	var tr string
	switch it.MIME {
	case "image/jpeg":
		strip, tr = StripJPEG, TransformStripJPEG
	case "image/png":
		strip, tr = StripPNG, TransformStripPNG
	default:
		return Derivative{}, fmt.Errorf("vault: published copy of sha256:%s (%s): %w", sha, it.MIME, ErrUnsupported)
	}

	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(stripChecked(rc, pw, sha, strip))
	}()
	// No size limit: the original was accepted, and its copy is smaller.
	out, err := v.put(ctx, pr, PutOptions{}, 0)
	pr.Close() // unblocks the writer if put stopped early
	<-done
	if err != nil {
		return Derivative{}, fmt.Errorf("vault: published copy of sha256:%s: %w", sha, err)
	}
	return Derivative{Parent: sha, SHA256: out.SHA256, Transformation: tr, Size: out.Size}, nil
}

// stripChecked strips src into w and checks that src hashed to sha.
func stripChecked(src io.Reader, w io.Writer, sha string, strip func(io.Reader, io.Writer) error) error {
	h := sha256.New()
	tee := io.TeeReader(src, h)
	serr := strip(tee, w)
	// Read to the end whatever happened: a stripping error on a damaged
	// original must be reported as the damage, not as a malformed image.
	if _, err := io.Copy(io.Discard, tee); err != nil { // the bytes after the image end
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("original sha256:%s reads as %s: %w", sha, got, ErrCorrupt)
	}
	return serr
}

// StripJPEG copies the JPEG image in r to w without its metadata. It keeps
// only what decoding needs: frame and scan headers, Huffman, arithmetic and
// quantisation tables, restart interval, the entropy-coded data unchanged,
// a JFIF APP0 header rebuilt without its thumbnail, and an Adobe APP14
// colour-transform segment of the standard 12 bytes. It drops APP1–APP15
// (EXIF with GPS and serials, XMP, ICC, IPTC, MPF), COM, every other
// segment, and anything after EOI (appended videos, second images).
//
// It streams: memory is a few buffers whatever the image size. On error,
// part of the output may have been written; discard it.
func StripJPEG(r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(w, 64<<10)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return errors.New("vault: strip jpeg: not a JPEG")
	}
	bw.Write(soi[:])
	marker, err := nextMarker(br)
	for err == nil {
		switch {
		case marker == 0xD9: // EOI
			bw.Write([]byte{0xFF, 0xD9})
			return bw.Flush()
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01: // RSTn, TEM: no length
			bw.Write([]byte{0xFF, marker})
			marker, err = nextMarker(br)
		case marker == 0xD8 || marker == 0x00:
			return fmt.Errorf("vault: strip jpeg: unexpected marker 0x%02x", marker)
		default:
			marker, err = stripSegment(br, bw, marker)
		}
	}
	return err
}

// stripSegment handles one segment with a length and returns the next marker.
func stripSegment(br *bufio.Reader, bw *bufio.Writer, marker byte) (byte, error) {
	var lb [2]byte
	if _, err := io.ReadFull(br, lb[:]); err != nil {
		return 0, truncated(err)
	}
	n := int64(binary.BigEndian.Uint16(lb[:])) - 2
	if n < 0 {
		return 0, fmt.Errorf("vault: strip jpeg: segment 0x%02x has length %d", marker, n+2)
	}
	switch {
	case marker == 0xE0 || marker == 0xEE: // APP0, APP14: rebuilt or dropped
		p := make([]byte, n)
		if _, err := io.ReadFull(br, p); err != nil {
			return 0, truncated(err)
		}
		if marker == 0xE0 && len(p) >= 14 && string(p[:5]) == "JFIF\x00" {
			// Version, units, densities; no thumbnail.
			bw.Write([]byte{0xFF, 0xE0, 0x00, 0x10})
			bw.Write(p[:12])
			bw.Write([]byte{0x00, 0x00})
		}
		if marker == 0xEE && len(p) == 12 && string(p[:5]) == "Adobe" {
			bw.Write([]byte{0xFF, 0xEE, 0x00, 0x0E})
			bw.Write(p)
		}
	case keepJPEGSegment(marker):
		bw.Write([]byte{0xFF, marker})
		bw.Write(lb[:])
		if _, err := io.CopyN(bw, br, n); err != nil {
			return 0, truncated(err)
		}
		if marker == 0xDA { // SOS: the entropy-coded data follows
			return copyEntropy(br, bw)
		}
	default: // APPn, COM, JPGn, reserved: not needed to decode
		if _, err := br.Discard(int(n)); err != nil {
			return 0, truncated(err)
		}
	}
	return nextMarker(br)
}

// keepJPEGSegment lists the segments decoding needs: SOFn, DHT, DAC, SOS,
// DQT, DNL, DRI, DHP, EXP.
func keepJPEGSegment(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC8 || m >= 0xDA && m <= 0xDF
}

// nextMarker reads a marker's code, skipping fill bytes (0xFF) and any
// stray bytes before it, which are dropped.
func nextMarker(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, truncated(err)
		}
		if b != 0xFF {
			continue
		}
		for b == 0xFF {
			if b, err = br.ReadByte(); err != nil {
				return 0, truncated(err)
			}
		}
		return b, nil
	}
}

// copyEntropy copies entropy-coded data, in which 0xFF is followed only by
// 0x00 (a stuffed byte) or a restart marker, and returns the first other
// marker, so that no segment after a scan escapes the filter.
func copyEntropy(br *bufio.Reader, bw *bufio.Writer) (byte, error) {
	for {
		chunk, err := br.ReadSlice(0xFF)
		if err == bufio.ErrBufferFull {
			if _, err := bw.Write(chunk); err != nil {
				return 0, err // the reader of the copy has gone
			}
			continue
		}
		if err != nil {
			return 0, truncated(err)
		}
		bw.Write(chunk[:len(chunk)-1])
		m, err := br.ReadByte()
		for err == nil && m == 0xFF {
			m, err = br.ReadByte()
		}
		if err != nil {
			return 0, truncated(err)
		}
		if m == 0x00 || m >= 0xD0 && m <= 0xD7 {
			bw.Write([]byte{0xFF, m})
			continue
		}
		return m, nil
	}
}

func truncated(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("vault: strip: truncated image: %w", err)
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// keepPNGChunk lists the ancillary chunks that change how the image looks
// (transparency, colour, pixel size, animation). Every other ancillary
// chunk is dropped: eXIf, tEXt, zTXt, iTXt, tIME, iCCP (its profile has a
// free-text name), and private chunks such as C2PA's caBX, which can carry
// identities.
func keepPNGChunk(typ string) bool {
	switch typ {
	case "tRNS", "gAMA", "cHRM", "sRGB", "cICP", "mDCV", "cLLI", "sBIT", "pHYs", "bKGD", "hIST",
		"acTL", "fcTL", "fdAT":
		return true
	}
	return typ[0]&0x20 == 0 // critical: IHDR, PLTE, IDAT, IEND, and any the decoder must see
}

// StripPNG copies the PNG image in r to w without its metadata chunks (see
// keepPNGChunk). Kept chunks are copied unchanged after their CRC is
// checked, so the output's CRCs are valid; nothing after IEND is copied.
// It streams. On error, part of the output may have been written; discard
// it.
func StripPNG(r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(w, 64<<10)
	sig := make([]byte, len(pngSignature))
	if _, err := io.ReadFull(br, sig); err != nil || string(sig) != pngSignature {
		return errors.New("vault: strip png: not a PNG")
	}
	bw.Write(sig)
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return truncated(err)
		}
		n := binary.BigEndian.Uint32(hdr[:4])
		typ := string(hdr[4:])
		if n > 1<<31-1 || !isPNGChunkType(typ) {
			return fmt.Errorf("vault: strip png: bad chunk header (type %q, length %d)", typ, n)
		}
		if !keepPNGChunk(typ) {
			if _, err := io.CopyN(io.Discard, br, int64(n)+4); err != nil {
				return truncated(err)
			}
			continue
		}
		if err := copyPNGChunk(br, bw, hdr, int64(n)); err != nil {
			return err
		}
		if typ == "IEND" {
			return bw.Flush()
		}
	}
}

func copyPNGChunk(br *bufio.Reader, bw *bufio.Writer, hdr [8]byte, n int64) error {
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	bw.Write(hdr[:])
	if _, err := io.CopyN(io.MultiWriter(bw, crc), br, n); err != nil {
		return truncated(err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil {
		return truncated(err)
	}
	if binary.BigEndian.Uint32(sum[:]) != crc.Sum32() {
		return fmt.Errorf("vault: strip png: chunk %q has a bad CRC", hdr[4:])
	}
	_, err := bw.Write(sum[:])
	return err
}

func isPNGChunkType(t string) bool {
	for i := 0; i < 4; i++ {
		c := t[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
