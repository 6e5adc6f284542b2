package record_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/record/recordtest"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

const crashBatch = 150

// TestCrashWriter is not a test on its own: TestCrashMidBatch runs the test
// binary again with TAWTHIQ_CRASH_DB set, and this writes batches until it
// is killed.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv("TAWTHIQ_CRASH_DB")
	if path == "" {
		t.Skip("helper process for TestCrashMidBatch")
	}
	ctx := context.Background()
	db, err := sqldb.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := record.NewService(db, vs)
	for i := 0; ; i++ {
		incID := record.NewID(time.Now())
		changes := []record.Change{{Action: record.ActionCreate, ID: incID, Body: recordtest.Incident(fmt.Sprintf("batch %d", i))}}
		for len(changes) < crashBatch {
			changes = append(changes, record.Change{Action: record.ActionCreate, Body: &record.VictimGroup{
				IncidentID: incID, Category: "civilians", Outcome: "killed", Count: record.Count{Qualifier: "vague_dozens"}}})
		}
		if _, err := svc.Apply(ctx, record.Meta{Author: "crash", Reason: "crash test"}, changes); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashMidBatch kills a writer process in the middle of its batches,
// several times, and checks after each kill that every batch is either
// wholly stored or not at all, and that the store is consistent.
func TestCrashMidBatch(t *testing.T) {
	if os.Getenv("TAWTHIQ_CRASH_DB") != "" {
		t.Skip("inside the helper process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := sqldb.CreateSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	committed := 0
	for round := 1; round <= 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TAWTHIQ_CRASH_DB="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let it commit a few batches (and be in the middle of the next),
		// then kill it without warning.
		waitForBatches(t, path, committed+2)
		time.Sleep(time.Duration(17*round) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		n := checkBatches(t, path, round)
		if n < committed+2 {
			t.Fatalf("round %d: %d batches, fewer than before the kill", round, n)
		}
		committed = n
	}
}

func waitForBatches(t *testing.T, path string, n int) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		db, err := sqldb.OpenSQLite(ctx, path)
		if err == nil {
			var got int
			err = db.QueryRow(ctx, `SELECT COUNT(DISTINCT batch_id) FROM revisions`).Scan(&got)
			db.Close()
			if err == nil && got >= n {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("writer did not commit %d batches in time", n)
}

// checkBatches returns how many whole batches are stored.
func checkBatches(t *testing.T, path string, round int) int {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("round %d: integrity_check %q %v", round, ok, err)
	}
	rows, err := db.Query(ctx, `SELECT batch_id, COUNT(*) FROM revisions GROUP BY batch_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	batches := 0
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		if n != crashBatch {
			t.Errorf("round %d: batch %s has %d of %d records: a partial write survived the crash", round, id, n, crashBatch)
		}
		batches++
	}
	problems, err := record.NewStore(db).Check(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("round %d: check: %v %v", round, problems, err)
	}
	t.Logf("round %d: %d whole batches after the kill", round, batches)
	return batches
}
