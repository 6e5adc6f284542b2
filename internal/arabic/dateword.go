package arabic

import (
	"strings"
	"time"
)

// monthName is one month name: its month, and whether it is also an
// ordinary word and so needs a day, a year or a cue word to be a month.
type monthName struct {
	month     time.Month
	ambiguous bool
}

// monthNames maps normalised month names to months. The Levantine
// كانون and تشرين need their ordinal and are read by monthAt. The map is
// never written to.
var monthNames = map[string]monthName{
	"شباط": {2, false}, "اذار": {3, false}, "نيسان": {4, false}, "ايار": {5, false},
	"حزيران": {6, false}, "تموز": {7, false}, "اب": {8, true}, "ايلول": {9, false},
	"يناير": {1, false}, "فبراير": {2, false}, "مارس": {3, true}, "ابريل": {4, false},
	"مايو": {5, false}, "يونيو": {6, false}, "يونيه": {6, false}, "يوليو": {7, false},
	"يوليه": {7, false}, "اغسطس": {8, false}, "سبتمبر": {9, false}, "اكتوبر": {10, false},
	"نوفمبر": {11, false}, "ديسمبر": {12, false},
	"january": {1, false}, "february": {2, false}, "march": {3, true}, "april": {4, false},
	"may": {5, true}, "june": {6, false}, "july": {7, false}, "august": {8, false},
	"september": {9, false}, "october": {10, false}, "november": {11, false},
	"december": {12, false}, "jan": {1, false}, "feb": {2, false}, "apr": {4, false},
	"jun": {6, false}, "jul": {7, false}, "aug": {8, false}, "sep": {9, false},
	"sept": {9, false}, "oct": {10, false}, "nov": {11, false}, "dec": {12, false},
}

// monthCues make an ambiguous month name a month: شهر آب, في آب, in May.
var monthCues = map[string]bool{"شهر": true, "في": true, "منذ": true, "خلال": true,
	"حتي": true, "مطلع": true, "منتصف": true, "اواخر": true, "اوايل": true, "in": true,
	"during": true, "since": true, "until": true, "early": true, "mid": true, "late": true}

// monthAt reads a month name at token i (كانون الثاني, حزيران, June), with a
// second name for the same month after a slash (حزيران/يونيو). It returns
// the month, whether the name is ambiguous, and the index after it.
func (d *dateScanner) monthAt(i int) (time.Month, bool, int, bool) {
	m, ambiguous, next, ok := d.oneMonth(i)
	if !ok {
		return 0, false, i, false
	}
	if next < len(d.toks) && strings.TrimSpace(d.gap(next)) == "/" {
		if m2, amb2, next2, ok := d.oneMonth(next); ok && m2 == m {
			return m, ambiguous && amb2, next2, true
		}
	}
	return m, ambiguous, next, true
}

// oneMonth reads one month name at token i, which may carry و, ب or ل.
func (d *dateScanner) oneMonth(i int) (time.Month, bool, int, bool) {
	w := d.text(i)
	for _, p := range [...]string{"", "و", "ب", "ل"} {
		rest, ok := strings.CutPrefix(w, p)
		if !ok {
			continue
		}
		if rest == "كانون" || rest == "تشرين" {
			if m, ok := levantineOrdinal(rest, d.text(i+1)); ok && d.joined(i+1) {
				return m, false, i + 2, true
			}
			return 0, false, i, false
		}
		if mn, ok := monthNames[rest]; ok {
			return mn.month, mn.ambiguous, i + 1, true
		}
		if d.toks[i].Script != ScriptArabic {
			break
		}
	}
	return 0, false, i, false
}

// levantineOrdinal names the month of كانون or تشرين and its ordinal.
func levantineOrdinal(name, ordinal string) (time.Month, bool) {
	first := ordinal == "الاول" || ordinal == "اول"
	second := ordinal == "الثاني" || ordinal == "ثاني"
	switch {
	case name == "كانون" && first:
		return time.December, true
	case name == "كانون" && second:
		return time.January, true
	case name == "تشرين" && first:
		return time.October, true
	case name == "تشرين" && second:
		return time.November, true
	}
	return 0, false
}

// dayMonth reads a day then a month: "5 حزيران 2017", "26 نيسان", "5th of
// June 2017", "25 الشهر الجاري", "25 من الشهر الماضي", "25 الجاري". In a
// pair of names whose first is not a month name ("26 بريل /نيسان", a
// misspelt أبريل), the second is read.
func (d *dateScanner) dayMonth(i int) (Date, int, bool) {
	day, ok := d.dayToken(i)
	if !ok {
		return Date{}, i, false
	}
	j := i + 1
	if (d.text(j) == "من" || d.text(j) == "of") && d.joined(j) {
		j++
	}
	if !d.joined(j) {
		return Date{}, i, false
	}
	if offset, next, ok := d.relativeMonth(j); ok {
		ref := d.today.AddDate(0, 0, 1-d.today.Day()).AddDate(0, offset, 0)
		when, ok := d.date(ref.Year(), ref.Month(), day)
		if !ok {
			return Date{}, i, false
		}
		return d.span(i, next, when, when, PrecisionDay)
	}
	m, _, next, ok := d.monthAt(j)
	if !ok && j+1 < len(d.toks) && strings.TrimSpace(d.gap(j+1)) == "/" {
		// a misspelt first name of a pair: "26 بريل /نيسان"
		m, _, next, ok = d.monthAt(j + 1)
	}
	if !ok {
		return Date{}, i, false
	}
	y, next2, hasYear := d.yearAfter(next)
	if hasYear {
		next = next2
	} else {
		y = d.lastYearOf(m, day)
	}
	when, ok := d.date(y, m, day)
	if !ok {
		return Date{}, i, false
	}
	return d.span(i, next, when, when, PrecisionDay)
}

// relativeMonth reads "الشهر الجاري", "الجاري", "الشهر الماضي" after a day:
// the offset from ref's month.
func (d *dateScanner) relativeMonth(j int) (int, int, bool) {
	for _, p := range [...]struct {
		words  []string
		offset int
	}{
		{[]string{"الشهر", "الجاري"}, 0}, {[]string{"الشهر", "الحالي"}, 0},
		{[]string{"الشهر", "الماضي"}, -1}, {[]string{"الشهر", "المنصرم"}, -1},
		{[]string{"الشهر", "المقبل"}, 1}, {[]string{"الجاري"}, 0}, {[]string{"الحالي"}, 0},
		{[]string{"this", "month"}, 0}, {[]string{"last", "month"}, -1},
	} {
		if next, ok := d.matchWords(j, p.words); ok {
			return p.offset, next, true
		}
	}
	return 0, j, false
}

// monthFirst reads a month first: "June 5, 2017" (English only), "حزيران
// 2017", "June 2017", or a month alone: "في حزيران", "in May".
func (d *dateScanner) monthFirst(i int) (Date, int, bool) {
	m, ambiguous, next, ok := d.monthAt(i)
	if !ok {
		return Date{}, i, false
	}
	if d.toks[i].Script == ScriptLatin && d.joined(next) {
		if day, ok := d.dayToken(next); ok {
			y, next2, hasYear := d.yearAfter(next + 1)
			if !hasYear {
				y, next2 = d.lastYearOf(m, day), next+1
			}
			if when, ok := d.date(y, m, day); ok {
				return d.span(i, next2, when, when, PrecisionDay)
			}
		}
	}
	y, next2, hasYear := d.yearAfter(next)
	if hasYear {
		from, to := d.monthRange(y, m)
		return d.span(i, next2, from, to, PrecisionMonth)
	}
	if ambiguous && !(monthCues[bare(d.text(i-1))] && d.joined(i)) {
		return Date{}, i, false
	}
	from, to := d.monthRange(d.lastYearOf(m, 0), m)
	return d.span(i, next, from, to, PrecisionMonth)
}

// yearCues come before a year; the first ones are part of the date's span.
var (
	yearWords = map[string]bool{"عام": true, "العام": true, "سنه": true, "السنه": true, "year": true}
	yearCues  = map[string]bool{"منذ": true, "في": true, "خلال": true, "حتي": true, "مطلع": true,
		"اواخر": true, "اوايل": true, "منتصف": true, "بدايه": true, "نهايه": true, "قبل": true,
		"بعد": true, "in": true, "since": true, "during": true, "until": true, "early": true,
		"late": true, "mid": true, "by": true, "before": true, "after": true}
)

// year reads "عام 2016", "2017م", "منذ 2013".
func (d *dateScanner) year(i int) (Date, int, bool) {
	start, k := i, i
	if yearWords[bare(d.text(i))] && d.joined(i+1) {
		k = i + 1
	} else if !(yearCues[bare(d.text(i-1))] && d.joined(i)) && !(d.text(i+1) == "م" && d.joined(i+1)) {
		return Date{}, i, false
	}
	y, ok := d.yearToken(k)
	if !ok {
		return Date{}, i, false
	}
	next := k + 1
	if d.text(next) == "م" && d.joined(next) {
		next++
	}
	from := time.Date(y, time.January, 1, 0, 0, 0, 0, d.loc)
	return d.span(start, next, from, from.AddDate(1, 0, -1), PrecisionYear)
}

// bare strips a conjunction و or ف from a word that is not a stop word or
// cue by itself (وفي → في, ومنذ → منذ).
func bare(w string) string {
	for _, conj := range [...]string{"و", "ف"} {
		if rest, ok := strings.CutPrefix(w, conj); ok && letters(rest) >= 2 {
			return rest
		}
	}
	return w
}
