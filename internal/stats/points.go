package stats

import (
	"context"
	"sort"

	"github.com/tawthiq/tawthiq/internal/places"
)

// Point is an incident on the map.
type Point struct {
	ID      string   `json:"id"`
	TitleAR string   `json:"title_ar,omitempty"`
	TitleEN string   `json:"title_en,omitempty"`
	Kinds   []string `json:"kinds"`
	// Start and End are the first and last day the incident's date can
	// mean (YYYY-MM-DD), or "" when it is unknown.
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
	// Lat and Lon are the incident's own point if it has one, else its
	// gazetteer place's; Precision is what the point stands for (the
	// record's precision for its own point, the gazetteer's for a place's
	// point, e.g. governorate_adm1 when only the governorate is known).
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	PlaceID   string  `json:"place_id,omitempty"`
	Precision string  `json:"precision"`
	// Perpetrators are the codes of the parties the incident is attributed
	// to (see KilledByPartyMonth), sorted; empty for Unknown.
	Perpetrators []string `json:"perpetrators"`
	// Killed is the incident's killed figure, nil when it has none.
	Killed *Range `json:"killed"`
}

// MapPoints returns the incidents f selects that can be put on a map, by
// date (latest first) then id. The point is the first place of the
// incident's where list that has one: its own lat/lon, or else the point of
// its gazetteer id. One point per incident, so a map's counts are counts
// of incidents; incidents with no such place are left out.
func (s *Stats) MapPoints(ctx context.Context, f Filter) ([]Point, error) {
	q, err := s.query(ctx, f)
	if err != nil {
		return nil, err
	}
	q.fields, q.links = fTitles|fDates|fKinds|fWhere|fKilled, true
	incs, err := s.load(ctx, q)
	if err != nil {
		return nil, err
	}
	parties, err := s.parties(ctx)
	if err != nil {
		return nil, err
	}
	var out []Point
	for _, x := range incs {
		p := Point{ID: x.id, TitleAR: x.titleAR, TitleEN: x.titleEN, Kinds: x.kinds, Start: x.start, End: x.end,
			Perpetrators: make([]string, 0, len(x.perps))}
		if !locate(&p, x.where) {
			continue
		}
		for _, a := range x.perps {
			p.Perpetrators = append(p.Perpetrators, parties.of(a).Code)
		}
		sort.Strings(p.Perpetrators)
		if x.hasKilled {
			k := killedOf(x.killed)
			p.Killed = &k
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start > out[j].Start
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// locate sets p's point from the first place in where that has one.
func locate(p *Point, where []placeData) bool {
	for _, w := range where {
		if w.lat.ok && w.lon.ok {
			p.Lat, p.Lon, p.PlaceID, p.Precision = w.lat.v, w.lon.v, w.gazetteerID, w.precision
			return true
		}
		if g, ok := places.Get(w.gazetteerID); ok {
			p.Lat, p.Lon, p.PlaceID, p.Precision = g.Lat, g.Lon, g.ID, g.Precision
			return true
		}
	}
	return false
}
