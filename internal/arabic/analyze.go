package arabic

import (
	"unicode"
	"unicode/utf8"
)

// Term is one search term of a text: a token that is not a stop word,
// normalised and stemmed.
type Term struct {
	Text       string // the stem
	Start, End int    // byte span of the token in the original
	Position   int    // index of the token among all of Tokens(s), stop words included
	Stop       bool   // a stop word (only from AnalyzeKeepingStops)
}

// Analyze turns text into search terms: Tokens, then stop words dropped, then
// each word stemmed by its script — Arabic words by Stem, Latin words by
// StemEnglish. Numbers, mixed tokens (f16) and other scripts are kept as
// normalised. Positions count the dropped stop words too, so a phrase query
// still needs its words in place.
//
// Reports mix scripts (an English name in an Arabic report, an Arabic place
// in an English one), so Analyze applies each language's rules to its own
// script, and one call serves every report and every query whatever its
// language.
func Analyze(s string) []Term {
	return analyze(s, true, true)
}

// AnalyzeKeepingStops is Analyze with the stop words kept as terms whose
// Stop is set (their Text normalised, not stemmed): an index keeps their
// places so a phrase cannot match across one.
func AnalyzeKeepingStops(s string) []Term {
	toks := Tokens(s)
	terms := make([]Term, 0, len(toks))
	for i, t := range toks {
		text, stop := t.Text, false
		switch {
		case t.Script == ScriptArabic:
			if stop = IsStopWord(text); !stop {
				text = stemArabic(text)
			}
		case t.Script == ScriptLatin:
			if stop = IsStopWord(text); !stop {
				text = StemEnglish(text)
			}
		}
		terms = append(terms, Term{Text: text, Start: t.Start, End: t.End, Position: i, Stop: stop})
	}
	return terms
}

// AnalyzeEnglish is the English half of Analyze: English stop words and
// StemEnglish for Latin words; Arabic words are normalised but neither
// dropped nor stemmed.
func AnalyzeEnglish(s string) []Term {
	return analyze(s, false, true)
}

// analyze applies the Arabic rules to Arabic words if arabic is set, and the
// English rules to Latin words if english is set.
func analyze(s string, arabic, english bool) []Term {
	toks := Tokens(s)
	terms := make([]Term, 0, len(toks))
	for i, t := range toks {
		text := t.Text
		switch {
		case t.Script == ScriptArabic && arabic:
			if IsStopWord(text) {
				continue
			}
			text = stemArabic(text)
		case t.Script == ScriptLatin && english:
			if IsStopWord(text) {
				continue
			}
			text = StemEnglish(text)
		}
		terms = append(terms, Term{Text: text, Start: t.Start, End: t.End, Position: i})
	}
	return terms
}

// Language guesses the language of s from its letters: "ar" if Arabic
// letters are the most common (ties with Latin go to Arabic), "en" if Latin
// letters are, "other" if another script's letters are or there are no
// letters. Persian or Kurdish text counts as "ar": it is written in the same
// letters and analysed the same way.
func Language(s string) string {
	var arabic, latin, other int
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r|0x20 && r|0x20 <= 'z' {
				latin++
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
	case arabic == 0 && latin == 0 && other == 0:
		return "other"
	case arabic >= latin && arabic >= other:
		return "ar"
	case latin >= other:
		return "en"
	}
	return "other"
}
