// Package evidence keeps files attached to reports: the bytes in the vault
// under their SHA-256, an evidence record describing them, and a chain of
// custody — received, stored, accessed, exported, copy made, integrity
// checked — each event committed with a ledger leaf in one transaction.
//
// Invariants: an evidence record exists only for bytes the vault holds
// (the bytes are stored first, then the record and its custody commit
// together); custody events are append-only and numbered from 1 per item;
// every custody event has exactly one ledger leaf, written in the event's
// own transaction, committing to the event's canonical JSON (never to
// plaintext personal data).
package evidence

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/evidence/bundle"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vault"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// The custody event, its canonical form and its leaf are defined in
// bundle, which an offline verifier uses without a database.
type (
	// Action is a custody event's kind.
	Action = bundle.Action
	// Event is one custody step of one evidence item.
	Event = bundle.Event
)

// The custody actions.
const (
	Received         = bundle.Received
	Stored           = bundle.Stored
	Accessed         = bundle.Accessed
	Exported         = bundle.Exported
	CopyMade         = bundle.CopyMade
	IntegrityChecked = bundle.IntegrityChecked
)

// TimeLayout is the fixed-width UTC form of Event.At.
const TimeLayout = bundle.TimeLayout

// Actions lists every custody action, in lifecycle order.
func Actions() []Action { return bundle.Actions() }

// HashContent is "sha256:" and the hex SHA-256 of b.
func HashContent(b []byte) string { return bundle.HashContent(b) }

// Service stores and serves evidence.
type Service struct {
	db      *sqldb.DB
	records *record.Service
	store   *record.Store
	vault   *vault.Vault
	log     *ledger.Log
	now     func() time.Time
}

// New returns the evidence service. records must append revision leaves
// to log through its hook, so evidence records are attested too.
func New(db *sqldb.DB, records *record.Service, store *record.Store, v *vault.Vault, log *ledger.Log) *Service {
	return &Service{db: db, records: records, store: store, vault: v, log: log, now: time.Now}
}

// Vault is the vault the service stores in.
func (s *Service) Vault() *vault.Vault { return s.vault }

// Ledger is the log the service attests to.
func (s *Service) Ledger() *ledger.Log { return s.log }

// AddInput is one upload.
type AddInput struct {
	ReportID string
	Body     io.Reader
	// Name is the file's name as the sender gave it: a base name only. A
	// name with a path separator, "..", or control characters is refused.
	Name           string
	DeclaredSHA256 string
	DeclaredSize   int64
	Notes          string
	// Confidentiality defaults to "restricted".
	Confidentiality string
	// Actor and Purpose are who uploads and why (the change's reason).
	Actor   string
	Purpose string
}

// Added is the outcome of Add.
type Added struct {
	Record *record.Record
	Events []Event // the custody events this upload wrote
	// Existed: these bytes were already attached to this report; the
	// record is the existing one and only a "received" event was added.
	Existed bool
}

// Add stores an upload and attaches it to a report. Bad input — no such
// report, a bad name, a truncated upload, a hash that does not match, an
// upload over the limit — is an error and stores nothing new.
func (s *Service) Add(ctx context.Context, in AddInput) (*Added, error) {
	if err := s.checkAdd(ctx, in); err != nil {
		return nil, err
	}
	var meta vault.Metadata
	var skipped []string
	it, err := s.vault.Put(ctx, in.Body, vault.PutOptions{
		Name: in.Name, DeclaredSHA256: in.DeclaredSHA256, DeclaredSize: in.DeclaredSize,
		Inspect: func(path string, it vault.Item) { meta, skipped = vault.Extract(ctx, path, it.MIME) },
	})
	if err != nil {
		return nil, uploadError(err)
	}
	if it.Size == 0 {
		// A client that lost its body must not make evidence of nothing.
		return nil, record.Invalid("body", "empty", "the upload is empty; nothing was attached", "الملف المرفوع فارغ؛ لم يُرفق شيء")
	}
	received := fmt.Sprintf("%d bytes", it.Size)
	if in.DeclaredSHA256 != "" {
		received += ", declared sha256 matched"
	}
	if in.DeclaredSize > 0 {
		received += ", declared size matched"
	}

	// The same bytes already attached to this report: one record, and the
	// second arrival is on the record as a custody event.
	for attempt := 0; attempt < 2; attempt++ {
		if id, err := s.store.ByKey(ctx, record.EvidenceKey(in.ReportID, it.SHA256)); err == nil {
			rec, err := s.store.Get(ctx, id)
			if err != nil {
				return nil, err
			}
			if rec.Retracted {
				return nil, record.Invalid("body", "retracted", "these bytes are attached to this report as evidence "+id+", which is retracted: restore it instead",
					"هذه البايتات مرفقة بهذا التقرير كدليل "+id+" مسحوب: أعده بدلاً من رفعه مجدداً")
			}
			ev, err := s.Record(ctx, id, it.SHA256, Received, in.Actor, in.Purpose, received+", already attached")
			if err != nil {
				return nil, err
			}
			return &Added{Record: rec, Events: []Event{ev}, Existed: true}, nil
		}
		metaJSON, err := json.Marshal(meta)
		if err != nil {
			return nil, fmt.Errorf("evidence: metadata: %w", err)
		}
		body := &record.Evidence{
			ReportID: in.ReportID, SHA256: it.SHA256, Size: it.Size, MIME: it.MIME, Name: it.Name,
			Metadata: metaJSON, Skipped: skipped, Notes: in.Notes, Confidentiality: in.Confidentiality,
		}
		var events []Event
		recs, err := s.records.ApplyThen(ctx, record.Meta{Author: in.Actor, Reason: in.Purpose},
			[]record.Change{{Action: record.ActionCreate, Body: body}},
			func(ctx context.Context, tx *sqldb.Tx, recs []*record.Record) error {
				id := recs[0].ID
				stored := "vault key " + vault.Key(it.SHA256)
				if it.Existed {
					stored += "; the vault already held these bytes and compared them"
				}
				for _, e := range []struct {
					a      Action
					detail string
				}{{Received, received}, {Stored, stored}} {
					ev, err := s.append(ctx, tx, id, it.SHA256, e.a, in.Actor, in.Purpose, e.detail)
					if err != nil {
						return err
					}
					events = append(events, ev)
				}
				return nil
			})
		if errors.Is(err, record.ErrDuplicate) {
			continue // a concurrent upload of the same bytes won: use its record
		}
		if err != nil {
			return nil, err
		}
		return &Added{Record: recs[0], Events: events}, nil
	}
	return nil, fmt.Errorf("evidence: attach %s: lost a race twice", it.SHA256)
}

// CheckAdd refuses in.Body's metadata as Add would (the report, the name,
// the declared hash, who and why), without reading Body: an upload that
// arrives in pieces over hours is checked when it starts, not refused
// after the last piece.
func (s *Service) CheckAdd(ctx context.Context, in AddInput) error { return s.checkAdd(ctx, in) }

// checkAdd refuses bad input before a byte of the upload is read.
func (s *Service) checkAdd(ctx context.Context, in AddInput) error {
	var errs []record.FieldError
	fail := func(field, code, en, ar string) {
		errs = append(errs, record.FieldError{Field: field, Code: code, Message: en, MessageAR: ar})
	}
	switch {
	case strings.TrimSpace(in.Actor) == "":
		fail("author", "required", "is required: who uploads this file", "حقل مطلوب: من يرفع هذا الملف")
	case len(in.Actor) > maxActor:
		fail("author", "too_long", fmt.Sprintf("is longer than %d bytes", maxActor), fmt.Sprintf("أطول من %d بايت", maxActor))
	}
	switch {
	case strings.TrimSpace(in.Purpose) == "":
		fail("reason", "required", "is required: why this file is added", "حقل مطلوب: سبب إضافة هذا الملف")
	case len(in.Purpose) > maxPurpose:
		fail("reason", "too_long", fmt.Sprintf("is longer than %d bytes", maxPurpose), fmt.Sprintf("أطول من %d بايت", maxPurpose))
	}
	if msg, ar := CheckName(in.Name); msg != "" {
		fail("name", "invalid_name", msg, ar)
	}
	if in.Confidentiality != "" && !s.records.Vocab().Has(vocab.Confidentiality, in.Confidentiality) {
		fail("confidentiality", "unknown_code", "is not a code of the confidentiality vocabulary", "ليس رمزاً في مفردات درجة السرية")
	}
	if len(in.Notes) > maxNotes {
		fail("notes", "too_long", fmt.Sprintf("is longer than %d bytes", maxNotes), fmt.Sprintf("أطول من %d بايت", maxNotes))
	}
	if in.DeclaredSize < 0 {
		fail("size", "negative", "must not be negative", "يجب ألا يكون سالباً")
	}
	if d := strings.TrimSpace(in.DeclaredSHA256); d != "" && vault.Key(strings.ToLower(d)) == "" {
		fail("sha256", "invalid_hash", "must be 64 hex digits", "يجب أن يتكون من 64 رمزاً ست عشرياً")
	}
	if in.ReportID == "" {
		fail("report_id", "required", "is required", "حقل مطلوب")
	} else if rec, err := s.store.Get(ctx, in.ReportID); errors.Is(err, record.ErrNotFound) {
		return &record.NotFoundError{ID: in.ReportID}
	} else if err != nil {
		return err
	} else if rec.Type != record.TypeReport {
		fail("report_id", "wrong_type", "must be the id of a report", "يجب أن يكون معرّف تقرير")
	} else if rec.Retracted {
		fail("report_id", "retracted", "the report is retracted", "التقرير مسحوب")
	}
	if len(errs) > 0 {
		return &record.ValidationError{Errors: errs}
	}
	return nil
}

// Limits checked before an upload is read, the same the record service
// applies after: refusing late would leave bytes in the vault that no
// record describes.
const (
	maxNotes   = 4 << 20 // evidence notes
	maxActor   = 200     // a change's author
	maxPurpose = 4000    // a change's reason
)

// CheckName reports what is wrong with an upload's file name, or "";
// see bundle.CheckName.
func CheckName(name string) (en, ar string) { return bundle.CheckName(name) }

// uploadError turns the vault's refusals into input errors naming the part
// of the request at fault.
func uploadError(err error) error {
	switch {
	case errors.Is(err, vault.ErrTooLarge):
		return &TooLargeError{Err: err}
	case errors.Is(err, vault.ErrTruncated):
		return record.Invalid("body", "truncated", "the upload ended before its declared size; nothing was stored, send it again",
			"انقطع الرفع قبل اكتمال الحجم المعلن؛ لم يُحفظ شيء، أعد الإرسال")
	case errors.Is(err, vault.ErrHashMismatch):
		return record.Invalid("sha256", "hash_mismatch", "the uploaded bytes do not match the declared SHA-256; nothing was stored",
			"البايتات المرفوعة لا تطابق بصمة SHA-256 المعلنة؛ لم يُحفظ شيء")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return record.Invalid("body", "truncated", "the upload ended before it was complete; nothing was stored, send it again",
			"انقطع الرفع قبل اكتماله؛ لم يُحفظ شيء، أعد الإرسال")
	case errors.Is(err, vault.ErrBadHash):
		return record.Invalid("sha256", "invalid_hash", "must be 64 hex digits", "يجب أن يتكون من 64 رمزاً ست عشرياً")
	}
	return err
}

// ErrLost: the evidence record exists but the vault has no bytes for it.
// Evidence is lost: alert an operator, run audit, restore from a backup.
// It is never "not found": the record says the bytes were received.
var ErrLost = errors.New("evidence: the original is missing from the vault")

// lost turns the vault's "not found" for a recorded item into ErrLost.
func lost(err error, sha string) error {
	if errors.Is(err, vault.ErrNotFound) {
		return fmt.Errorf("%w: sha256:%s", ErrLost, sha)
	}
	return err
}

// TooLargeError is an upload over the size limit (HTTP 413).
type TooLargeError struct{ Err error }

func (e *TooLargeError) Error() string { return "evidence: " + e.Err.Error() }
func (e *TooLargeError) Unwrap() error { return e.Err }

// Record appends one custody event for an evidence item, with its leaf, in
// a transaction of its own.
func (s *Service) Record(ctx context.Context, id, sha string, a Action, actor, purpose, detail string) (Event, error) {
	var ev Event
	err := s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		ev, err = s.append(ctx, tx, id, sha, a, actor, purpose, detail)
		return err
	})
	return ev, err
}

// append writes the next custody event of id and its leaf inside tx.
func (s *Service) append(ctx context.Context, tx *sqldb.Tx, id, sha string, a Action, actor, purpose, detail string) (Event, error) {
	var last sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT MAX(seq) FROM custody_events WHERE evidence_id = $1`, id).Scan(&last); err != nil {
		return Event{}, fmt.Errorf("evidence: custody of %s: %w", id, err)
	}
	// Invalid UTF-8 would not survive a JSON round trip, and the hash must.
	valid := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	ev := Event{
		EvidenceID: id, Seq: last.Int64 + 1, SHA256: sha, Action: a,
		Actor: valid(actor), Purpose: valid(purpose), Detail: valid(detail),
		At: s.now().UTC().Format(TimeLayout),
	}
	ev.ContentHash = HashContent(ev.Canonical())
	if _, err := tx.Exec(ctx, `INSERT INTO custody_events
		(evidence_id, seq, sha256, action, actor, purpose, detail, at, content_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ev.EvidenceID, ev.Seq, ev.SHA256, string(ev.Action), ev.Actor, ev.Purpose, ev.Detail, ev.At, ev.ContentHash); err != nil {
		return Event{}, fmt.Errorf("evidence: custody of %s: %w", id, err)
	}
	idx, err := s.log.Append(ctx, tx, ev.Leaf())
	if err != nil {
		return Event{}, fmt.Errorf("evidence: custody of %s: %w", id, err)
	}
	ev.LedgerIndex = idx
	return ev, nil
}

// Get returns the current evidence record and its body.
func (s *Service) Get(ctx context.Context, id string) (*record.Record, *record.Evidence, error) {
	rec, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if rec.Type != record.TypeEvidence {
		return nil, nil, &record.NotFoundError{ID: id}
	}
	b, err := rec.Decode()
	if err != nil {
		return nil, nil, fmt.Errorf("evidence: decode %s: %w", id, err)
	}
	return rec, b.(*record.Evidence), nil
}

// Custody lists an item's custody events in order, each with its leaf's
// index.
func (s *Service) Custody(ctx context.Context, id string) ([]Event, error) {
	if _, _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT c.evidence_id, c.seq, c.sha256, c.action, c.actor, c.purpose, c.detail, c.at, c.content_hash,
		COALESCE(l.idx, -1)
		FROM custody_events c LEFT JOIN ledger_leaves l ON l.kind = 'custody' AND l.item_id = c.evidence_id AND l.number = c.seq
		WHERE c.evidence_id = $1 ORDER BY c.seq`, id)
	if err != nil {
		return nil, fmt.Errorf("evidence: custody of %s: %w", id, err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.EvidenceID, &e.Seq, &e.SHA256, &e.Action, &e.Actor, &e.Purpose, &e.Detail, &e.At, &e.ContentHash, &e.LedgerIndex); err != nil {
			return nil, fmt.Errorf("evidence: custody of %s: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Open records an "accessed" event and returns the original's bytes. The
// reader re-hashes what it serves and fails at the end with
// vault.ErrCorrupt if the bytes are not the original's; the caller must
// treat what it read as damaged then.
func (s *Service) Open(ctx context.Context, id, actor, purpose string) (io.ReadCloser, *record.Evidence, error) {
	if err := checkWho(actor, purpose); err != nil {
		return nil, nil, err
	}
	_, ev, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	rc, _, err := s.vault.Open(ctx, ev.SHA256)
	if err != nil {
		return nil, nil, lost(err, ev.SHA256)
	}
	if _, err := s.Record(ctx, id, ev.SHA256, Accessed, actor, purpose, "original read"); err != nil {
		rc.Close()
		return nil, nil, err
	}
	return &checkedReader{rc: rc, h: sha256.New(), want: ev.SHA256}, ev, nil
}

// OpenCopy returns the bytes of a working copy listed on the record. No
// custody event: a published copy carries nothing the original's chain
// protects.
func (s *Service) OpenCopy(ctx context.Context, id, sha string) (io.ReadCloser, *record.Derivative, error) {
	_, ev, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	for i := range ev.Derivatives {
		d := &ev.Derivatives[i]
		if d.SHA256 == sha {
			rc, _, err := s.vault.Open(ctx, sha)
			if err != nil {
				return nil, nil, lost(err, sha)
			}
			return &checkedReader{rc: rc, h: sha256.New(), want: sha}, d, nil
		}
	}
	return nil, nil, &record.NotFoundError{ID: id + "/copies/" + sha}
}

func checkWho(actor, purpose string) error {
	var errs []record.FieldError
	switch {
	case strings.TrimSpace(actor) == "":
		errs = append(errs, record.FieldError{Field: "author", Code: "required", Message: "is required: who reads the original", MessageAR: "حقل مطلوب: من يطّلع على الأصل"})
	case len(actor) > maxActor:
		errs = append(errs, record.FieldError{Field: "author", Code: "too_long", Message: fmt.Sprintf("is longer than %d bytes", maxActor), MessageAR: fmt.Sprintf("أطول من %d بايت", maxActor)})
	}
	switch {
	case strings.TrimSpace(purpose) == "":
		errs = append(errs, record.FieldError{Field: "purpose", Code: "required", Message: "is required: why the original is read", MessageAR: "حقل مطلوب: سبب الاطلاع على الأصل"})
	case len(purpose) > maxPurpose:
		errs = append(errs, record.FieldError{Field: "purpose", Code: "too_long", Message: fmt.Sprintf("is longer than %d bytes", maxPurpose), MessageAR: fmt.Sprintf("أطول من %d بايت", maxPurpose)})
	}
	if len(errs) > 0 {
		return &record.ValidationError{Errors: errs}
	}
	return nil
}

type checkedReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
}

func (c *checkedReader) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(c.h.Sum(nil)); got != c.want {
			return n, fmt.Errorf("evidence: sha256:%s: the stored bytes hash to %s: %w", c.want, got, vault.ErrCorrupt)
		}
	}
	return n, err
}

func (c *checkedReader) Close() error { return c.rc.Close() }

// PublishedCopy makes (or finds) the copy of a JPEG or PNG original with
// its identifying metadata removed, lists it on the record and records a
// "copy_made" event. Other types are vault.ErrUnsupported.
func (s *Service) PublishedCopy(ctx context.Context, id, actor, purpose string) (*record.Record, record.Derivative, error) {
	if err := checkWho(actor, purpose); err != nil {
		return nil, record.Derivative{}, err
	}
	for attempt := 0; ; attempt++ {
		rec, ev, err := s.Get(ctx, id)
		if err != nil {
			return nil, record.Derivative{}, err
		}
		d, err := s.vault.PublishedCopy(ctx, ev.SHA256)
		if err != nil {
			return nil, record.Derivative{}, lost(err, ev.SHA256)
		}
		rd := record.Derivative{SHA256: d.SHA256, Size: d.Size, MIME: ev.MIME, Transformation: d.Transformation}
		for _, have := range ev.Derivatives {
			if have.SHA256 == rd.SHA256 && have.Transformation == rd.Transformation {
				return rec, have, nil
			}
		}
		ev.Derivatives = append(ev.Derivatives, rd)
		detail := "sha256:" + d.SHA256 + " by " + d.Transformation
		recs, err := s.records.ApplyThen(ctx, record.Meta{Author: actor, Reason: purpose},
			[]record.Change{{Action: record.ActionUpdate, ID: id, BaseRevision: rec.Revision, Body: ev}},
			func(ctx context.Context, tx *sqldb.Tx, _ []*record.Record) error {
				_, err := s.append(ctx, tx, id, ev.SHA256, CopyMade, actor, purpose, detail)
				return err
			})
		if errors.Is(err, record.ErrConflict) && attempt < 3 {
			continue // the record changed meanwhile: read it again
		}
		if err != nil {
			return nil, record.Derivative{}, err
		}
		return recs[0], rd, nil
	}
}

// Check re-hashes an item's stored original and records the outcome as an
// "integrity_checked" event. A damaged original is vault.ErrCorrupt, after
// the failed check is on record.
func (s *Service) Check(ctx context.Context, id, actor string) (Event, error) {
	if err := checkWho(actor, "integrity check"); err != nil {
		return Event{}, err
	}
	_, ev, err := s.Get(ctx, id)
	if err != nil {
		return Event{}, err
	}
	verr := s.vault.Verify(ctx, ev.SHA256)
	detail := "ok: the stored bytes hash to sha256:" + ev.SHA256
	switch {
	case errors.Is(verr, vault.ErrCorrupt):
		detail = "failed: the stored bytes no longer hash to sha256:" + ev.SHA256
	case errors.Is(verr, vault.ErrNotFound):
		detail = "failed: the vault has no bytes for sha256:" + ev.SHA256
	case verr != nil:
		return Event{}, verr
	}
	e, err := s.Record(ctx, id, ev.SHA256, IntegrityChecked, actor, "integrity check", detail)
	if err != nil {
		return Event{}, err
	}
	return e, lost(verr, ev.SHA256)
}
