package record

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Callers test them with errors.Is; the web layer maps
// them to HTTP statuses and the CLI to exit codes, each in one place.
var (
	// ErrInvalid: the input broke a rule; the error is a *ValidationError
	// naming each field. Fix the input and try again.
	ErrInvalid = errors.New("invalid record")
	// ErrNotFound: no record has that id (or that revision).
	ErrNotFound = errors.New("record not found")
	// ErrConflict: the update was based on a revision that is no longer
	// current; the error is a *ConflictError. Reload, reapply, retry.
	ErrConflict = errors.New("revision conflict")
	// ErrDuplicate: a unique key (such as a report's content hash) already
	// belongs to another record; the error is a *DuplicateError.
	ErrDuplicate = errors.New("duplicate record")
)

// FieldError is one broken rule, named by the JSON path of the field. The
// messages never quote free text a user typed, which may hold sealed data.
type FieldError struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageAR string `json:"message_ar"`
}

// ValidationError lists every broken rule of one change.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, f := range e.Errors {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid record: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Invalid builds a ValidationError with one field error.
func Invalid(field, code, en, ar string) *ValidationError {
	return &ValidationError{Errors: []FieldError{{Field: field, Code: code, Message: en, MessageAR: ar}}}
}

// ConflictError says which revision is current.
type ConflictError struct {
	ID       string
	Base     int
	Current  int
	Conflict string // "stale" or "retracted" or "not_retracted"
}

func (e *ConflictError) Error() string {
	switch e.Conflict {
	case "retracted":
		return fmt.Sprintf("record %s is retracted (revision %d): restore it first", e.ID, e.Current)
	case "not_retracted":
		return fmt.Sprintf("record %s is not retracted (revision %d)", e.ID, e.Current)
	}
	return fmt.Sprintf("record %s: change based on revision %d but revision %d is current", e.ID, e.Base, e.Current)
}

// Arabic is the same message in Arabic.
func (e *ConflictError) Arabic() string {
	switch e.Conflict {
	case "retracted":
		return fmt.Sprintf("السجل %s مسحوب (المراجعة %d): أعد تفعيله أولاً", e.ID, e.Current)
	case "not_retracted":
		return fmt.Sprintf("السجل %s غير مسحوب (المراجعة %d)", e.ID, e.Current)
	}
	return fmt.Sprintf("السجل %s: التعديل مبني على المراجعة %d لكن المراجعة الحالية هي %d", e.ID, e.Base, e.Current)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// DuplicateError names the record that already holds the key.
type DuplicateError struct {
	Key      string
	RecordID string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("already stored as record %s (%s)", e.RecordID, e.Key)
}

// Is makes errors.Is(err, ErrDuplicate) true.
func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

// NotFoundError names what was missing.
type NotFoundError struct {
	ID       string
	Revision int
}

func (e *NotFoundError) Error() string {
	if e.Revision > 0 {
		return fmt.Sprintf("record %s has no revision %d", e.ID, e.Revision)
	}
	return fmt.Sprintf("no record with id %s", e.ID)
}

// Arabic is the same message in Arabic.
func (e *NotFoundError) Arabic() string {
	if e.Revision > 0 {
		return fmt.Sprintf("لا توجد المراجعة %d للسجل %s", e.Revision, e.ID)
	}
	return fmt.Sprintf("لا يوجد سجل بالمعرّف %s", e.ID)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }
