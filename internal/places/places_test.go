package places

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/places/build"
)

func TestAncestors(t *testing.T) {
	for id, want := range map[string][]string{
		"SY020206": {"SY0202", "SY02"},
		"SY0202":   {"SY02"},
		"SY02":     nil,
		"N0466":    {"C5710", "SY110100", "SY1101", "SY11"}, // Hettin, Ar-Raqqa city
		"C1001":    {"SY010000", "SY0100", "SY01"},
		"TN0001":   {"C5710", "SY110100", "SY1101", "SY11"}, // al-Mishlab, added by hand
		"C5390":    {"SY100601", "SY1006", "SY10"},          // Anaza: Banyas in its row, Qadmous since 2020
		"":         nil,
		"X":        nil,
		"SY0a":     nil,
		"C9999":    nil,
	} {
		if got := Ancestors(id); !slices.Equal(got, want) {
			t.Errorf("Ancestors(%q) = %v, want %v", id, got, want)
		}
	}
}

// The embedded table is what the generator makes of the shared gazetteer.
func TestTableIsGenerated(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "gazetteer")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs ../shared beside the repository: %v", err)
		}
		t.Skipf("no shared gazetteer at %s", dir)
	}
	table, stats, err := build.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(stats)
	if string(table) != gazetteerTSV {
		t.Fatal("data/gazetteer.tsv is stale: run go run ./internal/places/gen")
	}
}

// Every place is well formed: an id of its level's form, a parent one level
// up (a neighbourhood's is a community), a point in Syria and a precision of
// the vocabulary.
func TestPlaces(t *testing.T) {
	g := get()
	idForm := map[Level]*regexp.Regexp{
		Governorate:   regexp.MustCompile(`^SY\d\d$`),
		District:      regexp.MustCompile(`^SY\d{4}$`),
		Subdistrict:   regexp.MustCompile(`^SY\d{6}$`),
		Community:     regexp.MustCompile(`^C\d{4}$`),
		Neighbourhood: regexp.MustCompile(`^(N|TN)\d{4}$`),
	}
	precisions := []string{"governorate_adm1", "district_adm2", "subdistrict", "village_town_city", "neighbourhood"}
	count := map[Level]int{}
	for _, p := range g.places {
		count[p.Level]++
		if !idForm[p.Level].MatchString(p.ID) {
			t.Errorf("%s: not an id of a %s", p.ID, p.Level)
		}
		if got, ok := Get(p.ID); !ok || got != p {
			t.Errorf("Get(%s) = %v, %v", p.ID, got, ok)
		}
		parent, ok := Get(p.Parent)
		switch {
		case p.Level == Governorate:
			ok = p.Parent == ""
		case p.Level == Neighbourhood:
			ok = ok && parent.Level == Community
		default:
			ok = ok && parent.Level.rank() == p.Level.rank()-1
		}
		if !ok {
			t.Errorf("%s (%s): parent %q", p.ID, p.Level, p.Parent)
		}
		if p.Lat < 32 || p.Lat > 37.5 || p.Lon < 35.5 || p.Lon > 42.5 {
			t.Errorf("%s: point %v,%v is not in Syria", p.ID, p.Lat, p.Lon)
		}
		if !slices.Contains(precisions, p.Precision) {
			t.Errorf("%s: precision %q", p.ID, p.Precision)
		}
		if p.NameAR == "" || p.NameEN == "" {
			t.Errorf("%s: names %q %q", p.ID, p.NameAR, p.NameEN)
		}
	}
	want := map[Level]int{Governorate: 14, District: 62, Subdistrict: 272, Community: 5622, Neighbourhood: 414 + 3}
	for l, n := range want {
		if count[l] != n {
			t.Errorf("%d places of level %s, want %d", count[l], l, n)
		}
	}
	t.Logf("%d places, %d aliases, %d names indexed for Find", len(g.places), g.aliases, g.entries())
	if _, ok := Get("nope"); ok {
		t.Error("Get(nope) found a place")
	}
}

// The hand-added Raqqa neighbourhoods lie in the city, with its point at
// its precision; Raqqa al-Samra has the point of the OCHA village it is
// (C5699).
func TestAdded(t *testing.T) {
	city, _ := Get("C5710")
	samra, _ := Get("C5699")
	for id, name := range map[string]string{"TN0001": "المشلب", "TN0002": "الرميلة", "TN0003": "الرقة السمرا"} {
		p, ok := Get(id)
		at := city
		if id == "TN0003" {
			at = samra
		}
		if !ok || p.NameAR != name || p.Parent != city.ID || p.Level != Neighbourhood ||
			p.Lat != at.Lat || p.Lon != at.Lon || p.Precision != "village_town_city" {
			t.Errorf("Get(%s) = %+v, %v", id, p, ok)
		}
	}
	// al-Dir'iya is in the OCHA table, so it was not added.
	if got := ids(Lookup("الدرعية")); !slices.Equal(got, []string{"N0465"}) {
		t.Errorf("Lookup(الدرعية) = %v", got)
	}
}

// Every name of every place finds it.
func TestLookupOwnNames(t *testing.T) {
	for _, p := range get().places {
		for _, name := range []string{p.NameAR, p.NameEN} {
			if !slices.ContainsFunc(Lookup(name), func(q Place) bool { return q.ID == p.ID }) {
				t.Errorf("Lookup(%q) misses %s", name, p.ID)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	raqqa := []string{"SY11", "SY1101", "C5710"}
	raqqaEN := []string{"SY11", "SY1101", "SY110100", "C5710"}
	deir := []string{"SY09", "SY0901", "C5086"}
	deirEN := []string{"SY09", "SY0901", "SY090100", "C5086"}
	for _, tt := range []struct {
		name string
		want []string
	}{
		{"الرقة", raqqa}, {"رقة", raqqa}, {"الرقه", raqqa}, {"الرَّقَّة", raqqa}, {"مدينة الرقة", raqqa},
		{"Raqqa", raqqaEN}, {"Ar-Raqqa", raqqaEN}, {"ar-Raqqa", raqqaEN}, {"al-Raqqah", raqqaEN}, {"Al Raqqa", raqqaEN},
		{"RAQQA", raqqaEN}, {"Raqqah", raqqaEN}, {"Rakka", raqqa},
		{"حلب", []string{"SY02", "SY0200", "C1007"}}, {"Aleppo", []string{"SY02", "C1007"}},
		{"دير الزور", deir}, {"ديرالزور", deir}, {"محافظة دير الزور", deir},
		{"Deir ez-Zor", deirEN}, {"Deir-ez-Zor", deirEN}, {"Deir Ezzor", deir},
		{"المشلب", []string{"TN0001"}}, {"al-Mishlab", []string{"TN0001"}}, {"Mishlab", []string{"TN0001"}},
		{"حي المشلب", []string{"TN0001"}}, {"الرقة السمرا", []string{"TN0003"}},
		{"الرميلة", []string{"C2022", "TN0002"}}, // and رميلة, a village near Manbij
		{"إدلب", []string{"SY07", "SY0700", "C3871"}}, {"ادلب", []string{"SY07", "SY0700", "C3871"}},
		{"Idlib", []string{"SY07", "SY0700", "SY070000", "C3871"}}, {"Idleb", []string{"SY07", "SY0700", "SY070000", "C3871"}},
		{"حماة", []string{"SY05", "SY0501", "C2987"}}, {"حماه", []string{"SY05", "SY0501", "C2987"}},
		{"Palmyra", []string{"C2889"}}, {"Kobani", []string{"SY0206", "SY020600", "C1946"}},
		{"الطبقة", []string{"SY1103", "C4822", "C5929"}},
		{"Ḩimş", []string{"SY04", "SY040100", "C2528"}}, // OpenSyria's transliteration, shared with the city
		{"", nil}, {"Narnia", nil},
	} {
		if got := ids(Lookup(tt.name)); !slices.Equal(got, tt.want) {
			t.Errorf("Lookup(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func ids(ps []Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// The hand-written tables load, and every name in common.tsv is a name of
// the gazetteer (load checks it; this reports how many of each class).
func TestCommon(t *testing.T) {
	classes := map[string]int{}
	err := eachLine(commonTSV, func(f []string) error {
		classes[f[1]]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("common.tsv: %v", classes)
	if _, err := load(gazetteerTSV, addedTSV, aliasesTSV, "الملك\tsometimes\n"); err == nil ||
		!strings.Contains(err.Error(), "unknown class") {
		t.Errorf("a bad class loads: %v", err)
	}
	if _, err := load(gazetteerTSV, addedTSV, "C0000\tNowhere\n", commonTSV); err == nil {
		t.Error("an alias for an unknown id loads")
	}
	if _, err := load(gazetteerTSV, "TN0001\tneighbourhood\tC9999\t1\t2\tx\ty\tz\t\t\n", aliasesTSV, commonTSV); err == nil {
		t.Error("a place with an unknown parent loads")
	}
}
