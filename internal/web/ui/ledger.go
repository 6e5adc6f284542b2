package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tawthiq/tawthiq/internal/ledger"
)

// LedgerData is the ledger page: the latest signed checkpoint and, when
// asked, one item's inclusion proof checked against it.
type LedgerData struct {
	Origin      string
	Size        int64  // entries in the log now
	CPSize      int64  // entries the latest checkpoint covers
	Root        string // base64, as in the checkpoint
	Signed      string // the checkpoint note, signature included
	VerifierKey string
	NoCP        bool
	Check       *InclusionCheck
	Record      string // the form's values
	Revision    string
}

// InclusionCheck is the result of checking one leaf.
type InclusionCheck struct {
	RecordID string
	Revision int
	Leaf     int64
	LeafText string
	Proof    []string // hashes, base64
	Verified bool
	Matches  bool // the leaf is the one the stored revision makes
	Pending  bool // not yet covered by a checkpoint
	Failure  string
}

func (u *UI) ledgerPage(w http.ResponseWriter, r *http.Request) {
	d, err := u.ledgerData(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "ledger", u.page(r, "ledger", "ledger.title", d))
}

func (u *UI) ledgerData(ctx context.Context) (*LedgerData, error) {
	d := &LedgerData{Origin: u.Ledger.Origin(), VerifierKey: u.Ledger.VerifierKey()}
	var err error
	if d.Size, err = u.Ledger.Size(ctx); err != nil {
		return nil, err
	}
	signed, err := u.Ledger.LatestCheckpoint(ctx)
	if errors.Is(err, ledger.ErrNotFound) {
		d.NoCP = true
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	cp, err := ledger.VerifyCheckpoint(signed, d.VerifierKey)
	if err != nil {
		return nil, err
	}
	d.Signed, d.CPSize, d.Root = string(signed), cp.Size, base64.StdEncoding.EncodeToString(cp.Root[:])
	return d, nil
}

// ledgerCheck finds the leaf of a record's revision (the current one when
// none is given), proves it is in the latest checkpoint's tree, and
// checks that the leaf is the one the stored revision makes — so a
// revision changed in the database after the fact shows as a mismatch.
func (u *UI) ledgerCheck(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := u.ledgerData(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d.Record = strings.TrimSpace(r.URL.Query().Get("record"))
	d.Revision = strings.TrimSpace(r.URL.Query().Get("revision"))
	if d.Record == "" {
		u.fail(w, r, badField("record", "is required: the id of a record or evidence item", "مطلوب: معرّف سجل أو دليل"))
		return
	}
	rec, err := u.Store.Get(ctx, d.Record)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	revNo := rec.Revision
	if d.Revision != "" {
		if revNo, err = strconv.Atoi(d.Revision); err != nil || revNo < 1 || revNo > rec.Revision {
			u.fail(w, r, badField("revision", "must be a revision number of the record", "يجب أن يكون رقم نسخة من نسخ السجل"))
			return
		}
	}
	rev, err := u.Store.Revision(ctx, d.Record, revNo)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	c := &InclusionCheck{RecordID: d.Record, Revision: revNo, Leaf: -1}
	d.Check = c
	c.Leaf, err = u.Ledger.FindRevision(ctx, d.Record, revNo)
	if err != nil {
		if !errors.Is(err, ledger.ErrNotFound) {
			u.fail(w, r, err)
			return
		}
		c.Failure = "ledger.check.noleaf"
		u.render(w, r, http.StatusOK, "ledger", u.page(r, "ledger", "ledger.title", d))
		return
	}
	leaf, err := u.Ledger.Leaf(ctx, c.Leaf)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	c.LeafText = string(leaf)
	if want, err := ledger.RevisionLeaf(rev).Marshal(); err == nil {
		c.Matches = bytes.Equal(leaf, want)
	}
	switch {
	case d.NoCP || c.Leaf >= d.CPSize:
		c.Pending = true
	default:
		signed, _ := u.Ledger.LatestCheckpoint(ctx)
		cp, err := ledger.VerifyCheckpoint(signed, d.VerifierKey)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		proof, err := u.Ledger.InclusionProof(ctx, c.Leaf, cp.Size)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, h := range proof {
			c.Proof = append(c.Proof, base64.StdEncoding.EncodeToString(h[:]))
		}
		c.Verified = ledger.VerifyInclusion(cp, c.Leaf, leaf, proof) == nil
	}
	u.render(w, r, http.StatusOK, "ledger", u.page(r, "ledger", "ledger.title", d))
}
