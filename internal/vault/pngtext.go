package vault

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits on PNG text read into Metadata.Raw: files are untrusted.
const (
	maxPNGTextValue = 4 << 10  // bytes kept per value
	maxPNGTextTotal = 64 << 10 // bytes kept per file
	maxPNGChunks    = 100000
)

// readPNGText reads the text chunks of a PNG (tEXt, zTXt, iTXt) into Raw
// as "png:<keyword>": apps write authors, places, device names and
// comments there, which a published copy must drop and an analyst should
// see. The chunks are walked without decoding pixels.
func readPNGText(r io.ReadSeeker, m *Metadata) error {
	var sig [8]byte
	if _, err := io.ReadFull(r, sig[:]); err != nil || string(sig[:]) != pngSignature {
		return fmt.Errorf("not a PNG")
	}
	total := 0
	for range maxPNGChunks {
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil // truncated after the last whole chunk: keep what was read
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:])
		switch typ {
		case "IEND":
			return nil
		case "tEXt", "zTXt", "iTXt":
			if n > 1<<20 {
				break // an absurd text chunk is skipped, not read
			}
			data := make([]byte, n)
			if _, err := io.ReadFull(r, data); err != nil {
				return nil
			}
			if _, err := r.Seek(4, io.SeekCurrent); err != nil { // CRC
				return err
			}
			key, val, ok := pngText(typ, data)
			if ok && total < maxPNGTextTotal {
				if len(val) > maxPNGTextValue {
					val = strings.ToValidUTF8(val[:maxPNGTextValue], "") + "…"
				}
				total += len(key) + len(val)
				if old, dup := m.Raw["png:"+key]; dup {
					val = old + "\n" + val
				}
				m.Raw["png:"+key] = val
			}
			continue
		}
		if _, err := r.Seek(n+4, io.SeekCurrent); err != nil {
			return err
		}
	}
	return nil
}

// pngText decodes one text chunk's keyword and value.
func pngText(typ string, data []byte) (key, val string, ok bool) {
	k, rest, found := bytes.Cut(data, []byte{0})
	if !found || len(k) == 0 || len(k) > 79 {
		return "", "", false
	}
	key = latin1(k)
	switch typ {
	case "tEXt":
		return key, latin1(rest), true
	case "zTXt":
		if len(rest) < 1 || rest[0] != 0 {
			return "", "", false
		}
		b, err := inflate(rest[1:])
		return key, latin1(b), err == nil
	case "iTXt":
		if len(rest) < 2 {
			return "", "", false
		}
		compressed, method := rest[0], rest[1]
		rest = rest[2:]
		_, rest, found = bytes.Cut(rest, []byte{0}) // language tag
		if !found {
			return "", "", false
		}
		_, rest, found = bytes.Cut(rest, []byte{0}) // translated keyword
		if !found {
			return "", "", false
		}
		if compressed == 1 {
			if method != 0 {
				return "", "", false
			}
			b, err := inflate(rest)
			if err != nil {
				return "", "", false
			}
			rest = b
		}
		if !utf8.Valid(rest) {
			return "", "", false
		}
		return key, string(rest), true
	}
	return "", "", false
}

// inflate decompresses at most maxPNGTextValue+1 bytes: enough to show,
// never a decompression bomb.
func inflate(b []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, maxPNGTextValue+1))
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	return out, nil
}

// latin1 converts ISO 8859-1 bytes, as tEXt and zTXt hold, to UTF-8,
// dropping control characters but newline and tab.
func latin1(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == '\n' || c == '\t':
			s.WriteByte(c)
		case c < 0x20 || c >= 0x7f && c < 0xa0:
		default:
			s.WriteRune(rune(c))
		}
	}
	return s.String()
}
