package auditlog

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Entry is an event as stored: numbered, timed and hashed.
type Entry struct {
	Seq int64     `json:"seq"`
	At  time.Time `json:"at"`
	Event
	// ContentHash is "sha256:" and the hex SHA-256 of Canonical(); the
	// ledger leaf of the entry attests it.
	ContentHash string `json:"content_hash"`
}

// Canonical is the JSON the content hash is computed over: the entry
// without its hash, fields in a fixed order, time in UTC to the
// nanosecond.
func (e *Entry) Canonical() []byte {
	c := struct {
		Seq         int64    `json:"seq"`
		At          string   `json:"at"`
		Action      string   `json:"action"`
		Actor       string   `json:"actor"`
		Role        string   `json:"role"`
		SubjectType string   `json:"subject_type"`
		SubjectID   string   `json:"subject_id"`
		Fields      []string `json:"fields"`
		Outcome     string   `json:"outcome"`
		Detail      string   `json:"detail"`
	}{e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.Action, e.Actor, e.Role, e.SubjectType, e.SubjectID,
		e.Fields, e.Outcome, e.Detail}
	if c.Fields == nil {
		c.Fields = []string{}
	}
	b, err := json.Marshal(c)
	if err != nil { // strings and ints only: cannot happen
		panic(err)
	}
	return b
}

// Hash returns the content hash of the entry as it is now.
func (e *Entry) Hash() string {
	sum := sha256.Sum256(e.Canonical())
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Leaf is the ledger leaf that anchors the entry. It names the entry by
// its number only ("audit-17"): who read what is in the entry, which the
// leaf commits to but does not reveal.
func (e *Entry) Leaf() ledger.Leaf {
	return ledger.Leaf{Kind: ledger.KindAudit, Type: "audit", ID: LeafID(e.Seq), Number: e.Seq,
		Action: e.Action, ContentHash: e.ContentHash}
}

// LeafID is the ledger item id of entry seq.
func LeafID(seq int64) string { return fmt.Sprintf("audit-%d", seq) }

// Log is the audit log in the database, anchored in the ledger.
type Log struct {
	db  *sqldb.DB
	led *ledger.Log
	now func() time.Time
}

// New returns the audit log over db, anchoring entries in led.
func New(db *sqldb.DB, led *ledger.Log) *Log { return &Log{db: db, led: led, now: time.Now} }

// SetClock replaces time.Now (tests).
func (l *Log) SetClock(now func() time.Time) { l.now = now }

// ErrInvalid means an event lacks its action or outcome, or its action is
// not a lower-case token.
var ErrInvalid = errors.New("auditlog: invalid event")

// Record implements Recorder: the event is stored and its leaf appended
// in tx, or in a transaction of its own when tx is nil.
func (l *Log) Record(ctx context.Context, tx *sqldb.Tx, e Event) error {
	if !token(e.Action) || !token(e.Outcome) {
		return fmt.Errorf("%w: action %q, outcome %q", ErrInvalid, e.Action, e.Outcome)
	}
	if tx == nil {
		return l.db.WriteTx(ctx, func(tx *sqldb.Tx) error { return l.record(ctx, tx, e) })
	}
	return l.record(ctx, tx, e)
}

func (l *Log) record(ctx context.Context, tx *sqldb.Tx, e Event) error {
	var last sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT MAX(seq) FROM audit_events`).Scan(&last); err != nil {
		return fmt.Errorf("auditlog: %w", err)
	}
	en := Entry{Seq: last.Int64 + 1, At: l.now().UTC(), Event: e}
	en.ContentHash = en.Hash()
	fields, _ := json.Marshal(nonNil(e.Fields))
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (seq, at, action, actor, role, subject_type, subject_id, fields, outcome, detail, content_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		en.Seq, en.At.Format(time.RFC3339Nano), e.Action, e.Actor, e.Role, e.SubjectType, e.SubjectID, string(fields),
		e.Outcome, e.Detail, en.ContentHash); err != nil {
		return fmt.Errorf("auditlog: %w", err)
	}
	if _, err := l.led.Append(ctx, tx, en.Leaf()); err != nil {
		return fmt.Errorf("auditlog: ledger: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// token reports whether s is a lower-case token: a-z, 0-9 and _.
func token(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Query selects entries; zero fields select everything.
type Query struct {
	Actor       string
	Action      string
	SubjectType string
	SubjectID   string
	// Before lists entries numbered below it (paging back); 0 = newest.
	Before int64
	Limit  int // default 100, at most 1000
}

// List returns entries matching q, newest first.
func (l *Log) List(ctx context.Context, q Query) ([]Entry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if q.Actor != "" {
		add("actor = $%d", q.Actor)
	}
	if q.Action != "" {
		add("action = $%d", q.Action)
	}
	if q.SubjectType != "" {
		add("subject_type = $%d", q.SubjectType)
	}
	if q.SubjectID != "" {
		add("subject_id = $%d", q.SubjectID)
	}
	if q.Before > 0 {
		add("seq < $%d", q.Before)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	sqlq := `SELECT seq, at, action, actor, role, subject_type, subject_id, fields, outcome, detail, content_hash FROM audit_events`
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	sqlq += fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", limit)
	rows, err := l.db.Query(ctx, sqlq, args...)
	if err != nil {
		return nil, fmt.Errorf("auditlog: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scan(s scanner) (*Entry, error) {
	var e Entry
	var at, fields string
	if err := s.Scan(&e.Seq, &at, &e.Action, &e.Actor, &e.Role, &e.SubjectType, &e.SubjectID, &fields, &e.Outcome, &e.Detail, &e.ContentHash); err != nil {
		return nil, fmt.Errorf("auditlog: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return nil, fmt.Errorf("auditlog: entry %d: time %q: %w", e.Seq, at, err)
	}
	e.At = t
	if err := json.Unmarshal([]byte(fields), &e.Fields); err != nil {
		return nil, fmt.Errorf("auditlog: entry %d: fields: %w", e.Seq, err)
	}
	if len(e.Fields) == 0 {
		e.Fields = nil
	}
	return &e, nil
}

// Problem is an entry that disagrees with itself or with its leaf.
type Problem struct {
	Seq    int64
	Detail string
}

// Check recomputes every entry's hash and compares it with the stored one
// and with the leaf that anchors it, and finds numbers missing from the
// sequence and audit leaves whose entry is gone.
func (l *Log) Check(ctx context.Context) ([]Problem, int, error) {
	rows, err := l.db.Query(ctx, `SELECT a.seq, a.at, a.action, a.actor, a.role, a.subject_type, a.subject_id, a.fields, a.outcome, a.detail, a.content_hash, l.data
		FROM audit_events a LEFT JOIN ledger_leaves l ON l.kind = 'audit' AND l.item_id = 'audit-' || a.seq AND l.number = a.seq
		ORDER BY a.seq`)
	if err != nil {
		return nil, 0, fmt.Errorf("auditlog: check: %w", err)
	}
	defer rows.Close()
	var out []Problem
	var last int64
	n := 0
	for rows.Next() {
		var leaf []byte
		var e Entry
		var at, fields string
		if err := rows.Scan(&e.Seq, &at, &e.Action, &e.Actor, &e.Role, &e.SubjectType, &e.SubjectID, &fields, &e.Outcome, &e.Detail, &e.ContentHash, &leaf); err != nil {
			return nil, 0, fmt.Errorf("auditlog: check: %w", err)
		}
		n++
		if e.Seq != last+1 {
			out = append(out, Problem{e.Seq, fmt.Sprintf("follows entry %d: entries are missing", last)})
		}
		last = e.Seq
		t, terr := time.Parse(time.RFC3339Nano, at)
		ferr := json.Unmarshal([]byte(fields), &e.Fields)
		if terr != nil || ferr != nil {
			out = append(out, Problem{e.Seq, "is malformed: it was changed"})
			continue
		}
		e.At = t
		got := e.Hash()
		if got != e.ContentHash {
			out = append(out, Problem{e.Seq, "does not match its stored content hash: it was changed"})
		}
		if leaf == nil {
			out = append(out, Problem{e.Seq, "has no ledger leaf: the leaf was removed, or the entry was written outside Tawthiq"})
			continue
		}
		e.ContentHash = got
		want, err := e.Leaf().Marshal()
		if err != nil || string(want) != string(leaf) {
			out = append(out, Problem{e.Seq, "differs from what its ledger leaf attests: it was changed after it was written"})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	orph, err := l.db.Query(ctx, `SELECT l.number FROM ledger_leaves l WHERE l.kind = 'audit'
		AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.seq = l.number) ORDER BY l.number`)
	if err != nil {
		return nil, 0, fmt.Errorf("auditlog: check: %w", err)
	}
	defer orph.Close()
	for orph.Next() {
		var seq int64
		if err := orph.Scan(&seq); err != nil {
			return nil, 0, err
		}
		out = append(out, Problem{seq, "is attested in the ledger but no longer stored: it was deleted"})
	}
	return out, n, orph.Err()
}
