// Package search finds reports and incidents however their words were
// spelled. Documents are indexed in the same transaction as the record
// revision that changes them (Hook), through one Index interface; the
// SQLite implementation is an FTS5 index whose tokenizer is the Go
// analyser of internal/arabic, so every engine agrees with it and
// highlights mark the original text.
package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/arabic"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Doc is what the index holds of one record.
type Doc struct {
	RecordID  string
	Type      record.Type
	Title     string
	Body      string
	Language  string // "ar", "en", "other"
	DateStart string // YYYY-MM-DD or ""
	DateEnd   string
	Grading   string // incidents
	// Terms are filterable values: "kind", "place" (the place and every
	// place that contains it), "tag".
	Terms []record.Term
}

// Query is one search.
type Query struct {
	Text string // the query language of Parse
	// Filters; empty means any.
	Types    []record.Type // record.TypeReport, record.TypeIncident
	Kinds    []string      // incident kind codes (any of)
	Actor    string        // actor code: incidents with a live involvement of it
	Place    string        // gazetteer id: the place or any place inside it
	Grading  string
	Language string
	From, To string // YYYY-MM-DD; a document matches if its dates overlap
	// Sort is "relevance" (default; "date" when Text is empty) or "date"
	// (newest first).
	Sort          string
	Limit, Offset int
	// Facets asks for counts of kind, actor, place, grading, language,
	// type and year among all matches.
	Facets bool
}

// Result is one page of matches.
type Result struct {
	Total  int       `json:"total"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
	Query  *Parsed   `json:"query"`
	Hits   []Hit     `json:"hits"`
	Facets *FacetSet `json:"facets,omitempty"`
}

// Hit is one matching record.
type Hit struct {
	RecordID  string      `json:"id"`
	Type      record.Type `json:"type"`
	Title     []Fragment  `json:"title"`
	Snippet   []Fragment  `json:"snippet"`
	Language  string      `json:"language"`
	DateStart string      `json:"date_start,omitempty"`
	DateEnd   string      `json:"date_end,omitempty"`
	Grading   string      `json:"grading,omitempty"`
	Score     float64     `json:"score"` // higher is better; comparable within one result
}

// Fragment is a piece of original text; Match marks the words the query
// found.
type Fragment struct {
	Text  string `json:"text"`
	Match bool   `json:"match,omitempty"`
}

// FacetSet counts matches by value.
type FacetSet struct {
	Kind     []FacetCount `json:"kind"`
	Actor    []FacetCount `json:"actor"`
	Place    []FacetCount `json:"place"`
	Grading  []FacetCount `json:"grading"`
	Language []FacetCount `json:"language"`
	Type     []FacetCount `json:"type"`
	// Year counts by the year a document's date starts in (documents
	// with no date are not counted).
	Year []FacetCount `json:"year"`
}

// FacetCount is how many matches have a value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Index is a search index. Put and Remove run inside the caller's
// transaction, so the index changes with the record or not at all.
type Index interface {
	Put(ctx context.Context, tx *sqldb.Tx, d Doc) error
	Remove(ctx context.Context, tx *sqldb.Tx, recordID string) error
	// Reset empties the index (reindex fills it again in the same
	// transaction).
	Reset(ctx context.Context, tx *sqldb.Tx) error
	Search(ctx context.Context, q Query) (*Result, error)
}

// Defaults and limits of a page.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// Places gives the places that contain a place (its governorate,
// district, sub-district …), so a search in a governorate finds what
// happened in its towns and neighbourhoods.
type Places func(gazetteerID string) []string

// Indexed reports whether records of type t are searchable.
func Indexed(t record.Type) bool { return t == record.TypeReport || t == record.TypeIncident }

// DocOf builds the document of a record body, or ok false for a type that
// is not indexed.
func DocOf(id string, b record.Body, places Places) (Doc, bool) {
	switch x := b.(type) {
	case *record.Report:
		d := Doc{RecordID: id, Type: record.TypeReport, Title: x.Title, Body: x.Text, Language: x.Language,
			Terms: tagTerms(x.Tags)}
		d.DateStart, d.DateEnd = dateRange(x.Published)
		if d.DateStart == "" {
			d.DateStart, d.DateEnd = dateRange(x.ReceivedAt)
		}
		return d, true
	case *record.Incident:
		title := strings.TrimSpace(x.TitleAR + "\n" + x.TitleEN)
		d := Doc{RecordID: id, Type: record.TypeIncident, Title: title, Body: x.Description,
			Language: arabic.Language(title + " " + x.Description), Grading: x.Grading, Terms: tagTerms(x.Tags)}
		d.DateStart, d.DateEnd = x.When.Bounds()
		for _, k := range x.Kinds {
			d.Terms = append(d.Terms, record.Term{Field: "kind", Value: k})
		}
		seen := map[string]bool{}
		for _, p := range x.Where {
			if p.GazetteerID == "" {
				continue
			}
			codes := []string{p.GazetteerID}
			if places != nil {
				codes = append(codes, places(p.GazetteerID)...)
			}
			for _, c := range codes {
				if !seen[c] {
					seen[c] = true
					d.Terms = append(d.Terms, record.Term{Field: "place", Value: c})
				}
			}
		}
		return d, true
	}
	return Doc{}, false
}

func tagTerms(tags []string) []record.Term {
	out := make([]record.Term, 0, len(tags))
	for _, t := range tags {
		out = append(out, record.Term{Field: "tag", Value: t})
	}
	return out
}

// dateRange is the first and last day of a partial date or a time:
// "2017-06-05T10:00:00Z" is that day, "2017-06" all of June, "2017" the
// year; anything else is unknown ("", "").
func dateRange(s string) (start, end string) {
	switch {
	case len(s) >= 10:
		if _, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return s[:10], s[:10]
		}
	case len(s) == 7:
		if t, err := time.Parse("2006-01", s); err == nil {
			return t.Format(time.DateOnly), t.AddDate(0, 1, -1).Format(time.DateOnly)
		}
	case len(s) == 4:
		if _, err := time.Parse("2006", s); err == nil {
			return s + "-01-01", s + "-12-31"
		}
	}
	return "", ""
}

// Hook keeps idx up to date with every revision: a report or incident is
// put when created, updated or restored, and removed when retracted — in
// the revision's own transaction.
func Hook(idx Index, places Places) record.Hook {
	return func(ctx context.Context, tx *sqldb.Tx, rev *record.Revision) error {
		if !Indexed(rev.Type) {
			return nil
		}
		if rev.Retracted {
			return idx.Remove(ctx, tx, rev.RecordID)
		}
		b, err := record.DecodeBody(rev.Type, rev.Body)
		if err != nil {
			return fmt.Errorf("search: decode %s: %w", rev.RecordID, err)
		}
		d, _ := DocOf(rev.RecordID, b, places)
		return idx.Put(ctx, tx, d)
	}
}

// Reindex empties idx and indexes every live report and incident again,
// in one transaction: a failure leaves the old index. It returns how many
// documents it indexed.
func Reindex(ctx context.Context, db *sqldb.DB, idx Index, places Places) (int, error) {
	n := 0
	err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		n = 0
		if err := idx.Reset(ctx, tx); err != nil {
			return err
		}
		// A page at a time, so memory stays flat however many records.
		after := ""
		for {
			rows, err := tx.Query(ctx, `SELECT id, type, body FROM records
				WHERE retracted = 0 AND type IN ('report', 'incident') AND id > $1 ORDER BY id LIMIT 500`, after)
			if err != nil {
				return fmt.Errorf("search: reindex: %w", err)
			}
			type row struct {
				id, typ string
				body    []byte
			}
			var page []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.typ, &r.body); err != nil {
					rows.Close()
					return fmt.Errorf("search: reindex: %w", err)
				}
				page = append(page, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("search: reindex: %w", err)
			}
			if len(page) == 0 {
				return nil
			}
			for _, r := range page {
				b, err := record.DecodeBody(record.Type(r.typ), r.body)
				if err != nil {
					return fmt.Errorf("search: reindex %s: %w", r.id, err)
				}
				d, _ := DocOf(r.id, b, places)
				if err := idx.Put(ctx, tx, d); err != nil {
					return err
				}
				n++
			}
			after = page[len(page)-1].id
		}
	})
	return n, err
}

// FilterError names a query parameter that cannot be used.
type FilterError struct{ Field, EN, AR string }

func (e *FilterError) Error() string { return "search: " + e.Field + ": " + e.EN }

// Invalid converts search errors to record validation errors for callers
// that report those (the API, the CLI).
func Invalid(err error) error {
	var qe *QueryError
	var fe *FilterError
	switch {
	case errors.As(err, &qe):
		return record.Invalid("q", "invalid_query", qe.EN, qe.AR)
	case errors.As(err, &fe):
		return record.Invalid(fe.Field, "invalid_value", fe.EN, fe.AR)
	}
	return err
}

// CheckFilters refuses filter values that name nothing: a kind, grading or
// language that is not in its vocabulary, an actor that is not an actor
// record. A typo then says so instead of finding nothing.
func CheckFilters(ctx context.Context, q Query, vs *vocab.Set, store *record.Store) error {
	bad := func(field, en, ar string) error { return &FilterError{Field: field, EN: en, AR: ar} }
	for _, k := range q.Kinds {
		if !vs.Has(vocab.IncidentKind, k) {
			return bad("kind", fmt.Sprintf("%q is not an incident kind", clip(k)), fmt.Sprintf("«%s» ليس نوع حادثة معروفاً", clip(k)))
		}
	}
	if q.Grading != "" && !vs.Has(vocab.Grading, q.Grading) {
		return bad("grading", fmt.Sprintf("%q is not a grading", clip(q.Grading)), fmt.Sprintf("«%s» ليس درجة تقييم معروفة", clip(q.Grading)))
	}
	if q.Language != "" && !vs.Has(vocab.Language, q.Language) {
		return bad("language", fmt.Sprintf("%q is not a language code", clip(q.Language)), fmt.Sprintf("«%s» ليس رمز لغة معروفاً", clip(q.Language)))
	}
	if q.Actor != "" {
		rec, err := store.Get(ctx, q.Actor)
		if errors.Is(err, record.ErrNotFound) || err == nil && rec.Type != record.TypeActor {
			return bad("actor", fmt.Sprintf("%q is not an actor", clip(q.Actor)), fmt.Sprintf("«%s» ليس طرفاً معروفاً", clip(q.Actor)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
