package extract

import (
	"sort"
	"strconv"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// qualifierOf maps the analyser's count qualifiers to the count_qualifier
// vocabulary.
func qualifierOf(q string) string {
	switch q {
	case arabic.QualifierRange:
		return "about"
	case arabic.QualifierThousands:
		return "at_least" // the vocabulary stops at hundreds: at least a thousand
	}
	return q
}

// number is a count found in the text with the terms it covers.
type number struct {
	arabic.Number
	i, j int // term span
	used bool
}

// termSpan maps a byte span to the terms it covers, (-1, -1) if none.
// Terms are in text order, so two binary searches find them.
func (d *doc) termSpan(start, end int) (int, int) {
	i := sort.Search(len(d.terms), func(k int) bool { return d.terms[k].End > start })
	j := sort.Search(len(d.terms), func(k int) bool { return d.terms[k].Start >= end })
	if i >= j {
		return -1, -1
	}
	return i, j
}

// categoryOf finds the category named by the terms of [i, j), or "".
func categoryOf(terms []arabic.Term) (string, int) {
	for k := range terms {
		for _, c := range categories.find(terms[k:min(k+3, len(terms))]) {
			if c.i == 0 {
				return c.value, k
			}
		}
	}
	return "", -1
}

// casualties pairs each outcome word (killed, injured …) with the nearest
// count in its sentence and the category the count or the sentence names.
func (d *doc) casualties() []Fact {
	var nums []*number
	for _, n := range arabic.Numbers(d.text) {
		i, j := d.termSpan(n.Start, n.End)
		if i < 0 || d.isAge(i, j) {
			continue
		}
		nums = append(nums, &number{Number: n, i: i, j: j})
	}
	var out []Fact
	seen := map[string]bool{}
	add := func(f Fact) {
		key := f.Outcome + "/" + f.Category + "/" + strconv.Itoa(f.Count.Min) + "/" + strconv.Itoa(f.Count.Max+1)
		if !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	outs := outcomes.find(d.terms)
	lastCategory := ""
	ones := singular.find(d.terms)
	for oi, o := range outs {
		s := d.sentence(o.i)
		// The clause of this outcome: up to the next outcome word or the
		// end of the sentence, at most 12 terms.
		clauseEnd := min(o.j+12, len(d.terms))
		if oi+1 < len(outs) && outs[oi+1].i < clauseEnd {
			clauseEnd = outs[oi+1].i
		}
		if o.value != "displaced" {
			d.singles(ones, nums, o, s, clauseEnd, add)
		}
		// The count: after the outcome word (Arabic: قتل 5 مدنيين; مقتل
		// أكثر من 70) or before it (English: 5 civilians were killed;
		// Arabic: 70 قتيلاً).
		var best *number
		bestDist := 1 << 30
		for _, n := range nums {
			if n.used || d.sentenceAt(n.Start) != s {
				continue
			}
			var dist int
			switch {
			case n.i >= o.j:
				dist = n.i - o.j
				if dist > 10 {
					continue
				}
			case n.j <= o.i:
				dist = o.i - n.j + 1
				if dist > 5 {
					continue
				}
			default:
				dist = 0 // a dual that is the outcome word itself: قتيلين
			}
			if dist < bestDist {
				best, bestDist = n, dist
			}
		}
		if best == nil {
			// No figure: "وجرح آخرون", "killed and wounded others" still
			// says there were some.
			if d.others(o) {
				cat := d.categoryNear(o.j, s)
				if cat == "" {
					cat = lastCategory // "وإصابة آخرين": others of the same kind
				}
				if cat == "" {
					cat = "civilians"
				}
				add(d.fact(TypeCasualties, o.i, o.j, 0.4, func(f *Fact) {
					f.Outcome, f.Category = o.value, cat
					f.Count = &Count{Min: 1, Best: 1, Max: -1, Qualifier: "unknown_nonzero", SourceText: f.Text}
				}))
			}
			continue
		}
		best.used = true
		cat := ""
		if best.Noun != "" {
			cat, _ = categoryOf(arabic.AnalyzeKeepingStops(best.Noun))
		}
		if cat == "" && d.fromParty(best.j, s) {
			cat = "fighters" // "مقتل العشرات من التنظيم", "dozens of ISIS"
		}
		if cat == "" {
			cat = d.categoryNear(best.j, s)
		}
		if cat == "" {
			cat = d.categoryNear(o.j, s)
		}
		if cat == "" {
			cat = "civilians" // the reports are about civilians unless they say otherwise
		}
		lastCategory = cat
		i, j := min(o.i, best.i), max(o.j, best.j)
		max := best.Max
		if best.Qualifier == arabic.QualifierThousands {
			max = -1 // at least a thousand
		}
		add(d.fact(TypeCasualties, i, j, 0.65, func(f *Fact) {
			f.Outcome, f.Category = o.value, cat
			f.Count = &Count{Min: best.Min, Best: best.Value, Max: max, Qualifier: qualifierOf(best.Qualifier), SourceText: best.Text}
		}))
		// "… 12 مدنياً بينهم 5 أطفال", "including three children".
		for _, n := range nums {
			if n.used || d.sentenceAt(n.Start) != s || n.i < best.j || n.i-best.j > 6 || !d.including(best.j, n.i) {
				continue
			}
			c := ""
			if n.Noun != "" {
				c, _ = categoryOf(arabic.AnalyzeKeepingStops(n.Noun))
			}
			if c == "" {
				c = d.categoryNear(n.j, s)
			}
			if c == "" || c == cat {
				continue
			}
			n.used = true
			nn := n
			add(d.fact(TypeCasualties, n.i, n.j, 0.55, func(f *Fact) {
				f.Outcome, f.Category = o.value, c
				f.Count = &Count{Min: nn.Min, Best: nn.Value, Max: nn.Max, Qualifier: qualifierOf(nn.Qualifier), SourceText: nn.Text}
			}))
		}
	}
	return out
}

// singles adds a count of 1 for each singular category noun in the
// outcome's clause that no figure counts ("مقتل امرأتين وطفل", "a nurse
// was killed"): after the outcome word in Arabic, before it in English.
func (d *doc) singles(ones []match, nums []*number, o match, s, clauseEnd int, add func(Fact)) {
	for _, m := range ones {
		after := m.i >= o.j && m.i < clauseEnd
		// Only English puts the victim before the verb ("a child was
		// killed"); in Arabic a noun before an outcome belongs to the
		// clause before.
		before := m.j <= o.i && o.i-m.j <= 4 && isLatin(d.terms[m.i].Text)
		if !after && !before || d.sentence(m.i) != s {
			continue
		}
		counted := false
		for _, n := range nums {
			// A figure right before the noun counts it (5 أطفال, two children).
			if m.i == n.j || n.i <= m.i && m.i < n.j {
				counted = true
				break
			}
		}
		if counted {
			continue
		}
		// "a" or "an" before an English noun, or nothing before an Arabic
		// one: it is one person.
		if m.i > 0 {
			switch d.terms[m.i-1].Text {
			case "of", "من":
				continue // "one of the children": counted elsewhere
			}
		}
		mm := m
		add(d.fact(TypeCasualties, min(o.i, m.i), max(o.j, m.j), 0.5, func(f *Fact) {
			f.Outcome, f.Category = o.value, mm.value
			f.Count = &Count{Min: 1, Best: 1, Max: 1, Qualifier: "exact", SourceText: d.text[d.terms[mm.i].Start:d.terms[mm.j-1].End]}
		}))
	}
}

// isAge: the number is someone's age ("البالغ من العمر 12 عاماً", "aged
// 12", "a 12-year-old"), not a count.
func (d *doc) isAge(i, j int) bool {
	if j < len(d.terms) {
		switch d.terms[j].Text {
		case "عام", "عاما", "سن", "سنه", "سنوات", "year", "years", "yearold",
			// durations: "احتجازه 40 يوماً", "for three days"
			"يوم", "يوما", "ايام", "ساع", "ساعات", "شهر", "اشهر", "شهور", "اسبوع", "اسابيع",
			"day", "days", "hour", "hours", "week", "weeks", "month", "months",
			// households are not people: "نزوح 3 عائلات"
			"عائل", "عائلات", "عاءل", "عاءلات", "اسر", "اسره", "family", "famili", "families", "household", "households":
			return true
		}
	}
	for k := max(0, i-2); k < i; k++ {
		switch d.terms[k].Text {
		case "عمر", "العمر", "age", "aged":
			return true
		}
	}
	return false
}

// categoryNear is the category named within three terms from term k in
// sentence s.
func (d *doc) categoryNear(k, s int) string {
	end := min(k+3, len(d.terms))
	for e := k; e < end; e++ {
		if d.sentence(e) != s {
			end = e
			break
		}
	}
	if k >= end {
		return ""
	}
	c, _ := categoryOf(d.terms[k:end])
	return c
}

// fromParty: the terms after a count say whose members they were: "من
// التنظيم", "من عناصر قسد", "of ISIS".
func (d *doc) fromParty(k, s int) bool {
	if k >= len(d.terms) || d.sentence(k) != s {
		return false
	}
	switch d.terms[k].Text {
	case "من", "of":
	default:
		return false
	}
	for e := k + 1; e < min(k+4, len(d.terms)); e++ {
		switch d.terms[e].Text {
		case "تنظيم", "التنظيم", "عناصر", "عنصر", "مقاتل", "ميليشي", "ميليشيات", "قوات":
			return true
		}
	}
	return false
}

// including: the terms between a and b contain "بينهم", "منهم",
// "including", "among them".
func (d *doc) including(a, b int) bool {
	for k := a; k < b && k < len(d.terms); k++ {
		switch d.terms[k].Text {
		case "بين", "بينهم", "منهم", "بينهن", "includ", "among", "including":
			return true
		}
	}
	return false
}

// others: an outcome word with no figure but a word saying there were
// several ("آخرون", "others", "العشرات" is a number already).
func (d *doc) others(o match) bool {
	s := d.sentence(o.i)
	for k := max(0, o.i-2); k < min(len(d.terms), o.j+3); k++ {
		if d.sentence(k) != s {
			continue
		}
		switch d.terms[k].Text {
		case "اخر", "اخرون", "اخرين", "اخري", "other", "others":
			return true
		}
	}
	return false
}

func isLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return s != ""
}
