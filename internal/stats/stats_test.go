package stats_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/stats"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// store is a real SQLite store with the mutation service and a clock the
// test moves.
type store struct {
	t     testing.TB
	ctx   context.Context
	db    *sqldb.DB
	svc   *record.Service
	vs    *vocab.Set
	clock time.Time
}

func newStore(t testing.TB) *store { return newStoreAt(t, "") }

// newStoreAt opens (or creates) the store at path, or in a temporary
// folder if path is "".
func newStoreAt(t testing.TB, path string) *store {
	t.Helper()
	ctx := context.Background()
	if path == "" {
		path = filepath.Join(t.TempDir(), "stats.db")
	}
	db, err := sqldb.CreateSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := &store{t: t, ctx: ctx, db: db, vs: vs, clock: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC)}
	s.svc = record.NewService(db, vs, record.WithClock(func() time.Time { return s.clock }))
	return s
}

var meta = record.Meta{Author: "analyst-1", Reason: "test"}

// create makes a record at time at (RFC 3339).
func (s *store) create(at string, id string, b record.Body) *record.Record {
	s.t.Helper()
	s.clock = mustTime(s.t, at)
	recs, err := s.svc.Apply(s.ctx, meta, []record.Change{{Action: record.ActionCreate, ID: id, Body: b}})
	if err != nil {
		s.t.Fatalf("create %s: %v", b.Type(), err)
	}
	return recs[0]
}

func (s *store) retract(r *record.Record) {
	s.t.Helper()
	if _, err := s.svc.Retract(s.ctx, meta, r.ID, r.Revision); err != nil {
		s.t.Fatalf("retract %s: %v", r.ID, err)
	}
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func intp(n int) *int       { return &n }
func fp(f float64) *float64 { return &f }
func at(s string) []record.Place {
	return []record.Place{{GazetteerID: s, Precision: "village_town_city"}}
}

func killed(cat, qual string, lo, best, hi *int) record.CasualtyCount {
	return record.CasualtyCount{Category: cat, Outcome: "killed",
		Count: record.Count{Qualifier: qual, Min: lo, Best: best, Max: hi}}
}

func day(d string) record.DateRange { return record.DateRange{Start: d, Precision: "day"} }

// fixture is the store the tests share: seven incidents, three actors,
// six reports, each chosen to test one rule.
type fixture struct {
	*store
	st     *stats.Stats
	russia string // an actor with a generated id and the code "russia"
	ids    map[string]string
}

func newFixture(t *testing.T) *fixture {
	s := newStore(t)
	f := &fixture{store: s, st: stats.New(s.db, s.vs), ids: map[string]string{}}
	// Seeded actors have their code as id (see app.SeedActors); others a
	// generated one.
	actor := func(id, code, en, cat string) string {
		return s.create("2017-01-01T00:00:00Z", id, &record.Actor{Code: code, NameAR: "طرف " + code, NameEN: en, Category: cat}).ID
	}
	coalition := actor("us_coalition", "us_coalition", "US-led coalition", "international_coalition")
	isis := actor("isis", "isis", "ISIS", "extremist_armed_group")
	f.russia = actor("", "russia", "Russian armed forces", "foreign_state_forces")

	report := func(key, created, received string) *record.Record {
		r := s.create(created, "", &record.Report{Title: "تقرير " + key, Text: "نص " + key, Language: "ar", ReceivedAt: received})
		f.ids[key] = r.ID
		return r
	}
	r1 := report("R1", "2017-06-24T08:00:00Z", "2017-06-24T10:00:00+03:00")
	report("R2", "2017-06-20T00:00:00Z", "")
	r6 := report("R6", "2017-06-19T09:00:00Z", "2017-06-19T00:00:00Z")

	incident := func(key, created string, x *record.Incident) *record.Record {
		if x.TitleAR == "" {
			x.TitleAR = "حادثة " + key
		}
		r := s.create(created, "", x)
		f.ids[key] = r.ID
		return r
	}
	involve := func(actor, inc, degree string) *record.Record {
		return s.create("2017-06-25T00:00:00Z", "", &record.Involvement{ActorID: actor, IncidentID: inc, Degree: degree, Confidence: "likely"})
	}
	// A: civilians more than 70 (their children part of them), coalition.
	a := incident("A", "2017-06-06T00:00:00Z", &record.Incident{TitleEN: "Hettin strike", Kinds: []string{"air_strike"}, When: day("2017-06-05"),
		Where: []record.Place{{GazetteerID: "N0466", Precision: "neighbourhood"}}, Grading: "fair",
		Casualties: []record.CasualtyCount{killed("civilians", "more_than", intp(71), nil, nil), killed("children", "exact", nil, intp(20), nil),
			{Category: "civilians", Outcome: "injured", Count: record.Count{Qualifier: "exact", Best: intp(300)}}}})
	involve(coalition, a.ID, "directly_carried_out")
	// B: two kinds, two governorates, civilians and fighters, two parties.
	b := incident("B", "2017-06-21T00:00:00Z", &record.Incident{Kinds: []string{"air_strike", "shelling"}, When: day("2017-06-20"),
		Where: append(at("C5710"), at("C1007")...), Grading: "pending", ReportIDs: []string{r1.ID},
		Casualties: []record.CasualtyCount{killed("civilians", "about", nil, intp(10), nil), killed("fighters", "about", intp(3), intp(4), intp(5))}})
	involve(coalition, b.ID, "directly_carried_out")
	involve(f.russia, b.ID, "suspected")
	// C: own point only, parts without a total, attributed through an act.
	c := incident("C", "2017-07-02T00:00:00Z", &record.Incident{Kinds: []string{"execution"}, When: day("2017-07-01"),
		Where: []record.Place{{NameAR: "قرب الطبقة", Lat: fp(35.84), Lon: fp(38.55), Precision: "exact"}}, Grading: "confirmed",
		Casualties: []record.CasualtyCount{killed("women", "exact", nil, intp(2), nil), killed("children", "exact", nil, intp(3), nil)}})
	vg := s.create("2017-07-02T00:00:00Z", "", &record.VictimGroup{IncidentID: c.ID, Category: "civilians", Outcome: "killed",
		Count: record.Count{Qualifier: "exact", Best: intp(5)}})
	act := s.create("2017-07-02T00:00:00Z", "", &record.Act{IncidentID: c.ID, ActType: "killing", VictimGroupID: vg.ID})
	s.create("2017-07-02T00:00:00Z", "", &record.Involvement{ActorID: isis, ActID: act.ID, Degree: "ordered", Confidence: "likely"})
	// D: retracted, with a live involvement and a report.
	d := incident("D", "2017-06-11T00:00:00Z", &record.Incident{Kinds: []string{"air_strike"}, When: day("2017-06-10"), Where: at("SY11"),
		ReportIDs: []string{r6.ID}, Casualties: []record.CasualtyCount{killed("civilians", "exact", nil, intp(100), nil)}})
	involve(f.russia, d.ID, "directly_carried_out")
	s.retract(d)
	// E: up to 7, a retracted attribution and a passive accomplice: Unknown.
	e := incident("E", "2017-06-13T00:00:00Z", &record.Incident{Kinds: []string{"shelling"}, When: day("2017-06-12"), Where: at("SY0202"),
		Grading: "pending", Casualties: []record.CasualtyCount{killed("civilians", "up_to", nil, nil, intp(7))}})
	s.retract(involve(isis, e.ID, "directly_carried_out"))
	involve(f.russia, e.ID, "passive_accomplice")
	// F: unknown date, no place, no casualties.
	incident("F", "2017-06-14T00:00:00Z", &record.Incident{Kinds: []string{"other"}, When: record.DateRange{Precision: "unknown"}, Grading: "weak"})
	// G: a year, none reported, an involvement of unknown degree.
	g := incident("G", "2017-06-15T00:00:00Z", &record.Incident{Kinds: []string{"air_strike"}, When: record.DateRange{Start: "2017", Precision: "year"},
		Where: at("C1001"), Casualties: []record.CasualtyCount{killed("civilians", "none_reported", nil, nil, nil)}})
	involve(f.russia, g.ID, "unknown")

	// R3 names A itself, and was received long before it was recorded.
	f.ids["R3"] = s.create("2017-06-22T00:00:00Z", "", &record.Report{Title: "تقرير R3", Text: "نص R3", Language: "ar",
		ReceivedAt: "2017-06-01T00:00:00Z", IncidentIDs: []string{a.ID}}).ID
	s.retract(report("R4", "2017-06-23T00:00:00Z", "2017-06-23T00:00:00Z"))
	r5 := report("R5", "2017-06-25T11:00:00Z", "2017-06-25T11:00:00Z")
	s.create("2017-06-25T11:30:00Z", "", &record.Claim{ReportID: r5.ID, ClaimType: "location", IncidentID: c.ID})
	return f
}

func TestKilledByPartyMonth(t *testing.T) {
	f := newFixture(t)
	got, err := f.st.KilledByPartyMonth(f.ctx, stats.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		month, party           string
		incidents, withFigures int
		killed                 string
	}
	want := []row{
		{"2017-01", "russia", 1, 1, "0"},         // G: none reported
		{"2017-06", "russia", 1, 1, "13–15"},     // B: 10 civilians + 3–5 fighters; D retracted
		{"2017-06", "unknown", 1, 1, "1–7"},      // E: up to 7
		{"2017-06", "us_coalition", 2, 2, "84+"}, // A 71+ (children inside) + B 13–15
		{"2017-07", "isis", 1, 1, "3–5"},         // C: 2 women, 3 children, no total
		{"unknown", "unknown", 1, 0, "0"},        // F
	}
	var have []row
	for _, r := range got {
		have = append(have, row{r.Month, r.Party.Code, r.Incidents, r.WithFigures, r.Killed.String()})
	}
	if !reflect.DeepEqual(have, want) {
		t.Errorf("got\n%v\nwant\n%v", have, want)
	}
	for _, r := range got {
		switch r.Party.Code {
		case "russia":
			if r.Party.ID != f.russia || r.Party.NameEN != "Russian armed forces" {
				t.Errorf("russia is %+v", r.Party)
			}
		case "unknown":
			if r.Party != stats.Unknown {
				t.Errorf("unknown is %+v", r.Party)
			}
		}
	}
	if k := got[3].Killed; !k.MaxOpen || k.Min != 84 || k.Max != 0 {
		t.Errorf("coalition killed %+v, want min 84 and an open max", k)
	}
	js, _ := json.Marshal(got[3].Killed)
	if string(js) != `{"min":84,"max":null}` {
		t.Errorf("open range as JSON: %s", js)
	}
}

func groups(gs []stats.Group) map[string]int {
	out := map[string]int{}
	for _, g := range gs {
		out[g.Key] = g.Incidents
	}
	return out
}

func TestIncidentsByKindAndGovernorate(t *testing.T) {
	f := newFixture(t)
	kinds, err := f.st.IncidentsByKind(f.ctx, stats.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := groups(kinds), map[string]int{"air_strike": 3, "shelling": 2, "execution": 1, "other": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("by kind %v, want %v", got, want)
	}
	if kinds[0].Key != "air_strike" || kinds[0].NameEN == "" || kinds[0].NameAR == "" {
		t.Errorf("first kind %+v: want air_strike with its names", kinds[0])
	}
	govs, err := f.st.IncidentsByGovernorate(f.ctx, stats.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// B is in Raqqa and Aleppo; A's neighbourhood and E's district roll up;
	// C has only a point, F nothing.
	want := []stats.Group{
		{Key: "SY02", NameAR: "حلب", NameEN: "Aleppo", Incidents: 2},
		{Key: "SY11", NameAR: "الرقة", NameEN: "Ar-Raqqa", Incidents: 2},
		{Key: "unknown", NameAR: "غير معروف", NameEN: "Unknown", Incidents: 2},
		{Key: "SY01", NameAR: "دمشق", NameEN: "Damascus", Incidents: 1},
	}
	if !reflect.DeepEqual(govs, want) {
		t.Errorf("by governorate\n%+v\nwant\n%+v", govs, want)
	}
}

func TestFilter(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		name   string
		filter stats.Filter
		want   map[string]int // by kind
	}{
		{"governorate", stats.Filter{Place: "SY11"}, map[string]int{"air_strike": 2, "shelling": 1}},
		{"city takes its neighbourhoods", stats.Filter{Place: "C5710"}, map[string]int{"air_strike": 2, "shelling": 1}},
		{"district", stats.Filter{Place: "SY0202"}, map[string]int{"shelling": 1}},
		{"kinds, any of", stats.Filter{Kinds: []string{"execution", "other"}}, map[string]int{"execution": 1, "other": 1}},
		{"actor by code, through an act", stats.Filter{Actors: []string{"isis"}}, map[string]int{"execution": 1}},
		{"actor by id, any degree", stats.Filter{Actors: []string{f.russia}}, map[string]int{"air_strike": 2, "shelling": 2}},
		{"dates overlap", stats.Filter{From: "2017-06-15", To: "2017-06-30"}, map[string]int{"air_strike": 2, "shelling": 1}},
		{"grading", stats.Filter{Grading: "pending"}, map[string]int{"air_strike": 2, "shelling": 2}},
		{"all together", stats.Filter{From: "2017-06-01", To: "2017-06-30", Kinds: []string{"shelling"}, Actors: []string{"russia", "us_coalition"},
			Place: "SY02", Grading: "pending"}, map[string]int{"air_strike": 1, "shelling": 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.st.IncidentsByKind(f.ctx, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(groups(got), c.want) {
				t.Errorf("got %v, want %v", groups(got), c.want)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		filter stats.Filter
		fields []string
	}{
		{stats.Filter{From: "2017-13-01"}, []string{"from"}},
		{stats.Filter{From: "2017-06", To: "yesterday"}, []string{"from", "to"}},
		{stats.Filter{From: "2017-06-30", To: "2017-06-01"}, []string{"to"}},
		{stats.Filter{Kinds: []string{"air_strike", "nope"}}, []string{"kinds[1]"}},
		{stats.Filter{Actors: []string{"bad id!"}}, []string{"actors[0]"}},
		{stats.Filter{Actors: []string{"isis", "nobody"}}, []string{"actors[1]"}}, // unknown: found out at query time
		{stats.Filter{Place: "SY99"}, []string{"place"}},
		{stats.Filter{Grading: "great", Place: "Raqqa"}, []string{"place", "grading"}},
	} {
		_, err := f.st.KilledByPartyMonth(f.ctx, c.filter)
		var ve *record.ValidationError
		if !errors.Is(err, record.ErrInvalid) || !errors.As(err, &ve) {
			t.Errorf("%+v: error %v, want a validation error", c.filter, err)
			continue
		}
		var fields []string
		for _, e := range ve.Errors {
			fields = append(fields, e.Field)
			if e.Message == "" || e.MessageAR == "" {
				t.Errorf("%s: a message is missing: %+v", e.Field, e)
			}
		}
		if !reflect.DeepEqual(fields, c.fields) {
			t.Errorf("%+v: fields %v, want %v", c.filter, fields, c.fields)
		}
	}
}

func TestMapPoints(t *testing.T) {
	f := newFixture(t)
	pts, err := f.st.MapPoints(f.ctx, stats.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range pts {
		ids = append(ids, p.ID)
	}
	if want := []string{f.ids["C"], f.ids["B"], f.ids["E"], f.ids["A"], f.ids["G"]}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("points %v, want C B E A G %v", ids, want)
	}
	c, b, e, a, g := pts[0], pts[1], pts[2], pts[3], pts[4]
	if c.Lat != 35.84 || c.Lon != 38.55 || c.Precision != "exact" || c.PlaceID != "" || !reflect.DeepEqual(c.Perpetrators, []string{"isis"}) ||
		c.Killed == nil || c.Killed.String() != "3–5" || c.Start != "2017-07-01" || c.TitleAR != "حادثة C" {
		t.Errorf("C: %+v", c)
	}
	if b.PlaceID != "C5710" || b.Lat == 0 || !reflect.DeepEqual(b.Kinds, []string{"air_strike", "shelling"}) ||
		!reflect.DeepEqual(b.Perpetrators, []string{"russia", "us_coalition"}) || b.Killed.String() != "13–15" {
		t.Errorf("B: %+v", b)
	}
	if e.PlaceID != "SY0202" || e.Precision != "district_adm2" || len(e.Perpetrators) != 0 || e.Killed.String() != "1–7" {
		t.Errorf("E: %+v", e)
	}
	if a.PlaceID != "N0466" || a.TitleEN != "Hettin strike" || !a.Killed.MaxOpen || a.Killed.Min != 71 {
		t.Errorf("A: %+v", a)
	}
	if g.Start != "2017-01-01" || g.End != "2017-12-31" || g.Killed == nil || g.Killed.String() != "0" {
		t.Errorf("G: %+v", g)
	}
	pts, err = f.st.MapPoints(f.ctx, stats.Filter{Place: "SY11"})
	if err != nil || len(pts) != 2 {
		t.Errorf("in Ar-Raqqa: %d points, %v; want A and B", len(pts), err)
	}
}

func TestDashboard(t *testing.T) {
	f := newFixture(t)
	now := mustTime(t, "2017-06-25T12:00:00Z")
	d, err := f.st.Dashboard(f.ctx, now, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Received: R1 (a local time), R2 (no received_at: when recorded), R5,
	// R6; not R3 (received before the window) nor R4 (retracted).
	if d.Received.Count != 4 || len(d.Received.Latest) != 2 ||
		d.Received.Latest[0].ID != f.ids["R5"] || d.Received.Latest[1].ID != f.ids["R1"] ||
		d.Received.Latest[1].At != "2017-06-24T10:00:00+03:00" {
		t.Errorf("received %+v", d.Received)
	}
	// Pending: B, E, G (D is retracted), last changed first.
	if d.Pending.Count != 3 || len(d.Pending.Latest) != 2 || d.Pending.Latest[0].ID != f.ids["B"] || d.Pending.Latest[1].ID != f.ids["G"] {
		t.Errorf("pending %+v", d.Pending)
	}
	// Unlinked: R2, and R6 whose only incident is retracted; R1 is in B's
	// report_ids, R3 names A, R5 has a claim about C.
	if d.Unlinked.Count != 2 || len(d.Unlinked.Latest) != 2 {
		t.Errorf("unlinked %+v", d.Unlinked)
	}
	for _, it := range d.Unlinked.Latest {
		if it.ID != f.ids["R2"] && it.ID != f.ids["R6"] {
			t.Errorf("unlinked lists %+v", it)
		}
	}
	if d.Month != "2017-06" {
		t.Errorf("month %s", d.Month)
	}
	if got := groups(d.MonthByKind); !reflect.DeepEqual(got, map[string]int{"air_strike": 2, "shelling": 2}) {
		t.Errorf("this month by kind %v", got)
	}
	parties := map[string]int{}
	for _, r := range d.MonthByParty {
		parties[r.Party.Code] += r.Incidents
	}
	if !reflect.DeepEqual(parties, map[string]int{"russia": 1, "unknown": 1, "us_coalition": 2}) {
		t.Errorf("this month by party %v", parties)
	}
}

func TestKilledRule(t *testing.T) {
	f := newStore(t)
	st := stats.New(f.db, f.vs)
	for _, c := range []struct {
		name string
		cs   []record.CasualtyCount
		want string
	}{
		{"at least", []record.CasualtyCount{killed("civilians", "at_least", intp(12), nil, nil)}, "12+"},
		{"more than 70 is 71", []record.CasualtyCount{killed("civilians", "more_than", intp(71), nil, nil)}, "71+"},
		{"about", []record.CasualtyCount{killed("civilians", "about", nil, intp(40), nil)}, "40"},
		{"range", []record.CasualtyCount{killed("civilians", "at_least", intp(250), nil, intp(300))}, "250–300"},
		{"dozens with no number", []record.CasualtyCount{killed("civilians", "vague_dozens", nil, nil, nil)}, "1+"},
		{"dozens with numbers", []record.CasualtyCount{killed("civilians", "vague_dozens", intp(12), nil, intp(99))}, "12–99"},
		{"unknown number", []record.CasualtyCount{killed("unknown", "unknown_nonzero", nil, nil, nil)}, "1+"},
		{"none reported", []record.CasualtyCount{killed("civilians", "none_reported", nil, nil, nil)}, "0"},
		{"total and parts", []record.CasualtyCount{killed("civilians", "exact", nil, intp(9), nil), killed("children", "exact", nil, intp(4), nil),
			killed("women", "exact", nil, intp(3), nil)}, "9"},
		{"parts only", []record.CasualtyCount{killed("journalists", "exact", nil, intp(2), nil), killed("men", "at_least", intp(5), nil, nil)}, "5+"},
		{"disjoint groups", []record.CasualtyCount{killed("civilians", "exact", nil, intp(9), nil), killed("fighters", "exact", nil, intp(4), nil),
			killed("unknown", "up_to", nil, nil, intp(3))}, "14–16"},
		{"same category twice", []record.CasualtyCount{killed("civilians", "exact", nil, intp(9), nil), killed("civilians", "about", intp(8), intp(10), intp(12))}, "9–12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.create("2020-01-01T00:00:00Z", "", &record.Incident{TitleEN: c.name, Kinds: []string{"other"}, When: day("2020-01-01"),
				Casualties: append(c.cs, record.CasualtyCount{Category: "civilians", Outcome: "injured", Count: record.Count{Qualifier: "exact", Best: intp(1000)}})})
			pts, err := st.KilledByPartyMonth(f.ctx, stats.Filter{From: "2020-01-01", To: "2020-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			if len(pts) != 1 || pts[0].Killed.String() != c.want {
				t.Errorf("got %+v, want %s", pts, c.want)
			}
			f.retractAll()
		})
	}
}

// retractAll retracts every live incident.
func (s *store) retractAll() {
	s.t.Helper()
	recs, _, err := record.NewStore(s.db).List(s.ctx, record.Query{Type: record.TypeIncident, Limit: record.MaxLimit})
	if err != nil {
		s.t.Fatal(err)
	}
	for i := range recs {
		s.retract(&recs[i])
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	rows := []stats.PartyMonth{
		{Month: "2017-06", Party: stats.Party{Code: "isis", NameAR: "داعش", NameEN: "ISIS"}, Incidents: 2, WithFigures: 2, Killed: stats.Range{Min: 71, MaxOpen: true}},
		{Month: "2017-07", Party: stats.Unknown, Incidents: 1, WithFigures: 1, Killed: stats.Range{Min: 3, Max: 5}},
	}
	if err := stats.WriteCSV(&buf, stats.PartyMonthTable(rows)); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFmonth,party_code,party_name_ar,party_name_en,incidents,incidents_with_figures,killed_min,killed_max,killed_max_open\r\n" +
		"2017-06,isis,داعش,ISIS,2,2,71,,true\r\n" +
		"2017-07,unknown,غير معروف,Unknown,1,1,3,5,false\r\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
	buf.Reset()
	items := []stats.Item{{ID: "X1", Title: `=HYPERLINK("http://evil","قصف")`, At: "2017-06-01T00:00:00Z"}, {ID: "X2", Title: "-1+1", At: ""}}
	if err := stats.WriteCSV(&buf, stats.ItemTable(items)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"'=HYPERLINK(""http://evil"",""قصف"")"`) || !strings.Contains(buf.String(), "X2,'-1+1,") {
		t.Errorf("formulas not defused:\n%s", buf.String())
	}
}

// Whether load reads the records table in one pass or looks incidents up
// through an index, every figure is the same.
func TestPlansAgree(t *testing.T) {
	f := newFixture(t)
	pass, narrow := stats.New(f.db, f.vs), stats.New(f.db, f.vs)
	stats.ForcePlan(pass, false)
	stats.ForcePlan(narrow, true)
	type figures struct {
		Killed []stats.PartyMonth
		Kinds  []stats.Group
		Govs   []stats.Group
		Points []stats.Point
	}
	all := func(st *stats.Stats, filter stats.Filter) figures {
		t.Helper()
		var fs figures
		var err error
		if fs.Killed, err = st.KilledByPartyMonth(f.ctx, filter); err != nil {
			t.Fatal(err)
		}
		if fs.Kinds, err = st.IncidentsByKind(f.ctx, filter); err != nil {
			t.Fatal(err)
		}
		if fs.Govs, err = st.IncidentsByGovernorate(f.ctx, filter); err != nil {
			t.Fatal(err)
		}
		if fs.Points, err = st.MapPoints(f.ctx, filter); err != nil {
			t.Fatal(err)
		}
		return fs
	}
	for _, filter := range []stats.Filter{
		{},
		{To: "2017-06-15"},
		{From: "2017-06-15", To: "2017-06-30"},
		{Kinds: []string{"shelling"}},
		{Place: "SY11"},
		{Place: "SY0202", Kinds: []string{"shelling", "air_strike"}},
		{Actors: []string{"isis"}},
		{Actors: []string{"russia"}, Grading: "pending"},
		{Actors: []string{"us_coalition"}, Place: "C5710", To: "2017-06-30"},
	} {
		a, b := all(pass, filter), all(narrow, filter)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%+v: one pass\n%+v\nthrough an index\n%+v", filter, a, b)
		}
		if len(a.Kinds) == 0 {
			t.Errorf("%+v: selects nothing: a weak test", filter)
		}
	}
	now := mustTime(t, "2017-06-25T12:00:00Z")
	da, err := pass.Dashboard(f.ctx, now, 5)
	if err != nil {
		t.Fatal(err)
	}
	db, err := narrow.Dashboard(f.ctx, now, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(da, db) {
		t.Errorf("dashboard: one pass\n%+v\nthrough an index\n%+v", da, db)
	}
}
