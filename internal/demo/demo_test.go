package demo

import (
	"context"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/record"
)

// newApp opens a fresh store, with the actors seeded and an organisation
// key (the sample victims' and sources' identities are sealed), in a
// temporary folder.
func newApp(t *testing.T) *app.App {
	t.Helper()
	a, _ := apptest.New(t)
	return a
}

func count(t *testing.T, a *app.App) map[record.Type]int {
	t.Helper()
	n, err := a.Store.Count(context.Background())
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}

// list returns every live record matching q (the sample data fits one page).
func list(t *testing.T, a *app.App, q record.Query) []record.Record {
	t.Helper()
	q.Limit = record.MaxLimit
	recs, total, err := a.Store.List(context.Background(), q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	if total != len(recs) {
		t.Fatalf("list %+v: %d of %d on one page", q, len(recs), total)
	}
	return recs
}

func body[T record.Body](t *testing.T, r record.Record) T {
	t.Helper()
	b, err := r.Decode()
	if err != nil {
		t.Fatalf("decode %s: %v", r.ID, err)
	}
	return b.(T)
}

func checkStore(t *testing.T, a *app.App) {
	t.Helper()
	problems, err := a.Store.Check(context.Background())
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	for _, p := range problems {
		t.Errorf("check: %s", p)
	}
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	a := newApp(t)
	before := count(t, a)

	n, err := Load(ctx, a.Service)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	want := map[record.Type]int{
		record.TypeSource: 5, record.TypeReport: 8, record.TypeIncident: 6,
		record.TypePerson: 3, record.TypeVictimGroup: 8, record.TypeAct: 11,
		record.TypeClaim: 23, record.TypeInvolvement: 7, record.TypeAssessment: 7,
	}
	got := count(t, a)
	total := 0
	for _, typ := range record.Types() {
		w := before[typ] + want[typ]
		if got[typ] != w {
			t.Errorf("%s: %d records, want %d", typ, got[typ], w)
		}
		total += want[typ]
	}
	if n != total {
		t.Errorf("Load wrote %d records, want %d", n, total)
	}
	if got[record.TypeActor] == 0 {
		t.Error("no actors: the sample data refers to the seeded ones")
	}

	// Written in one instant, the records list in file order, newest first.
	var titles []string
	for _, r := range list(t, a, record.Query{Type: record.TypeIncident}) {
		titles = append(titles, body[*record.Incident](t, r).TitleEN)
	}
	f, err := parse(sample)
	if err != nil {
		t.Fatal(err)
	}
	var inFile []string
	for _, e := range f.Records {
		if e.Type == record.TypeIncident {
			b, err := record.DecodeBody(e.Type, e.Record)
			if err != nil {
				t.Fatal(err)
			}
			inFile = append([]string{b.(*record.Incident).TitleEN}, inFile...)
		}
	}
	if !slices.Equal(titles, inFile) {
		t.Errorf("incidents listed as %q, want file order newest first %q", titles, inFile)
	}

	checkReports(t, a)
	checkClaims(t, a)
	checkIncidents(t, a)
	checkStore(t, a)

	// Every sample record was written by "demo" with a reason naming it sample data.
	src := list(t, a, record.Query{Type: record.TypeSource})[0]
	hist, err := a.Store.History(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if hist[0].Author != author || !strings.Contains(hist[0].Reason, "sample data") {
		t.Errorf("revision by %q for %q, want author %q and a reason naming sample data", hist[0].Author, hist[0].Reason, author)
	}
}

func checkReports(t *testing.T, a *app.App) {
	t.Helper()
	langs := map[string]int{}
	for _, r := range list(t, a, record.Query{Type: record.TypeReport}) {
		rep := body[*record.Report](t, r)
		if !strings.HasPrefix(rep.Text, Marker+"\n") {
			t.Errorf("report %s does not start with the sample marker line", r.ID)
		}
		if !strings.HasPrefix(rep.Published, "2017-") {
			t.Errorf("report %s published %q, want 2017", r.ID, rep.Published)
		}
		if n := len(strings.Fields(rep.Text)); n < 100 || n > 310 {
			t.Errorf("report %s has %d words, want 100–300", r.ID, n)
		}
		langs[rep.Language]++
	}
	if want := map[string]int{"ar": 5, "en": 3}; !maps.Equal(langs, want) {
		t.Errorf("reports by language %v, want %v", langs, want)
	}
}

func checkClaims(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	byType := map[string]int{}
	for _, r := range list(t, a, record.Query{Type: record.TypeClaim}) {
		c := body[*record.Claim](t, r)
		byType[c.ClaimType]++
		// The quote is the report's own words at the span given.
		rr, err := a.Store.Get(ctx, c.ReportID)
		if err != nil {
			t.Fatal(err)
		}
		text := body[*record.Report](t, *rr).Text
		if len(c.Span) != 2 || c.Span[1] > len(text) || text[c.Span[0]:c.Span[1]] != c.Quote {
			t.Errorf("claim %s: span %v does not hold its quote in report %s", r.ID, c.Span, c.ReportID)
		}
	}
	for _, typ := range []string{"casualty_count", "attribution", "denial", "acknowledgement", "responsibility_claim"} {
		if byType[typ] == 0 {
			t.Errorf("no %s claim", typ)
		}
	}
	// The denial is findable the way the UI finds it: by party.
	denials := list(t, a, record.Query{Type: record.TypeClaim,
		Terms: []record.Term{{Field: "claim_type", Value: "denial"}, {Field: "asserted_by", Value: "sdf"}}})
	if len(denials) == 0 {
		t.Error("no denial asserted by sdf")
	}
}

func checkIncidents(t *testing.T, a *app.App) {
	t.Helper()
	kinds := map[string]bool{}
	gradings := map[string]bool{}
	for _, r := range list(t, a, record.Query{Type: record.TypeIncident}) {
		inc := body[*record.Incident](t, r)
		for _, k := range inc.Kinds {
			kinds[k] = true
		}
		gradings[inc.Grading] = true
		if !slices.Contains(inc.Tags, "sample-data") {
			t.Errorf("incident %s is not tagged sample-data", r.ID)
		}
		if len(inc.Where) == 0 || inc.Where[0].Lat == nil || len(inc.Casualties) == 0 || len(inc.ReportIDs) == 0 {
			t.Errorf("incident %s lacks a located place, casualties or reports", r.ID)
		}
		invs := list(t, a, record.Query{Type: record.TypeInvolvement, RefersTo: r.ID})
		if len(invs) == 0 {
			t.Errorf("incident %s (%s) has no involvement", r.ID, inc.TitleEN)
		}
		if acts := list(t, a, record.Query{Type: record.TypeAct, RefersTo: r.ID}); len(acts) == 0 {
			t.Errorf("incident %s (%s) has no act", r.ID, inc.TitleEN)
		}
	}
	if len(kinds) < 5 {
		t.Errorf("incidents cover %d kinds, want at least 5: %v", len(kinds), kinds)
	}
	for _, g := range []string{"pending", "weak", "fair", "contested", "confirmed"} {
		if !gradings[g] {
			t.Errorf("no incident graded %s", g)
		}
	}
}

// TestLoadTwice loads the sample data into two fresh stores: ids are made
// at load time, so nothing is shared between them.
func TestLoadTwice(t *testing.T) {
	ctx := context.Background()
	var ids [2]string
	for i := range ids {
		a := newApp(t)
		n, err := Load(ctx, a.Service)
		if err != nil {
			t.Fatalf("store %d: Load: %v", i, err)
		}
		if n == 0 {
			t.Fatalf("store %d: Load wrote nothing", i)
		}
		checkStore(t, a)
		ids[i] = list(t, a, record.Query{Type: record.TypeIncident})[0].ID
	}
	if ids[0] == ids[1] {
		t.Errorf("both stores gave an incident the id %s", ids[0])
	}
}

func TestNotice(t *testing.T) {
	ar, en := Notice()
	if !strings.Contains(ar, "بيانات تجريبية") || !strings.Contains(en, "Sample data") {
		t.Errorf("Notice() = %q, %q", ar, en)
	}
}

// TestLoadRefuses checks that broken sample data is refused with an error
// naming what is wrong, and that nothing of it is written.
func TestLoadRefuses(t *testing.T) {
	const (
		head    = `{"notice": {"ar": "بيانات تجريبية", "en": "Sample data"}, "records": [`
		source  = `{"key": "src", "type": "source", "record": {"display_label": "X-1", "source_type": "local_activist"}}`
		report  = `{"key": "rep", "type": "report", "record": {"text": "[بيانات تجريبية — Sample data]\nنص", "language": "ar", "source_id": "@src"}}`
		unknown = `{"key": "rep", "type": "report", "record": {"text": "[بيانات تجريبية — Sample data]\nنص", "language": "ar", "source_id": "@nowhere"}}`
	)
	tests := []struct {
		name, records, want string
	}{
		{"unknown key", source + "," + unknown, "@nowhere"},
		{"reference before definition", report + "," + source, "@src"},
		{"duplicate key", source + "," + source, `"src" is used twice`},
		{"unknown field", `{"key": "src", "type": "source", "record": {"display_label": "X-1", "source_type": "local_activist", "real_name": "x"}}`, "real_name"},
		{"unknown type", `{"key": "x", "type": "rumour", "record": {}}`, "rumour"},
		{"no marker", source + `,{"key": "rep", "type": "report", "record": {"text": "نص", "language": "ar"}}`, "rep"},
		// Valid up to the last record, which breaks a rule only the
		// service checks: the batch is rolled back whole.
		{"invalid last record", source + "," + report + `,{"key": "cl", "type": "claim", "record": {"report_id": "@rep", "claim_type": "rumour"}}`, `record "cl"`},
		{"missing actor", source + "," + report + `,{"key": "cl", "type": "claim", "record": {"report_id": "@rep", "claim_type": "denial", "asserted_by_actor_id": "nobody"}}`, `record "cl"`},
	}
	a := newApp(t)
	before := count(t, a)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := load(context.Background(), a.Service, []byte(head+tt.records+"]}"))
			if err == nil {
				t.Fatalf("load succeeded (%d records), want an error", n)
			}
			t.Logf("error: %v", err)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %q", err, tt.want)
			}
			if after := count(t, a); !maps.Equal(after, before) {
				t.Errorf("store changed: %v, was %v", after, before)
			}
		})
	}
	checkStore(t, a)

	// The same file with the references right loads.
	if _, err := load(context.Background(), a.Service, []byte(head+source+","+report+"]}")); err != nil {
		t.Fatalf("valid data refused: %v", err)
	}
}

func TestLoadRefusesServiceErrorsAsInvalid(t *testing.T) {
	a := newApp(t)
	data := `{"notice": {"ar": "ت", "en": "s"}, "records": [{"key": "src", "type": "source", "record": {"display_label": "X-1", "source_type": "rumour"}}]}`
	_, err := load(context.Background(), a.Service, []byte(data))
	if !errors.Is(err, record.ErrInvalid) {
		t.Errorf("err = %v, want one wrapping record.ErrInvalid", err)
	}
}

// The sample files are in the vault, attached to sample reports, with a
// chain of custody; the picture's fictional witness metadata is read, and
// its published copy drops it.
func TestLoadEvidence(t *testing.T) {
	ctx := context.Background()
	a := newApp(t)
	if _, err := Load(ctx, a.Service); err != nil {
		t.Fatal(err)
	}
	n, err := LoadEvidence(ctx, a.Evidence, a.Store)
	if err != nil || n != 2 {
		t.Fatalf("LoadEvidence: %d, %v", n, err)
	}
	recs := list(t, a, record.Query{Type: record.TypeEvidence})
	if len(recs) != 2 {
		t.Fatalf("%d evidence records, want 2", len(recs))
	}
	for _, r := range recs {
		ev := body[*record.Evidence](t, r)
		events, err := a.Evidence.Custody(ctx, r.ID)
		if err != nil || len(events) != 2 || events[0].Action != "received" {
			t.Fatalf("custody of %s: %v %v", r.ID, events, err)
		}
		if ev.MIME == "image/png" {
			if !strings.Contains(string(ev.Metadata), "witness W-17") {
				t.Errorf("picture metadata not read: %s", ev.Metadata)
			}
			_, d, err := a.Evidence.PublishedCopy(ctx, r.ID, "tester", "test")
			if err != nil {
				t.Fatal(err)
			}
			rc, _, err := a.Evidence.OpenCopy(ctx, r.ID, d.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if strings.Contains(string(b), "witness") || !strings.HasPrefix(string(b), "\x89PNG") {
				t.Errorf("published copy keeps the witness or is not a PNG")
			}
		}
	}
}

// The sample victims' names, the sample source's identity and the sample
// reporter's position are sealed: stored as ciphertext, read back with
// the key.
func TestSampleIdentitiesSealed(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	if _, err := Load(ctx, a.Service); err != nil {
		t.Fatal(err)
	}
	sealedOf := map[record.Type]int{}
	for _, typ := range []record.Type{record.TypePerson, record.TypeSource, record.TypeReport} {
		recs, _, err := a.Store.List(ctx, record.Query{Type: typ, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			// (A published report's text may name a victim, as news does:
			// only the sealed fields are checked.)
			clears := map[record.Type][]string{record.TypePerson: {"سامر المثال", "ليلى النموذج", "+963 900 000 101"},
				record.TypeSource: {"عمر الافتراضي", "+963 900 000 003"}, record.TypeReport: {"35.9521", "39.0093"}}[typ]
			for _, clear := range clears {
				if strings.Contains(string(r.Body), clear) {
					t.Errorf("%s %s holds %q in clear", typ, r.ID, clear)
				}
			}
			if record.HasSealed(r.Body) {
				sealedOf[typ]++
				if _, _, err := a.Service.Unseal(ctx, typ, r.ID, r.Body); err != nil {
					t.Errorf("%s %s: %v", typ, r.ID, err)
				}
			}
		}
	}
	if sealedOf[record.TypePerson] != 2 || sealedOf[record.TypeSource] != 1 || sealedOf[record.TypeReport] != 1 {
		t.Errorf("sealed sample records: %v", sealedOf)
	}
}
