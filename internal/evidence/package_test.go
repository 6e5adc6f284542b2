package evidence_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vault"
)

// exported is an evidence item with some history, and its package.
type exported struct {
	*env
	id       string
	original []byte
	pkg      []byte
	manifest *evidence.Manifest
}

// exportFixture attaches a photo, reads it, makes its published copy (a
// second revision) and exports it.
func exportFixture(t testing.TB) *exported {
	t.Helper()
	e := newEnv(t)
	img := exifJPEG(t, 16, 12)
	id := e.add(e.report(), "صورة الموقع.jpg", img).Record.ID
	rc, _, err := e.a.Evidence.Open(e.ctx, id, "analyst", "geolocation")
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if _, _, err := e.a.Evidence.PublishedCopy(e.ctx, id, "editor", "publication"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m, err := e.a.Evidence.Export(e.ctx, id, "lawyer", "court submission", &buf)
	if err != nil {
		t.Fatal(err)
	}
	return &exported{env: e, id: id, original: img, pkg: buf.Bytes(), manifest: m}
}

func verify(b []byte, key string) (*evidence.Verification, error) {
	return evidence.VerifyPackage(bytes.NewReader(b), int64(len(b)), key)
}

func TestExportVerify(t *testing.T) {
	x := exportFixture(t)
	e := x.env
	key := e.a.Ledger.VerifierKey()

	v, err := verify(x.pkg, key)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || !v.Trusted || v.Key != key {
		t.Fatalf("verification: ok %v, trusted %v, key %q, problems %q", v.OK(), v.Trusted, v.Key, v.Problems)
	}
	evs := e.custody(x.id)
	want := []evidence.Action{evidence.Received, evidence.Stored, evidence.Accessed, evidence.CopyMade, evidence.Exported}
	if got := actions(evs); !slices.Equal(got, want) {
		t.Fatalf("custody = %v, want %v", got, want)
	}
	if last := evs[len(evs)-1]; last.Actor != "lawyer" || last.Purpose != "court submission" ||
		!strings.Contains(last.Detail, evidence.PackageFormat) {
		t.Errorf("export event = %+v", last)
	}
	e.checkAttested(evs...)
	if v.Events != len(evs) || v.Revisions != 2 {
		t.Errorf("verified %d events and %d revisions, want %d and 2", v.Events, v.Revisions, len(evs))
	}
	size, err := e.a.Ledger.Size(e.ctx)
	if err != nil || v.TreeSize != size {
		t.Errorf("tree size %d, ledger size %d (%v)", v.TreeSize, size, err)
	}

	// The manifest Export returned is the one in the package.
	m := x.manifest
	if v.Manifest == nil || v.Manifest.EvidenceID != x.id || v.Manifest.Origin != e.a.Ledger.Origin() ||
		v.Manifest.Format != evidence.PackageFormat || v.Manifest.Original != m.Original {
		t.Errorf("verified manifest %+v, Export returned %+v", v.Manifest, m)
	}
	if m.Original.Path != "original/صورة الموقع.jpg" || m.Original.SHA256 != sha(x.original) ||
		m.Original.Size != int64(len(x.original)) || m.Original.MIME != "image/jpeg" {
		t.Errorf("manifest original = %+v", m.Original)
	}

	// The files are what the server holds.
	p := readPkg(t, x.pkg)
	if !bytes.Equal(p.files[m.Original.Path], x.original) {
		t.Error("the package's original is not the upload")
	}
	wantFiles := []string{"README.txt", "checkpoint.txt", "custody.json", "key.pub", "ledger.json", "manifest.json",
		m.Original.Path, "revisions.json", "revisions/000001.json", "revisions/000002.json"}
	got := slices.Clone(p.names)
	slices.Sort(got)
	slices.Sort(wantFiles)
	if !slices.Equal(got, wantFiles) {
		t.Errorf("files %q, want %q", got, wantFiles)
	}
	for name, h := range m.Files {
		if sha(p.files[name]) != h {
			t.Errorf("manifest hash of %s is wrong", name)
		}
	}
	var pevs []evidence.Event
	decodeJSON(t, p.files["custody.json"], &pevs)
	if !slices.Equal(pevs, evs) {
		t.Errorf("custody.json = %+v, want %+v", pevs, evs)
	}
	hist, err := e.a.Store.History(e.ctx, x.id)
	if err != nil {
		t.Fatal(err)
	}
	var prs []evidence.PackageRevision
	decodeJSON(t, p.files["revisions.json"], &prs)
	if len(prs) != len(hist) {
		t.Fatalf("revisions.json has %d revisions, the store %d", len(prs), len(hist))
	}
	for i, r := range hist {
		if !bytes.Equal(p.files[prs[i].Body], r.Body) || prs[i].ContentHash != r.ContentHash || prs[i].Author != r.Author ||
			prs[i].Reason != r.Reason || !prs[i].CreatedAt.Equal(r.CreatedAt) {
			t.Errorf("revision %d in the package differs from the store's", r.Revision)
		}
	}
	if strings.TrimSpace(string(p.files["key.pub"])) != key {
		t.Error("key.pub is not the log's verifier key")
	}
	if !strings.Contains(string(p.files["README.txt"]), evidence.PackageFormat) {
		t.Error("README.txt does not name the format")
	}
	for _, f := range p.headers {
		if !f.Modified.Equal(f.Modified.UTC()) || f.Modified.Unix() != 0 {
			t.Errorf("%s has modification time %v, want the epoch (packages must not leak when they were made)", f.Name, f.Modified)
		}
	}

	// Without a trusted key the package is checked against its own key:
	// whole, but not proven to come from this log.
	v, err = verify(x.pkg, "")
	if err != nil || !v.OK() || v.Trusted || v.Key != key {
		t.Errorf("without a key: ok %v, trusted %v, key %q, problems %q, err %v", v.OK(), v.Trusted, v.Key, v.Problems, err)
	}
	// Against another log's key it does not verify.
	_, other, err := ledger.GenerateKey("other.example/log")
	if err != nil {
		t.Fatal(err)
	}
	v, err = verify(x.pkg, other)
	if err != nil || v.OK() {
		t.Errorf("with another key: ok %v, err %v", v.OK(), err)
	}
	if !hasProblem(v, "not the key given") || !hasProblem(v, "checkpoint") {
		t.Errorf("with another key: problems %q", v.Problems)
	}
}

// TestExportIndependently checks a package with code that is not
// Tawthiq's: the checkpoint with golang.org/x/mod/sumdb/note, the
// inclusion proofs with github.com/transparency-dev/merkle.
func TestExportIndependently(t *testing.T) {
	x := exportFixture(t)
	e := x.env
	p := readPkg(t, x.pkg)

	verifier, err := note.NewVerifier(e.a.Ledger.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(p.files["checkpoint.txt"], note.VerifierList(verifier))
	if err != nil {
		t.Fatalf("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[3] != "" || lines[0] != e.a.Ledger.Origin() || lines[0] != x.manifest.Origin {
		t.Fatalf("checkpoint text %q", n.Text)
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		t.Fatalf("root %q: %v", lines[2], err)
	}
	// The signature covers the text: a changed size does not open.
	forged := bytes.Replace(p.files["checkpoint.txt"], []byte("\n"+lines[1]+"\n"), []byte(fmt.Sprintf("\n%d\n", size+1)), 1)
	if _, err := note.Open(forged, note.VerifierList(verifier)); err == nil {
		t.Error("a checkpoint with a changed size still opens")
	}

	var lg evidence.PackageLedger
	decodeJSON(t, p.files["ledger.json"], &lg)
	if uint64(lg.TreeSize) != size {
		t.Errorf("ledger.json tree size %d, checkpoint %d", lg.TreeSize, size)
	}
	h := rfc6962.DefaultHasher
	inPackage := map[string]bool{}
	for _, le := range lg.Entries {
		if err := proof.VerifyInclusion(h, uint64(le.Index), size, h.HashLeaf([]byte(le.Leaf)), le.Proof, root); err != nil {
			t.Errorf("entry %d: %v", le.Index, err)
		}
		stored, err := e.a.Ledger.Leaf(e.ctx, le.Index)
		if err != nil || string(stored) != le.Leaf {
			t.Errorf("entry %d is not the ledger's leaf (%v)", le.Index, err)
		}
		// A proof for another position or another leaf fails.
		if le.Index+1 < int64(size) {
			if err := proof.VerifyInclusion(h, uint64(le.Index+1), size, h.HashLeaf([]byte(le.Leaf)), le.Proof, root); err == nil {
				t.Errorf("entry %d also verifies at %d", le.Index, le.Index+1)
			}
		}
		if err := proof.VerifyInclusion(h, uint64(le.Index), size, h.HashLeaf([]byte(le.Leaf+"x")), le.Proof, root); err == nil {
			t.Errorf("entry %d verifies with another leaf", le.Index)
		}
		inPackage[le.Leaf] = true
	}
	// Every custody event and revision has its leaf in the package.
	var pevs []evidence.Event
	decodeJSON(t, p.files["custody.json"], &pevs)
	for _, ev := range pevs {
		leaf, err := ev.Leaf().Marshal()
		if err != nil || !inPackage[string(leaf)] {
			t.Errorf("custody event %d has no leaf in ledger.json (%v)", ev.Seq, err)
		}
	}
	hist, err := e.a.Store.History(e.ctx, x.id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range hist {
		leaf, err := ledger.RevisionLeaf(&hist[i]).Marshal()
		if err != nil || !inPackage[string(leaf)] {
			t.Errorf("revision %d has no leaf in ledger.json (%v)", hist[i].Revision, err)
		}
	}
	if want := len(pevs) + len(hist); len(lg.Entries) != want {
		t.Errorf("ledger.json has %d entries, want %d", len(lg.Entries), want)
	}
}

func TestExportRefused(t *testing.T) {
	e := newEnv(t)
	body := []byte("to be exported")
	id := e.add(e.report(), "e.txt", body).Record.ID
	before := e.state()
	var buf bytes.Buffer
	if _, err := e.a.Evidence.Export(e.ctx, id, "", "p", &buf); !slices.Equal(fieldErrors(t, err), []string{"author/required"}) {
		t.Errorf("export without an author: %v", err)
	}
	if _, err := e.a.Evidence.Export(e.ctx, id, "a", "", &buf); !slices.Equal(fieldErrors(t, err), []string{"purpose/required"}) {
		t.Errorf("export without a purpose: %v", err)
	}
	if _, err := e.a.Evidence.Export(e.ctx, e.body(id).ReportID, "a", "p", &buf); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("export of a report: %v", err)
	}
	// A corrupt original is not exported, and no export is recorded.
	e.corrupt(sha(body))
	if _, err := e.a.Evidence.Export(e.ctx, id, "a", "p", &buf); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("export of a corrupt original: %v, want vault.ErrCorrupt", err)
	}
	if after := e.state(); !after.equal(before) || buf.Len() != 0 {
		t.Errorf("refused exports changed the state (%+v → %+v) or wrote %d bytes", before, after, buf.Len())
	}
}

// TestExportUnnamed: an upload without a name is exported as
// original/original.
func TestExportUnnamed(t *testing.T) {
	e := newEnv(t)
	id := e.add(e.report(), "", []byte("no name given")).Record.ID
	var buf bytes.Buffer
	m, err := e.a.Evidence.Export(e.ctx, id, "a", "p", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if m.Original.Path != "original/original" || m.Original.Name != "" {
		t.Errorf("original = %+v", m.Original)
	}
	if v, err := verify(buf.Bytes(), e.a.Ledger.VerifierKey()); err != nil || !v.OK() || v.Revisions != 1 || v.Events != 3 {
		t.Errorf("verify: %+v, %v", v, err)
	}
}

// TestVerifyPackageTampered: every change to a package that the verifier
// is meant to catch is reported as a problem naming it.
func TestVerifyPackageTampered(t *testing.T) {
	x := exportFixture(t)
	key := x.a.Ledger.VerifierKey()
	orig := x.manifest.Original.Path
	otherSkey, otherVkey, err := ledger.GenerateKey("other.example/log")
	if err != nil {
		t.Fatal(err)
	}
	// A key with the log's own name but not the log's.
	sameNameSkey, sameNameVkey, err := ledger.GenerateKey(x.a.Ledger.Origin())
	if err != nil {
		t.Fatal(err)
	}
	resign := func(p *pkg, skey string) {
		signer, err := note.NewSigner(skey)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := ledger.VerifyCheckpoint(p.files["checkpoint.txt"], key)
		if err != nil {
			t.Fatal(err)
		}
		cp.Origin = signer.Name()
		signed, err := note.Sign(&note.Note{Text: string(cp.Marshal())}, signer)
		if err != nil {
			t.Fatal(err)
		}
		p.files["checkpoint.txt"] = signed
	}
	editCustody := func(p *pkg, edit func(evs []evidence.Event) []evidence.Event) {
		var evs []evidence.Event
		decodeJSON(t, p.files["custody.json"], &evs)
		p.setJSON(t, "custody.json", edit(evs))
	}
	editLedger := func(p *pkg, edit func(lg *evidence.PackageLedger)) {
		var lg evidence.PackageLedger
		decodeJSON(t, p.files["ledger.json"], &lg)
		edit(&lg)
		p.setJSON(t, "ledger.json", lg)
	}
	editRevisions := func(p *pkg, edit func(prs []evidence.PackageRevision) []evidence.PackageRevision) {
		var prs []evidence.PackageRevision
		decodeJSON(t, p.files["revisions.json"], &prs)
		p.setJSON(t, "revisions.json", edit(prs))
	}

	for _, c := range []struct {
		name string
		key  string // the trusted key; the log's unless set
		edit func(p *pkg)
		want string // a problem contains this
	}{
		{"original changed", "", func(p *pkg) { p.files[orig][len(p.files[orig])/2] ^= 1 }, "the original hashes to"},
		{"original truncated", "", func(p *pkg) { p.files[orig] = p.files[orig][:10] }, "the original has 10 bytes"},
		{"original replaced, manifest updated", "", func(p *pkg) {
			p.files[orig] = []byte("forged")
			p.editManifest(t, func(m *evidence.Manifest) { m.Original.SHA256, m.Original.Size = sha([]byte("forged")), 6 })
		}, "differ from the manifest"},
		{"original missing", "", func(p *pkg) { p.remove(orig) }, "the original " + orig + " is missing"},
		{"original renamed", "", func(p *pkg) { p.rename(orig, "original/other.jpg") }, "original/other.jpg is not listed in the manifest"},
		{"custody changed", "", func(p *pkg) {
			editCustody(p, func(evs []evidence.Event) []evidence.Event { evs[0].Actor = "someone else"; return evs })
		}, "custody.json does not match its SHA-256 in the manifest"},
		{"custody changed, manifest updated", "", func(p *pkg) {
			editCustody(p, func(evs []evidence.Event) []evidence.Event { evs[2].Actor = "someone else"; return evs })
			p.rehash(t, "custody.json")
		}, "custody event 3 does not match its content hash"},
		{"custody changed with its hash, manifest updated", "", func(p *pkg) {
			editCustody(p, func(evs []evidence.Event) []evidence.Event {
				evs[2].Actor = "someone else"
				evs[2].ContentHash = evidence.HashContent(evs[2].Canonical())
				return evs
			})
			p.rehash(t, "custody.json")
		}, "custody event 3 has no matching leaf"},
		{"custody event removed from the middle", "", func(p *pkg) {
			editCustody(p, func(evs []evidence.Event) []evidence.Event { return slices.Delete(evs, 2, 3) })
			p.rehash(t, "custody.json")
		}, "custody events are not numbered"},
		{"custody event added", "", func(p *pkg) {
			editCustody(p, func(evs []evidence.Event) []evidence.Event {
				ev := evs[len(evs)-1]
				ev.Seq++
				ev.Action = evidence.Accessed
				ev.ContentHash = evidence.HashContent(ev.Canonical())
				return append(evs, ev)
			})
			p.rehash(t, "custody.json")
		}, "has no matching leaf"},
		{"custody of another item", "", func(p *pkg) {
			editCustody(p, func(evs []evidence.Event) []evidence.Event {
				evs[0].SHA256 = strings.Repeat("0", 64)
				evs[0].ContentHash = evidence.HashContent(evs[0].Canonical())
				return evs
			})
			p.rehash(t, "custody.json")
		}, "about another item or other bytes"},
		{"custody not starting with received", "", func(p *pkg) {
			editCustody(p, func(evs []evidence.Event) []evidence.Event {
				evs[0].Action = evidence.Stored
				evs[0].ContentHash = evidence.HashContent(evs[0].Canonical())
				return evs
			})
			p.rehash(t, "custody.json")
		}, "does not begin with"},
		{"custody.json unknown field", "", func(p *pkg) {
			p.files["custody.json"] = bytes.Replace(p.files["custody.json"], []byte(`"seq"`), []byte(`"extra": 1, "seq"`), 1)
			p.rehash(t, "custody.json")
		}, "custody.json is not valid"},
		{"revision body changed, manifest updated", "", func(p *pkg) {
			p.files["revisions/000001.json"] = bytes.Replace(p.files["revisions/000001.json"], []byte(`"restricted"`), []byte(`"public"`), 1)
			p.rehash(t, "revisions/000001.json")
		}, "revision 1: its body does not match its content hash"},
		{"revision body changed with its hash, manifest updated", "", func(p *pkg) {
			body := bytes.Replace(p.files["revisions/000001.json"], []byte(`"restricted"`), []byte(`"public"`), 1)
			p.files["revisions/000001.json"] = body
			editRevisions(p, func(prs []evidence.PackageRevision) []evidence.PackageRevision {
				prs[0].ContentHash = evidence.HashContent(body)
				return prs
			})
			p.rehash(t, "revisions/000001.json", "revisions.json")
		}, "revision 1 has no matching leaf"},
		{"revision action changed", "", func(p *pkg) {
			editRevisions(p, func(prs []evidence.PackageRevision) []evidence.PackageRevision {
				prs[1].Action = string(record.ActionRetract)
				prs[1].Retracted = true
				return prs
			})
			p.rehash(t, "revisions.json")
		}, "revision 2 has no matching leaf"},
		{"revisions reordered", "", func(p *pkg) {
			editRevisions(p, func(prs []evidence.PackageRevision) []evidence.PackageRevision {
				prs[0], prs[1] = prs[1], prs[0]
				return prs
			})
			p.rehash(t, "revisions.json")
		}, "revisions are not numbered"},
		{"revision body outside revisions/", "", func(p *pkg) {
			editRevisions(p, func(prs []evidence.PackageRevision) []evidence.PackageRevision {
				prs[0].Body = "custody.json"
				return prs
			})
			p.rehash(t, "revisions.json")
		}, `revision 1: its body is "custody.json", not revisions/000001.json`},
		{"ledger entry removed", "", func(p *pkg) {
			editLedger(p, func(lg *evidence.PackageLedger) { lg.Entries = slices.Delete(lg.Entries, 0, 1) })
			p.rehash(t, "ledger.json")
		}, "revision 1 has no matching leaf"},
		{"ledger entry removed, manifest not updated", "", func(p *pkg) {
			editLedger(p, func(lg *evidence.PackageLedger) { lg.Entries = lg.Entries[:len(lg.Entries)-1] })
		}, "ledger.json does not match its SHA-256"},
		{"ledger proof changed", "", func(p *pkg) {
			editLedger(p, func(lg *evidence.PackageLedger) { lg.Entries[1].Proof[0][0] ^= 1 })
			p.rehash(t, "ledger.json")
		}, "is not in the signed tree"},
		{"ledger proof hash short", "", func(p *pkg) {
			editLedger(p, func(lg *evidence.PackageLedger) { lg.Entries[1].Proof[0] = lg.Entries[1].Proof[0][:31] })
			p.rehash(t, "ledger.json")
		}, "not 32 bytes"},
		{"ledger index changed", "", func(p *pkg) {
			editLedger(p, func(lg *evidence.PackageLedger) { lg.Entries[1].Index++ })
			p.rehash(t, "ledger.json")
		}, "is not in the signed tree"},
		{"ledger index past the tree", "", func(p *pkg) {
			editLedger(p, func(lg *evidence.PackageLedger) { lg.Entries[1].Index = lg.TreeSize })
			p.rehash(t, "ledger.json")
		}, "is not in the signed tree"},
		{"ledger leaf unaccounted for", "", func(p *pkg) {
			// A real leaf of the log with a valid proof, but nothing in the
			// package is about it.
			editLedger(p, func(lg *evidence.PackageLedger) {
				leaf, err := x.a.Ledger.Leaf(x.ctx, 0)
				if err != nil {
					t.Fatal(err)
				}
				pr, err := x.a.Ledger.InclusionProof(x.ctx, 0, lg.TreeSize)
				if err != nil {
					t.Fatal(err)
				}
				le := evidence.LedgerEntry{Index: 0, Leaf: string(leaf)}
				for _, h := range pr {
					le.Proof = append(le.Proof, h[:])
				}
				lg.Entries = append(lg.Entries, le)
			})
			p.rehash(t, "ledger.json")
		}, "holds a leaf nothing in the package accounts for"},
		{"ledger tree size changed", "", func(p *pkg) {
			editLedger(p, func(lg *evidence.PackageLedger) { lg.TreeSize-- })
			p.rehash(t, "ledger.json")
		}, "ledger.json is for a tree of"},
		{"unknown file", "", func(p *pkg) { p.set("notes.txt", []byte("hello")) }, "notes.txt is not listed in the manifest"},
		{"unknown file listed", "", func(p *pkg) {
			p.set("notes.txt", []byte("hello"))
			p.rehash(t, "notes.txt")
		}, "notes.txt is not a file of"},
		{"manifest lists itself", "", func(p *pkg) {
			p.editManifest(t, func(m *evidence.Manifest) { m.Files["manifest.json"] = strings.Repeat("0", 64) })
		}, "manifest lists manifest.json among the hashed files"},
		{"manifest lists the original", "", func(p *pkg) {
			p.editManifest(t, func(m *evidence.Manifest) { m.Files[m.Original.Path] = m.Original.SHA256 })
		}, "among the hashed files"},
		{"listed file missing", "", func(p *pkg) { p.remove("revisions.json") }, "revisions.json is missing"},
		{"manifest missing", "", func(p *pkg) { p.remove("manifest.json") }, "manifest.json is missing"},
		{"manifest not JSON", "", func(p *pkg) { p.files["manifest.json"] = []byte("{") }, "manifest.json is not valid"},
		{"manifest unknown field", "", func(p *pkg) {
			p.files["manifest.json"] = bytes.Replace(p.files["manifest.json"], []byte(`"format"`), []byte(`"signed": true, "format"`), 1)
		}, "manifest.json is not valid"},
		{"manifest format", "", func(p *pkg) {
			p.editManifest(t, func(m *evidence.Manifest) { m.Format = "tawthiq-evidence-package/2" })
		}, "is not tawthiq-evidence-package/1"},
		{"manifest original path escapes", "", func(p *pkg) {
			p.rename(orig, "original/../x")
			p.editManifest(t, func(m *evidence.Manifest) { m.Original.Path = "original/../x" })
		}, "is not original/<file name>"},
		{"manifest original path outside original/", "", func(p *pkg) {
			p.rename(orig, "x.jpg")
			p.editManifest(t, func(m *evidence.Manifest) { m.Original.Path = "x.jpg" })
		}, "is not original/<file name>"},
		{"manifest original path empty name", "", func(p *pkg) {
			p.editManifest(t, func(m *evidence.Manifest) { m.Original.Path = "original/" })
		}, "is not original/<file name>"},
		{"manifest origin", "", func(p *pkg) {
			p.editManifest(t, func(m *evidence.Manifest) { m.Origin = "other.example/log" })
		}, "is not the checkpoint's"},
		{"manifest report", "", func(p *pkg) {
			p.editManifest(t, func(m *evidence.Manifest) { m.ReportID = "01OTHERREPORT" })
		}, "differ from the manifest"},
		{"manifest evidence id", "", func(p *pkg) {
			p.editManifest(t, func(m *evidence.Manifest) { m.EvidenceID = "01OTHERITEM" })
		}, "about another item"},
		{"checkpoint signed by another key", "", func(p *pkg) {
			resign(p, otherSkey)
			p.rehash(t, "checkpoint.txt")
		}, "checkpoint:"},
		{"checkpoint signed by a key with the log's name", "", func(p *pkg) {
			resign(p, sameNameSkey)
			p.rehash(t, "checkpoint.txt")
		}, "checkpoint:"},
		{"checkpoint and key.pub of another key, no trusted key", "-", func(p *pkg) {
			resign(p, otherSkey)
			p.files["key.pub"] = []byte(otherVkey + "\n")
			p.rehash(t, "checkpoint.txt", "key.pub")
		}, "is not the checkpoint's"},
		{"checkpoint and key.pub of another key, trusted key given", "", func(p *pkg) {
			resign(p, sameNameSkey)
			p.files["key.pub"] = []byte(sameNameVkey + "\n")
			p.rehash(t, "checkpoint.txt", "key.pub")
		}, "not the key given"},
		{"checkpoint size changed", "", func(p *pkg) {
			p.files["checkpoint.txt"] = bytes.Replace(p.files["checkpoint.txt"], []byte("\n"), []byte("\n1"), 1)
			p.rehash(t, "checkpoint.txt")
		}, "checkpoint:"},
		{"checkpoint missing", "", func(p *pkg) {
			p.remove("checkpoint.txt")
			p.editManifest(t, func(m *evidence.Manifest) { delete(m.Files, "checkpoint.txt") })
		}, "no key or no checkpoint"},
		{"key.pub missing, no trusted key", "-", func(p *pkg) {
			p.remove("key.pub")
			p.editManifest(t, func(m *evidence.Manifest) { delete(m.Files, "key.pub") })
		}, "no key or no checkpoint"},
		{"key.pub missing but listed, no trusted key", "-", func(p *pkg) { p.remove("key.pub") }, "key.pub is missing"},
		{"another trusted key", otherVkey, func(p *pkg) {}, "not the key given"},
		{"malformed trusted key", "not a key", func(p *pkg) {}, "checkpoint:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := readPkg(t, x.pkg)
			c.edit(p)
			b := p.zip(t)
			key := key
			switch c.key {
			case "":
			case "-":
				key = ""
			default:
				key = c.key
			}
			v, err := verify(b, key)
			if err != nil {
				t.Fatalf("VerifyPackage: %v (a readable zip must give problems, not an error)", err)
			}
			if v.OK() {
				t.Fatalf("the tampered package verifies")
			}
			if !hasProblem(v, c.want) {
				t.Errorf("no problem mentions %q:\n%s", c.want, strings.Join(v.Problems, "\n"))
			}
		})
	}
}

// TestVerifyPackageUnreadable: input that is not a readable zip is an
// error wrapping ErrPackage.
func TestVerifyPackageUnreadable(t *testing.T) {
	x := exportFixture(t)
	dup := readPkg(t, x.pkg)
	dup.names = append(dup.names, "custody.json") // the same name twice
	for name, b := range map[string][]byte{
		"empty":          nil,
		"not a zip":      []byte("PK\x03\x04 but not really"),
		"truncated":      x.pkg[:len(x.pkg)/2],
		"duplicate name": dup.zip(t),
	} {
		v, err := verify(b, x.a.Ledger.VerifierKey())
		if !errors.Is(err, evidence.ErrPackage) || v != nil {
			t.Errorf("%s: %+v, %v; want nil, ErrPackage", name, v, err)
		}
	}
}

// TestVerifyPackageZipMetadata: what the zip says about its entries
// (method, times, comments, order) is not part of the evidence.
func TestVerifyPackageZipMetadata(t *testing.T) {
	x := exportFixture(t)
	p := readPkg(t, x.pkg)
	slices.Reverse(p.names)
	p.store = true
	v, err := verify(p.zip(t), x.a.Ledger.VerifierKey())
	if err != nil || !v.OK() {
		t.Errorf("reordered, uncompressed package: %v %q", err, v.Problems)
	}
}

// TestVerifyPackageWithoutLedger: a package from which ledger.json has
// been removed (from the zip and from the manifest, which nothing signs)
// must not verify: without it nothing is checked against the ledger, and
// the original and every record could be replaced.
func TestVerifyPackageWithoutLedger(t *testing.T) {
	x := exportFixture(t)
	key := x.a.Ledger.VerifierKey()
	forged := []byte("a forged original")
	for _, c := range []struct {
		name string
		edit func(p *pkg)
	}{
		{"ledger.json removed", func(p *pkg) {
			p.remove("ledger.json")
			p.editManifest(t, func(m *evidence.Manifest) { delete(m.Files, "ledger.json") })
		}},
		{"ledger.json removed, original replaced", func(p *pkg) {
			p.remove("ledger.json")
			p.files[x.manifest.Original.Path] = forged
			p.editManifest(t, func(m *evidence.Manifest) {
				delete(m.Files, "ledger.json")
				m.Original.SHA256, m.Original.Size = sha(forged), int64(len(forged))
			})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := readPkg(t, x.pkg)
			c.edit(p)
			v, err := verify(p.zip(t), key)
			if err != nil {
				t.Fatal(err)
			}
			if v.OK() {
				t.Errorf("a package without ledger.json verifies: trusted %v, %d revisions and %d events checked",
					v.Trusted, v.Revisions, v.Events)
			}
		})
	}
}

// TestVerifyPackageWithoutRecords: revisions.json, the revision bodies
// and custody.json are required; a package without them, with a forged
// original, must not verify.
func TestVerifyPackageWithoutRecords(t *testing.T) {
	x := exportFixture(t)
	p := readPkg(t, x.pkg)
	for _, name := range []string{"revisions.json", "revisions/000001.json", "revisions/000002.json", "custody.json"} {
		p.remove(name)
	}
	var lg evidence.PackageLedger
	decodeJSON(t, p.files["ledger.json"], &lg)
	lg.Entries = nil
	p.setJSON(t, "ledger.json", lg)
	forged := []byte("a forged original")
	p.files[x.manifest.Original.Path] = forged
	p.editManifest(t, func(m *evidence.Manifest) {
		for _, name := range []string{"revisions.json", "revisions/000001.json", "revisions/000002.json", "custody.json"} {
			delete(m.Files, name)
		}
		m.Files["ledger.json"] = sha(p.files["ledger.json"])
		m.Original.SHA256, m.Original.Size = sha(forged), int64(len(forged))
	})
	v, err := verify(p.zip(t), x.a.Ledger.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() {
		t.Errorf("a package with a forged original and no records verifies: trusted %v, %d revisions, %d events",
			v.Trusted, v.Revisions, v.Events)
	}
}

// TestVerifyPackageUnattestedRevisionFile: a revisions/<n>.json that
// revisions.json does not list is a revision nothing attests: refused.
func TestVerifyPackageUnattestedRevisionFile(t *testing.T) {
	x := exportFixture(t)
	p := readPkg(t, x.pkg)
	body := bytes.Replace(p.files["revisions/000002.json"], []byte(`"restricted"`), []byte(`"public"`), 1)
	p.set("revisions/000003.json", body)
	p.rehash(t, "revisions/000003.json")
	v, err := verify(p.zip(t), x.a.Ledger.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() {
		t.Error("a package with an unattested revisions/000003.json verifies")
	}
}

// TestVerifyPackageSelfSigned: without a trusted key, a package re-signed
// by anyone under the log's name is whole but not Trusted — which is why
// the caller must give the organisation's key.
func TestVerifyPackageSelfSigned(t *testing.T) {
	x := exportFixture(t)
	skey, vkey, err := ledger.GenerateKey(x.a.Ledger.Origin())
	if err != nil {
		t.Fatal(err)
	}
	p := readPkg(t, x.pkg)
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := ledger.VerifyCheckpoint(p.files["checkpoint.txt"], x.a.Ledger.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	signed, err := note.Sign(&note.Note{Text: string(cp.Marshal())}, signer)
	if err != nil {
		t.Fatal(err)
	}
	p.files["checkpoint.txt"] = signed
	p.files["key.pub"] = []byte(vkey + "\n")
	p.rehash(t, "checkpoint.txt", "key.pub")
	v, err := verify(p.zip(t), "")
	if err != nil || !v.OK() || v.Trusted || v.Key != vkey {
		t.Errorf("self-signed, no key given: ok %v trusted %v key %q problems %q err %v", v.OK(), v.Trusted, v.Key, v.Problems, err)
	}
	if v, _ := verify(p.zip(t), x.a.Ledger.VerifierKey()); v.OK() {
		t.Error("self-signed package verifies against the log's key")
	}
}

func hasProblem(v *evidence.Verification, s string) bool {
	for _, p := range v.Problems {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}
