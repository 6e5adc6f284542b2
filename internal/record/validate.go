package record

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Validator collects every broken rule of a record body, and the references
// it makes to other records, which the service checks inside the
// transaction that writes the change.
type Validator struct {
	vocab *vocab.Set
	errs  []FieldError
	refs  []ref
}

// ref is one reference from the record being validated to another record.
type ref struct {
	field string
	id    string
	types []Type
}

// NewValidator returns a validator that checks codes against vs.
func NewValidator(vs *vocab.Set) *Validator { return &Validator{vocab: vs} }

// Err is nil when no rule was broken, else a *ValidationError.
func (v *Validator) Err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: v.errs}
}

// Fail records a broken rule.
func (v *Validator) Fail(field, code, en, ar string) {
	v.errs = append(v.errs, FieldError{Field: field, Code: code, Message: en, MessageAR: ar})
}

// Limits on free text, generous enough for any real report.
const (
	maxShortText = 1000
	maxLongText  = 4 << 20
)

// Text checks a free-text field: required or not, valid UTF-8, not too long.
// The message never repeats the text.
func (v *Validator) Text(field, s string, required bool, max int) {
	switch {
	case s == "" && required:
		v.Fail(field, "required", "is required", "حقل مطلوب")
	case !utf8.ValidString(s):
		v.Fail(field, "invalid_text", "is not valid UTF-8 text", "ليس نصاً صالحاً بترميز UTF-8")
	case len(s) > max:
		v.Fail(field, "too_long", fmt.Sprintf("is longer than %d bytes", max), fmt.Sprintf("أطول من %d بايت", max))
	}
}

// Code checks one vocabulary code.
func (v *Validator) Code(field, list, code string, required bool) {
	if code == "" {
		if required {
			v.Fail(field, "required", "is required", "حقل مطلوب")
		}
		return
	}
	if !v.vocab.Has(list, code) {
		// The value is not quoted back: a mistyped field may hold text a
		// user meant for somewhere else, personal data included.
		v.Fail(field, "unknown_code",
			fmt.Sprintf("is not a code of the vocabulary %s (see /api/v1/vocabularies/%s)", list, list),
			fmt.Sprintf("ليس رمزاً في قائمة المفردات %s", list))
	}
}

// Codes checks a list of codes: at least min of them, no repeats.
func (v *Validator) Codes(field, list string, codes []string, min int) {
	if len(codes) < min {
		v.Fail(field, "required", fmt.Sprintf("needs at least %d code(s)", min), fmt.Sprintf("يحتاج %d رمزاً على الأقل", min))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		f := fmt.Sprintf("%s[%d]", field, i)
		if seen[c] {
			v.Fail(f, "duplicate", "is listed twice", "مكرر")
			continue
		}
		seen[c] = true
		v.Code(f, list, c, true)
	}
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$`)

// ValidID reports whether s has the shape of a record id.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// Ref records a reference to another record of one of the given types. The
// service checks that it exists, has such a type and is not retracted.
func (v *Validator) Ref(field, id string, required bool, types ...Type) {
	if id == "" {
		if required {
			v.Fail(field, "required", "is required", "حقل مطلوب")
		}
		return
	}
	if !ValidID(id) {
		v.Fail(field, "invalid_id", "is not a record id", "ليس معرّف سجل صالحاً")
		return
	}
	v.refs = append(v.refs, ref{field: field, id: id, types: types})
}

// Refs records a list of references, refusing repeats.
func (v *Validator) Refs(field string, ids []string, types ...Type) {
	seen := map[string]bool{}
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		if seen[id] {
			v.Fail(f, "duplicate", "is listed twice", "مكرر")
			continue
		}
		seen[id] = true
		v.Ref(f, id, true, types...)
	}
}

// ExactlyOne checks that exactly one of two alternative fields is set.
func (v *Validator) ExactlyOne(fieldA, a, fieldB, b string) {
	if (a == "") == (b == "") {
		v.Fail(fieldA, "one_of",
			fmt.Sprintf("exactly one of %s and %s must be set", fieldA, fieldB),
			fmt.Sprintf("يجب تعبئة واحد فقط من الحقلين %s و%s", fieldA, fieldB))
	}
}

// Tags checks free labels: short, no repeats.
func (v *Validator) Tags(field string, tags []string) {
	seen := map[string]bool{}
	for i, t := range tags {
		f := fmt.Sprintf("%s[%d]", field, i)
		v.Text(f, t, true, 100)
		if seen[t] {
			v.Fail(f, "duplicate", "is listed twice", "مكرر")
		}
		seen[t] = true
	}
}

// clip shortens a value quoted back in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}
