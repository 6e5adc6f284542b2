package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/bundle"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sealed"
)

// BundleResult is what a sealed bundle became.
type BundleResult struct {
	ReportID string
	// ReportExisted: the same text was stored before (the bundle was
	// ingested already); its files are attached to that report.
	ReportExisted bool
	SealedAt      string
	Files         []BundleFile
}

// BundleFile is one attachment as stored.
type BundleFile struct {
	Name, SHA256, EvidenceID string
	Size                     int64
	Existed                  bool
}

// IngestBundle opens a sealed bundle (tawthiq seal) with the unlocked
// organisation key and stores its report, with the reporter's identity and
// position sealed, and its files as the report's evidence. Each file's
// SHA-256 from sealing is the hash the vault must find, so a file changed
// on the way cannot be stored under it. A bundle altered in transit, not
// sealed for this organisation, or not a bundle at all, stores nothing,
// and the refusal is recorded in the audit log.
func (a *App) IngestBundle(ctx context.Context, r io.Reader, name, author string) (*BundleResult, error) {
	k := a.Keyring()
	if k == nil {
		return nil, sealed.ErrNoKey
	}
	if k.Locked() {
		return nil, sealed.ErrLocked
	}
	staging := filepath.Join(a.DataDir, StagingDir)
	if err := os.MkdirAll(staging, 0o700); err != nil {
		return nil, err
	}
	o, err := bundle.ExtractWith(r, k.Decrypt, staging)
	if err != nil {
		why := "malformed"
		switch {
		case errors.Is(err, bundle.ErrAltered):
			why = "altered"
		case errors.Is(err, bundle.ErrNotForUs):
			why = "not_for_us"
		}
		if aerr := a.AuditLog.Record(ctx, nil, auditlog.Event{Action: auditlog.ActionBundleRefused, Actor: author,
			SubjectType: "bundle", SubjectID: clipID(name), Outcome: auditlog.OutcomeRefused, Detail: why}); aerr != nil {
			return nil, errors.Join(err, aerr)
		}
		return nil, err
	}
	defer o.Remove()
	m := o.Manifest
	res := &BundleResult{SealedAt: m.SealedAt}
	text := strings.ReplaceAll(m.Report.Text, "\r\n", "\n")
	sum := sha256.Sum256([]byte(text))
	sha := hex.EncodeToString(sum[:])
	lang := m.Report.Language
	if lang == "" {
		lang = "ar"
	}
	rep := &record.Report{Title: m.Report.Title, Text: text, Language: lang, Published: m.Report.Published,
		Outlet: m.Report.Outlet, URL: m.Report.URL, ReceivedAt: time.Now().UTC().Format(time.RFC3339),
		Original: &record.Original{SHA256: sha, Size: int64(len(text)), Format: "text/plain", Name: "sealed bundle"}}
	if rp := m.Reporter; rp != (bundle.Reporter{}) {
		rep.Reporter = &record.ReporterIdentity{Name: rp.Name, Contact: rp.Contact, Notes: rp.Note}
		if rp.Latitude != nil && rp.Longitude != nil {
			rep.Reporter.Location = &record.Coordinates{Lat: *rp.Latitude, Lon: *rp.Longitude}
		}
	}
	reason := fmt.Sprintf("استلام: حزمة مختومة خُتمت في %s / intake: sealed bundle, sealed at %s", m.SealedAt, m.SealedAt)
	rec, err := a.Service.Create(ctx, record.Meta{Author: author, Reason: reason}, rep)
	var dup *record.DuplicateError
	switch {
	case errors.As(err, &dup):
		res.ReportID, res.ReportExisted = dup.RecordID, true
	case err != nil:
		return nil, err
	default:
		res.ReportID = rec.ID
	}
	for _, f := range o.Files {
		fh, err := os.Open(f.Path)
		if err != nil {
			return res, err
		}
		added, err := a.Evidence.Add(ctx, evidence.AddInput{ReportID: res.ReportID, Body: fh, Name: f.Name,
			DeclaredSHA256: f.SHA256, DeclaredSize: f.Size, Actor: author,
			Purpose: fmt.Sprintf("استلام: ملف من حزمة مختومة، بصمته عند الختم %s / intake: file from a sealed bundle, SHA-256 at sealing %s (%s)", f.SHA256, f.SHA256, m.SealedAt),
			Notes:   "sha256 at sealing: " + f.SHA256 + "; sealed at " + m.SealedAt})
		fh.Close()
		if err != nil {
			return res, fmt.Errorf("file %s: %w", f.Name, err)
		}
		res.Files = append(res.Files, BundleFile{Name: f.Name, SHA256: f.SHA256, Size: f.Size, EvidenceID: added.Record.ID, Existed: added.Existed})
	}
	if err := a.AuditLog.Record(ctx, nil, auditlog.Event{Action: auditlog.ActionBundleIngest, Actor: author,
		SubjectType: string(record.TypeReport), SubjectID: res.ReportID, Outcome: auditlog.OutcomeOK,
		Detail: fmt.Sprintf("%d files, sealed at %s", len(res.Files), m.SealedAt)}); err != nil {
		return res, err
	}
	return res, nil
}

// clipID keeps a file name short enough for an audit subject.
func clipID(s string) string {
	s = filepath.Base(s)
	if len(s) > 100 {
		s = s[:100]
	}
	return s
}

// IsBundle reports whether the file at path starts like a sealed bundle
// (an age file).
func IsBundle(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(bundleMagic))
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) == bundleMagic
}

const bundleMagic = "age-encryption.org/v1\n"
