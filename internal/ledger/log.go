// Package ledger is Tawthiq's tamper-evident log: an RFC 6962 Merkle tree
// of leaves that commit to record revisions, custody events and audited
// actions, with C2SP signed checkpoints, inclusion and consistency proofs,
// and the C2SP tlog-tiles resources that let anyone follow the log.
//
// Invariant: a leaf is appended in the same database transaction as the
// change it attests, so the log and the records commit together or not at
// all; and nothing in the log is ever rewritten — leaves, stored tree
// hashes and checkpoints are append-only (the schema's triggers refuse
// UPDATE and DELETE), and the log never signs a checkpoint that is not a
// proven extension of the last one it signed.
//
// Leaves are commitments (ids, digests), never plaintext personal data;
// docs/spec/ledger-leaf.md specifies their bytes.
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger/logfmt"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Sentinel errors; test them with errors.Is.
var (
	// ErrNotFound: the index, size, tile, revision or checkpoint asked for
	// is not in the log (yet). Ask for something the log has.
	ErrNotFound = errors.New("ledger: not found")
	// ErrMalformed: bytes given to a parser (leaf, checkpoint, tile path,
	// key) do not follow their format. Reject the input.
	ErrMalformed = logfmt.ErrMalformed
	// ErrVerify: a signature, proof or root does not check out. Treat the
	// material as untrustworthy.
	ErrVerify = logfmt.ErrVerify
	// ErrInconsistent: the stored tree no longer extends the last signed
	// checkpoint, so the log refuses to sign. Stop writing, run Verify and
	// restore from a backup.
	ErrInconsistent = errors.New("ledger: stored tree is inconsistent with a signed checkpoint")
)

// Log is the Merkle log kept in a database, with the key that signs its
// checkpoints.
type Log struct {
	db     *sqldb.DB
	signer note.Signer
	vkey   string

	mu sync.Mutex
	w  *appender // the transaction Append wrote in last
}

// New returns the log stored in db, signing checkpoints with signerKey
// (private note key text, see GenerateKey). The key's name is the log's
// origin.
func New(db *sqldb.DB, signerKey string) (*Log, error) {
	s, err := note.NewSigner(signerKey)
	if err != nil {
		return nil, fmt.Errorf("%w: signer key: %v", ErrMalformed, err)
	}
	if !logfmt.ValidOrigin(s.Name()) {
		return nil, fmt.Errorf("%w: signer key name %q is not a checkpoint origin", ErrMalformed, s.Name())
	}
	vkey, err := logfmt.VerifierKey(signerKey)
	if err != nil {
		return nil, err
	}
	return &Log{db: db, signer: s, vkey: vkey}, nil
}

// Origin is the checkpoint origin line: the signing key's name.
func (l *Log) Origin() string { return l.signer.Name() }

// VerifierKey is the public key that verifies the log's checkpoints.
func (l *Log) VerifierKey() string { return l.vkey }

// Append adds leaf as the next entry, inside the caller's transaction, and
// returns its index. The leaf and its tree hashes commit with tx or not at
// all; after an error the caller must roll tx back (WriteTx does when the
// error is returned). Writers are serialised by the database: SQLite has
// one writer; on PostgreSQL the transaction must lock the ledger first.
//
// Within one transaction Append keeps the next index, the tree's right
// edge and its prepared statements, so only a transaction's first append
// reads the ledger. That assumes this Log is the only thing appending in
// that transaction — use one Log per database. Anything else appending
// in between makes Append fail on a duplicate index, never write a wrong
// hash.
func (l *Log) Append(ctx context.Context, tx *sqldb.Tx, leaf Leaf) (int64, error) {
	data, err := leaf.Marshal()
	if err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.w
	if w == nil || w.tx != tx {
		if w, err = startAppending(ctx, tx); err != nil {
			return 0, err
		}
	}
	l.w = nil // until this append has fully succeeded
	n, err := w.append(ctx, leaf, data)
	if err != nil {
		return 0, err
	}
	l.w = w
	return n, nil
}

// appender is what Append knows about the transaction it last wrote in.
// Holding tx keeps its address from being reused by another transaction.
type appender struct {
	ctx context.Context // of the append under way, for reading edge hashes
	tx  *sqldb.Tx
	n   int64 // the next index
	// edge[k] is the hash of the complete subtree at level k on the
	// tree's right edge, for each bit k set in n: the hashes
	// tlog.StoredHashes reads for the next leaf. known marks the levels
	// read or computed so far.
	edge             [64]tlog.Hash
	known            uint64
	insLeaf, insHash *sql.Stmt
}

func startAppending(ctx context.Context, tx *sqldb.Tx) (*appender, error) {
	n, err := size(ctx, tx)
	if err != nil {
		return nil, err
	}
	w := &appender{ctx: ctx, tx: tx, n: n}
	w.insLeaf, err = tx.PrepareContext(ctx, tx.Dialect.Rebind(`INSERT INTO ledger_leaves
		(idx, data, kind, item_id, number, created_at) VALUES ($1, $2, $3, $4, $5, $6)`))
	if err != nil {
		return nil, fmt.Errorf("ledger: append: %w", err)
	}
	w.insHash, err = tx.PrepareContext(ctx, tx.Dialect.Rebind(`INSERT INTO ledger_hashes (idx, hash) VALUES ($1, $2)`))
	if err != nil {
		return nil, fmt.Errorf("ledger: append: %w", err)
	}
	return w, nil
}

// ReadHashes serves tlog.StoredHashes from the right edge, reading from
// the transaction the edge hashes it has not seen yet.
func (w *appender) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var missing []int64
	for _, x := range indexes {
		k, m := tlog.SplitStoredHashIndex(x)
		if w.n>>k&1 != 1 || m != w.n>>k-1 {
			return nil, fmt.Errorf("ledger: append %d: hash %d is not on the right edge", w.n, x)
		}
		if w.known>>k&1 == 0 {
			missing = append(missing, x)
		}
	}
	if len(missing) > 0 {
		hs, err := readHashes(w.ctx, w.tx, missing)
		if err != nil {
			return nil, err
		}
		for i, x := range missing {
			k, _ := tlog.SplitStoredHashIndex(x)
			w.edge[k] = hs[i]
			w.known |= 1 << k
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		k, _ := tlog.SplitStoredHashIndex(x)
		out[i] = w.edge[k]
	}
	return out, nil
}

func (w *appender) append(ctx context.Context, leaf Leaf, data []byte) (int64, error) {
	w.ctx = ctx
	n := w.n
	hashes, err := tlog.StoredHashes(n, data, w)
	if err != nil {
		return 0, err
	}
	_, err = w.insLeaf.ExecContext(ctx, n, data, string(leaf.Kind), leaf.ID, leaf.Number, time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return 0, fmt.Errorf("ledger: append %d (%s %s/%d): %w", n, leaf.Kind, leaf.ID, leaf.Number, err)
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		if _, err := w.insHash.ExecContext(ctx, base+int64(i), h[:]); err != nil {
			return 0, fmt.Errorf("ledger: append %d: hash: %w", n, err)
		}
	}
	// Leaf n completes len(hashes)-1 levels: those edge hashes are now
	// inside a larger subtree, and the largest one joins the edge.
	top := len(hashes) - 1
	w.edge[top] = hashes[top]
	w.known |= 1 << top
	w.n++
	return n, nil
}

// Hook is the record service hook that appends RevisionLeaf of every
// revision in the revision's own transaction.
func (l *Log) Hook() record.Hook {
	return func(ctx context.Context, tx *sqldb.Tx, rev *record.Revision) error {
		if _, err := l.Append(ctx, tx, RevisionLeaf(rev)); err != nil {
			return fmt.Errorf("ledger: revision %s/%d: %w", rev.RecordID, rev.Revision, err)
		}
		return nil
	}
}

// Size is the number of entries committed so far.
func (l *Log) Size(ctx context.Context) (int64, error) { return size(ctx, l.db) }

// Root is the RFC 6962 root hash of the first size entries.
func (l *Log) Root(ctx context.Context, size int64) (tlog.Hash, error) {
	if err := l.haveSize(ctx, size); err != nil {
		return tlog.Hash{}, err
	}
	h, err := tlog.TreeHash(size, hashReader(ctx, l.db))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("ledger: root of %d: %w", size, err)
	}
	return h, nil
}

// Leaf returns the bytes of entry idx.
func (l *Log) Leaf(ctx context.Context, idx int64) ([]byte, error) {
	var data []byte
	err := l.db.QueryRow(ctx, `SELECT data FROM ledger_leaves WHERE idx = $1`, idx).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: entry %d", ErrNotFound, idx)
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: entry %d: %w", idx, err)
	}
	return data, nil
}

// InclusionProof proves that entry idx is in the tree of the given size.
func (l *Log) InclusionProof(ctx context.Context, idx, size int64) (tlog.RecordProof, error) {
	if err := l.haveSize(ctx, size); err != nil {
		return nil, err
	}
	if idx < 0 || idx >= size {
		return nil, fmt.Errorf("%w: entry %d in a tree of size %d", ErrNotFound, idx, size)
	}
	p, err := tlog.ProveRecord(size, idx, hashReader(ctx, l.db))
	if err != nil {
		return nil, fmt.Errorf("ledger: inclusion of %d in %d: %w", idx, size, err)
	}
	return p, nil
}

// ConsistencyProof proves that the tree of size to extends the tree of
// size from (from ≤ to; from 0 gives the empty proof).
func (l *Log) ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error) {
	if err := l.haveSize(ctx, to); err != nil {
		return nil, err
	}
	if from < 0 || from > to {
		return nil, fmt.Errorf("%w: consistency from %d to %d", ErrNotFound, from, to)
	}
	if from == 0 {
		return tlog.TreeProof{}, nil
	}
	p, err := tlog.ProveTree(to, from, hashReader(ctx, l.db))
	if err != nil {
		return nil, fmt.Errorf("ledger: consistency %d → %d: %w", from, to, err)
	}
	return p, nil
}

// FindRevision is the index of the leaf of a record's revision.
func (l *Log) FindRevision(ctx context.Context, recordID string, revision int) (int64, error) {
	return l.Find(ctx, KindRevision, recordID, int64(revision))
}

// Find is the index of the leaf of kind for an id and number (a custody
// event's evidence id and sequence number, say).
func (l *Log) Find(ctx context.Context, kind Kind, id string, number int64) (int64, error) {
	var idx int64
	err := l.db.QueryRow(ctx, `SELECT idx FROM ledger_leaves WHERE kind = $1 AND item_id = $2 AND number = $3`,
		string(kind), id, number).Scan(&idx)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: %s leaf for %s/%d", ErrNotFound, kind, id, number)
	}
	if err != nil {
		return 0, fmt.Errorf("ledger: find %s %s/%d: %w", kind, id, number, err)
	}
	return idx, nil
}

// Checkpoint returns a signed checkpoint for the current size, signing
// and storing one unless that size already has one. Before it signs, it
// proves the new tree consistent with the last checkpoint it signed, and
// refuses with ErrInconsistent if it is not. When the log has not grown
// since the last checkpoint it only reads; otherwise it runs its own
// write transaction: never call it inside one.
func (l *Log) Checkpoint(ctx context.Context) ([]byte, error) {
	// Followers polling a quiet log must not take the write lock.
	n, err := size(ctx, l.db)
	if err != nil {
		return nil, err
	}
	var stored string
	err = l.db.QueryRow(ctx, `SELECT note FROM ledger_checkpoints WHERE size = $1`, n).Scan(&stored)
	if err == nil {
		return []byte(stored), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("ledger: checkpoint: %w", err)
	}
	var out []byte
	err = l.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		n, err := size(ctx, tx)
		if err != nil {
			return err
		}
		var stored string
		err = tx.QueryRow(ctx, `SELECT note FROM ledger_checkpoints WHERE size = $1`, n).Scan(&stored)
		if err == nil {
			out = []byte(stored)
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("ledger: checkpoint %d: %w", n, err)
		}
		r := hashReader(ctx, tx)
		root, err := tlog.TreeHash(n, r)
		if err != nil {
			return fmt.Errorf("ledger: checkpoint %d: %w", n, err)
		}
		if err := l.extendsLast(ctx, tx, r, n, root); err != nil {
			return err
		}
		cp := Checkpoint{Origin: l.Origin(), Size: n, Root: root}
		signed, err := note.Sign(&note.Note{Text: string(cp.Marshal())}, l.signer)
		if err != nil {
			return fmt.Errorf("ledger: sign checkpoint %d: %w", n, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO ledger_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, $4)`,
			n, root[:], string(signed), time.Now().UTC().Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("ledger: store checkpoint %d: %w", n, err)
		}
		out = signed
		return nil
	})
	return out, err
}

// extendsLast checks the tree of size n and root against the largest
// checkpoint stored before it.
func (l *Log) extendsLast(ctx context.Context, tx *sqldb.Tx, r tlog.HashReader, n int64, root tlog.Hash) error {
	var last int64
	var lastRoot []byte
	err := tx.QueryRow(ctx, `SELECT size, root FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&last, &lastRoot)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("ledger: last checkpoint: %w", err)
	case last > n:
		return fmt.Errorf("%w: the log has %d entries but checkpoint %d was signed", ErrInconsistent, n, last)
	case len(lastRoot) != tlog.HashSize:
		return fmt.Errorf("%w: checkpoint %d has a malformed root", ErrInconsistent, last)
	case last == 0:
		return nil
	}
	proof, err := tlog.ProveTree(n, last, r)
	if err != nil {
		return fmt.Errorf("ledger: consistency %d → %d: %w", last, n, err)
	}
	if err := tlog.CheckTree(proof, n, root, last, tlog.Hash(lastRoot)); err != nil {
		return fmt.Errorf("%w: tree of size %d does not extend checkpoint %d", ErrInconsistent, n, last)
	}
	return nil
}

// LatestCheckpoint is the stored checkpoint of the largest size.
func (l *Log) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var s string
	err := l.db.QueryRow(ctx, `SELECT note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no checkpoint has been signed", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: latest checkpoint: %w", err)
	}
	return []byte(s), nil
}

// haveSize fails with ErrNotFound unless 0 ≤ n ≤ the committed size.
func (l *Log) haveSize(ctx context.Context, n int64) error {
	cur, err := l.Size(ctx)
	if err != nil {
		return err
	}
	if n < 0 || n > cur {
		return fmt.Errorf("%w: tree size %d (the log has %d entries)", ErrNotFound, n, cur)
	}
	return nil
}

// querier is a read pool or a transaction; both bind $N placeholders.
type querier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// size reads the entry count: one past the largest index, since indices
// are dense from 0 (MAX is an index lookup; COUNT would scan).
func size(ctx context.Context, q querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_leaves`).Scan(&n); err != nil {
		return 0, fmt.Errorf("ledger: size: %w", err)
	}
	return n, nil
}

// hashReader reads stored tree hashes by their tlog stored-hash index.
func hashReader(ctx context.Context, q querier) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return readHashes(ctx, q, indexes)
	})
}

// readChunk bounds the parameters of one IN list.
const readChunk = 500

func readHashes(ctx context.Context, q querier, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	pos := make(map[int64][]int, len(indexes))
	for i, x := range indexes {
		pos[x] = append(pos[x], i)
	}
	for start := 0; start < len(indexes); start += readChunk {
		chunk := indexes[start:min(start+readChunk, len(indexes))]
		var sb strings.Builder
		sb.WriteString(`SELECT idx, hash FROM ledger_hashes WHERE idx IN (`)
		args := make([]any, len(chunk))
		for i, x := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "$%d", i+1)
			args[i] = x
		}
		sb.WriteString(`)`)
		if err := scanHashes(ctx, q, sb.String(), args, pos, out); err != nil {
			return nil, err
		}
	}
	for x, is := range pos {
		if is != nil {
			return nil, fmt.Errorf("ledger: stored hash %d is missing", x)
		}
	}
	return out, nil
}

// scanHashes fills out from one query and clears the positions it found.
func scanHashes(ctx context.Context, q querier, query string, args []any, pos map[int64][]int, out []tlog.Hash) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("ledger: read hashes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var x int64
		var h []byte
		if err := rows.Scan(&x, &h); err != nil {
			return fmt.Errorf("ledger: read hashes: %w", err)
		}
		if len(h) != tlog.HashSize {
			return fmt.Errorf("ledger: stored hash %d has %d bytes", x, len(h))
		}
		for _, i := range pos[x] {
			copy(out[i][:], h)
		}
		pos[x] = nil
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ledger: read hashes: %w", err)
	}
	return nil
}
