package places

import (
	"unicode"
	"unicode/utf8"
)

// Names and text are compared token by token, in a key form: the text is
// first folded by arabic.Normalize (hamza forms, ة/ه, ى/ي, harakat, case),
// then cut into tokens (runs of letters of one script, or of digits). An
// Arabic token's key is the token. A Latin token's key is latinKey's
// folding of the many ways Arabic names are written in Latin letters.

// script is the writing system of a token.
type script uint8

const (
	scriptArabic script = iota + 1
	scriptLatin
	scriptDigit
	scriptOther
)

// token is one word of normalised text.
type token struct {
	start, end int // byte span in the normalised text
	key        string
	script     script
	article    bool // a Latin Arabic article: al, el, ar, ash ... (see articles)
}

// tokenizer cuts normalised text into tokens. Its buffers are reused from
// call to call (see the pool in find.go).
type tokenizer struct {
	toks  []token
	arena []byte // Latin keys, one after another
	spans [][2]int
}

// tokenize fills t.toks with the tokens of the normalised text s.
func (t *tokenizer) tokenize(s string) []token {
	t.toks, t.arena, t.spans = t.toks[:0], t.arena[:0], t.spans[:0]
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		sc := classify(r)
		if sc == 0 {
			i += w
			continue
		}
		start, end := i, i+w
		for end < len(s) {
			r, w := utf8.DecodeRuneInString(s[end:])
			if c := classify(r); c == sc {
				end += w
				continue
			}
			// An apostrophe inside a Latin word (Dar'a, A'zaz, Ma‘arrat)
			// belongs to it, but the 's of a possessive does not.
			if sc == scriptLatin && isApostrophe(r) && end+w < len(s) {
				next, nw := utf8.DecodeRuneInString(s[end+w:])
				after, _ := utf8.DecodeRuneInString(s[end+w+nw:])
				if classify(next) == scriptLatin && (next != 's' || classify(after) == scriptLatin) {
					end += w
					continue
				}
			}
			break
		}
		tok := token{start: start, end: end, script: sc}
		if sc == scriptLatin {
			a := len(t.arena)
			t.arena = latinKey(t.arena, s[start:end])
			t.spans = append(t.spans, [2]int{a, len(t.arena)})
		} else {
			tok.key = s[start:end]
		}
		t.toks = append(t.toks, tok)
		i = end
	}
	if len(t.spans) > 0 {
		keys, k := string(t.arena), 0 // one allocation for all Latin keys
		for i := range t.toks {
			if t.toks[i].script == scriptLatin {
				sp := t.spans[k]
				t.toks[i].key = keys[sp[0]:sp[1]]
				t.toks[i].article = articles[t.toks[i].key]
				k++
			}
		}
	}
	return t.toks
}

// classify says which kind of token a rune of normalised text belongs to,
// or 0 for a separator.
func classify(r rune) script {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return scriptLatin
		case '0' <= r && r <= '9':
			return scriptDigit
		}
		return 0
	case r >= 0x0621 && r <= 0x064A:
		return scriptArabic
	case isApostrophe(r):
		return 0
	case !unicode.IsLetter(r):
		return 0
	case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F:
		return scriptArabic
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	}
	return scriptOther
}

// isApostrophe reports the marks written for hamza and ayn in Latin
// transliteration.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '’', '‘', 'ʼ', 'ʿ', 'ʾ', 'ʻ', '´':
		return true
	}
	return false
}

// articles are the Latin spellings of the Arabic article, as keys: al-,
// el-, and the assimilated ar-, as-, ash-, at-, ad-, an-, az-, ez-, es-,
// adh-, ath-, ul-. A name's key leaves them out, so Ar-Raqqa, al-Raqqah and
// Raqqa meet, and Deir ez-Zor and Deir-ez-Zor.
var articles = map[string]bool{
	"al": true, "il": true, "ar": true, "as": true, "ash": true, "at": true, "ad": true,
	"an": true, "az": true, "iz": true, "is": true, "adh": true, "ath": true, "ul": true,
}

// latinKey appends the key of a Latin word (already lower case) to dst.
// Transliterations of one Arabic name differ in diacritics (Ḩimş), in the
// marks for hamza and ayn (Dar'a, Daraa), in doubled letters (Raqqa, Raqa),
// in the vowels (Idleb, Idlib; Tartous, Tartus; Zor, Zour), and in the
// ending of the feminine (Raqqah, Raqqa; Hasakeh, Hasaka; Ashrafiyeh,
// Ashrafieh). The key keeps one of each: diacritics and apostrophes go, a
// final -ah or -eh becomes -a, o becomes u and e becomes i (so ou, oo and ee
// too, once doubled letters are made single), and "iy" before a vowel
// becomes i.
func latinKey(dst []byte, word string) []byte {
	start := len(dst)
	for _, r := range word {
		switch {
		case isApostrophe(r):
		case r < utf8.RuneSelf:
			dst = append(dst, byte(unicode.ToLower(r)))
		default:
			if b := foldLatin(r); b != 0 {
				dst = append(dst, b)
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		}
	}
	k := dst[start:]
	if n := len(k); n > 2 && k[n-1] == 'h' && (k[n-2] == 'a' || k[n-2] == 'e') {
		k[n-2], k = 'a', k[:n-1]
	}
	out := k[:0]
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch c {
		case 'o':
			c = 'u'
		case 'e':
			c = 'i'
		}
		if len(out) > 0 && out[len(out)-1] == c && c >= 'a' && c <= 'z' {
			continue
		}
		out = append(out, c)
	}
	// Then, with doubled letters single, "iy" before a vowel is i:
	// Ashrafiyeh, Ashrafieh; Hameidiyyeh, Hamidiyah.
	k, out = out, out[:0]
	for i := 0; i < len(k); i++ {
		if k[i] == 'y' && len(out) > 0 && out[len(out)-1] == 'i' && i+1 < len(k) && isVowel(k[i+1]) {
			continue
		}
		out = append(out, k[i])
	}
	return dst[:start+len(out)]
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// foldLatin maps a Latin letter with diacritics to its base letter, or 0.
func foldLatin(r rune) byte {
	var c byte
	switch {
	case r >= 0xC0 && r < 0x180:
		c = latin1[r-0xC0]
	case r >= 0x1E00 && r < 0x1F00:
		c = latinExtra[r-0x1E00]
	}
	if c == '.' {
		return 0
	}
	return c
}

// The base letters of U+00C0-U+017F and U+1E00-U+1EFF ('.' for none).
const (
	latin1     = "aaaaaaaceeeeiiiidnooooo.ouuuuytsaaaaaaaceeeeiiiidnooooo.ouuuuytyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzzs"
	latinExtra = "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy....s.aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......"
)
