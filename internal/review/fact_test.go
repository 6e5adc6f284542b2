package review

import (
	"errors"
	"slices"
	"testing"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/record"
)

func TestKeys(t *testing.T) {
	facts := []extract.Fact{
		{Type: extract.TypeCasualties, Span: [2]int{120, 164}},
		{Type: extract.TypeActor, Span: [2]int{200, 230}, Role: "perpetrator"},
		{Type: extract.TypeActor, Span: [2]int{200, 230}, Role: "source"},
		{Type: extract.TypeClaim, Span: [2]int{200, 230}},
		{Type: extract.TypeIncidentKind, Span: [2]int{300, 310}, Value: "air_strike"},
		{Type: extract.TypeIncidentKind, Span: [2]int{300, 310}, Value: "attack_on_protected_object"},
	}
	want := []string{"casualties:120-164", "actor:200-230:perpetrator", "actor:200-230:source", "claim:200-230",
		"incident_kind:300-310", "incident_kind:300-310#2"}
	if got := keys(facts); !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
}

func TestRecordCount(t *testing.T) {
	for _, tc := range []struct {
		in   extract.Count
		want string
	}{
		{extract.Count{Min: 12, Best: 12, Max: 12, Qualifier: "exact"}, "12 (exact)"},
		{extract.Count{Min: 71, Best: 71, Max: -1, Qualifier: "more_than"}, "71 (more_than)"},
		{extract.Count{Min: 12, Best: 12, Max: 99, Qualifier: "vague_dozens"}, "12–99 (vague_dozens)"},
		{extract.Count{Min: 1, Best: 1, Max: -1, Qualifier: "unknown_nonzero"}, "1+ (unknown_nonzero)"},
		{extract.Count{Qualifier: "none_reported"}, "? (none_reported)"},
		// An edit that leaves best and max blank.
		{extract.Count{Min: 25, Qualifier: "at_least"}, "25+ (at_least)"},
	} {
		if got := recordCount(tc.in).String(); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestAmbiguousPlaceMustBeEdited(t *testing.T) {
	vs, err := loadVocab()
	if err != nil {
		t.Fatal(err)
	}
	amb := extract.Fact{Type: extract.TypePlace, Span: [2]int{5, 15}, Text: "الحميدية",
		Place: &extract.Place{Ambiguous: true, Candidates: []string{"C1", "C2"}}}
	var ve *record.ValidationError
	if err := checkFact(vs, amb); !errors.As(err, &ve) || ve.Errors[0].Field != "fact.place.id" || ve.Errors[0].Code != "ambiguous" {
		t.Errorf("accepting an ambiguous place: %v", err)
	}
	chosen := edit(amb, extract.Fact{Place: &extract.Place{ID: "C5787"}})
	if err := checkFact(vs, chosen); err != nil || chosen.Place.Ambiguous || chosen.Place.Candidates != nil || chosen.Place.NameAR != "معدان" {
		t.Errorf("choosing a candidate: %+v, %v", chosen.Place, err)
	}
	named := edit(amb, extract.Fact{Place: &extract.Place{NameAR: "مزرعة الحمد"}})
	if err := checkFact(vs, named); err != nil {
		t.Errorf("a place by name only: %v", err)
	}
}
