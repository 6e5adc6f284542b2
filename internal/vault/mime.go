package vault

import (
	"bytes"
	"net/http"
)

// sniffLen is how many leading bytes MIME detection looks at (the same as
// http.DetectContentType).
const sniffLen = 512

// detectMIME names the type of a file from its first bytes. It checks the
// formats witnesses' phones produce that http.DetectContentType gets wrong
// or misses (it calls every ISO-BMFF file video/mp4 when a brand says so,
// and knows no MOV, M4A, HEIC, bare MP3 frames or AAC), then falls back to
// it. The name of the file is never consulted: it can lie.
func detectMIME(head []byte) string {
	if len(head) == 0 {
		return "application/octet-stream"
	}
	if m := isoBMFF(head); m != "" {
		return m
	}
	switch {
	case bytes.HasPrefix(head, []byte("ID3")):
		return "audio/mpeg"
	case bytes.HasPrefix(head, []byte("OggS")):
		return oggType(head)
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return "application/zip"
	case bytes.HasPrefix(head, []byte("#!AMR")):
		return "audio/amr"
	case len(head) >= 3 && head[0] == 0xFF && head[1]&0xF6 == 0xF0:
		return "audio/aac" // ADTS frame: sync word, layer 00
	case len(head) >= 3 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 && head[1]&0x06 != 0 && head[2]&0xF0 != 0xF0:
		return "audio/mpeg" // MPEG audio frame without an ID3 tag: sync, layer set, valid bitrate
	}
	return http.DetectContentType(head)
}

// isoBMFF recognises ISO base media files ("....ftyp<brand>") by their
// major brand.
func isoBMFF(b []byte) string {
	if len(b) < 12 || string(b[4:8]) != "ftyp" {
		return ""
	}
	switch brand := string(b[8:12]); brand {
	case "qt  ":
		return "video/quicktime"
	case "M4A ", "M4B ", "M4P ":
		return "audio/mp4"
	case "heic", "heix", "heim", "heis", "hevc", "hevx":
		return "image/heic"
	case "mif1", "msf1":
		return "image/heif"
	case "avif", "avis":
		return "image/avif"
	case "crx ":
		return "image/x-canon-cr3"
	default:
		if brand[:3] == "3gp" {
			return "video/3gpp"
		}
		if brand[:3] == "3g2" {
			return "video/3gpp2"
		}
		return "video/mp4" // isom, mp41, mp42, avc1, iso2-6, dash, M4V ...
	}
}

// oggType tells audio from video by the codec of the first stream.
func oggType(b []byte) string {
	switch {
	case bytes.Contains(b, []byte("\x80theora")):
		return "video/ogg"
	case bytes.Contains(b, []byte("OpusHead")), bytes.Contains(b, []byte("\x01vorbis")), bytes.Contains(b, []byte("\x7fFLAC")):
		return "audio/ogg"
	default:
		return "application/ogg"
	}
}
