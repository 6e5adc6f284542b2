package extract_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"encoding/json"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// goldReport is one line of testdata/gold.jsonl: a short report written by
// the project as sample data, and the facts a careful analyst takes from
// it.
type goldReport struct {
	ID        string     `json:"id"`
	Language  string     `json:"language"`
	Published string     `json:"published"`
	Text      string     `json:"text"`
	Facts     []goldFact `json:"facts"`
}

type goldFact struct {
	Type      string `json:"type"`
	Value     string `json:"value"`
	Role      string `json:"role"`
	Outcome   string `json:"outcome"`
	Category  string `json:"category"`
	Min       int    `json:"min"`
	Max       int    `json:"max"`
	Qualifier string `json:"qualifier"`
	ID        string `json:"id"`
	Start     string `json:"start"`
	End       string `json:"end"`
	Kind      string `json:"kind"`
	By        string `json:"by"`
}

func loadGold(t testing.TB) []goldReport { return loadSet(t, "gold.jsonl") }

// loadSet reads one of the sets in testdata.
func loadSet(t testing.TB, name string) []goldReport {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldReport
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g goldReport
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatalf("gold line %d: %v", len(out)+1, err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// vague qualifiers are compared by qualifier, not by their conventional
// bounds.
func vague(q string) bool { return strings.HasPrefix(q, "vague_") || q == "unknown_nonzero" }

// key is what makes two facts the same fact for scoring. Dates are keyed
// by their range and compared within a day (conventions for "the past two
// days" differ by one).
func goldKey(f goldFact) string {
	switch f.Type {
	case extract.TypeIncidentKind:
		return f.Value
	case extract.TypeCasualties:
		if vague(f.Qualifier) {
			return fmt.Sprintf("%s/%s/%s", f.Outcome, f.Category, f.Qualifier)
		}
		return fmt.Sprintf("%s/%s/%d/%d", f.Outcome, f.Category, f.Min, f.Max)
	case extract.TypeActor:
		return f.Value + "/" + f.Role
	case extract.TypePlace:
		return f.ID
	case extract.TypeDate:
		return f.Start + "/" + f.End
	case extract.TypeClaim:
		return f.Kind + "/" + f.By
	}
	return ""
}

func factKey(f extract.Fact) string {
	g := goldFact{Type: f.Type, Value: f.Value, Role: f.Role, Outcome: f.Outcome, Category: f.Category}
	switch {
	case f.Count != nil:
		g.Min, g.Max, g.Qualifier = f.Count.Min, f.Count.Max, f.Count.Qualifier
	case f.Place != nil:
		if f.Place.Ambiguous {
			return "" // an ambiguous place is no answer
		}
		g.ID = f.Place.ID
	case f.Date != nil:
		g.Start, g.End = f.Date.Start, f.Date.End
	case f.Claim != nil:
		g.Kind, g.By = f.Claim.Kind, f.Claim.By
	}
	return goldKey(g)
}

// sameDate: two "start/end" keys within a day of each other at both ends.
func sameDate(a, b string) bool {
	as, ae, _ := strings.Cut(a, "/")
	bs, be, _ := strings.Cut(b, "/")
	near := func(x, y string) bool {
		tx, err1 := time.Parse(time.DateOnly, x)
		ty, err2 := time.Parse(time.DateOnly, y)
		if err1 != nil || err2 != nil {
			return false
		}
		d := tx.Sub(ty)
		return d >= -24*time.Hour && d <= 24*time.Hour
	}
	return near(as, bs) && near(ae, be)
}

type score struct{ tp, fp, fn int }

func (s score) prf() (p, r, f float64) {
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

// evaluate scores the extractor on the gold set, per fact type.
func evaluate(t testing.TB, x *extract.Extractor, gold []goldReport, misses map[string][]string) map[string]*score {
	scores := map[string]*score{}
	for _, typ := range []string{extract.TypeIncidentKind, extract.TypeCasualties, extract.TypeActor, extract.TypePlace, extract.TypeDate, extract.TypeClaim} {
		scores[typ] = &score{}
	}
	for _, g := range gold {
		pub, err := time.Parse(time.DateOnly, g.Published)
		if err != nil {
			t.Fatalf("%s: published %q", g.ID, g.Published)
		}
		res := x.Extract(g.Text, pub)
		got := map[string]map[string]bool{}
		for _, f := range res.Facts {
			if k := factKey(f); k != "" {
				if got[f.Type] == nil {
					got[f.Type] = map[string]bool{}
				}
				got[f.Type][k] = true
			}
		}
		want := map[string]map[string]bool{}
		for _, f := range g.Facts {
			if want[f.Type] == nil {
				want[f.Type] = map[string]bool{}
			}
			want[f.Type][goldKey(f)] = true
		}
		for typ, s := range scores {
			for k := range want[typ] {
				found := got[typ][k]
				if !found && typ == extract.TypeDate {
					for gk := range got[typ] {
						if sameDate(k, gk) {
							found = true
							delete(got[typ], gk)
							break
						}
					}
				} else if found {
					delete(got[typ], k)
				}
				if found {
					s.tp++
				} else {
					s.fn++
					if misses != nil {
						misses[typ] = append(misses[typ], g.ID+" missed "+k)
					}
				}
			}
			for k := range got[typ] {
				s.fp++
				if misses != nil {
					misses[typ] = append(misses[typ], g.ID+" extra "+k)
				}
			}
		}
	}
	return scores
}

// TestGoldSet scores the extractor on the project's gold set and prints
// precision, recall and F1 per fact type.
func TestGoldSet(t *testing.T) {
	scoreSet(t, "gold.jsonl", "the gold set", floor, 60, 40)
}

// TestGoldSet2 scores the extractor on the second development set
// (testdata/gold2.jsonl), written blind as a held-out set and measured
// once before any rule was changed for it (see the README); since then its
// errors are studied like the first set's.
func TestGoldSet2(t *testing.T) {
	scoreSet(t, "gold2.jsonl", "the second gold set", floor2, 30, 20)
}

// TestGoldSet3 scores the extractor on the third development set
// (testdata/gold3.jsonl), written blind as the held-out set and measured
// twice before its errors were studied (see floor3).
func TestGoldSet3(t *testing.T) {
	scoreSet(t, "gold3.jsonl", "the third gold set", floor3, 30, 20)
}

// TestGoldSet4 scores the extractor on the fourth development set
// (testdata/gold4.jsonl), written blind as the held-out set and measured
// once before its errors were studied (see floor4).
func TestGoldSet4(t *testing.T) {
	scoreSet(t, "gold4.jsonl", "the fourth gold set", floor4, 30, 20)
}

// TestGoldSet5 scores the extractor on the fifth development set
// (testdata/gold5.jsonl), written blind as the held-out set and measured
// once before its errors were studied (see floor5).
func TestGoldSet5(t *testing.T) {
	scoreSet(t, "gold5.jsonl", "the fifth gold set", floor5, 30, 20)
}

// TestHeldOutSet scores the extractor on reports written blind, after the
// rules, and never used to tune them (testdata/heldout.jsonl): its figures
// are the honest estimate of how the rules do on reports they have not
// seen.
func TestHeldOutSet(t *testing.T) {
	scoreSet(t, "heldout.jsonl", "the held-out set", heldOutFloor, 30, 20)
}

func scoreSet(t *testing.T, file, name string, floors map[string]float64, minAR, minEN int) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	gold := loadSet(t, file)
	ar, en := 0, 0
	for _, g := range gold {
		switch g.Language {
		case "ar":
			ar++
		case "en":
			en++
		}
	}
	if ar < minAR || en < minEN {
		t.Fatalf("%s has %d Arabic and %d English reports; want at least %d and %d", name, ar, en, minAR, minEN)
	}
	misses := map[string][]string{}
	scores := evaluate(t, extract.New(vs), gold, misses)
	var types []string
	for typ := range scores {
		types = append(types, typ)
	}
	sort.Strings(types)
	fmt.Printf("extraction on %s (%d Arabic, %d English reports):\n", name, ar, en)
	for _, typ := range types {
		p, r, f := scores[typ].prf()
		fmt.Printf("  %-14s P %.3f  R %.3f  F1 %.3f  (tp %d, fp %d, fn %d)\n", typ, p, r, f, scores[typ].tp, scores[typ].fp, scores[typ].fn)
		if f < floors[typ] {
			t.Errorf("%s: F1 %.3f fell below %.2f", typ, f, floors[typ])
		}
	}
	if testing.Verbose() {
		for _, typ := range types {
			for _, m := range misses[typ] {
				t.Logf("%s: %s", typ, m)
			}
		}
	}
}

// floor is the F1 each type must keep: what the rules reach now, less a
// margin, so a change that makes extraction worse fails. The target is
// 0.85 on every type.
var floor = map[string]float64{
	extract.TypeIncidentKind: 0.90,
	extract.TypeCasualties:   0.87,
	extract.TypeActor:        0.93,
	extract.TypePlace:        0.86,
	extract.TypeDate:         0.91,
	extract.TypeClaim:        0.97,
}

// floor2 is the F1 each type must keep on the second gold set.
var floor2 = map[string]float64{
	extract.TypeIncidentKind: 0.85,
	extract.TypeCasualties:   0.91,
	extract.TypeActor:        0.90,
	extract.TypePlace:        0.87,
	extract.TypeDate:         0.91,
	extract.TypeClaim:        0.94,
}

// floor3 is the F1 each type must keep on the third gold set. Measured
// blind twice on 2026-12-02: before the actor and claim rules were
// reworked (actor 0.520, casualties 0.707, claim 0.797, date 0.832,
// incident_kind 0.765, place 0.808), and after the work on the first two
// sets (actor 0.708, casualties 0.735, claim 0.874, date 0.880,
// incident_kind 0.809, place 0.816).
var floor3 = map[string]float64{
	extract.TypeIncidentKind: 0.83,
	extract.TypeCasualties:   0.83,
	extract.TypeActor:        0.89,
	extract.TypePlace:        0.83,
	extract.TypeDate:         0.89,
	extract.TypeClaim:        0.95,
}

// floor4 is the F1 each type must keep on the fourth gold set. Measured
// blind on 2026-12-02, when the rules stood at F1 ≥ 0.85 on every type
// of the first three sets: actor 0.753, casualties 0.817, claim 0.899,
// date 0.941, incident_kind 0.819, place 0.874.
var floor4 = map[string]float64{
	extract.TypeIncidentKind: 0.85,
	extract.TypeCasualties:   0.85,
	extract.TypeActor:        0.93,
	extract.TypePlace:        0.86,
	extract.TypeDate:         0.91,
	extract.TypeClaim:        0.95,
}

// floor5 is the F1 each type must keep on the fifth gold set. Measured
// blind on 2026-12-02, when the rules stood at F1 ≥ 0.85 on every type of
// the first four sets: actor 0.838, casualties 0.803, claim 0.941, date
// 0.904, incident_kind 0.870, place 0.825.
var floor5 = map[string]float64{
	extract.TypeIncidentKind: 0.88,
	extract.TypeCasualties:   0.81,
	extract.TypeActor:        0.89,
	extract.TypePlace:        0.81,
	extract.TypeDate:         0.88,
	extract.TypeClaim:        0.95,
}

// heldOutFloor is the F1 each type must keep on the held-out set, set
// from its first measurement less a margin. Tuning rules on that set
// would make its figures meaningless: study the gold sets' errors instead.
//
// First measured on 2026-12-02, when the rules stood at F1 ≥ 0.85 on every
// type of the first four gold sets: actor 0.870, casualties 0.800, claim
// 0.974, date 0.884, incident_kind 0.905, place 0.875.
var heldOutFloor = map[string]float64{
	extract.TypeIncidentKind: 0.86,
	extract.TypeCasualties:   0.76,
	extract.TypeActor:        0.83,
	extract.TypePlace:        0.83,
	extract.TypeDate:         0.84,
	extract.TypeClaim:        0.93,
}
