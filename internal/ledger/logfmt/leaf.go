package logfmt

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// LeafVersion is the first line of every leaf this package writes and the
// only one it reads. docs/spec/ledger-leaf.md is the specification; a new
// version gets a new constant and a new section there, never a change to
// this one.
const LeafVersion = "tawthiq-leaf/1"

// Kind is what a leaf attests.
type Kind string

// The kinds of leaf.
const (
	KindRevision Kind = "revision" // a record revision
	KindCustody  Kind = "custody"  // a custody event of an evidence item
	KindAudit    Kind = "audit"    // an audited action, such as a read of sealed fields
)

// Leaf is the canonical commitment one log entry makes. It holds
// identifiers and digests only — never plaintext personal data — because
// leaves are served to witnesses and courts with the tiles.
type Leaf struct {
	Kind Kind
	// Type is the record type (or "evidence" for custody); a lower-case
	// token.
	Type string
	// ID is the record or evidence id: 1–128 of A–Z a–z 0–9 . _ : -
	ID string
	// Number is the revision number (revision leaves) or the sequence
	// number of the custody or audit event; never negative.
	Number int64
	// Action is what happened ("create", "received" …); a lower-case token.
	Action string
	// ContentHash is "sha256:" and 64 lower-case hex digits of the content
	// the leaf attests (a revision's canonical body, an event's JSON).
	ContentHash string
	Retracted   bool
	// Personal is optional: PersonalDigest of the personal data the entry
	// concerns, keyed with a salt kept outside the log.
	Personal string
}

// PersonalDigest is the value of a leaf's personal line:
// "hmac-sha256:" and the hex HMAC-SHA256 of data keyed with salt. The salt
// (at least 16 random bytes, 32 recommended) is stored beside the sealed
// data and deleted with it, after which the digest can no longer be tested
// against a guess.
func PersonalDigest(salt, data []byte) (string, error) {
	if len(salt) < 16 {
		return "", fmt.Errorf("%w: personal digest salt of %d bytes, need at least 16", ErrMalformed, len(salt))
	}
	m := hmac.New(sha256.New, salt)
	m.Write(data)
	return personalPrefix + hex.EncodeToString(m.Sum(nil)), nil
}

const (
	contentPrefix  = "sha256:"
	personalPrefix = "hmac-sha256:"
	maxIDLen       = 128
	maxTokenLen    = 64
)

// leafFields is the number of key-value lines of version 1.
const leafFields = 8

// leafKeys are the line keys of version 1, in order; "personal" is the
// only optional one and comes last.
func leafKeys() [leafFields]string {
	return [...]string{"kind", "type", "id", "number", "action", "content", "retracted", "personal"}
}

// Marshal returns the leaf's canonical bytes, or ErrMalformed naming the
// first field that breaks the spec.
func (l Leaf) Marshal() ([]byte, error) {
	vals, keys := l.values(), leafKeys()
	var b bytes.Buffer
	b.Grow(256)
	b.WriteString(LeafVersion)
	b.WriteByte('\n')
	for i, v := range vals {
		if i == len(vals)-1 && v == "" {
			break // no personal line
		}
		if err := checkLeafValue(keys[i], v); err != nil {
			return nil, err
		}
		b.WriteString(keys[i])
		b.WriteByte(' ')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

func (l Leaf) values() [leafFields]string {
	retracted := "false"
	if l.Retracted {
		retracted = "true"
	}
	number := strconv.FormatInt(l.Number, 10) // a negative number fails the check
	return [...]string{string(l.Kind), l.Type, l.ID, number, l.Action, l.ContentHash, retracted, l.Personal}
}

// ParseLeaf reads a leaf written by Marshal. Anything else — another
// version, a missing, extra or reordered line, a value outside its
// grammar, a missing final newline — is ErrMalformed, so every leaf has
// exactly one byte form.
func ParseLeaf(data []byte) (Leaf, error) {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return Leaf{}, fmt.Errorf("%w: leaf must end with a newline", ErrMalformed)
	}
	lines := strings.Split(string(data[:len(data)-1]), "\n")
	if lines[0] != LeafVersion {
		return Leaf{}, fmt.Errorf("%w: leaf does not start with %q", ErrMalformed, LeafVersion)
	}
	lines = lines[1:]
	if len(lines) != leafFields && len(lines) != leafFields-1 {
		return Leaf{}, fmt.Errorf("%w: leaf has %d fields, want %d or %d", ErrMalformed, len(lines), leafFields-1, leafFields)
	}
	keys := leafKeys()
	var vals [leafFields]string
	for i, line := range lines {
		key, val, ok := strings.Cut(line, " ")
		if !ok || key != keys[i] {
			return Leaf{}, fmt.Errorf("%w: leaf line %d must be %q", ErrMalformed, i+2, keys[i])
		}
		if err := checkLeafValue(key, val); err != nil {
			return Leaf{}, err
		}
		vals[i] = val
	}
	n, _ := strconv.ParseInt(vals[3], 10, 64) // checked above
	return Leaf{Kind: Kind(vals[0]), Type: vals[1], ID: vals[2], Number: n, Action: vals[4],
		ContentHash: vals[5], Retracted: vals[6] == "true", Personal: vals[7]}, nil
}

// checkLeafValue enforces each field's grammar. The grammars exclude
// spaces and every control character, so a value can never carry a line
// break, and exclude "@" so an e-mail address cannot pass for an id.
func checkLeafValue(key, v string) error {
	ok := false
	switch key {
	case "kind":
		ok = v == string(KindRevision) || v == string(KindCustody) || v == string(KindAudit)
	case "type", "action":
		ok = isToken(v)
	case "id":
		ok = isID(v)
	case "number":
		ok = isDecimal(v)
	case "content":
		ok = isHexDigest(v, contentPrefix)
	case "retracted":
		ok = v == "true" || v == "false"
	case "personal":
		ok = isHexDigest(v, personalPrefix)
	}
	if !ok {
		return fmt.Errorf("%w: leaf field %s is not valid", ErrMalformed, key)
	}
	return nil
}

// isToken: a lower-case letter, then lower-case letters, digits and _.
func isToken(s string) bool {
	if s == "" || len(s) > maxTokenLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func isID(s string) bool {
	if s == "" || len(s) > maxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// isDecimal: a non-negative int64 in decimal without sign or leading zeros.
func isDecimal(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// isHexDigest: prefix and 64 lower-case hex digits.
func isHexDigest(s, prefix string) bool {
	h, ok := strings.CutPrefix(s, prefix)
	if !ok || len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
