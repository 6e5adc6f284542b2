package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/blobstore"
	"github.com/tawthiq/tawthiq/internal/blobstore/blobstoretest"
	blobfs "github.com/tawthiq/tawthiq/internal/blobstore/fs"
)

type env struct {
	v       *Vault
	store   *blobfs.Store
	staging string
}

func newEnv(t testing.TB, maxSize int64) env {
	t.Helper()
	dir := t.TempDir()
	s, err := blobfs.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	staging := filepath.Join(dir, "staging")
	return env{v: New(s, staging, maxSize), store: s, staging: staging}
}

func shaOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// assertEmpty checks that nothing is stored and nothing is staged.
func (e env) assertEmpty(t *testing.T) {
	t.Helper()
	e.store.List(t.Context(), "", func(k string, _ int64) error {
		t.Errorf("store holds %q", k)
		return nil
	})
	entries, _ := os.ReadDir(e.staging)
	for _, en := range entries {
		t.Errorf("staging folder holds %s", en.Name())
	}
}

func (e env) blobPath(sha string) string {
	return filepath.Join(e.store.Root(), filepath.FromSlash(Key(sha)))
}

func TestPutOpenVerify(t *testing.T) {
	e := newEnv(t, 10<<20)
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		data []byte
		mime string
	}{
		{"empty", nil, "application/octet-stream"},
		{"jpeg", metaJPEG(t, 64, 48), "image/jpeg"},
		{"png", plainPNG(t, 8, 8), "image/png"},
		{"pdf", minimalPDF(), "application/pdf"},
		{"arabic text", []byte("قصف على حي الشعار في حلب"), "text/plain; charset=utf-8"},
		{"1 MiB random", blobstoretest.Data(1, 1<<20), "application/octet-stream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sha := shaOf(tc.data)
			it, err := e.v.Put(ctx, bytes.NewReader(tc.data), PutOptions{
				Name: "evidence.bin", DeclaredSHA256: strings.ToUpper(sha), DeclaredSize: int64(len(tc.data)),
			})
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			want := Item{SHA256: sha, Size: int64(len(tc.data)), MIME: tc.mime, Name: "evidence.bin"}
			if it != want {
				t.Fatalf("Put = %+v, want %+v", it, want)
			}
			rc, got, err := e.v.Open(ctx, sha)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(b, tc.data) {
				t.Fatalf("Open read %d bytes (%v), want the %d put", len(b), err, len(tc.data))
			}
			want.Name, want.Existed = "", true
			if got != want {
				t.Errorf("Open item = %+v, want %+v", got, want)
			}
			if err := e.v.Verify(ctx, sha); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
	if entries, _ := os.ReadDir(e.staging); len(entries) != 0 {
		t.Errorf("staging folder not empty after Puts: %d files", len(entries))
	}
}

// streamingStore hides the fs store's FilePutter, as an S3 store will not
// have one: the vault must stream the staged file instead.
type streamingStore struct{ blobstore.Store }

func TestPutStreamingStore(t *testing.T) {
	e := newEnv(t, 0)
	e.v = New(streamingStore{e.store}, e.staging, 0)
	ctx := t.Context()
	data := metaJPEG(t, 20, 20)
	for i, wantExisted := range []bool{false, true} {
		it, err := e.v.Put(ctx, bytes.NewReader(data), PutOptions{})
		if err != nil || it.SHA256 != shaOf(data) || it.Existed != wantExisted || it.MIME != "image/jpeg" {
			t.Fatalf("Put #%d = %+v, %v", i, it, err)
		}
	}
	if err := e.v.Verify(ctx, shaOf(data)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.v.PublishedCopy(ctx, shaOf(data)); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(e.staging); len(entries) != 0 {
		t.Errorf("staging folder holds %d files", len(entries))
	}
}

func TestDedupe(t *testing.T) {
	e := newEnv(t, 0)
	data := blobstoretest.Data(2, 100_000)
	first, err := e.v.Put(t.Context(), bytes.NewReader(data), PutOptions{Name: "a.jpg"})
	if err != nil || first.Existed {
		t.Fatalf("first Put = %+v, %v; want Existed false", first, err)
	}
	second, err := e.v.Put(t.Context(), bytes.NewReader(data), PutOptions{Name: "b.jpg"})
	if err != nil || !second.Existed || second.SHA256 != first.SHA256 || second.Name != "b.jpg" {
		t.Fatalf("second Put = %+v, %v; want the same hash, Existed true, its own name", second, err)
	}
	var keys []string
	e.store.List(t.Context(), "", func(k string, _ int64) error { keys = append(keys, k); return nil })
	if len(keys) != 1 || keys[0] != Key(first.SHA256) {
		t.Fatalf("store holds %v, want only %s", keys, Key(first.SHA256))
	}
}

// countingReader counts what Put reads from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestPutRefused(t *testing.T) {
	const limit = 1000
	secret := []byte(strings.Repeat("SECRET-WITNESS-NAME ", 40)) // 800 bytes
	big := blobstoretest.Stream(3, 1<<30)                        // endless, for all practical purposes
	for _, tc := range []struct {
		name     string
		r        io.Reader
		o        PutOptions
		want     error
		maxRead  int64
		contains string
	}{
		{"over the limit", big, PutOptions{}, ErrTooLarge, limit + 1, "limit of 1000"},
		{"one over the limit", bytes.NewReader(make([]byte, limit+1)), PutOptions{}, ErrTooLarge, limit + 1, ""},
		{"declared over the limit", big, PutOptions{DeclaredSize: limit + 1}, ErrTooLarge, 0, "declared 1001"},
		{"longer than declared", big, PutOptions{DeclaredSize: 10}, ErrTooLarge, 11, "declared 10"},
		{"truncated", bytes.NewReader(secret), PutOptions{DeclaredSize: 900}, ErrTruncated, 800, "800 of 900"},
		{"hash mismatch", bytes.NewReader(secret), PutOptions{DeclaredSHA256: shaOf([]byte("other"))}, ErrHashMismatch, 800, shaOf(secret)},
		{"malformed declared hash", big, PutOptions{DeclaredSHA256: "abc"}, ErrBadHash, 0, ""},
		{"declared hash with junk", big, PutOptions{DeclaredSHA256: strings.Repeat("g", 64)}, ErrBadHash, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, limit)
			cr := &countingReader{r: tc.r}
			_, err := e.v.Put(t.Context(), cr, tc.o)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Put = %v, want %v", err, tc.want)
			}
			if cr.n > tc.maxRead {
				t.Errorf("Put read %d bytes, want at most %d", cr.n, tc.maxRead)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not say %q", err, tc.contains)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error quotes the file's contents: %q", err)
			}
			e.assertEmpty(t)
		})
	}
}

func TestPutAtLimit(t *testing.T) {
	e := newEnv(t, 1000)
	if _, err := e.v.Put(t.Context(), bytes.NewReader(make([]byte, 1000)), PutOptions{DeclaredSize: 1000}); err != nil {
		t.Fatalf("Put of exactly the limit: %v", err)
	}
}

func TestPutReaderFailsOrCancelled(t *testing.T) {
	e := newEnv(t, 0)
	boom := errors.New("connection reset")
	_, err := e.v.Put(t.Context(), io.MultiReader(blobstoretest.Stream(4, 3<<20), errorReader{boom}), PutOptions{})
	if !errors.Is(err, boom) {
		t.Fatalf("Put = %v, want the reader's error", err)
	}
	e.assertEmpty(t)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := e.v.Put(ctx, blobstoretest.Stream(5, 1<<20), PutOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a cancelled context = %v", err)
	}
	e.assertEmpty(t)
}

type errorReader struct{ err error }

func (r errorReader) Read([]byte) (int, error) { return 0, r.err }

func TestPutMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB")
	}
	e := newEnv(t, 0)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := e.v.Put(t.Context(), blobstoretest.Stream(6, 64<<20), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("Put of 64 MiB allocated %d KiB; want a few fixed buffers", alloc>>10)
	}
}

func TestBadHashAndNotFound(t *testing.T) {
	e := newEnv(t, 0)
	ctx := t.Context()
	missing := shaOf([]byte("never stored"))
	for _, sha := range []string{"", "abc", strings.ToUpper(missing), "../" + missing[3:], missing + "0"} {
		if _, _, err := e.v.Open(ctx, sha); !errors.Is(err, ErrBadHash) {
			t.Errorf("Open(%q) = %v, want ErrBadHash", sha, err)
		}
		if err := e.v.Verify(ctx, sha); !errors.Is(err, ErrBadHash) {
			t.Errorf("Verify(%q) = %v, want ErrBadHash", sha, err)
		}
		if Key(sha) != "" {
			t.Errorf("Key(%q) = %q, want \"\"", sha, Key(sha))
		}
	}
	if _, _, err := e.v.Open(ctx, missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open(missing) = %v, want ErrNotFound", err)
	}
	if err := e.v.Verify(ctx, missing); !errors.Is(err, ErrNotFound) {
		t.Errorf("Verify(missing) = %v, want ErrNotFound", err)
	}
}

func TestKey(t *testing.T) {
	sha := shaOf(nil)
	if got, want := Key(sha), "sha256/e3/b0/"+sha; got != want {
		t.Fatalf("Key = %q, want %q", got, want)
	}
	if err := blobstore.CheckKey(Key(sha)); err != nil {
		t.Fatal(err)
	}
}

func TestWalk(t *testing.T) {
	e := newEnv(t, 0)
	want := map[string]int64{}
	for i := range 5 {
		b := blobstoretest.Data(uint64(10+i), 100*i)
		it, err := e.v.Put(t.Context(), bytes.NewReader(b), PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want[it.SHA256] = it.Size
	}
	got := map[string]int64{}
	if err := e.v.Walk(t.Context(), func(sha string, size int64) error { got[sha] = size; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Walk saw %d items, want %d", len(got), len(want))
	}
	for sha, n := range want {
		if got[sha] != n {
			t.Errorf("Walk: %s size %d, want %d", sha, got[sha], n)
		}
	}
}

func TestCorruptBlob(t *testing.T) {
	e := newEnv(t, 0)
	ctx := t.Context()
	data := blobstoretest.Data(7, 50_000)
	it, err := e.v.Put(ctx, bytes.NewReader(data), PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Bit rot, or someone editing the evidence on disk.
	path := e.blobPath(it.SHA256)
	stored, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stored[12345] ^= 0x01
	if err := os.WriteFile(path, stored, 0o600); err != nil {
		t.Fatal(err)
	}
	err = e.v.Verify(ctx, it.SHA256)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), it.SHA256) {
		t.Fatalf("Verify = %v, want ErrCorrupt naming %s", err, it.SHA256)
	}

	// Uploading the good bytes again does not overwrite the stored copy
	// (the store is write-once) but keeps the good copy for the operator.
	_, err = e.v.Put(ctx, bytes.NewReader(data), PutOptions{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Put of the good bytes over a corrupt blob = %v, want ErrCorrupt", err)
	}
	good, rerr := os.ReadFile(filepath.Join(e.staging, repairPrefix+it.SHA256))
	if rerr != nil || !bytes.Equal(good, data) {
		t.Fatalf("good copy not kept for repair (%v); error was %v", rerr, err)
	}
	if n, _ := e.v.Sweep(ctx, 0); n != 0 {
		t.Errorf("Sweep removed %d files; the repair copy must stay", n)
	}
	if _, err := os.Stat(filepath.Join(e.staging, repairPrefix+it.SHA256)); err != nil {
		t.Errorf("repair copy gone after Sweep: %v", err)
	}
}

func TestCleanName(t *testing.T) {
	long := strings.Repeat("ش", 200) // 400 bytes
	for _, tc := range []struct{ in, want string }{
		{"photo.jpg", "photo.jpg"},
		{"صورة القصف ١.jpg", "صورة القصف ١.jpg"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\أحمد\فيديو.mp4`, "فيديو.mp4"},
		{"invoice\u202Egpj.exe", "invoicegpj.exe"},
		{"\u2067name\u2069.png", "name.png"},
		{"a\x00b\nc\x7f.txt", "abc.txt"},
		{"bad\xffutf8", "badutf8"},
		{"  spaced  ", "spaced"},
		{"..", ""},
		{"dir/", ""},
		{"می\u200cخواهم.txt", "می\u200cخواهم.txt"}, // ZWNJ is part of Persian spelling
		{long, strings.Repeat("ش", 127)},
	} {
		if got := cleanName(tc.in); got != tc.want {
			t.Errorf("cleanName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDetectMIME(t *testing.T) {
	ftyp := func(brand string) []byte { return []byte("\x00\x00\x00\x18ftyp" + brand + "\x00\x00\x00\x00mp42isom") }
	for _, tc := range []struct {
		name string
		head []byte
		want string
	}{
		{"empty", nil, "application/octet-stream"},
		{"jpeg", plainJPEG(t, 8, 8), "image/jpeg"},
		{"png", plainPNG(t, 8, 8), "image/png"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "image/gif"},
		{"webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "image/webp"},
		{"mp4 isom", ftyp("isom"), "video/mp4"},
		{"mp4 mp42", ftyp("mp42"), "video/mp4"},
		{"mov", ftyp("qt  "), "video/quicktime"},
		{"m4a", ftyp("M4A "), "audio/mp4"},
		{"heic", ftyp("heic"), "image/heic"},
		{"heif", ftyp("mif1"), "image/heif"},
		{"avif", ftyp("avif"), "image/avif"},
		{"3gp", ftyp("3gp5"), "video/3gpp"},
		{"mp3 id3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), "audio/mpeg"},
		{"mp3 frame", []byte{0xFF, 0xFB, 0x90, 0x64, 0x00}, "audio/mpeg"},
		{"aac adts", []byte{0xFF, 0xF1, 0x50, 0x80, 0x00}, "audio/aac"},
		{"amr", []byte("#!AMR\n"), "audio/amr"},
		{"ogg opus", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead"), "audio/ogg"},
		{"ogg vorbis", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x1e\x01vorbis"), "audio/ogg"},
		{"ogg theora", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x2a\x80theora"), "video/ogg"},
		{"webm", []byte("\x1a\x45\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"), "video/webm"},
		{"wav", wav()[:64], "audio/wave"},
		{"pdf", minimalPDF(), "application/pdf"},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00"), "application/zip"},
		{"html", []byte("<!DOCTYPE html><html>"), "text/html; charset=utf-8"},
		{"arabic text", []byte("بيان صحفي"), "text/plain; charset=utf-8"},
		{"binary", []byte{0x00, 0x01, 0x02, 0x03}, "application/octet-stream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := detectMIME(tc.head); got != tc.want {
				t.Errorf("detectMIME = %q, want %q", got, tc.want)
			}
		})
	}
}

const helperEnv = "TAWTHIQ_VAULT_CRASH_HELPER"

const crashSize = 200 << 20

// TestHelperPut is not a test: TestCrashMidPut runs the test binary with
// it, to be killed with SIGKILL in the middle of a Put.
func TestHelperPut(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("helper process for TestCrashMidPut")
	}
	s, err := blobfs.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	v := New(s, filepath.Join(dir, "staging"), 0)
	_, err = v.Put(t.Context(), &slowReader{blobstoretest.Stream(8, crashSize)}, PutOptions{Name: "long-video.mp4"})
	t.Fatalf("Put returned (%v); it should have been killed first", err)
}

type slowReader struct{ r io.Reader }

func (s *slowReader) Read(p []byte) (int, error) {
	time.Sleep(2 * time.Millisecond)
	return s.r.Read(p[:min(len(p), 1<<20)])
}

func TestCrashMidPut(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPut$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	staging := filepath.Join(dir, "staging")
	partial := waitForFile(t, staging, 16<<20)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no cleanup runs
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("helper ended with %v before it was killed:\n%s", err, out.String())
	}

	s, err := blobfs.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	v := New(s, staging, 0)
	h := sha256.New()
	io.Copy(h, blobstoretest.Stream(8, crashSize))
	full := hex.EncodeToString(h.Sum(nil))
	if _, _, err := v.Open(t.Context(), full); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open of the interrupted upload = %v, want ErrNotFound", err)
	}
	if err := s.List(t.Context(), "", func(k string, _ int64) error {
		t.Errorf("store shows %q after the crash", k)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(partial); err != nil || fi.Size() >= crashSize {
		t.Fatalf("staging file %v (%v): the kill was not mid-way", fi, err)
	}
	if n, err := v.Sweep(t.Context(), 0); err != nil || n != 1 {
		t.Errorf("vault Sweep = %d, %v; want the partial staging file removed", n, err)
	}
	if n, err := s.Sweep(t.Context(), 0); err != nil || n != 0 {
		t.Errorf("store Sweep = %d, %v; the store never saw the upload", n, err)
	}
	if entries, _ := os.ReadDir(staging); len(entries) != 0 {
		t.Errorf("staging folder holds %d files after Sweep", len(entries))
	}
	// The vault works after the crash.
	if _, err := v.Put(t.Context(), strings.NewReader("after"), PutOptions{}); err != nil {
		t.Fatal(err)
	}
}

// waitForFile waits until a file in dir has at least n bytes and returns
// its path.
func waitForFile(t *testing.T, dir string, n int64) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if fi, err := e.Info(); err == nil && fi.Size() >= n {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no file of %d bytes appeared in %s", n, dir)
	return ""
}
