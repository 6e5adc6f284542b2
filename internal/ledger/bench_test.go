package ledger_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// BenchmarkAppend measures leaves appended per second, one transaction per
// op with perTx appends, beside raw INSERTs of the same leaf bytes into a
// plain table of the same database with the same transactions, in the
// same run. It reports both rates and their ratio.
func BenchmarkAppend(b *testing.B) {
	for _, perTx := range []int{1, 1000} {
		b.Run(fmt.Sprintf("per_tx=%d", perTx), func(b *testing.B) { benchAppend(b, perTx) })
	}
}

func benchAppend(b *testing.B, perTx int) {
	ctx := context.Background()
	db, l, _ := openLog(b)
	raw := db.RawWriter()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE raw_leaves (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	leaves := make([]ledger.Leaf, perTx)
	data := make([][]byte, perTx)
	n := b.N * perTx
	b.ResetTimer()

	start := time.Now()
	for i := 0; i < b.N; i++ {
		for j := range leaves {
			leaves[j] = testLeaf(i*perTx + j) // the raw loop makes the same leaves
		}
		err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			for _, leaf := range leaves {
				if _, err := l.Append(ctx, tx, leaf); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	appendDur := time.Since(start)
	b.StopTimer()

	start = time.Now()
	for i := 0; i < b.N; i++ {
		for j := range data {
			data[j] = mustMarshal(b, testLeaf(i*perTx+j))
		}
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for j, d := range data {
			if _, err := tx.ExecContext(ctx, `INSERT INTO raw_leaves (idx, data) VALUES (?1, ?2)`, i*perTx+j, d); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	rawDur := time.Since(start)

	appendRate := float64(n) / appendDur.Seconds()
	rawRate := float64(n) / rawDur.Seconds()
	b.ReportMetric(appendRate, "appends/s")
	b.ReportMetric(rawRate, "raw_inserts/s")
	b.ReportMetric(appendRate/rawRate, "append/raw")
}

// BenchmarkInclusionProof builds a log of 1M leaves (or
// TAWTHIQ_LEDGER_BENCH_LEAVES) once, then measures inclusion and
// consistency proofs and a tile read against it. The reference, measured
// once in the same run, is what a log without stored hashes would do:
// read every leaf and compute the root from scratch with a
// transparency-dev/merkle compact range. Each sub-benchmark reports its
// time as a fraction of that.
func BenchmarkInclusionProof(b *testing.B) {
	ctx := context.Background()
	size := int64(1_000_000)
	if s := os.Getenv("TAWTHIQ_LEDGER_BENCH_LEAVES"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 2 {
			b.Fatalf("TAWTHIQ_LEDGER_BENCH_LEAVES=%q", s)
		}
		size = v
	}
	db, l, _ := openLog(b)
	start := time.Now()
	const perTx = 10_000
	for done := int64(0); done < size; done += perTx {
		err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			for i := done; i < min(done+perTx, size); i++ {
				if _, err := l.Append(ctx, tx, testLeaf(int(i))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	build := time.Since(start)
	b.Logf("built %d leaves in %v (%.0f appends/s, %d per transaction)", size, build.Round(time.Millisecond), float64(size)/build.Seconds(), perTx)

	start = time.Now()
	refRoot := rootFromScratch(b, db)
	scratch := time.Since(start)
	root, err := l.Root(ctx, size)
	if err != nil {
		b.Fatal(err)
	}
	if string(root[:]) != string(refRoot) {
		b.Fatal("stored root differs from the root computed from scratch")
	}
	b.Logf("reference: root of %d leaves from scratch (read + compact range) in %v", size, scratch.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(1, 2))
	report := func(b *testing.B, start time.Time) {
		per := time.Since(start) / time.Duration(b.N)
		b.ReportMetric(float64(per.Nanoseconds())/float64(scratch.Nanoseconds()), "of_scratch_root")
		b.ReportMetric(scratch.Seconds()*1e3, "scratch_root_ms")
		b.ReportMetric(float64(size)/build.Seconds(), "build_appends/s")
	}
	b.Run("inclusion", func(b *testing.B) {
		var bytes int
		b.ResetTimer()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			p, err := l.InclusionProof(ctx, rng.Int64N(size), size)
			if err != nil {
				b.Fatal(err)
			}
			bytes = len(p) * 32
		}
		report(b, start)
		b.ReportMetric(float64(bytes), "proof_bytes")
	})
	b.Run("consistency", func(b *testing.B) {
		var bytes int
		b.ResetTimer()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			p, err := l.ConsistencyProof(ctx, 1+rng.Int64N(size-1), size)
			if err != nil {
				b.Fatal(err)
			}
			bytes = len(p) * 32
		}
		report(b, start)
		b.ReportMetric(float64(bytes), "proof_bytes")
	})
	b.Run("tile", func(b *testing.B) {
		b.ResetTimer()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if _, err := l.Tile(ctx, 0, rng.Int64N(size/256), 256); err != nil {
				b.Fatal(err)
			}
		}
		report(b, start)
	})
}

// rootFromScratch reads every leaf and hashes them into a compact range.
func rootFromScratch(b *testing.B, db *sqldb.DB) []byte {
	h := rfc6962.DefaultHasher
	f := &compact.RangeFactory{Hash: h.HashChildren}
	r := f.NewEmptyRange(0)
	rows, err := db.Query(context.Background(), `SELECT data FROM ledger_leaves ORDER BY idx`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var data []byte
	for rows.Next() {
		if err := rows.Scan(&data); err != nil {
			b.Fatal(err)
		}
		if err := r.Append(h.HashLeaf(data), nil); err != nil {
			b.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	root, err := r.GetRootHash(nil)
	if err != nil {
		b.Fatal(err)
	}
	return root
}
