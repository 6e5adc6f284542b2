package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// minStem is the fewest letters stemming ever leaves: most Arabic roots have
// three letters, so a shorter remainder is an over-cut (أدى → اد).
const minStem = 3

// maxStem is the longest word stemmed; longer "words" are not Arabic words
// (a run of letters without spaces) and are left whole.
const maxStem = 30

// Stem light-stems one Arabic word: it normalises the word, strips
// proclitics from the front and up to three suffixes from the back, and never
// leaves fewer than three letters: words of three letters or less are only
// normalised, and so is a word of more than 30 letters (not a word). Words
// that are not Arabic come back normalised (see StemEnglish for English).
//
// Proclitic groups are a conjunction و ف, then a preposition ب ك ل, then the
// article ال (لل is ل + ال), tried longest first: وبال فبال وكال فكال ولل
// فلل وال فال بال كال لل ال وب فب وك فك ول فل و ف ب ك ل. Groups are stripped
// one after another while the word still starts with one (see
// stripProclitics), but a group without the article is not stripped from a
// word listed in radicalInitial (وزارة, بريطانيا, لجنة, كفرنبل …), whose first
// letter belongs to the word. The article is not stripped where it would
// leave two letters, and such a word keeps its suffixes too (الحي, not الح).
//
// Suffixes, in three stages, the first listed (the longest) that leaves three
// letters in each:
//  1. pronouns and endings: هما كما هم هن كم نا ها وا ه ا (ه is also the
//     normalised ة, and ا the accusative tanween alef of مدنياً);
//  2. plural and dual: تين تان ات ون ين ان (تين تان take the ة back:
//     طائرتين → طائر like طائرة);
//  3. nisba: يه ي ه.
//
// So مدني, مدنيون, المدنيين, والمدنيين, للمدنيين → مدن; سيارات → سيار;
// مستشفى, المستشفى, مستشفي → مستشف; أدى, على, عن, ضد stay whole.
func Stem(word string) string {
	w := fold(word)
	if !isArabicWord(w) {
		return w
	}
	return stemArabic(w)
}

// stemArabic stems a normalised Arabic word.
func stemArabic(w string) string {
	if n := letters(w); n <= minStem || n > maxStem {
		return w
	}
	w = stripProclitics(w)
	if strings.HasPrefix(w, "ال") {
		// The article is still there only on a word of two letters (الحي,
		// الدم), which has no suffix to strip: الحي is not الح.
		return w
	}
	return stripSuffixes(w)
}

// proclitics are the groups stripped from the front, longest first.
var proclitics = [...]string{
	"وبال", "فبال", "وكال", "فكال", "ولل", "فلل",
	"وال", "فال", "بال", "كال", "لل", "ال",
	"وب", "فب", "وك", "فك", "ول", "فل",
	"و", "ف", "ب", "ك", "ل",
}

// stripProclitics strips proclitic groups from the front, longest first, for
// as long as the word starts with one and keeps three letters. Going on after
// the first group is what keeps a word and its prefixed forms together when
// the word's own first letter looks like a proclitic: بنغازي → نغاز and
// لبنغازي → بنغازي → نغاز, التزام → تزام and الالتزام → التزام → تزام. Stripping one
// group only would give them different stems. radicalInitial stops the
// chain at words known to start with a root letter.
func stripProclitics(w string) string {
	for {
		rest, ok := stripProclitic(w)
		if !ok {
			return w
		}
		w = rest
	}
}

// stripProclitic strips the longest proclitic group that leaves three
// letters and is not the start of a word in radicalInitial.
func stripProclitic(w string) (string, bool) {
	for _, p := range proclitics {
		if !strings.HasPrefix(w, p) {
			continue
		}
		rest := w[len(p):]
		if letters(rest) < minStem {
			continue
		}
		if !strings.HasSuffix(p, "ال") && !strings.HasSuffix(p, "لل") && startsRadical(w, len(p)) {
			continue
		}
		if strings.HasSuffix(p, "لل") && isRadicalInitial("ل"+rest) {
			// ل + ال before a word in ل is written with two lams, not
			// three: للاجئين is ل + ال + لاجئين.
			return "ل" + rest, true
		}
		return rest, true
	}
	return w, false
}

// startsRadical reports whether one of the first n bytes of w (a proclitic
// group without the article) begins a word listed in radicalInitial: then
// that letter is the word's own, and the group is not a proclitic here.
func startsRadical(w string, n int) bool {
	for k := 0; k < n; {
		if isRadicalInitial(w[k:]) {
			return true
		}
		_, size := utf8.DecodeRuneInString(w[k:])
		k += size
	}
	return false
}

// isRadicalInitial reports whether w (which starts with و ف ب ك or ل) is a
// word whose first letter is a root letter, not a proclitic.
func isRadicalInitial(w string) bool {
	if strings.HasPrefix(w, "كفر") && letters(w) > 4 {
		return true // village names: كفرنبل, كفرزيتا, كفرسوسه …
	}
	_, ok := radicalInitial[stripSuffixes(w)]
	return ok
}

// suffixStages are tried in order; each strips at most one suffix, the
// first listed that leaves three letters.
var suffixStages = [...][]string{
	{"هما", "كما", "هم", "هن", "كم", "نا", "ها", "وا", "ه", "ا"},
	{"تين", "تان", "ات", "ون", "ين", "ان"},
	{"يه", "ي", "ه"},
}

// stripSuffixes strips up to one suffix per stage.
func stripSuffixes(w string) string {
	n := letters(w)
	for _, stage := range suffixStages {
		for _, suf := range stage {
			if strings.HasSuffix(w, suf) {
				if k := letters(suf); n-k >= minStem {
					w, n = w[:len(w)-len(suf)], n-k
					break
				}
			}
		}
	}
	return w
}

// letters counts the runes of w.
func letters(w string) int { return utf8.RuneCountInString(w) }

// isArabicWord reports whether a normalised word is written in Arabic
// letters (its first rune decides).
func isArabicWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}

// fold normalises a short string without keeping offsets.
func fold(s string) string {
	if isFolded(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = appendFold(b, r)
	}
	return string(b)
}

// isFolded reports whether fold would leave s unchanged, cheaply for the
// common case of plain Arabic letters and lower-case ASCII.
func isFolded(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && !('A' <= r && r <= 'Z'):
		case r >= 0x0621 && r <= 0x064A && r != 'أ' && r != 'إ' && r != 'آ' &&
			r != 'ؤ' && r != 'ئ' && r != 'ة' && r != 'ى' && r != 0x0640:
		default:
			return false
		}
	}
	return true
}
