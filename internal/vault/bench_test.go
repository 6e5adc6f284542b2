package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/blobstore/blobstoretest"
	blobfs "github.com/tawthiq/tawthiq/internal/blobstore/fs"
)

// benchSize reads TAWTHIQ_BENCH_SIZE: bytes, or a number with K, M or G
// (binary units). The default is 2 GiB, the size the issue names.
func benchSize(b *testing.B) int64 {
	s := strings.ToUpper(strings.TrimSpace(os.Getenv("TAWTHIQ_BENCH_SIZE")))
	if s == "" {
		return 2 << 30
	}
	shift := 0
	switch {
	case strings.HasSuffix(s, "K"):
		shift = 10
	case strings.HasSuffix(s, "M"):
		shift = 20
	case strings.HasSuffix(s, "G"):
		shift = 30
	}
	if shift > 0 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		b.Fatalf("TAWTHIQ_BENCH_SIZE=%q: want bytes or a number with K, M or G", os.Getenv("TAWTHIQ_BENCH_SIZE"))
	}
	return n << shift
}

// BenchmarkVaultPut streams a generated file through Vault.Put (over the
// fs store, on the same disk) and, in the same run, hashes the same file
// with sha256sum (or crypto/sha256 without it) as the reference. It
// reports MB/s of each, their ratio, the peak heap in use during Put and
// what Put allocated.
//
//	TAWTHIQ_BENCH_SIZE=2G go test -run '^$' -bench VaultPut -benchtime 1x ./internal/vault/
func BenchmarkVaultPut(b *testing.B) {
	size := benchSize(b)
	dir := b.TempDir()
	src := filepath.Join(dir, "source.bin")
	writeSource(b, src, size)
	ref, refName := referenceHasher()

	var putTime, refTime time.Duration
	var peakHeap, maxAlloc uint64
	runs := 0
	b.SetBytes(size)
	for b.Loop() {
		root := filepath.Join(dir, fmt.Sprint("run", runs))
		s, err := blobfs.New(filepath.Join(root, "blobs"))
		if err != nil {
			b.Fatal(err)
		}
		v := New(s, filepath.Join(root, "staging"), 0)
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		stop := sampleHeap()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		it, err := v.Put(b.Context(), f, PutOptions{Name: "source.bin"})
		putTime += time.Since(start)
		peak, after := stop()
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		peakHeap = max(peakHeap, peak)
		maxAlloc = max(maxAlloc, after.TotalAlloc-before.TotalAlloc)

		start = time.Now()
		sum := ref(b, src)
		refTime += time.Since(start)
		if sum != it.SHA256 {
			b.Fatalf("Put hashed %s, %s says %s", it.SHA256, refName, sum)
		}
		os.RemoveAll(root)
		runs++
	}
	mb := float64(size) * float64(runs) / 1e6
	b.ReportMetric(mb/putTime.Seconds(), "put-MB/s")
	b.ReportMetric(mb/refTime.Seconds(), refName+"-MB/s")
	b.ReportMetric(refTime.Seconds()/putTime.Seconds(), "put/ref")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(maxAlloc)/(1<<20), "alloc-MiB/put")
}

func writeSource(b *testing.B, path string, size int64) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, blobstoretest.Stream(42, size)); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
}

// referenceHasher returns sha256sum if installed, else crypto/sha256.
func referenceHasher() (func(b *testing.B, path string) string, string) {
	if bin, err := exec.LookPath("sha256sum"); err == nil {
		return func(b *testing.B, path string) string {
			out, err := exec.Command(bin, path).Output()
			if err != nil {
				b.Fatal(err)
			}
			return strings.Fields(string(out))[0]
		}, "sha256sum"
	}
	return func(b *testing.B, path string) string {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			b.Fatal(err)
		}
		return hex.EncodeToString(h.Sum(nil))
	}, "crypto-sha256"
}

// sampleHeap samples HeapInuse every 10 ms until the returned function is
// called, which returns the peak and a final reading.
func sampleHeap() func() (uint64, runtime.MemStats) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() (uint64, runtime.MemStats) {
		close(done)
		wg.Wait()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return max(peak, m.HeapInuse), m
	}
}
