package arabic

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"alef forms", "أحمد إدلب آذار ٱلله ٲ ٳ ٵ", "احمد ادلب اذار الله ا ا ا"},
		{"alef maqsura", "مستشفى على", "مستشفي علي"},
		{"ta marbuta", "مدينة الرقة", "مدينه الرقه"},
		{"hamza seats", "مسؤول هيئة لاجئ", "مسوول هييه لاجي"},
		{"lone hamza kept", "شهداء", "شهداء"},
		{"harakat", "قَصْفٌ عَنِيفٌ", "قصف عنيف"},
		{"shadda and sukun", "المدنيّون", "المدنيون"},
		{"superscript alef", "هٰذا", "هذا"},
		{"honorific marks U+0610-U+061A", "محمد\u0610\u0612 \u0615x", "محمد x"},
		{"quranic marks", "الله\u06D6\u06E1", "الله"},
		{"tatweel", "قصـــف", "قصف"},
		{"bidi controls", "\u202Bالرقة\u202C \u200Fحلب\u200E \u2067x\u2069", "الرقه حلب x"},
		{"zero width", "قصف\u200Bجوي \u200Cب\u200Dا \uFEFFx \u061Cy", "قصفجوي با x y"},
		{"soft hyphen and word joiner", "com\u00ADpound\u2060s", "compounds"},
		{"arabic-indic digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"persian digits", "۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"arabic separators", "٣٫٥ ١٬٢٠٠ ٪", "3.5 1,200 ٪"},
		{"persian letters", "کوبانی", "كوباني"},
		{"latin lower case", "Raqqa SDF Über", "raqqa sdf über"},
		{"presentation forms B", "\uFE8D\uFEDF\uFEAE\uFED8\uFE94", "الرقه"},
		{"lam-alef ligatures", "\uFEFB \uFEF7 \uFEF5", "لا لا لا"},
		{"presentation forms A", "\uFDF2 \uFC0B", "الله تج"},
		{"isolated harakat forms", "ق\uFE76ص\uFE7Eف", "قصف"},
		{"honorific phrase ligature", "\uFDFA", "صلي الله عليه وسلم"},
		{"kept symbols", "\uFDFD \uFD3E", "\uFDFD \uFD3E"},
		{"invalid utf-8", "a\xffb\xe2\x80", "a\uFFFDb\uFFFD\uFFFD"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got.Text != tt.want {
				t.Errorf("Normalize(%q).Text = %q, want %q", tt.in, got.Text, tt.want)
			}
			checkOffsets(t, tt.in, got)
			if again := Normalize(got.Text).Text; again != got.Text {
				t.Errorf("not idempotent: %q → %q → %q", tt.in, got.Text, again)
			}
		})
	}
}

func TestNormalizeOffsets(t *testing.T) {
	in := "قَصْفٌ F-16"
	n := Normalize(in)
	// ق is at 0, ص at 4 (after a fatha), ف at 8 (after a sukun), the tanween
	// at 10 is dropped; the space at 12.
	want := []int{0, 0, 4, 4, 8, 8, 12, 13, 14, 15, 16, 17}
	if n.Text != "قصف f-16" {
		t.Fatalf("Text = %q", n.Text)
	}
	if len(n.Offsets) != len(want) {
		t.Fatalf("Offsets = %v, want %v", n.Offsets, want)
	}
	for i := range want {
		if n.Offsets[i] != want[i] {
			t.Fatalf("Offsets = %v, want %v", n.Offsets, want)
		}
	}
	// A span of the normalised text maps back to the original.
	i := strings.Index(n.Text, "f-16")
	if got := in[n.Offsets[i]:n.Offsets[len(n.Text)]]; got != "F-16" {
		t.Errorf("span maps back to %q", got)
	}
}

// checkOffsets verifies the Offsets invariant of n for the original s.
func checkOffsets(t *testing.T, s string, n Normalized) {
	t.Helper()
	if !utf8.ValidString(n.Text) {
		t.Errorf("Text %q is not valid UTF-8", n.Text)
	}
	if len(n.Offsets) != len(n.Text)+1 || n.Offsets[len(n.Text)] != len(s) {
		t.Fatalf("%d offsets for %d bytes of text (original %d bytes), last %v",
			len(n.Offsets), len(n.Text), len(s), n.Offsets[len(n.Offsets)-1:])
	}
	valid := utf8.ValidString(s)
	for i, o := range n.Offsets {
		if o < 0 || o > len(s) || (i > 0 && o < n.Offsets[i-1]) {
			t.Fatalf("offset %d = %d: out of range or decreasing", i, o)
		}
		if o < len(s) && valid && !utf8.RuneStart(s[o]) {
			t.Fatalf("offset %d = %d is not at a rune start", i, o)
		}
	}
}

// TestPresentationTables checks that every presentation form normalises to
// Arabic letters (and, for the honorific phrases, spaces), or to nothing
// for the spacing harakat, or is kept.
func TestPresentationTables(t *testing.T) {
	check := func(r rune, exp string) {
		got := Normalize(string(r)).Text
		if exp == "" {
			if r != 0xFEFF && got != string(r) {
				t.Errorf("%U kept: normalised to %q", r, got)
			}
			return
		}
		for _, x := range got {
			if x != ' ' && !(unicode.Is(unicode.Arabic, x) && unicode.IsLetter(x)) {
				t.Errorf("%U → %q: %U is not an Arabic letter", r, got, x)
			}
		}
		if got == "" && !strings.ContainsFunc(exp, func(x rune) bool { return unicode.Is(unicode.Mn, x) }) {
			t.Errorf("%U → %q: only harakat may vanish", r, got)
		}
	}
	for i, exp := range presentationA {
		check(rune(0xFB50+i), exp)
	}
	for i, exp := range presentationB {
		check(rune(0xFE70+i), exp)
	}
	// Spot checks against the Unicode charts.
	for r, want := range map[rune]string{0xFE8E: "ا", 0xFEE9: "ه", 0xFEF0: "ي", 0xFC5E: "", 0xFDF2: "الله", 0xFB8E: "ك", 0xFBFC: "ي"} {
		if got := Normalize(string(r)).Text; got != want {
			t.Errorf("%U → %q, want %q", r, got, want)
		}
	}
}
