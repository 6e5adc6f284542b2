package bundle

import (
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Format names version 1 of the evidence package
// (docs/spec/evidence-package.md). A new version gets a new name.
const Format = "tawthiq-evidence-package/1"

// Files of a package, besides original/<name> and revisions/<n>.json.
const (
	FileManifest   = "manifest.json"
	FileRevisions  = "revisions.json"
	FileCustody    = "custody.json"
	FileLedger     = "ledger.json"
	FileCheckpoint = "checkpoint.txt"
	FileKey        = "key.pub"
	FileReadme     = "README.txt"
	DirOriginal    = "original/"
	DirRevisions   = "revisions/"
)

// Manifest is manifest.json: what the package holds, and the SHA-256 of
// every other file in it.
type Manifest struct {
	Format     string            `json:"format"`
	EvidenceID string            `json:"evidence_id"`
	ReportID   string            `json:"report_id"`
	CreatedAt  string            `json:"created_at"`
	Origin     string            `json:"origin"`
	Original   ManifestOriginal  `json:"original"`
	Files      map[string]string `json:"files"` // path → lower-case hex SHA-256
}

// ManifestOriginal describes the original file in the package.
type ManifestOriginal struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	MIME   string `json:"mime"`
	Name   string `json:"name,omitempty"`
}

// Revision is one entry of revisions.json: a revision of the
// evidence record without its body, which is revisions/<n>.json byte for
// byte.
type Revision struct {
	Revision    int       `json:"revision"`
	Type        string    `json:"type"`
	Action      string    `json:"action"`
	Retracted   bool      `json:"retracted"`
	ContentHash string    `json:"content_hash"`
	Author      string    `json:"author"`
	Reason      string    `json:"reason"`
	CreatedAt   time.Time `json:"created_at"`
	Body        string    `json:"body"` // path of the body file
}

// LedgerEntry is one leaf in ledger.json with its inclusion proof in the
// checkpoint's tree.
type LedgerEntry struct {
	Index int64    `json:"index"`
	Leaf  string   `json:"leaf"`  // the leaf's bytes (UTF-8 text)
	Proof [][]byte `json:"proof"` // RFC 6962 audit path, each hash base64
}

// Ledger is ledger.json.
type Ledger struct {
	TreeSize int64         `json:"tree_size"`
	Entries  []LedgerEntry `json:"entries"`
}

// ProofHashes converts a package proof back to tlog hashes.
func ProofHashes(p [][]byte) (tlog.RecordProof, bool) {
	out := make(tlog.RecordProof, len(p))
	for i, h := range p {
		if len(h) != len(tlog.Hash{}) {
			return nil, false
		}
		copy(out[i][:], h)
	}
	return out, true
}
