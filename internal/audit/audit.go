// Package audit recomputes everything Tawthiq can recompute and names each
// disagreement: every record revision against its body and its ledger
// leaf, every custody event against its leaf, every leaf against what it
// attests, the Merkle tree against every stored checkpoint, and every blob
// in the vault against its SHA-256. It only reads.
package audit

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vault"
)

// Finding is one thing found wrong.
type Finding struct {
	// Area is "record", "ledger", "custody", "audit" or "vault".
	Area string `json:"area"`
	// Subject names what is wrong: "report 01H…/3", "leaf 17",
	// "sha256:ab…", "custody 01H…/2".
	Subject string `json:"subject"`
	Detail  string `json:"detail"`
}

func (f Finding) String() string { return f.Area + ": " + f.Subject + ": " + f.Detail }

// Report is the outcome of an audit.
type Report struct {
	Revisions int `json:"revisions"`
	Events    int `json:"custody_events"`
	// AuditEntries is the number of audit log entries checked.
	AuditEntries int       `json:"audit_entries"`
	Leaves       int64     `json:"ledger_leaves"`
	Blobs        int       `json:"blobs"`
	Findings     []Finding `json:"findings"`
}

// OK reports whether nothing was found wrong.
func (r *Report) OK() bool { return len(r.Findings) == 0 }

// Inputs are what an audit reads.
type Inputs struct {
	DB     *sqldb.DB
	Store  *record.Store
	Ledger *ledger.Log
	Vault  *vault.Vault
}

// Run audits everything. The error is for failures to read; what is
// wrong is in the report.
func Run(ctx context.Context, in Inputs) (*Report, error) {
	r := &Report{Findings: []Finding{}}
	add := func(area, subject, detail string) {
		r.Findings = append(r.Findings, Finding{Area: area, Subject: subject, Detail: detail})
	}

	problems, err := in.Store.Check(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		subject := p.RecordID
		if p.Revision > 0 {
			subject = fmt.Sprintf("%s/%d", p.RecordID, p.Revision)
		}
		add("record", subject, p.What)
	}

	if r.Leaves, err = in.Ledger.Size(ctx); err != nil {
		return nil, err
	}
	lp, err := in.Ledger.Verify(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range lp {
		add("ledger", fmt.Sprintf("%s %d", p.What, p.Index), p.Detail)
	}

	if err := revisions(ctx, in, r, add); err != nil {
		return nil, err
	}
	if err := custody(ctx, in, r, add); err != nil {
		return nil, err
	}
	problems2, n, err := auditlog.New(in.DB, in.Ledger).Check(ctx)
	if err != nil {
		return nil, err
	}
	r.AuditEntries = n
	for _, p := range problems2 {
		add("audit", fmt.Sprintf("audit entry %d", p.Seq), p.Detail)
	}
	if err := orphanLeaves(ctx, in, add); err != nil {
		return nil, err
	}
	if err := blobs(ctx, in, r, add); err != nil {
		return nil, err
	}
	return r, nil
}

// revisions checks every revision against its leaf, with the content hash
// recomputed from the stored body, so a body changed together with its
// stored hash is found too.
func revisions(ctx context.Context, in Inputs, r *Report, add func(a, s, d string)) error {
	rows, err := in.DB.Query(ctx, `SELECT v.record_id, v.revision, v.type, v.action, v.retracted, v.body, l.data
		FROM revisions v LEFT JOIN ledger_leaves l
		ON l.kind = 'revision' AND l.item_id = v.record_id AND l.number = v.revision
		ORDER BY v.record_id, v.revision`)
	if err != nil {
		return fmt.Errorf("audit: revisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rev record.Revision
		var body string
		var leaf []byte
		if err := rows.Scan(&rev.RecordID, &rev.Revision, &rev.Type, &rev.Action, &rev.Retracted, &body, &leaf); err != nil {
			return fmt.Errorf("audit: revisions: %w", err)
		}
		r.Revisions++
		subject := fmt.Sprintf("%s %s/%d", rev.Type, rev.RecordID, rev.Revision)
		if leaf == nil {
			add("ledger", subject, "has no ledger leaf: the leaf was removed, or the revision was written outside Tawthiq")
			continue
		}
		rev.ContentHash = record.ContentHash([]byte(body))
		want, err := ledger.RevisionLeaf(&rev).Marshal()
		if err != nil {
			add("record", subject, "cannot be attested: "+err.Error())
			continue
		}
		if string(want) != string(leaf) {
			add("ledger", subject, "differs from what its ledger leaf attests: it was changed after it was written")
		}
	}
	return rows.Err()
}

// custody checks every custody event against its own hash and its leaf.
func custody(ctx context.Context, in Inputs, r *Report, add func(a, s, d string)) error {
	rows, err := in.DB.Query(ctx, `SELECT c.evidence_id, c.seq, c.sha256, c.action, c.actor, c.purpose, c.detail, c.at, c.content_hash, l.data
		FROM custody_events c LEFT JOIN ledger_leaves l
		ON l.kind = 'custody' AND l.item_id = c.evidence_id AND l.number = c.seq
		ORDER BY c.evidence_id, c.seq`)
	if err != nil {
		return fmt.Errorf("audit: custody: %w", err)
	}
	defer rows.Close()
	last := map[string]int64{}
	for rows.Next() {
		var e evidence.Event
		var leaf []byte
		if err := rows.Scan(&e.EvidenceID, &e.Seq, &e.SHA256, &e.Action, &e.Actor, &e.Purpose, &e.Detail, &e.At, &e.ContentHash, &leaf); err != nil {
			return fmt.Errorf("audit: custody: %w", err)
		}
		r.Events++
		subject := fmt.Sprintf("custody %s/%d", e.EvidenceID, e.Seq)
		if e.Seq != last[e.EvidenceID]+1 {
			add("custody", subject, fmt.Sprintf("follows event %d: events are missing", last[e.EvidenceID]))
		}
		last[e.EvidenceID] = e.Seq
		got := evidence.HashContent(e.Canonical())
		if got != e.ContentHash {
			add("custody", subject, "does not match its stored content hash: it was changed")
		}
		if leaf == nil {
			add("ledger", subject, "has no ledger leaf: the leaf was removed, or the event was written outside Tawthiq")
			continue
		}
		e.ContentHash = got
		want, err := e.Leaf().Marshal()
		if err != nil {
			add("custody", subject, "cannot be attested: "+err.Error())
			continue
		}
		if string(want) != string(leaf) {
			add("ledger", subject, "differs from what its ledger leaf attests: it was changed after it was written")
		}
	}
	return rows.Err()
}

// orphanLeaves finds leaves whose revision or custody event is gone.
func orphanLeaves(ctx context.Context, in Inputs, add func(a, s, d string)) error {
	rows, err := in.DB.Query(ctx, `SELECT l.idx, l.kind, l.item_id, l.number FROM ledger_leaves l
		WHERE (l.kind = 'revision' AND NOT EXISTS (SELECT 1 FROM revisions v WHERE v.record_id = l.item_id AND v.revision = l.number))
		   OR (l.kind = 'custody' AND NOT EXISTS (SELECT 1 FROM custody_events c WHERE c.evidence_id = l.item_id AND c.seq = l.number))
		ORDER BY l.idx`)
	if err != nil {
		return fmt.Errorf("audit: leaves: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var idx, number int64
		var kind, id string
		if err := rows.Scan(&idx, &kind, &id, &number); err != nil {
			return fmt.Errorf("audit: leaves: %w", err)
		}
		add("ledger", fmt.Sprintf("leaf %d", idx), fmt.Sprintf("attests %s %s/%d, which is no longer stored: it was deleted", kind, id, number))
	}
	return rows.Err()
}

// blobs re-hashes every blob in the vault and looks for every blob an
// evidence record names.
func blobs(ctx context.Context, in Inputs, r *Report, add func(a, s, d string)) error {
	users := map[string][]string{} // sha → evidence ids naming it
	recs, err := allEvidence(ctx, in.Store)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		b, err := rec.Decode()
		if err != nil {
			add("record", "evidence "+rec.ID, "does not decode: "+err.Error())
			continue
		}
		ev := b.(*record.Evidence)
		users[ev.SHA256] = append(users[ev.SHA256], rec.ID)
		for _, d := range ev.Derivatives {
			users[d.SHA256] = append(users[d.SHA256], rec.ID+" (published copy)")
		}
	}
	seen := map[string]bool{}
	var shas []string
	err = in.Vault.Walk(ctx, func(sha string, size int64) error {
		shas = append(shas, sha)
		return nil
	})
	if err != nil {
		add("vault", "store", err.Error())
	}
	sort.Strings(shas)
	for _, sha := range shas {
		seen[sha] = true
		r.Blobs++
		err := in.Vault.Verify(ctx, sha)
		switch {
		case errors.Is(err, vault.ErrCorrupt):
			detail := "the stored bytes no longer hash to their name: the blob was damaged or altered"
			if u := users[sha]; len(u) > 0 {
				detail += "; evidence using it: " + strings.Join(u, ", ")
			}
			add("vault", "sha256:"+sha, detail)
		case err != nil:
			add("vault", "sha256:"+sha, "cannot be read: "+err.Error())
		}
	}
	missing := make([]string, 0)
	for sha := range users {
		if !seen[sha] {
			missing = append(missing, sha)
		}
	}
	sort.Strings(missing)
	for _, sha := range missing {
		add("vault", "sha256:"+sha, "is missing from the vault; it is named by "+strings.Join(users[sha], ", "))
	}
	return nil
}

func allEvidence(ctx context.Context, s *record.Store) ([]record.Record, error) {
	var out []record.Record
	for offset := 0; ; {
		page, total, err := s.List(ctx, record.Query{Type: record.TypeEvidence, IncludeRetracted: true, Limit: 500, Offset: offset})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		offset += len(page)
		if len(page) == 0 || offset >= total {
			return out, nil
		}
	}
}
