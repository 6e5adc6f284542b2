package search_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

var testMeta = record.Meta{Author: "t", Reason: "test"}

// fixture is an installation with records known by short names, so a
// test can say which records a search must find.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	a     *app.App
	id    map[string]string // name → record id
	name  map[string]string // record id → name
	revOf map[string]int    // name → current revision
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	a, _, err := app.Init(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return &fixture{t: t, ctx: ctx, a: a, id: map[string]string{}, name: map[string]string{}, revOf: map[string]int{}}
}

// create stores b under name.
func (f *fixture) create(name string, b record.Body) string {
	f.t.Helper()
	rec, err := f.a.Service.Create(f.ctx, testMeta, b)
	if err != nil {
		f.t.Fatalf("create %s: %v", name, err)
	}
	f.id[name], f.name[rec.ID], f.revOf[name] = rec.ID, name, rec.Revision
	return rec.ID
}

// report stores an Arabic report whose text is text.
func (f *fixture) report(name, text string) string {
	f.t.Helper()
	return f.create(name, &record.Report{Text: text, Language: "ar"})
}

func (f *fixture) update(name string, b record.Body) {
	f.t.Helper()
	rec, err := f.a.Service.Update(f.ctx, testMeta, f.id[name], f.revOf[name], b)
	if err != nil {
		f.t.Fatalf("update %s: %v", name, err)
	}
	f.revOf[name] = rec.Revision
}

func (f *fixture) retract(name string) {
	f.t.Helper()
	rec, err := f.a.Service.Retract(f.ctx, testMeta, f.id[name], f.revOf[name])
	if err != nil {
		f.t.Fatalf("retract %s: %v", name, err)
	}
	f.revOf[name] = rec.Revision
}

func (f *fixture) restore(name string) {
	f.t.Helper()
	rec, err := f.a.Service.Restore(f.ctx, testMeta, f.id[name], f.revOf[name])
	if err != nil {
		f.t.Fatalf("restore %s: %v", name, err)
	}
	f.revOf[name] = rec.Revision
}

// search runs q and fails the test on an error.
func (f *fixture) search(q search.Query) *search.Result {
	f.t.Helper()
	res, err := f.a.Search.Search(f.ctx, q)
	if err != nil {
		f.t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

// names are the names of the hits, in order.
func (f *fixture) names(res *search.Result) []string {
	f.t.Helper()
	out := []string{}
	for _, h := range res.Hits {
		n, ok := f.name[h.RecordID]
		if !ok {
			f.t.Fatalf("hit %s is no record of the test", h.RecordID)
		}
		out = append(out, n)
	}
	return out
}

// found runs q and returns the names of every match, sorted; it checks
// that the page holds them all.
func (f *fixture) found(q search.Query) []string {
	f.t.Helper()
	if q.Limit == 0 {
		q.Limit = search.MaxLimit
	}
	res := f.search(q)
	got := f.names(res)
	if res.Total != len(got) {
		f.t.Fatalf("search %+v: total %d but %d hits", q, res.Total, len(got))
	}
	slices.Sort(got)
	return got
}

func sorted(s ...string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

func text(q string) search.Query { return search.Query{Text: q} }

// matches are the texts of a hit's marked fragments.
func matches(frags []search.Fragment) []string {
	out := []string{}
	for _, fr := range frags {
		if fr.Match {
			out = append(out, fr.Text)
		}
	}
	return out
}

func joined(frags []search.Fragment) string {
	var b strings.Builder
	for _, fr := range frags {
		b.WriteString(fr.Text)
	}
	return b.String()
}

func TestDocOf(t *testing.T) {
	inc := &record.Incident{TitleAR: "قصف على حطين", TitleEN: "Shelling of Hettin", Description: "أصابت القذائف السوق الشعبي",
		Kinds: []string{"shelling", "air_strike"}, Grading: "fair", Tags: []string{"market"},
		When: record.DateRange{Start: "2017-06", Precision: "month"},
		Where: []record.Place{{GazetteerID: "N0466", Precision: "neighbourhood"}, {NameAR: "السوق", Precision: "landmark"},
			{GazetteerID: "C5710", Precision: "village_town_city"}}}
	d, ok := search.DocOf("inc-1", inc, places.Ancestors)
	want := search.Doc{RecordID: "inc-1", Type: record.TypeIncident, Title: "قصف على حطين\nShelling of Hettin",
		Body: "أصابت القذائف السوق الشعبي", Language: "ar", DateStart: "2017-06-01", DateEnd: "2017-06-30", Grading: "fair",
		Terms: []record.Term{{Field: "tag", Value: "market"}, {Field: "kind", Value: "shelling"}, {Field: "kind", Value: "air_strike"},
			{Field: "place", Value: "N0466"}, {Field: "place", Value: "C5710"}, {Field: "place", Value: "SY110100"},
			{Field: "place", Value: "SY1101"}, {Field: "place", Value: "SY11"}}}
	if !ok || !reflect.DeepEqual(d, want) {
		t.Errorf("incident:\n got %+v\nwant %+v", d, want)
	}
	if d, _ := search.DocOf("inc-2", &record.Incident{TitleEN: "Execution", Kinds: []string{"execution"},
		When: record.DateRange{Precision: "unknown"}}, nil); d.Title != "Execution" || d.Language != "en" || d.DateStart != "" || d.DateEnd != "" {
		t.Errorf("English incident of unknown date: %+v", d)
	}
	for _, tt := range []struct {
		r          record.Report
		start, end string
	}{
		{record.Report{Published: "2017-06-05", ReceivedAt: "2018-01-01T00:00:00Z"}, "2017-06-05", "2017-06-05"},
		{record.Report{ReceivedAt: "2016-05-01T10:00:00Z"}, "2016-05-01", "2016-05-01"},
		{record.Report{}, "", ""},
	} {
		tt.r.Text, tt.r.Language, tt.r.Title = "نص", "ku", "عنوان"
		d, ok := search.DocOf("rep", &tt.r, places.Ancestors)
		if !ok || d.Type != record.TypeReport || d.Title != "عنوان" || d.Body != "نص" || d.Language != "ku" ||
			d.DateStart != tt.start || d.DateEnd != tt.end || len(d.Terms) != 0 {
			t.Errorf("report %+v: %+v", tt.r, d)
		}
	}
	for _, b := range []record.Body{&record.Actor{}, &record.Act{}, &record.Involvement{}, &record.Source{}} {
		if _, ok := search.DocOf("x", b, nil); ok || search.Indexed(b.Type()) {
			t.Errorf("%s is indexed", b.Type())
		}
	}
}

// TestRecall is the acceptance list of the issue: a word finds its other
// forms and spellings, and short or radical-initial words are not cut
// down until they find unrelated words.
func TestRecall(t *testing.T) {
	f := newFixture(t)
	for name, body := range map[string]string{
		"civ-article": "نُقل المدنيين إلى المشفى الميداني",
		"civ-plural":  "نزح مدنيون من القرية",
		"civ-conj":    "خرج الجرحى والمدنيين سيراً",
		"city":        "دخلت القوات المدينة ليلاً",
		"shell-conj":  "استمر والقصف طوال الليل",
		"shell-bi":    "تضررت المنازل بقصف عنيف",
		"children":    "نجا الأطفالُ من الحريق",
		"num-arabic":  "سقط ٧٠ قتيلاً",
		"num-latin":   "سقط 70 قتيلاً",
		"english":     "Several civilians were killed when the market was hit",
		"well":        "حفر الأهالي بئر ماء جديدة",
		"big":         "دوى انفجار كبير",
		"jar":         "باع التاجر زير فخار",
		"minister":    "صرح وزير الصحة",
		"saliva":      "جف الريق من العطش",
		"team":        "وصل فريق الإنقاذ",
		"led":         "أدى الانفجار إلى دمار",
		"performance": "تحسن الأداء",
	} {
		f.report(name, body)
	}
	civ := sorted("civ-article", "civ-plural", "civ-conj")
	tests := []struct {
		q    string
		want []string
	}{
		{"مدني", civ},
		{"المدنيين", civ},
		{"مدنيون", civ},
		{"والمدنيين", civ},
		{"المدينة", sorted("city")}, // مدينة is not مدني
		{"قصف", sorted("shell-conj", "shell-bi")},
		{"والقصف", sorted("shell-conj", "shell-bi")},
		{"بقصف", sorted("shell-conj", "shell-bi")},
		{"الاطفال", sorted("children")},
		{"أطفال", sorted("children")},
		{"الأطفالُ", sorted("children")},
		{"70", sorted("num-arabic", "num-latin")},
		{"٧٠", sorted("num-arabic", "num-latin")},
		{"civilian kill", sorted("english")},
		{"CIVILIANS Killing", sorted("english")},
		{"civilian مدني", nil},
		// Short and radical-initial words keep their letters: كبير is not
		// بئر, وزير is not زير, فريق is not ريق, أدى is not الأداء.
		{"كبير", sorted("big")},
		{"بئر", sorted("well")},
		{"وزير", sorted("minister")},
		{"زير", sorted("jar")},
		{"فريق", sorted("team")},
		{"الريق", sorted("saliva")},
		{"أدى", sorted("led")},
		{"ادى", sorted("led")},
		{"الأداء", sorted("performance")},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if got := f.found(text(tt.q)); !reflect.DeepEqual(got, want) {
				t.Errorf("%q found %v, want %v", tt.q, got, want)
			}
		})
	}
}

// TestHighlights: fragments mark the original, vowelled words, and the
// title's fragments put together are the title.
func TestHighlights(t *testing.T) {
	f := newFixture(t)
	const title = "النساء والأطفالُ في المخيم"
	f.create("camp", &record.Report{Title: title, Text: "وصل الأطفالُ إلى المخيم بعد القصف", Language: "ar"})
	f.create("en", &record.Report{Title: "Market strike", Text: "Civilians were KILLED near the market.", Language: "en"})
	f.report("digits", "سقط ٧٠ قتيلاً في الغارة")
	f.create("incident", &record.Incident{TitleAR: "قصف على السوق", TitleEN: "Shelling of the market",
		Description: "قُتل مدنيّون", Kinds: []string{"shelling"}, When: record.DateRange{Start: "2017-06-05", Precision: "day"}})

	tests := []struct {
		name, q           string
		hit               string
		title, snippet    []string // marked words
		wholeTitle        string   // the title fragments put together, if checked
		snippetNotMatched string   // a word the snippet must show around the match
	}{
		{"vowelled", "الاطفال", "camp", []string{"والأطفالُ"}, []string{"الأطفالُ"}, title, "المخيم"},
		{"two words", "اطفال مخيم", "camp", []string{"والأطفالُ", "المخيم"}, []string{"الأطفالُ", "المخيم"}, title, "القصف"},
		{"english", "civilian kill", "en", []string{}, []string{"Civilians", "KILLED"}, "Market strike", "market"},
		{"digits", "70", "digits", []string{}, []string{"٧٠"}, "", "قتيلاً"},
		{"incident title", "shelled", "incident", []string{"Shelling"}, []string{}, "قصف على السوق\nShelling of the market", ""},
		{"incident body", "مدني", "incident", []string{}, []string{"مدنيّون"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.search(text(tt.q))
			if len(res.Hits) != 1 || f.name[res.Hits[0].RecordID] != tt.hit {
				t.Fatalf("%q found %v, want only %s", tt.q, f.names(res), tt.hit)
			}
			h := res.Hits[0]
			if got := matches(h.Title); !reflect.DeepEqual(got, tt.title) {
				t.Errorf("title marks %q, want %q (fragments %+v)", got, tt.title, h.Title)
			}
			if got := matches(h.Snippet); !reflect.DeepEqual(got, tt.snippet) {
				t.Errorf("snippet marks %q, want %q (fragments %+v)", got, tt.snippet, h.Snippet)
			}
			if tt.wholeTitle != "" && joined(h.Title) != tt.wholeTitle {
				t.Errorf("title fragments make %q, want %q", joined(h.Title), tt.wholeTitle)
			}
			if s := joined(h.Snippet); tt.snippetNotMatched != "" && !strings.Contains(s, tt.snippetNotMatched) {
				t.Errorf("snippet %q lacks %q", s, tt.snippetNotMatched)
			}
			for _, fr := range append(append([]search.Fragment{}, h.Title...), h.Snippet...) {
				if fr.Text == "" || strings.ContainsAny(fr.Text, "\uE000\uE001") || !utf8.ValidString(fr.Text) {
					t.Errorf("bad fragment %+q", fr.Text)
				}
			}
			if h.Score <= 0 {
				t.Errorf("score %v of a text match, want > 0", h.Score)
			}
		})
	}
}

// TestHighlightMarksInText: the private-use characters that mark matches
// cannot be smuggled in through a record's text.
func TestHighlightMarksInText(t *testing.T) {
	f := newFixture(t)
	f.create("marked", &record.Report{Title: "\uE000عنوان\uE001", Text: "قصف \uE000الحي\uE001 الشرقي", Language: "ar"})
	res := f.search(text("قصف"))
	if len(res.Hits) != 1 {
		t.Fatalf("found %v", f.names(res))
	}
	h := res.Hits[0]
	if got := matches(h.Snippet); !reflect.DeepEqual(got, []string{"قصف"}) {
		t.Errorf("snippet marks %q, want only قصف (%+v)", got, h.Snippet)
	}
	if got := matches(h.Title); len(got) != 0 {
		t.Errorf("title marks %q, want none", got)
	}
}

func TestPhrasesExclusionsOR(t *testing.T) {
	f := newFixture(t)
	f.report("adjacent", "قصف مدفعي استهدف السوق")
	f.report("apart", "قصف جوي ثم رد مدفعي")
	f.report("reversed", "رد مدفعي على قصف")
	f.report("other", "غارة جوية على المشفى")
	tests := []struct {
		q    string
		want []string
	}{
		{`"قصف مدفعي"`, []string{"adjacent"}},
		{"«قصف مدفعي»", []string{"adjacent"}},
		{"“قصف مدفعي”", []string{"adjacent"}},
		{`"القصف المدفعي"`, []string{"adjacent"}}, // a phrase's words are analysed too
		{"قصف مدفعي", []string{"adjacent", "apart", "reversed"}},
		{`"مدفعي استهدف"`, []string{"adjacent"}},
		{`"استهدف مدفعي"`, []string{}},
		{`"رد مدفعي"`, []string{"apart", "reversed"}},
		{"قصف -جوي", []string{"adjacent", "reversed"}},
		{"قصف -جوي -السوق", []string{"reversed"}},
		{`مدفعي -"قصف مدفعي"`, []string{"apart", "reversed"}},
		{"مدفعي -«قصف مدفعي»", []string{"apart", "reversed"}},
		{"السوق OR المشفى", []string{"adjacent", "other"}},
		{"السوق OR المشفى OR رد", []string{"adjacent", "apart", "other", "reversed"}},
		{"قصف OR غارة -مدفعي", []string{"other"}},
		{`"قصف مدفعي" OR غارة`, []string{"adjacent", "other"}},
		{`رد قصف OR غارة`, []string{"apart", "reversed"}},
		{"جوي OR السوق مدفعي", []string{"adjacent", "apart"}},
		{"في على", []string{"adjacent", "apart", "other", "reversed"}}, // stop words only: no text condition
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			if got := f.found(text(tt.q)); !reflect.DeepEqual(got, sorted(tt.want...)) {
				t.Errorf("%q found %v, want %v", tt.q, got, sorted(tt.want...))
			}
		})
	}
	res := f.search(text("قصف على في"))
	if !reflect.DeepEqual(res.Query.Ignored, []string{"على", "في"}) || !reflect.DeepEqual(res.Query.Groups, [][]string{{"قصف"}}) {
		t.Errorf("result query %+v, want the stop words said to be ignored", res.Query)
	}
}

// TestQuerySyntaxIsLiteral: what FTS5 would read as syntax (column
// filters, prefixes, NEAR, quotes inside a phrase) is only text.
func TestQuerySyntaxIsLiteral(t *testing.T) {
	f := newFixture(t)
	f.create("doc", &record.Report{Title: "قصفت", Text: "body قصف title NEAR say no", Language: "ar"})
	for _, q := range []string{"title:قصف", "body:قصف", "قصف*", "NEAR(قصف title)", `«say "no"»`, "^قصف", "قصف AND", "{title}:قصف", "قصف + title"} {
		t.Run(q, func(t *testing.T) {
			if _, err := f.a.Search.Search(f.ctx, text(q)); err != nil {
				t.Errorf("%q: %v", q, err)
			}
		})
	}
	if got := f.found(text("NEAR")); !reflect.DeepEqual(got, []string{"doc"}) {
		t.Errorf("NEAR as a word found %v", got)
	}
}

// filterFixture is three incidents and three reports with known kinds,
// places, actors, gradings, languages and dates.
func filterFixture(t *testing.T) *fixture {
	f := newFixture(t)
	// Hettin (N0466), a neighbourhood of Raqqa city (C5710), in Ar-Raqqa
	// sub-district SY110100, district SY1101, governorate SY11.
	raqqa := f.create("raqqa", &record.Incident{TitleAR: "غارة جوية على حي حطين", Description: "قتل مدنيون في الغارة",
		Kinds: []string{"air_strike"}, When: record.DateRange{Start: "2017-06-05", Precision: "day"},
		Where:   []record.Place{{GazetteerID: "N0466", NameAR: "حطين", Precision: "neighbourhood"}},
		Grading: "fair"})
	// A community of Aleppo governorate (SY02), dated to a month.
	aleppo := f.create("aleppo", &record.Incident{TitleAR: "قصف مدفعي على قرية", Kinds: []string{"shelling"},
		When:    record.DateRange{Start: "2017-08", Precision: "month"},
		Where:   []record.Place{{GazetteerID: "C1003", Precision: "village_town_city"}},
		Grading: "weak"})
	execution := f.create("execution", &record.Incident{TitleEN: "Execution of detainees", Description: "Men were abducted and executed.",
		Kinds: []string{"execution", "abduction"}, When: record.DateRange{Start: "2016-01-10", End: "2016-01-12", Precision: "days_2_6"}})
	f.create("report-ar", &record.Report{Text: "شهادة عن غارة جوية على الرقة", Language: "ar", Published: "2017-06-06"})
	f.create("report-en", &record.Report{Text: "Witness account of an air strike", Language: "en", Published: "2015-03-01"})
	f.create("report-ku", &record.Report{Text: "Şahidiyek li ser bombebaranê", Language: "ku", ReceivedAt: "2016-05-01T10:00:00Z"})

	group := func(name, incident string) string {
		one := 1
		return f.create(name, &record.VictimGroup{IncidentID: incident, Category: "civilians", Outcome: "killed",
			Count: record.Count{Best: &one, Qualifier: "exact"}})
	}
	act := func(name, incident, group string) string {
		return f.create(name, &record.Act{IncidentID: incident, ActType: "killing", VictimGroupID: group})
	}
	involve := func(name, actor, incident, act string) string {
		return f.create(name, &record.Involvement{ActorID: actor, IncidentID: incident, ActID: act,
			Degree: "directly_carried_out", Confidence: "likely"})
	}
	// sdf twice on raqqa: at the incident and at one of its acts.
	involve("inv-sdf", "sdf", raqqa, "")
	act("act-raqqa", raqqa, group("group-raqqa", raqqa))
	involve("inv-sdf-act", "sdf", "", f.id["act-raqqa"])
	// ypg only through an act of aleppo.
	act("act-aleppo", aleppo, group("group-aleppo", aleppo))
	involve("inv-ypg", "ypg", "", f.id["act-aleppo"])
	// isis at the execution, then retracted; us_coalition at an act of it,
	// then the act retracted.
	involve("inv-isis", "isis", execution, "")
	act("act-execution", execution, group("group-execution", execution))
	involve("inv-coalition", "us_coalition", "", f.id["act-execution"])
	return f
}

func TestFilters(t *testing.T) {
	f := filterFixture(t)
	incidents := []record.Type{record.TypeIncident}
	reports := []record.Type{record.TypeReport}
	all := sorted("raqqa", "aleppo", "execution", "report-ar", "report-en", "report-ku")
	// Before the retractions, isis and us_coalition count.
	if got := f.found(search.Query{Actor: "isis"}); !reflect.DeepEqual(got, []string{"execution"}) {
		t.Fatalf("actor isis found %v before its retraction", got)
	}
	if got := f.found(search.Query{Actor: "us_coalition"}); !reflect.DeepEqual(got, []string{"execution"}) {
		t.Fatalf("actor us_coalition (through an act) found %v before the act's retraction", got)
	}
	f.retract("inv-isis")
	f.retract("act-execution")

	tests := []struct {
		name string
		q    search.Query
		want []string
	}{
		{"nothing", search.Query{}, all},
		{"incidents", search.Query{Types: incidents}, sorted("raqqa", "aleppo", "execution")},
		{"reports", search.Query{Types: reports}, sorted("report-ar", "report-en", "report-ku")},
		{"both types", search.Query{Types: []record.Type{record.TypeReport, record.TypeIncident}}, all},
		{"kind", search.Query{Kinds: []string{"air_strike"}}, sorted("raqqa")},
		{"second kind of an incident", search.Query{Kinds: []string{"abduction"}}, sorted("execution")},
		{"any of kinds", search.Query{Kinds: []string{"shelling", "execution"}}, sorted("aleppo", "execution")},
		{"any of kinds, one twice", search.Query{Kinds: []string{"execution", "abduction"}}, sorted("execution")},
		{"kind nobody has", search.Query{Kinds: []string{"siege"}}, nil},
		{"actor at the incident", search.Query{Actor: "sdf"}, sorted("raqqa")},
		{"actor at an act", search.Query{Actor: "ypg"}, sorted("aleppo")},
		{"retracted involvement", search.Query{Actor: "isis"}, nil},
		{"involvement at a retracted act", search.Query{Actor: "us_coalition"}, nil},
		{"actor not involved", search.Query{Actor: "hts"}, nil},
		{"the parent actor is not the child", search.Query{Actor: "sdf", Kinds: []string{"shelling"}}, nil},
		{"neighbourhood", search.Query{Place: "N0466"}, sorted("raqqa")},
		{"city", search.Query{Place: "C5710"}, sorted("raqqa")},
		{"sub-district", search.Query{Place: "SY110100"}, sorted("raqqa")},
		{"district", search.Query{Place: "SY1101"}, sorted("raqqa")},
		{"governorate", search.Query{Place: "SY11"}, sorted("raqqa")},
		{"other governorate", search.Query{Place: "SY02"}, sorted("aleppo")},
		{"community", search.Query{Place: "C1003"}, sorted("aleppo")},
		{"no such place", search.Query{Place: "SY01"}, nil},
		{"neighbour neighbourhood", search.Query{Place: "N0467"}, nil},
		{"grading fair", search.Query{Grading: "fair"}, sorted("raqqa")},
		{"grading weak", search.Query{Grading: "weak"}, sorted("aleppo")},
		{"grading by default", search.Query{Grading: "pending"}, sorted("execution")},
		{"grading nobody has", search.Query{Grading: "confirmed"}, nil},
		{"Arabic", search.Query{Language: "ar"}, sorted("raqqa", "aleppo", "report-ar")},
		{"English", search.Query{Language: "en"}, sorted("execution", "report-en")},
		{"Kurdish", search.Query{Language: "ku"}, sorted("report-ku")},
		{"one day", search.Query{From: "2017-06-05", To: "2017-06-05"}, sorted("raqqa")},
		{"from", search.Query{From: "2017-06-06"}, sorted("report-ar", "aleppo")},
		{"to", search.Query{To: "2016-01-10"}, sorted("execution", "report-en")},
		{"inside a range of days", search.Query{From: "2016-01-11", To: "2016-01-11"}, sorted("execution")},
		{"last day of a range", search.Query{From: "2016-01-12"}, sorted("execution", "raqqa", "aleppo", "report-ar", "report-ku")},
		{"day after a range", search.Query{From: "2016-01-13"}, sorted("raqqa", "aleppo", "report-ar", "report-ku")},
		{"last day of a month", search.Query{From: "2017-08-31"}, sorted("aleppo")},
		{"inside a month", search.Query{From: "2017-08-15", To: "2017-08-16"}, sorted("aleppo")},
		{"received, not published", search.Query{From: "2016-05-01", To: "2016-05-01"}, sorted("report-ku")},
		{"after everything", search.Query{From: "2017-09-01"}, nil},
		{"text and type", search.Query{Text: "غارة", Types: reports}, sorted("report-ar")},
		{"text and language", search.Query{Text: "غارة", Language: "ar"}, sorted("raqqa", "report-ar")},
		{"text across scripts", search.Query{Text: "air strike"}, sorted("report-en")},
		{"text and place", search.Query{Text: "غارة", Place: "SY11"}, sorted("raqqa")},
		{"text and actor", search.Query{Text: "قرية", Actor: "ypg"}, sorted("aleppo")},
		{"text and wrong actor", search.Query{Text: "قرية", Actor: "sdf"}, nil},
		{"all filters", search.Query{Text: "مدني", Types: incidents, Kinds: []string{"air_strike", "siege"}, Actor: "sdf",
			Place: "SY11", Grading: "fair", Language: "ar", From: "2017-01-01", To: "2017-12-31"}, sorted("raqqa")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if got := f.found(tt.q); !reflect.DeepEqual(got, want) {
				t.Errorf("%+v found %v, want %v", tt.q, got, want)
			}
		})
	}
}

// TestOrder: without words, newest first; pages are slices of one order
// and keep the total.
func TestOrder(t *testing.T) {
	f := filterFixture(t)
	byDate := []string{"aleppo", "report-ar", "raqqa", "report-ku", "execution", "report-en"}
	res := f.search(search.Query{})
	if got := f.names(res); !reflect.DeepEqual(got, byDate) {
		t.Errorf("empty query lists %v, want by date %v", got, byDate)
	}
	if res.Limit != search.DefaultLimit || res.Offset != 0 || res.Total != len(byDate) {
		t.Errorf("limit %d offset %d total %d", res.Limit, res.Offset, res.Total)
	}
	for _, h := range res.Hits {
		if h.Score != 0 {
			t.Errorf("%s: score %v without words", f.name[h.RecordID], h.Score)
		}
	}
	if got := f.names(f.search(search.Query{Types: []record.Type{record.TypeIncident}})); !reflect.DeepEqual(got, []string{"aleppo", "raqqa", "execution"}) {
		t.Errorf("incidents by date: %v", got)
	}
	// Stop words only: no text condition, so by date too.
	if got := f.names(f.search(text("في"))); !reflect.DeepEqual(got, byDate) {
		t.Errorf("stop words only list %v", got)
	}
	var paged []string
	for off := 0; off < len(byDate)+2; off += 2 {
		res := f.search(search.Query{Limit: 2, Offset: off})
		if res.Total != len(byDate) || res.Limit != 2 || res.Offset != off {
			t.Errorf("page at %d: total %d limit %d offset %d", off, res.Total, res.Limit, res.Offset)
		}
		paged = append(paged, f.names(res)...)
	}
	if !reflect.DeepEqual(paged, byDate) {
		t.Errorf("pages give %v, want %v", paged, byDate)
	}
	if res := f.search(search.Query{Offset: 100}); res.Total != len(byDate) || len(res.Hits) != 0 || res.Hits == nil {
		t.Errorf("past the end: total %d hits %v", res.Total, res.Hits)
	}
	hit := f.search(search.Query{Types: []record.Type{record.TypeIncident}, Limit: 1}).Hits[0]
	if hit.RecordID != f.id["aleppo"] || hit.DateStart != "2017-08-01" || hit.DateEnd != "2017-08-31" ||
		hit.Grading != "weak" || hit.Type != record.TypeIncident || hit.Language != "ar" || joined(hit.Title) != "قصف مدفعي على قرية" {
		t.Errorf("hit %+v", hit)
	}
}

// TestSort: relevance puts a word in the title before a word in the body,
// whatever the dates; date puts the newest first.
func TestSort(t *testing.T) {
	f := newFixture(t)
	f.create("old-title", &record.Report{Title: "كمين على الطريق", Text: "نص التقرير القديم", Language: "ar", Published: "2014-01-01"})
	f.create("new-body", &record.Report{Title: "تقرير", Text: "وقع كمين على الطريق الدولي", Language: "ar", Published: "2018-01-01"})
	f.create("middle-body", &record.Report{Title: "تقرير آخر", Text: "ذكر الشهود كمين", Language: "ar", Published: "2016-01-01"})
	f.report("unrelated", "لا علاقة")
	for _, tt := range []struct {
		sort string
		want []string
	}{
		{"", []string{"old-title", "new-body", "middle-body"}},
		{"relevance", []string{"old-title", "new-body", "middle-body"}},
		{"date", []string{"new-body", "middle-body", "old-title"}},
	} {
		res := f.search(search.Query{Text: "كمين", Sort: tt.sort})
		got := f.names(res)
		if tt.sort != "date" {
			// The two body matches may rank either way; the title first.
			if len(got) != 3 || got[0] != "old-title" || res.Hits[0].Score <= res.Hits[1].Score || res.Hits[1].Score < res.Hits[2].Score {
				t.Errorf("sort %q: %v (scores %v, %v, %v)", tt.sort, got, res.Hits[0].Score, res.Hits[1].Score, res.Hits[2].Score)
			}
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("sort %q: %v, want %v", tt.sort, got, tt.want)
		}
	}
	// Relevance pages are slices of one order too.
	full := f.names(f.search(text("كمين")))
	var paged []string
	for off := 0; off < 3; off++ {
		res := f.search(search.Query{Text: "كمين", Limit: 1, Offset: off})
		if res.Total != 3 {
			t.Errorf("total %d on page %d", res.Total, off)
		}
		paged = append(paged, f.names(res)...)
	}
	if !reflect.DeepEqual(paged, full) {
		t.Errorf("relevance pages %v, whole %v", paged, full)
	}
}

func facetMap(fc []search.FacetCount) map[string]int {
	m := map[string]int{}
	for _, c := range fc {
		m[c.Value] = c.Count
	}
	return m
}

func TestFacets(t *testing.T) {
	f := filterFixture(t)
	f.retract("inv-isis")
	f.retract("act-execution")
	tests := []struct {
		name string
		q    search.Query
		want map[string]map[string]int
	}{
		{"everything", search.Query{Limit: 1}, map[string]map[string]int{
			"type":     {"incident": 3, "report": 3},
			"kind":     {"air_strike": 1, "shelling": 1, "execution": 1, "abduction": 1},
			"actor":    {"sdf": 1, "ypg": 1}, // sdf twice on raqqa counts once
			"place":    {"N0466": 1, "C5710": 1, "SY110100": 1, "SY1101": 1, "SY11": 1, "C1003": 1, "SY020000": 1, "SY0200": 1, "SY02": 1},
			"grading":  {"fair": 1, "weak": 1, "pending": 1},
			"language": {"ar": 3, "en": 2, "ku": 1},
			"year":     {"2015": 1, "2016": 2, "2017": 3},
		}},
		{"words", search.Query{Text: "غارة", Facets: true}, map[string]map[string]int{
			"type":     {"incident": 1, "report": 1},
			"kind":     {"air_strike": 1},
			"actor":    {"sdf": 1},
			"place":    {"N0466": 1, "C5710": 1, "SY110100": 1, "SY1101": 1, "SY11": 1},
			"grading":  {"fair": 1},
			"language": {"ar": 2},
			"year":     {"2017": 2},
		}},
		{"filters", search.Query{Types: []record.Type{record.TypeIncident}, From: "2017-01-01"}, map[string]map[string]int{
			"type":     {"incident": 2},
			"kind":     {"air_strike": 1, "shelling": 1},
			"actor":    {"sdf": 1, "ypg": 1},
			"place":    {"N0466": 1, "C5710": 1, "SY110100": 1, "SY1101": 1, "SY11": 1, "C1003": 1, "SY020000": 1, "SY0200": 1, "SY02": 1},
			"grading":  {"fair": 1, "weak": 1},
			"language": {"ar": 2},
			"year":     {"2017": 2},
		}},
		{"nothing found", search.Query{Text: "زلزال"}, map[string]map[string]int{
			"type": {}, "kind": {}, "actor": {}, "place": {}, "grading": {}, "language": {}, "year": {},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Facets = true
			res := f.search(tt.q)
			fs := res.Facets
			if fs == nil {
				t.Fatal("no facets")
			}
			got := map[string][]search.FacetCount{"type": fs.Type, "kind": fs.Kind, "actor": fs.Actor,
				"place": fs.Place, "grading": fs.Grading, "language": fs.Language, "year": fs.Year}
			for name, counts := range got {
				if counts == nil {
					t.Errorf("facet %s is nil, want a list", name)
				}
				if m := facetMap(counts); !reflect.DeepEqual(m, tt.want[name]) {
					t.Errorf("facet %s = %v, want %v", name, m, tt.want[name])
				}
				// Most common first, then by value.
				if !slices.IsSortedFunc(counts, func(a, b search.FacetCount) int {
					if a.Count != b.Count {
						return b.Count - a.Count
					}
					return strings.Compare(a.Value, b.Value)
				}) {
					t.Errorf("facet %s not in order: %v", name, counts)
				}
			}
		})
	}
	if res := f.search(search.Query{}); res.Facets != nil {
		t.Errorf("facets without asking: %+v", res.Facets)
	}
}

func TestUpdateRetractRestore(t *testing.T) {
	f := newFixture(t)
	f.create("quake", &record.Report{Title: "زلزال", Text: "زلزال ضرب البلدة", Language: "ar"})
	if got := f.found(text("زلزال")); !reflect.DeepEqual(got, []string{"quake"}) {
		t.Fatalf("before update: %v", got)
	}
	f.update("quake", &record.Report{Title: "فيضان", Text: "فيضان غمر الحقول", Language: "en"})
	for q, want := range map[string][]string{"زلزال": {}, "البلدة": {}, "فيضان": {"quake"}, "الحقول": {"quake"}} {
		if got := f.found(text(q)); !reflect.DeepEqual(got, want) {
			t.Errorf("after update %q found %v, want %v", q, got, want)
		}
	}
	if got := f.found(search.Query{Language: "en"}); !reflect.DeepEqual(got, []string{"quake"}) {
		t.Errorf("language not updated: %v", got)
	}
	f.retract("quake")
	for _, q := range []search.Query{text("فيضان"), {}, {Types: []record.Type{record.TypeReport}}} {
		if got := f.found(q); len(got) != 0 {
			t.Errorf("retracted, %+v found %v", q, got)
		}
	}
	f.restore("quake")
	if got := f.found(text("فيضان")); !reflect.DeepEqual(got, []string{"quake"}) {
		t.Errorf("restored, found %v", got)
	}

	// An incident's filters follow its updates.
	inc := &record.Incident{TitleAR: "غارة", Kinds: []string{"air_strike"}, Grading: "fair",
		When:  record.DateRange{Start: "2017-06-05", Precision: "day"},
		Where: []record.Place{{GazetteerID: "N0466", Precision: "neighbourhood"}}}
	f.create("strike", inc)
	moved := *inc
	moved.Kinds, moved.Grading = []string{"shelling"}, "confirmed"
	moved.When = record.DateRange{Start: "2018-02", Precision: "month"}
	moved.Where = []record.Place{{GazetteerID: "C1003", Precision: "village_town_city"}}
	f.update("strike", &moved)
	for _, tt := range []struct {
		q    search.Query
		want []string
	}{
		{search.Query{Place: "SY11"}, nil}, {search.Query{Place: "N0466"}, nil}, {search.Query{Place: "SY02"}, []string{"strike"}},
		{search.Query{Kinds: []string{"air_strike"}}, nil}, {search.Query{Kinds: []string{"shelling"}}, []string{"strike"}},
		{search.Query{Grading: "fair"}, nil}, {search.Query{Grading: "confirmed"}, []string{"strike"}},
		{search.Query{From: "2017-06-05", To: "2017-06-05"}, nil}, {search.Query{From: "2018-02-10", To: "2018-02-10"}, []string{"strike"}},
	} {
		want := tt.want
		if want == nil {
			want = []string{}
		}
		if got := f.found(tt.q); !reflect.DeepEqual(got, want) {
			t.Errorf("after the incident's update %+v found %v, want %v", tt.q, got, want)
		}
	}
}

// TestFailedBatchLeavesIndex: the index is written in the revisions'
// transaction, so a batch that fails on its second change indexes nothing.
func TestFailedBatchLeavesIndex(t *testing.T) {
	f := newFixture(t)
	f.create("flood", &record.Report{Text: "فيضان غمر الحقول", Language: "ar"})
	before := f.search(search.Query{Facets: true})
	invalid := &record.Report{Text: "نص", Language: "xx"}
	for _, tt := range []struct {
		name    string
		changes []record.Change
		absent  string
	}{
		{"create then invalid", []record.Change{
			{Action: record.ActionCreate, Body: &record.Report{Text: "بركان ثار فجأة", Language: "ar"}},
			{Action: record.ActionCreate, Body: invalid}}, "بركان"},
		{"update then invalid", []record.Change{
			{Action: record.ActionUpdate, ID: f.id["flood"], BaseRevision: 1, Body: &record.Report{Text: "إعصار", Language: "ar"}},
			{Action: record.ActionCreate, Body: invalid}}, "إعصار"},
		{"retract then invalid", []record.Change{
			{Action: record.ActionRetract, ID: f.id["flood"], BaseRevision: 1},
			{Action: record.ActionCreate, Body: invalid}}, ""},
		{"create then stale", []record.Change{
			{Action: record.ActionCreate, Body: &record.Report{Text: "عاصفة رملية", Language: "ar"}},
			{Action: record.ActionUpdate, ID: f.id["flood"], BaseRevision: 7, Body: &record.Report{Text: "x", Language: "ar"}}}, "عاصفة"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.a.Service.Apply(f.ctx, testMeta, tt.changes); err == nil {
				t.Fatal("the batch was accepted")
			}
			if tt.absent != "" {
				if res := f.search(text(tt.absent)); res.Total != 0 {
					t.Errorf("%q of a failed batch is indexed", tt.absent)
				}
			}
			if got := f.found(text("فيضان")); !reflect.DeepEqual(got, []string{"flood"}) {
				t.Errorf("the first record: %v", got)
			}
			after := f.search(search.Query{Facets: true})
			if !reflect.DeepEqual(after, before) {
				t.Errorf("index changed:\n%+v\n%+v", after, before)
			}
		})
	}
}

// TestOnlyReportsAndIncidents: the hook leaves other records out (the
// seeded actors' names, an involvement's basis, a source's label).
func TestOnlyReportsAndIncidents(t *testing.T) {
	f := filterFixture(t)
	f.create("source", &record.Source{DisplayLabel: "ناشط إعلامي من الطبقة", SourceType: "local_activist"})
	for _, q := range []string{"الديمقراطية", "Democratic", "قسد", "الطبقة"} {
		if res := f.search(text(q)); res.Total != 0 {
			t.Errorf("%q found %v", q, f.names(res))
		}
	}
	var n int
	if err := f.a.DB.QueryRow(f.ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("%d documents indexed, want 6", n)
	}
}

// snapshot is what a few searches answer, for comparing indexes.
func snapshot(f *fixture) string {
	var b strings.Builder
	for _, q := range []search.Query{
		{Facets: true}, {Text: "غارة", Facets: true}, {Text: "air strike"}, {Text: "مدني OR Men"},
		{Place: "SY11"}, {Actor: "ypg"}, {Kinds: []string{"abduction"}}, {From: "2017-08-15"},
	} {
		res := f.search(q)
		fmt.Fprintf(&b, "%+v: total %d limit %d offset %d query %+v\n", q, res.Total, res.Limit, res.Offset, *res.Query)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, "  %+v\n", h)
		}
		if res.Facets != nil {
			fmt.Fprintf(&b, "  %+v\n", *res.Facets)
		}
	}
	return b.String()
}

func TestReindex(t *testing.T) {
	f := filterFixture(t)
	f.retract("inv-isis")
	f.report("gone", "تقرير سحب لاحقاً")
	f.retract("gone")
	before := snapshot(f)
	n, _, err := f.a.Reindex(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("reindexed %d, want the 6 live reports and incidents", n)
	}
	if after := snapshot(f); after != before {
		t.Errorf("reindex changed the answers:\nbefore\n%s\nafter\n%s", before, after)
	}
	// Damage the index behind the service's back: reindex repairs it.
	err = f.a.DB.WriteTx(f.ctx, func(tx *sqldb.Tx) error {
		if err := f.a.Search.Remove(f.ctx, tx, f.id["raqqa"]); err != nil {
			return err
		}
		return f.a.Search.Put(f.ctx, tx, search.Doc{RecordID: f.id["gone"], Type: record.TypeReport, Title: "", Body: "غارة شبح", Language: "ar"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if snapshot(f) == before {
		t.Fatal("damaging the index changed nothing: the test proves nothing")
	}
	if _, _, err := f.a.Reindex(f.ctx); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(f); after != before {
		t.Errorf("reindex did not repair the index:\nbefore\n%s\nafter\n%s", before, after)
	}
	if got := f.found(text("شبح")); len(got) != 0 {
		t.Errorf("a retracted record's document survived reindex: %v", got)
	}
	if err := f.a.Search.Optimize(f.ctx); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(f); after != before {
		t.Errorf("optimize changed the answers")
	}
	// Reopening the folder leaves a full index alone.
	dir := f.a.DataDir
	f.a.Close()
	a, err := app.Open(f.ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	f.a = a
	t.Cleanup(func() { a.Close() })
	if after := snapshot(f); after != before {
		t.Errorf("reopening changed the answers")
	}
}

// TestBackfill: a data folder whose index is empty (made before search
// existed) is indexed when it is opened.
func TestBackfill(t *testing.T) {
	f := filterFixture(t)
	before := snapshot(f)
	if err := f.a.DB.WriteTx(f.ctx, func(tx *sqldb.Tx) error { return f.a.Search.Reset(f.ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	if res := f.search(search.Query{}); res.Total != 0 {
		t.Fatalf("reset left %d documents", res.Total)
	}
	dir := f.a.DataDir
	f.a.Close()
	a, err := app.Open(f.ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	f.a = a
	if after := snapshot(f); after != before {
		t.Errorf("backfill gives other answers:\nbefore\n%s\nafter\n%s", before, after)
	}
}

func TestCheckFilters(t *testing.T) {
	f := newFixture(t)
	reportID := f.report("r", "نص")
	check := func(q search.Query) error { return search.CheckFilters(f.ctx, q, f.a.Vocab, f.a.Store) }
	good := search.Query{Text: "قصف", Kinds: []string{"air_strike", "shelling"}, Grading: "fair", Language: "ku",
		Actor: "sdf", Place: "anything", Types: []record.Type{record.TypeIncident}}
	if err := check(good); err != nil {
		t.Errorf("good filters refused: %v", err)
	}
	if err := check(search.Query{}); err != nil {
		t.Errorf("no filters refused: %v", err)
	}
	for _, tt := range []struct {
		name, field string
		q           search.Query
	}{
		{"unknown kind", "kind", search.Query{Kinds: []string{"air_raid"}}},
		{"second kind unknown", "kind", search.Query{Kinds: []string{"air_strike", "Shelling"}}},
		{"unknown grading", "grading", search.Query{Grading: "good"}},
		{"unknown language", "language", search.Query{Language: "arabic"}},
		{"unknown actor", "actor", search.Query{Actor: "nobody"}},
		{"actor id of a report", "actor", search.Query{Actor: reportID}},
		{"actor id not an id", "actor", search.Query{Actor: "no such/actor " + strings.Repeat("x", 100)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := check(tt.q)
			var fe *search.FilterError
			if !errors.As(err, &fe) {
				t.Fatalf("%+v: %v, want a *FilterError", tt.q, err)
			}
			if fe.Field != tt.field || fe.EN == "" || !containsArabic(fe.AR) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %#v, want field %s with both messages", fe, tt.field)
			}
			if len(fe.EN) > 200 || len(fe.AR) > 300 {
				t.Errorf("message not clipped: %q", fe.EN)
			}
			var ve *record.ValidationError
			if !errors.As(search.Invalid(err), &ve) || ve.Errors[0].Field != tt.field || ve.Errors[0].MessageAR != fe.AR {
				t.Errorf("Invalid(%v) = %v", err, search.Invalid(err))
			}
		})
	}
}

// TestSearchRefuses: parameters Search itself checks, by field.
func TestSearchRefuses(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		name, field string
		q           search.Query
	}{
		{"from not a date", "from", search.Query{From: "June"}},
		{"from not a day", "from", search.Query{From: "2017-02-30"}},
		{"from a month", "from", search.Query{From: "2017-06"}},
		{"to with slashes", "to", search.Query{To: "2017/06/01"}},
		{"from after to", "from", search.Query{From: "2017-07-01", To: "2017-06-01"}},
		{"type not indexed", "type", search.Query{Types: []record.Type{record.TypeAct}}},
		{"type unknown", "type", search.Query{Types: []record.Type{record.TypeReport, "reports"}}},
		{"sort", "sort", search.Query{Sort: "newest"}},
		{"negative limit", "limit", search.Query{Limit: -1}},
		{"limit too big", "limit", search.Query{Limit: search.MaxLimit + 1}},
		{"negative offset", "offset", search.Query{Offset: -1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.a.Search.Search(f.ctx, tt.q)
			var fe *search.FilterError
			if !errors.As(err, &fe) || fe.Field != tt.field || fe.EN == "" || !containsArabic(fe.AR) {
				t.Fatalf("%+v: %v, %v; want a *FilterError for %s", tt.q, res, err, tt.field)
			}
		})
	}
	for _, q := range []search.Query{{From: "2017-06-01", To: "2017-06-01"}, {Limit: search.MaxLimit}, {Limit: 1, Offset: 1 << 20}} {
		if _, err := f.a.Search.Search(f.ctx, q); err != nil {
			t.Errorf("%+v refused: %v", q, err)
		}
	}
	for _, q := range []string{`قصف "مدفعي`, "-قصف", "OR", "\xff"} {
		_, err := f.a.Search.Search(f.ctx, text(q))
		var qe *search.QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%q: %v, want a *QueryError", q, err)
			continue
		}
		var ve *record.ValidationError
		if !errors.As(search.Invalid(err), &ve) || ve.Errors[0].Field != "q" || ve.Errors[0].MessageAR != qe.AR {
			t.Errorf("Invalid(%v) = %v, want a validation error of q", err, search.Invalid(err))
		}
	}
	if err := errors.New("x"); search.Invalid(err) != err {
		t.Error("Invalid changed an error that is not a search error")
	}
}

// TestEmptyQuerySnippet: without words, the snippet is the start of the
// body, cut at 300 letters with "…".
func TestEmptyQuerySnippet(t *testing.T) {
	f := newFixture(t)
	short := "قصف على السوق"
	long := strings.Repeat("ب", 299) + "قصف" + strings.Repeat("ج", 50)
	f.report("short", short)
	f.report("long", long)
	for _, h := range f.search(search.Query{}).Hits {
		got := joined(h.Snippet)
		switch f.name[h.RecordID] {
		case "short":
			if got != short {
				t.Errorf("short snippet %q", got)
			}
		case "long":
			want := string([]rune(long)[:300]) + "…"
			if got != want {
				t.Errorf("long snippet %q, want %q", got, want)
			}
		}
		if len(matches(h.Snippet)) != 0 {
			t.Errorf("marks without words: %+v", h.Snippet)
		}
	}
}

// TestEmptyQuerySnippetOf300Letters: a body of exactly 300 letters is
// whole and is shown without "…"; a longer one is cut and marked.
func TestEmptyQuerySnippetOf300Letters(t *testing.T) {
	f := newFixture(t)
	body := strings.Repeat("ب", 300)
	f.report("exact", body)
	res := f.search(search.Query{})
	if got := joined(res.Hits[0].Snippet); got != body {
		t.Errorf("snippet of a 300-letter body is %d letters ending %q, want the body unchanged",
			utf8.RuneCountInString(got), string([]rune(got)[utf8.RuneCountInString(got)-1:]))
	}
}

// TestReportDateOverlap: a report published in a month or a year is
// dated to that whole month or year, as the record list dates it
// (record.Report.Index), so a search from or to a day inside it finds it.
func TestReportDateOverlap(t *testing.T) {
	f := newFixture(t)
	f.create("june", &record.Report{Text: "تقرير شهري", Language: "ar", Published: "2017-06"})
	f.create("year", &record.Report{Text: "تقرير سنوي", Language: "ar", Published: "2015"})
	for _, tt := range []struct {
		q    search.Query
		want []string
	}{
		{search.Query{From: "2017-06-01", To: "2017-06-01"}, []string{"june"}},
		{search.Query{From: "2017-06-15", To: "2017-06-20"}, []string{"june"}},
		{search.Query{From: "2017-06-30"}, []string{"june"}},
		{search.Query{From: "2015-07-01", To: "2015-07-31"}, []string{"year"}},
	} {
		if got := f.found(tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v found %v, want %v", tt.q, got, tt.want)
		}
		recs, _, err := f.a.Store.List(f.ctx, record.Query{Type: record.TypeReport, DateFrom: tt.q.From, DateTo: tt.q.To})
		if err != nil || len(recs) != 1 || f.name[recs[0].ID] != tt.want[0] {
			t.Errorf("the record list disagrees with the test for %+v: %v", tt.q, err)
		}
	}
}

// TestPhraseAcrossStopWord: stop words keep their places in the index
// (sqldb.StopToken), so the phrase «الجيش الحر» (the Free Army) does not
// match "أعلن الجيش أن الحر الشديد" (the army said that the great heat …).
func TestPhraseAcrossStopWord(t *testing.T) {
	f := newFixture(t)
	f.report("fsa", "اشتبك الجيش الحر مع القوات")
	f.report("heat", "أعلن الجيش أن الحر الشديد أدى إلى وفاة جنديين")
	if got := f.found(text(`"الجيش الحر"`)); !reflect.DeepEqual(got, []string{"fsa"}) {
		t.Errorf("the phrase «الجيش الحر» found %v, want only fsa", got)
	}
}

// TestSearchNULInQuery: a NUL byte (or any control character) in a query
// counts as a space; SQLite would otherwise read the FTS5 expression only
// up to it and fail.
func TestSearchNULInQuery(t *testing.T) {
	f := newFixture(t)
	f.report("doc", "قصف مدفعي")
	for _, q := range []string{"قصف\x00مدفعي", `"قصف` + "\x00" + `مدفعي"`, "قصف -مدفعي\x00"} {
		_, err := f.a.Search.Search(f.ctx, text(q))
		var qe *search.QueryError
		if err != nil && !errors.As(err, &qe) {
			t.Errorf("Search(%q): %v, want hits or a *QueryError", q, err)
		}
	}
}

// FuzzSearch: whatever the text, Search answers or refuses the query as a
// *QueryError; it never fails in SQLite (an FTS5 syntax error).
func FuzzSearch(f *testing.F) {
	for _, s := range []string{
		"قصف", `"قصف مدفعي"`, "«a\"b»", "a OR b", "a -b", `a -"b c"`, "title:قصف", "NEAR(a b)", "a*", "^a",
		"(a", "a)", "a AND b", "a NOT b", "\x00", "“a\" b", "+", "{a}", "'", "a'b", "\u200f", "a\tb\nc",
	} {
		f.Add(s)
	}
	ctx := context.Background()
	a, _, err := app.Init(ctx, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { a.Close() })
	if _, err := a.Service.Create(ctx, testMeta, &record.Report{Title: "قصف", Text: "قصف مدفعي a b c", Language: "ar"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		res, err := a.Search.Search(ctx, search.Query{Text: q, Facets: true})
		var qe *search.QueryError
		if err != nil && !errors.As(err, &qe) {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if err != nil {
			return
		}
		if res.Total < len(res.Hits) || res.Facets == nil {
			t.Fatalf("Search(%q): total %d, %d hits, facets %v", q, res.Total, len(res.Hits), res.Facets)
		}
		for _, h := range res.Hits {
			for _, fr := range append(append([]search.Fragment{}, h.Title...), h.Snippet...) {
				if !utf8.ValidString(fr.Text) || strings.ContainsAny(fr.Text, "\uE000\uE001") {
					t.Fatalf("Search(%q): fragment %+q", q, fr.Text)
				}
			}
		}
	})
}

func containsArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}
