package arabic

import (
	"strings"
	"time"
)

// weekdays maps normalised weekday names to days.
var weekdays = map[string]time.Weekday{
	"الاحد": time.Sunday, "الاثنين": time.Monday, "الثلاثاء": time.Tuesday,
	"الاربعاء": time.Wednesday, "الخميس": time.Thursday, "الجمعه": time.Friday,
	"السبت":  time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

// weekday reads "يوم الثلاثاء", "الثلاثاء الماضي", "on Tuesday", "last
// Tuesday": the last such day on or before ref, strictly before it with
// الماضي or last, after it with المقبل, القادم or next. A full date right
// after the weekday (الثلاثاء 5 حزيران 2017) wins, and the span covers both.
func (d *dateScanner) weekday(i int) (Date, int, bool) {
	j, dir := i, 0
	switch d.text(i) {
	case "يوم":
		j = i + 1
	case "last":
		j, dir = i+1, -1
	case "next":
		j, dir = i+1, 1
	}
	wd, ok := weekdays[d.text(j)]
	if !ok || (j > i && !d.joined(j)) {
		return Date{}, i, false
	}
	next := j + 1
	if d.joined(next) {
		switch d.text(next) {
		case "الماضي", "المنصرم", "الماضيه", "المنصرمه":
			dir, next = -1, next+1
		case "المقبل", "القادم", "المقبله", "القادمه":
			dir, next = 1, next+1
		}
	}
	if g := strings.TrimSpace(d.gap(next)); next < len(d.toks) && (g == "" || g == "," || g == "،") {
		for _, full := range [...]func(int) (Date, int, bool){d.numeric, d.dayMonth} {
			if date, after, ok := full(next); ok {
				date.Start = d.toks[i].Start
				return date, after, true
			}
		}
	}
	when := d.nearestWeekday(wd, dir)
	// "ليل السبت الأحد", "the night of Saturday to Sunday": the two days.
	if k := next; k < len(d.toks) {
		if g := strings.TrimSpace(d.gap(k)); g == "" || g == "-" || g == "/" || g == "،" {
			if d.text(k) == "to" || d.text(k) == "-" {
				k++
			}
			if wd2, ok := weekdays[d.text(k)]; ok && wd2 == (wd+1)%7 && (dir < 0 || when.Before(d.today)) {
				return d.span(i, k+1, when, when.AddDate(0, 0, 1), PrecisionDays)
			}
		}
	}
	return d.span(i, next, when, when, PrecisionDay)
}

// timeOfDay are the words for parts of a day that may stand before a
// weekday (صباح الأحد).
var timeOfDay = map[string]bool{
	"صباح": true, "مساء": true, "فجر": true, "ليل": true, "ليله": true, "ظهر": true, "عصر": true, "يوم": true,
}

// nearestWeekday returns the last wd on or before ref (dir 0), strictly
// before it (dir -1) or the next one after it (dir 1).
func (d *dateScanner) nearestWeekday(wd time.Weekday, dir int) time.Time {
	back := (int(d.today.Weekday()) - int(wd) + 7) % 7
	switch {
	case dir < 0 && back == 0:
		back = 7
	case dir > 0:
		return d.today.AddDate(0, 0, 7-back)
	}
	return d.today.AddDate(0, 0, -back)
}

// ago reads "قبل يومين", "منذ يومين", "قبل 3 أيام", "منذ ثلاثة أيام", "3
// days ago": one day, so many days before ref.
func (d *dateScanner) ago(i int) (Date, int, bool) {
	switch {
	case (bare(d.text(i)) == "قبل" || bare(d.text(i)) == "منذ") && d.joined(i+1):
		if d.text(i+1) == "يومين" {
			when := d.today.AddDate(0, 0, -2)
			return d.span(i, i+2, when, when, PrecisionDay)
		}
		n, k, ok := d.cardinal(i + 1)
		if ok && n <= 31 && (d.text(k) == "ايام" || d.text(k) == "يوما") && d.joined(k) {
			when := d.today.AddDate(0, 0, -n)
			return d.span(i, k+1, when, when, PrecisionDay)
		}
	case d.toks[i].Script == ScriptLatin || d.toks[i].Kind == KindNumber:
		n, k, ok := d.cardinal(i)
		if ok && n <= 31 && (d.text(k) == "days" || d.text(k) == "day") && d.text(k+1) == "ago" &&
			d.joined(k) && d.joined(k+1) {
			when := d.today.AddDate(0, 0, -n)
			return d.span(i, k+2, when, when, PrecisionDay)
		}
	}
	return Date{}, i, false
}

// relKind is what a relative phrase names.
type relKind uint8

const (
	relDay      relKind = iota // a day, offset days from ref
	relDays                    // the offset+1 days ending ref
	relPastWeek                // the seven days before ref
	relWeek                    // a week, offset weeks from ref's (starting Saturday)
	relWeekE                   // the same, weeks starting Monday (English)
	relMonth                   // a month, offset months from ref's
	relYear                    // a year, offset years from ref's
)

// relative phrases, longest first.
var relatives = [...]struct {
	words  []string
	kind   relKind
	offset int
}{
	{[]string{"the", "day", "before", "yesterday"}, relDay, -2},
	{[]string{"الايام", "القليله", "الماضيه"}, relDays, 5},
	{[]string{"the", "past", "two", "days"}, relDays, 1},
	{[]string{"the", "last", "two", "days"}, relDays, 1},
	{[]string{"past", "few", "days"}, relDays, 5},
	{[]string{"last", "few", "days"}, relDays, 5},
	{[]string{"اول", "امس"}, relDay, -2}, {[]string{"امس", "الاول"}, relDay, -2},
	{[]string{"اليومين", "الماضيين"}, relDays, 1}, {[]string{"اليومين", "الاخيرين"}, relDays, 1},
	{[]string{"اليومين", "المنصرمين"}, relDays, 1}, {[]string{"الايام", "الماضيه"}, relDays, 5},
	{[]string{"الايام", "الاخيره"}, relDays, 5}, {[]string{"recent", "days"}, relDays, 5},
	{[]string{"الاسبوع", "الماضي"}, relPastWeek, 0}, {[]string{"الاسبوع", "المنصرم"}, relPastWeek, 0},
	{[]string{"الاسبوع", "الاخير"}, relPastWeek, 0}, {[]string{"the", "past", "week"}, relPastWeek, 0},
	{[]string{"past", "week"}, relPastWeek, 0},
	{[]string{"الاسبوع", "الجاري"}, relWeek, 0}, {[]string{"الاسبوع", "الحالي"}, relWeek, 0},
	{[]string{"هذا", "الاسبوع"}, relWeek, 0}, {[]string{"last", "week"}, relPastWeek, 0},
	{[]string{"this", "week"}, relWeekE, 0},
	{[]string{"الشهر", "الماضي"}, relMonth, -1}, {[]string{"الشهر", "المنصرم"}, relMonth, -1},
	{[]string{"الشهر", "الجاري"}, relMonth, 0}, {[]string{"الشهر", "الحالي"}, relMonth, 0},
	{[]string{"هذا", "الشهر"}, relMonth, 0}, {[]string{"last", "month"}, relMonth, -1},
	{[]string{"this", "month"}, relMonth, 0},
	{[]string{"العام", "الماضي"}, relYear, -1}, {[]string{"العام", "المنصرم"}, relYear, -1},
	{[]string{"السنه", "الماضيه"}, relYear, -1}, {[]string{"العام", "الجاري"}, relYear, 0},
	{[]string{"العام", "الحالي"}, relYear, 0}, {[]string{"هذا", "العام"}, relYear, 0},
	{[]string{"last", "year"}, relYear, -1}, {[]string{"this", "year"}, relYear, 0},
	{[]string{"امس"}, relDay, -1}, {[]string{"الامس"}, relDay, -1}, {[]string{"بالامس"}, relDay, -1},
	{[]string{"البارحه"}, relDay, -1}, {[]string{"yesterday"}, relDay, -1},
	{[]string{"اليوم"}, relDay, 0}, {[]string{"today"}, relDay, 0},
	{[]string{"يومين"}, relDays, 1},
}

// notToday are the words after اليوم that make it "the day", not today:
// اليوم الثاني, اليوم التالي, اليوم نفسه.
var notToday = map[string]bool{"الاول": true, "الثاني": true, "الثالث": true, "الرابع": true,
	"الخامس": true, "السادس": true, "السابع": true, "الثامن": true, "التاسع": true,
	"العاشر": true, "التالي": true, "السابق": true, "نفسه": true, "ذاته": true, "الموالي": true}

// relative reads the phrases in relatives.
func (d *dateScanner) relative(i int) (Date, int, bool) {
	first, alt := d.text(i), bare(d.text(i))
	for _, p := range relatives {
		if p.words[0] != first && p.words[0] != alt {
			continue
		}
		next, ok := d.matchWords(i, p.words)
		if !ok {
			continue
		}
		switch {
		case p.words[0] == "اليوم" && notToday[d.text(next)] && d.joined(next):
			return Date{}, i, false
		case p.words[0] == "يومين" && (d.text(i-1) == "لمده" || d.text(i-1) == "مده"):
			return Date{}, i, false // a duration, not a time
		}
		from, to, precision := d.resolve(p.kind, p.offset)
		return d.span(i, next, from, to, precision)
	}
	return Date{}, i, false
}

// resolve turns a relative phrase into its days.
func (d *dateScanner) resolve(kind relKind, offset int) (time.Time, time.Time, string) {
	t := d.today
	switch kind {
	case relDay:
		day := t.AddDate(0, 0, offset)
		return day, day, PrecisionDay
	case relDays:
		return t.AddDate(0, 0, -offset), t, PrecisionDays
	case relPastWeek:
		// Reports use "الأسبوع الماضي", "last week" for the week before
		// they were written, not the calendar week before theirs.
		return t.AddDate(0, 0, -7), t.AddDate(0, 0, -1), PrecisionWeek
	case relWeek, relWeekE:
		first := time.Saturday
		if kind == relWeekE {
			first = time.Monday
		}
		start := t.AddDate(0, 0, -((int(t.Weekday())-int(first)+7)%7)+7*offset)
		return start, start.AddDate(0, 0, 6), PrecisionWeek
	case relMonth:
		from, _ := d.monthRange(t.Year(), t.Month())
		from = from.AddDate(0, offset, 0)
		return from, from.AddDate(0, 1, -1), PrecisionMonth
	}
	from := time.Date(t.Year()+offset, time.January, 1, 0, 0, 0, 0, d.loc)
	return from, from.AddDate(1, 0, -1), PrecisionYear
}
