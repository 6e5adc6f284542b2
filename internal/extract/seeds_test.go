package extract_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// seed reads a real report from ../shared/data/seeds (read at test time,
// never copied here): skipped without it on a developer machine, a
// failure in CI.
func seed(t *testing.T, prefix string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "data", "seeds", prefix+"_*.txt"))
	if len(m) != 1 {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs ../shared/data/seeds/%s_*.txt beside the repository", prefix)
		}
		t.Skipf("no seed %s", prefix)
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// has reports whether the result holds a fact for which ok is true.
func has(r *extract.Result, ok func(f extract.Fact) bool) bool {
	for _, f := range r.Facts {
		if ok(f) {
			return true
		}
	}
	return false
}

// TestSeed004: the facts the issue names in the real report on the
// battle for Raqqa. Relative dates resolve against a publication date
// chosen for the test (the file carries none).
func TestSeed004(t *testing.T) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	text := seed(t, "004")
	pub := time.Date(2017, 6, 27, 0, 0, 0, 0, time.UTC)
	r := extract.New(vs).Extract(text, pub)

	kind := func(v string) func(extract.Fact) bool {
		return func(f extract.Fact) bool { return f.Type == extract.TypeIncidentKind && f.Value == v }
	}
	place := func(ids ...string) func(extract.Fact) bool {
		return func(f extract.Fact) bool {
			if f.Type != extract.TypePlace || f.Place == nil {
				return false
			}
			for _, id := range ids {
				if f.Place.ID == id {
					return true
				}
			}
			return false
		}
	}
	checks := []struct {
		what string
		ok   func(extract.Fact) bool
	}{
		{"air strikes", kind("air_strike")},
		{"artillery shelling", kind("shelling")},
		{"forced displacement", kind("forced_displacement")},
		{"flooding of homes", kind("property_destruction")},
		{"more than 70 civilians killed", func(f extract.Fact) bool {
			return f.Type == extract.TypeCasualties && f.Outcome == "killed" && f.Category == "civilians" &&
				f.Count.Min == 71 && f.Count.Max == -1 && f.Count.Qualifier == "more_than"
		}},
		{"over the two previous days", func(f extract.Fact) bool {
			return f.Type == extract.TypeDate && f.Date.Start == "2017-06-26" && f.Date.End == "2017-06-27"
		}},
		{"the shelling attributed to the YPG", func(f extract.Fact) bool {
			return f.Type == extract.TypeActor && f.Value == "ypg" && f.Role == "perpetrator"
		}},
		{"convoys struck on the 25th of the month", func(f extract.Fact) bool {
			return f.Type == extract.TypeDate && f.Date.Start == "2017-06-25" && f.Date.End == "2017-06-25"
		}},
		{"Raqqa", place("C5710")},
		{"al-Mishlab", place("TN0001")},
		{"al-Rumaila", place("TN0002")},
		{"Raqqa al-Samra", place("TN0003", "C5699")},
		{"al-Dir'iya", place("N0465")},
		{"the Interfax report", func(f extract.Fact) bool {
			return f.Type == extract.TypeClaim && f.Claim.Kind == "report_by_outlet" && f.Claim.By == "interfax"
		}},
		{"the SDF denial", func(f extract.Fact) bool {
			return f.Type == extract.TypeClaim && f.Claim.Kind == "denial" && f.Claim.By == "sdf"
		}},
	}
	for _, c := range checks {
		if !has(r, c.ok) {
			t.Errorf("004: no fact for %s", c.what)
		}
	}
	// Every span is a real piece of the original text.
	for _, f := range r.Facts {
		if f.Span[0] < 0 || f.Span[1] > len(text) || f.Span[0] >= f.Span[1] || text[f.Span[0]:f.Span[1]] != f.Text {
			t.Errorf("fact %+v: span does not give its text", f)
		}
	}
	if len(r.Incidents) == 0 {
		t.Error("004: no incidents grouped")
	}
}

// TestSeedsRun: the other two real reports give facts with valid spans.
func TestSeedsRun(t *testing.T) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	x := extract.New(vs)
	for _, p := range []string{"000", "002"} {
		text := seed(t, p)
		r := x.Extract(text, time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC))
		kinds := 0
		for _, f := range r.Facts {
			if text[f.Span[0]:f.Span[1]] != f.Text {
				t.Errorf("%s: span of %+v", p, f)
			}
			if f.Type == extract.TypeIncidentKind {
				kinds++
			}
		}
		if kinds == 0 {
			t.Errorf("%s: no incident kind in a report of violations", p)
		}
	}
}
