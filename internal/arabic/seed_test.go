package arabic

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The real reports are kept outside the repository (../shared beside it).
const (
	seedGlob   = "../../../shared/data/seeds/*.txt"
	corpusPath = "../../../shared/data/corpus/saudinewsnet.jsonl.gz"
)

// need skips the test when shared data is missing on a developer machine,
// and fails it in CI.
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

// seedTexts reads the real Raqqa reports, by file name.
func seedTexts(tb testing.TB) map[string]string {
	tb.Helper()
	files, err := filepath.Glob(seedGlob)
	if err == nil && len(files) == 0 {
		_, err = os.Stat(filepath.Dir(seedGlob))
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

// checkAll runs every reader over s and checks their invariants.
func checkAll(t *testing.T, s string, ref time.Time) {
	t.Helper()
	n := Normalize(s)
	checkOffsets(t, s, n)
	if Normalize(n.Text).Text != n.Text {
		t.Errorf("Normalize is not idempotent")
	}
	checkTokens(t, s, Tokens(s))
	for _, term := range Analyze(s) {
		if term.Start < 0 || term.End <= term.Start || term.End > len(s) {
			t.Fatalf("term %+v: bad span", term)
		}
	}
	for _, num := range Numbers(s) {
		checkNumber(t, s, num)
	}
	for _, d := range Dates(s, ref) {
		checkDate(t, s, d)
	}
}

func TestSeeds(t *testing.T) {
	texts := seedTexts(t)
	ref := time.Date(2017, 6, 28, 12, 0, 0, 0, testRef.Location())
	var numbers []Number
	var dates []Date
	for name, s := range texts {
		t.Run(name, func(t *testing.T) {
			checkAll(t, s, ref)
			if lang := Language(s); lang != "ar" {
				t.Errorf("Language = %q, want ar", lang)
			}
			numbers = append(numbers, Numbers(s)...)
			dates = append(dates, Dates(s, ref)...)
		})
	}
	t.Run("more than 70 civilians", func(t *testing.T) {
		for _, n := range numbers {
			if n.Qualifier == QualifierMoreThan && n.Min == 71 && n.Max == Unbounded && n.Noun == "مدني" {
				return
			}
		}
		t.Errorf("no more_than 71 مدني among %+v", numbers)
	})
	day := func(d int) time.Time { return time.Date(2017, 6, d, 0, 0, 0, 0, ref.Location()) }
	t.Run("25 of this month", func(t *testing.T) {
		for _, d := range dates {
			if d.Text == "25 الشهر الجاري" && d.From.Equal(day(25)) && d.To.Equal(day(25)) && d.Precision == PrecisionDay {
				return
			}
		}
		t.Errorf("no 2017-06-25 among %+v", dates)
	})
	t.Run("the past two days", func(t *testing.T) {
		for _, d := range dates {
			if d.Text == "اليومين الماضيين" && d.From.Equal(day(27)) && d.To.Equal(day(28)) && d.Precision == PrecisionDays {
				return
			}
		}
		t.Errorf("no two-day range among %+v", dates)
	})
}

// TestCorpus runs every reader over the first articles of SaudiNewsNet, real
// Arabic news: no panic, every span valid.
func TestCorpus(t *testing.T) {
	f, err := os.Open(corpusPath)
	need(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	ref := time.Date(2015, 8, 1, 0, 0, 0, 0, testRef.Location())
	for n := 0; n < 300 && sc.Scan(); n++ {
		var item struct{ Title, Content string }
		if err := json.Unmarshal(sc.Bytes(), &item); err != nil {
			t.Fatal(err)
		}
		checkAll(t, item.Title+"\n"+item.Content, ref)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
