package arabic

import (
	"strconv"
	"strings"
	"time"
)

// Date is a date or a period found in text.
type Date struct {
	Start, End int       // byte span in the original
	From, To   time.Time // the start of the first and of the last day (To is inclusive), in ref's location
	Precision  string    // one of the Precision constants
	Text       string    // the original text of the span
}

// The precisions of a Date: a day, a range of two to six days, a week, a
// month or a year.
const (
	PrecisionDay   = "day"
	PrecisionDays  = "days_2_6"
	PrecisionWeek  = "week"
	PrecisionMonth = "month"
	PrecisionYear  = "year"
)

// Dates finds the dates in s, reading relative ones against ref (usually
// when the report was written). It knows:
//
//   - the Levantine months (كانون الثاني, شباط, آذار … تشرين الأول, تشرين
//     الثاني, كانون الأول, with or without ال on the ordinal), the Egyptian
//     ones (يناير … ديسمبر, with their variant spellings) and English
//     months, alone or paired (حزيران/يونيو): "5 حزيران 2017", "June 5,
//     2017" (day), "حزيران 2017" (month), "في حزيران" (the last June on or
//     before ref); آب, مارس, May and March, which are also ordinary words,
//     need a day, a year or شهر/in before them;
//   - numeric dates: 2017-06-05 and 2017/6/5 (year first), 5/6/2017,
//     5-6-2017 and 05.06.2017 (day first, as Syrians write them; month
//     first only when the first number cannot be a month, 6/25/2017);
//   - years after عام, العام, سنة, in, since, منذ, في, خلال …, or with م:
//     "عام 2016", "2017م";
//   - weekdays (يوم الثلاثاء, الثلاثاء, on Tuesday): the last such day on or
//     before ref; with الماضي or last, strictly before; with المقبل or
//     next, the next one after;
//   - relative days: أمس, البارحة, yesterday; اليوم, today (not اليوم الثاني);
//     أول أمس; قبل يومين, منذ 3 أيام, 3 days ago; اليومين الماضيين and يومين
//     (the two days ending ref), الأيام الماضية (the six days ending ref);
//   - weeks, months and years: الأسبوع الماضي, last week (the seven days
//     before ref: reports mean the week before they were written), هذا
//     الأسبوع (weeks start on Saturday in Arabic, Monday in English),
//     الشهر الجاري, الشهر الماضي,
//     "25 الشهر الجاري", "25 من الشهر الماضي", "25 الجاري", العام الماضي,
//     last week, this month, last year.
//
// Ordinal words (الخامس من حزيران) and Hijri dates are not read.
func Dates(s string, ref time.Time) []Date {
	dates := findDates(s, Tokens(s), ref)
	for i := range dates {
		dates[i].Text = s[dates[i].Start:dates[i].End]
	}
	return dates
}

// findDates finds the dates among the tokens of s, leaving Text empty.
func findDates(s string, toks []Token, ref time.Time) []Date {
	d := dateScanner{numScanner: numScanner{s: s, toks: toks}, loc: ref.Location()}
	d.today = time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, d.loc)
	var out []Date
	for i := 0; i < len(toks); {
		if date, next, ok := d.at(i); ok {
			out = append(out, date)
			i = next
			continue
		}
		i++
	}
	return out
}

// dateScanner reads dates from the tokens of one text.
type dateScanner struct {
	numScanner
	loc   *time.Location
	today time.Time // the start of ref's day
}

// at reads the date that starts at token i; after "منذ" or "since" it
// runs to ref ("منذ مطلع الشهر الجاري", "since April 2013").
func (d *dateScanner) at(i int) (Date, int, bool) {
	date, next, ok := d.at1(i)
	if !ok || date.To.Before(date.From) {
		return date, next, ok
	}
	if start, since := d.sinceStart(i); since && date.From.Before(d.today) {
		date.Start, date.To = d.toks[start].Start, d.today
		switch days := int(date.To.Sub(date.From).Hours()/24) + 1; {
		case days <= 1:
			date.Precision = PrecisionDay
		case days <= 6:
			date.Precision = PrecisionDays
		case days <= 7:
			date.Precision = PrecisionWeek
		case days <= 31:
			date.Precision = PrecisionMonth
		default:
			date.Precision = PrecisionYear
		}
	}
	return date, next, ok
}

// sinceStart finds "منذ" or "since" before token i, over words that say
// which part of the period (مطلع، بداية، أوائل، صباح; the start of, early),
// and returns its token.
func (d *dateScanner) sinceStart(i int) (int, bool) {
	for k := i - 1; k >= 0 && k >= i-4 && d.joined(k+1); k-- {
		w := d.text(k) // not bare: فجر is no ف + جر
		switch {
		case w == "منذ" || bare(w) == "منذ" || w == "since":
			return k, true
		case sincePart[w] || timeOfDay[w]:
		default:
			return 0, false
		}
	}
	return 0, false
}

// sincePart are the words between "منذ", "since" and the period.
var sincePart = map[string]bool{"مطلع": true, "بدايه": true, "اوايل": true, "اول": true, "بدء": true, "منتصف": true,
	"the": true, "start": true, "beginning": true, "of": true, "early": true, "mid": true}

func (d *dateScanner) at1(i int) (Date, int, bool) {
	if t := d.toks[i]; t.Kind == KindNumber || t.Script == ScriptMixed {
		if date, next, ok := d.numeric(i); ok {
			return date, next, true
		}
		if date, next, ok := d.dayMonth(i); ok {
			return date, next, true
		}
	}
	if date, next, ok := d.weekday(i); ok {
		return date, next, true
	}
	if date, next, ok := d.monthFirst(i); ok {
		return date, next, true
	}
	if date, next, ok := d.year(i); ok {
		return date, next, true
	}
	if date, next, ok := d.ago(i); ok {
		return date, next, true
	}
	return d.relative(i)
}

// span makes a Date over tokens [i, next).
func (d *dateScanner) span(i, next int, from, to time.Time, precision string) (Date, int, bool) {
	return Date{Start: d.toks[i].Start, End: d.toks[next-1].End, From: from, To: to,
		Precision: precision}, next, true
}

// date returns midnight of y-m-d, or false if there is no such day.
func (d *dateScanner) date(y int, m time.Month, day int) (time.Time, bool) {
	t := time.Date(y, m, day, 0, 0, 0, 0, d.loc)
	return t, t.Year() == y && t.Month() == m && t.Day() == day
}

// monthRange returns the first and last day of month m of year y.
func (d *dateScanner) monthRange(y int, m time.Month) (time.Time, time.Time) {
	from := time.Date(y, m, 1, 0, 0, 0, 0, d.loc)
	return from, from.AddDate(0, 1, -1)
}

// lastYearOf returns the year of the last day-month on or before ref (any
// day of the month if day is 0).
func (d *dateScanner) lastYearOf(m time.Month, day int) int {
	y := d.today.Year()
	if m > d.today.Month() || m == d.today.Month() && day > d.today.Day() {
		y--
	}
	return y
}

// numeric reads 2017-06-05, 2017/6/5, 5/6/2017, 5-6-2017 and 05.06.2017.
func (d *dateScanner) numeric(i int) (Date, int, bool) {
	t := d.toks[i]
	if t.Kind != KindNumber {
		return Date{}, i, false
	}
	parts, next := strings.Split(t.Text, "."), i+1
	if len(parts) == 1 {
		parts, next = d.separated(i)
	}
	if len(parts) != 3 {
		return Date{}, i, false
	}
	y, m, day, ok := ymd(parts)
	if !ok {
		return Date{}, i, false
	}
	when, ok := d.date(y, time.Month(m), day)
	if !ok {
		return Date{}, i, false
	}
	return d.span(i, next, when, when, PrecisionDay)
}

// separated reads three number tokens from i joined by the same "/" or "-".
func (d *dateScanner) separated(i int) ([]string, int) {
	if i+2 >= len(d.toks) || d.toks[i+1].Kind != KindNumber || d.toks[i+2].Kind != KindNumber {
		return nil, i
	}
	sep := strings.TrimSpace(d.gap(i + 1))
	if (sep != "/" && sep != "-") || strings.TrimSpace(d.gap(i+2)) != sep {
		return nil, i
	}
	return []string{d.toks[i].Text, d.toks[i+1].Text, d.toks[i+2].Text}, i + 3
}

// ymd orders the three numbers of a numeric date: year first if it has four
// digits, else day first (a two-digit year is 20xx), unless the middle one
// cannot be a month.
func ymd(parts []string) (y, m, day int, ok bool) {
	var n [3]int
	for k, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" {
			return 0, 0, 0, false
		}
		n[k] = v
	}
	short := func(p string) bool { return len(p) <= 2 }
	switch {
	case len(parts[0]) == 4 && short(parts[1]) && short(parts[2]):
		y, m, day = n[0], n[1], n[2]
	case short(parts[0]) && short(parts[1]) && (len(parts[2]) == 4 || len(parts[2]) == 2):
		day, m, y = n[0], n[1], n[2]
		if m > 12 && day <= 12 {
			day, m = m, day
		}
		if len(parts[2]) == 2 {
			y += 2000
		}
	default:
		return 0, 0, 0, false
	}
	return y, m, day, validYear(y) && m >= 1 && m <= 12
}

// validYear bounds the years read as dates.
func validYear(y int) bool { return y >= 1900 && y <= 2100 }

// yearToken returns the year a number token states, or false.
func (d *dateScanner) yearToken(i int) (int, bool) {
	if i >= len(d.toks) || d.toks[i].Kind != KindNumber || len(d.toks[i].Text) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(d.toks[i].Text)
	return y, err == nil && validYear(y)
}

// yearAfter reads a year after token k-1 (after a space or a comma), and
// a م after it; it returns the year and the index after them.
func (d *dateScanner) yearAfter(k int) (int, int, bool) {
	if k >= len(d.toks) {
		return 0, k, false
	}
	if g := strings.TrimSpace(d.gap(k)); g != "" && g != "," && g != "،" && !isBlank(g) {
		return 0, k, false
	}
	y, ok := d.yearToken(k)
	if !ok {
		return 0, k, false
	}
	k++
	if d.text(k) == "م" && d.joined(k) {
		k++
	}
	return y, k, true
}

// dayToken reads a day of the month at token i: 5, 05, 5th.
func (d *dateScanner) dayToken(i int) (int, bool) {
	if i >= len(d.toks) {
		return 0, false
	}
	text := d.toks[i].Text
	switch d.toks[i].Script {
	case ScriptMixed:
		for _, suf := range [...]string{"st", "nd", "rd", "th"} {
			if t, ok := strings.CutSuffix(text, suf); ok {
				text = t
				break
			}
		}
	case ScriptDigit:
	default:
		return 0, false
	}
	if len(text) > 2 {
		return 0, false
	}
	v, err := strconv.Atoi(text)
	return v, err == nil && v >= 1 && v <= 31
}
