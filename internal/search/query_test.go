package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, q  string
		groups   [][]string
		excluded []string
		ignored  []string
	}{
		{"empty", "", nil, nil, nil},
		{"blank", " \t\n ", nil, nil, nil},
		{"one word", "قصف", [][]string{{"قصف"}}, nil, nil},
		{"words are ANDed", "قصف مدني", [][]string{{"قصف"}, {"مدني"}}, nil, nil},
		{"words as typed", "والأطفالُ ٧٠", [][]string{{"والأطفالُ"}, {"٧٠"}}, nil, nil},
		{"phrase", `"قصف مدفعي" الرقة`, [][]string{{"قصف مدفعي"}, {"الرقة"}}, nil, nil},
		{"phrase trimmed", `"  قصف مدفعي "`, [][]string{{"قصف مدفعي"}}, nil, nil},
		{"phrase glued to a word", `غارة"قصف مدفعي"`, [][]string{{"غارة"}, {"قصف مدفعي"}}, nil, nil},
		{"guillemets", "«قصف مدفعي» حلب", [][]string{{"قصف مدفعي"}, {"حلب"}}, nil, nil},
		{"curly quotes", "“قصف مدفعي” حلب", [][]string{{"قصف مدفعي"}, {"حلب"}}, nil, nil},
		{"empty phrase", `"" قصف`, [][]string{{"قصف"}}, nil, nil},
		{"exclusion", "قصف -مدفعي", [][]string{{"قصف"}}, []string{"مدفعي"}, nil},
		{"excluded phrase", `قصف -"قصف مدفعي"`, [][]string{{"قصف"}}, []string{"قصف مدفعي"}, nil},
		{"excluded guillemets", "قصف -«قصف مدفعي»", [][]string{{"قصف"}}, []string{"قصف مدفعي"}, nil},
		{"exclusion first", "-مدفعي قصف", [][]string{{"قصف"}}, []string{"مدفعي"}, nil},
		{"dash inside a word", "F-16 Raqqa", [][]string{{"F-16"}, {"Raqqa"}}, nil, nil},
		{"lone dash is ignored", "قصف - مدفعي", [][]string{{"قصف"}, {"مدفعي"}}, nil, []string{"-"}},
		{"trailing dash", "قصف -", [][]string{{"قصف"}}, nil, []string{"-"}},
		{"OR", "قصف OR غارة", [][]string{{"قصف", "غارة"}}, nil, nil},
		{"OR of three", "قصف OR غارة OR تفجير", [][]string{{"قصف", "غارة", "تفجير"}}, nil, nil},
		{"OR then AND", "قصف OR غارة الرقة", [][]string{{"قصف", "غارة"}, {"الرقة"}}, nil, nil},
		{"AND then OR", "الرقة قصف OR غارة", [][]string{{"الرقة"}, {"قصف", "غارة"}}, nil, nil},
		{"OR of phrases", `"قصف مدفعي" OR «غارة جوية»`, [][]string{{"قصف مدفعي", "غارة جوية"}}, nil, nil},
		{"OR with an exclusion after", "قصف OR غارة -حلب", [][]string{{"قصف", "غارة"}}, []string{"حلب"}, nil},
		{"lower-case or is a word", "shelling or bombing", [][]string{{"shelling"}, {"bombing"}}, nil, []string{"or"}},
		{"excluded OR is a word", "قصف -OR", [][]string{{"قصف"}}, nil, []string{"OR"}},
		{"stop words", "قصف على المدنيين في الرقة", [][]string{{"قصف"}, {"المدنيين"}, {"الرقة"}}, nil, []string{"على", "في"}},
		{"stop words only", "في على the", nil, nil, []string{"في", "على", "the"}},
		{"stop-word phrase", `"في على" قصف`, [][]string{{"قصف"}}, nil, []string{"في على"}},
		{"punctuation only", "، ... ؟", nil, nil, []string{"،", "...", "؟"}},
		{"OR with a stop word on its right", "قصف OR في", [][]string{{"قصف"}}, nil, []string{"في"}},
		{"excluded stop word", "قصف -في", [][]string{{"قصف"}}, nil, []string{"في"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.q)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.q, err)
			}
			sameGroups := len(p.Groups) == 0 && len(tt.groups) == 0 || reflect.DeepEqual(p.Groups, tt.groups)
			if !sameGroups || !reflect.DeepEqual(p.Excluded, tt.excluded) ||
				!reflect.DeepEqual(p.Ignored, tt.ignored) {
				t.Errorf("Parse(%q) = groups %q excluded %q ignored %q,\nwant groups %q excluded %q ignored %q",
					tt.q, p.Groups, p.Excluded, p.Ignored, tt.groups, tt.excluded, tt.ignored)
			}
			if p.Empty() != (len(tt.groups) == 0) {
				t.Errorf("Empty() = %v with groups %q", p.Empty(), p.Groups)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, q string }{
		{"leading OR", "OR قصف"},
		{"OR alone", "OR"},
		{"trailing OR", "قصف OR"},
		{"doubled OR", "قصف OR OR غارة"},
		{"OR before an exclusion", "قصف OR -غارة"},
		{"OR before an excluded phrase", `قصف OR -"غارة جوية"`},
		{"OR after stop words only", "في OR قصف"},
		{"exclusions only", "-قصف"},
		{"excluded phrase only", `-"قصف مدفعي"`},
		{"exclusions and stop words", "-قصف في -غارة"},
		{"unbalanced quote", `قصف "مدفعي`},
		{"unbalanced guillemet", "قصف «مدفعي"},
		{"guillemet closed by a quote", `«قصف مدفعي"`},
		{"unbalanced curly quote", "“قصف مدفعي"},
		{"stray closing quote", `قصف"`},
		{"too long", strings.Repeat("قصف ", MaxQueryLen/len("قصف ")+1)},
		{"invalid UTF-8", "قصف \xff\xfe"},
		{"cut rune", "قصف"[:len("قصف")-1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.q)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) = %+v, %v; want a *QueryError", tt.q, p, err)
			}
			if qe.EN == "" || qe.AR == "" || qe.Arabic() != qe.AR || !strings.Contains(qe.Error(), qe.EN) {
				t.Errorf("error lacks its messages: %#v", qe)
			}
			if !containsArabic(qe.AR) {
				t.Errorf("Arabic message is not Arabic: %q", qe.AR)
			}
		})
	}
}

// TestParseMaxQueryLen: the limit is in bytes, and a query of exactly the
// limit is still read.
func TestParseMaxQueryLen(t *testing.T) {
	q := strings.Repeat("a", MaxQueryLen)
	if _, err := Parse(q); err != nil {
		t.Errorf("query of exactly %d bytes: %v", MaxQueryLen, err)
	}
	if _, err := Parse(q + "b"); err == nil {
		t.Errorf("query of %d bytes accepted", MaxQueryLen+1)
	}
	// Arabic letters are two bytes each: half as many fit.
	if _, err := Parse(strings.Repeat("ق", MaxQueryLen/2+1)); err == nil {
		t.Error("the limit counts letters, not bytes")
	}
}

func TestFTS5(t *testing.T) {
	tests := []struct {
		q, want string
	}{
		{"قصف", `"قصف"`},
		{"قصف مدني", `"قصف" AND "مدني"`},
		{`"قصف مدفعي"`, `"قصف مدفعي"`},
		{"قصف OR غارة", `("قصف" OR "غارة")`},
		{"قصف OR غارة OR تفجير الرقة", `("قصف" OR "غارة" OR "تفجير") AND "الرقة"`},
		{`قصف -مدفعي -"غارة جوية"`, `"قصف" NOT "مدفعي" NOT "غارة جوية"`},
		// FTS5 operators typed by a person are words, not syntax.
		{"NEAR title:قصف قصف* ^مدني", `"NEAR" AND "title:قصف" AND "قصف*" AND "^مدني"`},
		// A double quote inside a phrase is doubled, so it cannot end the
		// string early.
		{`«say "no" now»`, `"say ""no"" now"`},
		{`قصف -«a"b»`, `"قصف" NOT "a""b"`},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			p, err := Parse(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.fts5(); got != tt.want {
				t.Errorf("fts5(%q) = %s, want %s", tt.q, got, tt.want)
			}
		})
	}
}

// TestParseCurlyQuoteClosedByStraightQuote: phones type “ to open a phrase
// and " to close it; the byte after the closing quote must not be lost.
func TestParseCurlyQuoteClosedByStraightQuote(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want [][]string
	}{
		{"“shelling\" civilians", [][]string{{"shelling"}, {"civilians"}}},
		{"“قصف مدفعي\" مدني", [][]string{{"قصف مدفعي"}, {"مدني"}}},
	} {
		p, err := Parse(tt.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.q, err)
			continue
		}
		if !reflect.DeepEqual(p.Groups, tt.want) {
			t.Errorf("Parse(%q).Groups = %q, want %q", tt.q, p.Groups, tt.want)
		}
	}
}

// TestParseORJoinsOnlyItsNeighbours: OR stands between the two items next
// to it; when the item on its left is an exclusion or a stop word, it
// must not join the word on its right to an earlier, unrelated word.
func TestParseORJoinsOnlyItsNeighbours(t *testing.T) {
	for _, tt := range []struct{ q, a, b string }{
		// "strike in OR near raqqa" became (strike OR near) AND raqqa: a
		// report that only says "near Raqqa" matched a search for strikes.
		{"strike in OR near raqqa", "strike", "near"},
		// (shelling OR rocket) NOT artillery: the symmetric "a OR -b" is
		// refused.
		{"shelling -artillery OR rocket", "shelling", "rocket"},
	} {
		p, err := Parse(tt.q)
		if err != nil {
			continue // refusing the query is a correct answer too
		}
		for _, g := range p.Groups {
			if hasString(g, tt.a) && hasString(g, tt.b) {
				t.Errorf("Parse(%q) joined %q and %q with OR: groups %q", tt.q, tt.a, tt.b, p.Groups)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "قصف", `"قصف مدفعي"`, "«قصف مدفعي»", "“قصف مدفعي”", "قصف -مدفعي", `-"a b" c`,
		"a OR b", "a OR b OR c", "OR", "a OR", "a OR OR b", "a OR -b", "-a", "في على", `"`, "«", "“",
		`«a"b»`, `a"b`, "-", "--a", "- -", "a -OR", "F-16", "٧٠ 70", "\x00", "a\x00b", "\xff", "قصف\u200fمدني",
		"الأطفالُ والمدنيين", strings.Repeat("a ", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p, err := Parse(q)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.EN == "" || qe.AR == "" {
				t.Fatalf("Parse(%q): %v is not a *QueryError with both messages", q, err)
			}
			return
		}
		items := append(append([]string{}, p.Excluded...), p.Ignored...)
		for _, g := range p.Groups {
			if len(g) == 0 {
				t.Fatalf("Parse(%q): empty group in %q", q, p.Groups)
			}
			items = append(items, g...)
		}
		for _, it := range items {
			if it == "" || !utf8.ValidString(it) {
				t.Fatalf("Parse(%q): item %q is empty or not valid UTF-8", q, it)
			}
		}
		if len(p.Groups) == 0 && len(p.Excluded) > 0 {
			t.Fatalf("Parse(%q): exclusions only were accepted", q)
		}
		s := p.fts5()
		if p.Empty() != (s == "") {
			t.Fatalf("Parse(%q): Empty() = %v but fts5() = %q", q, p.Empty(), s)
		}
		if !balanced(s) {
			t.Fatalf("Parse(%q): fts5() = %q has an unbalanced quote or parenthesis", q, s)
		}
		if !utf8.ValidString(q) {
			t.Fatalf("Parse accepted invalid UTF-8 %q", q)
		}
	})
}

// balanced reports whether every FTS5 string in s is closed (a doubled
// quote inside a string is one quote) and every parenthesis outside the
// strings is matched.
func balanced(s string) bool {
	in, depth := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' && in && i+1 < len(s) && s[i+1] == '"':
			i++
		case c == '"':
			in = !in
		case !in && c == '(':
			depth++
		case !in && c == ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return !in && depth == 0
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}
