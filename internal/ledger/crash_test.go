package ledger_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/record/recordtest"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

const crashBatch = 50

// TestLedgerCrashWriter is not a test on its own: TestLedgerCrash runs the
// test binary again with TAWTHIQ_LEDGER_CRASH_DB set, and this writes
// batches of records through the ledger hook, signing a checkpoint after
// each, until it is killed.
func TestLedgerCrashWriter(t *testing.T) {
	path := os.Getenv("TAWTHIQ_LEDGER_CRASH_DB")
	if path == "" {
		t.Skip("helper process for TestLedgerCrash")
	}
	ctx := context.Background()
	db, err := sqldb.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.New(db, os.Getenv("TAWTHIQ_LEDGER_CRASH_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := record.NewService(db, vs, record.WithHook(l.Hook()))
	for i := 0; ; i++ {
		changes := make([]record.Change, crashBatch)
		for j := range changes {
			changes[j] = record.Change{Action: record.ActionCreate, Body: recordtest.Incident(fmt.Sprintf("batch %d.%d", i, j))}
		}
		if _, err := svc.Apply(ctx, record.Meta{Author: "crash", Reason: "crash test"}, changes); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLedgerCrash kills a writer in the middle of its batches, several
// times, and checks after each kill that records and leaves committed
// together (one leaf per revision, no more, no fewer), that the log
// verifies, and that the last checkpoint is still extended by the log.
func TestLedgerCrash(t *testing.T) {
	if os.Getenv("TAWTHIQ_LEDGER_CRASH_DB") != "" {
		t.Skip("inside the helper process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := sqldb.CreateSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	skey, vkey, err := ledger.GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for round := 1; round <= 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLedgerCrashWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TAWTHIQ_LEDGER_CRASH_DB="+path, "TAWTHIQ_LEDGER_CRASH_KEY="+skey)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForLeaves(t, path, size+2*crashBatch)
		time.Sleep(time.Duration(13*round) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		n := checkAfterCrash(t, path, skey, vkey, round)
		if n < size+2*crashBatch {
			t.Fatalf("round %d: %d leaves, fewer than before the kill", round, n)
		}
		size = n
	}
}

func waitForLeaves(t *testing.T, path string, n int64) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		db, err := sqldb.OpenSQLite(ctx, path)
		if err == nil {
			var got int64
			err = db.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_leaves`).Scan(&got)
			db.Close()
			if err == nil && got >= n {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("writer did not append %d leaves in time", n)
}

// checkAfterCrash returns the log's size after the kill.
func checkAfterCrash(t *testing.T, path, skey, vkey string, round int) int64 {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l, err := ledger.New(db, skey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := l.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var revisions, unattested int64
	err = db.QueryRow(ctx, `SELECT COUNT(*), COUNT(*) - COUNT(l.idx) FROM revisions r
		LEFT JOIN ledger_leaves l ON l.kind = 'revision' AND l.item_id = r.record_id AND l.number = r.revision`).Scan(&revisions, &unattested)
	if err != nil {
		t.Fatal(err)
	}
	if revisions != n || unattested != 0 || n%crashBatch != 0 {
		t.Fatalf("round %d: %d revisions (%d without a leaf), %d leaves: a change and its leaf did not commit together",
			round, revisions, unattested, n)
	}
	if problems, err := l.Verify(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("round %d: Verify: %v %v", round, problems, err)
	}
	last, err := l.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := ledger.VerifyCheckpoint(last, vkey)
	if err != nil {
		t.Fatal(err)
	}
	// The next checkpoint proves the tree extends the last one signed.
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatalf("round %d: checkpoint after the crash: %v", round, err)
	}
	t.Logf("round %d: %d leaves, last checkpoint at %d", round, n, cp.Size)
	return n
}
