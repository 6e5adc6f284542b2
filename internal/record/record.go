// Package record holds Tawthiq's domain model (incidents, acts, victims,
// actors, sources, reports, claims, assessments), its validation, and the
// mutation service that is the only way to create or change a record.
//
// Invariant: a record is never overwritten or deleted. Every change writes a
// new immutable revision with author, time and reason, in the same
// transaction as the record's current state; retraction is a revision too.
package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Type names a kind of record.
type Type string

// The record types.
const (
	TypeIncident    Type = "incident"
	TypeAct         Type = "act"
	TypePerson      Type = "person"
	TypeVictimGroup Type = "victim_group"
	TypeActor       Type = "actor"
	TypeInvolvement Type = "involvement"
	TypeSource      Type = "source"
	TypeReport      Type = "report"
	TypeClaim       Type = "claim"
	TypeAssessment  Type = "assessment"
)

// Types lists every record type in a stable order.
func Types() []Type {
	return []Type{TypeIncident, TypeAct, TypePerson, TypeVictimGroup, TypeActor,
		TypeInvolvement, TypeSource, TypeReport, TypeClaim, TypeAssessment, TypeEvidence}
}

// New returns an empty body of the type, or false for an unknown type.
func New(t Type) (Body, bool) {
	switch t {
	case TypeIncident:
		return &Incident{}, true
	case TypeAct:
		return &Act{}, true
	case TypePerson:
		return &Person{}, true
	case TypeVictimGroup:
		return &VictimGroup{}, true
	case TypeActor:
		return &Actor{}, true
	case TypeInvolvement:
		return &Involvement{}, true
	case TypeSource:
		return &Source{}, true
	case TypeReport:
		return &Report{}, true
	case TypeClaim:
		return &Claim{}, true
	case TypeAssessment:
		return &Assessment{}, true
	case TypeEvidence:
		return &Evidence{}, true
	}
	return nil, false
}

// Body is the content of one record type.
type Body interface {
	// Type is the record type the body belongs to.
	Type() Type
	// Validate reports every broken rule to v, with field names relative to
	// the body (the caller prefixes them).
	Validate(v *Validator)
	// Index is what the record is listed, filtered and deduplicated by.
	Index() Index
}

// defaulter is a body that fills defaults (grading "pending", …) before it
// is validated.
type defaulter interface{ applyDefaults() }

// Index is what the store keeps beside a body so records can be found
// without decoding every body.
type Index struct {
	Title     string
	DateStart string // YYYY-MM-DD or ""
	DateEnd   string
	Status    string
	Terms     []Term
	// Keys are unique across all records (e.g. "report.sha256:<hex>").
	Keys []string
}

// Term is a value a record can be filtered by.
type Term struct{ Field, Value string }

// Record is the current state of one record.
type Record struct {
	ID          string          `json:"id"`
	Type        Type            `json:"type"`
	Revision    int             `json:"revision"`
	Retracted   bool            `json:"retracted"`
	Body        json.RawMessage `json:"record"`
	ContentHash string          `json:"content_hash"`
	Title       string          `json:"title,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	CreatedBy   string          `json:"created_by"`
	UpdatedAt   time.Time       `json:"updated_at"`
	UpdatedBy   string          `json:"updated_by"`
}

// Decode parses the record's body into its typed form.
func (r *Record) Decode() (Body, error) { return DecodeBody(r.Type, r.Body) }

// Action is what a revision did.
type Action string

// The actions.
const (
	ActionCreate  Action = "create"
	ActionUpdate  Action = "update"
	ActionRetract Action = "retract"
	ActionRestore Action = "restore"
)

// Revision is one immutable step in a record's history.
type Revision struct {
	RecordID    string          `json:"record_id"`
	Revision    int             `json:"revision"`
	Type        Type            `json:"type"`
	Action      Action          `json:"action"`
	Retracted   bool            `json:"retracted"`
	Body        json.RawMessage `json:"record"`
	ContentHash string          `json:"content_hash"`
	Author      string          `json:"author"`
	Reason      string          `json:"reason"`
	CreatedAt   time.Time       `json:"created_at"`
	BatchID     string          `json:"batch_id"`
}

// DecodeBody parses JSON into the body of type t. Unknown fields and wrong
// JSON types are validation errors naming the field.
func DecodeBody(t Type, data []byte) (Body, error) {
	b, ok := New(t)
	if !ok {
		return nil, Invalid("type", "unknown_type", fmt.Sprintf("%q is not a record type", clip(string(t))),
			fmt.Sprintf("«%s» ليس نوع سجل معروفاً", clip(string(t))))
	}
	if err := DecodeStrict(data, b, "record"); err != nil {
		return nil, err
	}
	return b, nil
}

// DecodeStrict decodes one JSON value into dst, refusing unknown fields and
// trailing data; errors are *ValidationError naming the field under prefix.
func DecodeStrict(data []byte, dst any, prefix string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, prefix)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Invalid(prefix, "malformed_json", "has data after the JSON value", "توجد بيانات بعد قيمة JSON")
	}
	return nil
}

// jsonError turns a decoding error into a field error without quoting input.
func jsonError(err error, prefix string) error {
	join := func(f string) string {
		if f == "" {
			return prefix
		}
		if prefix == "" {
			return f
		}
		return prefix + "." + f
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return Invalid(prefix, "malformed_json", fmt.Sprintf("is not valid JSON (at byte %d)", syn.Offset),
			fmt.Sprintf("ليس JSON صالحاً (عند البايت %d)", syn.Offset))
	case errors.As(err, &typ):
		return Invalid(join(typ.Field), "wrong_type", fmt.Sprintf("must be a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value),
			fmt.Sprintf("يجب أن يكون من النوع %s في JSON", jsonKind(typ.Type.Kind().String())))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Invalid(prefix, "malformed_json", "is empty or cut short", "فارغ أو مبتور")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Invalid(join(clip(name)), "unknown_field", "is not a known field", "ليس حقلاً معروفاً")
	}
	return Invalid(prefix, "malformed_json", "could not be read as JSON", "تعذّرت قراءته بصيغة JSON")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "float64":
		return "number"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	case "bool":
		return "boolean"
	}
	return goKind
}

// Canonical is the byte form a body is stored and hashed in: encoding/json
// of the typed struct, so field order is fixed and maps are sorted.
func Canonical(b Body) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return nil, fmt.Errorf("record: encode %s: %w", b.Type(), err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// ContentHash is "sha256:" and the hex SHA-256 of the canonical body.
func ContentHash(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return "sha256:" + hex.EncodeToString(sum[:])
}
