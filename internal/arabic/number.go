package arabic

import (
	"strings"
	"time"
	"unicode"
)

// Number is a count found in text: "أكثر من 70", "عشرات", "قتيلين",
// "at least 12".
type Number struct {
	Start, End int    // byte span in the original: qualifier words, the number, a dual noun
	Value      int    // the best figure, always within [Min, Max]
	Min, Max   int    // bounds; Max is Unbounded when there is none
	Qualifier  string // one of the Qualifier constants
	Text       string // the original text of the span
	Noun       string // the normalised word counted, when one follows: مدني, civilians
}

// Unbounded is Number.Max when a count has no upper bound (أكثر من 70).
const Unbounded = -1

// The qualifiers of a Number. For a stated figure n:
//
//	exact      Min = Value = Max = n
//	about      Min = Value = Max = n (the words say it is approximate)
//	at_least   Min = Value = n, Max Unbounded       (ما لا يقل عن, على الأقل, at least)
//	more_than  Min = Value = n+1, Max Unbounded     (أكثر من, ما يزيد عن, more than, over)
//	up_to      Min = 1, Value = Max = n             (حتى, ما يصل إلى, up to, as many as);
//	           "less than n" (أقل من, fewer than) is up_to with Max n-1
//	range      Min = Value = a, Max = b             (250-300, بين 250 و300, between … and …)
//
// Vague quantities have no stated figure; Value is Min, the conservative
// figure, following ACLED's rules for fatality counts (dozens → 12, hundreds
// → 100):
//
//	vague_several   بضعة, عدة, several: 3 to 9
//	vague_dozens    عشرات, dozens, scores, tens: 12 to 99
//	vague_hundreds  مئات, hundreds: 100 to 999
//	vague_thousands آلاف, الآلاف, thousands: 1000 to 9999
//
// A vague word before آلاف or مئات scales it (عشرات الآلاف 12,000 to 99,999;
// عدة آلاف 3,000 to 9,999; hundreds of thousands 100,000 to 999,999) and takes
// its qualifier.
const (
	QualifierExact     = "exact"
	QualifierAbout     = "about"
	QualifierAtLeast   = "at_least"
	QualifierMoreThan  = "more_than"
	QualifierUpTo      = "up_to"
	QualifierRange     = "range"
	QualifierSeveral   = "vague_several"
	QualifierDozens    = "vague_dozens"
	QualifierHundreds  = "vague_hundreds"
	QualifierThousands = "vague_thousands"
)

// Numbers finds the counts in s, Arabic and English: digits in any script
// (٧٠, 1,200), number words (ثلاثة وعشرين, مئة وخمسون, ثلاثمئة, 3 آلاف,
// two hundred and fifty), duals of the nouns that count people and attacks
// (قتيلين, جريحين, طفلين, غارتين → 2, with the noun), vague quantities, and
// the words around them that qualify them (see the Qualifier constants).
//
// It leaves out what is not a count: numbers that are part of a date (Dates
// finds those), percentages, clock times, digits inside a model name (F-16)
// and "one" after no, any or every.
func Numbers(s string) []Number {
	n := numScanner{s: s, toks: Tokens(s)}
	dates := findDates(s, n.toks, time.Time{})
	var out []Number
	for i := 0; i < len(n.toks); {
		num, next, ok := n.at(i)
		// Candidates start in order, so the dates before them can go.
		for len(dates) > 0 && dates[0].End <= num.Start {
			dates = dates[1:]
		}
		if ok && (len(dates) == 0 || num.End <= dates[0].Start) {
			num.Text = s[num.Start:num.End]
			out = append(out, num)
			i = next
			continue
		}
		i++
	}
	return out
}

// numScanner reads counts from the tokens of one text.
type numScanner struct {
	s    string
	toks []Token
}

// text returns the text of token i, or "" past either end.
func (n *numScanner) text(i int) string {
	if i < 0 || i >= len(n.toks) {
		return ""
	}
	return n.toks[i].Text
}

// gap returns the original text between tokens i-1 and i.
func (n *numScanner) gap(i int) string {
	if i <= 0 || i >= len(n.toks) {
		return ""
	}
	return n.s[n.toks[i-1].End:n.toks[i].Start]
}

// joined reports whether token i follows token i-1 with nothing but spaces
// and invisible marks between them.
func (n *numScanner) joined(i int) bool {
	return i > 0 && i < len(n.toks) && isBlank(n.gap(i))
}

// hyphened reports whether tokens i-1 and i are joined by a hyphen or dash.
func (n *numScanner) hyphened(i int) bool {
	if i <= 0 || i >= len(n.toks) {
		return false
	}
	switch strings.TrimSpace(n.gap(i)) {
	case "-", "–", "—":
		return true
	}
	return false
}

// isBlank reports whether s holds only spaces and runes that normalisation
// drops.
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && foldRune(r) != drop {
			return false
		}
	}
	return true
}

// matchWords reports whether the tokens from i on read words, joined by
// spaces, and returns the index after them. The first token may carry a
// conjunction (وأكثر من, see bare).
func (n *numScanner) matchWords(i int, words []string) (int, bool) {
	for k, w := range words {
		t := n.text(i + k)
		if k == 0 && t != w {
			t = bare(t)
		}
		if t != w || (k > 0 && !n.joined(i+k)) {
			return i, false
		}
	}
	return i + len(words), true
}
