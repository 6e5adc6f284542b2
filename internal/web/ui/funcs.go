package ui

import (
	"html/template"
	"strings"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
)

// funcs are the template helpers; the ones that name things look codes up
// in the vocabularies, the actors and the gazetteer, in the page's
// language.
func (u *UI) funcs() template.FuncMap {
	return template.FuncMap{
		"label": u.label,
		"actor": u.actorName,
		"place": placeName,
		"count": u.countText,
		"short": shortHash,
		"fe": func(l Lang, f []record.FieldError) any {
			return struct {
				L      Lang
				Fields []record.FieldError
			}{l, f}
		},
		"int":  func(v int64) int { return int(v) },
		"list": func(s ...string) []string { return s },
		"factctx": func(l Lang, f extract.Fact) any {
			return struct {
				L Lang
				F extract.Fact
			}{l, f}
		},
		"editctx": func(l Lang, f extract.Fact, c *FactChoices) any {
			return struct {
				L Lang
				F extract.Fact
				C *FactChoices
			}{l, f, c}
		},
		"factcount": factCount,
		"titlein":   titleIn,
		"filterctx": func(l Lang, f FilterData, action string) any {
			return struct {
				L      Lang
				F      FilterData
				Action string
			}{l, f, action}
		},
	}
}

// label is a vocabulary term's label, or the code when the list lacks it.
func (u *UI) label(l Lang, list, code string) string {
	if code == "" {
		return ""
	}
	if li, ok := u.Vocab.List(list); ok {
		if t, ok := li.Term(code); ok {
			if l == EN {
				return t.Labels.EN
			}
			return t.Labels.AR
		}
	}
	return code
}

// actorName is a party's name by its code.
func (u *UI) actorName(l Lang, code string) string {
	if code == "" || code == "unknown" {
		return l.T("actor.unknown")
	}
	if a, ok := u.Vocab.Actor(code); ok {
		if l == EN {
			return a.Labels.EN
		}
		return a.Labels.AR
	}
	return code
}

// placeName is a gazetteer place's name in the language, with its
// governorate for context when it is below one.
func placeName(l Lang, id string) string {
	if id == "" || id == "unknown" {
		return l.T("place.unknown")
	}
	p, ok := places.Get(id)
	if !ok {
		return id
	}
	name := p.NameAR
	if l == EN || name == "" {
		name = firstNonEmpty(p.NameEN, p.NameAR)
	}
	return name
}

// countText shows a casualty count: "٧١+", "12", "10–15", "about 40".
func (u *UI) countText(l Lang, c record.Count) string {
	n := func(p *int) string {
		if p == nil {
			return "?"
		}
		return l.Num(*p)
	}
	switch c.Qualifier {
	case "exact":
		return n(c.Best)
	case "about":
		return l.Tf("count.about", n(c.Best))
	case "at_least", "more_than":
		if c.Max != nil {
			return n(c.Min) + "–" + n(c.Max)
		}
		return l.Tf("count.at_least", n(c.Min))
	case "up_to":
		return l.Tf("count.up_to", n(c.Max))
	}
	switch {
	case c.Min != nil && c.Max != nil:
		return n(c.Min) + "–" + n(c.Max)
	case c.Best != nil:
		return n(c.Best)
	case c.Min != nil:
		return l.Tf("count.at_least", n(c.Min))
	}
	// A vague or unknown count says so in words: never a made-up number.
	if c.Qualifier != "" {
		return u.label(l, "count_qualifier", c.Qualifier)
	}
	return l.T("count.unknown")
}

func shortHash(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// factCount shows a proposed count: "٧١+" for an open range.
func factCount(l Lang, c *extract.Count) string {
	switch {
	case c.Max < 0:
		return l.Tf("count.at_least", l.Num(c.Min))
	case c.Min == c.Max:
		return l.Num(c.Min)
	}
	return l.Num(c.Min) + "–" + l.Num(c.Max)
}

// titleIn keeps the part of an indexed title in the reader's language:
// incidents are indexed with their Arabic title, a line break, and their
// English one; either may be missing.
func titleIn(l Lang, frags []search.Fragment) []search.Fragment {
	var ar, en []search.Fragment
	cur := &ar
	for _, f := range frags {
		before, after, found := strings.Cut(f.Text, "\n")
		if before != "" {
			*cur = append(*cur, search.Fragment{Text: before, Match: f.Match})
		}
		if found {
			cur = &en
			if after != "" {
				en = append(en, search.Fragment{Text: after, Match: f.Match})
			}
		}
	}
	mine, other := ar, en
	if l == EN {
		mine, other = en, ar
	}
	// The reader's language, unless only the other title holds what the
	// query found.
	if len(mine) == 0 || !marked(mine) && marked(other) {
		return other
	}
	return mine
}

func marked(fs []search.Fragment) bool {
	for _, f := range fs {
		if f.Match {
			return true
		}
	}
	return false
}

// placeLevel names a place with its kind when it is an admin unit, so a
// governorate and its capital city are told apart in a list.
func placeLevel(l Lang, id string) string {
	name := placeName(l, id)
	if p, ok := places.Get(id); ok && p.Level.Admin() {
		return name + " (" + l.T("level."+string(p.Level)) + ")"
	}
	return name
}
