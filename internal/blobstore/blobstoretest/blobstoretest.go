// Package blobstoretest is the test suite every blobstore.Store
// implementation runs: call Run from the implementation's own test with a
// function that returns a new, empty store.
package blobstoretest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"

	"github.com/tawthiq/tawthiq/internal/blobstore"
)

// LargeSize is the size of the object the suite streams through Put and Get.
// It is larger than any buffer a Store may reasonably keep in memory.
const LargeSize = 64 << 20

// Run runs the suite. newStore must return a new, empty store each time;
// the subtests do not share stores.
func Run(t *testing.T, newStore func(t *testing.T) blobstore.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blobstore.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"Large", testLarge},
		{"IdempotentPut", testIdempotent},
		{"RefuseOverwrite", testRefuseOverwrite},
		{"BadKeys", testBadKeys},
		{"NotFound", testNotFound},
		{"ListPrefix", testList},
		{"ListStops", testListStops},
		{"ConcurrentSameBytes", testConcurrentSame},
		{"ConcurrentDifferentBytes", testConcurrentDifferent},
		{"ReaderErrorStoresNothing", testReaderError},
		{"CancelStoresNothing", testCancel},
		{"InvisibleUntilComplete", testInvisibleUntilComplete},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
	t.Run("PutFile", func(t *testing.T) {
		s := newStore(t)
		fp, ok := s.(blobstore.FilePutter)
		if !ok {
			t.Skip("store is not a FilePutter")
		}
		RunPutFile(t, s, fp, t.TempDir())
	})
}

// RunPutFile checks a FilePutter with source files written in dir. Run
// calls it with a temporary folder; an implementation can call it again
// with a folder on another filesystem, to test its fallback.
func RunPutFile(t *testing.T, s blobstore.Store, fp blobstore.FilePutter, dir string) {
	ctx := t.Context()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := Data(9, 1<<20)
	src := write("a", want)
	if err := fp.PutFile(ctx, "file/a", src); err != nil {
		t.Fatalf("PutFile: %v", err)
	}
	if err := os.Remove(src); err != nil { // the caller may drop its name
		t.Fatal(err)
	}
	if got := get(t, s, "file/a"); !bytes.Equal(got, want) {
		t.Fatal("stored bytes differ from the file's")
	}
	if err := fp.PutFile(ctx, "file/a", write("same", want)); err != nil {
		t.Errorf("PutFile of the same bytes: %v", err)
	}
	if err := fp.PutFile(ctx, "file/a", write("other", flip(want, 7))); !errors.Is(err, blobstore.ErrExists) {
		t.Errorf("PutFile of different bytes = %v, want ErrExists", err)
	}
	if got := get(t, s, "file/a"); !bytes.Equal(got, want) {
		t.Fatal("the original bytes were overwritten")
	}
	if err := fp.PutFile(ctx, "../escape", write("bad", want)); !errors.Is(err, blobstore.ErrBadKey) {
		t.Errorf("PutFile with a bad key = %v, want ErrBadKey", err)
	}
	if err := fp.PutFile(ctx, "file/missing", filepath.Join(dir, "missing")); err == nil {
		t.Error("PutFile of a missing file succeeded")
	}
	if got := listAll(t, s, ""); len(got) != 1 {
		t.Errorf("List = %v, want only file/a", keys(got))
	}
}

// Data returns n deterministic pseudo-random bytes for seed.
func Data(seed uint64, n int) []byte {
	b, _ := io.ReadAll(Stream(seed, int64(n))) // a ChaCha8 stream cannot fail
	return b
}

// Stream returns a reader of n deterministic pseudo-random bytes for seed,
// generated as it is read: nothing is held in memory.
func Stream(seed uint64, n int64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return io.LimitReader(rand.NewChaCha8(s), n)
}

func put(t *testing.T, s blobstore.Store, key string, b []byte) {
	t.Helper()
	if err := s.Put(t.Context(), key, bytes.NewReader(b)); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func get(t *testing.T, s blobstore.Store, key string) []byte {
	t.Helper()
	rc, err := s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q): read: %v", key, err)
	}
	return b
}

func listAll(t *testing.T, s blobstore.Store, prefix string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	err := s.List(t.Context(), prefix, func(key string, size int64) error {
		if _, dup := got[key]; dup {
			return fmt.Errorf("key %q listed twice", key)
		}
		got[key] = size
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return got
}

func assertAbsent(t *testing.T, s blobstore.Store, key string) {
	t.Helper()
	if _, err := s.Get(t.Context(), key); !errors.Is(err, blobstore.ErrNotFound) {
		t.Errorf("Get(%q) = %v, want ErrNotFound", key, err)
	}
	if _, err := s.Stat(t.Context(), key); !errors.Is(err, blobstore.ErrNotFound) {
		t.Errorf("Stat(%q) = %v, want ErrNotFound", key, err)
	}
	if got := listAll(t, s, ""); len(got) != 0 {
		t.Errorf("List(\"\") = %v, want nothing", keys(got))
	}
}

func keys(m map[string]int64) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func testRoundTrip(t *testing.T, s blobstore.Store) {
	for _, size := range []int{0, 1, 4095, 1<<20 + 3} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			key := fmt.Sprintf("round/trip-%d.bin", size)
			want := Data(uint64(size), size)
			put(t, s, key, want)
			if got := get(t, s, key); !bytes.Equal(got, want) {
				t.Fatalf("Get returned %d bytes that differ from the %d put", len(got), len(want))
			}
			n, err := s.Stat(t.Context(), key)
			if err != nil || n != int64(size) {
				t.Fatalf("Stat = %d, %v; want %d", n, err, size)
			}
		})
	}
}

func testLarge(t *testing.T, s blobstore.Store) {
	const key = "large/object"
	want := sha256.New()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := s.Put(t.Context(), key, io.TeeReader(Stream(7, LargeSize), want)); err != nil {
		t.Fatalf("Put: %v", err)
	}
	runtime.ReadMemStats(&after)
	// A Store that buffered the object would allocate at least its size.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > LargeSize/2 {
		t.Errorf("Put of %d MiB allocated %d MiB: the object must be streamed, not buffered", LargeSize>>20, alloc>>20)
	}
	n, err := s.Stat(t.Context(), key)
	if err != nil || n != LargeSize {
		t.Fatalf("Stat = %d, %v; want %d", n, err, LargeSize)
	}
	rc, err := s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	defer rc.Close()
	got := sha256.New()
	if n, err := io.Copy(got, rc); err != nil || n != LargeSize {
		t.Fatalf("read back %d bytes, %v; want %d", n, err, LargeSize)
	}
	if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Fatal("read-back bytes differ from the bytes put")
	}
}

func testIdempotent(t *testing.T, s blobstore.Store) {
	const key = "same/twice"
	b := Data(1, 100_000)
	put(t, s, key, b)
	put(t, s, key, b)
	if got := get(t, s, key); !bytes.Equal(got, b) {
		t.Fatal("content changed after putting the same bytes again")
	}
	if got := listAll(t, s, ""); len(got) != 1 || got[key] != int64(len(b)) {
		t.Fatalf("List = %v, want just %q", got, key)
	}
}

func testRefuseOverwrite(t *testing.T, s blobstore.Store) {
	const key = "write/once"
	orig := Data(2, 10_000)
	put(t, s, key, orig)
	others := map[string][]byte{
		"different":    Data(3, 10_000),
		"shorter":      orig[:len(orig)-1],
		"longer":       append(append([]byte{}, orig...), 0),
		"empty":        {},
		"one-bit-flip": flip(orig, 5000),
	}
	for name, b := range others {
		t.Run(name, func(t *testing.T) {
			err := s.Put(t.Context(), key, bytes.NewReader(b))
			if !errors.Is(err, blobstore.ErrExists) {
				t.Fatalf("Put of %s bytes = %v, want ErrExists", name, err)
			}
			if got := get(t, s, key); !bytes.Equal(got, orig) {
				t.Fatal("the original bytes were overwritten")
			}
		})
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte{}, b...)
	c[i] ^= 1
	return c
}

func testBadKeys(t *testing.T, s blobstore.Store) {
	bad := []string{
		"", "/abs", "abs/", "a//b", "..", "../x", "a/../b", "a/..", "a..b", ".", "./a", "a/./b",
		".hidden", "a/.tmp", "A", "a b", `a\b`, "a:b", "a\x00b", "a%2f..", "ü", "a\nb",
		string(bytes.Repeat([]byte("a"), blobstore.MaxKeyLen+1)),
	}
	ctx := t.Context()
	for _, key := range bad {
		t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
			if err := s.Put(ctx, key, bytes.NewReader([]byte("x"))); !errors.Is(err, blobstore.ErrBadKey) {
				t.Errorf("Put = %v, want ErrBadKey", err)
			}
			if _, err := s.Get(ctx, key); !errors.Is(err, blobstore.ErrBadKey) {
				t.Errorf("Get = %v, want ErrBadKey", err)
			}
			if _, err := s.Stat(ctx, key); !errors.Is(err, blobstore.ErrBadKey) {
				t.Errorf("Stat = %v, want ErrBadKey", err)
			}
		})
	}
	for _, prefix := range []string{"/", "../", "a/../", "A", ".tmp/", "a//", "a\\"} {
		err := s.List(ctx, prefix, func(string, int64) error { return nil })
		if !errors.Is(err, blobstore.ErrBadKey) {
			t.Errorf("List(%q) = %v, want ErrBadKey", prefix, err)
		}
	}
	if got := listAll(t, s, ""); len(got) != 0 {
		t.Errorf("bad keys stored something: %v", keys(got))
	}
}

func testNotFound(t *testing.T, s blobstore.Store) {
	assertAbsent(t, s, "missing/key")
	put(t, s, "a/b/c", []byte("x"))
	for _, key := range []string{"a", "a/b", "a/b/c/d", "a/b/cc", "a/b/x"} {
		if _, err := s.Get(t.Context(), key); !errors.Is(err, blobstore.ErrNotFound) {
			t.Errorf("Get(%q) = %v, want ErrNotFound", key, err)
		}
		if _, err := s.Stat(t.Context(), key); !errors.Is(err, blobstore.ErrNotFound) {
			t.Errorf("Stat(%q) = %v, want ErrNotFound", key, err)
		}
	}
}

func testList(t *testing.T, s blobstore.Store) {
	all := map[string]int64{
		"sha256/ab/cd/k1": 1,
		"sha256/ab/ce/k2": 2,
		"sha256/ac/k3":    3,
		"sha2560":         4,
		"other/k5":        5,
		"k6":              6,
	}
	for k, n := range all {
		put(t, s, k, Data(uint64(n), int(n)))
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", keys(all)},
		{"sha256/", []string{"sha256/ab/cd/k1", "sha256/ab/ce/k2", "sha256/ac/k3"}},
		{"sha256", []string{"sha256/ab/cd/k1", "sha256/ab/ce/k2", "sha256/ac/k3", "sha2560"}},
		{"sha256/a", []string{"sha256/ab/cd/k1", "sha256/ab/ce/k2", "sha256/ac/k3"}},
		{"sha256/ab", []string{"sha256/ab/cd/k1", "sha256/ab/ce/k2"}},
		{"sha256/ab/", []string{"sha256/ab/cd/k1", "sha256/ab/ce/k2"}},
		{"sha256/ab/cd/k1", []string{"sha256/ab/cd/k1"}},
		{"sha256/ab/cd/k1/", nil},
		{"k", []string{"k6"}},
		{"nothing/", nil},
		{"nothing", nil},
	}
	for _, tc := range tests {
		got := listAll(t, s, tc.prefix)
		if fmt.Sprint(keys(got)) != fmt.Sprint(tc.want) {
			t.Errorf("List(%q) = %v, want %v", tc.prefix, keys(got), tc.want)
		}
		for k, n := range got {
			if n != all[k] {
				t.Errorf("List(%q): %s size %d, want %d", tc.prefix, k, n, all[k])
			}
		}
	}
}

func testListStops(t *testing.T, s blobstore.Store) {
	for i := range 5 {
		put(t, s, fmt.Sprintf("stop/k%d", i), []byte{byte(i)})
	}
	stop := errors.New("stop here")
	calls := 0
	err := s.List(t.Context(), "", func(string, int64) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("List = %v after %d calls; want fn's error after 1 call", err, calls)
	}
}

func testConcurrentSame(t *testing.T, s blobstore.Store) {
	const key = "race/same"
	b := Data(4, 1<<20)
	errs := parallel(8, func(int) error { return s.Put(t.Context(), key, bytes.NewReader(b)) })
	for i, err := range errs {
		if err != nil {
			t.Errorf("Put #%d: %v", i, err)
		}
	}
	if got := get(t, s, key); !bytes.Equal(got, b) {
		t.Fatal("stored bytes differ from the bytes put")
	}
}

func testConcurrentDifferent(t *testing.T, s blobstore.Store) {
	const key = "race/different"
	const n = 8
	data := make([][]byte, n)
	for i := range data {
		data[i] = Data(uint64(100+i), 1<<20)
	}
	errs := parallel(n, func(i int) error { return s.Put(t.Context(), key, bytes.NewReader(data[i])) })
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("Puts #%d and #%d of different bytes both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, blobstore.ErrExists):
			t.Errorf("Put #%d = %v, want nil or ErrExists", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no Put succeeded")
	}
	if got := get(t, s, key); !bytes.Equal(got, data[winner]) {
		t.Fatal("stored bytes are not the successful Put's bytes")
	}
}

func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// failingReader yields n bytes, then fails with err.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func testReaderError(t *testing.T, s blobstore.Store) {
	const key = "broken/upload"
	boom := errors.New("connection reset")
	r := &failingReader{r: Stream(5, 3<<20), err: boom}
	if err := s.Put(t.Context(), key, r); !errors.Is(err, boom) {
		t.Fatalf("Put = %v, want the reader's error", err)
	}
	assertAbsent(t, s, key)
	// The failed Put must not block a later good one.
	put(t, s, key, []byte("good"))
}

func testCancel(t *testing.T, s blobstore.Store) {
	const key = "cancelled/upload"
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r := &hookReader{r: Stream(6, 8<<20), after: 1 << 20, hook: cancel}
	if err := s.Put(ctx, key, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want context.Canceled", err)
	}
	assertAbsent(t, s, key)
}

// hookReader calls hook once, after yielding at least after bytes.
type hookReader struct {
	r     io.Reader
	after int64
	n     int64
	hook  func()
}

func (h *hookReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.n += int64(n)
	if h.hook != nil && h.n >= h.after {
		h.hook()
		h.hook = nil
	}
	return n, err
}

func testInvisibleUntilComplete(t *testing.T, s blobstore.Store) {
	const key = "slow/upload"
	want := Data(8, 4<<20)
	halfway := make(chan struct{})
	release := make(chan struct{})
	pr, pw := io.Pipe()
	go func() {
		pw.Write(want[:len(want)/2])
		close(halfway)
		<-release
		pw.Write(want[len(want)/2:])
		pw.Close()
	}()
	done := make(chan error, 1)
	go func() { done <- s.Put(t.Context(), key, pr) }()
	<-halfway
	assertAbsent(t, s, key)
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Put: %v", err)
	}
	if got := get(t, s, key); !bytes.Equal(got, want) {
		t.Fatal("stored bytes differ")
	}
}
