package arabic

import (
	"math"
	"strconv"
	"strings"
)

// numRole is the part a word plays in a cardinal number.
type numRole uint8

const (
	rNone       numRole = iota
	rDigits             // 70, 1,200
	rDecimal            // 2.5 (a count only before a multiplier: 2.5 مليون)
	rUnit               // 1-9: ثلاثة, three
	rTeenHead           // أحد إحدى اثنا اثني اثنتا اثنتي: only before عشر
	rTen                // عشر عشرة ten; after a unit it makes a teen
	rTeen               // eleven … nineteen
	rTens               // عشرون … تسعين, twenty … ninety
	rHundred            // a whole hundred: مئة 100, مئتان 200, ثلاثمئة 300
	rHundredX           // hundred: times 100
	rMult               // ألف thousand مليون million dozen: multiplies what precedes
	rMultPlural         // آلاف ألوف ملايين: multiplies, but cannot start a number
	rMultWhole          // ألفان 2000, مليونان 2000000: a multiplier already counted
	rA                  // "a", before hundred, thousand, million, dozen
)

// numWord is one entry of the number lexicon.
type numWord struct {
	role  numRole
	value int     // the number, or the multiplier for rMult and rHundredX
	f     float64 // the value of an rDecimal
}

// numWords maps normalised Arabic and lower-case English number words to
// their part. Compound hundreds (ثلاثمئة, خمسمائة) are found by lookupNum.
// The map is never written to.
var numWords = map[string]numWord{
	"واحد": {rUnit, 1, 0}, "واحده": {rUnit, 1, 0},
	"اثنان": {rUnit, 2, 0}, "اثنين": {rUnit, 2, 0}, "اثنتان": {rUnit, 2, 0}, "اثنتين": {rUnit, 2, 0},
	"ثلاث": {rUnit, 3, 0}, "ثلاثه": {rUnit, 3, 0}, "اربع": {rUnit, 4, 0}, "اربعه": {rUnit, 4, 0},
	"خمس": {rUnit, 5, 0}, "خمسه": {rUnit, 5, 0}, "ست": {rUnit, 6, 0}, "سته": {rUnit, 6, 0},
	"سبع": {rUnit, 7, 0}, "سبعه": {rUnit, 7, 0}, "ثمان": {rUnit, 8, 0}, "ثماني": {rUnit, 8, 0},
	"ثمانيه": {rUnit, 8, 0}, "تسع": {rUnit, 9, 0}, "تسعه": {rUnit, 9, 0},
	"احد": {rTeenHead, 1, 0}, "احدي": {rTeenHead, 1, 0}, "اثنا": {rTeenHead, 2, 0},
	"اثني": {rTeenHead, 2, 0}, "اثنتا": {rTeenHead, 2, 0}, "اثنتي": {rTeenHead, 2, 0},
	"عشر": {rTen, 10, 0}, "عشره": {rTen, 10, 0},
	"عشرون": {rTens, 20, 0}, "عشرين": {rTens, 20, 0}, "ثلاثون": {rTens, 30, 0}, "ثلاثين": {rTens, 30, 0},
	"اربعون": {rTens, 40, 0}, "اربعين": {rTens, 40, 0}, "خمسون": {rTens, 50, 0}, "خمسين": {rTens, 50, 0},
	"ستون": {rTens, 60, 0}, "ستين": {rTens, 60, 0}, "سبعون": {rTens, 70, 0}, "سبعين": {rTens, 70, 0},
	"ثمانون": {rTens, 80, 0}, "ثمانين": {rTens, 80, 0}, "تسعون": {rTens, 90, 0}, "تسعين": {rTens, 90, 0},
	// مئة and مائة normalise to ميه and مايه (ئ → ي, ة → ه)
	"ميه": {rHundred, 100, 0}, "مايه": {rHundred, 100, 0},
	"ميتان": {rHundred, 200, 0}, "ميتين": {rHundred, 200, 0}, "ميتي": {rHundred, 200, 0},
	"مايتان": {rHundred, 200, 0}, "مايتين": {rHundred, 200, 0}, "مايتي": {rHundred, 200, 0},
	"الف": {rMult, 1000, 0}, "الفا": {rMult, 1000, 0}, "الاف": {rMultPlural, 1000, 0}, "الوف": {rMultPlural, 1000, 0},
	"الفان": {rMultWhole, 2000, 0}, "الفين": {rMultWhole, 2000, 0}, "الفي": {rMultWhole, 2000, 0},
	"مليون": {rMult, 1000000, 0}, "مليونا": {rMult, 1000000, 0}, "ملايين": {rMultPlural, 1000000, 0},
	"مليونان": {rMultWhole, 2000000, 0}, "مليونين": {rMultWhole, 2000000, 0},

	"one": {rUnit, 1, 0}, "two": {rUnit, 2, 0}, "three": {rUnit, 3, 0}, "four": {rUnit, 4, 0},
	"five": {rUnit, 5, 0}, "six": {rUnit, 6, 0}, "seven": {rUnit, 7, 0}, "eight": {rUnit, 8, 0},
	"nine": {rUnit, 9, 0}, "ten": {rTen, 10, 0}, "eleven": {rTeen, 11, 0}, "twelve": {rTeen, 12, 0},
	"thirteen": {rTeen, 13, 0}, "fourteen": {rTeen, 14, 0}, "fifteen": {rTeen, 15, 0},
	"sixteen": {rTeen, 16, 0}, "seventeen": {rTeen, 17, 0}, "eighteen": {rTeen, 18, 0},
	"nineteen": {rTeen, 19, 0}, "twenty": {rTens, 20, 0}, "thirty": {rTens, 30, 0},
	"forty": {rTens, 40, 0}, "fifty": {rTens, 50, 0}, "sixty": {rTens, 60, 0},
	"seventy": {rTens, 70, 0}, "eighty": {rTens, 80, 0}, "ninety": {rTens, 90, 0},
	"hundred": {rHundredX, 100, 0}, "thousand": {rMult, 1000, 0}, "million": {rMult, 1000000, 0},
	"dozen": {rMult, 12, 0}, "a": {rA, 1, 0},
}

// lookupNum finds a number word, including the one-word hundreds ثلاثمئة
// … تسعمائة.
func lookupNum(w string) (numWord, bool) {
	if e, ok := numWords[w]; ok {
		return e, true
	}
	for _, h := range [...]string{"ميه", "مايه"} {
		if u, ok := strings.CutSuffix(w, h); ok {
			if e, ok := numWords[u]; ok && e.role == rUnit && e.value >= 3 {
				return numWord{role: rHundred, value: e.value * 100}, true
			}
		}
	}
	return numWord{}, false
}

// maxCount bounds the numbers read; anything larger is not a count.
const maxCount = 1_000_000_000_000

// digitsWord reads a number token: "70", "1,200", "2.5".
func digitsWord(text string) (numWord, bool) {
	plain := strings.ReplaceAll(text, ",", "")
	if strings.Count(plain, ".") > 1 || len(plain) > 13 {
		return numWord{}, false
	}
	if strings.Contains(plain, ".") {
		f, err := strconv.ParseFloat(plain, 64)
		return numWord{role: rDecimal, f: f}, err == nil
	}
	v, err := strconv.Atoi(plain)
	return numWord{role: rDigits, value: v}, err == nil && v <= maxCount
}

// component reads the number word at token i, with a conjunction before it
// (و written on or apart, English "and") if there is one. cont says the word
// would continue a number; a first word may also carry ب or ل (بعشرات).
func (n *numScanner) component(i int, cont bool) (e numWord, next int, conj, ok bool) {
	if i >= len(n.toks) {
		return numWord{}, i, false, false
	}
	t := n.toks[i]
	if t.Kind == KindNumber {
		e, ok = digitsWord(t.Text)
		return e, i + 1, false, ok
	}
	if e, ok = lookupNum(t.Text); ok {
		return e, i + 1, false, true
	}
	if t.Script == ScriptArabic {
		prefixes := []string{"و"}
		if !cont {
			prefixes = append(prefixes, "ب", "ل")
		}
		for _, p := range prefixes {
			if rest, cut := strings.CutPrefix(t.Text, p); cut {
				if e, ok = lookupNum(rest); ok && e.role != rA {
					return e, i + 1, p == "و", true
				}
			}
		}
	}
	if (t.Text == "و" || t.Text == "and") && n.joined(i+1) && i+1 < len(n.toks) {
		if e, ok = lookupNum(n.toks[i+1].Text); ok {
			return e, i + 2, true, true
		}
	}
	return numWord{}, i, false, false
}

// cardinal reads a cardinal number starting at token i: digits or number
// words with their multipliers and conjunctions (ثلاثة وعشرين, مئة وخمسون,
// 3 آلاف, two hundred and fifty). It returns the value and the index after
// its last token.
func (n *numScanner) cardinal(i int) (value, end int, ok bool) {
	first, j, conj, ok := n.component(i, false)
	if !ok || conj && j != i+1 || first.role == rMultPlural { // وأربعة, not و أربعة
		return 0, i, false
	}
	if first.role == rDecimal {
		return n.decimal(first, j)
	}
	var a accumulator
	a.lastMult = math.MaxInt
	a.start(first)
	prev, lastGood, lastValue := first, j, a.value()
	for {
		english := n.toks[i].Script == ScriptLatin
		c, k, conj, ok := n.component(j, true)
		if !ok || !(n.joined(j) || english && n.hyphened(j)) || !a.add(prev, c, conj, english) {
			break
		}
		prev, j = c, k
		if prev.role != rTeenHead && prev.role != rA {
			lastGood, lastValue = j, a.value()
		}
	}
	if lastGood == i+1 && (first.role == rTeenHead || first.role == rA) {
		return 0, i, false
	}
	if lastValue <= 0 || lastValue > maxCount {
		return 0, i, false
	}
	return lastValue, lastGood, true
}

// decimal reads "2.5 مليون": a decimal is a count only before a multiplier.
func (n *numScanner) decimal(d numWord, j int) (int, int, bool) {
	c, k, conj, ok := n.component(j, true)
	if !ok || conj || !n.joined(j) || !isMult(c) || c.value < 1000 {
		return 0, j, false
	}
	v := math.Round(d.f * float64(c.value))
	if v <= 0 || v > maxCount {
		return 0, j, false
	}
	return int(v), k, true
}

// accumulator sums the parts of a cardinal: total holds what multipliers
// have closed, group the part under 1000 being read.
type accumulator struct {
	total, group, lastMult int
}

func (a *accumulator) value() int { return a.total + a.group }

// start takes the first word.
func (a *accumulator) start(e numWord) {
	switch e.role {
	case rMult:
		a.total, a.lastMult = e.value, e.value // ألف = 1000
	case rMultWhole:
		a.total, a.lastMult = e.value, e.value/2
	default:
		a.group = e.value
	}
}

// add takes the next word c after prev, and reports whether it belongs to
// the number. english allows English word order (twenty three, two hundred
// fifty).
func (a *accumulator) add(prev, c numWord, conj, english bool) bool {
	small := c.role == rUnit || c.role == rTen || c.role == rTeen || c.role == rTens ||
		c.role == rTeenHead || c.role == rHundred
	switch {
	case !conj && (prev.role == rUnit || prev.role == rTeenHead) && c.role == rTen && a.group%100 < 10:
		a.group += 10 // ثلاثة عشر, أحد عشر
	case !conj && prev.role == rUnit && c.role == rHundred && c.value == 100:
		a.group += prev.value*100 - prev.value // ثلاث مئة
	case !conj && (prev.role == rUnit || prev.role == rA) && c.role == rHundredX:
		a.group += prev.value*100 - prev.value // two hundred, a hundred
	case !conj && english && prev.role == rTens && c.role == rUnit:
		a.group += c.value // twenty three, twenty-three
	case !conj && isMult(c) && !isMult(prev) && prev.role != rMultWhole && c.value < a.lastMult:
		a.total += max(a.group, 1) * c.value // 3 آلاف, مئة ألف, a dozen
		a.group, a.lastMult = 0, c.value
	case conj && prev.role == rUnit && c.role == rTens && a.group%100 < 10:
		a.group += c.value // ثلاثة وعشرين
	case (conj || english) && (prev.role == rHundred || prev.role == rHundredX) && small &&
		c.role != rHundred:
		a.group += c.value // مئة وخمسون, two hundred (and) fifty
	case (conj || english) && (isMult(prev) || prev.role == rMultWhole) && a.group == 0 &&
		(small || c.role == rDigits) && c.value < a.lastMult:
		a.group = c.value // ألف وخمسمئة, three thousand five hundred
	default:
		return false
	}
	return true
}

// isMult reports a multiplier word (ألف, آلاف, million, dozen).
func isMult(e numWord) bool { return e.role == rMult || e.role == rMultPlural }
