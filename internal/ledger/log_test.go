package ledger_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

const testOrigin = "tawthiq.example/log"

func openDB(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqldb.CreateSQLite(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openLog returns a fresh log and its verifier key.
func openLog(t testing.TB) (*sqldb.DB, *ledger.Log, string) {
	t.Helper()
	db := openDB(t)
	skey, vkey, err := ledger.GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.New(db, skey)
	if err != nil {
		t.Fatal(err)
	}
	if l.VerifierKey() != vkey || l.Origin() != testOrigin {
		t.Fatalf("log key %q origin %q, want %q %q", l.VerifierKey(), l.Origin(), vkey, testOrigin)
	}
	return db, l, vkey
}

// testLeaf is the i'th leaf of a test log: all three kinds, varied ids.
func testLeaf(i int) ledger.Leaf {
	sum := sha256.Sum256([]byte(fmt.Sprint("content ", i)))
	l := ledger.Leaf{Kind: ledger.KindRevision, Type: "incident", ID: fmt.Sprintf("rec-%d", i/3), Number: int64(i%3 + 1),
		Action: "update", ContentHash: "sha256:" + hex.EncodeToString(sum[:]), Retracted: i%7 == 0}
	switch i % 5 {
	case 3:
		l.Kind, l.Type, l.Action, l.Number, l.Retracted = ledger.KindCustody, "evidence", "received", int64(i), false
	case 4:
		l.Kind, l.Type, l.Action, l.Number = ledger.KindAudit, "person", "sealed_read", int64(i)
		p, _ := ledger.PersonalDigest([]byte("sixteen byte salt!"), []byte(fmt.Sprint("name ", i)))
		l.Personal = p
	}
	return l
}

func mustMarshal(t testing.TB, l ledger.Leaf) []byte {
	t.Helper()
	b, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// appendBatches appends leaves from..from+sum(batches) in one transaction
// per batch and checks each returned index; it returns the leaf bytes.
func appendBatches(t testing.TB, db *sqldb.DB, l *ledger.Log, from int, batches []int) [][]byte {
	t.Helper()
	ctx := context.Background()
	var out [][]byte
	i := from
	for _, n := range batches {
		err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			for j := 0; j < n; j++ {
				leaf := testLeaf(i + j)
				idx, err := l.Append(ctx, tx, leaf)
				if err != nil {
					return err
				}
				if idx != int64(i+j) {
					return fmt.Errorf("append %d returned index %d", i+j, idx)
				}
				out = append(out, mustMarshal(t, leaf))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		i += n
	}
	return out
}

// ref is an independent RFC 6962 tree over the same leaf bytes, built with
// transparency-dev/merkle.
type ref struct {
	h     *rfc6962.Hasher
	roots [][]byte // roots[n] is the root of the first n leaves
}

func newRef(leaves [][]byte) *ref {
	h := rfc6962.DefaultHasher
	f := &compact.RangeFactory{Hash: h.HashChildren}
	r := f.NewEmptyRange(0)
	roots := [][]byte{h.EmptyRoot()}
	for _, leaf := range leaves {
		if err := r.Append(h.HashLeaf(leaf), nil); err != nil {
			panic(err)
		}
		root, err := r.GetRootHash(nil)
		if err != nil {
			panic(err)
		}
		roots = append(roots, root)
	}
	return &ref{h: h, roots: roots}
}

// subtreeRoot is MTH(leaves[lo:hi]) computed from scratch.
func subtreeRoot(leaves [][]byte) []byte {
	return newRef(leaves).roots[len(leaves)]
}

func hashesBytes[H ~[]tlog.Hash](p H) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

// batches are transaction sizes: single appends, several per transaction,
// and sizes that cross subtree boundaries.
var testBatches = []int{1, 1, 1, 2, 3, 1, 5, 8, 1, 13, 16, 1, 31, 33, 1, 64, 7, 40}

func TestRootMatchesIndependentTree(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	if n, err := l.Size(ctx); err != nil || n != 0 {
		t.Fatalf("empty log: size %d, %v", n, err)
	}
	leaves := appendBatches(t, db, l, 0, testBatches)
	r := newRef(leaves)
	n, err := l.Size(ctx)
	if err != nil || n != int64(len(leaves)) {
		t.Fatalf("size %d, %v; want %d", n, err, len(leaves))
	}
	for size := int64(0); size <= n; size++ {
		root, err := l.Root(ctx, size)
		if err != nil {
			t.Fatalf("root %d: %v", size, err)
		}
		if got, want := hex.EncodeToString(root[:]), hex.EncodeToString(r.roots[size]); got != want {
			t.Fatalf("root of %d = %s, independent tree says %s", size, got, want)
		}
	}
	if _, err := l.Root(ctx, n+1); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("root beyond the log: %v, want ErrNotFound", err)
	}
	for i, want := range leaves {
		got, err := l.Leaf(ctx, int64(i))
		if err != nil || string(got) != string(want) {
			t.Fatalf("leaf %d = %q, %v; want %q", i, got, err, want)
		}
	}
	if _, err := l.Leaf(ctx, n); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("leaf beyond the log: %v, want ErrNotFound", err)
	}
}

func TestProofsVerifyIndependently(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	leaves := appendBatches(t, db, l, 0, testBatches)
	r := newRef(leaves)
	n := int64(len(leaves))
	// Every pair up to 40 leaves, then a spread of larger sizes.
	var sizes []int64
	for s := int64(1); s <= 40; s++ {
		sizes = append(sizes, s)
	}
	sizes = append(sizes, 63, 64, 65, 127, 128, 129, 200, n-1, n)
	for _, size := range sizes {
		for idx := int64(0); idx < size; idx += 1 + size/40 {
			p, err := l.InclusionProof(ctx, idx, size)
			if err != nil {
				t.Fatalf("inclusion %d in %d: %v", idx, size, err)
			}
			if err := proof.VerifyInclusion(r.h, uint64(idx), uint64(size), r.h.HashLeaf(leaves[idx]), hashesBytes(p), r.roots[size]); err != nil {
				t.Fatalf("inclusion %d in %d does not verify independently: %v", idx, size, err)
			}
			cp := ledger.Checkpoint{Origin: testOrigin, Size: size, Root: tlog.Hash(r.roots[size])}
			if err := ledger.VerifyInclusion(cp, idx, leaves[idx], p); err != nil {
				t.Fatalf("VerifyInclusion %d in %d: %v", idx, size, err)
			}
			other := leaves[(idx+1)%int64(len(leaves))]
			if err := ledger.VerifyInclusion(cp, idx, other, p); !errors.Is(err, ledger.ErrVerify) {
				t.Fatalf("VerifyInclusion accepted another leaf at %d in %d: %v", idx, size, err)
			}
		}
		for from := int64(0); from <= size; from += 1 + size/20 {
			p, err := l.ConsistencyProof(ctx, from, size)
			if err != nil {
				t.Fatalf("consistency %d → %d: %v", from, size, err)
			}
			if err := proof.VerifyConsistency(r.h, uint64(from), uint64(size), hashesBytes(p), r.roots[from], r.roots[size]); err != nil {
				t.Fatalf("consistency %d → %d does not verify independently: %v", from, size, err)
			}
			older := ledger.Checkpoint{Origin: testOrigin, Size: from, Root: tlog.Hash(r.roots[from])}
			newer := ledger.Checkpoint{Origin: testOrigin, Size: size, Root: tlog.Hash(r.roots[size])}
			if err := ledger.VerifyConsistency(older, newer, p); err != nil {
				t.Fatalf("VerifyConsistency %d → %d: %v", from, size, err)
			}
			if from > 0 && from < size {
				bad := older
				bad.Root[0] ^= 1
				if err := ledger.VerifyConsistency(bad, newer, p); !errors.Is(err, ledger.ErrVerify) {
					t.Fatalf("VerifyConsistency accepted a wrong old root %d → %d: %v", from, size, err)
				}
			}
		}
	}
	for _, c := range []struct{ idx, size int64 }{{0, 0}, {-1, 5}, {5, 5}, {0, n + 1}} {
		if _, err := l.InclusionProof(ctx, c.idx, c.size); !errors.Is(err, ledger.ErrNotFound) {
			t.Errorf("inclusion %d in %d: %v, want ErrNotFound", c.idx, c.size, err)
		}
	}
	for _, c := range []struct{ from, to int64 }{{3, 2}, {-1, 2}, {1, n + 1}} {
		if _, err := l.ConsistencyProof(ctx, c.from, c.to); !errors.Is(err, ledger.ErrNotFound) {
			t.Errorf("consistency %d → %d: %v, want ErrNotFound", c.from, c.to, err)
		}
	}
}

func TestRollbackLeavesNothing(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	leaves := appendBatches(t, db, l, 0, []int{5})
	before := counts(t, db)
	boom := errors.New("the change failed")
	err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		for i := 5; i < 9; i++ {
			if _, err := l.Append(ctx, tx, testLeaf(i)); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WriteTx: %v", err)
	}
	if after := counts(t, db); after != before {
		t.Fatalf("rolled-back appends left rows: %s → %s", before, after)
	}
	// The next append takes the index the rolled-back one had, and the
	// tree is still the independent tree.
	leaves = append(leaves, appendBatches(t, db, l, 5, []int{2})...)
	root, err := l.Root(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if want := newRef(leaves).roots[7]; string(root[:]) != string(want) {
		t.Fatalf("root after rollback differs from the independent tree")
	}
}

// A leaf that breaks the format is refused before anything is written.
func TestAppendRefusesMalformedLeaf(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	bad := testLeaf(0)
	bad.ID = "line\nbreak"
	err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		_, err := l.Append(ctx, tx, bad)
		return err
	})
	if !errors.Is(err, ledger.ErrMalformed) {
		t.Fatalf("append of a malformed leaf: %v, want ErrMalformed", err)
	}
	if got := counts(t, db); got != "leaves=0 hashes=0 checkpoints=0" {
		t.Fatalf("malformed leaf left rows: %s", got)
	}
}

// The same revision cannot be attested twice.
func TestAppendRefusesDuplicate(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	appendBatches(t, db, l, 0, []int{1})
	err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		_, err := l.Append(ctx, tx, testLeaf(0))
		return err
	})
	if err == nil {
		t.Fatal("a second leaf for the same revision was accepted")
	}
	if got := counts(t, db); got != "leaves=1 hashes=1 checkpoints=0" {
		t.Fatalf("refused duplicate left rows: %s", got)
	}
}

func TestTriggersRefuseRewrites(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	appendBatches(t, db, l, 0, []int{3})
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE ledger_leaves SET data = x'00' WHERE idx = 1`,
		`DELETE FROM ledger_leaves WHERE idx = 2`,
		`UPDATE ledger_hashes SET hash = zeroblob(32) WHERE idx = 0`,
		`DELETE FROM ledger_hashes`,
		`UPDATE ledger_checkpoints SET note = 'x'`,
		`DELETE FROM ledger_checkpoints`,
	} {
		if _, err := db.Exec(ctx, q); err == nil {
			t.Errorf("%s: accepted", q)
		}
	}
	if got := counts(t, db); got != "leaves=3 hashes=4 checkpoints=1" {
		t.Fatalf("rows after refused rewrites: %s", got)
	}
}

func counts(t testing.TB, db *sqldb.DB) string {
	t.Helper()
	var out string
	for _, table := range []string{"leaves", "hashes", "checkpoints"} {
		var n int
		if err := db.QueryRow(context.Background(), "SELECT COUNT(*) FROM ledger_"+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if out != "" {
			out += " "
		}
		out += fmt.Sprintf("%s=%d", table, n)
	}
	return out
}

// Append keeps per-transaction state. A second Log appending in the same
// transaction must make it fail — never write a wrong hash — and Logs
// taking turns across transactions must agree.
func TestTwoLogsOneDatabase(t *testing.T) {
	ctx := context.Background()
	db, a, _ := openLog(t)
	skey, _, err := ledger.GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ledger.New(db, skey)
	if err != nil {
		t.Fatal(err)
	}
	var leaves [][]byte
	for i, l := range []*ledger.Log{a, b, a, a, b, b, a} {
		leaves = append(leaves, appendBatches(t, db, l, len(leaves), []int{i%3 + 1})...)
	}
	before := counts(t, db)
	err = db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		for i, l := range []*ledger.Log{a, b, a} {
			if _, err := l.Append(ctx, tx, testLeaf(len(leaves)+i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		t.Fatal("interleaved appends by two Logs in one transaction succeeded")
	}
	if after := counts(t, db); after != before {
		t.Fatalf("failed transaction left rows: %s → %s", before, after)
	}
	leaves = append(leaves, appendBatches(t, db, a, len(leaves), []int{3})...)
	for _, l := range []*ledger.Log{a, b} {
		root, err := l.Root(ctx, int64(len(leaves)))
		if err != nil {
			t.Fatal(err)
		}
		if string(root[:]) != string(newRef(leaves).roots[len(leaves)]) {
			t.Fatal("root differs from the independent tree")
		}
		if problems, err := l.Verify(ctx); err != nil || len(problems) != 0 {
			t.Fatalf("Verify: %v, %v", problems, err)
		}
	}
}
