package stats

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/tawthiq/tawthiq/internal/places"
)

// incident is one selected incident, as the aggregates need it.
type incident struct {
	id    string
	month string // YYYY-MM of its start, or UnknownKey
	// start and end are the first and last day its date can mean, or "";
	// read for fDates only.
	start, end string
	incidentData
	// perps are the ids of the actors with a live perpetrator involvement
	// (see perpetratorDegrees), sorted.
	perps []string
	// actors are the ids of every actor with a live involvement, of any
	// degree, when the filter names actors.
	actors []string
}

// query is a validated filter, ready to be run.
type query struct {
	f      Filter
	actors []string // f.Actors resolved to record ids
	// startFrom and startBefore (YYYY-MM-DD) keep incidents that start in
	// [startFrom, startBefore): the dashboard's month.
	startFrom, startBefore string
	// fields: what to read of the incidents (the filter adds what it
	// needs); links: read involvements and acts.
	fields fields
	links  bool
}

// selection is the SQL conditions on incidents aliased i, with
// their $N arguments, and whether a driver narrows it.
type selection struct {
	conds  []string
	args   []any
	narrow bool
}

func (s *selection) arg(v any) string {
	s.args = append(s.args, v)
	return fmt.Sprintf("$%d", len(s.args))
}

func (s *selection) list(vs []string) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = s.arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

func (s *selection) where() string { return strings.Join(s.conds, " AND ") }

// lookupCost is how many rows of the records table a full pass reads in
// the time it takes to look one incident up through an index and fetch
// its row: 4 to 8 measured on 100,000 incidents; the larger errs towards
// the pass, whose cost does not depend on the filter.
const lookupCost = 8

// load returns the incidents q selects, in no order. Whatever the SQL
// reads, the filter is applied here again in full, so the SQL only has to
// select at least what the filter keeps.
func (s *Stats) load(ctx context.Context, q query) ([]*incident, error) {
	if len(q.f.Kinds) > 0 {
		q.fields |= fKinds
	}
	if q.f.Place != "" {
		q.fields |= fWhere
	}
	inside := q.inside()
	sel, err := s.plan(ctx, q, inside)
	if err != nil {
		return nil, err
	}
	incs, links, err := s.read(ctx, q, sel)
	if err != nil {
		return nil, err
	}
	if q.links {
		attach(incs, links, len(q.actors) > 0)
	}
	out := incs[:0]
	for _, x := range incs {
		if q.keeps(x, inside) {
			out = append(out, x)
		}
	}
	return out, nil
}

// inside reports whether a gazetteer id is the filter's place or lies
// inside it, remembering the answers.
func (q query) inside() func(string) bool {
	memo := map[string]bool{}
	return func(id string) bool {
		in, ok := memo[id]
		if !ok {
			in = id == q.f.Place || within(id, q.f.Place)
			memo[id] = in
		}
		return in
	}
}

// keeps applies the filter's kinds, place and actors.
func (q query) keeps(x *incident, inside func(string) bool) bool {
	if len(q.f.Kinds) > 0 && !slices.ContainsFunc(x.kinds, func(k string) bool { return slices.Contains(q.f.Kinds, k) }) {
		return false
	}
	if q.f.Place != "" && !slices.ContainsFunc(x.where, func(p placeData) bool { return p.gazetteerID != "" && inside(p.gazetteerID) }) {
		return false
	}
	if len(q.actors) > 0 && !slices.ContainsFunc(x.actors, func(a string) bool { return slices.Contains(q.actors, a) }) {
		return false
	}
	return true
}

// plan writes the SQL that selects at least q's incidents. The dates and
// the grading are conditions on the records row itself; kinds, place and
// actors are in the index tables. If one of those, or the dates, leaves
// few enough incidents to look up one by one (fewer than a pass over the
// table costs, by lookupCost), it drives the query; otherwise the query
// is one pass over the table and load applies the rest.
func (s *Stats) plan(ctx context.Context, q query, inside func(string) bool) (*selection, error) {
	sel := &selection{conds: []string{"i.retracted = 0"}}
	f := q.f
	if f.From != "" {
		sel.conds = append(sel.conds, "i.date_end <> '' AND i.date_end >= "+sel.arg(f.From))
	}
	if f.To != "" {
		sel.conds = append(sel.conds, "i.date_start <> '' AND i.date_start <= "+sel.arg(f.To))
	}
	if q.startFrom != "" {
		sel.conds = append(sel.conds, "i.date_start >= "+sel.arg(q.startFrom), "i.date_start < "+sel.arg(q.startBefore))
	}
	if f.Grading != "" {
		sel.conds = append(sel.conds, "i.status = "+sel.arg(f.Grading))
	}
	var tableRows int
	if err := s.db.QueryRow(ctx, `SELECT coalesce(max(rowid), 0) FROM records`).Scan(&tableRows); err != nil {
		return nil, fmt.Errorf("stats: plan: %w", err)
	}
	drivers, err := s.drivers(ctx, q, inside)
	if err != nil {
		return nil, err
	}
	best := -1
	for i, d := range drivers {
		cheap := d.rows*lookupCost < tableRows && s.force != planPass || s.force == planNarrow
		if cheap && (best < 0 || d.rows < drivers[best].rows) {
			best = i
		}
	}
	if best < 0 {
		// One pass: the unary + keeps SQLite from the type index.
		sel.conds = append(sel.conds, "+i.type = 'incident'")
		return sel, nil
	}
	d := drivers[best]
	sel.narrow = true
	if d.dates {
		sel.conds = append(sel.conds, "i.type = 'incident'")
		return sel, nil
	}
	sel.conds = append(sel.conds, "+i.type = 'incident'", "i.id IN ("+d.ids(sel)+")")
	return sel, nil
}

// driver is a way to the candidate incidents through an index, and how
// many index rows it reads.
type driver struct {
	rows  int
	dates bool                      // the date_start index, by the conditions plan wrote
	ids   func(s *selection) string // else a subquery of candidate ids
}

// drivers lists the indexes q could be looked up by, each with its cost.
func (s *Stats) drivers(ctx context.Context, q query, inside func(string) bool) ([]driver, error) {
	var out []driver
	count := func(query string, args ...any) (int, error) {
		var n int
		if err := s.db.QueryRow(ctx, query, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("stats: plan: %w", err)
		}
		return n, nil
	}
	if hi := q.f.To; hi != "" || q.startBefore != "" {
		c := `SELECT count(*) FROM records WHERE type = 'incident' AND date_start >= $1 AND date_start <= $2`
		lo := max(q.startFrom, "0") // "" is an unknown date
		if hi == "" || q.startBefore != "" && q.startBefore <= hi {
			hi = q.startBefore
			c = strings.Replace(c, "<= $2", "< $2", 1)
		}
		n, err := count(c, lo, hi)
		if err != nil {
			return nil, err
		}
		out = append(out, driver{rows: n, dates: true})
	}
	terms := func(field string, values []string) error {
		t := &selection{}
		n, err := count(`SELECT count(*) FROM record_terms WHERE field = '`+field+`' AND value IN `+t.list(values), t.args...)
		if err != nil {
			return err
		}
		out = append(out, driver{rows: n, ids: func(s *selection) string {
			return `SELECT record_id FROM record_terms WHERE field = '` + field + `' AND value IN ` + s.list(values)
		}})
		return nil
	}
	if len(q.f.Kinds) > 0 {
		if err := terms("kind", q.f.Kinds); err != nil {
			return nil, err
		}
	}
	if q.f.Place != "" {
		ids, err := s.placesUsed(ctx, inside)
		if err != nil {
			return nil, err
		}
		if err := terms("place", ids); err != nil {
			return nil, err
		}
	}
	if len(q.actors) > 0 {
		t := &selection{}
		n, err := count(`SELECT count(*) FROM record_refs WHERE target_id IN `+t.list(q.actors), t.args...)
		if err != nil {
			return nil, err
		}
		out = append(out, driver{rows: 3 * n, ids: func(s *selection) string { return involvedIn(s.list(q.actors)) }})
	}
	return out, nil
}

// involvedIn is a query for the ids of incidents with a live involvement
// of one of the actors in list, at the incident or at one of its live acts.
func involvedIn(list string) string {
	return `SELECT rt.target_id FROM record_refs ra
		JOIN records v ON v.id = ra.record_id AND v.type = 'involvement' AND v.retracted = 0
		JOIN record_refs rt ON rt.record_id = v.id AND rt.field = 'incident_id'
		WHERE ra.field = 'actor_id' AND ra.target_id IN ` + list + `
		UNION
		SELECT ri.target_id FROM record_refs ra
		JOIN records v ON v.id = ra.record_id AND v.type = 'involvement' AND v.retracted = 0
		JOIN record_refs rt ON rt.record_id = v.id AND rt.field = 'act_id'
		JOIN records a ON a.id = rt.target_id AND a.retracted = 0
		JOIN record_refs ri ON ri.record_id = a.id AND ri.field = 'incident_id'
		WHERE ra.field = 'actor_id' AND ra.target_id IN ` + list
}

// placesUsed returns the place ids of incidents that inside keeps, from
// the index alone; never empty, so an IN list of them is valid SQL.
func (s *Stats) placesUsed(ctx context.Context, inside func(string) bool) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT DISTINCT value FROM record_terms WHERE field = 'place'`)
	if err != nil {
		return nil, fmt.Errorf("stats: places: %w", err)
	}
	defer rows.Close()
	out := []string{""}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("stats: places: %w", err)
		}
		if inside(id) {
			out = append(out, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: places: %w", err)
	}
	return out, nil
}

// read runs the selection and parses what it returns: the incidents, and
// the live involvements and acts if q needs links. A pass over the table
// reads the links in the same pass; a narrowed selection looks up the links
// of its incidents.
func (s *Stats) read(ctx context.Context, q query, sel *selection) ([]*incident, []link, error) {
	cols := `i.id, i.type, i.date_start, i.date_end, i.body`
	var text string
	switch {
	case !q.links:
		text = `SELECT ` + cols + ` FROM records i WHERE ` + sel.where()
	case !sel.narrow:
		text = `SELECT ` + cols + ` FROM records i WHERE (` + sel.where() + `)
			OR (i.retracted = 0 AND +i.type IN ('involvement', 'act'))`
	default:
		text = `SELECT ` + cols + ` FROM records i WHERE ` + sel.where() + `
			UNION ALL SELECT v.id, v.type, '', '', v.body FROM records i
			JOIN record_refs r ON r.target_id = i.id AND r.field = 'incident_id'
			JOIN records v ON v.id = r.record_id AND v.type IN ('involvement', 'act') AND v.retracted = 0
			WHERE ` + sel.where() + `
			UNION ALL SELECT v.id, v.type, '', '', v.body FROM records i
			JOIN record_refs r ON r.target_id = i.id AND r.field = 'incident_id'
			JOIN records a ON a.id = r.record_id AND a.type = 'act' AND a.retracted = 0
			JOIN record_refs r2 ON r2.target_id = a.id AND r2.field = 'act_id'
			JOIN records v ON v.id = r2.record_id AND v.type = 'involvement' AND v.retracted = 0
			WHERE ` + sel.where()
	}
	rows, err := s.db.Query(ctx, text, sel.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("stats: read: %w", err)
	}
	defer rows.Close()
	var incs []*incident
	var links []link
	in := interner{}
	// RawBytes are read in place, not copied: only what is kept becomes a
	// string.
	var typ, start, end, body sql.RawBytes
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &typ, &start, &end, &body); err != nil {
			return nil, nil, fmt.Errorf("stats: read: %w", err)
		}
		if string(typ) == "incident" {
			data, err := parseIncident(body, q.fields, in)
			if err != nil {
				return nil, nil, fmt.Errorf("stats: incident %s: %w", id, err)
			}
			x := &incident{id: id, month: UnknownKey, incidentData: data}
			if len(start) >= 7 {
				x.month = in.of(start[:7])
			}
			if q.fields&fDates != 0 {
				x.start, x.end = string(start), string(end)
			}
			incs = append(incs, x)
			continue
		}
		l, err := parseLink(body, in)
		if err != nil {
			return nil, nil, fmt.Errorf("stats: %s %s: %w", typ, id, err)
		}
		links = append(links, link{id: id, act: string(typ) == "act", linkData: l})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("stats: read: %w", err)
	}
	return incs, links, nil
}

// link is a live involvement or act.
type link struct {
	id  string
	act bool
	linkData
}

// attach gives each incident the actors of its live involvements, direct
// or through a live act: perpetrators always, every actor if all.
func attach(list []*incident, links []link, all bool) {
	incs := make(map[string]*incident, len(list))
	for _, x := range list {
		incs[x.id] = x
	}
	actIncident := map[string]string{}
	for _, l := range links {
		if l.act {
			actIncident[l.id] = l.incidentID
		}
	}
	for _, l := range links {
		if l.act {
			continue
		}
		inc := l.incidentID
		if l.actID != "" {
			inc = actIncident[l.actID] // "" when the act is retracted
		}
		x := incs[inc]
		if x == nil {
			continue
		}
		if slices.Contains(perpetratorDegrees, l.degree) && !slices.Contains(x.perps, l.actorID) {
			x.perps = append(x.perps, l.actorID)
		}
		if all && !slices.Contains(x.actors, l.actorID) {
			x.actors = append(x.actors, l.actorID)
		}
	}
	for _, x := range incs {
		slices.Sort(x.perps)
	}
}

// within reports whether place id lies inside place outer.
func within(id, outer string) bool {
	return slices.Contains(places.Ancestors(id), outer)
}

// governorate is the P-code of the governorate id lies in (id itself for a
// governorate), or "" when the gazetteer cannot place it.
func governorate(id string) string {
	for _, c := range append([]string{id}, places.Ancestors(id)...) {
		if p, ok := places.Get(c); ok && p.Level == places.Governorate {
			return c
		}
	}
	return ""
}
