package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind says whether a token is a word or a number.
type TokenKind uint8

// The kinds of token.
const (
	KindWord   TokenKind = iota // letters, possibly with digits (f16)
	KindNumber                  // digits only, possibly with , or . between them (1,200)
)

// Script is the writing system of a token.
type Script uint8

// The scripts of a token.
const (
	ScriptArabic Script = iota // Arabic letters (also Persian and Kurdish letters)
	ScriptLatin                // Latin letters
	ScriptDigit                // digits only
	ScriptMixed                // Latin letters and digits (f16, a320, 2nd)
	ScriptOther                // letters of any other script
)

// Token is one word or number of a text.
type Token struct {
	Text       string // normalised (see Normalize)
	Start, End int    // byte span in the original
	Kind       TokenKind
	Script     Script
}

// Tokens splits s into words and numbers.
//
// Spaces, punctuation (ASCII and Arabic: ، ؛ ؟ « » …) and symbols separate
// tokens; harakat, tatweel and invisible controls never do (قَصْف is the
// token قصف), and a token's span includes the harakat and tatweel that end it
// but not a trailing control. A token never spans two scripts, with one
// exception: Latin letters and digits make one token, so model names stay
// whole, and a hyphen between a Latin letter and a digit is dropped from the
// text (F-16, F16 → f16; Su-24 → su24). Arabic letters and digits always part
// ("2017م" is 2017 and م), since Arabic abbreviations cling to numbers. Digits
// joined by "." or ٫, or by "," or ٬ before exactly three digits, make one
// number (1,200; ٣٫٥ → 3.5); a hyphen or slash between digits separates them
// (250-300, 5/6/2017). The ligatures U+FDFA and U+FDFB, which stand for a
// whole honorific phrase, are treated as symbols.
//
// Each token's Text is Normalize(s[Start:End]).Text, less a dropped hyphen;
// tokens come in order and do not overlap.
func Tokens(s string) []Token {
	var t tokenizer
	t.s = s
	t.toks = make([]Token, 0, len(s)/8)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 {
			t.flush()
		} else {
			t.add(i, r, w)
		}
		i += w
	}
	t.flush()
	return t.toks
}

// class is what a rune means to the tokenizer.
type class uint8

const (
	cSep    class = iota // separates tokens
	cInvis               // dropped control: may sit inside a token, never ends one
	cMark                // combining mark or tatweel: extends the token before it
	cArabic              // letters
	cLatin
	cDigit
	cOther
)

// classify says what rune r of the original is to the tokenizer.
func classify(r rune) class {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return cLatin
		case '0' <= r && r <= '9':
			return cDigit
		}
		return cSep
	case r >= 0x0621 && r <= 0x064A && r != 0x0640: // the common case first
		return cArabic
	case r >= 0x064B && r <= 0x065F, r == 0x0640:
		return cMark
	}
	if exp := presentation(r); exp != "" {
		if strings.IndexByte(exp, ' ') >= 0 {
			return cSep
		}
		r, _ = utf8.DecodeRuneInString(exp)
	}
	f := foldRune(r)
	switch {
	case r == 0x200B: // zero-width space: a word break
		return cSep
	case f == drop && (r == 0x0640 || unicode.Is(unicode.Mn, r)):
		return cMark
	case f == drop:
		return cInvis
	case '0' <= f && f <= '9':
		return cDigit
	case unicode.IsMark(f):
		return cMark
	case unicode.IsDigit(f): // digits of other scripts
		return cOther
	case !unicode.IsLetter(f):
		return cSep
	case unicode.Is(unicode.Arabic, f):
		return cArabic
	case unicode.Is(unicode.Latin, f):
		return cLatin
	}
	return cOther
}

// tokenizer builds the tokens of one text.
type tokenizer struct {
	s       string
	toks    []Token
	text    []byte
	open    bool
	start   int // start of the open token
	end     int // end of its last letter, digit or mark
	last    class
	letters class // cArabic, cLatin or cOther once the token has letters, else cSep
	digits  bool  // the token has ASCII digits
}

// add takes the rune r found at s[i:i+w].
func (t *tokenizer) add(i int, r rune, w int) {
	c := classify(r)
	switch c {
	case cSep:
		if t.open && t.bridge(i, r, w) {
			return
		}
		t.flush()
	case cInvis:
		// Kept out of the text; inside the span only if the token goes on.
	case cMark:
		if t.open {
			t.text = appendFold(t.text, r)
			t.end = i + w
		}
	default:
		if t.open && !joins(t.last, c) {
			t.flush()
		}
		if !t.open {
			t.open, t.start = true, i
		}
		t.text = appendFold(t.text, r)
		t.end, t.last = i+w, c
		if c == cDigit {
			t.digits = true
		} else {
			t.letters = c
		}
	}
}

// joins reports whether a rune of class c continues a token whose last
// letter or digit has class prev.
func joins(prev, c class) bool {
	switch {
	case prev == c:
		return true
	case prev == cLatin && c == cDigit, prev == cDigit && c == cLatin:
		return true
	}
	return false
}

// bridge handles a separator inside a token that does not end it: a hyphen
// between a Latin letter and a digit (dropped), or a decimal or thousands
// separator between digits (kept, folded to ASCII).
func (t *tokenizer) bridge(i int, r rune, w int) bool {
	if t.end != i {
		return false
	}
	next, _ := utf8.DecodeRuneInString(t.s[i+w:])
	if classify(next) != cDigit {
		return false
	}
	switch {
	case t.last == cLatin && (r == '-' || r == 0x2010 || r == 0x2011):
		return true
	case t.last == cDigit && (r == '.' || r == '٫'):
	case t.last == cDigit && (r == ',' || r == '٬') && threeDigits(t.s[i+w:]):
	default:
		return false
	}
	t.text = appendFold(t.text, r)
	return true
}

// threeDigits reports whether s starts with exactly three digits.
func threeDigits(s string) bool {
	n := 0
	for _, r := range s {
		if classify(r) != cDigit {
			break
		}
		if n++; n > 3 {
			return false
		}
	}
	return n == 3
}

// flush ends the open token, if any.
func (t *tokenizer) flush() {
	if !t.open {
		return
	}
	tok := Token{Text: string(t.text), Start: t.start, End: t.end, Kind: KindWord}
	switch {
	case t.letters == cSep && t.digits:
		tok.Kind, tok.Script = KindNumber, ScriptDigit
	case t.letters == cLatin && t.digits:
		tok.Script = ScriptMixed
	case t.letters == cLatin:
		tok.Script = ScriptLatin
	case t.letters == cArabic:
		tok.Script = ScriptArabic
	default:
		tok.Script = ScriptOther
	}
	t.toks = append(t.toks, tok)
	t.text, t.open, t.letters, t.digits = t.text[:0], false, cSep, false
}
