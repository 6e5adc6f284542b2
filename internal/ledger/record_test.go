package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/record/recordtest"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

var meta = record.Meta{Author: "analyst-1", Reason: "test"}

func recordService(t *testing.T, db *sqldb.DB, opts ...record.Option) *record.Service {
	t.Helper()
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	return record.NewService(db, vs, opts...)
}

// Every revision the record service writes gets its leaf, in order, and
// each leaf commits to that revision's content hash.
func TestRecordServiceAppendsRevisionLeaves(t *testing.T) {
	ctx := context.Background()
	db, l, vkey := openLog(t)
	svc := recordService(t, db, record.WithHook(l.Hook()))

	r1, err := svc.Create(ctx, meta, recordtest.Incident("قصف جوي على حي الدرعية"))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := svc.Update(ctx, meta, r1.ID, 1, recordtest.Incident("قصف جوي على حي الدرعية في الرقة"))
	if err != nil {
		t.Fatal(err)
	}
	r3, err := svc.Retract(ctx, meta, r1.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	other, err := svc.Create(ctx, meta, recordtest.Incident("قصف مدفعي"))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		rec    *record.Record
		action string
	}{{r1, "create"}, {r2, "update"}, {r3, "retract"}, {other, "create"}} {
		idx, err := l.FindRevision(ctx, c.rec.ID, c.rec.Revision)
		if err != nil {
			t.Fatalf("FindRevision %s/%d: %v", c.rec.ID, c.rec.Revision, err)
		}
		if idx != int64(i) {
			t.Errorf("revision %s/%d is leaf %d, want %d", c.rec.ID, c.rec.Revision, idx, i)
		}
		data, err := l.Leaf(ctx, idx)
		if err != nil {
			t.Fatal(err)
		}
		leaf, err := ledger.ParseLeaf(data)
		if err != nil {
			t.Fatal(err)
		}
		want := ledger.Leaf{Kind: ledger.KindRevision, Type: "incident", ID: c.rec.ID, Number: int64(c.rec.Revision),
			Action: c.action, ContentHash: c.rec.ContentHash, Retracted: c.rec.Retracted}
		if leaf != want {
			t.Errorf("leaf %d = %+v, want %+v", idx, leaf, want)
		}
		// What an exported record carries: leaf, proof and checkpoint,
		// checked offline with the public key only.
		signed, err := l.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := ledger.VerifyCheckpoint(signed, vkey)
		if err != nil {
			t.Fatal(err)
		}
		p, err := l.InclusionProof(ctx, idx, cp.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := ledger.VerifyInclusion(cp, idx, data, p); err != nil {
			t.Fatalf("revision %s/%d: %v", c.rec.ID, c.rec.Revision, err)
		}
	}
	if _, err := l.FindRevision(ctx, r1.ID, 4); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("FindRevision of a revision never written: %v, want ErrNotFound", err)
	}
	if problems, err := l.Verify(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("Verify: %v, %v", problems, err)
	}
}

// When the ledger cannot append, the record change does not happen; when
// the change fails after its leaf was appended, the leaf goes too.
func TestRecordChangeAndLeafCommitTogether(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	svc := recordService(t, db, record.WithHook(l.Hook()))
	r, err := svc.Create(ctx, meta, recordtest.Incident("قصف"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ledger refuses", func(t *testing.T) {
		// A leaf already attests revision 1 of "inc-taken", so the ledger
		// refuses the create's leaf and the create must not happen.
		err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			_, err := l.Append(ctx, tx, ledger.Leaf{Kind: ledger.KindRevision, Type: "incident", ID: "inc-taken", Number: 1,
				Action: "create", ContentHash: hashA})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		before := rows(t, db)
		_, err = svc.Apply(ctx, meta, []record.Change{{Action: record.ActionCreate, ID: "inc-taken", Body: recordtest.Incident("قصف")}})
		if err == nil {
			t.Fatal("create succeeded although the ledger refused its leaf")
		}
		if after := rows(t, db); after != before {
			t.Fatalf("refused leaf left a write: %s → %s", before, after)
		}
	})

	t.Run("later hook fails", func(t *testing.T) {
		boom := errors.New("search index unavailable")
		failing := recordService(t, db, record.WithHook(l.Hook()),
			record.WithHook(func(context.Context, *sqldb.Tx, *record.Revision) error { return boom }))
		before := rows(t, db)
		if _, err := failing.Update(ctx, meta, r.ID, 1, recordtest.Incident("قصف جوي")); !errors.Is(err, boom) {
			t.Fatalf("update: %v, want the hook's error", err)
		}
		if after := rows(t, db); after != before {
			t.Fatalf("failed change left its leaf: %s → %s", before, after)
		}
		if _, err := l.FindRevision(ctx, r.ID, 2); !errors.Is(err, ledger.ErrNotFound) {
			t.Fatalf("leaf of the rolled-back revision: %v", err)
		}
	})
}

func rows(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	var recs, revs int
	if err := db.QueryRow(context.Background(), `SELECT (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM revisions)`).Scan(&recs, &revs); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s records=%d revisions=%d", counts(t, db), recs, revs)
}
