package arabic

import (
	"fmt"
	"strings"
	"testing"
)

// tok is a token as the tests write it: normalised text, the surface form
// s[Start:End], kind and script.
type tok struct {
	text, surface string
	kind          TokenKind
	script        Script
}

func (k tok) String() string {
	return fmt.Sprintf("%q/%q/%d/%d", k.text, k.surface, k.kind, k.script)
}

func TestTokens(t *testing.T) {
	const (
		w, n                 = KindWord, KindNumber
		ar, la, dg, mx, oth  = ScriptArabic, ScriptLatin, ScriptDigit, ScriptMixed, ScriptOther
		tashkil, controlText = "قَصْفٌ جَوِّيٌّ", "\u202Bالرقة\u202C"
	)
	tests := []struct {
		name, in string
		want     []tok
	}{
		{"harakat never split", tashkil, []tok{{"قصف", "قَصْفٌ", w, ar}, {"جوي", "جَوِّيٌّ", w, ar}}},
		{"tatweel inside and at the end", "قصـــف الـ", []tok{{"قصف", "قصـــف", w, ar}, {"ال", "الـ", w, ar}}},
		{"bidi controls stay outside", controlText, []tok{{"الرقه", "الرقة", w, ar}}},
		{"zero-width non-joiner inside", "می\u200Cخواهم", []tok{{"ميخواهم", "می\u200Cخواهم", w, ar}}},
		{"zero-width space splits", "قصف\u200Bجوي", []tok{{"قصف", "قصف", w, ar}, {"جوي", "جوي", w, ar}}},
		{"arabic punctuation", "حلب، إدلب؛ الرقة؟ «دير الزور»", []tok{
			{"حلب", "حلب", w, ar}, {"ادلب", "إدلب", w, ar}, {"الرقه", "الرقة", w, ar},
			{"دير", "دير", w, ar}, {"الزور", "الزور", w, ar}}},
		{"ascii punctuation", `"Raqqa's" (SDF)-led`, []tok{
			{"raqqa", "Raqqa", w, la}, {"s", "s", w, la}, {"sdf", "SDF", w, la}, {"led", "led", w, la}}},
		{"model names", "F-16 Su-24 MiG23", []tok{
			{"f16", "F-16", w, mx}, {"su24", "Su-24", w, mx}, {"mig23", "MiG23", w, mx}}},
		{"arabic letters and digits part", "2017م و2018", []tok{
			{"2017", "2017", n, dg}, {"م", "م", w, ar}, {"و", "و", w, ar}, {"2018", "2018", n, dg}}},
		{"arabic and latin part", "بـF16", []tok{{"ب", "بـ", w, ar}, {"f16", "F16", w, mx}}},
		{"thousands and decimals", "1,200 ١٬٢٠٠ ٣٫٥ 1,20 2.5", []tok{
			{"1,200", "1,200", n, dg}, {"1,200", "١٬٢٠٠", n, dg}, {"3.5", "٣٫٥", n, dg},
			{"1", "1", n, dg}, {"20", "20", n, dg}, {"2.5", "2.5", n, dg}}},
		{"ranges and dates split", "250-300 5/6/2017", []tok{
			{"250", "250", n, dg}, {"300", "300", n, dg}, {"5", "5", n, dg},
			{"6", "6", n, dg}, {"2017", "2017", n, dg}}},
		{"numeric date with dots", "05.06.2017", []tok{{"05.06.2017", "05.06.2017", n, dg}}},
		{"trailing punctuation after digits", "70. 3,", []tok{{"70", "70", n, dg}, {"3", "3", n, dg}}},
		{"presentation forms", "\uFE8D\uFEDF\uFEAE\uFED8\uFE94 \uFEFB", []tok{
			{"الرقه", "\uFE8D\uFEDF\uFEAE\uFED8\uFE94", w, ar}, {"لا", "\uFEFB", w, ar}}},
		{"honorific ligature is a symbol", "محمد \uFDFA قال", []tok{{"محمد", "محمد", w, ar}, {"قال", "قال", w, ar}}},
		{"other scripts", "Москва 東京", []tok{{"Москва", "Москва", w, oth}, {"東京", "東京", w, oth}}},
		{"invalid bytes separate", "قصف\xffجوي", []tok{{"قصف", "قصف", w, ar}, {"جوي", "جوي", w, ar}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []tok
			for _, k := range Tokens(tt.in) {
				got = append(got, tok{k.Text, tt.in[k.Start:k.End], k.Kind, k.Script})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Tokens(%q)\n got %v\nwant %v", tt.in, got, tt.want)
			}
			checkTokens(t, tt.in, Tokens(tt.in))
		})
	}
}

// checkTokens verifies the invariants of Tokens: spans in order, not
// overlapping, not empty; Text is the normalised span (less a dropped
// hyphen).
func checkTokens(t *testing.T, s string, toks []Token) {
	t.Helper()
	end := 0
	for i, k := range toks {
		if k.Start < end || k.End <= k.Start || k.End > len(s) {
			t.Fatalf("token %d %q: span [%d,%d) after %d in %d bytes", i, k.Text, k.Start, k.End, end, len(s))
		}
		end = k.End
		want := Normalize(s[k.Start:k.End]).Text
		if k.Script == ScriptMixed {
			want = strings.NewReplacer("-", "", "\u2010", "", "\u2011", "").Replace(want)
		}
		if k.Text != want {
			t.Fatalf("token %d: Text %q, normalised span %q", i, k.Text, want)
		}
	}
}
