package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Bulk writes n synthetic incidents for benchmarks, through the service in
// batches of 1,000, from a fixed seed: one or two kinds, a day from 2011
// to 2024 (some only a month or a year), a place of the gazetteer (a few
// a bare point, a few none), killed counts of every qualifier, a
// perpetrator involvement for most, and for one incident in ten a report
// with a denial and a casualty claim. Titles and texts are marked as
// sample data. It creates the vocabulary's actors first if they are
// missing and returns the incidents' ids.
func Bulk(ctx context.Context, svc *record.Service, store *record.Store, vs *vocab.Set, n int, seed uint64) ([]string, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	meta := record.Meta{Author: "bulk-sample", Reason: "synthetic sample data for a benchmark"}
	var actors []string
	var changes []record.Change
	for _, parentsFirst := range []bool{true, false} {
		for _, a := range vs.Actors() {
			if (a.Parent == "") != parentsFirst {
				continue
			}
			actors = append(actors, a.Code)
			if _, err := store.Get(ctx, a.Code); err == nil {
				continue
			}
			changes = append(changes, record.Change{Action: record.ActionCreate, ID: a.Code, Body: &record.Actor{
				Code: a.Code, NameAR: a.Labels.AR, NameEN: a.Labels.EN, Category: a.Category, ParentID: a.Parent}})
		}
	}
	if len(changes) > 0 {
		if _, err := svc.Apply(ctx, meta, changes); err != nil {
			return nil, fmt.Errorf("demo: bulk actors: %w", err)
		}
	}
	var placeIDs []string
	for i := 1001; i < 7000; i++ {
		if p, ok := places.Get("C" + strconv.Itoa(i)); ok {
			placeIDs = append(placeIDs, p.ID)
		}
	}
	kinds := []string{"air_strike", "air_strike", "barrel_bomb", "shelling", "shelling", "armed_clash",
		"explosive_device", "execution", "detention", "abduction", "attack_on_protected_object", "other"}
	clock := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]string, 0, n)
	for len(ids) < n {
		changes = changes[:0]
		for len(changes) < 1000 && len(ids) < n {
			clock = clock.Add(time.Second)
			id := record.NewID(clock)
			ids = append(ids, id)
			inc := bulkIncident(rng, kinds, placeIDs, len(ids))
			changes = append(changes, record.Change{Action: record.ActionCreate, ID: id, Body: inc})
			actor := actors[rng.IntN(len(actors))]
			if rng.IntN(10) > 0 {
				changes = append(changes, record.Change{Action: record.ActionCreate, Body: &record.Involvement{
					ActorID: actor, IncidentID: id, Degree: "directly_carried_out", Confidence: "likely"}})
			}
			if len(ids)%10 == 0 {
				changes = append(changes, bulkReport(clock, id, actor, inc)...)
			}
		}
		if _, err := svc.Apply(ctx, meta, changes); err != nil {
			return nil, fmt.Errorf("demo: bulk: %w", err)
		}
	}
	return ids, nil
}

func bulkIncident(rng *rand.Rand, kinds, placeIDs []string, i int) *record.Incident {
	x := &record.Incident{Kinds: []string{kinds[rng.IntN(len(kinds))]}, Confidentiality: "internal"}
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
	name := "مكان غير محدد"
	switch r := rng.IntN(20); {
	case r == 0:
	case r == 1:
		lat, lon := 33+rng.Float64()*4, 36+rng.Float64()*5
		x.Where = []record.Place{{Lat: &lat, Lon: &lon, Precision: "exact"}}
	default:
		p, _ := places.Get(placeIDs[rng.IntN(len(placeIDs))])
		name = p.NameAR
		x.Where = []record.Place{{GazetteerID: p.ID, Precision: "village_town_city"}}
	}
	x.TitleAR = fmt.Sprintf("[بيانات تجريبية] حادثة رقم %d في %s", i, name)
	x.TitleEN = fmt.Sprintf("[Sample data] incident %d", i)
	x.Description = "[بيانات تجريبية] وصف مولّد لاختبار الأداء: قصف استهدف حياً سكنياً وأسفر عن ضحايا مدنيين وفق ناشطين محليين."
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
	}
	return x
}

// bulkReport is a report on the incident, one casualty claim from it and
// the accused party's denial.
func bulkReport(at time.Time, incidentID, actor string, inc *record.Incident) []record.Change {
	rid := record.NewID(at)
	text := "[بيانات تجريبية] أفاد ناشطون بمقتل مدنيين في قصف على حي سكني، فيما نفت الجهة المتهمة مسؤوليتها عن القصف."
	n := 7
	return []record.Change{
		{Action: record.ActionCreate, ID: rid, Body: &record.Report{Title: "[بيانات تجريبية] تقرير ناشطين", Text: text, Language: "ar",
			Published: inc.When.Start, IncidentIDs: []string{incidentID}}},
		{Action: record.ActionCreate, Body: &record.Claim{ReportID: rid, IncidentID: incidentID, ClaimType: "casualty_count",
			Casualty: &record.CasualtyCount{Category: "civilians", Outcome: "killed", Count: record.Count{Qualifier: "exact", Best: &n}}}},
		{Action: record.ActionCreate, Body: &record.Claim{ReportID: rid, IncidentID: incidentID, ClaimType: "denial", AssertedByID: actor,
			Quote: "نفت الجهة المتهمة مسؤوليتها عن القصف"}},
	}
}
