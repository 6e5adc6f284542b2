package ledger

import (
	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger/logfmt"
	"github.com/tawthiq/tawthiq/internal/record"
)

// The formats live in logfmt, which has no database, so an offline
// verifier (and its fuzzer) need not link one; these names keep the
// ledger's API in one place.

// LeafVersion is the first line of every leaf (see logfmt.LeafVersion).
const LeafVersion = logfmt.LeafVersion

// Leaf and its kinds: see logfmt.
type (
	Leaf       = logfmt.Leaf
	Kind       = logfmt.Kind
	Checkpoint = logfmt.Checkpoint
)

// The kinds of leaf.
const (
	KindRevision = logfmt.KindRevision
	KindCustody  = logfmt.KindCustody
	KindAudit    = logfmt.KindAudit
)

// ParseLeaf reads a leaf; see logfmt.ParseLeaf.
func ParseLeaf(data []byte) (Leaf, error) { return logfmt.ParseLeaf(data) }

// PersonalDigest is a leaf's personal line; see logfmt.PersonalDigest.
func PersonalDigest(salt, data []byte) (string, error) { return logfmt.PersonalDigest(salt, data) }

// ParseCheckpoint reads a checkpoint's text; see logfmt.ParseCheckpoint.
func ParseCheckpoint(body []byte) (Checkpoint, error) { return logfmt.ParseCheckpoint(body) }

// GenerateKey makes a checkpoint key pair; see logfmt.GenerateKey.
func GenerateKey(origin string) (skey, vkey string, err error) { return logfmt.GenerateKey(origin) }

// VerifyCheckpoint opens a signed checkpoint; see logfmt.VerifyCheckpoint.
func VerifyCheckpoint(signed []byte, vkey string) (Checkpoint, error) {
	return logfmt.VerifyCheckpoint(signed, vkey)
}

// VerifyInclusion checks an inclusion proof; see logfmt.VerifyInclusion.
func VerifyInclusion(cp Checkpoint, idx int64, leaf []byte, proof tlog.RecordProof) error {
	return logfmt.VerifyInclusion(cp, idx, leaf, proof)
}

// VerifyConsistency checks a consistency proof; see logfmt.VerifyConsistency.
func VerifyConsistency(older, newer Checkpoint, proof tlog.TreeProof) error {
	return logfmt.VerifyConsistency(older, newer, proof)
}

// RevisionLeaf is the leaf that attests one record revision.
func RevisionLeaf(rev *record.Revision) Leaf {
	return Leaf{
		Kind:        KindRevision,
		Type:        string(rev.Type),
		ID:          rev.RecordID,
		Number:      int64(rev.Revision),
		Action:      string(rev.Action),
		ContentHash: rev.ContentHash,
		Retracted:   rev.Retracted,
	}
}
