package extract

import (
	"sort"
	"strings"
	"unicode"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

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
