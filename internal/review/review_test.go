package review_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/audit"
	blobfs "github.com/tawthiq/tawthiq/internal/blobstore/fs"
	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/review"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vault"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

var meta = record.Meta{Author: "analyst-1", Reason: "review of the report's proposed facts"}

// installation is what the review needs of a data folder, wired by hand as
// internal/app wires it (SQLite with its migrations, the vocabularies, the
// ledger and the extractor as hooks of the mutation service, the seeded
// actors), without the HTTP layer.
type installation struct {
	DB        *sqldb.DB
	Store     *record.Store
	Service   *record.Service
	Ledger    *ledger.Log
	Vault     *vault.Vault
	Extractor *extract.Extractor
}

// fixture is an installation with the sample reports of testdata/ (written
// for these tests, marked as sample data) stored through the service, so
// the extractor's hook has proposed their facts.
type fixture struct {
	t   *testing.T
	ctx context.Context
	a   *installation
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx, dir := context.Background(), t.TempDir()
	db, err := sqldb.CreateSQLite(ctx, filepath.Join(dir, "tawthiq.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	skey, _, err := ledger.GenerateKey("review.test/log")
	if err != nil {
		t.Fatal(err)
	}
	log, err := ledger.New(db, skey)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blobfs.New(filepath.Join(dir, "vault"))
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.New(vs)
	a := &installation{DB: db, Store: record.NewStore(db), Ledger: log, Extractor: ex,
		Vault:   vault.New(blobs, filepath.Join(dir, "staging"), 1<<20),
		Service: record.NewService(db, vs, record.WithHook(log.Hook()), record.WithHook(extract.Hook(ex)))}
	// The actors, with their codes as ids, parents first.
	var parents, children []record.Change
	for _, act := range vs.Actors() {
		c := record.Change{Action: record.ActionCreate, ID: act.Code, Body: &record.Actor{Code: act.Code,
			NameAR: act.Labels.AR, NameEN: act.Labels.EN, Category: act.Category, ParentID: act.Parent}}
		if act.Parent == "" {
			parents = append(parents, c)
		} else {
			children = append(children, c)
		}
	}
	if _, err := a.Service.Apply(ctx, record.Meta{Author: "system", Reason: "seed actors"}, append(parents, children...)); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, a: a}
	t.Cleanup(f.audit)
	return f
}

// audit runs the integrity audit: whatever a test wrote must pass it.
func (f *fixture) audit() {
	rep, err := audit.Run(f.ctx, audit.Inputs{DB: f.a.DB, Store: f.a.Store, Ledger: f.a.Ledger, Vault: f.a.Vault})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, x := range rep.Findings {
		f.t.Errorf("audit: %s", x)
	}
}

func (f *fixture) report(file, title string) string {
	f.t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		f.t.Fatal(err)
	}
	rec, err := f.a.Service.Create(f.ctx, record.Meta{Author: "intake", Reason: "sample report"}, &record.Report{
		Title: title, Text: string(text), Language: "ar", Published: "2017-03-15", Tags: []string{"sample"}})
	if err != nil {
		f.t.Fatal(err)
	}
	return rec.ID
}

func (f *fixture) facts(reportID string) []review.ReviewedFact {
	f.t.Helper()
	rfs, err := review.Facts(f.ctx, f.a.DB, reportID)
	if err != nil {
		f.t.Fatal(err)
	}
	return rfs
}

// key finds the fact of the type whose text contains text (and, for an
// actor, has the role).
func (f *fixture) key(reportID, typ, text, role string) string {
	f.t.Helper()
	for _, rf := range f.facts(reportID) {
		p := rf.Proposal
		if p.Type == typ && strings.Contains(p.Text, text) && (role == "" || p.Role == role) {
			return rf.Key
		}
	}
	f.t.Fatalf("report %s: no %s fact %q %s among %+v", reportID, typ, text, role, f.facts(reportID))
	return ""
}

func (f *fixture) decide(reportID, key, action string, fact *extract.Fact) {
	f.t.Helper()
	if err := review.Decide(f.ctx, f.a.DB, reportID, review.Decision{Key: key, Action: action, Fact: fact, Author: "analyst-1"}); err != nil {
		f.t.Fatalf("decide %s %s: %v", key, action, err)
	}
}

func (f *fixture) get(id string) record.Body {
	f.t.Helper()
	rec, err := f.a.Store.Get(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	b, err := rec.Decode()
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

// state counts what a review step can write: revisions of every record,
// and decisions.
func (f *fixture) state() [2]int {
	f.t.Helper()
	var revs, decisions int
	if err := f.a.DB.QueryRow(f.ctx, `SELECT (SELECT COUNT(*) FROM revisions), (SELECT COUNT(*) FROM fact_decisions)`).Scan(&revs, &decisions); err != nil {
		f.t.Fatal(err)
	}
	return [2]int{revs, decisions}
}

// byType decodes the records of a result of one type.
func (f *fixture) byType(ws []review.Written, t record.Type) []record.Body {
	var out []record.Body
	for _, w := range ws {
		if w.Type == t {
			out = append(out, f.get(w.ID))
		}
	}
	return out
}

const reportTitle = "مقتل 12 مدنياً بغارات على بلدة معدان بريف الرقة الشرقي (بيانات تجريبية)"

// reviewFirst makes the decisions of an analyst on the first sample
// report: what it says of the strike accepted, the dateline's town and a
// repeated mention rejected, and the injured corrected to a later figure.
func (f *fixture) reviewFirst(r string) {
	f.decide(r, f.key(r, extract.TypePlace, "الرقة", ""), review.Rejected, nil) // the dateline
	f.decide(r, f.key(r, extract.TypeCasualties, "قُتل 12", ""), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeCasualties, "4", ""), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeCasualties, "وأصيب", ""), review.Edited, &extract.Fact{
		Outcome: "injured", Category: "civilians",
		Count: &extract.Count{Min: 23, Best: 23, Max: -1, Qualifier: "at_least", SourceText: "أكثر من 20"}})
	f.decide(r, f.key(r, extract.TypeDate, "14 آذار 2017", ""), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeIncidentKind, "غارات جوية", ""), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeIncidentKind, "الغارات", ""), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeIncidentKind, "دمار", ""), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeActor, "طيران التحالف الدولي", "perpetrator"), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypePlace, "بلدة معدان", ""), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeClaim, "نفى", ""), review.Accepted, nil)
	f.decide(r, f.key(r, "actor", "التحالف الدولي", "source"), review.Accepted, nil)
	f.decide(r, f.key(r, extract.TypeActor, "داعش", ""), review.Rejected, nil)
}

func TestCreateIncidentThenLinkSecondReport(t *testing.T) {
	f := newFixture(t)
	r1 := f.report("testdata/maadan.txt", reportTitle)
	f.reviewFirst(r1)

	res, err := review.CreateIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r1, meta)
	if err != nil {
		t.Fatal(err)
	}
	inc := f.get(res.IncidentID).(*record.Incident)
	if !slices.Equal(inc.Kinds, []string{"air_strike", "property_destruction"}) {
		t.Errorf("kinds %v", inc.Kinds)
	}
	if inc.When != (record.DateRange{Start: "2017-03-14", Precision: "day"}) {
		t.Errorf("when %+v", inc.When)
	}
	if len(inc.Where) != 1 || inc.Where[0].GazetteerID != "C5787" || inc.Where[0].Lat == nil || inc.Where[0].Precision != "village_town_city" {
		t.Errorf("where %+v", inc.Where)
	}
	want := map[string]string{"civilians/killed": "12 (exact)", "children/killed": "4 (exact)", "civilians/injured": "23 (at_least)"}
	if len(inc.Casualties) != len(want) {
		t.Errorf("casualties %+v", inc.Casualties)
	}
	for _, c := range inc.Casualties {
		if got := c.Count.String(); want[c.Category+"/"+c.Outcome] != got {
			t.Errorf("casualties %s/%s = %s, want %s", c.Category, c.Outcome, got, want[c.Category+"/"+c.Outcome])
		}
	}
	if inc.TitleAR != reportTitle || inc.TitleEN != "Air strike in Maadan, 2017-03-14" {
		t.Errorf("titles %q %q", inc.TitleAR, inc.TitleEN)
	}
	if inc.Grading != "pending" || !slices.Equal(inc.ReportIDs, []string{r1}) {
		t.Errorf("grading %s, reports %v", inc.Grading, inc.ReportIDs)
	}
	if rep := f.get(r1).(*record.Report); !slices.Equal(rep.IncidentIDs, []string{res.IncidentID}) {
		t.Errorf("report's incidents %v", rep.IncidentIDs)
	}
	if len(res.Updated) != 1 || res.Updated[0].ID != r1 || res.Updated[0].Revision != 2 {
		t.Errorf("updated %+v", res.Updated)
	}

	invs := f.byType(res.Created, record.TypeInvolvement)
	if len(invs) != 1 {
		t.Fatalf("involvements %+v", invs)
	}
	inv := invs[0].(*record.Involvement)
	if inv.ActorID != "us_coalition" || inv.IncidentID != res.IncidentID || inv.Degree != "directly_carried_out" ||
		inv.Confidence != "possible" || len(inv.ClaimIDs) != 1 {
		t.Errorf("involvement %+v", inv)
	}
	claims := map[string]*record.Claim{}
	for _, b := range f.byType(res.Created, record.TypeClaim) {
		c := b.(*record.Claim)
		if c.ReportID != r1 || c.IncidentID != res.IncidentID || len(c.Span) != 2 || c.Quote == "" {
			t.Errorf("claim %+v", c)
		}
		k := c.ClaimType
		if c.Casualty != nil {
			k += ":" + c.Casualty.Category + "/" + c.Casualty.Outcome + "=" + c.Casualty.Count.String()
		}
		claims[k] = c
	}
	for _, k := range []string{"denial", "attribution", "casualty_count:civilians/killed=12 (exact)",
		"casualty_count:children/killed=4 (exact)", "casualty_count:civilians/injured=23 (at_least)"} {
		if claims[k] == nil {
			t.Errorf("no claim %s among %v", k, slices.Collect(mapKeys(claims)))
		}
	}
	if len(claims) != 5 {
		t.Errorf("%d claims, want 5", len(claims))
	}
	if c := claims["denial"]; c != nil && (c.AssertedByID != "us_coalition" || c.Quote != "نفى") {
		t.Errorf("denial %+v", c)
	}
	if c := claims["attribution"]; c != nil && (c.ActorID != "us_coalition" || c.Quote != "طيران التحالف الدولي") {
		t.Errorf("attribution %+v", c)
	}
	if c := claims["casualty_count:civilians/killed=12 (exact)"]; c != nil && c.Quote != "قُتل 12" {
		t.Errorf("quote %q", c.Quote)
	}

	// Creating again from the same report is refused, naming the incident.
	before := f.state()
	_, err = review.CreateIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r1, meta)
	var linked *review.AlreadyLinkedError
	if !errors.As(err, &linked) || !errors.Is(err, record.ErrConflict) || !slices.Equal(linked.IncidentIDs, []string{res.IncidentID}) {
		t.Errorf("second create: %v", err)
	}
	if f.state() != before {
		t.Errorf("the refused create wrote: %v → %v", before, f.state())
	}

	// A second source on the same strike.
	r2 := f.report("testdata/maadan2.txt", "")
	f.decide(r2, f.key(r2, extract.TypePlace, "الرقة", ""), review.Rejected, nil)
	f.decide(r2, f.key(r2, extract.TypeCasualties, "15", ""), review.Accepted, nil)
	f.decide(r2, f.key(r2, extract.TypeCasualties, "ثلاثة", ""), review.Rejected, nil) // those who died of wounds: in the 15
	f.decide(r2, f.key(r2, extract.TypeClaim, "بحسب", ""), review.Accepted, nil)
	f.decide(r2, f.key(r2, extract.TypeActor, "طيران التحالف", "perpetrator"), review.Accepted, nil)
	f.decide(r2, f.key(r2, extract.TypeActor, "طائرات روسية", "other"), review.Accepted, nil)
	link, err := review.LinkIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r2, res.IncidentID, meta)
	if err != nil {
		t.Fatal(err)
	}
	inc = f.get(res.IncidentID).(*record.Incident)
	if !slices.Equal(inc.ReportIDs, []string{r1, r2}) {
		t.Errorf("incident's reports %v", inc.ReportIDs)
	}
	if inc.Casualties[0].Count.String() != "12 (exact)" {
		t.Errorf("the link changed the incident's own figures: %+v", inc.Casualties)
	}
	if rep := f.get(r2).(*record.Report); !slices.Equal(rep.IncidentIDs, []string{res.IncidentID}) {
		t.Errorf("second report's incidents %v", rep.IncidentIDs)
	}
	if len(f.byType(link.Created, record.TypeInvolvement)) != 0 {
		t.Errorf("the coalition was involved already; Russia was only mentioned: %+v", link.Created)
	}
	var types []string
	for _, b := range f.byType(link.Created, record.TypeClaim) {
		c := b.(*record.Claim)
		types = append(types, c.ClaimType)
		if c.ClaimType == "casualty_count" && c.Casualty.Count.String() != "15 (exact)" {
			t.Errorf("second source's toll %s", c.Casualty.Count)
		}
		if c.ClaimType == "report_by_outlet" && (c.AssertedByID != "" || c.Notes != "asserted by: sohr") {
			t.Errorf("outlet's claim %+v", c)
		}
	}
	slices.Sort(types)
	if !slices.Equal(types, []string{"attribution", "casualty_count", "report_by_outlet"}) || len(link.Updated) != 2 {
		t.Errorf("link created %v, updated %+v", types, link.Updated)
	}
	// Both sources' tolls sit side by side on the incident.
	all, _, err := f.a.Store.List(f.ctx, record.Query{Type: record.TypeClaim, RefersTo: res.IncidentID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	tolls := map[string]string{}
	for _, rec := range all {
		b, _ := rec.Decode()
		if c := b.(*record.Claim); c.Casualty != nil && c.Casualty.Category == "civilians" && c.Casualty.Outcome == "killed" {
			tolls[c.ReportID] = c.Casualty.Count.String()
		}
	}
	if tolls[r1] != "12 (exact)" || tolls[r2] != "15 (exact)" {
		t.Errorf("tolls by report %v", tolls)
	}

	// Linking again adds nothing; a newly accepted fact is all it adds.
	before = f.state()
	again, err := review.LinkIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r2, res.IncidentID, meta)
	if err != nil || len(again.Created) != 0 || len(again.Updated) != 0 || f.state() != before {
		t.Errorf("second link: %+v, %v; %v → %v", again, err, before, f.state())
	}
	f.decide(r2, f.key(r2, extract.TypeClaim, "ذكر", ""), review.Accepted, nil)
	again, err = review.LinkIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r2, res.IncidentID, meta)
	if err != nil || len(again.Created) != 1 || again.Created[0].Type != record.TypeClaim || len(again.Updated) != 0 {
		t.Errorf("link after one more decision: %+v, %v", again, err)
	}
	// The report the incident was made from is on it already.
	before = f.state()
	if again, err = review.LinkIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r1, res.IncidentID, meta); err != nil || len(again.Created)+len(again.Updated) != 0 || f.state() != before {
		t.Errorf("linking the first report: %+v, %v", again, err)
	}
	_, err = review.CreateIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r2, meta)
	if !errors.Is(err, record.ErrConflict) {
		t.Errorf("create from a linked report: %v", err)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestCreateAnotherIncident(t *testing.T) {
	f := newFixture(t)
	r := f.report("testdata/maadan.txt", "")
	f.decide(r, f.key(r, extract.TypeIncidentKind, "غارات جوية", ""), review.Accepted, nil)
	first, err := review.CreateIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r, meta)
	if err != nil {
		t.Fatal(err)
	}
	// No date accepted: the publication day, as an estimate; no place.
	inc := f.get(first.IncidentID).(*record.Incident)
	if inc.When != (record.DateRange{Start: "2017-03-15", Precision: "day", Estimate: true}) || len(inc.Where) != 0 {
		t.Errorf("when %+v, where %+v", inc.When, inc.Where)
	}
	if inc.TitleAR != "قصف جوي، 2017-03-15" || inc.TitleEN != "Air strike, 2017-03-15" {
		t.Errorf("generated titles %q %q", inc.TitleAR, inc.TitleEN)
	}
	second, err := review.CreateAnotherIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r, meta)
	if err != nil {
		t.Fatal(err)
	}
	if rep := f.get(r).(*record.Report); !slices.Equal(rep.IncidentIDs, []string{first.IncidentID, second.IncidentID}) {
		t.Errorf("report's incidents %v", rep.IncidentIDs)
	}
}

func TestCreateWritesNothingOnError(t *testing.T) {
	f := newFixture(t)
	r := f.report("testdata/maadan.txt", reportTitle)

	// No incident kind accepted.
	f.decide(r, f.key(r, extract.TypeCasualties, "قُتل 12", ""), review.Accepted, nil)
	before := f.state()
	_, err := review.CreateIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r, meta)
	var ve *record.ValidationError
	if !errors.As(err, &ve) || ve.Errors[0].Field != "kinds" || ve.Errors[0].MessageAR == "" || !errors.Is(err, record.ErrInvalid) {
		t.Fatalf("create without kinds: %v", err)
	}
	if f.state() != before {
		t.Errorf("wrote %v → %v", before, f.state())
	}

	f.reviewFirst(r)
	before = f.state()
	// No reason given.
	if _, err := review.CreateIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r, record.Meta{Author: "analyst-1"}); !errors.As(err, &ve) || ve.Errors[0].Field != "reason" {
		t.Errorf("create without a reason: %v", err)
	}
	// A change late in the batch fails: the accused party's record is
	// retracted, so the involvement cannot refer to it. The incident and
	// claims before it are rolled back with it.
	act, err := f.a.Store.Get(f.ctx, "us_coalition")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Service.Retract(f.ctx, meta, "us_coalition", act.Revision); err != nil {
		t.Fatal(err)
	}
	before = f.state()
	counts, _ := f.a.Store.Count(f.ctx)
	_, err = review.CreateIncident(f.ctx, f.a.Service, f.a.Store, f.a.DB, r, meta)
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "retracted") {
		t.Fatalf("create with a retracted actor: %v", err)
	}
	after, _ := f.a.Store.Count(f.ctx)
	if f.state() != before || after[record.TypeIncident] != 0 || after[record.TypeClaim] != counts[record.TypeClaim] {
		t.Errorf("a failed batch wrote: %v → %v, counts %v → %v", before, f.state(), counts, after)
	}
}

func TestDecideValidation(t *testing.T) {
	f := newFixture(t)
	r := f.report("testdata/maadan.txt", reportTitle)
	cas := f.key(r, extract.TypeCasualties, "قُتل 12", "")
	place := f.key(r, extract.TypePlace, "بلدة معدان", "")
	date := f.key(r, extract.TypeDate, "2017", "")
	actor := f.key(r, extract.TypeActor, "طيران التحالف الدولي", "perpetrator")
	kind := f.key(r, extract.TypeIncidentKind, "غارات جوية", "")
	claim := f.key(r, extract.TypeClaim, "نفى", "")
	count := func(min, best, max int, q string) *extract.Count {
		return &extract.Count{Min: min, Best: best, Max: max, Qualifier: q}
	}
	for _, tc := range []struct {
		name   string
		d      review.Decision
		fields []string
	}{
		{"outcome and order", review.Decision{Key: cas, Action: review.Edited, Fact: &extract.Fact{Outcome: "exploded", Category: "civilians", Count: count(30, 20, 40, "about")}},
			[]string{"fact.outcome", "fact.count.min"}},
		{"category", review.Decision{Key: cas, Action: review.Edited, Fact: &extract.Fact{Outcome: "killed", Category: "aliens", Count: count(3, 3, 3, "exact")}},
			[]string{"fact.category"}},
		{"no count", review.Decision{Key: cas, Action: review.Edited, Fact: &extract.Fact{Outcome: "killed", Category: "civilians"}},
			[]string{"fact.count"}},
		{"negative", review.Decision{Key: cas, Action: review.Edited, Fact: &extract.Fact{Outcome: "killed", Category: "civilians", Count: count(-5, 3, 3, "exact")}},
			[]string{"fact.count.min"}},
		{"huge", review.Decision{Key: cas, Action: review.Edited, Fact: &extract.Fact{Outcome: "killed", Category: "civilians", Count: count(1, 20_000_000, -1, "about")}},
			[]string{"fact.count.best"}},
		{"qualifier", review.Decision{Key: cas, Action: review.Edited, Fact: &extract.Fact{Outcome: "killed", Category: "civilians", Count: count(3, 3, 3, "loads")}},
			[]string{"fact.count.qualifier"}},
		{"type changed", review.Decision{Key: cas, Action: review.Edited, Fact: &extract.Fact{Type: extract.TypePlace, Place: &extract.Place{ID: "C5787"}}},
			[]string{"fact.type"}},
		{"unknown place", review.Decision{Key: place, Action: review.Edited, Fact: &extract.Fact{Place: &extract.Place{ID: "C9999999"}}},
			[]string{"fact.place.id"}},
		{"nameless place", review.Decision{Key: place, Action: review.Edited, Fact: &extract.Fact{Place: &extract.Place{Precision: "village_town_city"}}},
			[]string{"fact.place"}},
		{"place precision", review.Decision{Key: place, Action: review.Edited, Fact: &extract.Fact{Place: &extract.Place{NameAR: "مزرعة الحمد", Precision: "nearby"}}},
			[]string{"fact.place.precision"}},
		{"date", review.Decision{Key: date, Action: review.Edited, Fact: &extract.Fact{Date: &extract.Date{Start: "2017-13-45"}}},
			[]string{"fact.date.start"}},
		{"date order", review.Decision{Key: date, Action: review.Edited, Fact: &extract.Fact{Date: &extract.Date{Start: "2017-03-14", End: "2017-03-01", Precision: "days_2_6"}}},
			[]string{"fact.date.end"}},
		{"no date", review.Decision{Key: date, Action: review.Edited, Fact: &extract.Fact{Date: &extract.Date{Precision: "unknown"}}},
			[]string{"fact.date.start"}},
		{"actor", review.Decision{Key: actor, Action: review.Edited, Fact: &extract.Fact{Value: "martians", Role: "bystander"}},
			[]string{"fact.value", "fact.role"}},
		{"kind", review.Decision{Key: kind, Action: review.Edited, Fact: &extract.Fact{Value: "picnic"}},
			[]string{"fact.value"}},
		{"claim kind", review.Decision{Key: claim, Action: review.Edited, Fact: &extract.Fact{Claim: &extract.Claim{Kind: "casualty_count", By: "us_coalition"}}},
			[]string{"fact.claim.kind"}},
		{"edit without fact", review.Decision{Key: claim, Action: review.Edited}, []string{"fact"}},
		{"accept with fact", review.Decision{Key: claim, Action: review.Accepted, Fact: &extract.Fact{}}, []string{"fact"}},
		{"action", review.Decision{Key: claim, Action: "approve"}, []string{"action"}},
		{"no key", review.Decision{Action: review.Accepted}, []string{"key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.d.Author == "" {
				tc.d.Author = "analyst-1"
			}
			err := review.Decide(f.ctx, f.a.DB, r, tc.d)
			var ve *record.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, record.ErrInvalid) {
				t.Fatalf("err = %v, want a validation error", err)
			}
			var got []string
			for _, fe := range ve.Errors {
				got = append(got, fe.Field)
				if fe.Message == "" || fe.MessageAR == "" || fe.Code == "" {
					t.Errorf("field error without a code or a message in both languages: %+v", fe)
				}
			}
			for _, want := range tc.fields {
				if !slices.Contains(got, want) {
					t.Errorf("fields %v, want %s", got, want)
				}
			}
		})
	}
	if err := review.Decide(f.ctx, f.a.DB, r, review.Decision{Key: cas, Action: review.Accepted}); !errors.As(err, new(*record.ValidationError)) ||
		!strings.Contains(err.Error(), "author") {
		t.Errorf("no author: %v", err)
	}
	if f.state()[1] != 0 {
		t.Errorf("%d decisions written by invalid requests", f.state()[1])
	}

	// Unknown facts and reports.
	var nf *review.NotFoundError
	err := review.Decide(f.ctx, f.a.DB, r, review.Decision{Key: "casualties:1-2", Action: review.Accepted, Author: "analyst-1"})
	if !errors.As(err, &nf) || !errors.Is(err, record.ErrNotFound) || nf.Arabic() == "" {
		t.Errorf("unknown key: %v", err)
	}
	_, err = review.Facts(f.ctx, f.a.DB, "01NOSUCHREPORT")
	if !errors.Is(err, record.ErrNotFound) || !errors.Is(err, extract.ErrNone) {
		t.Errorf("unknown report: %v", err)
	}

	// A valid edit of a place by gazetteer id alone takes the gazetteer's
	// names and point.
	f.decide(r, place, review.Edited, &extract.Fact{Place: &extract.Place{ID: "C5710"}})
	for _, rf := range f.facts(r) {
		if rf.Key == place && (rf.Status != review.Edited || rf.Fact.Place.NameEN != "Ar-Raqqa" || rf.Fact.Place.Lat == 0 ||
			rf.Fact.Place.Precision != "village_town_city" || rf.Fact.Text != rf.Proposal.Text || rf.Fact.Type != extract.TypePlace) {
			t.Errorf("edited place %+v", rf)
		}
	}
}

func TestDecisionHistory(t *testing.T) {
	f := newFixture(t)
	r := f.report("testdata/maadan.txt", reportTitle)
	cas := f.key(r, extract.TypeCasualties, "قُتل 12", "")
	kind := f.key(r, extract.TypeIncidentKind, "غارات جوية", "")
	if !strings.HasPrefix(cas, "casualties:") {
		t.Errorf("key %s", cas)
	}
	f.decide(r, cas, review.Accepted, nil)
	f.decide(r, cas, review.Edited, &extract.Fact{Outcome: "killed", Category: "civilians",
		Count: &extract.Count{Min: 12, Best: 12, Max: 14, Qualifier: "about", SourceText: "12"}})
	if err := review.Decide(f.ctx, f.a.DB, r, review.Decision{Key: cas, Action: review.Rejected, Author: "reviewer-2"}); err != nil {
		t.Fatal(err)
	}
	f.decide(r, kind, review.Accepted, nil)

	hist, err := review.History(f.ctx, f.a.DB, r)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, d := range hist {
		if d.Key == cas {
			steps = append(steps, d.Action+" by "+d.Author)
			if d.Version != extract.Version || d.At.IsZero() {
				t.Errorf("decision %+v", d)
			}
		}
	}
	if !slices.Equal(steps, []string{"accepted by analyst-1", "edited by analyst-1", "rejected by reviewer-2"}) {
		t.Errorf("history %v", steps)
	}
	if hist[1].Fact.Count.Max != 14 {
		t.Errorf("the edit is not kept: %+v", hist[1].Fact)
	}
	if _, err := f.a.DB.Exec(f.ctx, `DELETE FROM fact_decisions`); err == nil {
		t.Error("decisions can be deleted")
	}

	status := func() map[string]review.ReviewedFact {
		out := map[string]review.ReviewedFact{}
		for _, rf := range f.facts(r) {
			out[rf.Key] = rf
		}
		return out
	}
	st := status()
	if st[cas].Status != review.Rejected || st[cas].DecidedBy != "reviewer-2" || st[kind].Status != review.Accepted {
		t.Errorf("statuses %+v %+v", st[cas], st[kind])
	}
	for k, rf := range st {
		if k != cas && k != kind && rf.Status != review.Proposed {
			t.Errorf("%s: %s", k, rf.Status)
		}
	}

	// Extracting again keeps the decisions; by newer rules, they are
	// flagged as made on an older reading.
	if _, err := f.a.Extractor.Recompute(f.ctx, f.a.DB); err != nil {
		t.Fatal(err)
	}
	if st = status(); st[cas].Status != review.Rejected || st[kind].Status != review.Accepted || st[kind].Outdated {
		t.Errorf("after re-extraction %+v %+v", st[cas], st[kind])
	}
	if _, err := f.a.DB.Exec(f.ctx, `UPDATE report_extractions SET version = 'extract/99', result = json_set(result, '$.version', 'extract/99')`); err != nil {
		t.Fatal(err)
	}
	if st = status(); st[kind].Status != review.Accepted || !st[kind].Outdated || st[kind].DecidedOn != extract.Version {
		t.Errorf("after new rules %+v", st[kind])
	}

	// A corrected text at the same place is a new fact to decide: the
	// decision was about other words.
	rec, err := f.a.Store.Get(f.ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := rec.Decode()
	rep := b.(*record.Report)
	rep.Text = strings.Replace(rep.Text, "قُتل 12", "قُتل 13", 1)
	if _, err := f.a.Service.Update(f.ctx, meta, r, rec.Revision, rep); err != nil {
		t.Fatal(err)
	}
	if st = status(); st[cas].Status != review.Proposed || st[cas].Proposal.Text != "قُتل 13" || st[kind].Status != review.Accepted {
		t.Errorf("after the text changed %+v %+v", st[cas], st[kind])
	}
}

func TestKeysAreUniqueAndStable(t *testing.T) {
	f := newFixture(t)
	for _, file := range []string{"testdata/maadan.txt", "testdata/maadan2.txt"} {
		r := f.report(file, "")
		first := f.facts(r)
		seen := map[string]bool{}
		for _, rf := range first {
			if seen[rf.Key] {
				t.Errorf("%s: key %s twice", file, rf.Key)
			}
			seen[rf.Key] = true
		}
		if _, err := f.a.Extractor.Recompute(f.ctx, f.a.DB); err != nil {
			t.Fatal(err)
		}
		again := f.facts(r)
		if len(again) != len(first) {
			t.Fatalf("%d facts, then %d", len(first), len(again))
		}
		for i := range first {
			if first[i].Key != again[i].Key {
				t.Errorf("key %s became %s", first[i].Key, again[i].Key)
			}
		}
	}
}
