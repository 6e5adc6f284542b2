package fs

import (
	"bytes"
	"errors"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/blobstore"
	"github.com/tawthiq/tawthiq/internal/blobstore/blobstoretest"
)

var (
	_ blobstore.Store      = (*Store)(nil)
	_ blobstore.FilePutter = (*Store)(nil)
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := New(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSuite(t *testing.T) {
	blobstoretest.Run(t, func(t *testing.T) blobstore.Store { return newStore(t) })
}

// TestPutFileOtherFilesystem checks that PutFile copies when it cannot
// link (the source on tmpfs, the store on disk).
func TestPutFileOtherFilesystem(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "tawthiq-*")
	if err != nil {
		t.Skip("no /dev/shm")
	}
	t.Cleanup(func() { os.RemoveAll(shm) })
	s := newStore(t)
	blobstoretest.RunPutFile(t, s, s, shm)
}

func TestPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX modes")
	}
	s := newStore(t)
	if err := s.Put(t.Context(), "a/b/c", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(s.Root(), func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := iofs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBadKeysStayInside checks that no key, accepted or not, writes
// outside the root.
func TestBadKeysStayInside(t *testing.T) {
	parent := t.TempDir()
	s, err := New(filepath.Join(parent, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"../escape", "a/../../escape", "/tmp/escape", "..", "a/./../escape"} {
		s.Put(t.Context(), key, strings.NewReader("x"))
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "blobs" {
		t.Fatalf("parent folder holds %v, want only blobs/", entries)
	}
}

func TestTempFilesInvisibleAndSwept(t *testing.T) {
	s := newStore(t)
	// What a crash in the middle of Put leaves behind.
	stale := filepath.Join(s.Root(), tmpDir, tmpPrefix+"123")
	if err := os.WriteFile(stale, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(s.Root(), tmpDir, tmpPrefix+"456")
	if err := os.WriteFile(fresh, []byte("in progress"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.List(t.Context(), "", func(k string, _ int64) error {
		t.Errorf("List shows %q", k)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Sweep(t.Context(), time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 removed", n, err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, iofs.ErrNotExist) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("Sweep removed a temp file younger than the cutoff: %v", err)
	}
}

func TestNoTempLeftAfterPut(t *testing.T) {
	s := newStore(t)
	ctx := t.Context()
	s.Put(ctx, "k", strings.NewReader("one"))
	s.Put(ctx, "k", strings.NewReader("one"))
	s.Put(ctx, "k", strings.NewReader("two"))
	s.Put(ctx, "j", io.MultiReader(strings.NewReader("x"), errReader{}))
	entries, err := os.ReadDir(filepath.Join(s.Root(), tmpDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("temp folder holds %d files after Puts returned", len(entries))
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

const helperEnv = "TAWTHIQ_FS_CRASH_HELPER"

// TestHelperSlowPut is not a test: TestCrashMidPut runs the test binary
// with it, to be killed in the middle of a Put.
func TestHelperSlowPut(t *testing.T) {
	root := os.Getenv(helperEnv)
	if root == "" {
		t.Skip("helper process for TestCrashMidPut")
	}
	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Put(t.Context(), "crash/key", &slowReader{r: blobstoretest.Stream(1, 200<<20)})
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
	root := filepath.Join(t.TempDir(), "blobs")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSlowPut$")
	cmd.Env = append(os.Environ(), helperEnv+"="+root)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForTemp(t, filepath.Join(root, tmpDir), 8<<20)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("helper ended with %v before it was killed:\n%s", err, out.String())
	}

	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(t.Context(), "crash/key"); !errors.Is(err, blobstore.ErrNotFound) {
		t.Errorf("Get after crash = %v, want ErrNotFound", err)
	}
	if err := s.List(t.Context(), "", func(k string, _ int64) error {
		t.Errorf("List after crash shows %q", k)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Sweep(t.Context(), 0); err != nil || n != 1 {
		t.Errorf("Sweep = %d, %v; want the one partial temp file removed", n, err)
	}
	// The store still works.
	if err := s.Put(t.Context(), "crash/key", strings.NewReader("after")); err != nil {
		t.Fatal(err)
	}
}

// waitForTemp waits until a temp file in dir has at least n bytes.
func waitForTemp(t *testing.T, dir string, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if fi, err := e.Info(); err == nil && fi.Size() >= n {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no temp file of %d bytes appeared in %s", n, dir)
}
