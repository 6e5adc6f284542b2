// Package review is where an analyst turns the facts the extractor proposed
// for a report into records: each fact is accepted, edited or rejected
// (Decide), the report's page shows the proposals with their decisions
// (Facts), and the accepted facts become a new incident (CreateIncident) or
// are added to an existing one (LinkIncident), with the report's claims kept
// as Claim records beside every other source's.
//
// Invariants: a decision is never overwritten — each one is a new row, the
// latest per fact is in force, and the rows before it say who decided what,
// and when. Records are written only through record.Service, every change
// of one review step in one batch, so a step is written whole or not at
// all; what a source said (its claims) is recorded as it said it and never
// replaces the incident's own figures.
package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// The statuses of a fact; the last three are also the actions of a
// Decision.
const (
	Proposed = "proposed"
	Accepted = "accepted"
	Edited   = "edited"
	Rejected = "rejected"
)

// Decision is an analyst's verdict on one proposed fact.
type Decision struct {
	// Key names the fact, as ReviewedFact.Key gives it.
	Key string `json:"key"`
	// Action is Accepted, Edited or Rejected.
	Action string `json:"action"`
	// Fact is the corrected fact, for Edited only. Its type, span and text
	// are the proposal's (an edit changes what a passage says, not which
	// passage it is); only the fields of its type are kept.
	Fact *extract.Fact `json:"fact,omitempty"`
	// Author is who decided.
	Author string `json:"author"`
}

// Decided is one stored decision.
type Decided struct {
	Key    string `json:"key"`
	Seq    int    `json:"seq"`
	Action string `json:"decision"`
	// Fact is the fact as decided: the edit, or the proposal as it stood
	// when it was accepted or rejected.
	Fact    extract.Fact `json:"fact"`
	Author  string       `json:"author"`
	At      time.Time    `json:"decided_at"`
	Version string       `json:"extract_version"`
}

// ReviewedFact is a proposal of the report's current extraction with the
// decision in force on it.
type ReviewedFact struct {
	Key string `json:"key"`
	// Status is Proposed, Accepted, Edited or Rejected.
	Status   string       `json:"status"`
	Proposal extract.Fact `json:"proposal"`
	// Fact is what the review makes of the proposal: the edit, the fact as
	// it was accepted, or the proposal itself while undecided or rejected.
	Fact      extract.Fact `json:"fact"`
	DecidedBy string       `json:"decided_by,omitempty"`
	DecidedAt time.Time    `json:"decided_at,omitzero"`
	// DecidedOn is the extraction version the decision was made on;
	// Outdated says the report has been extracted by other rules since, so
	// the proposal may now read differently from what was decided.
	DecidedOn string `json:"decided_on,omitempty"`
	Outdated  bool   `json:"outdated,omitempty"`
}

// NotFoundError: the report has no stored extraction, or its current
// extraction has no fact with that key (the text changed, or the rules
// read it differently now). errors.Is(err, record.ErrNotFound) holds; the
// caller reloads the facts and decides again.
type NotFoundError struct {
	ReportID string
	Key      string // "" when the report has no extraction at all
	err      error
}

func (e *NotFoundError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("report %s has no proposed facts (it is retracted, not a report, or not yet extracted: run reindex)", e.ReportID)
	}
	return fmt.Sprintf("report %s has no proposed fact %q in its current extraction: reload its facts", e.ReportID, e.Key)
}

// Arabic is the same message in Arabic.
func (e *NotFoundError) Arabic() string {
	if e.Key == "" {
		return fmt.Sprintf("لا توجد وقائع مقترحة للتقرير %s (مسحوب أو ليس تقريراً أو لم يُستخرج بعد: شغّل إعادة الفهرسة)", e.ReportID)
	}
	return fmt.Sprintf("لا توجد الواقعة المقترحة «%s» في آخر استخراج للتقرير %s: أعد تحميل الوقائع", e.Key, e.ReportID)
}

// Is makes errors.Is(err, record.ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == record.ErrNotFound }

// Unwrap gives extract.ErrNone when the report has no extraction.
func (e *NotFoundError) Unwrap() error { return e.err }

// loadVocab is the vocabulary set Decide validates against: the embedded
// data, the same set record.Service is built with, read once.
var loadVocab = sync.OnceValues(vocab.Load)

// Decide records an analyst's decision on one of the report's proposed
// facts. An edit or an accept is validated first — an ambiguous place must
// be edited to one of its candidates, a count must be sane, codes must come
// from the vocabularies — and a broken rule is a *record.ValidationError
// naming the field ("fact.count.min"). The decision is appended: earlier
// ones stay as history.
func Decide(ctx context.Context, db *sqldb.DB, reportID string, d Decision) error {
	if err := d.check(); err != nil {
		return err
	}
	res, err := extraction(ctx, db, reportID)
	if err != nil {
		return err
	}
	i := slices.Index(keys(res.Facts), d.Key)
	if i < 0 {
		return &NotFoundError{ReportID: reportID, Key: d.Key}
	}
	vs, err := loadVocab()
	if err != nil {
		return err
	}
	fact := res.Facts[i]
	switch d.Action {
	case Edited:
		if d.Fact.Type != "" && d.Fact.Type != fact.Type {
			return record.Invalid("fact.type", "type_changed", "an edit cannot change the type of a fact",
				"لا يغيّر التعديل نوع الواقعة")
		}
		fact = edit(fact, *d.Fact)
		err = checkFact(vs, fact)
	case Accepted:
		err = checkFact(vs, fact)
	}
	if err != nil {
		return err
	}
	data, err := json.Marshal(fact)
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	at := time.Now().UTC().Format(time.RFC3339Nano)
	return db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO fact_decisions (report_id, fact_key, seq, decision, fact, author, decided_at, extract_version)
			SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7 FROM fact_decisions WHERE report_id = $1 AND fact_key = $2`,
			reportID, d.Key, d.Action, string(data), d.Author, at, res.Version)
		if err != nil {
			return fmt.Errorf("review: decide %s %s: %w", reportID, d.Key, err)
		}
		return nil
	})
}

func (d Decision) check() error {
	var errs []record.FieldError
	fail := func(field, code, en, ar string) {
		errs = append(errs, record.FieldError{Field: field, Code: code, Message: en, MessageAR: ar})
	}
	if d.Key == "" {
		fail("key", "required", "is required", "حقل مطلوب")
	}
	switch d.Action {
	case Accepted, Rejected:
		if d.Fact != nil {
			fail("fact", "not_allowed", "only an edit carries a fact", "لا تُرفق واقعة إلا مع التعديل")
		}
	case Edited:
		if d.Fact == nil {
			fail("fact", "required", "is required for an edit", "مطلوب عند التعديل")
		}
	case "":
		fail("action", "required", "is required: accepted, edited or rejected", "حقل مطلوب: accepted أو edited أو rejected")
	default:
		fail("action", "unknown_action", "must be accepted, edited or rejected", "يجب أن يكون accepted أو edited أو rejected")
	}
	switch {
	case strings.TrimSpace(d.Author) == "":
		fail("author", "required", "is required", "حقل مطلوب")
	case len(d.Author) > 200:
		fail("author", "too_long", "is longer than 200 bytes", "أطول من 200 بايت")
	}
	if len(errs) > 0 {
		return &record.ValidationError{Errors: errs}
	}
	return nil
}

// Facts returns the proposals of the report's current extraction, in text
// order, each with the decision in force on it. A decision applies to the
// proposal with its key only while the span still holds the words it was
// made on: if the report's text changed there, the fact is proposed again.
func Facts(ctx context.Context, db *sqldb.DB, reportID string) ([]ReviewedFact, error) {
	res, err := extraction(ctx, db, reportID)
	if err != nil {
		return nil, err
	}
	latest, err := latestDecisions(ctx, db, reportID)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewedFact, len(res.Facts))
	for i, k := range keys(res.Facts) {
		f := res.Facts[i]
		rf := ReviewedFact{Key: k, Status: Proposed, Proposal: f, Fact: f}
		if d, ok := latest[k]; ok && d.Fact.Text == f.Text {
			rf.Status, rf.DecidedBy, rf.DecidedAt, rf.DecidedOn = d.Action, d.Author, d.At, d.Version
			rf.Outdated = d.Version != res.Version
			if d.Action != Rejected {
				rf.Fact = d.Fact
			}
		}
		out[i] = rf
	}
	return out, nil
}

// History returns every decision made on the report's facts, oldest first,
// including those on facts its current extraction no longer proposes.
func History(ctx context.Context, db *sqldb.DB, reportID string) ([]Decided, error) {
	return decisions(ctx, db, reportID, false)
}

func latestDecisions(ctx context.Context, db *sqldb.DB, reportID string) (map[string]Decided, error) {
	ds, err := decisions(ctx, db, reportID, true)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Decided, len(ds))
	for _, d := range ds {
		out[d.Key] = d
	}
	return out, nil
}

// decisions reads the report's decisions, all of them or only the latest
// per fact.
func decisions(ctx context.Context, db *sqldb.DB, reportID string, latest bool) ([]Decided, error) {
	q := `SELECT fact_key, seq, decision, fact, author, decided_at, extract_version FROM fact_decisions d
		WHERE report_id = $1`
	if latest {
		q += ` AND seq = (SELECT MAX(seq) FROM fact_decisions m WHERE m.report_id = d.report_id AND m.fact_key = d.fact_key)`
	}
	rows, err := db.Query(ctx, q+` ORDER BY decided_at, fact_key, seq`, reportID)
	if err != nil {
		return nil, fmt.Errorf("review: decisions of %s: %w", reportID, err)
	}
	defer rows.Close()
	var out []Decided
	for rows.Next() {
		var d Decided
		var fact, at string
		if err := rows.Scan(&d.Key, &d.Seq, &d.Action, &fact, &d.Author, &at, &d.Version); err != nil {
			return nil, fmt.Errorf("review: decisions of %s: %w", reportID, err)
		}
		if err := json.Unmarshal([]byte(fact), &d.Fact); err != nil {
			return nil, fmt.Errorf("review: decision %s/%s/%d: %w", reportID, d.Key, d.Seq, err)
		}
		if d.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("review: decision %s/%s/%d: %w", reportID, d.Key, d.Seq, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("review: decisions of %s: %w", reportID, err)
	}
	return out, nil
}

func extraction(ctx context.Context, db *sqldb.DB, reportID string) (*extract.Result, error) {
	res, err := extract.Get(ctx, db, reportID)
	if errors.Is(err, extract.ErrNone) {
		return nil, &NotFoundError{ReportID: reportID, err: err}
	}
	return res, err
}

// keys names each fact by its type and byte span, which a new extraction
// of the same text gives again even when its rules read the values
// differently: "casualties:120-164". An actor's key also carries its role,
// because the extractor proposes one fact per role of a mention (a party
// that denies an attack is its source and its alleged author);
// "actor:253-291:perpetrator". A key still shared within one extraction
// gets "#2", "#3" … in text order.
func keys(facts []extract.Fact) []string {
	out := make([]string, len(facts))
	seen := map[string]int{}
	for i, f := range facts {
		k := f.Type + ":" + strconv.Itoa(f.Span[0]) + "-" + strconv.Itoa(f.Span[1])
		if f.Type == extract.TypeActor && f.Role != "" {
			k += ":" + f.Role
		}
		seen[k]++
		if n := seen[k]; n > 1 {
			k += "#" + strconv.Itoa(n)
		}
		out[i] = k
	}
	return out
}
