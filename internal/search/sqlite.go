package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// SQLite is the Index on the embedded store: FTS5 with the "tawthiq"
// tokenizer (sqldb.Tokenizer) over the search_docs table.
type SQLite struct{ db *sqldb.DB }

// NewSQLite returns the index kept in db.
func NewSQLite(db *sqldb.DB) *SQLite { return &SQLite{db: db} }

// Ranking weights of the title and body columns for bm25: a word in the
// title says more about what a document is about.
const titleWeight, bodyWeight = 4.0, 1.0

// Highlight marks: private-use characters that never reach a caller.
const markOpen, markClose = "\uE000", "\uE001"

// Put implements Index.
func (s *SQLite) Put(ctx context.Context, tx *sqldb.Tx, d Doc) error {
	id, err := s.drop(ctx, tx, d.RecordID, false)
	if err != nil {
		return err
	}
	// The marks would confuse highlights; a NUL ends a string in SQLite.
	clean := func(x string) string { return strings.NewReplacer(markOpen, "", markClose, "", "\x00", " ").Replace(x) }
	title, body := clean(d.Title), clean(d.Body)
	if id == 0 {
		err = tx.QueryRow(ctx, `INSERT INTO search_docs (record_id, type, title, body, language, date_start, date_end, grading)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			d.RecordID, string(d.Type), title, body, d.Language, d.DateStart, d.DateEnd, d.Grading).Scan(&id)
	} else {
		_, err = tx.Exec(ctx, `UPDATE search_docs SET type = $2, title = $3, body = $4, language = $5,
			date_start = $6, date_end = $7, grading = $8 WHERE id = $1`,
			id, string(d.Type), title, body, d.Language, d.DateStart, d.DateEnd, d.Grading)
	}
	if err != nil {
		return fmt.Errorf("search: index %s: %w", d.RecordID, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO search_fts (rowid, title, body) VALUES ($1, $2, $3)`, id, title, body); err != nil {
		return fmt.Errorf("search: index %s: %w", d.RecordID, err)
	}
	for _, t := range d.Terms {
		if _, err := tx.Exec(ctx, `INSERT OR IGNORE INTO search_terms (doc, field, value) VALUES ($1, $2, $3)`, id, t.Field, t.Value); err != nil {
			return fmt.Errorf("search: index %s: %w", d.RecordID, err)
		}
	}
	return nil
}

// drop removes a document's full-text entry and terms, and its row too if
// remove is set. It returns the row's id, 0 if there was none.
func (s *SQLite) drop(ctx context.Context, tx *sqldb.Tx, recordID string, remove bool) (int64, error) {
	var id int64
	var title, body string
	err := tx.QueryRow(ctx, `SELECT id, title, body FROM search_docs WHERE record_id = $1`, recordID).Scan(&id, &title, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("search: %s: %w", recordID, err)
	}
	// An external-content FTS5 row is deleted by giving it the old text.
	if _, err := tx.Exec(ctx, `INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', $1, $2, $3)`, id, title, body); err != nil {
		return 0, fmt.Errorf("search: %s: %w", recordID, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM search_terms WHERE doc = $1`, id); err != nil {
		return 0, fmt.Errorf("search: %s: %w", recordID, err)
	}
	if remove {
		if _, err := tx.Exec(ctx, `DELETE FROM search_docs WHERE id = $1`, id); err != nil {
			return 0, fmt.Errorf("search: %s: %w", recordID, err)
		}
	}
	return id, nil
}

// Remove implements Index.
func (s *SQLite) Remove(ctx context.Context, tx *sqldb.Tx, recordID string) error {
	_, err := s.drop(ctx, tx, recordID, true)
	return err
}

// Reset implements Index.
func (s *SQLite) Reset(ctx context.Context, tx *sqldb.Tx) error {
	for _, q := range []string{
		`INSERT INTO search_fts (search_fts) VALUES ('delete-all')`,
		`DELETE FROM search_terms`,
		`DELETE FROM search_docs`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("search: reset: %w", err)
		}
	}
	return nil
}

// Optimize merges the index's segments (after a large load).
func (s *SQLite) Optimize(ctx context.Context) error {
	return s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO search_fts (search_fts) VALUES ('optimize')`)
		return err
	})
}

// where builds the FROM and WHERE of a search and its arguments.
func where(q Query, p *Parsed) (from string, conds []string, args []any) {
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	from = `search_docs d`
	if !p.Empty() {
		from = `search_fts f JOIN search_docs d ON d.id = f.rowid`
		conds = append(conds, `search_fts MATCH `+arg(p.fts5()))
	}
	if len(q.Types) > 0 {
		var in []string
		for _, t := range q.Types {
			in = append(in, arg(string(t)))
		}
		conds = append(conds, `d.type IN (`+strings.Join(in, ", ")+`)`)
	}
	if len(q.Kinds) > 0 {
		var in []string
		for _, k := range q.Kinds {
			in = append(in, arg(k))
		}
		conds = append(conds, `EXISTS (SELECT 1 FROM search_terms t WHERE t.doc = d.id AND t.field = 'kind' AND t.value IN (`+strings.Join(in, ", ")+`))`)
	}
	if q.Place != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM search_terms t WHERE t.doc = d.id AND t.field = 'place' AND t.value = `+arg(q.Place)+`)`)
	}
	if q.Grading != "" {
		conds = append(conds, `d.grading = `+arg(q.Grading))
	}
	if q.Language != "" {
		conds = append(conds, `d.language = `+arg(q.Language))
	}
	if q.From != "" {
		conds = append(conds, `d.date_start <> '' AND CASE WHEN d.date_end <> '' THEN d.date_end ELSE d.date_start END >= `+arg(q.From))
	}
	if q.To != "" {
		conds = append(conds, `d.date_start <> '' AND d.date_start <= `+arg(q.To))
	}
	if q.Actor != "" {
		a := arg(q.Actor)
		conds = append(conds, `EXISTS (SELECT 1 FROM `+involvedFrom+` WHERE ra.target_id = `+a+` AND x.incident = d.record_id)`)
	}
	return from, conds, args
}

// involvedFrom joins an incident (x.incident) to the actors (ra.target_id)
// of the live involvements that name it or one of its live acts.
const involvedFrom = `(
		SELECT rt.record_id AS inv, rt.target_id AS incident FROM record_refs rt WHERE rt.field = 'incident_id'
		UNION ALL
		SELECT rt.record_id, ri.target_id FROM record_refs rt
		JOIN records act ON act.id = rt.target_id AND act.type = 'act' AND act.retracted = 0
		JOIN record_refs ri ON ri.record_id = act.id AND ri.field = 'incident_id'
		WHERE rt.field = 'act_id'
	) x
	JOIN records inv ON inv.id = x.inv AND inv.type = 'involvement' AND inv.retracted = 0
	JOIN record_refs ra ON ra.record_id = inv.id AND ra.field = 'actor_id'`

func checkQuery(q *Query) error {
	bad := func(field, en, ar string) error { return &FilterError{Field: field, EN: en, AR: ar} }
	for _, d := range []struct{ name, v string }{{"from", q.From}, {"to", q.To}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return bad(d.name, "must be a date YYYY-MM-DD", "يجب أن يكون تاريخاً بالشكل YYYY-MM-DD")
		}
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		return bad("from", "must not be after to", "يجب ألا يكون بعد to")
	}
	for _, t := range q.Types {
		if !Indexed(t) {
			return bad("type", "must be report or incident", "يجب أن يكون report أو incident")
		}
	}
	switch q.Sort {
	case "", "relevance", "date":
	default:
		return bad("sort", "must be relevance or date", "يجب أن يكون relevance أو date")
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return bad("limit", fmt.Sprintf("must be between 1 and %d", MaxLimit), fmt.Sprintf("يجب أن يكون بين 1 و%d", MaxLimit))
	}
	if q.Offset < 0 {
		return bad("offset", "must not be negative", "يجب ألا يكون سالباً")
	}
	return nil
}

// Search implements Index.
func (s *SQLite) Search(ctx context.Context, q Query) (*Result, error) {
	if err := checkQuery(&q); err != nil {
		return nil, err
	}
	p, err := Parse(q.Text)
	if err != nil {
		return nil, err
	}
	from, conds, args := where(q, p)
	whereSQL := ""
	if len(conds) > 0 {
		whereSQL = " WHERE " + strings.Join(conds, " AND ")
	}
	res := &Result{Limit: q.Limit, Offset: q.Offset, Query: p, Hits: []Hit{}}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM `+from+whereSQL, args...).Scan(&res.Total); err != nil {
		return nil, fmt.Errorf("search: count: %w", err)
	}

	order := `d.date_start DESC, d.id DESC`
	cols := `d.record_id, d.type, d.language, d.date_start, d.date_end, d.grading, d.title, substr(d.body, 1, 301), 0.0`
	if !p.Empty() {
		cols = fmt.Sprintf(`d.record_id, d.type, d.language, d.date_start, d.date_end, d.grading,
			highlight(search_fts, 0, '%s', '%s'), snippet(search_fts, 1, '%s', '%s', '…', 32),
			bm25(search_fts, %g, %g)`, markOpen, markClose, markOpen, markClose, titleWeight, bodyWeight)
		if q.Sort != "date" {
			order = fmt.Sprintf(`bm25(search_fts, %g, %g), d.date_start DESC, d.id DESC`, titleWeight, bodyWeight)
		}
	}
	// The page's documents are chosen first, by rank alone; highlight and
	// snippet, which read a document again, then run for those only —
	// not for every match of a common word.
	pageArgs := append(append([]any(nil), args...), q.Limit, q.Offset)
	page := `SELECT d.id FROM ` + from + whereSQL + ` ORDER BY ` + order +
		fmt.Sprintf(` LIMIT $%d OFFSET $%d`, len(args)+1, len(args)+2)
	pageWhere := " WHERE d.id IN (" + page + ")"
	if whereSQL != "" {
		pageWhere = whereSQL + " AND d.id IN (" + page + ")"
	}
	rows, err := s.db.Query(ctx, `SELECT `+cols+` FROM `+from+pageWhere+` ORDER BY `+order, pageArgs...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		var title, snip string
		var typ string
		if err := rows.Scan(&h.RecordID, &typ, &h.Language, &h.DateStart, &h.DateEnd, &h.Grading, &title, &snip, &h.Score); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Type = record.Type(typ)
		if p.Empty() {
			h.Score = 0
			if utf8.RuneCountInString(snip) > 300 {
				_, last := utf8.DecodeLastRuneInString(snip)
				snip = snip[:len(snip)-last] + "…"
			}
		} else {
			h.Score = -h.Score // bm25 is lower for better matches
		}
		h.Title, h.Snippet = fragments(title), fragments(snip)
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if q.Facets {
		if res.Facets, err = s.facets(ctx, from, whereSQL, args, res.Total); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// fragments splits highlighted text at the marks.
func fragments(s string) []Fragment {
	out := []Fragment{}
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			out = append(out, Fragment{Text: s})
			break
		}
		if i > 0 {
			out = append(out, Fragment{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		out = append(out, Fragment{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], markClose)
	}
	return out
}

// maxFacetValues bounds each facet's list.
const maxFacetValues = 50

// fewMatches is how many matches facets count by looking each one up; with
// more, a pass over the whole terms or involvements is cheaper.
const fewMatches = 5000

func (s *SQLite) facets(ctx context.Context, from, whereSQL string, args []any, total int) (*FacetSet, error) {
	// The matches are found once (a materialised view of this one
	// statement) and every facet counts over them.
	top := func(facet, sql string) string {
		return `SELECT * FROM (SELECT '` + facet + `', v, n FROM (` + sql + `) ORDER BY n DESC, v LIMIT ` + fmt.Sprint(maxFacetValues) + `)`
	}
	// SQLite's planner cannot know how many matches there are, and on its
	// own walks every term or involvement of the store, probing the
	// matches. For a few matches CROSS JOIN (which keeps the order
	// written) and INDEXED BY make it go from the matches outwards.
	join, byDoc := "JOIN", ""
	if total <= fewMatches {
		join, byDoc = "CROSS JOIN", " INDEXED BY search_terms_doc"
	}
	// An incident's actors: live involvements naming it, or one of its
	// live acts.
	actors := `SELECT m.record_id AS incident, ra.target_id AS actor FROM m
			` + join + ` record_refs rt ON rt.target_id = m.record_id AND rt.field = 'incident_id'
			` + join + ` records inv ON inv.id = rt.record_id AND inv.type = 'involvement' AND inv.retracted = 0
			` + join + ` record_refs ra ON ra.record_id = inv.id AND ra.field = 'actor_id'
		UNION ALL
		SELECT m.record_id, ra.target_id FROM m
			` + join + ` record_refs ri ON ri.target_id = m.record_id AND ri.field = 'incident_id'
			` + join + ` records act ON act.id = ri.record_id AND act.type = 'act' AND act.retracted = 0
			` + join + ` record_refs rt ON rt.target_id = act.id AND rt.field = 'act_id'
			` + join + ` records inv ON inv.id = rt.record_id AND inv.type = 'involvement' AND inv.retracted = 0
			` + join + ` record_refs ra ON ra.record_id = inv.id AND ra.field = 'actor_id'`
	sql := `WITH m AS MATERIALIZED (SELECT d.id, d.record_id, d.type, d.language, d.grading, d.date_start FROM ` + from + whereSQL + `) ` +
		strings.Join([]string{
			top("kind", `SELECT t.value AS v, COUNT(*) AS n FROM m `+join+` search_terms t`+byDoc+` ON t.doc = m.id AND t.field = 'kind' GROUP BY t.value`),
			top("place", `SELECT t.value AS v, COUNT(*) AS n FROM m `+join+` search_terms t`+byDoc+` ON t.doc = m.id AND t.field = 'place' GROUP BY t.value`),
			top("grading", `SELECT grading AS v, COUNT(*) AS n FROM m WHERE grading <> '' GROUP BY grading`),
			top("language", `SELECT language AS v, COUNT(*) AS n FROM m GROUP BY language`),
			top("type", `SELECT type AS v, COUNT(*) AS n FROM m GROUP BY type`),
			top("year", `SELECT substr(date_start, 1, 4) AS v, COUNT(*) AS n FROM m WHERE date_start <> '' GROUP BY v`),
			top("actor", `SELECT actor AS v, COUNT(DISTINCT incident) AS n FROM (`+actors+`) GROUP BY actor`),
		}, " UNION ALL ")
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("search: facets: %w", err)
	}
	defer rows.Close()
	fs := &FacetSet{Kind: []FacetCount{}, Place: []FacetCount{}, Grading: []FacetCount{}, Language: []FacetCount{}, Type: []FacetCount{}, Actor: []FacetCount{}, Year: []FacetCount{}}
	into := map[string]*[]FacetCount{"kind": &fs.Kind, "place": &fs.Place, "grading": &fs.Grading, "language": &fs.Language, "type": &fs.Type, "actor": &fs.Actor, "year": &fs.Year}
	for rows.Next() {
		var facet string
		var c FacetCount
		if err := rows.Scan(&facet, &c.Value, &c.Count); err != nil {
			return nil, fmt.Errorf("search: facets: %w", err)
		}
		*into[facet] = append(*into[facet], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: facets: %w", err)
	}
	return fs, nil
}
