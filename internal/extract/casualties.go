package extract

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

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

// categoryOthers is the category of "آخرون", "others": the same people as
// the figure before.
const categoryOthers = "others"

// A victim is one group of people a text counts: a figure ("أكثر من 70
// مدنياً", "at least 12 civilians"), a dual (طفلين), a noun naming one
// person (امرأة، a nurse) or "others" with no figure.
type victim struct {
	i, j     int // term span of the count
	end      int // the term after the count and the noun it counts
	min, max int
	best     int
	qual     string
	text     string // the words of the count
	cat      string // a category, categoryOthers, or "" when the text does not say
	// subset: the group is part of a larger one named before it ("بينهم
	// أربعة أطفال", "including a woman", "three of them children").
	subset bool
	used   bool
}

// casualties finds the groups of victims in the text and gives each
// outcome word (killed, injured …) the groups its clause counts: the
// first is the total, the ones after "بينهم", "including" are part of it,
// the ones joined by "و", "and" are counted beside it ("مقتل امرأتين
// وطفل").
//
// Arabic puts the verb first (قُتل خمسة مدنيين، مقتل أكثر من 70), so the
// groups of an Arabic outcome follow it up to the next outcome; a figure
// right before it is its count too (70 قتيلاً). English puts the victims
// first in the passive (five civilians were killed) and after an active
// verb (killing 11 civilians).
func (d *doc) casualties() []Fact {
	victims := d.victims()
	outs := d.outcomeWords()
	var out []Fact
	seen := map[string]bool{}
	add := func(f Fact) {
		key := f.Outcome + "/" + f.Category + "/" + strconv.Itoa(f.Count.Min) + "/" + strconv.Itoa(f.Count.Max+1)
		if !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	lastCategory, lastSentence := "", -1
	lastBest, lastMixed := 0, false // the last head's figure; whether groups of other kinds stood beside it
	for oi, o := range outs {
		s := d.sentence(o.i)
		// The clause of the outcome: to the next outcome word, a clause
		// break or the end of the sentence.
		end := d.clauseEnd(o.j, s)
		if oi+1 < len(outs) && outs[oi+1].i < end {
			end = outs[oi+1].i
		}
		start := d.clauseStart(o.i, s)
		if oi > 0 && outs[oi-1].j > start {
			start = outs[oi-1].j
		}
		var group []*victim
		latin := isLatin(d.terms[o.i].Text)
		switch {
		case latin:
			group = d.englishGroup(victims, o, start, end)
		default:
			group = d.arabicGroup(victims, o, start, end)
		}
		if len(group) == 0 {
			continue
		}
		head := group[0]
		cat := head.cat
		if cat == "" {
			cat = d.categoryNear(o.j, s)
		}
		if cat == "" && latin && o.i > 0 && d.sentence(o.i-1) == s && outcomeNoun[d.terms[o.i].Text] {
			cat, _ = categoryOf(d.terms[o.i-1 : o.i]) // "the civilian death toll", not "fighters abducted"
		}
		if cat == categoryOthers || cat == "" && lastSentence == s {
			// "وإصابة آخرين", "killing 17 civilians and wounding dozens":
			// others of the kind the sentence counted before — civilians
			// when it named women or children.
			cat = lastCategory
			switch {
			case cat == "women" || cat == "children" || cat == "men" || cat == "elderly":
				// Others beside one woman or child, or beside a mixed
				// group, are civilians; others beside pupils are pupils.
				if lastBest <= 1 || lastMixed {
					cat = "civilians"
				}
			}
		}
		if cat == "" || cat == categoryOthers {
			// The text does not say who they were: never assume civilians.
			cat = "unknown"
		}
		if cat == "students" {
			cat = "civilians"
			if d.mentionsSchool() {
				cat = "children"
			}
		}
		lastCategory, lastSentence, lastBest, lastMixed = cat, s, head.best, false
		// Groups named side by side ("رجل وزوجته وأطفالهما الثلاثة") are
		// counted by category; the same category adds up ("a man and his
		// brother").
		type total struct {
			min, best, max int
			qual, text     string
			i, j           int
		}
		totals := map[string]*total{}
		var order []string
		subsets := []*victim{}
		for k, v := range group {
			v.used = true
			c := v.cat
			if k == 0 {
				c = cat
			}
			if v.subset && k > 0 {
				subsets = append(subsets, v)
				continue
			}
			if c == "" || c == categoryOthers {
				c = cat
			}
			t := totals[c]
			if t == nil {
				t = &total{qual: v.qual, text: v.text, i: v.i, j: v.j, max: 0}
				totals[c] = t
				order = append(order, c)
			} else {
				t.qual = sumQualifier(t.qual, v.qual)
				t.text += "، " + v.text
				t.j = v.j
			}
			t.min += v.min
			t.best += v.best
			if t.max < 0 || v.max < 0 {
				t.max = -1
			} else {
				t.max += v.max
			}
		}
		lastMixed = len(order) > 1
		for _, c := range order {
			t := totals[c]
			add(d.fact(TypeCasualties, min(o.i, t.i), max(o.j, t.j), 0.65, func(f *Fact) {
				f.Outcome, f.Category = o.value, c
				f.Count = &Count{Min: t.min, Best: t.best, Max: t.max, Qualifier: t.qual, SourceText: t.text}
			}))
		}
		for _, v := range subsets {
			if v.cat == "" || v.cat == categoryOthers || v.cat == cat && len(order) == 1 {
				continue
			}
			add(d.fact(TypeCasualties, v.i, v.j, 0.55, func(f *Fact) {
				f.Outcome, f.Category = o.value, v.cat
				f.Count = &Count{Min: v.min, Best: v.best, Max: v.max, Qualifier: v.qual, SourceText: v.text}
			}))
		}
	}
	return out
}

// outcomeNoun are the English outcome words that a category may stand
// before ("civilian deaths").
var outcomeNoun = map[string]bool{}

func init() {
	for _, t := range arabic.AnalyzeKeepingStops("death deaths toll casualties fatalities dead victims") {
		outcomeNoun[t.Text] = true
	}
}

// sumQualifier is the qualifier of two counts added together.
func sumQualifier(a, b string) string {
	if a == b {
		return a
	}
	if a == "exact" {
		return b
	}
	return a
}

// arabicGroup: the victims after the outcome word in its clause; failing
// that, a figure right before it (70 قتيلاً، ثمانية قتلى) or a subject
// before a verb (عدد من المسنين توفوا).
func (d *doc) arabicGroup(victims []*victim, o match, start, end int) []*victim {
	var group []*victim
	for _, v := range victims {
		if v.used || v.i < o.i && v.j <= o.i || v.i >= end {
			continue
		}
		if v.i < o.j && v.j > o.i {
			// The outcome word is the count itself: قتيلين، جريحين.
			group = append(group, v)
			continue
		}
		if len(group) == 0 && v.subset && !d.among(o) {
			continue // "بينهم" with no total before it belongs elsewhere
		}
		if len(group) > 0 && (!v.subset && !d.besides(group[len(group)-1], v) || d.countsOther(v, o)) {
			break // "… إضافة إلى عشرات الجرحى": the wounded are another outcome's
		}
		group = append(group, v)
	}
	if len(group) > 0 {
		return inheritSubset(group)
	}
	// The subject before the verb: "٥٠ مدنياً قُتلوا", "ستة مدنيين، بينهم
	// أربعة أطفال، قد توفوا", "عدد من المسنين توفوا", "70 قتيلاً".
	var subject []*victim
	for _, v := range victims {
		if v.used || v.i < start || v.j > o.i {
			continue
		}
		if len(subject) > 0 && !v.subset && !d.besides(subject[len(subject)-1], v) {
			subject = subject[:0]
		}
		if len(subject) == 0 && v.subset {
			continue
		}
		subject = append(subject, v)
	}
	if len(subject) == 0 {
		return nil
	}
	// The counted noun may be the outcome word itself (ثمانية قتلى).
	last := min(subject[len(subject)-1].end, o.i)
	for k := last; k < o.i; k++ {
		if c, _ := categoryOf(d.terms[k : k+1]); !subjectFiller[d.terms[k].Text] && c == "" {
			return nil // only auxiliaries and the nouns that say who they were (خمسة من مقاتليه قُتلوا)
		}
	}
	if o.i-last > 3 {
		return nil
	}
	for _, p := range victims {
		if !p.used && p.i >= o.j && p.i < end && p.subset {
			subject = append(subject, p) // "ثمانية قتلى مدنيين بينهم ثلاث نساء"
		}
	}
	return inheritSubset(subject)
}

// subjectFiller are the words that may stand between an Arabic subject
// and its verb: "من" (عدد من المسنين), auxiliaries (قد، كانوا، ما زالوا، لا
// يزالون) and the nouns that say who they were.
var subjectFiller = map[string]bool{}

func init() {
	for _, w := range strings.Fields("من ما قد كان كانوا زال زالوا لا يزال يزالون تزال " +
		"مدني مدنيين مدنياً شخص شخصاً أشخاص طفل أطفال نساء امرأة " +
		"ثانية ثاني ثالثة ثالث رابعة رابع أخرى آخر") {
		for _, t := range arabic.AnalyzeKeepingStops(w) {
			subjectFiller[t.Text] = true
		}
	}
}

// englishGroup: after an active verb ("killing 11 civilians", "killed at
// least eight"), the victims that follow it; otherwise the subject before
// the verb ("three civilians, including a woman, were killed"), with the
// parts named after it ("were killed, including two children").
func (d *doc) englishGroup(victims []*victim, o match, start, end int) []*victim {
	var group []*victim
	for _, v := range victims {
		if v.used || v.i < o.j || v.i >= end {
			continue
		}
		// The object of an active verb follows it, a word or two
		// between at most ("killing a Kurdish woman"), never after "and"
		// or "including" (those start another clause or a part).
		if len(group) == 0 && (v.subset || d.hasBetween(o.j, v.i, "and") ||
			v.i-o.j > 2 && !d.onlyBetween(o.j, v.i, append(ageWords, "rose", "to", "reached", "stood", "at", "up", "climbed", "of", "a", "an", "the", "his", "her", "their", "its")...)) {
			break
		}
		if len(group) > 0 && !v.subset && !d.besides(group[len(group)-1], v) {
			break
		}
		group = append(group, v)
	}
	if len(group) > 0 {
		return inheritSubset(group)
	}
	for _, v := range victims {
		if v.used || v.i < start || v.j > o.i {
			continue
		}
		if len(group) > 0 && !v.subset && !d.besides(group[len(group)-1], v) {
			group = group[:0] // a new subject
		}
		if len(group) == 0 && v.subset && !d.among(o) {
			continue
		}
		group = append(group, v)
	}
	if len(group) == 0 {
		return nil
	}
	// The subject must reach the verb: only a few words (were, reportedly)
	// may stand between its last part and the verb.
	last := group[len(group)-1]
	if o.i-last.end > 8 {
		return nil
	}
	for _, v := range victims {
		if d.subjectOfNext(v, end) {
			break // "…, and 20 people were wounded": the next verb's
		}
		if !v.used && v.i >= o.j && v.i < end && (v.subset || len(group) > 1 && group[len(group)-1].subset && d.besides(group[len(group)-1], v)) {
			group = append(group, v)
		}
	}
	return inheritSubset(group)
}

// countsOther: the noun victim v counts is an outcome word other than o
// (عشرات الجرحى after a killing).
func (d *doc) countsOther(v *victim, o match) bool {
	if v.end != v.j+1 {
		return false
	}
	ms := outcomes.find(d.terms[v.j:v.end])
	return len(ms) > 0 && ms[0].value != o.value
}

// subjectOfNext: victim v is the subject of the outcome word at term end
// ("20 people were wounded").
func (d *doc) subjectOfNext(v *victim, end int) bool {
	if end >= len(d.terms) || v.end > end || end-v.end > 2 || d.sentence(end) != d.sentence(v.i) ||
		!d.onlyBetween(v.end, end, "were", "was", "are", "is", "been", "have", "has", "had", "reportedly") {
		return false
	}
	ms := outcomes.find(d.terms[end:min(end+3, len(d.terms))])
	return len(ms) > 0 && ms[0].i == 0
}

// inheritSubset: a group named beside a part is a part too ("including a
// woman and her two daughters").
func inheritSubset(group []*victim) []*victim {
	for k := 2; k < len(group); k++ {
		if group[k-1].subset {
			group[k].subset = true
		}
	}
	return group
}

// besides: victim b is named beside a, by "و", "and" or a comma, with
// nothing else between but an article or a possessive ("a man and his
// brother").
func (d *doc) besides(a, b *victim) bool {
	if b.i < a.end {
		return false
	}
	between := strings.NewReplacer(",", " , ", "،", " , ").Replace(d.text[d.terms[a.end-1].End:d.terms[b.i].Start])
	link := strings.HasPrefix(d.text[d.terms[b.i].Start:], "و")
	for _, w := range strings.Fields(strings.ToLower(between)) {
		switch w {
		case "and", "و", ",", "plus", "إضافة", "بالإضافة", "إلى", "الى", "as", "well":
			link = true
		case "his", "her", "their", "its", "a", "an", "the", "young", "little", "old", "year", "month", "elderly", "teenage",
			"pregnant", "disabled", "infant", "baby":
		default:
			if !strings.ContainsAny(w, "0123456789") && !englishNumber[w] {
				return false
			}
		}
	}
	return link
}

// ageWords may stand in a noun phrase before the noun: "a 56-year-old
// man", "her young daughter".
var ageWords = []string{"year", "years", "yearold", "old", "month", "aged", "young", "little", "elderly", "teenage", "adult"}

// hasBetween: one of the terms of [a, b) is among words.
func (d *doc) hasBetween(a, b int, words ...string) bool {
	for k := a; k < b; k++ {
		for _, w := range words {
			if d.terms[k].Text == w {
				return true
			}
		}
	}
	return false
}

// englishNumber are the number words of an age ("her eight-year-old son").
var englishNumber = map[string]bool{}

func init() {
	for _, w := range strings.Fields("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty") {
		englishNumber[w] = true
	}
}

// onlyBetween: the terms of [a, b) are all among words.
func (d *doc) onlyBetween(a, b int, words ...string) bool {
	for k := a; k < b; k++ {
		ok := false
		for _, w := range words {
			if d.terms[k].Text == w {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// outcomeWords are the outcome words of the text that count: a repeat of
// the same outcome in the same clause ("أصيب ستة مدنيين بجروح", "were
// killed … deaths") and a negated one ("لم ترد معلومات عن سقوط قتلى", "no
// casualties") are left out.
func (d *doc) outcomeWords() []match {
	var out []match
	for _, o := range outcomes.find(d.terms) {
		if o.value == "" {
			continue // "death threats", "death sentence": no outcome
		}
		s := d.sentence(o.i)
		if d.negated(o.i, s) {
			continue
		}
		if d.definiteOutcome(o) && !d.among(o) {
			// "إسعاف المصابين", "the wounded were taken": people already
			// counted, unless the text names some of them (بين القتلى
			// أربعة أطفال).
			continue
		}
		if n := len(out); n > 0 {
			p := out[n-1]
			if p.value == o.value && d.sentence(p.i) == s && o.i-p.j <= 6 && d.clauseEnd(p.j, s) > o.i {
				continue
			}
		}
		out = append(out, o)
	}
	return out
}

// among: the outcome word follows "بين", "among" (بين القتلى أربعة أطفال).
func (d *doc) among(o match) bool {
	if o.i == 0 {
		return false
	}
	switch d.terms[o.i-1].Text {
	case "بين", "among", "حصيل", "حصيله", "عدد":
		return true // and "حصيلة القتلى بلغت", "عدد القتلى": a count follows
	case "عشرات", "العشرات", "مئات", "الاف", "الالاف", "بضع", "عده", "dozens", "hundreds", "scores", "thousands":
		return true // "عشرات الجرحى": counted here
	case "من", "of":
		// "١٧ من الضحايا", "17 of the dead": a count of them.
		k := o.i - 2
		if k >= 0 && d.terms[k].Text == "the" {
			k--
		}
		return k >= 0 && strings.Trim(d.terms[k].Text, "0123456789") == ""
	}
	return false
}

// definiteOutcome: an Arabic outcome noun with the article (القتلى، المصابين),
// or an English one after "the" (the dead, the wounded).
func (d *doc) definiteOutcome(o match) bool {
	t := d.terms[o.i]
	if isLatin(t.Text) {
		if o.j < len(d.terms) && d.terms[o.j].Text == "of" {
			return false // "the bodies of two women"
		}
		return o.i > 0 && d.terms[o.i-1].Text == "the" && !strings.HasPrefix(t.Text, "kill") && t.Text != "death" && t.Text != "toll"
	}
	raw := stripMarks(d.text[t.Start:t.End])
	people := false // القتلى، المصابين، الضحايا، الشهداء; not الإعدام، القتل
	for _, suf := range [...]string{"ى", "ين", "ون", "يا", "اء"} {
		if strings.HasSuffix(raw, suf) {
			people = true
		}
	}
	for _, p := range [...]string{"ال", "وال", "بال", "لل", "فال"} {
		if people && strings.HasPrefix(raw, p) {
			return true
		}
	}
	return false
}

// stripMarks drops harakat and tatweel.
func stripMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) || r == 'ـ' {
			return -1
		}
		return r
	}, s)
}

// negated: a negation stands a few words before term k in its sentence.
func (d *doc) negated(k, s int) bool {
	for e := max(0, k-5); e < k; e++ {
		if d.sentence(e) != s {
			continue
		}
		switch d.terms[e].Text {
		case "لا":
			if e+1 < len(d.terms) {
				switch d.terms[e+1].Text {
				case "يقل", "تقل", "يزال", "تزال", "يزالون":
					continue // ما لا يقل عن: at least; لا يزال: still
				}
			}
			return true
		case "لم", "دون", "عدم", "no", "not", "without", "never":
			return true
		}
	}
	return false
}

// clauseEnd is the term where the clause that holds term k ends: a
// sentence end, or a word that starts another clause (فيما، في حين،
// بينما، لكن; while, but, as).
func (d *doc) clauseEnd(k, s int) int {
	for e := k; e < len(d.terms); e++ {
		if d.sentence(e) != s || e > k && clauseBreak(d.terms[e].Text) {
			return e
		}
	}
	return len(d.terms)
}

// clauseStart is the first term of the clause that holds term k.
func (d *doc) clauseStart(k, s int) int {
	for e := k; e > 0; e-- {
		if d.sentence(e-1) != s || clauseBreak(d.terms[e-1].Text) {
			return e
		}
	}
	return 0
}

func clauseBreak(t string) bool {
	switch t {
	case "فيما", "بينما", "لكن", "حين", "ان", "وان", "while", "but", "when", "after", "whereas", "as", "said":
		return true
	}
	return false
}
