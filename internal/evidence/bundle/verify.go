package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/ledger/logfmt"
)

// Limits of the package reader: a package is read from strangers.
const (
	maxPackageFiles = 10000
	maxJSONFile     = 64 << 20  // any file but the original, uncompressed
	maxTotal        = 256 << 20 // all files but the original together, uncompressed
)

// ErrPackage: the package is not a well-formed evidence package, or a check
// failed. The Verification lists every problem found.
var ErrPackage = errors.New("evidence package does not verify")

// Verification is what VerifyPackage found.
type Verification struct {
	Manifest  *Manifest
	Key       string // the verifier key the checkpoint was checked with
	Trusted   bool   // the key was given by the caller, not only read from the package
	TreeSize  int64
	Revisions int
	Events    int
	// Retracted: the last revision in the package withdraws the evidence.
	Retracted bool
	Problems  []string
}

// OK reports whether the package verified.
func (v *Verification) OK() bool { return len(v.Problems) == 0 }

var revisionPath = regexp.MustCompile(`^revisions/[0-9]{6}\.json$`)

// Verify checks an evidence package with no server and no database:
// every file against the manifest, the original against its hash, every
// revision body and custody event against its hash and its ledger leaf,
// every leaf's inclusion proof against the checkpoint, and the
// checkpoint's signature against trustedKey (a note verifier key) or, if
// trustedKey is empty, against the key inside the package. It returns the
// problems found; the error is for a package it cannot read at all.
func Verify(r io.ReaderAt, size int64, trustedKey string) (*Verification, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not a zip archive: %v", ErrPackage, err)
	}
	v := &Verification{}
	fail := func(format string, args ...any) { v.Problems = append(v.Problems, fmt.Sprintf(format, args...)) }
	if len(zr.File) > maxPackageFiles {
		return nil, fmt.Errorf("%w: %d files, more than %d", ErrPackage, len(zr.File), maxPackageFiles)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("%w: %q appears twice", ErrPackage, f.Name)
		}
		files[f.Name] = f
	}
	total := int64(0)
	read := func(name string) ([]byte, bool) {
		f := files[name]
		if f == nil {
			fail("%s is missing", clip(name))
			return nil, false
		}
		if f.UncompressedSize64 > maxJSONFile || total+int64(f.UncompressedSize64) > maxTotal {
			fail("%s is larger than a package's files may be (%d bytes each, %d in all)", clip(name), maxJSONFile, maxTotal)
			return nil, false
		}
		rc, err := f.Open()
		if err != nil {
			fail("%s: %v", clip(name), err)
			return nil, false
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, maxJSONFile+1))
		if err != nil {
			fail("%s: %v", clip(name), err)
			return nil, false
		}
		total += int64(len(data))
		if len(data) > maxJSONFile || total > maxTotal {
			fail("%s is larger than a package's files may be (%d bytes each, %d in all)", clip(name), maxJSONFile, maxTotal)
			return nil, false
		}
		return data, true
	}
	decode := func(name string, data []byte, dst any) bool {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(dst); err != nil {
			fail("%s is not valid: %v", clip(name), err)
			return false
		}
		return true
	}

	// The manifest, and every file against it.
	data, ok := read(FileManifest)
	if !ok {
		return v, nil
	}
	var m Manifest
	if !decode(FileManifest, data, &m) {
		return v, nil
	}
	v.Manifest = &m
	if m.Format != Format {
		fail("format %q is not %s", clip(m.Format), Format)
		return v, nil
	}
	if msg, _ := CheckName(strings.TrimPrefix(m.Original.Path, DirOriginal)); msg != "" || !strings.HasPrefix(m.Original.Path, DirOriginal) || m.Original.Path == DirOriginal {
		fail("manifest original path %q is not original/<file name>", clip(m.Original.Path))
		return v, nil
	}
	for name := range files {
		switch {
		case name == FileManifest || name == m.Original.Path:
		case m.Files[name] == "":
			fail("%s is not listed in the manifest", clip(name))
		}
	}
	contents := map[string][]byte{}
	for _, name := range slices.Sorted(maps.Keys(m.Files)) {
		if name == FileManifest || name == m.Original.Path {
			fail("manifest lists %s among the hashed files", clip(name))
			continue
		}
		if !isKnownFile(name) {
			fail("%s is not a file of %s", clip(name), Format)
			continue
		}
		data, ok := read(name)
		if !ok {
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != m.Files[name] {
			fail("%s does not match its SHA-256 in the manifest: it was changed", clip(name))
			continue
		}
		contents[name] = data
	}

	// The original, streamed.
	if f := files[m.Original.Path]; f == nil {
		fail("the original %s is missing", clip(m.Original.Path))
	} else if rc, err := f.Open(); err != nil {
		fail("the original: %v", err)
	} else {
		h := sha256.New()
		n, err := io.Copy(h, io.LimitReader(rc, m.Original.Size+1))
		rc.Close()
		switch got := hex.EncodeToString(h.Sum(nil)); {
		case err != nil:
			fail("the original: %v", err)
		case n != m.Original.Size:
			fail("the original has %d bytes, the manifest says %d", n, m.Original.Size)
		case got != m.Original.SHA256:
			fail("the original hashes to sha256:%s, the manifest says sha256:%s: it was changed", got, clip(m.Original.SHA256))
		}
	}

	// The key and the checkpoint.
	key := strings.TrimSpace(string(contents[FileKey]))
	if trustedKey != "" {
		if key != "" && key != strings.TrimSpace(trustedKey) {
			fail("the package's key is not the key given: it was signed by another log")
		}
		key, v.Trusted = strings.TrimSpace(trustedKey), true
	}
	v.Key = key
	if key == "" || contents[FileCheckpoint] == nil {
		fail("no key or no checkpoint to check the ledger proofs against")
		return v, nil
	}
	cp, err := logfmt.VerifyCheckpoint(contents[FileCheckpoint], key)
	if err != nil {
		fail("checkpoint: %v", err)
		return v, nil
	}
	v.TreeSize = cp.Size
	if cp.Origin != m.Origin {
		fail("the manifest's origin %q is not the checkpoint's %q", clip(m.Origin), cp.Origin)
	}

	// Leaves and their proofs. Every part below is required: a package
	// without its record, custody or proofs proves nothing about its
	// original, and the manifest that lists the files is not signed.
	var lg Ledger
	if contents[FileLedger] == nil {
		fail("%s is missing: nothing in the package is proven to be in the ledger", FileLedger)
	} else if decode(FileLedger, contents[FileLedger], &lg) && lg.TreeSize != cp.Size {
		fail("ledger.json is for a tree of %d entries, the checkpoint for %d", lg.TreeSize, cp.Size)
	}
	leaves := map[string]int64{} // the leaf bytes whose proofs verified → index
	for _, e := range lg.Entries {
		proof, ok := ProofHashes(e.Proof)
		if !ok {
			fail("ledger entry %d: a proof hash is not 32 bytes", e.Index)
			continue
		}
		if err := logfmt.VerifyInclusion(cp, e.Index, []byte(e.Leaf), proof); err != nil {
			fail("ledger entry %d is not in the signed tree: %v", e.Index, err)
			continue
		}
		leaves[e.Leaf] = e.Index
	}
	// attested finds the proven leaf of what, removes it from the set and
	// returns its index (-1 when there is none).
	attested := func(what string, l logfmt.Leaf) int64 {
		data, err := l.Marshal()
		if err != nil {
			fail("%s: cannot form its leaf: %v", what, err)
			return -1
		}
		idx, ok := leaves[string(data)]
		if !ok {
			fail("%s has no matching leaf with a valid proof: it was changed or added", what)
			return -1
		}
		delete(leaves, string(data))
		return idx
	}

	// Revisions of the evidence record.
	var prs []Revision
	used := map[string]bool{}
	if contents[FileRevisions] == nil {
		fail("%s is missing: the evidence record is not in the package", FileRevisions)
	} else if decode(FileRevisions, contents[FileRevisions], &prs) {
		var last []byte
		for i, pr := range prs {
			what := fmt.Sprintf("revision %d", pr.Revision)
			if pr.Revision != i+1 {
				fail("revisions are not numbered 1, 2, 3 …: %d at position %d", pr.Revision, i+1)
			}
			if want := fmt.Sprintf("%s%06d.json", DirRevisions, pr.Revision); pr.Body != want {
				fail("%s: its body is %q, not %s", what, clip(pr.Body), want)
				continue
			}
			used[pr.Body] = true
			body := contents[pr.Body]
			if body == nil {
				fail("%s: its body %s is missing", what, pr.Body)
				continue
			}
			if HashContent(body) != pr.ContentHash {
				fail("%s: its body does not match its content hash: it was changed", what)
			}
			attested(what, logfmt.Leaf{Kind: logfmt.KindRevision, Type: pr.Type, ID: m.EvidenceID,
				Number: int64(pr.Revision), Action: pr.Action, ContentHash: HashContent(body), Retracted: pr.Retracted})
			last = body
			v.Retracted = pr.Retracted
		}
		v.Revisions = len(prs)
		if last == nil {
			fail("the package has no revision of the evidence record")
		} else {
			var ev struct {
				SHA256   string `json:"sha256"`
				Size     int64  `json:"size"`
				ReportID string `json:"report_id"`
			}
			if err := json.Unmarshal(last, &ev); err != nil {
				fail("the evidence record does not parse: %v", err)
			} else if ev.SHA256 != m.Original.SHA256 || ev.Size != m.Original.Size || ev.ReportID != m.ReportID {
				fail("the evidence record's sha256, size or report differ from the manifest's")
			}
		}
	}
	for name := range files {
		if strings.HasPrefix(name, DirRevisions) && !used[name] {
			fail("%s is not a revision listed in %s", clip(name), FileRevisions)
		}
	}

	// Custody.
	var events []Event
	if contents[FileCustody] == nil {
		fail("%s is missing: the chain of custody is not in the package", FileCustody)
	} else if decode(FileCustody, contents[FileCustody], &events) {
		exported := false
		for i, e := range events {
			what := fmt.Sprintf("custody event %d", e.Seq)
			if e.Seq != int64(i+1) {
				fail("custody events are not numbered 1, 2, 3 …: %d at position %d", e.Seq, i+1)
			}
			if e.EvidenceID != m.EvidenceID || e.SHA256 != m.Original.SHA256 {
				fail("%s is about another item or other bytes", what)
			}
			if got := HashContent(e.Canonical()); got != e.ContentHash {
				fail("%s does not match its content hash: it was changed", what)
				e.ContentHash = got
			}
			if idx := attested(what, e.Leaf()); idx >= 0 && idx != e.LedgerIndex {
				fail("%s gives ledger index %d, but its leaf is entry %d", what, e.LedgerIndex, idx)
			}
			exported = exported || e.Action == Exported
		}
		v.Events = len(events)
		if len(events) == 0 || events[0].Action != Received {
			fail("the chain of custody does not begin with %q", Received)
		}
		if !exported {
			fail("the chain of custody has no %q event: the package's own export is not on record", Exported)
		}
	}
	for l := range leaves {
		fail("ledger.json holds a leaf nothing in the package accounts for: %.60q", l)
	}
	return v, nil
}

func isKnownFile(name string) bool {
	switch name {
	case FileRevisions, FileCustody, FileLedger, FileCheckpoint, FileKey, FileReadme:
		return true
	}
	return revisionPath.MatchString(name)
}

// clip makes text from a package safe to show: control and invisible
// formatting characters become "?" (a name that is an escape sequence
// must not repaint a terminal to show a false VERIFIED), and it is cut at
// 80 bytes.
func clip(s string) string {
	s = Clean(s)
	if len(s) > 80 {
		s = strings.ToValidUTF8(s[:80], "") + "…"
	}
	return s
}

// Clean replaces control characters, invisible formatting characters
// (bidi overrides) and invalid UTF-8 in text read from a package with
// "?", so it can be shown.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}
