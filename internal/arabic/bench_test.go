package arabic

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// seedCorpus joins the seed texts in a fixed order.
func seedCorpus(b *testing.B) string {
	texts := seedTexts(b)
	names := make([]string, 0, len(texts))
	for name := range texts {
		names = append(names, name)
	}
	sort.Strings(names)
	var sb strings.Builder
	for _, name := range names {
		sb.WriteString(texts[name])
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// reference is the cheapest analysis one could do: split at spaces and
// lower-case. It is what BenchmarkAnalyze compares itself with.
func reference(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		n += len(strings.ToLower(f))
	}
	return n
}

// BenchmarkAnalyze analyses the seed reports. Beside MB/s it reports
// x_reference: how many times slower Analyze is than strings.Fields plus
// strings.ToLower over the same text, timed in the same run.
func BenchmarkAnalyze(b *testing.B) {
	s := seedCorpus(b)
	b.Run("Analyze", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			Analyze(s)
		}
		analyze := time.Since(start)
		start = time.Now()
		for range b.N {
			reference(s)
		}
		b.ReportMetric(float64(analyze)/float64(time.Since(start)), "x_reference")
	})
	b.Run("Reference", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			reference(s)
		}
	})
}

func BenchmarkNormalize(b *testing.B) { benchSeeds(b, func(s string) { Normalize(s) }) }
func BenchmarkTokens(b *testing.B)    { benchSeeds(b, func(s string) { Tokens(s) }) }
func BenchmarkNumbers(b *testing.B)   { benchSeeds(b, func(s string) { Numbers(s) }) }
func BenchmarkDates(b *testing.B)     { benchSeeds(b, func(s string) { Dates(s, testRef) }) }

func benchSeeds(b *testing.B, fn func(string)) {
	s := seedCorpus(b)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		fn(s)
	}
}
