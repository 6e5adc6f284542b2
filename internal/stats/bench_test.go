package stats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/places"
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

// fillStore writes n incidents through the service in batches of 1,000,
// with the vocabulary's actors, perpetrator involvements for most
// incidents, a report for every tenth and a retraction for every
// hundredth: a store shaped like the real one, from a fixed seed.
func fillStore(b testing.TB, s *store, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var actors []string
	var changes []record.Change
	for _, parentsFirst := range []bool{true, false} {
		for _, a := range s.vs.Actors() {
			if (a.Parent == "") == parentsFirst {
				actors = append(actors, a.Code)
				changes = append(changes, record.Change{Action: record.ActionCreate, ID: a.Code, Body: &record.Actor{
					Code: a.Code, NameAR: a.Labels.AR, NameEN: a.Labels.EN, Category: a.Category, ParentID: a.Parent}})
			}
		}
	}
	apply(b, s, changes)
	var placeIDs []string
	for i := 1001; i < 7000; i++ {
		if p, ok := places.Get("C" + strconv.Itoa(i)); ok {
			placeIDs = append(placeIDs, p.ID)
		}
	}
	kinds := []string{"air_strike", "air_strike", "barrel_bomb", "shelling", "shelling", "armed_clash",
		"explosive_device", "execution", "detention", "abduction", "attack_on_protected_object", "other"}
	degrees := []string{"directly_carried_out", "ordered", "planned", "present", "passive_accomplice",
		"suspected", "command_responsibility", "unknown"}
	// The records are written over the 30 days before now, so the
	// dashboard has a week of reports to count.
	now := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	s.clock = now.Add(-30 * 24 * time.Hour)
	step := 30 * 24 * time.Hour / time.Duration(n+1)
	var retract []string
	for done := 0; done < n; {
		changes = changes[:0]
		for len(changes) < 1000 && done < n {
			done++
			s.clock = s.clock.Add(step)
			id := record.NewID(s.clock)
			inc := benchIncident(rng, kinds, placeIDs)
			if done%10 == 0 {
				rid := record.NewID(s.clock)
				changes = append(changes, record.Change{Action: record.ActionCreate, ID: rid, Body: &record.Report{
					Title: "تقرير", Text: "نص التقرير", Language: "ar",
					ReceivedAt: s.clock.Add(-time.Duration(rng.IntN(72)) * time.Hour).Format(time.RFC3339)}})
				if rng.IntN(2) == 0 {
					inc.ReportIDs = []string{rid}
				}
			}
			changes = append(changes, record.Change{Action: record.ActionCreate, ID: id, Body: inc})
			// No party for one incident in ten, two for one in five.
			for range []int{0, 1, 1, 1, 1, 1, 1, 1, 2, 2}[rng.IntN(10)] {
				changes = append(changes, record.Change{Action: record.ActionCreate, Body: &record.Involvement{
					ActorID: actors[rng.IntN(len(actors))], IncidentID: id, Degree: degrees[rng.IntN(len(degrees))], Confidence: "likely"}})
			}
			if done%100 == 0 {
				retract = append(retract, id)
			}
		}
		apply(b, s, changes)
	}
	changes = changes[:0]
	for _, id := range retract {
		changes = append(changes, record.Change{Action: record.ActionRetract, ID: id, BaseRevision: 1})
	}
	apply(b, s, changes)
	if _, err := s.db.Exec(ctx, `PRAGMA optimize`); err != nil {
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

// benchIncident is a random incident: one or two kinds, a day from 2011 to
// 2024 (some only a month or a year), a place (some a point, some none),
// killed counts of the qualifiers the extractor writes.
func benchIncident(rng *rand.Rand, kinds, placeIDs []string) *record.Incident {
	x := &record.Incident{TitleAR: "قصف على " + strconv.Itoa(rng.IntN(1e6)), Kinds: []string{kinds[rng.IntN(len(kinds))]}}
	if k := kinds[rng.IntN(len(kinds))]; rng.IntN(5) == 0 && k != x.Kinds[0] {
		x.Kinds = append(x.Kinds, k)
	}
	d := time.Date(2011, 3, 15, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(5000))
	switch rng.IntN(20) {
	case 0:
		x.When = record.DateRange{Start: d.Format("2006"), Precision: "year"}
	case 1:
		x.When = record.DateRange{Start: d.Format("2006-01"), Precision: "month"}
	default:
		x.When = record.DateRange{Start: d.Format(time.DateOnly), Precision: "day"}
	}
	switch r := rng.IntN(20); {
	case r == 0:
	case r == 1:
		lat, lon := 33+rng.Float64()*4, 36+rng.Float64()*5
		x.Where = []record.Place{{Lat: &lat, Lon: &lon, Precision: "exact"}}
	default:
		x.Where = []record.Place{{GazetteerID: placeIDs[rng.IntN(len(placeIDs))], Precision: "village_town_city"}}
	}
	x.Grading = []string{"pending", "weak", "fair", "confirmed", "contested", "discounted"}[rng.IntN(6)]
	if rng.IntN(10) < 7 {
		v := 1 + rng.IntN(80)
		var c record.Count
		switch rng.IntN(5) {
		case 0:
			c = record.Count{Qualifier: "exact", Best: &v}
		case 1:
			c = record.Count{Qualifier: "at_least", Min: &v}
		case 2:
			w := v + 1
			c = record.Count{Qualifier: "more_than", Min: &w, SourceText: fmt.Sprintf("أكثر من %d", v)}
		case 3:
			c = record.Count{Qualifier: "about", Best: &v}
		default:
			c = record.Count{Qualifier: "up_to", Max: &v}
		}
		x.Casualties = append(x.Casualties, record.CasualtyCount{Category: "civilians", Outcome: "killed", Count: c})
		if rng.IntN(5) == 0 {
			ch := 1 + rng.IntN(v)
			x.Casualties = append(x.Casualties, record.CasualtyCount{Category: "children", Outcome: "killed",
				Count: record.Count{Qualifier: "exact", Best: &ch}})
		}
	}
	if rng.IntN(5) == 0 {
		f := 1 + rng.IntN(20)
		x.Casualties = append(x.Casualties, record.CasualtyCount{Category: "fighters", Outcome: "killed",
			Count: record.Count{Qualifier: "about", Best: &f}})
	}
	if rng.IntN(3) == 0 {
		w := 1 + rng.IntN(100)
		x.Casualties = append(x.Casualties, record.CasualtyCount{Category: "civilians", Outcome: "injured",
			Count: record.Count{Qualifier: "at_least", Min: &w}})
	}
	return x
}
