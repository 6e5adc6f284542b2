package record

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Sealed fields. A source's identity, a victim's identifying details and
// a report's reporter (their name, contact, exact position and network
// address) are a body's sealed part: the service encrypts the part with
// the record's data key before anything is written, and stores only the
// envelope, in the body under "sealed". Content hashes, ledger leaves,
// search and every list see the envelope, never the plaintext.
//
// Writing: a body that carries its sealed part in clear replaces the
// sealed part; a body without it keeps the sealed part of the revision
// before (so a role that cannot read the part can still edit the rest);
// an empty part ({}) removes it. An envelope sent by a client is never
// trusted: it is ignored on update and refused on create.
//
// Reading: Unseal puts the part back in clear for roles cleared for it;
// the others see the envelope, ciphertext that the content hash and the
// ledger attest.

// Sealed is the stored form of a body's sealed part.
type Sealed struct {
	V     int    `json:"v"`
	Alg   string `json:"alg,omitempty"`
	Nonce []byte `json:"nonce,omitempty"`
	CT    []byte `json:"ct,omitempty"`
}

// Sealer encrypts and decrypts sealed parts with a record's data key.
type Sealer interface {
	// Seal encrypts plaintext for record id inside tx (a new record's
	// data key is stored in tx).
	Seal(ctx context.Context, tx *sqldb.Tx, id string, plaintext []byte) (*Sealed, error)
	// Open decrypts what Seal returned for record id.
	Open(ctx context.Context, id string, s *Sealed) ([]byte, error)
}

// WithSealer gives the service the organisation keyring.
func WithSealer(s Sealer) Option { return func(sv *Service) { sv.sealer = s } }

// ErrNoSealer means a body carries sealed fields and the service has no
// keyring to seal them with.
var ErrNoSealer = errors.New("record: sealed fields need the organisation key, which is not loaded")

// ErrSealedLocked means the organisation key is loaded but locked: sealed
// parts can be written for new records, not read.
var ErrSealedLocked = errors.New("record: the organisation key is locked")

// ErrSealedDamaged means a sealed part does not decrypt: it was altered,
// or its data key is missing.
var ErrSealedDamaged = errors.New("record: a sealed part does not decrypt")

// sealedBody is a body with a sealed part.
type sealedBody interface {
	Body
	// SealedField is the JSON name of the sealed part ("identity").
	SealedField() string
	sealedPart() any // nil when the body does not carry it in clear
	setSealedPart(raw []byte) error
	clearSealedPart()
	envelope() **Sealed
}

// SealedField returns the JSON name of a record type's sealed part, or ""
// for types without one.
func SealedField(t Type) string {
	b, ok := New(t)
	if !ok {
		return ""
	}
	if sb, ok := b.(sealedBody); ok {
		return sb.SealedField()
	}
	return ""
}

// HasSealed reports whether a stored body carries a sealed part.
func HasSealed(body []byte) bool {
	var probe struct {
		Sealed *json.RawMessage `json:"sealed"`
	}
	return json.Unmarshal(body, &probe) == nil && probe.Sealed != nil
}

// resolveSealed decides the envelope of a body about to be written, before
// it is validated: a client's envelope is dropped, and when the body has
// no part in clear the envelope of prev (the revision before, nil for a
// create) is carried forward.
func resolveSealed(b Body, prev Body, create bool) error {
	sb, ok := b.(sealedBody)
	if !ok {
		return nil
	}
	env := sb.envelope()
	if *env != nil && create {
		return Invalid(sb.SealedField(), "read_only", "\"sealed\" cannot be sent: send the sealed fields in clear and the server seals them",
			"لا يمكن إرسال «sealed»: أرسل الحقول المختومة نصاً واضحاً ويختمها الخادم")
	}
	*env = nil
	if sb.sealedPart() != nil || prev == nil {
		return nil
	}
	if p, ok := prev.(sealedBody); ok {
		*env = *p.envelope()
	}
	return nil
}

// sealPart encrypts a body's part in clear, if it has one, after the body
// is validated. prevEnv is the envelope of the revision before: when the
// part is unchanged it is kept, so an update that does not touch sealed
// fields does not change the content hash.
func (s *Service) sealPart(ctx context.Context, tx *sqldb.Tx, id string, b Body, prev Body) error {
	sb, ok := b.(sealedBody)
	if !ok {
		return nil
	}
	part := sb.sealedPart()
	if part == nil {
		return nil
	}
	plain, err := json.Marshal(part)
	if err != nil {
		return fmt.Errorf("record: encode sealed part: %w", err)
	}
	sb.clearSealedPart()
	env := sb.envelope()
	if bytes.Equal(plain, []byte("{}")) {
		*env = nil // an empty part removes it
		return nil
	}
	if s.sealer == nil {
		return ErrNoSealer
	}
	if p, ok := prev.(sealedBody); ok && *p.envelope() != nil {
		if old, err := s.sealer.Open(ctx, id, *p.envelope()); err == nil && bytes.Equal(old, plain) {
			*env = *p.envelope()
			return nil
		}
	}
	sealed, err := s.sealer.Seal(ctx, tx, id, plain)
	if err != nil {
		return err
	}
	*env = sealed
	return nil
}

// Unseal returns body (of a record of type t and id) with its sealed part
// in clear, and the name of that part ("" when the body has none).
func (s *Service) Unseal(ctx context.Context, t Type, id string, body []byte) ([]byte, string, error) {
	b, err := DecodeBody(t, body)
	if err != nil {
		return nil, "", err
	}
	sb, ok := b.(sealedBody)
	if !ok || *sb.envelope() == nil {
		return body, "", nil
	}
	if s.sealer == nil {
		return nil, "", ErrNoSealer
	}
	plain, err := s.sealer.Open(ctx, id, *sb.envelope())
	if err != nil {
		return nil, "", err
	}
	if err := sb.setSealedPart(plain); err != nil {
		return nil, "", fmt.Errorf("record: %s %s: sealed part: %w", t, id, err)
	}
	*sb.envelope() = nil
	out, err := Canonical(b)
	return out, sb.SealedField(), err
}

// setPart decodes a decrypted part into dst strictly.
func setPart(raw []byte, dst any) error {
	return DecodeStrict(raw, dst, "sealed")
}

// Coordinates are an exact position: sealed when they are a witness's or
// a reporter's.
type Coordinates struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	// AccuracyM is the radius of uncertainty in metres, if known.
	AccuracyM float64 `json:"accuracy_m,omitempty"`
}

// Validate checks the ranges.
func (c *Coordinates) Validate(v *Validator, field string) {
	if c.Lat < -90 || c.Lat > 90 || math.IsNaN(c.Lat) {
		v.Fail(field+".lat", "out_of_range", "must be between -90 and 90", "يجب أن يكون بين -90 و90")
	}
	if c.Lon < -180 || c.Lon > 180 || math.IsNaN(c.Lon) {
		v.Fail(field+".lon", "out_of_range", "must be between -180 and 180", "يجب أن يكون بين -180 و180")
	}
	if c.AccuracyM < 0 {
		v.Fail(field+".accuracy_m", "out_of_range", "must not be negative", "يجب ألا يكون سالباً")
	}
}

// SourceIdentity is who a source really is: sealed.
type SourceIdentity struct {
	RealName string       `json:"real_name,omitempty"`
	Contact  string       `json:"contact,omitempty"`
	Location *Coordinates `json:"location,omitempty"`
	Notes    string       `json:"notes,omitempty"`
}

// PersonIdentity is what identifies a victim: sealed.
type PersonIdentity struct {
	FullNameAR    string `json:"full_name_ar,omitempty"`
	FullNameLatin string `json:"full_name_latin,omitempty"`
	MotherName    string `json:"mother_name,omitempty"`
	DateOfBirth   string `json:"date_of_birth,omitempty"`
	NationalID    string `json:"national_id,omitempty"`
	Address       string `json:"address,omitempty"`
	FamilyContact string `json:"family_contact,omitempty"`
	Notes         string `json:"notes,omitempty"`
}

// ReporterIdentity is who sent a report and from where: sealed.
type ReporterIdentity struct {
	Name           string       `json:"name,omitempty"`
	Contact        string       `json:"contact,omitempty"`
	Location       *Coordinates `json:"location,omitempty"`
	NetworkAddress string       `json:"network_address,omitempty"`
	Notes          string       `json:"notes,omitempty"`
}

func (x *SourceIdentity) validate(v *Validator, f string) {
	v.Text(f+".real_name", x.RealName, false, maxShortText)
	v.Text(f+".contact", x.Contact, false, maxShortText)
	v.Text(f+".notes", x.Notes, false, maxLongText)
	if x.Location != nil {
		x.Location.Validate(v, f+".location")
	}
}

func (x *PersonIdentity) validate(v *Validator, f string) {
	for _, t := range []struct{ name, val string }{{"full_name_ar", x.FullNameAR}, {"full_name_latin", x.FullNameLatin},
		{"mother_name", x.MotherName}, {"national_id", x.NationalID}, {"address", x.Address}, {"family_contact", x.FamilyContact}} {
		v.Text(f+"."+t.name, t.val, false, maxShortText)
	}
	if x.DateOfBirth != "" {
		if _, err := time.Parse(time.DateOnly, x.DateOfBirth); err != nil {
			v.Fail(f+".date_of_birth", "invalid_date", "must be a date YYYY-MM-DD", "يجب أن يكون تاريخاً بصيغة YYYY-MM-DD")
		}
	}
	v.Text(f+".notes", x.Notes, false, maxLongText)
}

func (x *ReporterIdentity) validate(v *Validator, f string) {
	v.Text(f+".name", x.Name, false, maxShortText)
	v.Text(f+".contact", x.Contact, false, maxShortText)
	v.Text(f+".network_address", x.NetworkAddress, false, maxShortText)
	v.Text(f+".notes", x.Notes, false, maxLongText)
	if x.Location != nil {
		x.Location.Validate(v, f+".location")
	}
}

// SealedField implements sealedBody.
func (*Source) SealedField() string { return "identity" }
func (x *Source) sealedPart() any {
	if x.Identity == nil {
		return nil
	}
	return x.Identity
}
func (x *Source) setSealedPart(raw []byte) error {
	x.Identity = &SourceIdentity{}
	return setPart(raw, x.Identity)
}
func (x *Source) clearSealedPart()   { x.Identity = nil }
func (x *Source) envelope() **Sealed { return &x.Sealed }

// SealedField implements sealedBody.
func (*Person) SealedField() string { return "identity" }
func (x *Person) sealedPart() any {
	if x.Identity == nil {
		return nil
	}
	return x.Identity
}
func (x *Person) setSealedPart(raw []byte) error {
	x.Identity = &PersonIdentity{}
	return setPart(raw, x.Identity)
}
func (x *Person) clearSealedPart()   { x.Identity = nil }
func (x *Person) envelope() **Sealed { return &x.Sealed }

// SealedField implements sealedBody.
func (*Report) SealedField() string { return "reporter" }
func (x *Report) sealedPart() any {
	if x.Reporter == nil {
		return nil
	}
	return x.Reporter
}
func (x *Report) setSealedPart(raw []byte) error {
	x.Reporter = &ReporterIdentity{}
	return setPart(raw, x.Reporter)
}
func (x *Report) clearSealedPart()   { x.Reporter = nil }
func (x *Report) envelope() **Sealed { return &x.Sealed }
