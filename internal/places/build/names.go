package build

import (
	"regexp"
	"strings"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// The source tables write names in many ways. The rules here turn one
// source cell into a main name and its alternatives; they are the whole of
// the judgement the generator makes about names, so each says which cells it
// is for.

var (
	spaces   = regexp.MustCompile(`\s+`)
	articles = regexp.MustCompile(`\b(al|el|ar|as|ash|at|ad|an|az|ez)\s`)
	paren    = regexp.MustCompile(`\s*\(([^)]*)\)\s*`)
)

// clean trims a cell to its first line and single spaces.
func clean(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// normEN folds an English name for comparing admin names with each other
// (A'zaz, Azaz; Ar-Raqqa, Raqqa).
func normEN(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("'", "", "ʼ", "", "’", "", "-", " ").Replace(s)
	s = articles.ReplaceAllString(s, "")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// normAR folds an Arabic name for comparing admin names with each other:
// the letters Normalize folds, and the words مركز (the central sub-district
// of a district is "مركز X") and ناحية (sub-district).
func normAR(s string) string {
	s = arabic.Normalize(s).Text
	s = strings.NewReplacer("مركز ", "", "ناحيه ", "").Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// fold is the key under which two spellings count as one alias: the
// normalised text without spaces, hyphens or apostrophes. The package that
// reads the table folds much further; this only keeps the table free of
// repeats.
func fold(s string) string {
	s = arabic.Normalize(s).Text
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\'', '’', '‘', 'ʼ', '`', 'ʿ', 'ʾ':
			return -1
		}
		return r
	}, s)
}

// splitAR splits an Arabic community or neighbourhood cell into names. The
// communities table joins a name and its alternative with "_" (the Arabic
// and the Kurdish or Turkish name of a village in Afrin: الأميرية_ميركان),
// "/" (ميسلون / شير القاق), "-" (حملك-حميلك) or brackets (طنجرة (المنارة)).
func splitAR(s string) []string { return split(s, "_/-", true) }

// splitEN splits an English community cell: "(Afrin)" after a name only
// tells homonyms apart and is dropped; "/" joins two names (Rabyeh / Bikas).
// Hyphens stay: they belong to transliterations (Deir-ez-Zor).
func splitEN(s string) []string { return split(s, "/", false) }

// splitHood splits an English neighbourhood cell, which joins names with
// "_ " or "/" and puts an alternative in brackets (Southern(Al-rradar)); a
// "_" without a space stands for one (Al_Sad).
func splitHood(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "_ ", "/"), "_", " ")
	return split(s, "/", true)
}

// split cuts s at any of seps; text in brackets is an alternative name if
// keepParen, else dropped. The first name is the main one.
func split(s, seps string, keepParen bool) []string {
	s = clean(s)
	var inner []string
	s = paren.ReplaceAllStringFunc(s, func(m string) string {
		if keepParen {
			inner = append(inner, paren.FindStringSubmatch(m)[1])
		}
		return " "
	})
	var out []string
	for _, p := range append(strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }), inner...) {
		if p = clean(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Designators are the words that say what kind of place a name is. OpenSyria
// spells its formal aliases with them ("Hasaka Governorate", "ناحية العريشة",
// "Nahiyat al Hajib"); the gazetteer keeps the bare name, since the place's
// level already says what it is and text matching treats a designator before
// a name as a cue of its own.
var (
	designatorPrefixes = []string{
		"محافظة ", "منطقة ", "ناحية ", "Governorate of ", "Nāḩiyat ", "Nahiyat ", "Nahiyah ",
	}
	designatorSuffixes = []string{
		" Governorate", " District", " Subdistrict", " Sub-district", " nahiyah", " Nahiyah",
	}
)

// stripDesignator removes one designator word from an alias.
func stripDesignator(s string) string {
	for _, p := range designatorPrefixes {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	for _, p := range designatorSuffixes {
		if strings.HasSuffix(s, p) {
			return strings.TrimSpace(s[:len(s)-len(p)])
		}
	}
	return s
}

// usableAlias rejects the OpenSyria aliases that are not names: mechanical
// transliterations of the Arabic letters, written all in lower case
// ("nahyt mrkz alhskt"), and Arabic notes such as "مركزها السقيلبية" (its
// centre is al-Suqaylabiyah).
func usableAlias(s string) bool {
	if s == "" || strings.HasPrefix(s, "مركزها") {
		return false
	}
	latin, upper := false, false
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			latin, upper = true, true
		case r >= 'a' && r <= 'z':
			latin = true
		}
	}
	return !latin || upper
}

// isArabic reports whether s is written in Arabic letters (its first letter
// decides).
func isArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			return false
		}
	}
	return false
}
