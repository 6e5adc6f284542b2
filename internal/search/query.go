package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// The query language, for people: words (all must match), "a phrase",
// -word or -"a phrase" (must not match), and OR between two words or
// phrases (either may match). Words are analysed like the text, so
// مدني finds المدنيين and ٧٠ finds 70. Stop words (في، على، the) are
// dropped, and said so. Case and spelling of OR matter: "or" is a word.
//
// Query is parsed into groups: every group must match; a group matches if
// any of its alternatives does; excluded items must not match.

// Parsed is a parsed query.
type Parsed struct {
	// Groups are ANDed; each group's alternatives are ORed. Each
	// alternative is a phrase of one or more words, as typed.
	Groups [][]string `json:"groups"`
	// Excluded words and phrases, as typed.
	Excluded []string `json:"excluded,omitempty"`
	// Ignored are words that carry no meaning for search (stop words,
	// punctuation), as typed.
	Ignored []string `json:"ignored,omitempty"`
}

// Empty reports whether the query has nothing to match (filters only).
func (p *Parsed) Empty() bool { return len(p.Groups) == 0 }

// QueryError is a query that cannot be run; Arabic is its message in
// Arabic.
type QueryError struct{ EN, AR string }

func (e *QueryError) Error() string  { return "search: " + e.EN }
func (e *QueryError) Arabic() string { return e.AR }

// MaxQueryLen bounds a query, in bytes.
const MaxQueryLen = 2000

// Parse reads a query. An empty query is valid (it matches every
// document the filters allow); a query of exclusions only is not.
func Parse(q string) (*Parsed, error) {
	if len(q) > MaxQueryLen {
		return nil, &QueryError{fmt.Sprintf("the query is longer than %d bytes", MaxQueryLen), fmt.Sprintf("الاستعلام أطول من %d بايت", MaxQueryLen)}
	}
	if !utf8.ValidString(q) {
		return nil, &QueryError{"the query is not valid UTF-8", "الاستعلام ليس نصاً صالحاً بترميز UTF-8"}
	}
	// Control characters (a NUL ends a string in SQLite) count as spaces.
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	items, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &Parsed{Groups: [][]string{}}
	orErr := &QueryError{"OR must stand between two words or phrases to look for", "يجب أن تقع OR بين كلمتين أو عبارتين يُبحث عنهما"}
	// lastKept: the previous item was a word or phrase to look for, the
	// only thing OR may follow; an excluded or ignored one may not.
	orNext, lastKept := false, false
	for i, it := range items {
		if it.or {
			if !lastKept || i == len(items)-1 || items[i+1].or || items[i+1].neg {
				return nil, orErr
			}
			orNext, lastKept = true, false
			continue
		}
		if !meaningful(it.text) {
			// "a OR في": the OR has nothing to look for on its right and
			// goes with the stop word.
			p.Ignored = append(p.Ignored, it.text)
			orNext, lastKept = false, false
			continue
		}
		switch {
		case it.neg:
			p.Excluded = append(p.Excluded, it.text)
			lastKept = false
		case orNext:
			last := len(p.Groups) - 1
			p.Groups[last] = append(p.Groups[last], it.text)
			lastKept = true
		default:
			p.Groups = append(p.Groups, []string{it.text})
			lastKept = true
		}
		orNext = false
	}
	if len(p.Groups) == 0 && len(p.Excluded) > 0 {
		return nil, &QueryError{"a query needs at least one word to look for, not only words to exclude",
			"يحتاج الاستعلام إلى كلمة واحدة على الأقل للبحث عنها، لا كلمات مستبعدة فقط"}
	}
	return p, nil
}

type item struct {
	text     string
	neg, or  bool
	isPhrase bool
}

// lex splits a query into words, "phrases", -exclusions and OR.
func lex(q string) ([]item, error) {
	var out []item
	i := 0
	for i < len(q) {
		r, size := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		neg := false
		if r == '-' && i+1 < len(q) {
			next, _ := utf8.DecodeRuneInString(q[i+1:])
			if !unicode.IsSpace(next) {
				neg = true
				i++
				r, size = utf8.DecodeRuneInString(q[i:])
			}
		}
		if r == '"' || r == '«' || r == '“' {
			closeQ := map[rune]string{'"': `"`, '«': "»", '“': "”"}[r]
			end := strings.Index(q[i+size:], closeQ)
			if end < 0 && r == '“' {
				closeQ = `"` // mixed quotes from phones
				end = strings.Index(q[i+size:], closeQ)
			}
			if end < 0 {
				return nil, &QueryError{"a phrase's closing quote is missing", "علامة الاقتباس التي تغلق العبارة مفقودة"}
			}
			text := strings.TrimSpace(q[i+size : i+size+end])
			i += size + end + len(closeQ)
			if text != "" {
				out = append(out, item{text: text, neg: neg, isPhrase: true})
			}
			continue
		}
		j := i
		for j < len(q) {
			r, s := utf8.DecodeRuneInString(q[j:])
			if unicode.IsSpace(r) || r == '"' || r == '«' || r == '“' {
				break
			}
			j += s
		}
		word := q[i:j]
		i = j
		if word == "OR" && !neg {
			out = append(out, item{or: true})
			continue
		}
		out = append(out, item{text: word, neg: neg})
	}
	return out, nil
}

// meaningful reports whether text has at least one search term.
func meaningful(text string) bool { return len(arabic.Analyze(text)) > 0 }

// fts5 writes the query as an FTS5 expression. Each word or phrase goes in
// as typed, in double quotes: FTS5 runs it through the same analyser as
// the documents, so nothing is analysed twice.
func (p *Parsed) fts5() string {
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	var b strings.Builder
	for i, g := range p.Groups {
		if i > 0 {
			b.WriteString(" AND ")
		}
		if len(g) > 1 {
			b.WriteByte('(')
		}
		for j, alt := range g {
			if j > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(quote(alt))
		}
		if len(g) > 1 {
			b.WriteByte(')')
		}
	}
	for _, x := range p.Excluded {
		b.WriteString(" NOT ")
		b.WriteString(quote(x))
	}
	return b.String()
}

// FTS5 is the query as an SQLite FTS5 expression for a table that uses
// the "tawthiq" tokenizer (sqldb.Tokenizer).
func FTS5(p *Parsed) string { return p.fts5() }
