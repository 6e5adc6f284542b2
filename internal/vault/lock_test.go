//go:build unix

package vault

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A staging file nobody holds is an upload whose process died: Sweep
// removes it within a minute, whatever olderThan says. One held by a live
// upload stays however old.
func TestSweepRemovesAbandonedAtOnce(t *testing.T) {
	e := newEnv(t, 0)
	if err := os.MkdirAll(e.staging, 0o700); err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(e.staging, stagingPrefix+"dead")
	if err := os.WriteFile(dead, []byte("half an upload"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(dead, old, old); err != nil {
		t.Fatal(err)
	}
	live, err := os.CreateTemp(e.staging, stagingPrefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if err := lockStaging(live); err != nil {
		t.Fatal(err)
	}
	// A live upload stalled for hours keeps its file.
	if err := os.Chtimes(live.Name(), old.Add(-5*time.Hour), old.Add(-5*time.Hour)); err != nil {
		t.Fatal(err)
	}

	n, err := e.v.Sweep(context.Background(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("swept %d files, want 1", n)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("abandoned staging file still there: %v", err)
	}
	if _, err := os.Stat(live.Name()); err != nil {
		t.Errorf("staging file of a live upload was removed: %v", err)
	}
}
