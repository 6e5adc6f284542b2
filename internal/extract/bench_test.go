package extract_test

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/arabic"
	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// corpusTexts reads up to n article texts of the real news corpus beside
// the repository (skipped without it on a developer machine, a failure in
// CI).
func corpusTexts(b *testing.B, n int) []string {
	path := filepath.Join("..", "..", "..", "shared", "data", "corpus", "saudinewsnet.jsonl.gz")
	f, err := os.Open(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			b.Fatalf("CI needs ../shared beside the repository: %v", err)
		}
		b.Skipf("no corpus: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []string
	for sc.Scan() && len(out) < n {
		var a struct{ Content string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			b.Fatal(err)
		}
		out = append(out, a.Content)
	}
	return out
}

// BenchmarkExtract measures extraction throughput on 2,000 real articles,
// one core, beside the analyser alone (arabic.AnalyzeKeepingStops, which
// extraction runs first) on the same text in the same run.
func BenchmarkExtract(b *testing.B) {
	texts := corpusTexts(b, 2000)
	var size int64
	for _, t := range texts {
		size += int64(len(t))
	}
	vs, err := vocab.Load()
	if err != nil {
		b.Fatal(err)
	}
	x := extract.New(vs)
	pub := time.Date(2015, 7, 20, 0, 0, 0, 0, time.UTC)
	b.SetBytes(size)
	b.ResetTimer()
	var ext, ref time.Duration
	facts := 0
	for range b.N {
		t0 := time.Now()
		for _, t := range texts {
			facts += len(x.Extract(t, pub).Facts)
		}
		ext += time.Since(t0)
		t0 = time.Now()
		for _, t := range texts {
			_ = arabic.AnalyzeKeepingStops(t)
		}
		ref += time.Since(t0)
	}
	mb := float64(size) * float64(b.N) / 1e6
	b.ReportMetric(mb/ext.Seconds(), "extract_MB/s")
	b.ReportMetric(mb/ref.Seconds(), "analyse_MB/s")
	b.ReportMetric(ref.Seconds()/ext.Seconds(), "extract/analyse_speed")
	b.ReportMetric(float64(facts)/float64(len(texts)*b.N), "facts/article")
}
