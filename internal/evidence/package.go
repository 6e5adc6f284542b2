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
	"time"

	"github.com/tawthiq/tawthiq/internal/evidence/bundle"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
)

// The package format is defined in bundle; these names keep the evidence
// API in one place.
const PackageFormat = bundle.Format

type (
	// Manifest is manifest.json.
	Manifest = bundle.Manifest
	// ManifestOriginal describes the original file in the package.
	ManifestOriginal = bundle.ManifestOriginal
	// PackageRevision is one entry of revisions.json.
	PackageRevision = bundle.Revision
	// LedgerEntry is one leaf in ledger.json with its inclusion proof.
	LedgerEntry = bundle.LedgerEntry
	// PackageLedger is ledger.json.
	PackageLedger = bundle.Ledger
)

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
	rec, ev, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if rec.Retracted {
		return nil, record.Invalid("id", "retracted", "the evidence is retracted: restore it before exporting it",
			"الدليل مسحوب: أعده قبل تصديره")
	}
	// Check the original before saying it was exported.
	if err := s.vault.Verify(ctx, ev.SHA256); err != nil {
		return nil, lost(err, ev.SHA256)
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
		Original: ManifestOriginal{Path: bundle.DirOriginal + name, SHA256: ev.SHA256, Size: ev.Size, MIME: ev.MIME, Name: ev.Name},
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
		path := fmt.Sprintf("%s%06d.json", bundle.DirRevisions, r.Revision)
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
	}{{bundle.FileRevisions, prs}, {bundle.FileCustody, events}, {bundle.FileLedger, lg}} {
		data, err := marshal(part.v)
		if err != nil {
			return nil, err
		}
		if err := put(part.path, data); err != nil {
			return nil, err
		}
	}
	if err := put(bundle.FileCheckpoint, signed); err != nil {
		return nil, err
	}
	if err := put(bundle.FileKey, []byte(s.log.VerifierKey()+"\n")); err != nil {
		return nil, err
	}
	if err := put(bundle.FileReadme, []byte(readme)); err != nil {
		return nil, err
	}
	data, err := marshal(m)
	if err != nil {
		return nil, err
	}
	// The manifest lists the original's hash separately; its own hash is
	// not in it.
	f, err = zw.CreateHeader(&zip.FileHeader{Name: bundle.FileManifest, Method: zip.Deflate, Modified: time.Unix(0, 0).UTC()})
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
