package arabic

import (
	"fmt"
	"testing"
)

// num is a Number as the tests write it.
type num struct {
	text            string
	value, min, max int
	qualifier, noun string
}

func (n num) String() string {
	return fmt.Sprintf("%q=%d[%d,%d]%s/%q", n.text, n.value, n.min, n.max, n.qualifier, n.noun)
}

func exact(text string, v int, noun string) num {
	return num{text, v, v, v, QualifierExact, noun}
}

func TestNumbers(t *testing.T) {
	const inf = Unbounded
	tests := []struct {
		name, in string
		want     []num
	}{
		// digits
		{"arabic-indic digits", "٧٠ مدنياً", []num{exact("٧٠", 70, "مدنيا")}},
		{"thousands separator", "1,200 people and ١٬٥٠٠ شخص", []num{exact("1,200", 1200, "people"), exact("١٬٥٠٠", 1500, "شخص")}},
		{"digits and multiplier", "3 الأف مقاتل و300 الف شخص", []num{exact("3 الأف", 3000, "مقاتل"), exact("300 الف", 300000, "شخص")}},
		{"decimal with multiplier", "2.5 مليون نازح", []num{exact("2.5 مليون", 2500000, "نازح")}},
		{"decimal alone is no count", "2.5", nil},
		// Arabic number words
		{"units", "ثلاثة أطفال وخمس نساء", []num{exact("ثلاثة", 3, "اطفال"), exact("وخمس", 5, "نساء")}},
		{"one and two", "واحد واثنين", []num{exact("واحد", 1, ""), exact("واثنين", 2, "")}},
		{"ten", "عشرة مدنيين", []num{exact("عشرة", 10, "مدنيين")}},
		{"teens", "أحد عشر قتيلاً وخمسة عشر جريحاً", []num{exact("أحد عشر", 11, "قتيلا"), exact("وخمسة عشر", 15, "جريحا")}},
		{"twelve", "اثنا عشر طفلاً", []num{exact("اثنا عشر", 12, "طفلا")}},
		{"tens", "عشرون وتسعين", []num{exact("عشرون", 20, ""), exact("وتسعين", 90, "")}},
		{"unit and tens", "ثلاثة وعشرين شهيداً", []num{exact("ثلاثة وعشرين", 23, "شهيدا")}},
		{"unit and tens, nominative", "ثلاث وعشرون", []num{exact("ثلاث وعشرون", 23, "")}},
		{"conjunction apart", "خمسة و ثلاثين", []num{exact("خمسة و ثلاثين", 35, "")}},
		{"hundred", "مئة ومائة", []num{exact("مئة", 100, ""), exact("ومائة", 100, "")}},
		{"hundred and tens", "مئة وخمسون", []num{exact("مئة وخمسون", 150, "")}},
		{"hundred, unit, tens", "مئة وخمسة وعشرون", []num{exact("مئة وخمسة وعشرون", 125, "")}},
		{"two hundred", "مئتان ومئتين ومائتي", []num{exact("مئتان", 200, ""), exact("ومئتين", 200, ""), exact("ومائتي", 200, "")}},
		{"compound hundreds", "ثلاثمئة وخمسمائة", []num{exact("ثلاثمئة", 300, ""), exact("وخمسمائة", 500, "")}},
		{"hundreds in two words", "ثلاث مئة", []num{exact("ثلاث مئة", 300, "")}},
		{"thousand", "ألف", []num{exact("ألف", 1000, "")}},
		{"two thousand", "ألفين", []num{exact("ألفين", 2000, "")}},
		{"thousands", "ثلاثة آلاف وخمسمئة", []num{exact("ثلاثة آلاف وخمسمئة", 3500, "")}},
		{"thousand and hundreds", "ألف ومئتان", []num{exact("ألف ومئتان", 1200, "")}},
		{"teen thousand", "ثلاثة عشر ألف", []num{exact("ثلاثة عشر ألف", 13000, "")}},
		{"hundred thousand", "مئة ألف نازح", []num{exact("مئة ألف", 100000, "نازح")}},
		{"two lists are not a sum", "ثلاثة وأربعة", []num{exact("ثلاثة", 3, ""), exact("وأربعة", 4, "")}},
		{"comma ends a number", "ثلاثة، وعشرين", []num{exact("ثلاثة", 3, ""), exact("وعشرين", 20, "")}},
		{"one of is not a number", "أحد الأعضاء", nil},
		// duals
		{"duals", "قتيلين وجريحان وطفلتين", []num{exact("قتيلين", 2, "قتيل"), exact("وجريحان", 2, "جريح"), exact("وطفلتين", 2, "طفله")}},
		{"dual with preposition", "بغارتين", []num{exact("بغارتين", 2, "غاره")}},
		{"dual with a possessive", "امرأة وطفلاها وزوجته وطفليهما", []num{exact("وطفلاها", 2, "طفل"), exact("وطفليهما", 2, "طفل")}},
		{"dual with the article", "والطفلين", []num{exact("والطفلين", 2, "طفل")}},
		{"nisba dual with its shadda", "الإعلاميَّين وصحفيِّين", []num{exact("الإعلاميَّين", 2, "اعلامي")}},
		{"his child is one", "طفله وطفلي", nil},
		{"a dual in ان that is no plural", "مسعفان وصحفيان والمسعفين", []num{exact("مسعفان", 2, "مسعف"), exact("وصحفيان", 2, "صحفي")}},
		{"plurals are not duals", "المدنيين ومقاتلين", nil},
		// vague quantities
		{"dozens", "عشرات المقاتلين", []num{{"عشرات", 12, 12, 99, QualifierDozens, "المقاتلين"}}},
		{"the dozens", "مقتل العشرات من التنظيم", []num{{"العشرات", 12, 12, 99, QualifierDozens, "التنظيم"}}},
		{"hundreds", "مئات المدنيين", []num{{"مئات", 100, 100, 999, QualifierHundreds, "المدنيين"}}},
		{"thousands", "آلاف النازحين", []num{{"آلاف", 1000, 1000, 9999, QualifierThousands, "النازحين"}}},
		{"the thousands, misspelt", "بنزوح الالآف", []num{{"الالآف", 1000, 1000, 9999, QualifierThousands, ""}}},
		{"exceeded", "حصيلة الضحايا تجاوزت 120 مدنياً والعدد لا يتجاوز 5", []num{{"تجاوزت 120", 121, 121, Unbounded, QualifierMoreThan, "مدنيا"}, {"لا يتجاوز 5", 5, 1, 5, QualifierUpTo, ""}}},
		{"a number of", "إصابة عدد من المدنيين وعدداً من الأطفال", []num{{"عدد", 3, 3, 9, QualifierSeveral, "المدنيين"}, {"وعدداً", 3, 3, 9, QualifierSeveral, "الاطفال"}}},
		{"the number of is not vague", "ارتفع عدد القتلى", nil},
		{"several", "بضعة أيام وعدة مناطق", []num{{"بضعة", 3, 3, 9, QualifierSeveral, "ايام"}, {"وعدة", 3, 3, 9, QualifierSeveral, "مناطق"}}},
		{"tens of thousands", "عشرات الآلاف", []num{{"عشرات الآلاف", 12000, 12000, 99999, QualifierThousands, ""}}},
		{"several thousand", "عدة آلاف من البريطانيين", []num{{"عدة آلاف", 3000, 3000, 9999, QualifierThousands, "البريطانيين"}}},
		{"with preposition", "بعشرات الغارات", []num{{"بعشرات", 12, 12, 99, QualifierDozens, "الغارات"}}},
		// qualifiers
		{"more than", "أكثر من 70 مدني", []num{{"أكثر من 70", 71, 71, inf, QualifierMoreThan, "مدني"}}},
		{"more than, with و", "وأكثر من مئة", []num{{"وأكثر من مئة", 101, 101, inf, QualifierMoreThan, ""}}},
		{"more than, other words", "ما يزيد عن 40 وما يربو على 50", []num{{"ما يزيد عن 40", 41, 41, inf, QualifierMoreThan, ""}, {"وما يربو على 50", 51, 51, inf, QualifierMoreThan, ""}}},
		{"at least", "ما لا يقل عن 12 مدنياً", []num{{"ما لا يقل عن 12", 12, 12, inf, QualifierAtLeast, "مدنيا"}}},
		{"at least, after the noun", "12 مدنياً على الأقل", []num{{"12 مدنياً على الأقل", 12, 12, inf, QualifierAtLeast, "مدنيا"}}},
		{"at least, before", "على الأقل 5", []num{{"على الأقل 5", 5, 5, inf, QualifierAtLeast, ""}}},
		{"about", "نحو 50 وحوالي 60 وقرابة 70 وحوالى 80", []num{{"نحو 50", 50, 50, 50, QualifierAbout, ""}, {"وحوالي 60", 60, 60, 60, QualifierAbout, ""}, {"وقرابة 70", 70, 70, 70, QualifierAbout, ""}, {"وحوالى 80", 80, 80, 80, QualifierAbout, ""}}},
		{"about, long", "ما يقرب من 3 الأف", []num{{"ما يقرب من 3 الأف", 3000, 3000, 3000, QualifierAbout, ""}}},
		{"about, after", "30 تقريباً", []num{{"30 تقريباً", 30, 30, 30, QualifierAbout, ""}}},
		{"up to", "حتى 30 شخصاً", []num{{"حتى 30", 30, 1, 30, QualifierUpTo, "شخصا"}}},
		{"no more than", "ما لا يزيد عن 20", []num{{"ما لا يزيد عن 20", 20, 1, 20, QualifierUpTo, ""}}},
		{"less than", "أقل من عشرة", []num{{"أقل من عشرة", 9, 1, 9, QualifierUpTo, ""}}},
		{"qualifier without number", "أكثر من مرة", nil},
		// ranges
		{"range with hyphen", "ما بين 250-300 جهادي", []num{{"ما بين 250-300", 250, 250, 300, QualifierRange, "جهادي"}}},
		{"range with و", "بين 20 و30 قتيلاً", []num{{"بين 20 و30", 20, 20, 30, QualifierRange, "قتيلا"}}},
		{"range with words", "بين عشرين وثلاثين", []num{{"بين عشرين وثلاثين", 20, 20, 30, QualifierRange, ""}}},
		{"range with إلى", "من 10 إلى 15 جريحاً", []num{{"من 10 إلى 15", 10, 10, 15, QualifierRange, "جريحا"}}},
		{"opener without range", "بين 3 مدنيين", []num{exact("3", 3, "مدنيين")}},
		{"و without opener is no range", "20 و30", []num{exact("20", 20, ""), exact("30", 30, "")}},
		// English
		{"english words", "seven civilians and twelve children", []num{exact("seven", 7, "civilians"), exact("twelve", 12, "children")}},
		{"english compound", "twenty-three and two hundred and fifty", []num{exact("twenty-three", 23, ""), exact("two hundred and fifty", 250, "")}},
		{"english thousands", "three thousand five hundred people", []num{exact("three thousand five hundred", 3500, "people")}},
		{"a dozen", "a dozen houses", []num{exact("a dozen", 12, "houses")}},
		{"english vague", "dozens of civilians, hundreds of thousands", []num{{"dozens", 12, 12, 99, QualifierDozens, "civilians"}, {"hundreds of thousands", 100000, 100000, 999999, QualifierThousands, ""}}},
		{"english several", "several thousand", []num{{"several thousand", 3000, 3000, 9999, QualifierThousands, ""}}},
		{"english qualifiers", "at least 12 killed, more than seventy, about 40, up to 50, nearly 9", []num{
			{"at least 12", 12, 12, inf, QualifierAtLeast, "killed"}, {"more than seventy", 71, 71, inf, QualifierMoreThan, ""},
			{"about 40", 40, 40, 40, QualifierAbout, ""}, {"up to 50", 50, 1, 50, QualifierUpTo, ""}, {"nearly 9", 9, 9, 9, QualifierAbout, ""}}},
		{"english range", "between 20 and 30 people", []num{{"between 20 and 30", 20, 20, 30, QualifierRange, "people"}}},
		// not counts
		{"percentages", "50% و٣٠٪ و20 بالمئة و10 في المائة و5 percent", nil},
		{"clock time", "الساعة 10:30", nil},
		{"model name", "F-16 و Su-24", nil},
		{"no one", "no one was hurt", nil},
		{"dates are not counts", "في 5 حزيران 2017 و2017-06-05 وعام 2016", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []num
			for _, n := range Numbers(tt.in) {
				got = append(got, num{n.Text, n.Value, n.Min, n.Max, n.Qualifier, n.Noun})
				checkNumber(t, tt.in, n)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Numbers(%q)\n got %v\nwant %v", tt.in, got, tt.want)
			}
		})
	}
}

// checkNumber verifies a Number's span and bounds.
func checkNumber(t *testing.T, s string, n Number) {
	t.Helper()
	if n.Start < 0 || n.End <= n.Start || n.End > len(s) || s[n.Start:n.End] != n.Text {
		t.Fatalf("number %+v: bad span in %d bytes", n, len(s))
	}
	if n.Value < n.Min || (n.Max != Unbounded && n.Value > n.Max) || n.Min < 0 {
		t.Fatalf("number %+v: Value outside [Min, Max]", n)
	}
}
