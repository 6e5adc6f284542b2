package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Lang is a page language: Arabic (right to left, the default) or English.
type Lang string

// The two working languages.
const (
	AR Lang = "ar"
	EN Lang = "en"
)

// parseLang returns the language a value names, Arabic when it names none.
func parseLang(s string) Lang {
	if strings.EqualFold(strings.TrimSpace(s), "en") {
		return EN
	}
	return AR
}

// Dir is the text direction of the language.
func (l Lang) Dir() string {
	if l == EN {
		return "ltr"
	}
	return "rtl"
}

// Other is the language the switch offers.
func (l Lang) Other() Lang {
	if l == EN {
		return AR
	}
	return EN
}

// T returns the message for key. A key missing from the catalog is a
// programming error that tests catch (TestCatalogComplete); the page shows
// the key rather than failing.
func (l Lang) T(key string) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	if l == EN {
		return m.en
	}
	return m.ar
}

// Tf is T with fmt verbs filled in; numbers among args are shown in the
// language's digits.
func (l Lang) Tf(key string, args ...any) string {
	for i, a := range args {
		switch v := a.(type) {
		case int:
			args[i] = l.Num(v)
		case int64:
			args[i] = l.Num(int(v))
		}
	}
	return fmt.Sprintf(l.T(key), args...)
}

// pluralForms are one message in the plural categories of a language.
// Arabic has six (CLDR): zero, one, two, few (3–10), many (11–99) and
// other (100, 101 …); English two. Each form may hold %s for the number.
type pluralForms struct {
	ar [6]string // zero, one, two, few, many, other
	en [2]string // one, other
}

// Plural categories of Arabic in CLDR order.
const (
	pZero = iota
	pOne
	pTwo
	pFew
	pMany
	pOther
)

// arabicPlural is CLDR's plural rule for Arabic.
func arabicPlural(n int) int {
	if n < 0 {
		n = -n
	}
	switch m := n % 100; {
	case n == 0:
		return pZero
	case n == 1:
		return pOne
	case n == 2:
		return pTwo
	case m >= 3 && m <= 10:
		return pFew
	case m >= 11 && m <= 99:
		return pMany
	}
	return pOther
}

// N returns the plural message for key and count n, with n in the
// language's digits.
func (l Lang) N(key string, n int) string {
	p, ok := plurals[key]
	if !ok {
		return key
	}
	var f string
	if l == EN {
		f = p.en[1]
		if n == 1 {
			f = p.en[0]
		}
	} else {
		f = p.ar[arabicPlural(n)]
	}
	if strings.Contains(f, "%s") {
		return fmt.Sprintf(f, l.Num(n))
	}
	return f
}

// arabicDigits are the digits Syrian readers expect in Arabic text.
var arabicDigits = []rune("٠١٢٣٤٥٦٧٨٩")

// Num formats an integer with thousands separators, in Arabic-Indic
// digits for Arabic pages.
func (l Lang) Num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if l == AR {
		sep = "٬"
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	return l.Digits(out)
}

// Digits rewrites ASCII digits in Arabic-Indic ones on Arabic pages.
func (l Lang) Digits(s string) string {
	if l != AR {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return arabicDigits[r-'0']
		}
		return r
	}, s)
}

// Month names: in Arabic the Levantine (Syriac) names Syrian readers use.
var (
	monthsAR = [12]string{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"}
	monthsEN = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Date shows a partial date (YYYY, YYYY-MM, YYYY-MM-DD, or an RFC 3339
// time, of which the day is shown) the way the reader writes it:
// "٢٥ حزيران ٢٠١٧", "25 June 2017". Anything else is shown as given.
func (l Lang) Date(s string) string {
	months := monthsEN
	if l == AR {
		months = monthsAR
	}
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10]
	}
	switch len(s) {
	case 4:
		if _, err := time.Parse("2006", s); err == nil {
			return l.Digits(s)
		}
	case 7:
		if t, err := time.Parse("2006-01", s); err == nil {
			return months[t.Month()-1] + " " + l.Digits(strconv.Itoa(t.Year()))
		}
	case 10:
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return l.Digits(strconv.Itoa(t.Day())) + " " + months[t.Month()-1] + " " + l.Digits(strconv.Itoa(t.Year()))
		}
	}
	return s
}

// Month shows a month key "YYYY-MM" shortly.
func (l Lang) Month(s string) string { return l.Date(s) }

// Range shows a date range; equal ends show once.
func (l Lang) Range(start, end string) string {
	switch {
	case start == "" && end == "":
		return l.T("date.unknown")
	case end == "" || end == start:
		return l.Date(start)
	case start == "":
		return l.Tf("date.until", l.Date(end))
	}
	return l.Date(start) + " – " + l.Date(end)
}

// Time shows an instant in UTC with minutes.
func (l Lang) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	return l.Date(t.Format(time.DateOnly)) + " " + l.Digits(t.Format("15:04")) + " UTC"
}
