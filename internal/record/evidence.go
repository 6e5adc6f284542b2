package record

import (
	"encoding/json"
	"fmt"

	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Evidence describes a file kept in the vault and attached to a report.
// The bytes live in the vault under their SHA-256 and never change; this
// record says what they are. Evidence records are created by the evidence
// service after the bytes are stored, never from a bare JSON body.
type Evidence struct {
	ReportID        string          `json:"report_id"`
	SHA256          string          `json:"sha256"`
	Size            int64           `json:"size"`
	MIME            string          `json:"mime"`
	Name            string          `json:"name,omitempty"`
	Metadata        json.RawMessage `json:"metadata,omitempty"`
	Skipped         []string        `json:"skipped,omitempty"`
	Derivatives     []Derivative    `json:"derivatives,omitempty"`
	Notes           string          `json:"notes,omitempty"`
	Confidentiality string          `json:"confidentiality" default:"restricted"`
}

// Derivative is a working copy made from an original, e.g. a published
// copy of a photo without its EXIF/GPS metadata.
type Derivative struct {
	SHA256         string `json:"sha256"`
	Size           int64  `json:"size"`
	MIME           string `json:"mime"`
	Transformation string `json:"transformation"`
}

// TypeEvidence is a file in the vault.
const TypeEvidence Type = "evidence"

// Type implements Body.
func (*Evidence) Type() Type { return TypeEvidence }

func (x *Evidence) applyDefaults() {
	if x.Confidentiality == "" {
		x.Confidentiality = "restricted"
	}
}

// Validate implements Body.
func (x *Evidence) Validate(v *Validator) {
	v.Ref("report_id", x.ReportID, true, TypeReport)
	v.hash("sha256", x.SHA256)
	if x.Size < 0 {
		v.Fail("size", "negative", "must not be negative", "يجب ألا يكون سالباً")
	}
	v.Text("mime", x.MIME, true, 200)
	v.Text("name", x.Name, false, 1000)
	if len(x.Metadata) > 0 {
		var m map[string]any
		if err := json.Unmarshal(x.Metadata, &m); err != nil {
			v.Fail("metadata", "wrong_type", "must be a JSON object", "يجب أن يكون كائن JSON")
		}
	}
	for i, s := range x.Skipped {
		v.Text(fmt.Sprintf("skipped[%d]", i), s, true, maxShortText)
	}
	for i, d := range x.Derivatives {
		f := fmt.Sprintf("derivatives[%d]", i)
		v.hash(f+".sha256", d.SHA256)
		v.Text(f+".mime", d.MIME, true, 200)
		v.Text(f+".transformation", d.Transformation, true, maxShortText)
	}
	v.Text("notes", x.Notes, false, maxLongText)
	v.Code("confidentiality", vocab.Confidentiality, x.Confidentiality, true)
}

// Index implements Body.
func (x *Evidence) Index() Index {
	return Index{Title: x.Name, Status: x.MIME, Terms: []Term{{"sha256", x.SHA256}},
		Keys: []string{EvidenceKey(x.ReportID, x.SHA256)}}
}

// EvidenceKey is the unique key of a file attached to a report: the same
// bytes attached twice to one report are one evidence record.
func EvidenceKey(reportID, sha string) string {
	return "evidence.attachment:" + reportID + "/" + sha
}

// hash checks a lower-case hex SHA-256.
func (v *Validator) hash(field, s string) {
	if len(s) != 64 || !isLowerHex(s) {
		v.Fail(field, "invalid_hash", "must be 64 lower-case hex digits", "يجب أن يتكون من 64 رمزاً ست عشرياً بأحرف صغيرة")
	}
}
