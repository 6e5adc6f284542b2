package build

import (
	"slices"
	"testing"
)

// The rules that turn a source cell into names, on cells of the real tables.
func TestNames(t *testing.T) {
	for _, tt := range []struct {
		fn   func(string) []string
		cell string
		want []string
	}{
		{splitAR, "الأميرية_ميركان", []string{"الأميرية", "ميركان"}},
		{splitAR, "ابين- عفرين", []string{"ابين", "عفرين"}},
		{splitAR, "شاميه /اللاذقية/", []string{"شاميه", "اللاذقية"}},
		{splitAR, "طنجرة (المنارة)", []string{"طنجرة", "المنارة"}},
		{splitAR, "الدلالين\nالدلالين\nالدلالين", []string{"الدلالين"}},
		{splitEN, "Afrin (Afrin)", []string{"Afrin"}},
		{splitEN, "Deir Hanna / Qerdaha", []string{"Deir Hanna", "Qerdaha"}},
		{splitEN, "Deir-ez-Zor", []string{"Deir-ez-Zor"}},
		{splitHood, "Al Hurriya_ Ish Al Werwer", []string{"Al Hurriya", "Ish Al Werwer"}},
		{splitHood, "Al_Sad", []string{"Al Sad"}},
		{splitHood, "Southern(Al-rradar)", []string{"Southern", "Al-rradar"}},
	} {
		if got := tt.fn(tt.cell); !slices.Equal(got, tt.want) {
			t.Errorf("split(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
	for in, want := range map[string]string{
		"Hasaka Governorate": "Hasaka", "ناحية العريشة": "العريشة", "Nahiyat al Hajib": "al Hajib",
		"Al-Hasakah District": "Al-Hasakah", "Raqqa": "Raqqa",
	} {
		if got := stripDesignator(in); got != want {
			t.Errorf("stripDesignator(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"nahyt mrkz alhskt": false, "مركزها السقيلبية": false, "al Hasakah": true, "الحسكة": true, "": false} {
		if got := usableAlias(in); got != want {
			t.Errorf("usableAlias(%q) = %v", in, got)
		}
	}
}
