package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"
)

// Problem is one thing Verify found wrong.
type Problem struct {
	// What is "leaf", "hash" or "checkpoint".
	What string
	// Index is the leaf index, the stored-hash index (tlog numbering) or
	// the checkpoint's tree size.
	Index  int64
	Detail string
}

func (p Problem) String() string { return fmt.Sprintf("%s %d: %s", p.What, p.Index, p.Detail) }

// Verify recomputes the log from its leaves and reports every
// disagreement: a leaf that does not parse or whose lookup columns differ
// from its bytes, a gap in the indices, a stored hash that is not the hash
// of its leaf or of its two stored children, and a stored checkpoint
// whose signature, origin or root does not match the tree. Each stored
// hash is checked against its own inputs, so a tampered row is named
// rather than everything above it. An empty result means the stored log
// is intact; the error is for failures to read.
//
// What Verify cannot see is a log cut short together with its later
// checkpoints: that is what checkpoints held elsewhere (witnesses,
// exported proofs) are for.
func (l *Log) Verify(ctx context.Context) ([]Problem, error) {
	// Rows below n are committed and never change, so the queries below
	// agree with each other even while writers append.
	n, err := l.Size(ctx)
	if err != nil {
		return nil, err
	}
	problems, err := l.verifyTree(ctx, n)
	if err != nil {
		return nil, err
	}
	return l.verifyCheckpoints(ctx, n, problems)
}

// verifyTree walks leaves and stored hashes side by side, in one pass.
func (l *Log) verifyTree(ctx context.Context, n int64) ([]Problem, error) {
	leaves, err := l.db.Query(ctx, `SELECT idx, data, kind, item_id, number FROM ledger_leaves WHERE idx < $1 ORDER BY idx`, n)
	if err != nil {
		return nil, fmt.Errorf("ledger: verify: %w", err)
	}
	defer leaves.Close()
	hashes, err := l.db.Query(ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx < $1 ORDER BY idx`, tlog.StoredHashCount(n))
	if err != nil {
		return nil, fmt.Errorf("ledger: verify: %w", err)
	}
	defer hashes.Close()

	v := &verifier{hashes: hashes}
	for i := int64(0); leaves.Next(); i++ {
		var idx, number int64
		var data []byte
		var kind, id string
		if err := leaves.Scan(&idx, &data, &kind, &id, &number); err != nil {
			return nil, fmt.Errorf("ledger: verify: %w", err)
		}
		if idx != i {
			// Indices are dense; after a gap the hashes no longer line up
			// with leaves, so the walk stops here.
			v.add("leaf", i, fmt.Sprintf("missing (next stored leaf is %d)", idx))
			return v.problems, nil
		}
		if leaf, err := ParseLeaf(data); err != nil {
			v.add("leaf", idx, err.Error())
		} else if string(leaf.Kind) != kind || leaf.ID != id || leaf.Number != number {
			v.add("leaf", idx, fmt.Sprintf("lookup columns (%s %s/%d) differ from the leaf", kind, id, number))
		}
		if err := v.leaf(idx, tlog.RecordHash(data)); err != nil {
			return nil, err
		}
	}
	if err := leaves.Err(); err != nil {
		return nil, fmt.Errorf("ledger: verify: %w", err)
	}
	if err := hashes.Err(); err != nil {
		return nil, fmt.Errorf("ledger: verify: %w", err)
	}
	return v.problems, nil
}

// verifier walks the stored hashes in index order beside the leaves.
type verifier struct {
	hashes *sql.Rows
	// pending is a row read ahead of a missing one.
	pending *storedHash
	// last[k] is the stored hash of the latest complete subtree at level
	// k: the left sibling of the next one.
	last     []tlog.Hash
	problems []Problem
}

type storedHash struct {
	idx  int64
	hash []byte
}

func (v *verifier) add(what string, idx int64, detail string) {
	v.problems = append(v.problems, Problem{What: what, Index: idx, Detail: detail})
}

// leaf checks the hashes stored with leaf n: its record hash, then one
// hash for each subtree the leaf completes, each against the two stored
// hashes below it.
func (v *verifier) leaf(n int64, leafHash tlog.Hash) error {
	base := tlog.StoredHashIndex(0, n)
	levels := 1 + bits.TrailingZeros64(uint64(n+1))
	for len(v.last) < levels {
		v.last = append(v.last, tlog.Hash{})
	}
	var below tlog.Hash // this leaf's stored node one level down
	for k := 0; k < levels; k++ {
		x := base + int64(k)
		want := leafHash
		if k > 0 {
			want = tlog.NodeHash(v.last[k-1], below)
			v.last[k-1] = below // the newest complete node at level k-1
		}
		stored, err := v.next(x)
		if err != nil {
			return err
		}
		switch {
		case stored == nil:
			stored = &want // reported by next; go on with what it should be
		case *stored != want && k == 0:
			v.add("leaf", n, fmt.Sprintf("does not hash to its stored leaf hash %d", x))
		case *stored != want:
			lo := n >> uint(k) << uint(k)
			v.add("hash", x, fmt.Sprintf("is not the hash of its two stored children (level %d, leaves %d–%d)", k, lo, n))
		}
		below = *stored
	}
	v.last[levels-1] = below
	return nil
}

// next returns the stored hash at index x, or nil (and a problem) if that
// row is missing or malformed.
func (v *verifier) next(x int64) (*tlog.Hash, error) {
	row := v.pending
	v.pending = nil
	if row == nil {
		if !v.hashes.Next() {
			v.add("hash", x, "missing")
			return nil, v.hashes.Err()
		}
		row = new(storedHash)
		if err := v.hashes.Scan(&row.idx, &row.hash); err != nil {
			return nil, fmt.Errorf("ledger: verify: %w", err)
		}
	}
	switch {
	case row.idx > x:
		v.pending = row // row belongs to a later call
		v.add("hash", x, "missing")
		return nil, nil
	case row.idx < x:
		return nil, fmt.Errorf("ledger: verify: stored hash %d out of order before %d", row.idx, x)
	case len(row.hash) != tlog.HashSize:
		v.add("hash", x, fmt.Sprintf("has %d bytes, not %d", len(row.hash), tlog.HashSize))
		return nil, nil
	}
	h := tlog.Hash(row.hash)
	return &h, nil
}

// verifyCheckpoints checks every stored checkpoint against the log's key
// and the stored tree of n entries.
func (l *Log) verifyCheckpoints(ctx context.Context, n int64, problems []Problem) ([]Problem, error) {
	type row struct {
		size   int64
		root   []byte
		signed string
	}
	// Read them all first: few and small, and the checks below query too.
	var cps []row
	rows, err := l.db.Query(ctx, `SELECT size, root, note FROM ledger_checkpoints ORDER BY size`)
	if err != nil {
		return nil, fmt.Errorf("ledger: verify checkpoints: %w", err)
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.size, &r.root, &r.signed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("ledger: verify checkpoints: %w", err)
		}
		cps = append(cps, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: verify checkpoints: %w", err)
	}
	add := func(size int64, detail string) {
		problems = append(problems, Problem{What: "checkpoint", Index: size, Detail: detail})
	}
	for _, r := range cps {
		cp, err := VerifyCheckpoint([]byte(r.signed), l.vkey)
		switch {
		case err != nil:
			add(r.size, err.Error())
		case cp.Size != r.size || !bytes.Equal(cp.Root[:], r.root):
			add(r.size, "the signed note differs from its row's size or root")
		case r.size > n:
			add(r.size, fmt.Sprintf("signed for %d entries but the log has %d", r.size, n))
		default:
			tree, err := tlog.TreeHash(r.size, hashReader(ctx, l.db))
			if err != nil {
				return nil, fmt.Errorf("ledger: verify checkpoint %d: %w", r.size, err)
			}
			if tree != cp.Root {
				add(r.size, "root differs from the stored tree")
			}
		}
	}
	return problems, nil
}
