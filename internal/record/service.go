package record

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Meta is who makes a change and why. Both are required: history without
// a reason cannot be defended.
type Meta struct {
	Author string
	Reason string
}

// Change is one step of a batch.
type Change struct {
	Action Action
	// ID is the record to update, retract or restore; for a create it may
	// name the new record's id (seeded actors use their code), else the
	// service makes one.
	ID string
	// BaseRevision is the revision the caller last saw; required for every
	// action but create.
	BaseRevision int
	// Body is the record's new content (create and update only).
	Body Body
}

// Hook runs inside the transaction of every revision, after it is written,
// so other parts (the ledger, the search index) commit with it or not at
// all. A hook's error rolls the whole change back.
type Hook func(ctx context.Context, tx *sqldb.Tx, rev *Revision) error

// Service is the only way to create or change a record.
type Service struct {
	db    *sqldb.DB
	vocab *vocab.Set
	now   func() time.Time
	hooks []Hook
	// sealer encrypts sealed parts; nil refuses bodies that carry one.
	sealer Sealer
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithHook adds a hook run inside every revision's transaction.
func WithHook(h Hook) Option { return func(s *Service) { s.hooks = append(s.hooks, h) } }

// NewService returns the mutation service over db, validating against vs.
func NewService(db *sqldb.DB, vs *vocab.Set, opts ...Option) *Service {
	s := &Service{db: db, vocab: vs, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Vocab is the vocabulary set the service validates against.
func (s *Service) Vocab() *vocab.Set { return s.vocab }

// Create adds a new record.
func (s *Service) Create(ctx context.Context, m Meta, b Body) (*Record, error) {
	return s.one(ctx, m, Change{Action: ActionCreate, Body: b})
}

// Update writes a new revision of record id, based on revision base.
func (s *Service) Update(ctx context.Context, m Meta, id string, base int, b Body) (*Record, error) {
	return s.one(ctx, m, Change{Action: ActionUpdate, ID: id, BaseRevision: base, Body: b})
}

// Retract marks record id as withdrawn; its history stays.
func (s *Service) Retract(ctx context.Context, m Meta, id string, base int) (*Record, error) {
	return s.one(ctx, m, Change{Action: ActionRetract, ID: id, BaseRevision: base})
}

// Restore undoes a retraction.
func (s *Service) Restore(ctx context.Context, m Meta, id string, base int) (*Record, error) {
	return s.one(ctx, m, Change{Action: ActionRestore, ID: id, BaseRevision: base})
}

func (s *Service) one(ctx context.Context, m Meta, c Change) (*Record, error) {
	recs, err := s.Apply(ctx, m, []Change{c})
	if err != nil {
		return nil, err
	}
	return recs[0], nil
}

// Apply makes every change of the batch in one transaction: all of them
// are written, or none. Changes may refer to records created earlier in
// the same batch.
func (s *Service) Apply(ctx context.Context, m Meta, changes []Change) ([]*Record, error) {
	return s.ApplyThen(ctx, m, changes, nil)
}

// ApplyThen is Apply with a function run in the same transaction after the
// changes are written (and their hooks have run): what it writes commits
// with the records or not at all, and its error rolls everything back.
// The evidence service uses it to record custody with the record.
func (s *Service) ApplyThen(ctx context.Context, m Meta, changes []Change,
	then func(ctx context.Context, tx *sqldb.Tx, recs []*Record) error) ([]*Record, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	if len(changes) == 0 {
		return nil, Invalid("changes", "required", "at least one change is needed", "يلزم تعديل واحد على الأقل")
	}
	now := s.now().UTC().Round(0)
	batch := NewID(now)
	out := make([]*Record, len(changes))
	err := s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		for i, c := range changes {
			prefix := "record"
			if len(changes) > 1 {
				prefix = fmt.Sprintf("changes[%d].record", i)
			}
			rec, err := s.apply(ctx, tx, m, c, now, batch, prefix)
			if err != nil {
				return err
			}
			out[i] = rec
		}
		if then != nil {
			return then(ctx, tx, out)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (m Meta) validate() error {
	var errs []FieldError
	check := func(field, val string, max int) {
		switch {
		case strings.TrimSpace(val) == "":
			errs = append(errs, FieldError{field, "required", "is required", "حقل مطلوب"})
		case len(val) > max:
			errs = append(errs, FieldError{field, "too_long", fmt.Sprintf("is longer than %d bytes", max), fmt.Sprintf("أطول من %d بايت", max)})
		}
	}
	check("author", m.Author, 200)
	check("reason", m.Reason, 4000)
	if len(errs) > 0 {
		return &ValidationError{Errors: errs}
	}
	return nil
}

// apply writes one change inside tx.
func (s *Service) apply(ctx context.Context, tx *sqldb.Tx, m Meta, c Change, now time.Time, batch, prefix string) (*Record, error) {
	switch c.Action {
	case ActionCreate:
		return s.create(ctx, tx, m, c, now, batch, prefix)
	case ActionUpdate, ActionRetract, ActionRestore:
		return s.change(ctx, tx, m, c, now, batch, prefix)
	}
	return nil, Invalid("action", "unknown_action", fmt.Sprintf("%q is not an action", clip(string(c.Action))),
		fmt.Sprintf("«%s» ليس إجراءً معروفاً", clip(string(c.Action))))
}

// prepared is a validated body ready to be written.
type prepared struct {
	canonical []byte
	hash      string
	index     Index
	refs      []ref
}

// prepare fills defaults, validates the body and checks its references
// inside the transaction, so a record never points at nothing.
//
// A sealed part in clear is encrypted for record id (and the body changed
// in place); prev is the body of the revision before, nil for a create.
func (s *Service) prepare(ctx context.Context, tx *sqldb.Tx, id string, b Body, prev Body, prefix string) (*prepared, error) {
	if b == nil {
		return nil, Invalid(prefix, "required", "is required", "حقل مطلوب")
	}
	if d, ok := b.(defaulter); ok {
		d.applyDefaults()
	}
	if err := resolveSealed(b, prev, prev == nil); err != nil {
		return nil, withPrefix(err, prefix)
	}
	v := NewValidator(s.vocab)
	b.Validate(v)
	if err := v.Err(); err != nil {
		return nil, withPrefix(err, prefix)
	}
	for _, r := range v.refs {
		var typ Type
		var retracted int
		err := tx.QueryRow(ctx, `SELECT type, retracted FROM records WHERE id = $1`, r.id).Scan(&typ, &retracted)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Fail(r.field, "unknown_reference", fmt.Sprintf("no record with id %s", r.id), fmt.Sprintf("لا يوجد سجل بالمعرّف %s", r.id))
		case err != nil:
			return nil, fmt.Errorf("record: check reference: %w", err)
		case len(r.types) > 0 && !hasType(r.types, typ):
			v.Fail(r.field, "wrong_reference", fmt.Sprintf("record %s is a %s, not a %s", r.id, typ, joinTypes(r.types)),
				fmt.Sprintf("السجل %s من نوع %s وليس %s", r.id, typ, joinTypes(r.types)))
		case retracted == 1:
			v.Fail(r.field, "retracted_reference", fmt.Sprintf("record %s is retracted", r.id), fmt.Sprintf("السجل %s مسحوب", r.id))
		}
	}
	if err := v.Err(); err != nil {
		return nil, withPrefix(err, prefix)
	}
	if err := s.sealPart(ctx, tx, id, b, prev); err != nil {
		return nil, err
	}
	canon, err := Canonical(b)
	if err != nil {
		return nil, err
	}
	return &prepared{canonical: canon, hash: ContentHash(canon), index: b.Index(), refs: v.refs}, nil
}

func (s *Service) create(ctx context.Context, tx *sqldb.Tx, m Meta, c Change, now time.Time, batch, prefix string) (*Record, error) {
	id := c.ID
	if id == "" {
		id = NewID(now)
	} else if !ValidID(id) {
		return nil, Invalid("id", "invalid_id", "is not a valid record id (2–64 letters, digits, _ or -)", "ليس معرّف سجل صالحاً")
	}
	p, err := s.prepare(ctx, tx, id, c.Body, nil, prefix)
	if err != nil {
		return nil, err
	}
	ts := now.Format(time.RFC3339Nano)
	ix := p.index
	_, err = tx.Exec(ctx, `INSERT INTO records (id, type, revision, retracted, body, content_hash, title,
		date_start, date_end, status, created_at, created_by, updated_at, updated_by)
		VALUES ($1, $2, 1, 0, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10)`,
		id, string(c.Body.Type()), string(p.canonical), p.hash, ix.Title, ix.DateStart, ix.DateEnd, ix.Status, ts, m.Author)
	if err != nil {
		if isUniqueViolation(err) {
			return nil, Invalid("id", "taken", fmt.Sprintf("a record with id %s already exists", id), fmt.Sprintf("يوجد سجل بالمعرّف %s", id))
		}
		return nil, fmt.Errorf("record: insert %s: %w", id, err)
	}
	rev := &Revision{RecordID: id, Revision: 1, Type: c.Body.Type(), Action: ActionCreate, Body: p.canonical,
		ContentHash: p.hash, Author: m.Author, Reason: m.Reason, CreatedAt: now, BatchID: batch}
	if err := s.writeRevision(ctx, tx, rev, p, true); err != nil {
		return nil, err
	}
	return &Record{ID: id, Type: rev.Type, Revision: 1, Body: p.canonical, ContentHash: p.hash, Title: ix.Title,
		CreatedAt: now, CreatedBy: m.Author, UpdatedAt: now, UpdatedBy: m.Author}, nil
}

func (s *Service) change(ctx context.Context, tx *sqldb.Tx, m Meta, c Change, now time.Time, batch, prefix string) (*Record, error) {
	cur, err := getRecord(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	if c.BaseRevision <= 0 {
		return nil, Invalid("base_revision", "required", "is required: the revision this change is based on",
			"مطلوب: رقم المراجعة التي بُني عليها التعديل")
	}
	if c.BaseRevision != cur.Revision {
		return nil, &ConflictError{ID: c.ID, Base: c.BaseRevision, Current: cur.Revision, Conflict: "stale"}
	}
	rev := &Revision{RecordID: cur.ID, Revision: cur.Revision + 1, Type: cur.Type, Action: c.Action,
		Retracted: cur.Retracted, Author: m.Author, Reason: m.Reason, CreatedAt: now, BatchID: batch}
	var p *prepared
	switch c.Action {
	case ActionUpdate:
		if cur.Retracted {
			return nil, &ConflictError{ID: c.ID, Base: c.BaseRevision, Current: cur.Revision, Conflict: "retracted"}
		}
		if c.Body != nil && c.Body.Type() != cur.Type {
			return nil, Invalid(prefix, "wrong_type", fmt.Sprintf("record %s is a %s, not a %s", cur.ID, cur.Type, c.Body.Type()),
				fmt.Sprintf("السجل %s من نوع %s وليس %s", cur.ID, cur.Type, c.Body.Type()))
		}
		var prev Body
		if c.Body != nil {
			if prev, err = cur.Decode(); err != nil {
				return nil, fmt.Errorf("record: %s: decode current body: %w", cur.ID, err)
			}
		}
		if p, err = s.prepare(ctx, tx, cur.ID, c.Body, prev, prefix); err != nil {
			return nil, err
		}
		rev.Body, rev.ContentHash = p.canonical, p.hash
	case ActionRetract, ActionRestore:
		if cur.Retracted == (c.Action == ActionRetract) {
			kind := "retracted"
			if c.Action == ActionRestore {
				kind = "not_retracted"
			}
			return nil, &ConflictError{ID: c.ID, Base: c.BaseRevision, Current: cur.Revision, Conflict: kind}
		}
		rev.Retracted = c.Action == ActionRetract
		rev.Body, rev.ContentHash = cur.Body, cur.ContentHash
	}
	ts := now.Format(time.RFC3339Nano)
	var res interface{ RowsAffected() (int64, error) }
	if p != nil {
		ix := p.index
		res, err = tx.Exec(ctx, `UPDATE records SET revision = $1, body = $2, content_hash = $3, title = $4,
			date_start = $5, date_end = $6, status = $7, updated_at = $8, updated_by = $9
			WHERE id = $10 AND revision = $11`,
			rev.Revision, string(p.canonical), p.hash, ix.Title, ix.DateStart, ix.DateEnd, ix.Status, ts, m.Author, cur.ID, cur.Revision)
	} else {
		res, err = tx.Exec(ctx, `UPDATE records SET revision = $1, retracted = $2, updated_at = $3, updated_by = $4
			WHERE id = $5 AND revision = $6`, rev.Revision, boolInt(rev.Retracted), ts, m.Author, cur.ID, cur.Revision)
	}
	if err != nil {
		return nil, fmt.Errorf("record: update %s: %w", cur.ID, err)
	}
	// The revision check in WHERE is what makes a lost update impossible
	// even if two writers read the same revision.
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, &ConflictError{ID: c.ID, Base: c.BaseRevision, Current: cur.Revision + 1, Conflict: "stale"}
	}
	if err := s.writeRevision(ctx, tx, rev, p, false); err != nil {
		return nil, err
	}
	next := *cur
	next.Revision, next.Retracted, next.Body, next.ContentHash = rev.Revision, rev.Retracted, rev.Body, rev.ContentHash
	next.UpdatedAt, next.UpdatedBy = now, m.Author
	if p != nil {
		next.Title = p.index.Title
	}
	return &next, nil
}

// writeRevision appends the revision, rewrites the record's terms and
// references when its body changed, claims its keys and runs the hooks.
func (s *Service) writeRevision(ctx context.Context, tx *sqldb.Tx, rev *Revision, p *prepared, fresh bool) error {
	_, err := tx.Exec(ctx, `INSERT INTO revisions (record_id, revision, type, action, retracted, body,
		content_hash, author, reason, created_at, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		rev.RecordID, rev.Revision, string(rev.Type), string(rev.Action), boolInt(rev.Retracted), string(rev.Body),
		rev.ContentHash, rev.Author, rev.Reason, rev.CreatedAt.Format(time.RFC3339Nano), rev.BatchID)
	if err != nil {
		return fmt.Errorf("record: append revision %s/%d: %w", rev.RecordID, rev.Revision, err)
	}
	if p != nil {
		if err := writeIndex(ctx, tx, rev.RecordID, p, fresh); err != nil {
			return err
		}
	}
	for _, h := range s.hooks {
		if err := h(ctx, tx, rev); err != nil {
			return err
		}
	}
	return nil
}

// writeIndex replaces the record's terms, references and keys; fresh
// means the record is new and has none to remove.
func writeIndex(ctx context.Context, tx *sqldb.Tx, id string, p *prepared, fresh bool) error {
	if !fresh {
		if _, err := tx.Exec(ctx, `DELETE FROM record_terms WHERE record_id = $1`, id); err != nil {
			return fmt.Errorf("record: terms %s: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM record_refs WHERE record_id = $1`, id); err != nil {
			return fmt.Errorf("record: refs %s: %w", id, err)
		}
	}
	for _, t := range p.index.Terms {
		if _, err := tx.Exec(ctx, `INSERT INTO record_terms (record_id, field, value) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, id, t.Field, t.Value); err != nil {
			return fmt.Errorf("record: terms %s: %w", id, err)
		}
	}
	for _, r := range p.refs {
		field := r.field
		if i := strings.IndexByte(field, '['); i >= 0 {
			field = field[:i]
		}
		if _, err := tx.Exec(ctx, `INSERT INTO record_refs (record_id, field, target_id) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, id, field, r.id); err != nil {
			return fmt.Errorf("record: refs %s: %w", id, err)
		}
	}
	for _, k := range p.index.Keys {
		res, err := tx.Exec(ctx, `INSERT INTO record_keys (key, record_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, k, id)
		if err != nil {
			return fmt.Errorf("record: key %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var owner string
			if err := tx.QueryRow(ctx, `SELECT record_id FROM record_keys WHERE key = $1`, k).Scan(&owner); err != nil {
				return fmt.Errorf("record: key %s: %w", id, err)
			}
			if owner != id {
				return &DuplicateError{Key: k, RecordID: owner}
			}
		}
	}
	return nil
}

func withPrefix(err error, prefix string) error {
	var ve *ValidationError
	if !errors.As(err, &ve) || prefix == "" {
		return err
	}
	out := &ValidationError{Errors: make([]FieldError, len(ve.Errors))}
	for i, f := range ve.Errors {
		f.Field = prefix + "." + f.Field
		out.Errors[i] = f
	}
	return out
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint") || strings.Contains(msg, "duplicate key value")
}

func hasType(ts []Type, t Type) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

func joinTypes(ts []Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, " or ")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
