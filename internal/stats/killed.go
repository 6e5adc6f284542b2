package stats

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/tawthiq/tawthiq/internal/record"
)

// Range is a count as a range, Min to Max. MaxOpen means there is no upper
// bound (a record said "at least" or "more than" and gave no maximum); Max
// is then 0 and meaningless, and JSON gives "max": null.
type Range struct {
	Min     int  `json:"min"`
	Max     int  `json:"max"`
	MaxOpen bool `json:"-"`
}

// Add returns the sum of two ranges: open if either is.
func (r Range) Add(o Range) Range {
	s := Range{Min: r.Min + o.Min, Max: r.Max + o.Max, MaxOpen: r.MaxOpen || o.MaxOpen}
	if s.MaxOpen {
		s.Max = 0
	}
	return s
}

// String is "71+", "12–15" or "3".
func (r Range) String() string {
	switch {
	case r.MaxOpen:
		return strconv.Itoa(r.Min) + "+"
	case r.Min == r.Max:
		return strconv.Itoa(r.Min)
	}
	return strconv.Itoa(r.Min) + "–" + strconv.Itoa(r.Max)
}

// MarshalJSON gives {"min":71,"max":null} for an open range.
func (r Range) MarshalJSON() ([]byte, error) {
	if r.MaxOpen {
		return fmt.Appendf(nil, `{"min":%d,"max":null}`, r.Min), nil
	}
	return fmt.Appendf(nil, `{"min":%d,"max":%d}`, r.Min, r.Max), nil
}

// Party is who an incident is attributed to: an actor, or Unknown.
type Party struct {
	ID     string `json:"id,omitempty"` // the actor's record id; "" for Unknown
	Code   string `json:"code"`         // the actor's code, else its id
	NameAR string `json:"name_ar"`
	NameEN string `json:"name_en"`
}

// Unknown is the party of an incident with no live perpetrator
// involvement. It is not the actor "unidentified", which an analyst
// records on purpose.
var Unknown = Party{Code: "unknown", NameAR: "غير معروف", NameEN: "Unknown"}

// perpetratorDegrees are the involvement degrees that attribute an incident
// to an actor: everything but passive_accomplice. "unknown" counts: the
// actor was involved, only how is not known — leaving it out would move its
// incidents to the Unknown party, which says less than the record does.
var perpetratorDegrees = []string{"directly_carried_out", "ordered", "planned", "present",
	"suspected", "command_responsibility", "unknown"}

// PartyMonth is one party's incidents in one month and the people killed
// in them.
type PartyMonth struct {
	// Month is YYYY-MM of the incident's start date, or "unknown".
	Month string `json:"month"`
	Party Party  `json:"party"`
	// Incidents is how many incidents; WithFigures how many of them carry
	// a killed count at all (the others add nothing to Killed: a count
	// nobody gave is not 0, but there is nothing to add).
	Incidents   int   `json:"incidents"`
	WithFigures int   `json:"with_figures"`
	Killed      Range `json:"killed"`
}

// KilledByPartyMonth returns, for the incidents f selects, the people
// killed by party and month, sorted by month then party code.
//
// An incident's killed figure is the sum of its killed casualty counts
// under the rule of killedOf; an incident is attributed to every party with
// a live involvement of a PerpetratorDegree at the incident or at one of
// its live acts, so an incident with two perpetrators counts under both and
// the parties' figures add up to more than the whole. Incidents with no
// such involvement are under Unknown. A retracted actor's live
// involvements still count: an attribution is withdrawn by retracting the
// involvement.
func (s *Stats) KilledByPartyMonth(ctx context.Context, f Filter) ([]PartyMonth, error) {
	q, err := s.query(ctx, f)
	if err != nil {
		return nil, err
	}
	q.fields, q.links = fKilled, true
	incs, err := s.load(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.partyMonths(ctx, incs)
}

// partyMonths sums the incidents by month and party.
func (s *Stats) partyMonths(ctx context.Context, incs []*incident) ([]PartyMonth, error) {
	parties, err := s.parties(ctx)
	if err != nil {
		return nil, err
	}
	type key struct{ month, actor string }
	rows := map[key]*PartyMonth{}
	add := func(k key, x *incident) {
		r := rows[k]
		if r == nil {
			p := Unknown
			if k.actor != "" {
				p = parties.of(k.actor)
			}
			r = &PartyMonth{Month: k.month, Party: p}
			rows[k] = r
		}
		r.Incidents++
		if x.hasKilled {
			r.WithFigures++
			r.Killed = r.Killed.Add(killedOf(x.killed))
		}
	}
	for _, x := range incs {
		if len(x.perps) == 0 {
			add(key{x.month, ""}, x)
		}
		for _, a := range x.perps {
			add(key{x.month, a}, x)
		}
	}
	out := make([]PartyMonth, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		if out[i].Party.Code != out[j].Party.Code {
			return out[i].Party.Code < out[j].Party.Code
		}
		return out[i].Party.ID < out[j].Party.ID
	})
	return out, nil
}

// killedCount is one casualty entry of outcome killed.
type killedCount struct {
	category, qualifier string
	min, best, max      opt[int]
}

// rangeOf is the range one count means, in the record's own terms (see
// record.Count and arabic.Number): the low end is min, else best, else 1
// — a count with a qualifier but no number still says someone was killed —
// and 0 only for none_reported. The high end is max, else best for exact
// and about, 0 for none_reported, and open otherwise (at_least, more_than,
// whose min already is n+1 for "more than n", unknown_nonzero and the
// vague qualifiers).
func (c killedCount) rangeOf() Range {
	var r Range
	switch {
	case c.qualifier == "none_reported":
		return Range{}
	case c.min.ok:
		r.Min = c.min.v
	case c.best.ok:
		r.Min = c.best.v
	default:
		r.Min = 1
	}
	switch {
	case c.max.ok:
		r.Max = c.max.v
	case c.best.ok && (c.qualifier == "exact" || c.qualifier == "about"):
		r.Max = c.best.v
	default:
		r.MaxOpen = true
	}
	if !r.MaxOpen && r.Max < r.Min {
		r.Max = r.Min // validation forbids it; never report an empty range
	}
	return r
}

// civilianParts are the casualty categories that are part of the
// civilians: a "civilians" count already includes them.
var civilianParts = map[string]bool{"children": true, "women": true, "men": true, "elderly": true,
	"medical_personnel": true, "journalists": true, "civil_defence": true, "humanitarian": true}

// killedOf sums an incident's killed counts without counting anyone twice:
//
//   - The disjoint groups are added: civilians, fighters, unknown (and any
//     category not listed in civilianParts).
//   - A civilians count is the civilian total and its parts (children,
//     women, men, elderly, medical_personnel, journalists, civil_defence,
//     humanitarian) are not added to it. With no civilians count the parts
//     stand for it; as they may overlap (a journalist is also a man) their
//     low end is the largest part's and their high end the sum of parts.
//   - Two counts of the same category are two figures for the same
//     people: the larger low end and the larger high end.
func killedOf(cs []killedCount) Range {
	// An incident has a handful of counts: a slice beats a map.
	type catRange struct {
		cat string
		r   Range
	}
	byCat := make([]catRange, 0, len(cs))
	hasTotal := false
	for _, c := range cs {
		r := c.rangeOf()
		hasTotal = hasTotal || c.category == "civilians"
		i := slices.IndexFunc(byCat, func(o catRange) bool { return o.cat == c.category })
		if i < 0 {
			byCat = append(byCat, catRange{c.category, r})
			continue
		}
		o := byCat[i].r
		byCat[i].r = Range{Min: max(o.Min, r.Min), Max: max(o.Max, r.Max), MaxOpen: o.MaxOpen || r.MaxOpen}
	}
	var total, parts Range
	anyPart := false
	for _, c := range byCat {
		if !civilianParts[c.cat] {
			total = total.Add(c.r)
			continue
		}
		anyPart = true
		parts.Min = max(parts.Min, c.r.Min)
		parts.Max += c.r.Max
		parts.MaxOpen = parts.MaxOpen || c.r.MaxOpen
	}
	if !hasTotal && anyPart {
		total = total.Add(parts)
	}
	if total.MaxOpen {
		total.Max = 0
	}
	return total
}

// partyIndex is every actor by record id.
type partyIndex map[string]Party

// of returns the party of actor id; an id with no actor record (which the
// service never writes) is named by its id.
func (p partyIndex) of(id string) Party {
	if x, ok := p[id]; ok {
		return x
	}
	return Party{ID: id, Code: id, NameAR: id, NameEN: id}
}

// parties reads every actor's code and names (a few hundred records:
// encoding/json is fast enough).
func (s *Stats) parties(ctx context.Context) (partyIndex, error) {
	rows, err := s.db.Query(ctx, `SELECT id, body FROM records WHERE type = 'actor'`)
	if err != nil {
		return nil, fmt.Errorf("stats: actors: %w", err)
	}
	defer rows.Close()
	out := partyIndex{}
	for rows.Next() {
		var p Party
		var body []byte
		if err := rows.Scan(&p.ID, &body); err != nil {
			return nil, fmt.Errorf("stats: actors: %w", err)
		}
		var a record.Actor
		if err := json.Unmarshal(body, &a); err != nil {
			return nil, fmt.Errorf("stats: actor %s: %w", p.ID, err)
		}
		p.Code, p.NameAR, p.NameEN = a.Code, a.NameAR, a.NameEN
		if p.Code == "" {
			p.Code = p.ID
		}
		out[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: actors: %w", err)
	}
	return out, nil
}
