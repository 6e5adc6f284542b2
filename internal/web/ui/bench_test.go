package ui_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/demo"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// BenchmarkRender measures the server-side time of the two pages analysts
// open most, with 100,000 incidents in the store (TAWTHIQ_UI_BENCH_N
// changes it; TAWTHIQ_UI_BENCH_DIR keeps the store between runs): the
// incidents list (a search; its facets follow in a second request,
// measured too) and an incident's page. Each is printed beside a
// reference measured in the same run on the same requests: the list
// beside the search it renders, the facets beside the search that counts
// them, the page beside the JSON API's answer for the same incident. The figures are p50 and p95 of
// 200 requests (TAWTHIQ_UI_BENCH_REQUESTS).
func BenchmarkRender(b *testing.B) {
	n := 100_000
	if s := os.Getenv("TAWTHIQ_UI_BENCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	ctx := context.Background()
	dir := os.Getenv("TAWTHIQ_UI_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	a, _, err := app.Init(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	counts, _ := a.Store.Count(ctx)
	var ids []string
	if counts[record.TypeIncident] < n {
		start := time.Now()
		if ids, err = demo.Bulk(ctx, a.Service, a.Store, a.Vocab, n-counts[record.TypeIncident], 7); err != nil {
			b.Fatal(err)
		}
		b.Logf("%d incidents written in %v", len(ids), time.Since(start).Round(time.Second))
	}
	requests := 200
	if s := os.Getenv("TAWTHIQ_UI_BENCH_REQUESTS"); s != "" {
		fmt.Sscan(s, &requests)
	}
	if ids, err = sampleIDs(ctx, a, requests); err != nil {
		b.Fatal(err)
	}
	// The pages are an analyst's: the benchmark signs one in (made on the
	// first run of a kept store) and sends the session with every request.
	apptest.Cheap()
	const user, password = "bench-analyst", "password of the benchmark analyst"
	if _, err := a.Accounts.User(ctx, user); errors.Is(err, auth.ErrNotFound) {
		if _, err := a.Accounts.AddUser(ctx, "system", user, "", auth.RoleAnalyst, []byte(password)); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}
	secret, _, err := a.Accounts.SignIn(ctx, user, []byte(password), "bench")
	if err != nil {
		b.Fatal(err)
	}
	session := &http.Cookie{Name: ui.SessionCookie, Value: secret}
	pages, err := ui.New(ui.Deps{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Search: a.Search, DB: a.DB, Evidence: a.Evidence, Ledger: a.Ledger,
		Log: slog.New(slog.DiscardHandler), Accounts: a.Accounts, Audit: a.AuditLog, AuditLog: a.AuditLog})
	if err != nil {
		b.Fatal(err)
	}
	h := web.Site(&api.API{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Evidence: a.Evidence, Ledger: a.Ledger,
		Search: a.Search, DB: a.DB, Version: "bench", Log: slog.New(slog.DiscardHandler),
		Accounts: a.Accounts, Audit: a.AuditLog, AuditLog: a.AuditLog}, pages, a.Accounts)
	serve := func(path string) {
		req := httptest.NewRequest("GET", path, nil)
		req.Host = "127.0.0.1"
		req.AddCookie(session)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"قصف", "حادثة", "مدنيين", "حي", "الرقة", "حلب", "إدلب", "ناشطين"}
	kinds := []string{"", "air_strike", "shelling", "detention"}
	type listQuery struct {
		page string
		q    search.Query
	}
	var lists []listQuery
	for range requests {
		w, k := words[rng.IntN(len(words))], kinds[rng.IntN(len(kinds))]
		v := url.Values{"q": {w}}
		q := search.Query{Text: w, Types: []record.Type{record.TypeIncident}, Limit: 20}
		if k != "" {
			v.Set("kind", k)
			q.Kinds = []string{k}
		}
		lists = append(lists, listQuery{"/incidents?" + v.Encode(), q})
	}
	b.Run("IncidentsList", func(b *testing.B) {
		for b.Loop() {
			page, ref := timings(len(lists), func(i int) { serve(lists[i].page) }, func(i int) {
				if _, err := a.Search.Search(ctx, lists[i].q); err != nil {
					b.Fatal(err)
				}
			})
			report(b, page, ref)
		}
	})
	// The facets follow the list (htmx): the count of every match by
	// kind, party, place, grading and year, beside the search that makes
	// them.
	b.Run("IncidentsFacets", func(b *testing.B) {
		for b.Loop() {
			page, ref := timings(len(lists), func(i int) { serve("/incidents/facets?" + strings.TrimPrefix(lists[i].page, "/incidents?")) }, func(i int) {
				q := lists[i].q
				q.Facets, q.Limit = true, 1
				if _, err := a.Search.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			})
			report(b, page, ref)
		}
	})
	b.Run("IncidentPage", func(b *testing.B) {
		for b.Loop() {
			page, ref := timings(len(ids), func(i int) { serve("/incidents/" + ids[i]) }, func(i int) { serve("/api/v1/incidents/" + ids[i]) })
			report(b, page, ref)
		}
	})
}

// sampleIDs picks incidents spread over the store, one in ten of them
// with a report and claims (the heavier page).
func sampleIDs(ctx context.Context, a *app.App, k int) ([]string, error) {
	_, total, err := a.Store.List(ctx, record.Query{Type: record.TypeIncident, Limit: 1})
	if err != nil || total == 0 {
		return nil, fmt.Errorf("no incidents: %v", err)
	}
	var ids []string
	step := max(total/k, 1)
	for off := 0; off < total && len(ids) < k; off += step {
		page, _, err := a.Store.List(ctx, record.Query{Type: record.TypeIncident, Limit: 1, Offset: off})
		if err != nil {
			return nil, err
		}
		ids = append(ids, page[0].ID)
	}
	return ids, nil
}

// timings runs both functions over the same inputs, interleaved so the
// machine's state affects them alike, and returns the durations.
func timings(n int, subject, reference func(int)) (got, ref []time.Duration) {
	for i := range n {
		t := time.Now()
		reference(i)
		ref = append(ref, time.Since(t))
		t = time.Now()
		subject(i)
		got = append(got, time.Since(t))
	}
	return got, ref
}

func pct(d []time.Duration, p float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(float64(len(s))*p))].Microseconds()) / 1000
}

func report(b *testing.B, got, ref []time.Duration) {
	b.ReportMetric(pct(got, 0.5), "p50_ms")
	b.ReportMetric(pct(got, 0.95), "p95_ms")
	b.ReportMetric(pct(ref, 0.5), "ref_p50_ms")
	b.ReportMetric(pct(ref, 0.95), "ref_p95_ms")
	b.ReportMetric(pct(got, 0.95)/pct(ref, 0.95), "p95_x_ref")
}
