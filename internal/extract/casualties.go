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

// victims finds the groups of people the text counts, in text order.
func (d *doc) victims() []*victim {
	// Figures inside a name are not counts: "دير الزور 24", "الفرقة 17".
	names := outlets.find(d.terms)
	var vs []*victim
	numbers := arabic.Numbers(d.text)
	for _, n := range numbers {
		i, j := d.termSpan(n.Start, n.End)
		if i < 0 || d.isAge(i, j) || inMatches(names, i, j) || d.nameNumber(i, j) {
			continue
		}
		v := &victim{i: i, j: j, end: j, min: n.Min, best: n.Value, max: n.Max, qual: qualifierOf(n.Qualifier), text: n.Text}
		if noun := arabic.AnalyzeKeepingStops(n.Noun); len(noun) > 0 && j < len(d.terms) && d.terms[j].Text == noun[0].Text {
			v.end = j + 1 // the noun counted: "خمس نساء"
		}
		if n.Qualifier == arabic.QualifierThousands {
			v.max = -1 // at least a thousand
		}
		s := d.sentence(i)
		noun := arabic.AnalyzeKeepingStops(n.Noun)
		switch {
		case n.Noun != "" && len(noun) > 0 && notPeople[noun[0].Text]:
			continue // "ثلاث قرى", "15 strikes"
		case n.Noun != "" && len(noun) > 0 && (noun[0].Text == "اخر" || noun[0].Text == "other"):
			v.cat = categoryOthers
		case n.Noun != "":
			v.cat, _ = categoryOf(noun)
		}
		if v.cat == "" && d.fromParty(j, s) {
			v.cat = "fighters" // "مقتل العشرات من التنظيم", "dozens of ISIS"
		}
		if v.cat == "" || v.cat == "civilians" {
			// "ثلاثة منهم أطفال", "three of them children": part of the
			// figure before.
			if c := d.ofThem(j, s); c != "" {
				v.cat, v.subset = c, true
			}
		}
		if v.cat == "" || v.cat == "unknown" {
			// "11 شخصاً من عائلتين": who the people were may follow.
			if c := d.categoryNear(j, s); c != "" {
				v.cat = c
			}
		}
		if v.qual == "exact" && d.trailingAtLeast(j, s) {
			v.qual, v.max = "at_least", -1 // "١٨ عنصراً من الميليشيات على الأقل"
		}
		if !v.subset {
			v.subset = d.including(i, s)
		}
		vs = append(vs, v)
	}
	// "وأطفالهما الثلاثة": a definite number after the noun it counts.
	for k := 0; k+1 < len(d.terms); k++ {
		if !strings.HasPrefix(d.text[d.terms[k+1].Start:], "ال") {
			continue
		}
		n := definiteCardinal(d.text[d.terms[k+1].Start:d.terms[k+1].End])
		if n == 0 || d.sentence(k) != d.sentence(k+1) {
			continue
		}
		c, _ := categoryOf(d.terms[k : k+1])
		if c == "" || c == "unknown" {
			continue
		}
		t := d.text[d.terms[k].Start:d.terms[k+1].End]
		vs = append(vs, &victim{i: k, j: k + 2, end: k + 2, min: n, best: n, max: n, qual: "exact", text: t, cat: c,
			subset: d.including(k, d.sentence(k))})
	}
	ages := d.ages(numbers)
	// One person named by a noun that no figure counts.
	figures := len(vs)
	singles := singular.find(d.terms)
	for k, m := range singles {
		if m.value == "" || d.plural(m) {
			continue
		}
		if k+1 < len(singles) && singles[k+1].i == m.j && singles[k+1].value == "elderly" {
			continue // "امرأة مسنة", "رجل مسن": the adjective says more
		}
		counted := false
		for _, v := range vs[:figures] {
			// A figure right before the noun counts it (5 أطفال, two
			// children), unless the figure is a dual noun itself
			// (امرأتين وطفل).
			// A word right after the counted noun describes it (800 نازح
			// مدني).
			if v.i <= m.i && m.i < v.j || m.i == v.j && !d.dualWord(v) || m.i == v.j+1 && v.cat != "" && m.value == "civilians" {
				counted = true
				break
			}
		}
		if counted || m.i > 0 && (d.terms[m.i-1].Text == "of" || d.terms[m.i-1].Text == "من") {
			continue // "one of the children": counted elsewhere
		}
		if m.i > 0 && isLatin(d.terms[m.i].Text) && !d.article(m.i) {
			continue // "the nurse", "nurses' union": not a count
		}
		t := d.text[d.terms[m.i].Start:d.terms[m.j-1].End]
		if m.value == "men" && feminine(t) {
			m.value = "women" // شقيقة، زوجته، والدتها: the analyser folds them to the masculine
		}
		if m.value == "elderly" && m.i > 0 && d.terms[m.i].Text == "old" && (d.terms[m.i-1].Text == "year" || d.terms[m.i-1].Text == "yearold") {
			// "a 21-year-old woman": the age decides, not "old".
			m.value = "women"
			if last := d.terms[m.j-1].Text; last == "man" {
				m.value = "men"
			}
		}
		if m.value == "men" || m.value == "women" || m.value == "civilians" {
			// "رجلاً في الستين من عمره", "a 56-year-old man": the age says more.
			if age := ageOf(ages, m, d.sentence(m.i), isLatin(d.terms[m.i].Text)); age >= 60 {
				m.value = "elderly"
			} else if age > 0 && age < 18 {
				m.value = "children"
			}
		}
		vs = append(vs, &victim{i: m.i, j: m.j, end: m.j, min: 1, best: 1, max: 1, qual: "exact", text: t, cat: m.value,
			subset: d.including(m.i, d.sentence(m.i))})
	}
	// "وجرح آخرون", "and wounded others": some, the figure unknown.
	for k, t := range d.terms {
		switch t.Text {
		case "اخر", "اخرون", "اخرين", "other", "others":
		default:
			continue
		}
		counted := false
		for _, v := range vs {
			if v.i <= k && k < v.j || v.j == k || v.j+1 == k && (d.terms[k-1].Text == "of" || d.terms[k-1].Text == "من") {
				counted = true
				break
			}
		}
		raw := d.text[t.Start:t.End]
		if !counted && (strings.HasSuffix(raw, "ون") || strings.HasSuffix(raw, "ين") || t.Text == "others") {
			vs = append(vs, &victim{i: k, j: k + 1, end: k + 1, min: 1, best: 1, max: -1, qual: "unknown_nonzero", text: d.text[t.Start:t.End], cat: categoryOthers})
		}
	}
	sort.SliceStable(vs, func(a, b int) bool { return vs[a].i < vs[b].i })
	school := d.mentionsSchool()
	for _, v := range vs {
		if v.cat == "students" {
			v.cat = "civilians"
			if school {
				v.cat = "children" // "خمس طالبات" at a primary school
			}
		}
	}
	return vs
}

// mentionsSchool: the text is about a school, where students are
// children.
func (d *doc) mentionsSchool() bool {
	for _, t := range d.terms {
		switch t.Text {
		case "مدرس", "مدرسه", "مدارس", "ابتدايي", "ابتداييه", "school", "schools", "primari", "kindergarten", "روضه":
			return true
		}
	}
	return false
}

// trailingAtLeast: "على الأقل", "at least" follows the counted noun
// within a few words of term k, before any other figure.
func (d *doc) trailingAtLeast(k, s int) bool {
	end := min(k+6, d.clauseEnd(k, s))
	if k >= end {
		return false
	}
	tail := d.text[d.terms[k].Start:d.terms[end-1].End]
	for _, r := range tail {
		if unicode.IsDigit(r) {
			return false
		}
	}
	return strings.Contains(tail, "على الأقل") || strings.Contains(tail, "على الاقل") || strings.Contains(tail, "at least")
}

// feminine: an Arabic kinship noun in its feminine form, with or without
// a possessive (شقيقة، شقيقته، زوجتها).
func feminine(w string) bool {
	w = stripMarks(w)
	if isLatin(w) {
		return false
	}
	if strings.HasSuffix(w, "ة") {
		return true
	}
	for _, pron := range [...]string{"تهما", "تهم", "تها", "ته", "تي"} {
		if strings.HasSuffix(w, pron) {
			return true
		}
	}
	return false
}

// definiteCardinal is the value of a definite number word that follows
// the noun it counts (الثلاثة، الأربع), or 0.
func definiteCardinal(w string) int {
	w = stripMarks(w)
	rest, ok := strings.CutPrefix(w, "ال")
	if !ok {
		return 0
	}
	rest = strings.TrimSuffix(strings.TrimSuffix(rest, "ة"), "ه")
	switch rest {
	case "اثنين", "اثنان", "اثنتين", "اثنتان":
		return 2
	case "ثلاث":
		return 3
	case "أربع", "اربع":
		return 4
	case "خمس":
		return 5
	case "ست", "سست":
		return 6
	case "سبع":
		return 7
	case "ثماني", "ثمان":
		return 8
	case "تسع":
		return 9
	case "عشر":
		return 10
	}
	return 0
}

// age is a person's age the text states, at term i.
type age struct{ i, years int }

// ages finds the ages the text states: "البالغ من العمر 12 عاماً", "a
// 56-year-old", "aged 70", "في الستين من عمره", "في الخمسينات من عمره".
func (d *doc) ages(numbers []arabic.Number) []age {
	var out []age
	for _, n := range numbers {
		i, j := d.termSpan(n.Start, n.End)
		if i < 0 {
			continue
		}
		years := j < len(d.terms) && yearWord[d.terms[j].Text]
		for k := max(0, i-2); k < i; k++ {
			switch d.terms[k].Text {
			case "عمر", "age", "aged":
				years = true
			}
		}
		if years && n.Value > 0 && n.Value < 120 {
			out = append(out, age{i, n.Value})
		}
	}
	for k, t := range d.terms {
		// "رجلاً سبعينياً", "a man in his seventies" as an adjective.
		adj := strings.TrimSuffix(strings.TrimSuffix(stripMarks(d.text[t.Start:t.End]), "ا"), "ة")
		if raw, ok := strings.CutSuffix(adj, "ي"); ok && decadeAdjective[raw] > 0 {
			out = append(out, age{k, decadeAdjective[raw]})
			continue
		}
		if k+2 >= len(d.terms) || d.terms[k+1].Text != "عمر" && d.terms[k+2].Text != "عمر" {
			continue
		}
		raw := stripMarks(d.text[t.Start:t.End])
		raw = strings.TrimPrefix(strings.TrimPrefix(raw, "في"), "ال")
		raw = strings.TrimSuffix(raw, "ات")
		tens := decades[raw]
		if tens == 0 {
			continue
		}
		if d.terms[k+1].Text == "عمر" || d.terms[k+2].Text == "عمر" {
			out = append(out, age{k, tens}) // "في الستين من عمره"
		}
	}
	return out
}

// household are the words for families, which are not counts of people.
var household = map[string]bool{}

func init() {
	for _, t := range arabic.AnalyzeKeepingStops("عائلة عائلات العائلات عائلتين أسرة أسر الأسر family families household households") {
		household[t.Text] = true
	}
}

// decades are the tens of an age: "في الستين من عمره", "في الخمسينات".
var decades = map[string]int{"عشرين": 20, "ثلاثين": 30, "أربعين": 40, "اربعين": 40, "خمسين": 50, "ستين": 60,
	"سبعين": 70, "ثمانين": 80, "تسعين": 90}

// decadeAdjective are the adjectives of a decade of age (سبعيني), by the
// word without its ي.
var decadeAdjective = map[string]int{"ستين": 60, "سبعين": 70, "ثمانين": 80, "تسعين": 90, "خمسين": 50, "أربعين": 40, "اربعين": 40,
	"ثلاثين": 30, "عشرين": 20}

var yearWord = map[string]bool{"عام": true, "عاما": true, "سن": true, "سنه": true, "سنوات": true, "year": true, "years": true, "yearold": true}

// ageOf is the age stated for the person named at m — after the noun in
// Arabic, before it in English ("a 60-year-old man") — or 0.
func ageOf(ages []age, m match, s int, latin bool) int {
	for _, a := range ages {
		if !latin && a.i >= m.j && a.i-m.j <= 6 || latin && a.i < m.i && m.i-a.i <= 4 {
			return a.years
		}
	}
	return 0
}

// notPeople are nouns a figure counts that are not people: places,
// buildings, weapons, strikes, money, units.
var notPeople = map[string]bool{}

func init() {
	for _, w := range []string{
		"قري", "قريه", "بلدات", "بلده", "احياء", "حي", "منزل", "منازل", "بيوت", "مباني", "مبني", "طوابق", "طابق",
		"غارات", "غاره", "ضربات", "ضربه", "قذايف", "قذيفه", "صواريخ", "صاروخ", "براميل", "برميل", "انفجارات", "طلعات",
		"سيارات", "سياره", "اليات", "حافله", "حافلات", "شاحنه", "شاحنات", "هكتار", "دونم", "buses", "trucks", "hectares", "دولار", "ليره", "كيلومتر", "كم", "متر", "مرات", "مره", "نقاط", "مواقع", "مستشفيات",
		"مدارس", "مساجد", "خيام", "هجمات", "مجازر", "حالات", "قرار",
		"villages", "village", "towns", "homes", "houses", "buildings", "building", "storey", "floors", "strikes", "strike",
		"raids", "shells", "rockets", "missiles", "barrel", "bombs", "explosions", "vehicles", "cars", "dollars", "km",
		"kilometres", "kilometers", "metres", "meters", "miles", "times", "targets", "sites", "positions", "hospitals",
		"schools", "attacks", "sorties", "tents",
	} {
		for _, t := range arabic.AnalyzeKeepingStops(w) {
			notPeople[t.Text] = true
		}
	}
}

func inMatches(ms []match, i, j int) bool {
	for _, m := range ms {
		if i < m.j && m.i < j {
			return true
		}
	}
	return false
}

// nameNumber: a figure right after a name word is part of the name ("الفرقة
// 17", "اللواء 93", "Division 17", "F-16").
func (d *doc) nameNumber(i, j int) bool {
	if i == 0 || j-i != 1 {
		return false
	}
	switch d.terms[i-1].Text {
	case "فرق", "الفرق", "فرقه", "لواء", "اللواء", "فوج", "الفوج", "مطار", "division", "brigade", "regiment", "route", "highway", "road", "طريق", "الطريق":
		return true
	}
	return false
}

// dualWord: the figure is a dual noun (امرأتين، طفلين), which counts
// itself and not the noun after it.
func (d *doc) dualWord(v *victim) bool {
	if v.j-v.i != 1 {
		return false
	}
	for _, r := range v.text {
		if unicode.IsDigit(r) {
			return false
		}
	}
	return !isLatin(d.terms[v.i].Text) && v.best == 2
}

// plural: the word matched as one person is an English plural (the
// analyser folds fighters to fighter).
func (d *doc) plural(m match) bool {
	t := d.terms[m.j-1]
	raw := strings.ToLower(d.text[t.Start:t.End])
	if isLatin(t.Text) {
		return strings.HasSuffix(raw, "s") && !strings.HasSuffix(raw, "ss")
	}
	// Arabic sound plurals (مدنيين، مدنيون), which the analyser folds to
	// the singular too.
	raw = stripMarks(raw)
	return strings.HasSuffix(raw, "ين") || strings.HasSuffix(raw, "ون")
}

// article: an English noun of one person comes with "a", "an", "one" or a
// possessive ("his wife"), or stands alone after "and".
func (d *doc) article(k int) bool {
	for e := k - 1; e >= max(0, k-4); e-- {
		switch d.terms[e].Text {
		case "a", "an", "one", "his", "her", "their", "its":
			return true
		case "the":
			return false
		}
	}
	return false
}

// isAge: the number is someone's age ("البالغ من العمر 12 عاماً", "aged
// 12", "a 12-year-old"), not a count.
func (d *doc) isAge(i, j int) bool {
	if j+1 < len(d.terms) && (d.terms[j].Text == "of" || d.terms[j].Text == "من") && household[d.terms[j+1].Text] {
		return true // "hundreds of families", "مئات من العائلات"
	}
	if j < len(d.terms) && household[d.terms[j].Text] {
		return true
	}
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
	// A dual household: عائلتين، أسرتين.
	if j-i == 1 {
		switch d.terms[i].Text {
		case "عايلت", "عاءلت", "اسرت", "عايلتين", "اسرتين":
			return true
		}
		raw := d.text[d.terms[i].Start:d.terms[i].End]
		if strings.Contains(raw, "عائلت") || strings.Contains(raw, "أسرت") || strings.Contains(raw, "اسرت") {
			return true
		}
	}
	// "البالغ من العمر 12", "aged 12"; "في السادسة عشرة من عمره".
	if i > 0 {
		switch d.terms[i-1].Text {
		case "عمر", "العمر", "age", "aged":
			return true
		}
	}
	if j+1 < len(d.terms) && d.terms[j].Text == "من" && d.terms[j+1].Text == "عمر" {
		return true
	}
	return false
}

// categoryNear is the category named within four terms from term k in
// sentence s, before a word that names who did it (برصاص عناصر، by
// fighters) or why (جراء، in).
func (d *doc) categoryNear(k, s int) string {
	end := min(k+4, len(d.terms))
	for e := k; e < end; e++ {
		if d.sentence(e) != s || stopsCategory(d.terms[e].Text) {
			end = e
			break
		}
	}
	if k >= end {
		return ""
	}
	// A phrase may run past the window (الكادر الطبي) but must start in it.
	if c, at := categoryOf(d.terms[k:min(end+2, len(d.terms))]); at >= 0 && k+at < end {
		return c
	}
	return ""
}

func stopsCategory(t string) bool {
	if clauseBreak(t) {
		return true
	}
	switch t {
	case "امس", "اليوم", "يوم", "صباح", "مساء", "فجر", "ليل", "عندما", "yesterday", "today",
		// the source of a figure: "وفق الدفاع المدني", "according to"
		"وفق", "وفقا", "بحسب", "حسب", "according":
		return true
	case "برصاص", "رصاص", "بنيران", "نيران", "جراء", "اثر", "بسبب", "اثناء", "خلال", "في", "على", "بقصف", "قصف",
		"by", "in", "during", "after", "when", "from", "at", "on",
		// a part named next has its own category: "14 قتيلاً بينهم 3 أطفال"
		"بين", "بينهم", "منهم", "بينهن", "includ", "including", "among":
		return true
	}
	return false
}

// fromParty: the terms after a count say whose members they were: "من
// التنظيم", "من عناصر قسد", "of ISIS".
func (d *doc) fromParty(k, s int) bool {
	if k < len(d.terms) && (d.terms[k].Text == "member" || d.terms[k].Text == "members" || d.terms[k].Text == "افراد") {
		k++ // "seven members of …", "خمسة أفراد من …"
	}
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
		case "تنظيم", "التنظيم", "عناصر", "عنصر", "مقاتل", "ميليشي", "ميليشيات", "قوات", "مهاجم", "مهاجمين",
			"attacker", "attackers", "assailants", "militias", "militia", "forces", "member", "members", "عناصره", "عناصرها":
			return true
		}
	}
	// A party named right after: "سبعة من عناصر قسد", "members of Iran's
	// Revolutionary Guards".
	for _, p := range d.parties {
		if p.i > k && p.i <= k+3 {
			return true
		}
	}
	return false
}

// ofThem: "منهم أطفال", "of them children" after a figure makes it part of
// the one before; it returns the category named.
func (d *doc) ofThem(k, s int) string {
	if k >= len(d.terms) || d.sentence(k) != s {
		return ""
	}
	switch {
	case d.terms[k].Text == "منهم" || d.terms[k].Text == "منهن":
		k++
	case k+1 < len(d.terms) && d.terms[k].Text == "of" && d.terms[k+1].Text == "them":
		k += 2
	default:
		return ""
	}
	if k >= len(d.terms) {
		return ""
	}
	c, _ := categoryOf(d.terms[k:min(k+2, len(d.terms))])
	return c
}

// including: a word right before term k in its sentence makes what
// follows part of a group named before: "بينهم", "منهم", "including",
// "among them", "وهم".
func (d *doc) including(k, s int) bool {
	for e := k - 1; e >= max(0, k-2); e-- {
		if d.sentence(e) != s {
			return false
		}
		switch d.terms[e].Text {
		case "بين", "بينهم", "منهم", "بينهن", "includ", "among", "including", "هم", "وهم", "احدهم", "احدهن", "احداهن", "احداهم":
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
