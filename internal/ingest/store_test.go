package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/ingest"
	"github.com/tawthiq/tawthiq/internal/record"
)

func openApp(t *testing.T) *app.App {
	t.Helper()
	a, _, err := app.Init(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func reportCount(t *testing.T, a *app.App) int {
	t.Helper()
	counts, err := a.Store.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return counts[record.TypeReport]
}

func TestIngestIsIdempotent(t *testing.T) {
	ctx := context.Background()
	a := openApp(t)
	var calls int
	in := &ingest.Ingester{Service: a.Service, Store: a.Store, Author: "tester", BatchSize: 2,
		Progress: func(done, total int64) {
			calls++
			if done > total || total <= 0 {
				t.Errorf("progress %d of %d", done, total)
			}
		}}
	res, err := in.Run(ctx, []string{"testdata/reports"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added == 0 || len(res.Failed) != 0 || res.Added != reportCount(t, a) || calls == 0 {
		t.Fatalf("first run: %+v (stored %d, progress calls %d)", res, reportCount(t, a), calls)
	}
	again, err := in.Run(ctx, []string{"testdata/reports"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Added != 0 || again.Duplicates != res.Added+res.Duplicates {
		t.Fatalf("second run stored again: %+v", again)
	}
	rec, err := a.Store.Get(ctx, res.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := rec.Decode()
	rep := b.(*record.Report)
	if rep.Original == nil || len(rep.Original.SHA256) != 64 || rep.Text == "" || rep.Language == "" {
		t.Errorf("report lacks its origin: %+v", rep)
	}
	hist, _ := a.Store.History(ctx, rec.ID)
	if hist[0].Author != "tester" || hist[0].Reason == "" {
		t.Errorf("revision %+v", hist[0])
	}
	if problems, _ := a.Store.Check(ctx); len(problems) > 0 {
		t.Fatal(problems)
	}
}

// TestIngestGoesOnPastBadInput: a bad file and an invalid item are named
// in the result, and every good document around them is stored whole.
func TestIngestGoesOnPastBadInput(t *testing.T) {
	ctx := context.Background()
	a := openApp(t)
	dir := t.TempDir()
	huge := strings.Repeat("نص طويل ", 600_000) // over the 4 MiB a report's text may hold
	lines := `{"title":"one","text":"[بيانات تجريبية] تقرير أول عن قصف"}` + "\n" +
		`{"title":"two","text":"` + huge + `"}` + "\n" +
		`{"title":"three","text":"[Sample data] a third report"}` + "\n"
	must(t, os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(lines), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"title": "broken", "text": `), 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "c.txt"), []byte("[Sample data] a plain report\n"), 0o600))
	in := &ingest.Ingester{Service: a.Service, Store: a.Store, Author: "tester", BatchSize: 10}
	res, err := in.Run(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 3 || len(res.Failed) != 2 || reportCount(t, a) != 3 {
		t.Fatalf("result %+v, stored %d", res, reportCount(t, a))
	}
	msgs := errors.Join(res.Failed...).Error()
	for _, want := range []string{"a.jsonl item 2", "record.text", "b.json"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("failures %q do not name %q", msgs, want)
		}
	}
	if strings.Contains(msgs, "نص طويل") {
		t.Error("failure message quotes the report text")
	}
	if problems, _ := a.Store.Check(ctx); len(problems) > 0 {
		t.Fatal(problems)
	}
}

func TestIngestCancelled(t *testing.T) {
	a := openApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := &ingest.Ingester{Service: a.Service, Store: a.Store, Author: "tester"}
	if _, err := in.Run(ctx, []string{"testdata/reports"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	if n := reportCount(t, a); n != 0 {
		t.Fatalf("cancelled run stored %d reports", n)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
