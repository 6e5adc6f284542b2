package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/ledger/logfmt"
)

// Action is a custody event's kind.
type Action string

// The custody actions.
const (
	Received         Action = "received"          // bytes arrived from a sender
	Stored           Action = "stored"            // bytes placed in the vault under their hash
	Accessed         Action = "accessed"          // the original was read out
	Exported         Action = "exported"          // an evidence package was written
	CopyMade         Action = "copy_made"         // a working copy (derivative) was made
	IntegrityChecked Action = "integrity_checked" // the stored bytes were re-hashed
)

// Actions lists every custody action, in lifecycle order.
func Actions() []Action {
	return []Action{Received, Stored, Accessed, Exported, CopyMade, IntegrityChecked}
}

// TimeLayout is the fixed-width UTC form of Event.At, so events sort as text.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// Event is one custody step of one evidence item.
type Event struct {
	EvidenceID string `json:"evidence_id"`
	Seq        int64  `json:"seq"`
	SHA256     string `json:"sha256"`
	Action     Action `json:"action"`
	Actor      string `json:"actor"`
	Purpose    string `json:"purpose"`
	Detail     string `json:"detail"`
	At         string `json:"at"`
	// ContentHash is "sha256:" and the hex SHA-256 of Canonical(): what
	// the event's ledger leaf commits to.
	ContentHash string `json:"content_hash"`
	// LedgerIndex is the index of the event's leaf (-1 when it has none,
	// which audit reports).
	LedgerIndex int64 `json:"ledger_index"`
}

// Canonical is the byte form the content hash covers: a JSON object of the
// event's fields but the hash and the ledger index, in this order, with
// no HTML escaping and no trailing newline. docs/spec/evidence-package.md
// specifies it.
func (e Event) Canonical() []byte {
	c := struct {
		EvidenceID string `json:"evidence_id"`
		Seq        int64  `json:"seq"`
		SHA256     string `json:"sha256"`
		Action     Action `json:"action"`
		Actor      string `json:"actor"`
		Purpose    string `json:"purpose"`
		Detail     string `json:"detail"`
		At         string `json:"at"`
	}{e.EvidenceID, e.Seq, e.SHA256, e.Action, e.Actor, e.Purpose, e.Detail, e.At}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(c) // strings and ints only: cannot fail
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

// Leaf is the ledger leaf that attests the event.
func (e Event) Leaf() logfmt.Leaf {
	return logfmt.Leaf{
		Kind:        logfmt.KindCustody,
		Type:        "evidence",
		ID:          e.EvidenceID,
		Number:      e.Seq,
		Action:      string(e.Action),
		ContentHash: e.ContentHash,
	}
}

// HashContent is "sha256:" and the hex SHA-256 of b.
func HashContent(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// CheckName reports what is wrong with a file name given for an upload, in
// English and Arabic, or "" when it is acceptable. Names are shown, never
// used as paths, but a name that tries to be a path is refused outright:
// it is either a mistake or an attack.
func CheckName(name string) (en, ar string) {
	switch {
	case name == "":
		return "", ""
	case len(name) > 255:
		return "is longer than 255 bytes", "أطول من 255 بايت"
	case !utf8.ValidString(name):
		return "is not valid UTF-8", "ليس نصاً صالحاً بترميز UTF-8"
	case strings.ContainsAny(name, `/\`) || name == "." || name == "..":
		return "must be a file name, not a path", "يجب أن يكون اسم ملف لا مساراً"
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "contains control characters", "يحتوي على محارف تحكم"
		}
		// Bidi overrides can disguise an extension ("photo\u202Egpj.exe");
		// ZWNJ and ZWJ are kept, Persian and Arabic names use them.
		if unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d' {
			return "contains invisible formatting characters", "يحتوي على محارف تنسيق غير مرئية"
		}
	}
	return "", ""
}
