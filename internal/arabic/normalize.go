package arabic

import (
	"unicode"
	"unicode/utf8"
)

// Normalized is text folded for matching, with a map back to the original.
type Normalized struct {
	// Text is the normalised text; it is always valid UTF-8.
	Text string
	// Offsets[i] is the byte offset in the original of the rune that
	// produced byte i of Text; Offsets[len(Text)] is len(original). Offsets
	// never decrease, so Text[i:j] came from
	// original[Offsets[i]:Offsets[j]] (widen j to the end of its rune).
	Offsets []int
}

// Normalize folds s for matching, rune by rune:
//
//   - alef with hamza, madda or wasla (أ إ آ ٱ ٲ ٳ ٵ) → ا; ى and Persian ی → ي;
//     ة → ه; Persian ک → ك;
//   - ؤ → و and ئ → ي (also ٶ → و, ٸ → ي): the seat of a hamza is spelled
//     inconsistently (مسؤول/مسئول, هيئة/هيأة), so matching keeps the seat
//     letter and drops the hamza; a lone ء is kept;
//   - dropped: harakat and every other combining mark of the Arabic blocks
//     (U+0610-U+061A, U+064B-U+065F, superscript alef U+0670, the Quranic
//     marks U+06D6-U+06ED, U+08D3-U+08FF), tatweel U+0640, the Arabic letter
//     mark U+061C, zero-width and bidi controls (U+200B-U+200F,
//     U+202A-U+202E, U+2060-U+2064, U+2066-U+2069), the byte-order mark
//     U+FEFF and the soft hyphen U+00AD;
//   - Arabic-Indic ٠-٩ and Persian ۰-۹ digits → 0-9, the Arabic decimal and
//     thousands separators ٫ ٬ → . and ,;
//   - Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) → the letters
//     they show (their NFKC decomposition, folded again);
//   - Latin letters → lower case;
//   - bytes that are not valid UTF-8 → U+FFFD.
//
// Every other rune is kept. The rules look at one rune at a time and never
// produce a rune they would change, so Normalize is idempotent.
func Normalize(s string) Normalized {
	text := make([]byte, 0, len(s))
	offsets := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		n := len(text)
		text = appendFold(text, r)
		for range len(text) - n {
			offsets = append(offsets, i)
		}
		i += w
	}
	offsets = append(offsets, len(s))
	return Normalized{Text: string(text), Offsets: offsets}
}

// drop is what foldRune returns for a rune that normalisation removes.
const drop rune = -1

// appendFold appends the normalised form of r to dst.
func appendFold(dst []byte, r rune) []byte {
	if exp := presentation(r); exp != "" {
		for _, x := range exp {
			if f := foldRune(x); f != drop {
				dst = utf8.AppendRune(dst, f)
			}
		}
		return dst
	}
	if f := foldRune(r); f != drop {
		dst = utf8.AppendRune(dst, f)
	}
	return dst
}

// presentation returns the decomposition of an Arabic presentation form, or
// "" if r is not one (or is one that is kept).
func presentation(r rune) string {
	switch {
	case r >= 0xFB50 && r <= 0xFDFF:
		return presentationA[r-0xFB50]
	case r >= 0xFE70 && r <= 0xFEFE:
		return presentationB[r-0xFE70]
	}
	return ""
}

// foldRune folds one rune that is not a presentation form: the rune it
// becomes, or drop.
func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= 0x0600 && r <= 0x06FF:
		return foldArabic(r)
	case r >= 0x0750 && r <= 0x077F, r >= 0x0870 && r <= 0x08FF:
		if unicode.Is(unicode.Mn, r) {
			return drop
		}
		return r
	case isInvisible(r):
		return drop
	case r == utf8.RuneError:
		return r
	case unicode.Is(unicode.Latin, r):
		return unicode.ToLower(r)
	}
	return r
}

// isInvisible reports the format controls that normalisation removes.
func isInvisible(r rune) bool {
	switch {
	case r == 0x00AD, r == 0xFEFF:
		return true
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E:
		return true
	case r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// foldArabic folds a rune of the Arabic block U+0600-U+06FF.
func foldArabic(r rune) rune {
	switch r {
	case 'آ', 'أ', 'إ', 'ٱ', 'ٲ', 'ٳ', 'ٵ':
		return 'ا'
	case 'ى', 'ئ', 'ی', 'ٸ':
		return 'ي'
	case 'ة':
		return 'ه'
	case 'ؤ', 'ٶ':
		return 'و'
	case 'ک':
		return 'ك'
	case '٫':
		return '.'
	case '٬':
		return ','
	case 0x061C, 0x0640, 0x0670:
		return drop
	}
	switch {
	case r >= 0x0621 && r <= 0x064A: // the letters
		return r
	case r >= 0x064B && r <= 0x065F: // the harakat
		return drop
	case r >= '٠' && r <= '٩':
		return '0' + r - '٠'
	case r >= '۰' && r <= '۹':
		return '0' + r - '۰'
	case unicode.Is(unicode.Mn, r):
		return drop
	}
	return r
}
