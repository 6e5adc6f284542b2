package places

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// seedGlob is where the real reports are: ../shared beside the repository.
const seedGlob = "../../../shared/data/seeds/*.txt"

// need skips a test when shared data is missing on a developer machine, and
// fails it in CI.
func need(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		tb.Fatal(err)
	}
	tb.Skip(err)
}

// seeds reads the real Raqqa reports, by file name.
func seeds(tb testing.TB) map[string]string {
	tb.Helper()
	files, err := filepath.Glob(seedGlob)
	if err == nil && len(files) == 0 {
		_, err = os.Stat(filepath.Dir(seedGlob))
		if err == nil {
			err = os.ErrNotExist
		}
	}
	need(tb, err)
	texts := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		texts[filepath.Base(f)] = string(b)
	}
	return texts
}

// seedCorpus joins the seed reports in a fixed order.
func seedCorpus(tb testing.TB) string {
	texts := seeds(tb)
	names := make([]string, 0, len(texts))
	for n := range texts {
		names = append(names, n)
	}
	sort.Strings(names)
	var sb strings.Builder
	for _, n := range names {
		sb.WriteString(texts[n])
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// BenchmarkFind finds the places of the seed reports. Beside MB/s it
// reports x_normalize: how many times slower Find is than arabic.Normalize
// alone over the same text, timed in the same run (Find normalises the
// text once, so this is the cost of the matching on top).
func BenchmarkFind(b *testing.B) {
	s := seedCorpus(b)
	Find("") // load the gazetteer outside the timing
	b.Run("Find", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			Find(s)
		}
		find := time.Since(start)
		start = time.Now()
		for range b.N {
			arabic.Normalize(s)
		}
		b.ReportMetric(float64(find)/float64(time.Since(start)), "x_normalize")
	})
	b.Run("Normalize", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		b.ReportAllocs()
		for b.Loop() {
			arabic.Normalize(s)
		}
	})
	b.Run("Resolve", func(b *testing.B) {
		ms := Find(s)
		b.ReportAllocs()
		for b.Loop() {
			Resolve(ms)
		}
	})
}
