// Package recordtest is the shared test suite for record storage: every
// database backend runs the same tests through Run, so the embedded store
// and the scale-out store behave the same.
package recordtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Opener returns a fresh, migrated, empty database for one test.
type Opener func(t *testing.T) *sqldb.DB

// env is one test's store and service.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *sqldb.DB
	store *record.Store
	svc   *record.Service
}

func setup(t *testing.T, open Opener, opts ...record.Option) *env {
	t.Helper()
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := open(t)
	return &env{t: t, ctx: context.Background(), db: db, store: record.NewStore(db), svc: record.NewService(db, vs, opts...)}
}

var meta = record.Meta{Author: "analyst-1", Reason: "test"}

func intp(n int) *int { return &n }

// Incident returns a valid incident body.
func Incident(title string) *record.Incident {
	return &record.Incident{
		TitleAR: title, Kinds: []string{"air_strike"},
		When:  record.DateRange{Start: "2017-06-05", Precision: "day"},
		Where: []record.Place{{NameAR: "الرقة", NameEN: "Raqqa", Precision: "village_town_city"}},
		Casualties: []record.CasualtyCount{{Category: "civilians", Outcome: "killed",
			Count: record.Count{Min: intp(71), Qualifier: "more_than", SourceText: "أكثر من 70"}}},
	}
}

func (e *env) create(b record.Body) *record.Record {
	e.t.Helper()
	r, err := e.svc.Create(e.ctx, meta, b)
	if err != nil {
		e.t.Fatalf("create %s: %v", b.Type(), err)
	}
	return r
}

// snapshot counts rows so a test can prove nothing was written.
func (e *env) snapshot() string {
	e.t.Helper()
	var out string
	for _, table := range []string{"records", "revisions", "record_terms", "record_refs", "record_keys"} {
		var n int
		if err := e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			e.t.Fatal(err)
		}
		out += fmt.Sprintf("%s=%d ", table, n)
	}
	problems, err := e.store.Check(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(problems) > 0 {
		e.t.Fatalf("store inconsistent: %v", problems)
	}
	return out
}

// Run runs every test of the suite against the backend.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"CreateUpdateHistory", testCreateUpdateHistory},
		{"StaleUpdateConflicts", testStaleUpdate},
		{"ConcurrentUpdatesOneWins", testConcurrentUpdates},
		{"RetractRestore", testRetractRestore},
		{"InvalidLeavesStoreUnchanged", testInvalidUnchanged},
		{"References", testReferences},
		{"BatchIsAtomic", testBatchAtomic},
		{"HookFailureRollsBack", testHookRollback},
		{"DuplicateKey", testDuplicateKey},
		{"ListFilters", testListFilters},
		{"RevisionsImmutable", testRevisionsImmutable},
		{"CheckFindsTampering", testCheckTampering},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func testCreateUpdateHistory(t *testing.T, open Opener) {
	e := setup(t, open)
	r1 := e.create(Incident("قصف جوي على حي الدرعية"))
	if r1.Revision != 1 || r1.CreatedBy != "analyst-1" || r1.Retracted {
		t.Fatalf("created %+v", r1)
	}
	b, err := r1.Decode()
	if err != nil {
		t.Fatal(err)
	}
	inc := b.(*record.Incident)
	if inc.Grading != "pending" {
		t.Errorf("grading default = %q, want pending", inc.Grading)
	}
	inc.Grading = "fair"
	inc.Kinds = append(inc.Kinds, "attack_on_protected_object")
	r2, err := e.svc.Update(e.ctx, record.Meta{Author: "reviewer-1", Reason: "second independent source"}, r1.ID, 1, inc)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Revision != 2 || r2.UpdatedBy != "reviewer-1" || r2.CreatedBy != "analyst-1" || r2.ContentHash == r1.ContentHash {
		t.Fatalf("updated %+v", r2)
	}
	for _, want := range []*record.Record{r2} {
		got, err := e.store.Get(e.ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", *want) {
			t.Errorf("service returned\n%+v\nstore holds\n%+v", *want, *got)
		}
	}
	hist, err := e.store.History(e.ctx, r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Action != record.ActionCreate || hist[1].Action != record.ActionUpdate ||
		hist[1].Reason != "second independent source" || hist[0].ContentHash != r1.ContentHash {
		t.Fatalf("history %+v", hist)
	}
	// The first revision still says what it said.
	old, err := e.store.Revision(e.ctx, r1.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	ob, _ := record.DecodeBody(old.Type, old.Body)
	if ob.(*record.Incident).Grading != "pending" {
		t.Errorf("revision 1 changed: %s", old.Body)
	}
	if _, err := e.store.Revision(e.ctx, r1.ID, 3); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("revision 3: %v", err)
	}
	if _, err := e.store.Get(e.ctx, "01NOSUCHRECORD"); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("missing record: %v", err)
	}
	e.snapshot()
}

func testStaleUpdate(t *testing.T, open Opener) {
	e := setup(t, open)
	r1 := e.create(Incident("a"))
	if _, err := e.svc.Update(e.ctx, meta, r1.ID, 1, Incident("b")); err != nil {
		t.Fatal(err)
	}
	before := e.snapshot()
	_, err := e.svc.Update(e.ctx, meta, r1.ID, 1, Incident("c"))
	var ce *record.ConflictError
	if !errors.As(err, &ce) || ce.Current != 2 || !errors.Is(err, record.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("stale update wrote: %s → %s", before, after)
	}
	cur, _ := e.store.Get(e.ctx, r1.ID)
	if cur.Title != "b" {
		t.Errorf("title %q, the newer update was lost", cur.Title)
	}
	if _, err := e.svc.Update(e.ctx, meta, r1.ID, 0, Incident("d")); !errors.Is(err, record.ErrInvalid) {
		t.Errorf("update without base revision: %v", err)
	}
}

func testConcurrentUpdates(t *testing.T, open Opener) {
	e := setup(t, open)
	r1 := e.create(Incident("a"))
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.Update(e.ctx, meta, r1.ID, 1, Incident(fmt.Sprintf("w%d", i)))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, record.ErrConflict):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent updates on the same base succeeded, want exactly 1", ok, writers)
	}
	hist, _ := e.store.History(e.ctx, r1.ID)
	if len(hist) != 2 {
		t.Fatalf("history has %d revisions, want 2", len(hist))
	}
	e.snapshot()
}

func testRetractRestore(t *testing.T, open Opener) {
	e := setup(t, open)
	r1 := e.create(Incident("a"))
	r2, err := e.svc.Retract(e.ctx, record.Meta{Author: "reviewer", Reason: "duplicate of another incident"}, r1.ID, 1)
	if err != nil || !r2.Retracted || r2.Revision != 2 || r2.ContentHash != r1.ContentHash {
		t.Fatalf("retract: %+v %v", r2, err)
	}
	if _, err := e.svc.Update(e.ctx, meta, r1.ID, 2, Incident("b")); !errors.Is(err, record.ErrConflict) {
		t.Errorf("update of retracted record: %v", err)
	}
	if _, err := e.svc.Retract(e.ctx, meta, r1.ID, 2); !errors.Is(err, record.ErrConflict) {
		t.Errorf("second retract: %v", err)
	}
	recs, _, err := e.store.List(e.ctx, record.Query{Type: record.TypeIncident})
	if err != nil || len(recs) != 0 {
		t.Errorf("retracted record listed: %v %v", recs, err)
	}
	recs, _, _ = e.store.List(e.ctx, record.Query{Type: record.TypeIncident, IncludeRetracted: true})
	if len(recs) != 1 {
		t.Errorf("retracted record not listed with IncludeRetracted")
	}
	// A retracted record cannot be referred to by a new record.
	_, err = e.svc.Create(e.ctx, meta, &record.VictimGroup{IncidentID: r1.ID, Category: "civilians", Outcome: "killed",
		Count: record.Count{Qualifier: "vague_dozens"}})
	if !hasField(err, "record.incident_id", "retracted_reference") {
		t.Errorf("reference to retracted: %v", err)
	}
	r3, err := e.svc.Restore(e.ctx, meta, r1.ID, 2)
	if err != nil || r3.Retracted || r3.Revision != 3 {
		t.Fatalf("restore: %+v %v", r3, err)
	}
	hist, _ := e.store.History(e.ctx, r1.ID)
	if len(hist) != 3 || hist[1].Action != record.ActionRetract || !hist[1].Retracted || hist[2].Action != record.ActionRestore {
		t.Fatalf("history %+v", hist)
	}
	e.snapshot()
}

func hasField(err error, field, code string) bool {
	var ve *record.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, f := range ve.Errors {
		if f.Field == field && f.Code == code {
			return true
		}
	}
	return false
}

func testInvalidUnchanged(t *testing.T, open Opener) {
	e := setup(t, open)
	r1 := e.create(Incident("a"))
	before := e.snapshot()
	bad := func(mut func(*record.Incident)) *record.Incident {
		x := Incident("x")
		mut(x)
		return x
	}
	cases := []struct {
		name  string
		body  *record.Incident
		meta  record.Meta
		field string
		code  string
	}{
		{"unknown kind", bad(func(x *record.Incident) { x.Kinds = []string{"air_raid"} }), meta, "record.kinds[0]", "unknown_code"},
		{"no kind", bad(func(x *record.Incident) { x.Kinds = nil }), meta, "record.kinds", "required"},
		{"min > max", bad(func(x *record.Incident) {
			x.Casualties[0].Count = record.Count{Min: intp(9), Max: intp(3), Qualifier: "about", Best: intp(5)}
		}), meta, "record.casualties[0].count.min", "min_gt_max"},
		{"end < start", bad(func(x *record.Incident) {
			x.When = record.DateRange{Start: "2017-06-05", End: "2017-06-01", Precision: "day"}
		}), meta, "record.when.end", "end_before_start"},
		{"bad precision", bad(func(x *record.Incident) { x.When.Precision = "fortnight" }), meta, "record.when.precision", "unknown_code"},
		{"missing reason", Incident("x"), record.Meta{Author: "a"}, "reason", "required"},
		{"missing author", Incident("x"), record.Meta{Reason: "r"}, "author", "required"},
		{"unknown zero", bad(func(x *record.Incident) { x.Casualties[0].Count = record.Count{Min: intp(0), Qualifier: "at_least"} }), meta, "record.casualties[0].count.min", "zero"},
		{"unknown report", bad(func(x *record.Incident) { x.ReportIDs = []string{"01NOSUCHREPORT"} }), meta, "record.report_ids[0]", "unknown_reference"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.Create(e.ctx, tc.meta, tc.body)
			if !hasField(err, tc.field, tc.code) {
				t.Fatalf("got %v, want %s %s", err, tc.field, tc.code)
			}
			_, err = e.svc.Update(e.ctx, tc.meta, r1.ID, 1, tc.body)
			if !hasField(err, tc.field, tc.code) {
				t.Fatalf("update: got %v, want %s %s", err, tc.field, tc.code)
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("rejected input wrote: %s → %s", before, after)
			}
		})
	}
}

func testReferences(t *testing.T, open Opener) {
	e := setup(t, open)
	inc := e.create(Incident("a"))
	actor := e.create(&record.Actor{NameAR: "داعش", NameEN: "ISIS", Category: "extremist_armed_group"})
	_, err := e.svc.Create(e.ctx, meta, &record.Involvement{ActorID: inc.ID, IncidentID: inc.ID, Degree: "directly_carried_out", Confidence: "likely"})
	if !hasField(err, "record.actor_id", "wrong_reference") {
		t.Errorf("incident as actor: %v", err)
	}
	_, err = e.svc.Create(e.ctx, meta, &record.Involvement{ActorID: actor.ID, Degree: "directly_carried_out", Confidence: "likely"})
	if !hasField(err, "record.incident_id", "one_of") {
		t.Errorf("involvement without subject: %v", err)
	}
	inv := e.create(&record.Involvement{ActorID: actor.ID, IncidentID: inc.ID, Degree: "directly_carried_out", Confidence: "likely"})
	rel, _, err := e.store.List(e.ctx, record.Query{RefersTo: inc.ID})
	if err != nil || len(rel) != 1 || rel[0].ID != inv.ID {
		t.Errorf("related to incident: %v %v", rel, err)
	}
}

func testBatchAtomic(t *testing.T, open Opener) {
	e := setup(t, open)
	before := e.snapshot()
	incID := record.NewID(time.Now())
	_, err := e.svc.Apply(e.ctx, meta, []record.Change{
		{Action: record.ActionCreate, ID: incID, Body: Incident("a")},
		{Action: record.ActionCreate, Body: &record.VictimGroup{IncidentID: incID, Category: "civilians", Outcome: "killed",
			Count: record.Count{Qualifier: "vague_dozens", SourceText: "عشرات"}}},
		{Action: record.ActionCreate, Body: &record.VictimGroup{IncidentID: incID, Category: "nobody", Outcome: "killed",
			Count: record.Count{Qualifier: "vague_dozens"}}},
	})
	if !hasField(err, "changes[2].record.category", "unknown_code") {
		t.Fatalf("batch: %v", err)
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("failed batch wrote: %s → %s", before, after)
	}
	recs, err := e.svc.Apply(e.ctx, meta, []record.Change{
		{Action: record.ActionCreate, ID: incID, Body: Incident("a")},
		{Action: record.ActionCreate, Body: &record.VictimGroup{IncidentID: incID, Category: "civilians", Outcome: "killed",
			Count: record.Count{Qualifier: "vague_dozens"}}},
	})
	if err != nil || len(recs) != 2 {
		t.Fatalf("batch: %v", err)
	}
	h1, _ := e.store.History(e.ctx, recs[0].ID)
	h2, _ := e.store.History(e.ctx, recs[1].ID)
	if h1[0].BatchID == "" || h1[0].BatchID != h2[0].BatchID {
		t.Errorf("batch ids %q %q", h1[0].BatchID, h2[0].BatchID)
	}
}

func testHookRollback(t *testing.T, open Opener) {
	fail := false
	var seen []string
	e := setup(t, open, record.WithHook(func(ctx context.Context, tx *sqldb.Tx, rev *record.Revision) error {
		if fail {
			return errors.New("ledger unavailable")
		}
		seen = append(seen, fmt.Sprintf("%s/%d", rev.RecordID, rev.Revision))
		return nil
	}))
	r := e.create(Incident("a"))
	if len(seen) != 1 || seen[0] != r.ID+"/1" {
		t.Fatalf("hook saw %v", seen)
	}
	before := e.snapshot()
	fail = true
	if _, err := e.svc.Update(e.ctx, meta, r.ID, 1, Incident("b")); err == nil {
		t.Fatal("update succeeded although its hook failed")
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("failed hook left a write: %s → %s", before, after)
	}
}

func testDuplicateKey(t *testing.T, open Opener) {
	e := setup(t, open)
	orig := &record.Original{SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Size: 4, Format: "text"}
	r1 := e.create(&record.Report{Text: "نص", Language: "ar", Original: orig})
	id, err := e.store.ByKey(e.ctx, "report.sha256:"+orig.SHA256)
	if err != nil || id != r1.ID {
		t.Fatalf("by key: %q %v", id, err)
	}
	before := e.snapshot()
	_, err = e.svc.Create(e.ctx, meta, &record.Report{Text: "نص آخر", Language: "ar", Original: orig})
	var de *record.DuplicateError
	if !errors.As(err, &de) || de.RecordID != r1.ID {
		t.Fatalf("duplicate: %v", err)
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("duplicate wrote: %s → %s", before, after)
	}
	// Updating the record that holds the key keeps it.
	if _, err := e.svc.Update(e.ctx, meta, r1.ID, 1, &record.Report{Text: "نص مصحح", Language: "ar", Original: orig}); err != nil {
		t.Fatal(err)
	}
}

func testListFilters(t *testing.T, open Opener) {
	e := setup(t, open)
	a := Incident("a")
	a.When = record.DateRange{Start: "2017-06", Precision: "month"}
	b := Incident("b")
	b.Kinds = []string{"shelling"}
	b.When = record.DateRange{Start: "2017-08-20", End: "2017-08-22", Precision: "days_2_6"}
	c := Incident("c")
	c.Kinds = []string{"forced_displacement", "shelling"}
	c.When = record.DateRange{Precision: "unknown"}
	ra, rb, rc := e.create(a), e.create(b), e.create(c)
	ypg := e.create(&record.Actor{NameAR: "وحدات حماية الشعب", NameEN: "YPG", Category: "identity_militia"})
	e.create(&record.Involvement{ActorID: ypg.ID, IncidentID: rb.ID, Degree: "directly_carried_out", Confidence: "likely"})
	vg := e.create(&record.VictimGroup{IncidentID: rc.ID, Category: "civilians", Outcome: "displaced", Count: record.Count{Qualifier: "vague_hundreds"}})
	act := e.create(&record.Act{IncidentID: rc.ID, ActType: "forced_displacement", VictimGroupID: vg.ID})
	e.create(&record.Involvement{ActorID: ypg.ID, ActID: act.ID, Degree: "suspected", Confidence: "possible"})
	ids := func(t *testing.T, q record.Query) []string {
		t.Helper()
		q.Type = record.TypeIncident
		q.Sort = "date"
		recs, total, err := e.store.List(e.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(recs) {
			t.Fatalf("total %d, page %d", total, len(recs))
		}
		var out []string
		for _, r := range recs {
			out = append(out, r.Title)
		}
		return out
	}
	cases := []struct {
		name string
		q    record.Query
		want string
	}{
		{"all by date", record.Query{}, "[b a c]"},
		{"kind", record.Query{Terms: []record.Term{{Field: "kind", Value: "shelling"}}}, "[b c]"},
		{"two terms", record.Query{Terms: []record.Term{{Field: "kind", Value: "shelling"}, {Field: "kind", Value: "forced_displacement"}}}, "[c]"},
		{"overlap", record.Query{DateFrom: "2017-06-30", DateTo: "2017-08-20"}, "[b a]"},
		{"from", record.Query{DateFrom: "2017-07-01"}, "[b]"},
		{"actor", record.Query{Actor: ypg.ID}, "[b c]"},
		{"status", record.Query{Status: "pending"}, "[b a c]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(ids(t, tc.q)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	recs, total, err := e.store.List(e.ctx, record.Query{Type: record.TypeIncident, Sort: "date", Limit: 1, Offset: 1})
	if err != nil || total != 3 || len(recs) != 1 || recs[0].ID != ra.ID {
		t.Errorf("page 2 of 1: %d of %d %v", len(recs), total, err)
	}
}

func testRevisionsImmutable(t *testing.T, open Opener) {
	e := setup(t, open)
	r := e.create(Incident("a"))
	_, err := e.db.Exec(e.ctx, `UPDATE revisions SET reason = 'rewritten' WHERE record_id = $1`, r.ID)
	if err == nil {
		t.Error("UPDATE on revisions succeeded")
	}
	_, err = e.db.Exec(e.ctx, `DELETE FROM revisions WHERE record_id = $1`, r.ID)
	if err == nil {
		t.Error("DELETE on revisions succeeded")
	}
	_, err = e.db.Exec(e.ctx, `DELETE FROM records WHERE id = $1`, r.ID)
	if err == nil {
		t.Error("DELETE on records succeeded")
	}
	hist, _ := e.store.History(e.ctx, r.ID)
	if len(hist) != 1 || hist[0].Reason != "test" {
		t.Fatalf("history changed: %+v", hist)
	}
}

func testCheckTampering(t *testing.T, open Opener) {
	e := setup(t, open)
	r := e.create(Incident("a"))
	e.create(Incident("b"))
	if _, err := e.db.Exec(e.ctx, `UPDATE records SET body = replace(body, 'air_strike', 'shelling') WHERE id = $1`, r.ID); err != nil {
		t.Fatal(err)
	}
	problems, err := e.store.Check(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].RecordID != r.ID {
		t.Fatalf("check found %v, want one problem on %s", problems, r.ID)
	}
}
