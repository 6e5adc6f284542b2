// Package logfmt is the byte formats of Tawthiq's ledger — leaves
// (docs/spec/ledger-leaf.md) and C2SP signed checkpoints — and the checks
// of signatures and proofs, with no database: what an offline verifier
// needs and nothing more. Package ledger keeps the log itself.
package logfmt

import "errors"

// Sentinel errors; test them with errors.Is. Package ledger exports the
// same values.
var (
	// ErrMalformed: bytes given to a parser (leaf, checkpoint, key) do
	// not follow their format. Reject the input.
	ErrMalformed = errors.New("ledger: malformed")
	// ErrVerify: a signature, proof or root does not check out. Treat the
	// material as untrustworthy.
	ErrVerify = errors.New("ledger: verification failed")
)

// IsDecimal reports whether s is a non-negative int64 written in decimal
// without sign or leading zeros: the one spelling of a number in leaves,
// checkpoints and tile paths.
func IsDecimal(s string) bool { return isDecimal(s) }
