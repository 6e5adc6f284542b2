package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger"
)

// PackageFormat names version 1 of the evidence package
// (docs/spec/evidence-package.md). A new version gets a new name.
const PackageFormat = "tawthiq-evidence-package/1"

// Files of a package, besides original/<name> and revisions/<n>.json.
const (
	fileManifest   = "manifest.json"
	fileRevisions  = "revisions.json"
	fileCustody    = "custody.json"
	fileLedger     = "ledger.json"
	fileCheckpoint = "checkpoint.txt"
	fileKey        = "key.pub"
	fileReadme     = "README.txt"
	dirOriginal    = "original/"
	dirRevisions   = "revisions/"
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

// PackageRevision is one entry of revisions.json: a revision of the
// evidence record without its body, which is revisions/<n>.json byte for
// byte.
type PackageRevision struct {
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

// PackageLedger is ledger.json.
type PackageLedger struct {
	TreeSize int64         `json:"tree_size"`
	Entries  []LedgerEntry `json:"entries"`
}

// Export records an "exported" event, signs a checkpoint that covers it,
// and writes the package of evidence item id to w: the original, the
// record's revisions, the custody events (this export included), their
// ledger leaves with inclusion proofs, the checkpoint and the log's public
// key. The caller writes w to a temporary file and renames it, so a
// failed export leaves no half-written package.
func (s *Service) Export(ctx context.Context, id, actor, purpose string, w io.Writer) (*Manifest, error) {
	if err := checkWho(actor, purpose); err != nil {
		return nil, err
	}
	_, ev, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	// Check the original before saying it was exported.
	if err := s.vault.Verify(ctx, ev.SHA256); err != nil {
		return nil, err
	}
	if _, err := s.Record(ctx, id, ev.SHA256, Exported, actor, purpose, "evidence package "+PackageFormat); err != nil {
		return nil, err
	}
	// Read everything first, then sign: the checkpoint covers every leaf
	// committed before it, so every leaf read here is in its tree even if
	// the item's custody grows meanwhile.
	_, ev, err = s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	revs, err := s.store.History(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.Custody(ctx, id)
	if err != nil {
		return nil, err
	}
	signed, err := s.log.Checkpoint(ctx)
	if err != nil {
		return nil, err
	}
	cp, err := ledger.VerifyCheckpoint(signed, s.log.VerifierKey())
	if err != nil {
		return nil, err
	}

	name := ev.Name
	if name == "" {
		name = "original"
	}
	m := &Manifest{
		Format: PackageFormat, EvidenceID: id, ReportID: ev.ReportID,
		CreatedAt: s.now().UTC().Format(time.RFC3339), Origin: cp.Origin,
		Original: ManifestOriginal{Path: dirOriginal + name, SHA256: ev.SHA256, Size: ev.Size, MIME: ev.MIME, Name: ev.Name},
		Files:    map[string]string{},
	}
	zw := zip.NewWriter(w)
	put := func(path string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		m.Files[path] = hex.EncodeToString(sum[:])
		return nil
	}
	var lg PackageLedger
	lg.TreeSize = cp.Size
	addLeaf := func(kind ledger.Kind, number int64) error {
		idx, err := s.log.Find(ctx, kind, id, number)
		if err != nil {
			return err
		}
		leaf, err := s.log.Leaf(ctx, idx)
		if err != nil {
			return err
		}
		proof, err := s.log.InclusionProof(ctx, idx, cp.Size)
		if err != nil {
			return err
		}
		e := LedgerEntry{Index: idx, Leaf: string(leaf), Proof: make([][]byte, len(proof))}
		for i, h := range proof {
			e.Proof[i] = append([]byte(nil), h[:]...)
		}
		lg.Entries = append(lg.Entries, e)
		return nil
	}

	// The original first: it is the largest file, streamed, not buffered.
	rc, _, err := s.vault.Open(ctx, ev.SHA256)
	if err != nil {
		return nil, err
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: m.Original.Path, Method: zip.Store, Modified: time.Unix(0, 0).UTC()})
	if err != nil {
		rc.Close()
		return nil, err
	}
	cr := &checkedReader{rc: rc, h: sha256.New(), want: ev.SHA256}
	_, err = io.Copy(f, cr)
	rc.Close()
	if err != nil {
		return nil, err
	}

	var prs []PackageRevision
	for _, r := range revs {
		path := fmt.Sprintf("%s%06d.json", dirRevisions, r.Revision)
		if err := put(path, r.Body); err != nil {
			return nil, err
		}
		prs = append(prs, PackageRevision{Revision: r.Revision, Type: string(r.Type), Action: string(r.Action),
			Retracted: r.Retracted, ContentHash: r.ContentHash, Author: r.Author, Reason: r.Reason,
			CreatedAt: r.CreatedAt, Body: path})
		if err := addLeaf(ledger.KindRevision, int64(r.Revision)); err != nil {
			return nil, err
		}
	}
	for _, e := range events {
		if err := addLeaf(ledger.KindCustody, e.Seq); err != nil {
			return nil, err
		}
	}
	for _, part := range []struct {
		path string
		v    any
	}{{fileRevisions, prs}, {fileCustody, events}, {fileLedger, lg}} {
		data, err := marshal(part.v)
		if err != nil {
			return nil, err
		}
		if err := put(part.path, data); err != nil {
			return nil, err
		}
	}
	if err := put(fileCheckpoint, signed); err != nil {
		return nil, err
	}
	if err := put(fileKey, []byte(s.log.VerifierKey()+"\n")); err != nil {
		return nil, err
	}
	if err := put(fileReadme, []byte(readme)); err != nil {
		return nil, err
	}
	data, err := marshal(m)
	if err != nil {
		return nil, err
	}
	// The manifest lists the original's hash separately; its own hash is
	// not in it.
	f, err = zw.CreateHeader(&zip.FileHeader{Name: fileManifest, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return m, nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// proofHashes converts a package proof back to tlog hashes.
func proofHashes(p [][]byte) (tlog.RecordProof, bool) {
	out := make(tlog.RecordProof, len(p))
	for i, h := range p {
		if len(h) != len(tlog.Hash{}) {
			return nil, false
		}
		copy(out[i][:], h)
	}
	return out, true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

const readme = `Tawthiq evidence package (` + PackageFormat + `)
حزمة أدلة من توثيق

original/        the original file, byte for byte / الملف الأصلي كما استُلم
revisions/       every revision of the evidence record / كل نسخ سجل الدليل
revisions.json   who changed the record, when and why / من عدّل السجل ومتى ولماذا
custody.json     the chain of custody / سلسلة العهدة
ledger.json      the ledger leaves and their inclusion proofs / أوراق السجل وبراهين تضمينها
checkpoint.txt   the signed checkpoint of the ledger / نقطة التحقق الموقّعة
key.pub          the key that signed it / المفتاح الذي وقّعها
manifest.json    the SHA-256 of every file / بصمة SHA-256 لكل ملف

Check it with no server and no database:
تحقّق منها دون خادم ولا قاعدة بيانات:

    tawthiq verify PACKAGE.zip --key "KEY"

KEY is the organisation's published ledger key. Without --key the package
is only checked against the key inside it, which proves it is whole, not
who made it.
المفتاح هو مفتاح السجل الذي تنشره المنظمة. دون --key تُفحص الحزمة بالمفتاح
الذي بداخلها فقط، وهذا يثبت سلامتها لا هوية من أصدرها.

The format is specified in docs/spec/evidence-package.md of Tawthiq.
`
