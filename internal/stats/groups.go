package stats

import (
	"context"
	"slices"
	"sort"

	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Group is how many incidents fall under one key: an incident kind, a
// governorate's P-code or a party's code, with its names.
type Group struct {
	Key       string `json:"key"`
	NameAR    string `json:"name_ar"`
	NameEN    string `json:"name_en"`
	Incidents int    `json:"incidents"`
}

// UnknownKey is the key of incidents a grouping cannot place.
const UnknownKey = "unknown"

// IncidentsByKind counts the incidents f selects by incident kind, most
// first; an incident of two kinds counts under both.
func (s *Stats) IncidentsByKind(ctx context.Context, f Filter) ([]Group, error) {
	q, err := s.query(ctx, f)
	if err != nil {
		return nil, err
	}
	q.fields = fKinds
	incs, err := s.load(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.byKind(incs), nil
}

func (s *Stats) byKind(incs []*incident) []Group {
	counts := map[string]int{}
	for _, x := range incs {
		for _, k := range x.kinds {
			counts[k]++
		}
	}
	kinds, _ := s.vocab.List(vocab.IncidentKind)
	out := make([]Group, 0, len(counts))
	for k, n := range counts {
		g := Group{Key: k, Incidents: n}
		if t, ok := kinds.Term(k); ok {
			g.NameAR, g.NameEN = t.Labels.AR, t.Labels.EN
		}
		out = append(out, g)
	}
	sortGroups(out)
	return out
}

// IncidentsByGovernorate counts the incidents f selects by the governorate
// of their places, most first. An incident at places in two governorates
// counts under both, at two places of one governorate once; an incident
// with no gazetteer place, or only places the gazetteer cannot put in a
// governorate, is under UnknownKey.
func (s *Stats) IncidentsByGovernorate(ctx context.Context, f Filter) ([]Group, error) {
	q, err := s.query(ctx, f)
	if err != nil {
		return nil, err
	}
	q.fields = fWhere
	incs, err := s.load(ctx, q)
	if err != nil {
		return nil, err
	}
	govOf := map[string]string{} // place id → governorate, memoised
	counts := map[string]int{}
	for _, x := range incs {
		var govs []string
		for _, p := range x.where {
			g, ok := govOf[p.gazetteerID]
			if !ok {
				g = governorate(p.gazetteerID)
				govOf[p.gazetteerID] = g
			}
			if g != "" && !slices.Contains(govs, g) {
				govs = append(govs, g)
			}
		}
		if len(govs) == 0 {
			govs = []string{UnknownKey}
		}
		for _, g := range govs {
			counts[g]++
		}
	}
	out := make([]Group, 0, len(counts))
	for k, n := range counts {
		g := Group{Key: k, NameAR: "غير معروف", NameEN: "Unknown", Incidents: n}
		if p, ok := places.Get(k); ok {
			g.NameAR, g.NameEN = p.NameAR, p.NameEN
		}
		out = append(out, g)
	}
	sortGroups(out)
	return out, nil
}

// sortGroups orders by count, most first, then key.
func sortGroups(gs []Group) {
	sort.Slice(gs, func(i, j int) bool {
		if gs[i].Incidents != gs[j].Incidents {
			return gs[i].Incidents > gs[j].Incidents
		}
		return gs[i].Key < gs[j].Key
	})
}
