package record

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Store reads records and their history. Writes go through Service only.
type Store struct {
	db *sqldb.DB
}

// NewStore returns a store over an open database.
func NewStore(db *sqldb.DB) *Store { return &Store{db: db} }

const recordColumns = `id, type, revision, retracted, body, content_hash, title,
	created_at, created_by, updated_at, updated_by`

type scanner interface{ Scan(dest ...any) error }

func scanRecord(s scanner) (*Record, error) {
	var r Record
	var body, created, updated string
	var retracted int
	err := s.Scan(&r.ID, &r.Type, &r.Revision, &retracted, &body, &r.ContentHash, &r.Title,
		&created, &r.CreatedBy, &updated, &r.UpdatedBy)
	if err != nil {
		return nil, err
	}
	r.Retracted = retracted == 1
	r.Body = []byte(body)
	if r.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return nil, fmt.Errorf("record %s: created_at: %w", r.ID, err)
	}
	if r.UpdatedAt, err = time.Parse(time.RFC3339Nano, updated); err != nil {
		return nil, fmt.Errorf("record %s: updated_at: %w", r.ID, err)
	}
	return &r, nil
}

// Get returns the current state of a record.
func (s *Store) Get(ctx context.Context, id string) (*Record, error) {
	return getRecord(ctx, s.db, id)
}

// queryRower is a read pool or a transaction.
type queryRower interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

func getRecord(ctx context.Context, q queryRower, id string) (*Record, error) {
	r, err := scanRecord(q.QueryRow(ctx, `SELECT `+recordColumns+` FROM records WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &NotFoundError{ID: id}
	}
	if err != nil {
		return nil, fmt.Errorf("record: get %s: %w", id, err)
	}
	return r, nil
}

const revisionColumns = `record_id, revision, type, action, retracted, body, content_hash,
	author, reason, created_at, batch_id`

func scanRevision(s scanner) (*Revision, error) {
	var r Revision
	var body, created string
	var retracted int
	err := s.Scan(&r.RecordID, &r.Revision, &r.Type, &r.Action, &retracted, &body, &r.ContentHash,
		&r.Author, &r.Reason, &created, &r.BatchID)
	if err != nil {
		return nil, err
	}
	r.Retracted = retracted == 1
	r.Body = []byte(body)
	if r.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return nil, fmt.Errorf("revision %s/%d: created_at: %w", r.RecordID, r.Revision, err)
	}
	return &r, nil
}

// Revision returns one revision of a record.
func (s *Store) Revision(ctx context.Context, id string, rev int) (*Revision, error) {
	r, err := scanRevision(s.db.QueryRow(ctx, `SELECT `+revisionColumns+` FROM revisions
		WHERE record_id = $1 AND revision = $2`, id, rev))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &NotFoundError{ID: id, Revision: rev}
	}
	if err != nil {
		return nil, fmt.Errorf("record: revision %s/%d: %w", id, rev, err)
	}
	return r, nil
}

// History returns every revision of a record, oldest first.
func (s *Store) History(ctx context.Context, id string) ([]Revision, error) {
	rows, err := s.db.Query(ctx, `SELECT `+revisionColumns+` FROM revisions
		WHERE record_id = $1 ORDER BY revision`, id)
	if err != nil {
		return nil, fmt.Errorf("record: history %s: %w", id, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("record: history %s: %w", id, err)
		}
		out = append(out, *r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("record: history %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, &NotFoundError{ID: id}
	}
	return out, nil
}

// Query selects records for a list.
type Query struct {
	Type Type
	// Terms must all match (e.g. kind=air_strike, place=SY0201).
	Terms []Term
	// Status matches the indexed status (an incident's grading, a report's
	// language …).
	Status string
	// DateFrom and DateTo (YYYY-MM-DD) keep records whose date range
	// overlaps [DateFrom, DateTo].
	DateFrom, DateTo string
	// RefersTo keeps records that reference this record id.
	RefersTo string
	// Actor keeps incidents with a live involvement of this actor, at the
	// incident or at one of its acts.
	Actor string
	// CreatedBy keeps records created by this author (a reporter's own
	// submissions).
	CreatedBy string
	// IncludeRetracted lists retracted records too.
	IncludeRetracted bool
	// Sort is "updated" (newest change first, the default) or "date"
	// (latest date first).
	Sort string
	// Limit (default 50, at most 1000) and Offset page through results.
	Limit, Offset int
}

// MaxLimit is the largest page List returns.
const MaxLimit = 1000

// List returns one page of records matching q, and how many match in all.
func (s *Store) List(ctx context.Context, q Query) ([]Record, int, error) {
	where, args := q.where()
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM records WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("record: list: %w", err)
	}
	order := "updated_at DESC, id DESC"
	if q.Sort == "date" {
		order = "date_start DESC, id DESC"
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, MaxLimit)
	args = append(args, limit, max(q.Offset, 0))
	rows, err := s.db.Query(ctx, fmt.Sprintf(`SELECT %s FROM records WHERE %s ORDER BY %s LIMIT $%d OFFSET $%d`,
		recordColumns, where, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("record: list: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("record: list: %w", err)
		}
		out = append(out, *r)
	}
	return out, total, rows.Err()
}

func (q Query) where() (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if q.Type != "" {
		conds = append(conds, "type = "+arg(string(q.Type)))
	}
	if !q.IncludeRetracted {
		conds = append(conds, "retracted = 0")
	}
	if q.Status != "" {
		conds = append(conds, "status = "+arg(q.Status))
	}
	if q.CreatedBy != "" {
		conds = append(conds, "created_by = "+arg(q.CreatedBy))
	}
	for _, t := range q.Terms {
		conds = append(conds, fmt.Sprintf(`EXISTS (SELECT 1 FROM record_terms t
			WHERE t.record_id = records.id AND t.field = %s AND t.value = %s)`, arg(t.Field), arg(t.Value)))
	}
	if q.DateFrom != "" {
		conds = append(conds, "date_end <> '' AND date_end >= "+arg(q.DateFrom))
	}
	if q.DateTo != "" {
		conds = append(conds, "date_start <> '' AND date_start <= "+arg(q.DateTo))
	}
	if q.RefersTo != "" {
		// Looked up through record_refs_target, not tested row by row:
		// a record's dependants are few, the records many.
		conds = append(conds, `id IN (SELECT r.record_id FROM record_refs r WHERE r.target_id = `+arg(q.RefersTo)+`)`)
	}
	if q.Actor != "" {
		a := arg(q.Actor)
		// An involvement names the actor and either the incident itself or
		// one of the incident's acts; retracted ones do not count.
		conds = append(conds, `EXISTS (
			SELECT 1 FROM record_refs ra
			JOIN records inv ON inv.id = ra.record_id AND inv.type = 'involvement' AND inv.retracted = 0
			JOIN record_refs rt ON rt.record_id = inv.id
			WHERE ra.field = 'actor_id' AND ra.target_id = `+a+`
			AND (
				(rt.field = 'incident_id' AND rt.target_id = records.id)
				OR (rt.field = 'act_id' AND EXISTS (SELECT 1 FROM record_refs ri
					JOIN records act ON act.id = ri.record_id AND act.retracted = 0
					WHERE ri.record_id = rt.target_id AND ri.field = 'incident_id' AND ri.target_id = records.id))
			))`)
	}
	if len(conds) == 0 {
		return "1 = 1", args
	}
	return strings.Join(conds, " AND "), args
}

// ByKey returns the id of the record holding a unique key.
func (s *Store) ByKey(ctx context.Context, key string) (string, error) {
	var id string
	err := s.db.QueryRow(ctx, `SELECT record_id FROM record_keys WHERE key = $1`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &NotFoundError{ID: key}
	}
	if err != nil {
		return "", fmt.Errorf("record: key lookup: %w", err)
	}
	return id, nil
}

// Count returns how many live (not retracted) records of each type exist.
func (s *Store) Count(ctx context.Context) (map[Type]int, error) {
	rows, err := s.db.Query(ctx, `SELECT type, COUNT(*) FROM records WHERE retracted = 0 GROUP BY type`)
	if err != nil {
		return nil, fmt.Errorf("record: count: %w", err)
	}
	defer rows.Close()
	out := map[Type]int{}
	for rows.Next() {
		var t Type
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, fmt.Errorf("record: count: %w", err)
		}
		out[t] = n
	}
	return out, rows.Err()
}

// AllRevisions returns every revision in the store inside tx, batch by
// batch in the order batches were written (batch ids are time-ordered),
// each record's revisions in order. It is for one-off upgrades such as
// attesting a store written before the ledger existed.
func (s *Store) AllRevisions(ctx context.Context, tx *sqldb.Tx) ([]Revision, error) {
	rows, err := tx.Query(ctx, `SELECT `+revisionColumns+` FROM revisions ORDER BY batch_id, record_id, revision`)
	if err != nil {
		return nil, fmt.Errorf("record: all revisions: %w", err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("record: all revisions: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
