package arabic

import "strings"

// qualifier words are matched on normalised tokens, longest first.
type qualifierWords struct {
	words []string
	q     string
}

// qLess is up_to with Max n-1 (أقل من, fewer than); qOpen opens a range
// (بين, between, من … إلى) and is dropped if no range follows.
const (
	qLess = "less"
	qOpen = "open"
)

// preQualifiers come before a number.
var preQualifiers = [...]qualifierWords{
	{[]string{"ما", "لا", "يقل", "عن"}, QualifierAtLeast},
	{[]string{"ما", "لا", "يقل", "علي"}, QualifierAtLeast},
	{[]string{"ما", "لا", "يزيد", "عن"}, QualifierUpTo},
	{[]string{"ما", "لا", "يزيد", "علي"}, QualifierUpTo},
	{[]string{"no", "fewer", "than"}, QualifierAtLeast},
	{[]string{"no", "less", "than"}, QualifierAtLeast},
	{[]string{"no", "more", "than"}, QualifierUpTo},
	{[]string{"ما", "يزيد", "عن"}, QualifierMoreThan},
	{[]string{"ما", "يزيد", "علي"}, QualifierMoreThan},
	{[]string{"ما", "يربو", "علي"}, QualifierMoreThan},
	{[]string{"ما", "يقرب", "من"}, QualifierAbout},
	{[]string{"ما", "يصل", "الي"}, QualifierUpTo},
	{[]string{"ما", "لا", "يتجاوز"}, QualifierUpTo},
	{[]string{"as", "many", "as"}, QualifierUpTo},
	{[]string{"لا", "يقل", "عن"}, QualifierAtLeast},
	{[]string{"لا", "يقل", "علي"}, QualifierAtLeast},
	{[]string{"لا", "يزيد", "عن"}, QualifierUpTo},
	{[]string{"لا", "يزيد", "علي"}, QualifierUpTo},
	{[]string{"لا", "يتجاوز"}, QualifierUpTo},
	{[]string{"علي", "الاقل"}, QualifierAtLeast},
	{[]string{"at", "least"}, QualifierAtLeast},
	{[]string{"اكثر", "من"}, QualifierMoreThan},
	{[]string{"ازيد", "من"}, QualifierMoreThan},
	{[]string{"يزيد", "عن"}, QualifierMoreThan},
	{[]string{"يزيد", "علي"}, QualifierMoreThan},
	{[]string{"يربو", "علي"}, QualifierMoreThan},
	{[]string{"ما", "يفوق"}, QualifierMoreThan},
	{[]string{"more", "than"}, QualifierMoreThan},
	{[]string{"upwards", "of"}, QualifierMoreThan},
	{[]string{"يقرب", "من"}, QualifierAbout},
	{[]string{"ما", "يقارب"}, QualifierAbout},
	{[]string{"ما", "يناهز"}, QualifierAbout},
	{[]string{"an", "estimated"}, QualifierAbout},
	{[]string{"يصل", "الي"}, QualifierUpTo},
	{[]string{"up", "to"}, QualifierUpTo},
	{[]string{"اقل", "من"}, qLess},
	{[]string{"fewer", "than"}, qLess},
	{[]string{"less", "than"}, qLess},
	{[]string{"ما", "بين"}, qOpen},
	{[]string{"يفوق"}, QualifierMoreThan},
	// "تجاوزت الحصيلة 120", "the toll exceeded 120"
	{[]string{"تجاوز"}, QualifierMoreThan},
	{[]string{"تجاوزت"}, QualifierMoreThan},
	{[]string{"يتجاوز"}, QualifierMoreThan},
	{[]string{"تتجاوز"}, QualifierMoreThan},
	{[]string{"تخطي"}, QualifierMoreThan},
	{[]string{"تخطت"}, QualifierMoreThan},
	{[]string{"exceeded"}, QualifierMoreThan},
	{[]string{"exceeds"}, QualifierMoreThan},
	{[]string{"topped"}, QualifierMoreThan},
	{[]string{"surpassed"}, QualifierMoreThan},
	{[]string{"over"}, QualifierMoreThan},
	{[]string{"يقارب"}, QualifierAbout},
	{[]string{"يناهز"}, QualifierAbout},
	{[]string{"نحو"}, QualifierAbout},
	{[]string{"حوالي"}, QualifierAbout},
	{[]string{"قرابه"}, QualifierAbout},
	{[]string{"زهاء"}, QualifierAbout},
	{[]string{"تقريبا"}, QualifierAbout},
	{[]string{"about"}, QualifierAbout},
	{[]string{"around"}, QualifierAbout},
	{[]string{"approximately"}, QualifierAbout},
	{[]string{"nearly"}, QualifierAbout},
	{[]string{"almost"}, QualifierAbout},
	{[]string{"roughly"}, QualifierAbout},
	{[]string{"estimated"}, QualifierAbout},
	{[]string{"some"}, QualifierAbout},
	{[]string{"حتي"}, QualifierUpTo},
	{[]string{"بين"}, qOpen},
	{[]string{"between"}, qOpen},
	{[]string{"من"}, qOpen},
	{[]string{"from"}, qOpen},
}

// postQualifiers come after a number or after the noun it counts.
var postQualifiers = [...]qualifierWords{
	{[]string{"علي", "الاقل"}, QualifierAtLeast},
	{[]string{"at", "least"}, QualifierAtLeast},
	{[]string{"او", "اكثر"}, QualifierAtLeast},
	{[]string{"or", "more"}, QualifierAtLeast},
	{[]string{"تقريبا"}, QualifierAbout},
	{[]string{"or", "so"}, QualifierAbout},
}

// rangeWords join the two ends of a range; "و" and "and" only after an
// opener (بين 250 و300).
var rangeWords = map[string]bool{"الي": false, "حتي": false, "to": false, "و": true, "and": true}

// qualifierAt matches qualifier words at token i.
func (n *numScanner) qualifierAt(i int, words []qualifierWords) (q string, next int) {
	first, alt := n.text(i), bare(n.text(i))
	for _, p := range words {
		if p.words[0] != first && p.words[0] != alt {
			continue
		}
		if j, ok := n.matchWords(i, p.words); ok {
			return p.q, j
		}
	}
	return "", i
}

// at reads the count that starts at token i, if any, and returns the index
// after it.
func (n *numScanner) at(i int) (Number, int, bool) {
	if q, j := n.qualifierAt(i, preQualifiers[:]); q != "" && n.joined(j) {
		if num, k, ok := n.count(j, q); ok {
			if usedQualifier(num, q) {
				num.Start = n.toks[i].Start
			}
			return num, k, true
		}
	}
	return n.count(i, "")
}

// usedQualifier reports whether num took the pre-qualifier q; a dual, a vague
// quantity or an opener without a range does not.
func usedQualifier(num Number, q string) bool {
	switch q {
	case qOpen:
		return num.Qualifier == QualifierRange
	case qLess:
		return num.Qualifier == QualifierUpTo
	}
	return num.Qualifier == q
}

// count reads a dual, a vague quantity or a cardinal at token i, qualified
// by q, with the range, noun and post-qualifier that follow it.
func (n *numScanner) count(i int, q string) (Number, int, bool) {
	if num, ok := n.dual(i); ok {
		return num, i + 1, true
	}
	if num, k, ok := n.vague(i); ok {
		num.Noun, _ = n.noun(k)
		return num, k, true
	}
	v, k, ok := n.cardinal(i)
	if !ok || n.notCount(i, k) {
		return Number{}, i, false
	}
	num := Number{Start: n.toks[i].Start, End: n.toks[k-1].End}
	if b, k2, ok := n.rangeEnd(k, q == qOpen); ok && b > v {
		num.Min, num.Value, num.Max, num.Qualifier = v, v, b, QualifierRange
		num.End, k = n.toks[k2-1].End, k2
	} else {
		if q == qOpen {
			q = ""
		}
		if pq, k2 := n.postQualifier(k); q == "" && pq != "" {
			q, num.End, k = pq, n.toks[k2-1].End, k2
		}
		qualify(&num, v, q)
	}
	noun, afterNoun := n.noun(k)
	num.Noun = noun
	if pq, k2 := n.postQualifier(afterNoun); num.Qualifier == QualifierExact && noun != "" && pq != "" {
		qualify(&num, v, pq) // 12 مدنياً على الأقل
		num.End, k = n.toks[k2-1].End, k2
	}
	return num, k, true
}

// qualify sets the bounds of num for the stated figure v and qualifier q.
func qualify(num *Number, v int, q string) {
	switch q {
	case "":
		num.Min, num.Value, num.Max, num.Qualifier = v, v, v, QualifierExact
	case QualifierAbout:
		num.Min, num.Value, num.Max, num.Qualifier = v, v, v, q
	case QualifierAtLeast:
		num.Min, num.Value, num.Max, num.Qualifier = v, v, Unbounded, q
	case QualifierMoreThan:
		num.Min, num.Value, num.Max, num.Qualifier = v+1, v+1, Unbounded, q
	case QualifierUpTo:
		num.Min, num.Value, num.Max, num.Qualifier = min(1, v), v, v, q
	case qLess:
		num.Min, num.Value, num.Max, num.Qualifier = min(1, v-1), v-1, v-1, QualifierUpTo
	}
}

// postQualifier matches qualifier words right after token k-1.
func (n *numScanner) postQualifier(k int) (string, int) {
	if !n.joined(k) {
		return "", k
	}
	return n.qualifierAt(k, postQualifiers[:])
}

// rangeEnd reads the upper end of a range after token k-1: "-300",
// "إلى 300", "to 300", or after an opener "و300", "and 300".
func (n *numScanner) rangeEnd(k int, opened bool) (int, int, bool) {
	if k >= len(n.toks) {
		return 0, k, false
	}
	j := k
	switch needOpener, isWord := rangeWords[n.text(k)]; {
	case n.hyphened(k):
	case isWord && n.joined(k) && (opened || !needOpener):
		j = k + 1
		if !n.joined(j) {
			return 0, k, false
		}
	case opened && n.joined(k) && strings.HasPrefix(n.text(k), "و") && n.toks[k].Kind == KindWord:
		// بين ثلاثين وخمسين: the conjunction is on the word; cardinal strips it.
	default:
		return 0, k, false
	}
	b, end, ok := n.cardinal(j)
	if !ok || n.notCount(j, end) {
		return 0, k, false
	}
	return b, end, true
}

// notCount reports a cardinal in tokens [i, k) that is not a count: a
// percentage, a clock time, or "one" after no, any, every.
func (n *numScanner) notCount(i, k int) bool {
	after := strings.TrimSpace(n.gapAfter(k - 1))
	switch {
	case strings.HasPrefix(after, "%"), strings.HasPrefix(after, "٪"):
		return true
	case n.text(k) == "بالميه" || n.text(k) == "بالمايه" || n.text(k) == "percent",
		n.text(k) == "في" && (n.text(k+1) == "الميه" || n.text(k+1) == "المايه"),
		n.text(k) == "per" && n.text(k+1) == "cent":
		return true
	case n.toks[i].Kind == KindNumber && (strings.HasPrefix(after, ":") ||
		strings.HasSuffix(strings.TrimSpace(n.gap(i)), ":")):
		return true
	case n.text(i) == "one" && k == i+1:
		switch n.text(i - 1) {
		case "no", "any", "every", "each", "the", "this", "that", "which":
			return true
		}
	}
	return false
}

// gapAfter returns the original text after token i up to the next token.
func (n *numScanner) gapAfter(i int) string {
	if i+1 < len(n.toks) {
		return n.gap(i + 1)
	}
	return n.s[n.toks[i].End:]
}

// noun returns the word after token k-1, skipping من or of, as the word
// counted, and the index after it; or "" and k. It is a hint: in "نزوح
// الآلاف من الرقة" it is الرقة.
func (n *numScanner) noun(k int) (string, int) {
	j := k
	if (n.text(j) == "من" || n.text(j) == "of") && n.joined(j) {
		j++
	}
	if !n.joined(j) || n.toks[j].Kind != KindWord || n.toks[j].Script == ScriptMixed {
		return "", k
	}
	w := n.toks[j].Text
	if _, _, _, isNum := n.component(j, false); isNum || IsStopWord(w) {
		return "", k
	}
	if q, _ := n.qualifierAt(j, preQualifiers[:]); q != "" {
		return "", k
	}
	if _, isVague := vagueWords[w]; isVague {
		return "", k
	}
	return w, j + 1
}

// vagueRange is what a vague quantity word means.
type vagueRange struct {
	min, max int
	q        string
}

var (
	several   = vagueRange{3, 9, QualifierSeveral}
	dozens    = vagueRange{12, 99, QualifierDozens}
	hundreds  = vagueRange{100, 999, QualifierHundreds}
	thousands = vagueRange{1000, 9999, QualifierThousands}
)

// vagueWords are the vague quantities (normalised: مئات is ميات). The map is
// never written to.
var vagueWords = map[string]vagueRange{
	"بضع": several, "بضعه": several, "عده": several, "several": several,
	"عشرات": dozens, "العشرات": dozens, "dozens": dozens, "scores": dozens, "tens": dozens,
	"ميات": hundreds, "الميات": hundreds, "hundreds": hundreds,
	"الاف": thousands, "الالاف": thousands, "الوف": thousands, "الالوف": thousands,
	"thousands": thousands,
}

// scaleWords scale a vague quantity before them: عشرات الآلاف, several
// hundred.
var scaleWords = map[string]vagueRange{
	"الاف": thousands, "الالاف": thousands, "thousands": thousands, "thousand": thousands,
	"ميات": hundreds, "hundreds": hundreds, "hundred": hundreds,
}

// vague reads a vague quantity at token i (with و, ب or ل on it: بعشرات) and
// a scale word after it.
func (n *numScanner) vague(i int) (Number, int, bool) {
	v, ok := vagueWords[n.text(i)]
	if !ok && n.toks[i].Script == ScriptArabic {
		for _, p := range [...]string{"و", "ب", "ل"} {
			if rest, cut := strings.CutPrefix(n.text(i), p); cut {
				if v, ok = vagueWords[rest]; ok {
					break
				}
			}
		}
	}
	if !ok && i+1 < len(n.toks) && n.joined(i+1) {
		// "عدد من المدنيين", "a number of civilians": several.
		w := n.text(i)
		for _, p := range [...]string{"و", "ب", "ل"} {
			if rest, cut := strings.CutPrefix(w, p); cut && strings.HasPrefix(rest, "عدد") {
				w = rest
			}
		}
		next := n.text(i + 1)
		switch {
		case (w == "عدد" || w == "عددا") && next == "من":
			v, ok = several, true
		case w == "number" && next == "of" && i > 0 && n.text(i-1) == "a":
			v, ok = several, true
		}
	}
	if !ok {
		return Number{}, i, false
	}
	num := Number{Start: n.toks[i].Start, End: n.toks[i].End, Min: v.min, Max: v.max, Qualifier: v.q}
	k := i + 1
	j := k
	if n.text(j) == "of" && n.joined(j) {
		j++
	}
	if scale, ok := scaleWords[n.text(j)]; ok && n.joined(j) && scale.min > v.max {
		num.Min, num.Max, num.Qualifier = v.min*scale.min, v.max*scale.min+scale.min-1, scale.q
		num.End, k = n.toks[j].End, j+1
	}
	num.Value = num.Min
	return num, k, true
}

// dualNouns are nouns whose sound dual (ين/ان, or تين/تان for those in ه) is
// not also their plural, so that قتيلين, جريحين, طفلين, غارتين mean two.
// مدنيين, معتقلين or مقاتلين are left out: they are plurals too. The map is
// never written to.
var dualNouns = map[string]bool{
	"قتيل": true, "جريح": true, "طفل": true, "شهيد": true, "شخص": true, "رجل": true,
	"جندي": true, "عنصر": true, "شاب": true, "شقيق": true, "منزل": true, "صاروخ": true,
	"برميل": true, "مبني": true, "مستشفي": true, "لغم": true,
	"طفله": true, "امراه": true, "فتاه": true, "سيده": true, "غاره": true, "قذيفه": true,
	"طايره": true, "سياره": true, "عايله": true, "اسره": true, "مدرسه": true, "ضربه": true,
	"عبوه": true, "مجزره": true, "تلميذ": true, "ابن": true, "ابنه": true,
}

// dual reads a dual noun at token i (with و, ب or ل on it): قتيلين → 2
// قتيل.
func (n *numScanner) dual(i int) (Number, bool) {
	t := n.toks[i]
	if t.Script != ScriptArabic {
		return Number{}, false
	}
	two := func(noun string) (Number, bool) {
		return Number{Start: t.Start, End: t.End, Min: 2, Value: 2, Max: 2, Qualifier: QualifierExact, Noun: noun}, true
	}
	// Every dual ends in ن, or in ا, ي and a possessive (ه، ها، هم، هما).
	if !strings.HasSuffix(t.Text, "ن") && !strings.HasSuffix(t.Text, "ه") && !strings.HasSuffix(t.Text, "ا") &&
		!strings.HasSuffix(t.Text, "م") {
		return Number{}, false
	}
	shortest := t.Text
	for _, p := range dualPrefixes {
		w, ok := strings.CutPrefix(t.Text, p)
		if p != "" && (!ok || len(w) <= 4) {
			continue
		}
		if len(w) < len(shortest) {
			shortest = w
		}
		if noun := dualOf(w); noun != "" {
			return two(noun)
		}
		// A dual with a possessive drops its ن: طفلاها، طفليهما، شقيقيه.
		for _, pron := range [...]string{"هما", "هم", "ها", "ه"} {
			stem, ok := strings.CutSuffix(w, pron)
			if !ok || len(stem) <= 2 {
				continue
			}
			for _, suf := range [...]string{"ا", "ي"} {
				if base, ok := strings.CutSuffix(stem, suf); ok && dualNouns[base] && !strings.HasSuffix(base, "ه") {
					return two(base)
				}
				if base, ok := strings.CutSuffix(stem, "ت"+suf); ok && dualNouns[base+"ه"] {
					return two(base + "ه")
				}
			}
		}
	}
	// A dual in ين written with the fatha before its ي (ممرضَين، مسعفَين) is
	// not the plural (ممرضِين).
	if raw := n.s[t.Start:t.End]; strings.HasSuffix(shortest, "ين") && (strings.HasSuffix(raw, "َين") || strings.HasSuffix(raw, "َيْن")) {
		if stem := strings.TrimSuffix(shortest, "ين"); dualAnNouns[stem] || dualNouns[stem] {
			return two(stem)
		}
	}
	// A nisba dual written with its shadda and fatha (صحفيَّين، الإعلاميَّين)
	// is not the plural (صحفيِّين).
	if strings.HasSuffix(t.Text, "يين") && len(shortest) > len("يين")+2 {
		if raw := n.s[t.Start:t.End]; strings.Contains(raw, "يَّي") || strings.Contains(raw, "يَّي") {
			return two(strings.TrimSuffix(shortest, "ين"))
		}
	}
	return Number{}, false
}

// dualPrefixes are the prefixes a counted noun takes, none first: و، ب، ل،
// ال and their combinations (والطفلين، بالغارتين، للطفلين).
var dualPrefixes = [...]string{"", "وال", "بال", "فال", "لل", "ال", "و", "ب", "ل"}

// dualAnNouns are nouns whose dual in ان is never their plural, though
// their dual in ين is (مسعفين, صحفيين): مسعفان, صحفيان mean two. The map is
// never written to.
var dualAnNouns = map[string]bool{
	"مسعف": true, "ممرض": true, "طبيب": true, "صحفي": true, "اعلامي": true, "مدني": true, "مقاتل": true,
	"معتقل": true, "متطوع": true, "ناشط": true, "مصور": true, "مسلح": true, "طالب": true, "معلم": true,
	"مريض": true,
}

// dualOf returns the singular of a dual in dualNouns or dualAnNouns, or "".
func dualOf(w string) string {
	if stem, ok := strings.CutSuffix(w, "ان"); ok && dualAnNouns[stem] {
		return stem
	}
	for _, suf := range [...]string{"تين", "تان"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && dualNouns[stem+"ه"] {
			return stem + "ه"
		}
	}
	for _, suf := range [...]string{"ين", "ان"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && dualNouns[stem] && !strings.HasSuffix(stem, "ه") {
			return stem
		}
	}
	return ""
}
