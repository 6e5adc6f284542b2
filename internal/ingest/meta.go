package ingest

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// detectLanguage tells "ar" or "en" from the letters of a text: Arabic
// when Arabic-script letters are at least as many as Latin ones (Arabic
// spells words with fewer letters, and reports quote English names), "en"
// when Latin ones are more, "other" when there are no such letters or
// letters of other scripts outnumber them.
func detectLanguage(text string) string {
	var arabic, latin, other int
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf: // the common cases first: this runs on every report
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				latin++
			}
		case 0x0600 <= r && r <= 0x06FF:
			if arabicBlockLetters[r-0x0600] {
				arabic++
			}
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Latin, r):
			latin++
		default:
			other++
		}
	}
	switch {
	case arabic+latin == 0 || other > arabic+latin:
		return "other"
	case arabic >= latin:
		return "ar"
	}
	return "en"
}

// arabicBlockLetters tells which runes of the Arabic block (U+0600-U+06FF),
// where nearly all of an Arabic text is, are letters; a table lookup is
// several times faster than unicode.IsLetter.
var arabicBlockLetters = func() (letters [0x100]bool) {
	for i := range letters {
		letters[i] = unicode.IsLetter(rune(0x0600 + i))
	}
	return letters
}()

// rfcDates are the layouts of RFC 1123 (and RFC 822 with a four-digit
// year, as in RSS) that normaliseDate accepts.
var rfcDates = []string{
	time.RFC1123, time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04:05 -0700",
}

// normaliseDate returns the date of s as "YYYY-MM-DD", "YYYY-MM" or "YYYY",
// or "" if s is not a date in an unambiguous form: ISO 8601-like, year
// first ("2015-07-21", "2015-07-21 02:51:32", "2015-07-21T02:51:32Z",
// "2015/07/21", "2015-07", "2015"), or RFC 1123. The date is the one
// written, in the writer's time zone. Arabic-Indic digits are read too.
// Day-first or month-first forms like 01/02/2015 are refused: which one
// is meant cannot be told.
func normaliseDate(s string) string {
	s = strings.TrimSpace(asciiDigits(s))
	if d := isoDate(s); d != "" {
		return d
	}
	for _, layout := range rfcDates {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1000 {
			return t.Format(time.DateOnly)
		}
	}
	return ""
}

// isoDate reads YYYY[-MM[-DD]] (or with /), optionally followed by a time
// after "T" or a space.
func isoDate(s string) string {
	year, ok := number(s, 0, 4)
	if !ok || year < 1000 {
		return ""
	}
	if len(s) == 4 {
		return s
	}
	sep := s[4]
	if sep != '-' && sep != '/' {
		return ""
	}
	month, ok := number(s, 5, 2)
	if !ok || month < 1 || month > 12 {
		return ""
	}
	if len(s) == 7 {
		return s[:4] + "-" + s[5:7]
	}
	day, ok := number(s, 8, 2)
	if !ok || s[7] != sep || day < 1 ||
		time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day {
		return ""
	}
	if rest := s[10:]; rest != "" && (len(rest) < 2 || !strings.ContainsRune("Tt ", rune(rest[0])) || !isDigit(rest[1])) {
		return ""
	}
	return s[:4] + "-" + s[5:7] + "-" + s[8:10]
}

// number reads n ASCII digits at s[i:].
func number(s string, i, n int) (int, bool) {
	if len(s) < i+n {
		return 0, false
	}
	for j := i; j < i+n; j++ {
		if !isDigit(s[j]) {
			return 0, false
		}
	}
	v, err := strconv.Atoi(s[i : i+n])
	return v, err == nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// asciiDigits turns Arabic-Indic (٠-٩) and Persian (۰-۹) digits into ASCII.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case '٠' <= r && r <= '٩':
			return '0' + r - '٠'
		case '۰' <= r && r <= '۹':
			return '0' + r - '۰'
		}
		return r
	}, s)
}
