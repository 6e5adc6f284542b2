package vault

import (
	"bytes"
	"compress/zlib"
	"testing"
)

func deflate(s string) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func pngWithText(chunks ...[]byte) []byte {
	b := []byte(pngSignature)
	b = append(b, pngChunk("IHDR", []byte{0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0})...)
	for _, c := range chunks {
		b = append(b, c...)
	}
	return append(b, pngChunk("IEND", nil)...)
}

func TestReadPNGText(t *testing.T) {
	file := pngWithText(
		pngChunk("tEXt", []byte("Author\x00Caf\xe9 witness")),
		pngChunk("zTXt", append([]byte("Comment\x00\x00"), deflate("taken near the bakery")...)),
		pngChunk("iTXt", []byte("Title\x00\x00\x00ar\x00العنوان\x00صورة الحي")),
		pngChunk("iTXt", append([]byte("Location\x00\x01\x00\x00\x00"), deflate("35.95,39.01")...)),
		pngChunk("IDAT", []byte{1, 2, 3}),
		pngChunk("tEXt", []byte("no separator")),
		pngChunk("tEXt", []byte("Software\x00after IDAT")),
	)
	m := Metadata{Raw: map[string]string{}}
	if err := readPNGText(bytes.NewReader(file), &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"png:Author":   "Café witness",
		"png:Comment":  "taken near the bakery",
		"png:Title":    "صورة الحي",
		"png:Location": "35.95,39.01",
		"png:Software": "after IDAT",
	}
	for k, v := range want {
		if m.Raw[k] != v {
			t.Errorf("%s = %q, want %q", k, m.Raw[k], v)
		}
	}
	if len(m.Raw) != len(want) {
		t.Errorf("extra values read: %v", m.Raw)
	}
	// A zTXt bomb is cut at the value limit.
	bomb := pngWithText(pngChunk("zTXt", append([]byte("Bomb\x00\x00"), deflate(string(make([]byte, 50<<20)))...)))
	m = Metadata{Raw: map[string]string{}}
	if err := readPNGText(bytes.NewReader(bomb), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Raw["png:Bomb"]) > maxPNGTextValue+8 {
		t.Errorf("decompressed %d bytes of a bomb", len(m.Raw["png:Bomb"]))
	}
}

func FuzzReadPNGText(f *testing.F) {
	f.Add(pngWithText(pngChunk("tEXt", []byte("a\x00b"))))
	f.Add(pngWithText(pngChunk("iTXt", []byte("k\x00\x01\x00\x00\x00xx"))))
	f.Add([]byte(pngSignature + "\xff\xff\xff\xfftEXt"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m := Metadata{Raw: map[string]string{}}
		readPNGText(bytes.NewReader(b), &m)
		total := 0
		for k, v := range m.Raw {
			total += len(k) + len(v)
		}
		if total > maxPNGTextTotal+maxPNGTextValue+1024 {
			t.Fatalf("kept %d bytes of text", total)
		}
	})
}
