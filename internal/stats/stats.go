// Package stats computes the figures the web UI's Dashboard, Map and
// Statistics pages show: killed by party and month, incidents by kind and
// by governorate, map points and the review queues.
//
// The invariant: every figure counts live records only. A retracted
// incident, involvement, act, report or claim counts nowhere; and a
// casualty figure is a range that never claims more precision than the
// records hold — an open-ended count ("more than 70") stays open-ended.
//
// How it reads the store (load.go) follows measurements on 100,000
// incidents (BenchmarkStats): whether a record is retracted is only in the
// records table, so every figure reads the records rows of what it counts,
// and reading the whole table in order costs a quarter to an eighth of
// looking the same rows up one by one through an index. A figure over many incidents
// therefore makes one pass over the table and takes the few fields it needs
// from the JSON bodies with a small reader (body.go), several times faster
// than encoding/json or SQLite's JSON functions; a filter that selects few
// incidents is looked up through the index tables instead.
//
// The SQL is plain but for the unary + that keeps SQLite from the type
// index (a PostgreSQL version would drop it and let the planner choose):
// no JSON functions, so nothing else differs between the dialects.
package stats

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Stats answers the aggregate queries over one store.
type Stats struct {
	db    *sqldb.DB
	vocab *vocab.Set
	force planMode // tests only: read one way whatever it costs
}

// planMode is how load reads the store.
type planMode int

const (
	planCheapest planMode = iota // by cost, see Stats.plan
	planPass                     // one pass over the records table
	planNarrow                   // through an index whenever the filter has one
)

// New returns the aggregates over db; vs validates filters and names kinds.
func New(db *sqldb.DB, vs *vocab.Set) *Stats { return &Stats{db: db, vocab: vs} }

// Filter narrows the incidents a figure counts. The zero Filter is every
// live incident; each field set narrows further.
type Filter struct {
	// From and To (YYYY-MM-DD, inclusive) keep incidents whose date range
	// overlaps [From, To]; an incident with an unknown date is then left
	// out.
	From, To string
	// Kinds keeps incidents of any of these incident_kind codes.
	Kinds []string
	// Actors keeps incidents with a live involvement of any of these
	// actors (record ids or actor codes), of any degree, at the incident
	// or at one of its acts.
	Actors []string
	// Place (a gazetteer id) keeps incidents at that place or a place
	// inside it: SY11 is everything in Ar-Raqqa governorate.
	Place string
	// Grading keeps incidents with this grading.
	Grading string
}

// Validate checks the filter against the vocabularies and the gazetteer;
// the error is a *record.ValidationError (errors.Is record.ErrInvalid)
// naming each bad field: from, to, kinds[i], actors[i], place, grading.
// Whether an actor exists is checked when the filter is used.
func (f Filter) Validate(vs *vocab.Set) error {
	var errs []record.FieldError
	fail := func(field, code, en, ar string) {
		errs = append(errs, record.FieldError{Field: field, Code: code, Message: en, MessageAR: ar})
	}
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			fail(d.field, "invalid_date", "must be a date YYYY-MM-DD", "يجب أن يكون تاريخاً بالشكل YYYY-MM-DD")
		}
	}
	if len(errs) == 0 && f.From != "" && f.To != "" && f.To < f.From {
		fail("to", "before_from", "is before from", "يسبق تاريخ البداية")
	}
	for i, k := range f.Kinds {
		if !vs.Has(vocab.IncidentKind, k) {
			fail(fmt.Sprintf("kinds[%d]", i), "unknown_code", "is not an incident kind", "ليس نوع حادثة معروفاً")
		}
	}
	for i, a := range f.Actors {
		if !record.ValidID(a) {
			fail(fmt.Sprintf("actors[%d]", i), "invalid_id", "is not an actor id or code", "ليس معرّف طرف أو رمزه")
		}
	}
	if _, ok := places.Get(f.Place); f.Place != "" && !ok {
		fail("place", "unknown_place", "is not a place of the gazetteer", "ليس مكاناً في دليل الأماكن")
	}
	if f.Grading != "" && !vs.Has(vocab.Grading, f.Grading) {
		fail("grading", "unknown_code", "is not a grading", "ليس تقييماً معروفاً")
	}
	if len(errs) > 0 {
		return &record.ValidationError{Errors: errs}
	}
	return nil
}

// query validates f and resolves its actors.
func (s *Stats) query(ctx context.Context, f Filter) (query, error) {
	if err := f.Validate(s.vocab); err != nil {
		return query{}, err
	}
	q := query{f: f}
	if len(f.Actors) > 0 {
		ids, err := s.actorIDs(ctx, f.Actors)
		if err != nil {
			return query{}, err
		}
		q.actors, q.links = ids, true
	}
	return q, nil
}

// actorIDs resolves actor ids or codes to record ids; one that is neither
// is a validation error naming it.
func (s *Stats) actorIDs(ctx context.Context, actors []string) ([]string, error) {
	out := make([]string, len(actors))
	var errs []record.FieldError
	for i, a := range actors {
		err := s.db.QueryRow(ctx, `SELECT id FROM records WHERE id = $1 AND type = 'actor'
			UNION ALL SELECT record_id FROM record_keys WHERE key = $2 LIMIT 1`, a, "actor.code:"+a).Scan(&out[i])
		if errors.Is(err, sql.ErrNoRows) {
			errs = append(errs, record.FieldError{Field: fmt.Sprintf("actors[%d]", i), Code: "unknown_actor",
				Message: "is no actor's id or code", MessageAR: "لا يطابق معرّف أي طرف أو رمزه"})
		} else if err != nil {
			return nil, fmt.Errorf("stats: actor %s: %w", a, err)
		}
	}
	if len(errs) > 0 {
		return nil, &record.ValidationError{Errors: errs}
	}
	return out, nil
}
