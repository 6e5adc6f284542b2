package arabic

import (
	"fmt"
	"testing"
	"time"
)

// dt is a Date as the tests write it: text, first and last day, precision.
type dt struct{ text, from, to, precision string }

func (d dt) String() string { return fmt.Sprintf("%q %s..%s %s", d.text, d.from, d.to, d.precision) }

// testRef is Wednesday 28 June 2017, one in the morning in Damascus (still
// the 27th in UTC: dates are read in ref's location).
var testRef = time.Date(2017, 6, 28, 1, 0, 0, 0, time.FixedZone("Damascus", 3*60*60))

func TestDates(t *testing.T) {
	day := func(text, d string) dt { return dt{text, d, d, PrecisionDay} }
	tests := []struct {
		name, in string
		want     []dt
	}{
		// numeric
		{"iso", "2017-06-05", []dt{day("2017-06-05", "2017-06-05")}},
		{"year first with slashes", "2017/6/5", []dt{day("2017/6/5", "2017-06-05")}},
		{"day first (Syrian)", "5/6/2017 و5-6-2017", []dt{day("5/6/2017", "2017-06-05"), day("5-6-2017", "2017-06-05")}},
		{"dots", "05.06.2017", []dt{day("05.06.2017", "2017-06-05")}},
		{"month first when it must be", "6/25/2017", []dt{day("6/25/2017", "2017-06-25")}},
		{"two-digit year", "5/6/17", []dt{day("5/6/17", "2017-06-05")}},
		{"arabic-indic digits", "٥/٦/٢٠١٧", []dt{day("٥/٦/٢٠١٧", "2017-06-05")}},
		{"no such day", "31/6/2017 2017-13-01", nil},
		{"mixed separators", "5/6-2017", nil},
		// day and month
		{"levantine", "5 حزيران 2017", []dt{day("5 حزيران 2017", "2017-06-05")}},
		{"kanun al-thani vs al-awwal", "3 كانون الثاني 2017 و3 كانون الأول 2016",
			[]dt{day("3 كانون الثاني 2017", "2017-01-03"), day("3 كانون الأول 2016", "2016-12-03")}},
		{"tishrin without ال", "تشرين أول 2016 وتشرين ثاني 2016", []dt{
			{"تشرين أول 2016", "2016-10-01", "2016-10-31", PrecisionMonth},
			{"وتشرين ثاني 2016", "2016-11-01", "2016-11-30", PrecisionMonth}}},
		{"egyptian", "5 يونيو 2017 و1 إبريل 2017 و2 أبريل 2017 و4 يوليه 2017", []dt{
			day("5 يونيو 2017", "2017-06-05"), day("1 إبريل 2017", "2017-04-01"),
			day("2 أبريل 2017", "2017-04-02"), day("4 يوليه 2017", "2017-07-04")}},
		{"paired names", "5 حزيران/يونيو 2017", []dt{day("5 حزيران/يونيو 2017", "2017-06-05")}},
		{"misspelt first of a pair", "في 26 بريل /نيسان", []dt{day("26 بريل /نيسان", "2017-04-26")}},
		{"no year: the last one before ref", "26 نيسان و30 حزيران", []dt{
			day("26 نيسان", "2017-04-26"), day("30 حزيران", "2016-06-30")}},
		{"year with م", "5 حزيران 2017م", []dt{day("5 حزيران 2017م", "2017-06-05")}},
		{"of between", "5 من حزيران", []dt{day("5 من حزيران", "2017-06-05")}},
		// month
		{"month and year", "حزيران 2017", []dt{{"حزيران 2017", "2017-06-01", "2017-06-30", PrecisionMonth}}},
		{"month alone", "في تموز", []dt{{"تموز", "2016-07-01", "2016-07-31", PrecisionMonth}}},
		{"ambiguous month needs a cue", "آب وفي آب", []dt{{"آب", "2016-08-01", "2016-08-31", PrecisionMonth}}},
		{"مارس the verb", "مارس التنظيم ضغوطا", nil},
		// years
		{"year", "عام 2016 والعام 2015", []dt{
			{"عام 2016", "2016-01-01", "2016-12-31", PrecisionYear},
			{"والعام 2015", "2015-01-01", "2015-12-31", PrecisionYear}}},
		{"year after a cue", "في 2013", []dt{{"2013", "2013-01-01", "2013-12-31", PrecisionYear}}},
		{"since a year", "منذ 2013", []dt{{"منذ 2013", "2013-01-01", "2017-06-28", PrecisionYear}}},
		{"since the start of the month", "منذ مطلع الشهر الجاري", []dt{{"منذ مطلع الشهر الجاري", "2017-06-01", "2017-06-28", PrecisionMonth}}},
		{"since a month, English", "since the start of April", []dt{{"since the start of April", "2017-04-01", "2017-06-28", PrecisionYear}}},
		{"year with م", "2017م", []dt{{"2017م", "2017-01-01", "2017-12-31", PrecisionYear}}},
		{"a bare number is no year", "2013 مقاتل", nil},
		// weekdays
		{"weekday", "يوم الثلاثاء", []dt{day("يوم الثلاثاء", "2017-06-27")}},
		{"weekday today", "الأربعاء", []dt{day("الأربعاء", "2017-06-28")}},
		{"weekday last", "الأربعاء الماضي", []dt{day("الأربعاء الماضي", "2017-06-21")}},
		{"weekday next", "الجمعة المقبلة", []dt{day("الجمعة المقبلة", "2017-06-30")}},
		{"weekday next, masculine", "السبت القادم", []dt{day("السبت القادم", "2017-07-01")}},
		{"weekday and date", "الخميس 1 حزيران 2017", []dt{day("الخميس 1 حزيران 2017", "2017-06-01")}},
		{"night of two days", "ليل السبت الأحد", []dt{{"ليل السبت الأحد"[len("ليل "):], "2017-06-24", "2017-06-25", PrecisionDays}}},
		{"night of two days, English", "on the night of Saturday to Sunday", []dt{{"Saturday to Sunday", "2017-06-24", "2017-06-25", PrecisionDays}}},
		{"two days not in a row", "السبت الاثنين", []dt{day("السبت", "2017-06-24"), day("الاثنين", "2017-06-26")}},
		{"since a weekday", "منذ فجر الخميس", []dt{{"منذ فجر الخميس", "2017-06-22", "2017-06-28", PrecisionWeek}}},
		{"since a weekday, English", "since Monday", []dt{{"since Monday", "2017-06-26", "2017-06-28", PrecisionDays}}},
		{"weekday in parentheses", "اليوم (الاثنين)", []dt{day("اليوم", "2017-06-28"), day("الاثنين", "2017-06-26")}},
		// relative
		{"yesterday", "أمس والبارحة وبالأمس", []dt{day("أمس", "2017-06-27"), day("والبارحة", "2017-06-27"), day("وبالأمس", "2017-06-27")}},
		{"day before yesterday", "أول أمس وأمس الأول", []dt{day("أول أمس", "2017-06-26"), day("وأمس الأول", "2017-06-26")}},
		{"today", "اليوم", []dt{day("اليوم", "2017-06-28")}},
		{"not today", "اليوم الثاني للإشاعة واليوم التالي", nil},
		{"two days", "اليومين الماضيين", []dt{{"اليومين الماضيين", "2017-06-27", "2017-06-28", PrecisionDays}}},
		{"two days, bare", "خلال يومين", []dt{{"يومين", "2017-06-27", "2017-06-28", PrecisionDays}}},
		{"duration is no date", "لمدة يومين", nil},
		{"days ago", "قبل يومين ومنذ 3 أيام وقبل خمسة أيام", []dt{
			day("قبل يومين", "2017-06-26"), day("ومنذ 3 أيام", "2017-06-25"), day("وقبل خمسة أيام", "2017-06-23")}},
		{"past days", "الأيام القليلة الماضية", []dt{{"الأيام القليلة الماضية", "2017-06-23", "2017-06-28", PrecisionDays}}},
		{"last week: the seven days before", "الأسبوع الماضي", []dt{{"الأسبوع الماضي", "2017-06-21", "2017-06-27", PrecisionWeek}}},
		{"this week", "هذا الأسبوع", []dt{{"هذا الأسبوع", "2017-06-24", "2017-06-30", PrecisionWeek}}},
		{"this month", "الشهر الجاري وهذا الشهر", []dt{
			{"الشهر الجاري", "2017-06-01", "2017-06-30", PrecisionMonth},
			{"وهذا الشهر", "2017-06-01", "2017-06-30", PrecisionMonth}}},
		{"last month", "أواخر الشهر الماضي", []dt{{"الشهر الماضي", "2017-05-01", "2017-05-31", PrecisionMonth}}},
		{"day of this month", "خرجت في 25 الشهر الجاري", []dt{day("25 الشهر الجاري", "2017-06-25")}},
		{"day of last month", "في 25 من الشهر الماضي", []dt{day("25 من الشهر الماضي", "2017-05-25")}},
		{"day of this month, short", "في 25 الجاري", []dt{day("25 الجاري", "2017-06-25")}},
		{"no 31st this month", "31 الشهر الجاري", []dt{{"الشهر الجاري", "2017-06-01", "2017-06-30", PrecisionMonth}}},
		{"last year", "العام الماضي", []dt{{"العام الماضي", "2016-01-01", "2016-12-31", PrecisionYear}}},
		// English
		{"english days", "yesterday, today and the day before yesterday", []dt{
			day("yesterday", "2017-06-27"), day("today", "2017-06-28"), day("the day before yesterday", "2017-06-26")}},
		{"english weekday", "on Tuesday and last Wednesday and next Friday", []dt{
			day("Tuesday", "2017-06-27"), day("last Wednesday", "2017-06-21"), day("next Friday", "2017-06-30")}},
		{"english day month year", "5 June 2017, June 5, 2017 and 5th of June", []dt{
			day("5 June 2017", "2017-06-05"), day("June 5, 2017", "2017-06-05"), day("5th of June", "2017-06-05")}},
		{"english month year", "June 2017", []dt{{"June 2017", "2017-06-01", "2017-06-30", PrecisionMonth}}},
		{"english may", "in May, they may", []dt{{"May", "2017-05-01", "2017-05-31", PrecisionMonth}}},
		{"english last week", "last week", []dt{{"last week", "2017-06-21", "2017-06-27", PrecisionWeek}}},
		{"english weeks (Monday to Sunday)", "this week", []dt{{"this week", "2017-06-26", "2017-07-02", PrecisionWeek}}},
		{"english month and year", "last month, this year", []dt{
			{"last month", "2017-05-01", "2017-05-31", PrecisionMonth}, {"this year", "2017-01-01", "2017-12-31", PrecisionYear}}},
		{"english ago", "3 days ago", []dt{day("3 days ago", "2017-06-25")}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []dt
			for _, d := range Dates(tt.in, testRef) {
				got = append(got, dt{d.Text, d.From.Format(time.DateOnly), d.To.Format(time.DateOnly), d.Precision})
				checkDate(t, tt.in, d)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Dates(%q)\n got %v\nwant %v", tt.in, got, tt.want)
			}
		})
	}
}

// checkDate verifies a Date's span, its days and its location.
func checkDate(t *testing.T, s string, d Date) {
	t.Helper()
	if d.Start < 0 || d.End <= d.Start || d.End > len(s) || s[d.Start:d.End] != d.Text {
		t.Fatalf("date %+v: bad span in %d bytes", d, len(s))
	}
	if d.To.Before(d.From) || d.From.Hour() != 0 || d.To.Hour() != 0 {
		t.Fatalf("date %+v: From after To, or not midnight", d)
	}
	if d.From.Location() != testRef.Location() {
		t.Fatalf("date %+v: not in ref's location", d)
	}
}
