package demo

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
)

// LoadEvidence attaches sample files to the first sample reports, so the
// demo shows the vault, the chain of custody and the ledger: a generated
// picture whose metadata names a (fictional) witness — what a published
// copy removes — and a transcript. The files are made here, not shipped,
// and say they are sample data. It returns how many it attached.
func LoadEvidence(ctx context.Context, ev *evidence.Service, store *record.Store) (int, error) {
	reports, _, err := store.List(ctx, record.Query{Type: record.TypeReport, Limit: 2})
	if err != nil {
		return 0, err
	}
	if len(reports) < 2 {
		return 0, fmt.Errorf("demo: evidence needs two sample reports, the store has %d", len(reports))
	}
	pic, err := samplePicture()
	if err != nil {
		return 0, err
	}
	files := []struct {
		report, name string
		data         []byte
	}{
		{reports[0].ID, "sample-scene.png", pic},
		{reports[1].ID, "sample-transcript.txt", []byte(Marker + "\n" +
			"تفريغ تسجيل صوتي تجريبي: قال الشاهد إن القصف بدأ قرابة الساعة الثانية فجراً واستمر نحو عشرين دقيقة.\n" +
			"Sample transcript: the witness said the shelling began at about 2 a.m. and lasted some twenty minutes.\n")},
	}
	for _, f := range files {
		_, err := ev.Add(ctx, evidence.AddInput{ReportID: f.report, Body: bytes.NewReader(f.data), Name: f.name,
			DeclaredSize: int64(len(f.data)), Actor: author, Purpose: reason})
		if err != nil {
			return 0, fmt.Errorf("demo: attach %s: %w", f.name, err)
		}
	}
	return len(files), nil
}

// samplePicture is a small generated PNG with text chunks as a phone app
// might write them: an author and a place. They are fictional and marked.
func samplePicture() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 96, 64))
	for y := range 64 {
		for x := range 96 {
			img.Set(x, y, color.RGBA{uint8(120 + x), uint8(90 + y), 80, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	raw := b.Bytes()
	// Insert tEXt chunks after IHDR (8-byte signature + 25-byte IHDR chunk).
	var out bytes.Buffer
	out.Write(raw[:33])
	for _, kv := range [][2]string{{"Author", "[sample data] witness W-17"}, {"Location", "[sample data] 35.95,39.01"}} {
		data := []byte(kv[0] + "\x00" + kv[1])
		var n [4]byte
		n[0], n[1], n[2], n[3] = byte(len(data)>>24), byte(len(data)>>16), byte(len(data)>>8), byte(len(data))
		out.Write(n[:])
		chunk := append([]byte("tEXt"), data...)
		out.Write(chunk)
		sum := crc32.ChecksumIEEE(chunk)
		out.Write([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	}
	out.Write(raw[33:])
	return out.Bytes(), nil
}
