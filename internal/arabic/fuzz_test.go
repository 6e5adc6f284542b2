package arabic

import (
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzSeeds are the starting inputs of every fuzz test: the hard cases of
// the table tests.
var fuzzSeeds = []string{
	"قَصْفٌ جَوِّيٌّ على الرقة",
	"\u202Bالرقة\u202C \u200Fحلب\u200E",
	"\uFE8D\uFEDF\uFEAE\uFED8\uFE94 \uFEFB \uFDFA \uFC5E",
	"F-16 Su-24 2017م ١٬٢٠٠ ٣٫٥ 250-300 5/6/2017 05.06.2017",
	"ما لا يقل عن ١٢ مدنياً وأكثر من 70 وعشرات الآلاف وقتيلين",
	"ثلاثة وعشرين مئة وخمسون ثلاثمئة ألف ومئتان 3 الأف",
	"في 25 من الشهر الماضي و25 الشهر الجاري واليومين الماضيين يوم الثلاثاء",
	"5 حزيران/يونيو 2017 كانون الثاني تشرين أول 2016 26 بريل /نيسان",
	"at least 12 killed, two hundred and fifty, June 5, 2017, last week",
	"a\xffb\xe2\x80 و و و 1,2,3 ..--// ٪%",
	"",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		checkOffsets(t, s, n)
		if again := Normalize(n.Text); again.Text != n.Text {
			t.Fatalf("not idempotent: %q → %q → %q", s, n.Text, again.Text)
		}
		if !utf8.ValidString(n.Text) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
	})
}

func FuzzTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkTokens(t, s, Tokens(s))
		pos := -1
		for _, term := range Analyze(s) {
			if term.Position <= pos || term.Start < 0 || term.End > len(s) || term.End <= term.Start {
				t.Fatalf("term %+v after position %d in %d bytes", term, pos, len(s))
			}
			pos = term.Position
		}
	})
}

func FuzzNumbers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		end := 0
		for _, n := range Numbers(s) {
			checkNumber(t, s, n)
			if n.Start < end {
				t.Fatalf("number %+v overlaps the one before (ends at %d)", n, end)
			}
			end = n.End
		}
	})
}

func FuzzDates(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, days int64) {
		ref := testRef.AddDate(0, 0, int(days%100000))
		end := 0
		for _, d := range Dates(s, ref) {
			if d.Start < end || d.End <= d.Start || d.End > len(s) || s[d.Start:d.End] != d.Text {
				t.Fatalf("date %+v: bad span after %d in %d bytes", d, end, len(s))
			}
			if d.To.Before(d.From) {
				t.Fatalf("date %+v: To before From", d)
			}
			end = d.End
		}
	})
}

// TestDatesZeroRef checks that a zero ref does not break anything.
func TestDatesZeroRef(t *testing.T) {
	for _, s := range fuzzSeeds {
		for _, d := range Dates(s, time.Time{}) {
			if s[d.Start:d.End] != d.Text {
				t.Errorf("bad span %+v", d)
			}
		}
	}
}
