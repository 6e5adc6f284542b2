package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"filippo.io/age"
)

// Report and reporter text that must never appear in an error.
const (
	secretText = "سقطت قذيفة على سوق الهال صباح الجمعة وأصيب سبعة مدنيين. SECRET-TEXT"
	secretName = "أبو خالد SECRET-NAME"
)

const (
	encChunk = 64*1024 + 16 // an age payload chunk with its tag
	nonceLen = 16
)

func newKey(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func sampleManifest() Manifest {
	lat, lon := 36.2021, 37.1343
	return Manifest{
		SealedAt: "2026-05-01T09:30:00Z",
		Tool:     "tawthiq test",
		Report: Report{Title: "قصف سوق الهال", Text: secretText, Language: "ar", Published: "2026-04-30",
			Outlet: "شبكة حلب", URL: "https://example.org/r/1"},
		Reporter: Reporter{Name: secretName, Contact: "+963 900 000 000", Latitude: &lat, Longitude: &lon, Note: "لا تنشر اسمي"},
	}
}

// sampleFiles writes a small photo and a few MB of random bytes, which span
// many age chunks.
func sampleFiles(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	photo := filepath.Join(dir, "صورة السوق.jpg")
	video := filepath.Join(dir, "clip 01.mp4")
	big := make([]byte, 3<<20+12345)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	writeFile(t, photo, []byte("\xff\xd8\xff\xe0 not really a jpeg"))
	writeFile(t, video, big)
	return []string{photo, video}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func sealed(t *testing.T, id *age.X25519Identity, paths []string) ([]byte, *Manifest) {
	t.Helper()
	var buf bytes.Buffer
	m, err := Write(&buf, []age.Recipient{id.Recipient()}, sampleManifest(), paths)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), m
}

// open extracts data into a fresh folder; on failure it checks that the
// folder was left empty and that the error is safe to show.
func open(t *testing.T, data []byte, id age.Identity, opts ...Option) (*Opened, error) {
	t.Helper()
	dir := t.TempDir()
	o, err := Extract(bytes.NewReader(data), []age.Identity{id}, dir, opts...)
	if err != nil {
		if o != nil {
			t.Errorf("Opened %+v returned with error", o)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("after %v the folder holds %v", err, left)
		}
		checkSafe(t, err)
	}
	return o, err
}

func checkSafe(t *testing.T, err error) {
	t.Helper()
	be, ok := errors.AsType[*Error](err)
	if !ok || be.EN == "" || be.AR == "" {
		t.Errorf("error %v is not a bilingual *Error", err)
		return
	}
	for _, s := range []string{err.Error(), be.AR} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("error leaks the report or reporter: %s", s)
		}
	}
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func TestRoundTrip(t *testing.T) {
	id := newKey(t)
	paths := sampleFiles(t)
	data, m := sealed(t, id, paths)
	if bytes.Contains(data, []byte("SECRET")) {
		t.Fatal("plaintext in the bundle")
	}
	wantNames := []File{{Path: "files/0001-file.jpg", Name: "صورة السوق.jpg"}, {Path: "files/0002-clip_01.mp4", Name: "clip 01.mp4"}}
	for i, f := range m.Files {
		orig, _ := os.ReadFile(paths[i])
		if f.SHA256 != sum(orig) || f.Size != int64(len(orig)) || f.Path != wantNames[i].Path || f.Name != wantNames[i].Name {
			t.Errorf("manifest file %d = %+v, want sha %s size %d %+v", i, f, sum(orig), len(orig), wantNames[i])
		}
	}
	o, err := open(t, data, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Manifest, *m) {
		t.Errorf("manifest read back\n%+v\nwant\n%+v", o.Manifest, *m)
	}
	if o.Manifest.Report.Text != secretText || *o.Manifest.Reporter.Latitude != 36.2021 {
		t.Error("report or reporter changed")
	}
	for i, f := range o.Files {
		got, _ := os.ReadFile(f.Path)
		orig, _ := os.ReadFile(paths[i])
		if !bytes.Equal(got, orig) || sum(got) != f.SHA256 || filepath.Dir(filepath.Dir(f.Path)) != o.Dir {
			t.Errorf("file %d at %s differs from the original", i, f.Path)
		}
	}
	if err := o.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(o.Dir); !os.IsNotExist(err) {
		t.Errorf("Remove left %s", o.Dir)
	}
}

func TestNoAttachments(t *testing.T) {
	id := newKey(t)
	data, _ := sealed(t, id, nil)
	o, err := open(t, data, id)
	if err != nil || len(o.Files) != 0 || o.Manifest.Report.Text != secretText {
		t.Fatalf("got %+v, %v", o, err)
	}
}

func headerLen(t *testing.T, data []byte) int {
	t.Helper()
	hdr, err := age.ExtractHeader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return len(hdr)
}

// otherBase64 replaces a base64 character by another, so the header still
// parses and only the cryptography can tell.
func otherBase64(b byte) byte {
	if b == 'A' {
		return 'B'
	}
	return 'A'
}

func TestAlteredByte(t *testing.T) {
	id := newKey(t)
	data, _ := sealed(t, id, sampleFiles(t))
	hl := headerLen(t, data)
	stanzaBody := strings.Index(string(data[:hl]), "\n-> X25519 ") + 1
	stanzaBody += strings.Index(string(data[stanzaBody:hl]), "\n") + 5
	payload := hl + nonceLen
	chunks := (len(data) - payload) / encChunk
	cases := []struct {
		name string
		pos  int
		to   func(byte) byte
		want error
	}{
		{"intro", 0, func(b byte) byte { return b ^ 1 }, ErrMalformed},
		// A damaged recipient stanza cannot be told from one for another key.
		{"stanza body", stanzaBody, otherBase64, ErrNotForUs},
		{"header MAC", hl - 10, otherBase64, ErrAltered},
		{"nonce", hl + 3, func(b byte) byte { return b ^ 1 }, ErrAltered},
		{"first chunk", payload + 100, func(b byte) byte { return b ^ 0x80 }, ErrAltered},
		{"middle chunk", payload + chunks/2*encChunk + 777, func(b byte) byte { return b ^ 1 }, ErrAltered},
		{"last chunk", len(data) - 30, func(b byte) byte { return b ^ 1 }, ErrAltered},
		{"last tag byte", len(data) - 1, func(b byte) byte { return b ^ 1 }, ErrAltered},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := bytes.Clone(data)
			bad[c.pos] = c.to(bad[c.pos])
			if _, err := open(t, bad, id); !errors.Is(err, c.want) {
				t.Fatalf("byte %d changed: %v, want %v", c.pos, err, c.want)
			}
		})
	}
	// Every header byte, and payload bytes all through the file: never
	// success; in the payload always ErrAltered.
	for pos := 0; pos < len(data); pos++ {
		if pos >= hl && (pos-hl)%(encChunk+13) != 0 && pos != len(data)-1 {
			continue
		}
		bad := bytes.Clone(data)
		bad[pos] ^= 0x01
		_, err := open(t, bad, id)
		switch {
		case err == nil:
			t.Fatalf("byte %d changed: opened", pos)
		case pos >= hl && !errors.Is(err, ErrAltered):
			t.Fatalf("payload byte %d changed: %v, want ErrAltered", pos, err)
		case !errors.Is(err, ErrAltered) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNotForUs):
			t.Fatalf("header byte %d changed: %v", pos, err)
		}
	}
}

func TestTruncatedOrExtended(t *testing.T) {
	id := newKey(t)
	data, _ := sealed(t, id, sampleFiles(t))
	hl := headerLen(t, data)
	payload := hl + nonceLen
	for _, n := range []int{hl, hl + 5, payload, payload + 1, payload + encChunk, payload + 7*encChunk,
		payload + 7*encChunk + 1, len(data) / 2, len(data) - 17, len(data) - 1} {
		if _, err := open(t, data[:n], id); !errors.Is(err, ErrAltered) {
			t.Errorf("cut to %d of %d bytes: %v, want ErrAltered", n, len(data), err)
		}
	}
	for _, n := range []int{0, 10, hl - 1} {
		if _, err := open(t, data[:n], id); !errors.Is(err, ErrMalformed) {
			t.Errorf("cut to %d bytes (inside the header): %v, want ErrMalformed", n, err)
		}
	}
	if _, err := open(t, append(bytes.Clone(data), 0), id); !errors.Is(err, ErrAltered) {
		t.Errorf("one byte appended: %v, want ErrAltered", err)
	}
}

func TestWrongIdentity(t *testing.T) {
	data, _ := sealed(t, newKey(t), sampleFiles(t))
	if _, err := open(t, data, newKey(t)); !errors.Is(err, ErrNotForUs) {
		t.Fatalf("%v, want ErrNotForUs", err)
	}
}

func TestSeveralRecipients(t *testing.T) {
	a, b := newKey(t), newKey(t)
	var buf bytes.Buffer
	if _, err := Write(&buf, []age.Recipient{a.Recipient(), b.Recipient()}, sampleManifest(), nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []*age.X25519Identity{a, b} {
		if _, err := open(t, buf.Bytes(), id); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNotABundle(t *testing.T) {
	id := newKey(t)
	random := make([]byte, 5000)
	rand.Read(random)
	for name, data := range map[string][]byte{
		"empty":       nil,
		"random":      random,
		"text":        []byte(secretText),
		"plain tar":   tarOf(t, entry{name: "manifest.json", body: []byte("{}")}),
		"armored age": []byte("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"),
		"bad header":  []byte("age-encryption.org/v1\n-> X25519\n--- \n"),
	} {
		if _, err := open(t, data, id); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

// A source that fails is an I/O error, not an alteration.
func TestReadError(t *testing.T) {
	id := newKey(t)
	data, _ := sealed(t, id, sampleFiles(t))
	boom := errors.New("usb stick removed")
	r := io.MultiReader(bytes.NewReader(data[:len(data)/2]), iotestErr{boom})
	_, err := Extract(r, []age.Identity{id}, t.TempDir())
	if !errors.Is(err, boom) || errors.Is(err, ErrAltered) || errors.Is(err, ErrMalformed) {
		t.Fatalf("%v, want the read error of no kind", err)
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

type entry struct {
	name string
	body []byte
	typ  byte
}

func tarOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Size: int64(len(e.body)), Mode: 0o600, Typeflag: tar.TypeReg}
		if e.typ != 0 {
			h.Typeflag, h.Size, h.Linkname = e.typ, 0, "/etc/passwd"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.body); err != nil && e.typ == 0 {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encrypt(t testing.TB, r age.Recipient, plain []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func manifestFor(t testing.TB, files ...[]byte) (Manifest, []byte) {
	t.Helper()
	m := sampleManifest()
	m.Format = Format
	for i, f := range files {
		name := []string{"a.jpg", "b.mp4", "c.txt"}[i]
		m.Files = append(m.Files, File{Path: entryPath(i, name), Name: name, Size: int64(len(f)), SHA256: sum(f)})
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return m, data
}

// Hand-built bundles: the encryption is valid, so only the checks of the
// contents against the manifest stand between them and the server.
func TestHandBuiltBundles(t *testing.T) {
	id := newKey(t)
	one, two := []byte("photo bytes"), []byte("video bytes, longer")
	m, good := manifestFor(t, one, two)
	p1, p2 := m.Files[0].Path, m.Files[1].Path
	edit := func(f func(*Manifest)) []byte {
		m, _ := manifestFor(t, one, two)
		f(&m)
		data, _ := json.Marshal(m)
		return data
	}
	withField := bytes.Replace(good, []byte(`"format"`), []byte(`"extra":1,"format"`), 1)
	huge := edit(func(m *Manifest) { m.Report.Text = strings.Repeat("نص ", MaxManifest/5) })
	trailingJunk := append(tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, body: one}, entry{name: p2, body: two}), 1, 2, 3)
	cases := []struct {
		name  string
		plain []byte
		want  error
	}{
		{"valid", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, body: one}, entry{name: p2, body: two}), nil},
		{"content not the manifest's", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, body: []byte("photo bytez")}, entry{name: p2, body: two}), ErrAltered},
		{"size not the manifest's", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, body: append(one, '!')}, entry{name: p2, body: two}), ErrAltered},
		{"missing file", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, body: one}), ErrAltered},
		{"extra entry", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, body: one}, entry{name: p2, body: two}, entry{name: "files/0003-x.sh", body: one}), ErrAltered},
		{"duplicate entry", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, body: one}, entry{name: p1, body: one}), ErrAltered},
		{"out of order", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p2, body: two}, entry{name: p1, body: one}), ErrAltered},
		{"traversal entry", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: "../../evil", body: one}, entry{name: p2, body: two}), ErrAltered},
		{"traversal in manifest", tarOf(t, entry{name: "manifest.json", body: edit(func(m *Manifest) { m.Files[0].Path = "files/../../0001-a.jpg" })}), ErrMalformed},
		{"absolute path in manifest", tarOf(t, entry{name: "manifest.json", body: edit(func(m *Manifest) { m.Files[0].Path = "/tmp/0001-a.jpg" })}), ErrMalformed},
		{"duplicate path in manifest", tarOf(t, entry{name: "manifest.json", body: edit(func(m *Manifest) { m.Files[1].Path = m.Files[0].Path })}), ErrMalformed},
		{"symlink", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, typ: tar.TypeSymlink}), ErrMalformed},
		{"hard link", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, typ: tar.TypeLink}), ErrMalformed},
		{"device", tarOf(t, entry{name: "manifest.json", body: good}, entry{name: p1, typ: tar.TypeChar}), ErrMalformed},
		{"manifest not first", tarOf(t, entry{name: p1, body: one}, entry{name: "manifest.json", body: good}), ErrMalformed},
		{"no entries", tarOf(t), ErrMalformed},
		{"not tar", []byte(strings.Repeat("not a tar archive ", 100)), ErrMalformed},
		{"newer format", tarOf(t, entry{name: "manifest.json", body: edit(func(m *Manifest) { m.Format = "tawthiq-bundle/2" })}), ErrMalformed},
		{"unknown field", tarOf(t, entry{name: "manifest.json", body: withField}), ErrMalformed},
		{"manifest over 1 MiB", tarOf(t, entry{name: "manifest.json", body: huge}), ErrMalformed},
		{"manifest not JSON", tarOf(t, entry{name: "manifest.json", body: []byte(secretName)}), ErrMalformed},
		{"empty report text", tarOf(t, entry{name: "manifest.json", body: edit(func(m *Manifest) { m.Report.Text = " " })}), ErrMalformed},
		{"bad hash", tarOf(t, entry{name: "manifest.json", body: edit(func(m *Manifest) { m.Files[0].SHA256 = "x" })}), ErrMalformed},
		{"data after the archive", trailingJunk, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := open(t, encrypt(t, id.Recipient(), c.plain), id)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("%v, want %v", err, c.want)
			}
			if o != nil {
				t.Fatal("opened")
			}
		})
	}
	// Nothing escaped the extraction folder.
	if _, err := os.Stat(filepath.Join(t.TempDir(), "..", "evil")); !os.IsNotExist(err) {
		t.Error("traversal wrote a file")
	}
}

func TestTooLarge(t *testing.T) {
	id := newKey(t)
	data, m := sealed(t, id, sampleFiles(t))
	total := m.Files[0].Size + m.Files[1].Size
	if _, err := open(t, data, id, MaxTotal(total-1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("%v, want ErrTooLarge", err)
	}
	if _, err := open(t, data, id, MaxTotal(total)); err != nil {
		t.Fatal(err)
	}
	// Zero padding beyond the limit: the stream itself is too long.
	_, good := manifestFor(t)
	padded := append(tarOf(t, entry{name: "manifest.json", body: good}), make([]byte, 2<<20)...)
	if _, err := open(t, encrypt(t, id.Recipient(), padded), id, MaxTotal(-MaxManifest-slack+(1<<20))); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("long padding: %v, want ErrTooLarge", err)
	}
}

func TestChangedWhileSealing(t *testing.T) {
	id := newKey(t)
	for name, change := range map[string]func(path string){
		"same size": func(p string) {
			data, _ := os.ReadFile(p)
			data[len(data)/2] ^= 1
			writeFile(t, p, data)
		},
		"grew":   func(p string) { f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0); f.Write([]byte("x")); f.Close() },
		"shrank": func(p string) { os.Truncate(p, 10) },
		"gone":   func(p string) { os.Remove(p) },
	} {
		t.Run(name, func(t *testing.T) {
			paths := sampleFiles(t)
			var buf bytes.Buffer
			_, err := write(&buf, []age.Recipient{id.Recipient()}, sampleManifest(), paths, func() { change(paths[1]) })
			want := ErrChanged
			if name == "gone" {
				want = ErrUnreadable
			}
			if !errors.Is(err, want) || !strings.Contains(err.Error(), paths[1]) {
				t.Fatalf("%v, want %v naming the file", err, want)
			}
			checkSafe(t, err)
			// What was written before the refusal is not a bundle.
			if _, err := open(t, buf.Bytes(), id); err == nil {
				t.Fatal("the partial output opened")
			}
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	id := newKey(t)
	rs := []age.Recipient{id.Recipient()}
	dir := t.TempDir()
	for name, c := range map[string]struct {
		edit  func(*Manifest)
		paths []string
		want  error
		field string
	}{
		"no text":        {func(m *Manifest) { m.Report.Text = "\n" }, nil, ErrMalformed, "report.text"},
		"bad date":       {func(m *Manifest) { m.Report.Published = "30/04/2026" }, nil, ErrMalformed, "report.published"},
		"bad language":   {func(m *Manifest) { m.Report.Language = "Arabic" }, nil, ErrMalformed, "report.language"},
		"bad url":        {func(m *Manifest) { m.Report.URL = "javascript:alert(1)" }, nil, ErrMalformed, "report.url"},
		"latitude alone": {func(m *Manifest) { m.Reporter.Longitude = nil }, nil, ErrMalformed, "reporter.latitude"},
		"latitude range": {func(m *Manifest) { v := 91.0; m.Reporter.Latitude = &v }, nil, ErrMalformed, "reporter.latitude"},
		"local time":     {func(m *Manifest) { m.SealedAt = "2026-05-01T12:30:00+03:00" }, nil, ErrMalformed, "sealed_at"},
		"missing file":   {func(*Manifest) {}, []string{filepath.Join(dir, "nope.jpg")}, ErrUnreadable, ""},
		"a folder":       {func(*Manifest) {}, []string{dir}, ErrUnreadable, ""},
	} {
		t.Run(name, func(t *testing.T) {
			m := sampleManifest()
			c.edit(&m)
			var buf bytes.Buffer
			_, err := Write(&buf, rs, m, c.paths)
			be, _ := errors.AsType[*Error](err)
			if !errors.Is(err, c.want) || be.Field != c.field {
				t.Fatalf("%v (field %q), want %v on %q", err, be.Field, c.want, c.field)
			}
			checkSafe(t, err)
			if buf.Len() != 0 {
				t.Error("wrote before refusing")
			}
		})
	}
	if _, err := Write(io.Discard, nil, sampleManifest(), nil); err == nil {
		t.Error("no recipient: sealed")
	}
}

func TestSealFile(t *testing.T) {
	id := newKey(t)
	out := filepath.Join(t.TempDir(), "report.tawthiq")
	paths := sampleFiles(t)
	m, err := SealFile(out, []age.Recipient{id.Recipient()}, sampleManifest(), paths)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	o, err := open(t, data, id)
	if err != nil || !reflect.DeepEqual(o.Manifest, *m) {
		t.Fatalf("%v", err)
	}
	if _, err := os.Stat(out + ".tmp"); !os.IsNotExist(err) {
		t.Error("temporary file left")
	}

	out2 := filepath.Join(t.TempDir(), "broken.tawthiq")
	if _, err := SealFile(out2, []age.Recipient{id.Recipient()}, sampleManifest(), append(paths, "/nonexistent/x.jpg")); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("%v, want ErrUnreadable", err)
	}
	if left, _ := os.ReadDir(filepath.Dir(out2)); len(left) != 0 {
		t.Errorf("a failed seal left %v", left)
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"photo.jpg":                       "photo.jpg",
		"صورة السوق.jpg":                  "file.jpg",
		"IMG 2026-05-01 (2).JPEG":         "IMG_2026-05-01_2.JPEG",
		"..hidden":                        "file.hidden",
		".jpg":                            "file.jpg",
		"a.tar.gz":                        "a.tar.gz",
		"x.صورة":                          "x",
		"report":                          "report",
		strings.Repeat("a", 200) + ".png": strings.Repeat("a", 76) + ".png",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}
