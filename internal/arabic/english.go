package arabic

import "strings"

// StemEnglish light-stems one English word. It lower-cases the word and, if
// the word has four letters or more and only ASCII letters, applies in turn:
//
//  1. plurals: -sses → -ss, -ies → -i, -s → "" (not after s, u or i:
//     class, status, analysis stay);
//  2. -ing and -ed → "" when a vowel is left and three letters or more, then
//     a doubled final consonant other than l, s, z is undoubled (stopped →
//     stop, but shelling → shell);
//  3. a final y after a consonant → i (casualty, casualties → casualti);
//  4. a final e → "" when four letters are left (strike, strikes, striking →
//     strik; displaced, displace → displac).
//
// The rules aim at matching the forms of one word, not at linguistic stems;
// irregular forms (children, fled) are left alone.
func StemEnglish(word string) string {
	w := fold(word)
	if len(w) < 4 || !isASCIILetters(w) {
		return w
	}
	w = stripPlural(w)
	w = stripVerbEnding(w)
	if n := len(w); n > 3 && w[n-1] == 'y' && !isVowel(w[n-2]) {
		w = w[:n-1] + "i"
	}
	if n := len(w); n > 4 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	return w
}

// stripPlural removes a plural -s.
func stripPlural(w string) string {
	switch {
	case strings.HasSuffix(w, "sses"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s"):
		switch w[len(w)-2] {
		case 's', 'u', 'i':
			return w
		}
		return w[:len(w)-1]
	}
	return w
}

// stripVerbEnding removes -ing or -ed.
func stripVerbEnding(w string) string {
	for _, suf := range [...]string{"ing", "ed"} {
		stem, ok := strings.CutSuffix(w, suf)
		if !ok || len(stem) < 3 || !strings.ContainsAny(stem, "aeiouy") {
			continue
		}
		if n := len(stem); stem[n-1] == stem[n-2] && !isVowel(stem[n-1]) &&
			!strings.ContainsRune("lsz", rune(stem[n-1])) {
			stem = stem[:n-1]
		}
		return stem
	}
	return w
}

func isVowel(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
