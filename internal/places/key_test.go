package places

import (
	"strings"
	"testing"
)

// Transliterations of one name meet in one key.
func TestLatinKey(t *testing.T) {
	for _, group := range [][]string{
		{"Raqqa", "Raqqah", "Raqa", "RAQQA"},
		{"Idlib", "Idleb"},
		{"Dar'a", "Daraa", "Dara", "Dar‘a"},
		{"Tartous", "Tartus"},
		{"Hasakeh", "Hasakah", "Hasaka"},
		{"Ashrafiyeh", "Ashrafieh", "Ashrafiyah", "Ashrafiya"},
		{"Hameidiyyeh", "Hamidiyah", "Hamidiya", "Hamidieh"},
		{"Ḩimş", "Hims"},
		{"Zor", "Zour"},
		{"Kobani", "Kobane", "Kobanî"},
	} {
		var tz tokenizer
		want := strings.Join(keyTokens(&tz, group[0]), " ")
		for _, w := range group[1:] {
			if got := strings.Join(keyTokens(&tz, w), " "); got != want {
				t.Errorf("key(%q) = %q, key(%q) = %q", w, got, group[0], want)
			}
		}
	}
	var tz tokenizer
	for in, want := range map[string]string{
		"Ar-Raqqa": "raqa", "Deir ez-Zor": "dir zur", "Raqqa's": "raqa s", "Aleppo": "alipu", "Iss": "is", "Ras al Ain": "ras ain",
	} {
		if got := strings.Join(keyTokens(&tz, in), " "); got != want {
			t.Errorf("key(%q) = %q, want %q", in, got, want)
		}
	}
}
