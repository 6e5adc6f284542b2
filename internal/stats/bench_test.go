package stats_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/demo"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/stats"
)

// BenchmarkStats measures each aggregate over a store of 100,000 incidents
// (STATS_BENCH_INCIDENTS changes the number) written through the mutation
// service, beside two references timed in the same loop on the same
// database, so a busy machine slows all three alike:
//
//   - ref: SELECT count(*) FROM records WHERE type = 'incident', answered
//     from an index alone — the least a figure over incidents can cost;
//   - pass: the same count of live incidents only, which has to read every
//     row of the records table (retracted is in no index) — the least a
//     figure over live incidents costs with this schema.
//
// ns/op is the aggregate's; ref_ns/op and pass_ns/op the references';
// x_ref and x_pass the ratios.
//
// Writing the store takes a minute or two; STATS_BENCH_DB names a database
// file to keep it in and reuse on the next run.
func BenchmarkStats(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("STATS_BENCH_INCIDENTS")); err == nil && v > 0 {
		n = v
	}
	s := benchStore(b, n)
	st := stats.New(s.db, s.vs)
	ctx := s.ctx
	year := stats.Filter{From: "2016-01-01", To: "2016-12-31"}
	aleppo := stats.Filter{Place: "SY02", Kinds: []string{"air_strike", "barrel_bomb"}}
	now := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"killed_by_party_month", func() error { _, err := st.KilledByPartyMonth(ctx, stats.Filter{}); return err }},
		{"killed_by_party_month/year", func() error { _, err := st.KilledByPartyMonth(ctx, year); return err }},
		{"by_kind", func() error { _, err := st.IncidentsByKind(ctx, stats.Filter{}); return err }},
		{"by_kind/aleppo_air", func() error { _, err := st.IncidentsByKind(ctx, aleppo); return err }},
		{"by_governorate", func() error { _, err := st.IncidentsByGovernorate(ctx, stats.Filter{}); return err }},
		{"map_points", func() error { _, err := st.MapPoints(ctx, stats.Filter{}); return err }},
		{"map_points/year", func() error { _, err := st.MapPoints(ctx, year); return err }},
		{"dashboard", func() error { _, err := st.Dashboard(ctx, now, 10); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var ref, pass time.Duration
			for range b.N {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				ref += timeCount(b, s, `SELECT count(*) FROM records WHERE type = 'incident'`)
				pass += timeCount(b, s, `SELECT count(*) FROM records WHERE +type = 'incident' AND retracted = 0`)
				b.StartTimer()
			}
			agg := float64(b.Elapsed())
			b.ReportMetric(float64(ref)/float64(b.N), "ref_ns/op")
			b.ReportMetric(float64(pass)/float64(b.N), "pass_ns/op")
			b.ReportMetric(agg/float64(ref), "x_ref")
			b.ReportMetric(agg/float64(pass), "x_pass")
		})
	}
}

// benchStore opens the store STATS_BENCH_DB names, or writes a new one of
// n incidents.
func benchStore(b *testing.B, n int) *store {
	path := os.Getenv("STATS_BENCH_DB")
	_, err := os.Stat(path)
	reuse := path != "" && err == nil
	s := newStoreAt(b, path)
	if !reuse {
		start := time.Now()
		fillStore(b, s, n)
		b.Logf("%d incidents written in %v", n, time.Since(start).Round(time.Millisecond))
	}
	return s
}

// timeCount times one count query.
func timeCount(b *testing.B, s *store, q string) time.Duration {
	start := time.Now()
	var n int
	if err := s.db.QueryRow(s.ctx, q).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// fillStore writes n sample incidents (demo.Bulk: kinds, dates, places,
// killed counts of every qualifier, perpetrators, reports with claims),
// then retracts one in a hundred: a store shaped like the real one, from
// a fixed seed.
func fillStore(b testing.TB, s *store, n int) {
	ids, err := demo.Bulk(s.ctx, s.svc, record.NewStore(s.db), s.vs, n, 1)
	if err != nil {
		b.Fatal(err)
	}
	var changes []record.Change
	for i := 0; i < len(ids); i += 100 {
		changes = append(changes, record.Change{Action: record.ActionRetract, ID: ids[i], BaseRevision: 1})
	}
	apply(b, s, changes)
	if _, err := s.db.Exec(s.ctx, `PRAGMA optimize`); err != nil {
		b.Fatal(err)
	}
}

func apply(b testing.TB, s *store, changes []record.Change) {
	if len(changes) == 0 {
		return
	}
	if _, err := s.svc.Apply(s.ctx, meta, changes); err != nil {
		b.Fatal(err)
	}
}
