package ledger_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// tampered builds a log of 40 entries with checkpoints at 13 and 40, then
// rewrites it behind the log's back: the triggers are dropped first, as
// someone with the database file could.
func tampered(t *testing.T, triggers []string, stmts ...string) []ledger.Problem {
	t.Helper()
	ctx := context.Background()
	db, l, _ := openLog(t)
	appendBatches(t, db, l, 0, []int{13})
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	appendBatches(t, db, l, 13, []int{1, 26})
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if problems, err := l.Verify(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("Verify before tampering: %v, %v", problems, err)
	}
	for _, tr := range triggers {
		mustExec(t, db, `DROP TRIGGER `+tr)
	}
	for _, q := range stmts {
		mustExec(t, db, q)
	}
	problems, err := l.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

func mustExec(t *testing.T, db *sqldb.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestVerifyNamesTampering(t *testing.T) {
	other := string(mustMarshal(t, testLeaf(1000)))
	same := testLeaf(7) // leaf 7 with another content hash: columns still agree
	same.ContentHash = hashA
	sameBytes := string(mustMarshal(t, same))
	for _, c := range []struct {
		name     string
		triggers []string
		stmts    []string
		want     []string // each a prefix of one problem, in order
	}{
		{"leaf content rewritten", []string{"ledger_leaves_immutable_update"},
			[]string{`UPDATE ledger_leaves SET data = '` + sameBytes + `' WHERE idx = 7`},
			[]string{"leaf 7: does not hash"}},
		{"leaf replaced by another", []string{"ledger_leaves_immutable_update"},
			[]string{`UPDATE ledger_leaves SET data = '` + other + `' WHERE idx = 22`},
			[]string{"leaf 22: lookup columns", "leaf 22: does not hash"}},
		{"leaf garbled", []string{"ledger_leaves_immutable_update"},
			[]string{`UPDATE ledger_leaves SET data = 'not a leaf' WHERE idx = 0`},
			[]string{"leaf 0: ledger: malformed", "leaf 0: does not hash"}},
		{"last leaf deleted", []string{"ledger_leaves_immutable_delete"},
			[]string{`DELETE FROM ledger_leaves WHERE idx = 39`},
			[]string{"checkpoint 40: signed for 40 entries but the log has 39"}},
		{"middle leaf deleted", []string{"ledger_leaves_immutable_delete"},
			[]string{`DELETE FROM ledger_leaves WHERE idx = 17`},
			[]string{"leaf 17: missing"}},
		{"inner hash rewritten", []string{"ledger_hashes_immutable_update"},
			[]string{`UPDATE ledger_hashes SET hash = zeroblob(32) WHERE idx = ` + itoa(tlog.StoredHashIndex(2, 1))},
			[]string{"hash 13: is not the hash of its two stored children (level 2, leaves 4–7)",
				"hash 14: is not the hash of its two stored children (level 3, leaves 0–7)"}},
		{"hash on a checkpoint's path rewritten", []string{"ledger_hashes_immutable_update"},
			[]string{`UPDATE ledger_hashes SET hash = zeroblob(32) WHERE idx = ` + itoa(tlog.StoredHashIndex(3, 0))},
			[]string{"hash 14: is not the hash of its two stored children (level 3, leaves 0–7)",
				"hash 30: is not the hash of its two stored children (level 4, leaves 0–15)",
				"checkpoint 13: root differs from the stored tree"}},
		{"hash deleted", []string{"ledger_hashes_immutable_delete"},
			[]string{`DELETE FROM ledger_hashes WHERE idx = ` + itoa(tlog.StoredHashIndex(0, 30))},
			[]string{"hash 56: missing"}},
		{"checkpoint rewritten", []string{"ledger_checkpoints_immutable_update"},
			[]string{`UPDATE ledger_checkpoints SET note = replace(note, char(10) || '13' || char(10), char(10) || '12' || char(10)) WHERE size = 13`},
			[]string{"checkpoint 13: ledger: verification failed"}},
		{"checkpoint root column rewritten", []string{"ledger_checkpoints_immutable_update"},
			[]string{`UPDATE ledger_checkpoints SET root = zeroblob(32) WHERE size = 40`},
			[]string{"checkpoint 40: the signed note differs"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			problems := tampered(t, c.triggers, c.stmts...)
			if len(problems) != len(c.want) {
				t.Fatalf("problems %q, want %d: %q", problems, len(c.want), c.want)
			}
			for i, p := range problems {
				if !strings.HasPrefix(p.String(), c.want[i]) {
					t.Errorf("problem %d is %q, want %q…", i, p, c.want[i])
				}
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
