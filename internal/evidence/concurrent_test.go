package evidence_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/evidence"
)

// TestExportWhileCustodyGrows: an export of an item whose custody gets a
// new event at the same time (someone opens the original) must succeed
// with a package that verifies. Export reads the record and custody before
// it signs the checkpoint, so everything it read is inside the signed
// tree; the other order once failed with "entry N in a tree of size N".
//
// The race is timing-dependent: the test runs rounds for a while, so a
// regression fails within a few rounds, but one passing run is no proof.
func TestExportWhileCustodyGrows(t *testing.T) {
	e := newEnv(t)
	rep := e.report()
	key := e.a.Ledger.VerifierKey()
	deadline := time.Now().Add(2500 * time.Millisecond)
	for round := 0; time.Now().Before(deadline); round++ {
		ad := e.add(rep, "r.txt", []byte(fmt.Sprint("round ", round)))
		id, sha := ad.Record.ID, ad.Events[0].SHA256
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := e.a.Evidence.Record(e.ctx, id, sha, evidence.Accessed, "reader", "p", "original read"); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		var buf bytes.Buffer
		_, err := e.a.Evidence.Export(e.ctx, id, "lawyer", "court", &buf)
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatalf("round %d: export while the custody grows: %v", round, err)
		}
		v, err := verify(buf.Bytes(), key)
		if err != nil || !v.OK() {
			t.Fatalf("round %d: the package does not verify: %v %q", round, err, v.Problems)
		}
	}
}
