package stats

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tawthiq/tawthiq/internal/record"
)

func intp(n int) *int { return &n }

const all = fTitles | fDates | fKinds | fWhere | fKilled

// incidentJSON is an incident as the service stores it.
func incidentJSON(t testing.TB, x *record.Incident) []byte {
	t.Helper()
	b, err := record.Canonical(x)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseIncident(t *testing.T) {
	lat, lon := 35.95, 39.01
	x := &record.Incident{
		TitleAR: `قصف "جوي" على \ الرقة`, TitleEN: "Strike\non Raqqa",
		Description: `a text with "casualties":[{"outcome":"killed"}] inside`,
		Kinds:       []string{"air_strike", "shelling"},
		When:        record.DateRange{Start: "2017-06-05", Precision: "day"},
		Where: []record.Place{{GazetteerID: "C5710", NameAR: "الرقة", Precision: "village_town_city"},
			{Lat: &lat, Lon: &lon, Precision: "exact"}},
		Grading: "fair",
		Casualties: []record.CasualtyCount{
			{Category: "civilians", Outcome: "killed", Count: record.Count{Min: intp(71), Qualifier: "more_than", SourceText: `أكثر من "70"`}},
			{Category: "civilians", Outcome: "injured", Count: record.Count{Best: intp(300), Qualifier: "exact"}},
			{Category: "fighters", Outcome: "killed", Count: record.Count{Min: intp(3), Best: intp(4), Max: intp(5), Qualifier: "about"}},
		},
		Tags: []string{"casualties"},
	}
	got, err := parseIncident(incidentJSON(t, x), all, interner{})
	if err != nil {
		t.Fatal(err)
	}
	want := incidentData{
		titleAR: x.TitleAR, titleEN: x.TitleEN, kinds: x.Kinds,
		where: []placeData{{gazetteerID: "C5710", precision: "village_town_city"},
			{lat: opt[float64]{lat, true}, lon: opt[float64]{lon, true}, precision: "exact"}},
		killed: []killedCount{{category: "civilians", qualifier: "more_than", min: opt[int]{71, true}},
			{category: "fighters", qualifier: "about", min: opt[int]{3, true}, best: opt[int]{4, true}, max: opt[int]{5, true}}},
		hasKilled: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	got, _ = parseIncident(incidentJSON(t, x), fKilled, interner{})
	if got.titleAR != "" || got.kinds != nil || got.where != nil || len(got.killed) != 2 {
		t.Errorf("killed only: %+v", got)
	}
	for _, bad := range []string{``, `{`, `{"kinds":["a"]`, `{"kinds":["a",]}`, `{"where":[{"lat":x}]}`, `{"a" 1}`, `[1]`,
		`{"casualties":[{"count":{"min":1.5}}]}`, `{"title_ar":"\"}`} {
		if _, err := parseIncident([]byte(bad), all, interner{}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestParseLink(t *testing.T) {
	for _, c := range []struct {
		body record.Body
		want linkData
	}{
		{&record.Involvement{ActorID: "isis", IncidentID: "01ABC", Degree: "ordered", Confidence: "likely", Basis: `"degree":"planned"`},
			linkData{actorID: "isis", incidentID: "01ABC", degree: "ordered"}},
		{&record.Involvement{ActorID: "russia", ActID: "01DEF", Degree: "unknown", Confidence: "possible"},
			linkData{actorID: "russia", actID: "01DEF", degree: "unknown"}},
		{&record.Act{IncidentID: "01ABC", ActType: "killing", VictimGroupID: "01VG"}, linkData{incidentID: "01ABC"}},
	} {
		b, err := record.Canonical(c.body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseLink(b, interner{})
		if err != nil || got != c.want {
			t.Errorf("%s: %+v, %v; want %+v", b, got, err, c.want)
		}
	}
}

// FuzzParseIncident checks the reader against encoding/json on incidents
// the service could store.
func FuzzParseIncident(f *testing.F) {
	f.Add("قصف", `a "quoted" \ title`, "C5710", 35.9, 39.0, 71, 4, "killed", "more_than")
	f.Add("", "x", "", -0.0, 1e-7, 0, -1, "injured", "")
	f.Fuzz(func(t *testing.T, ar, en, gaz string, lat, lon float64, lo, best int, outcome, qual string) {
		x := &record.Incident{TitleAR: ar, TitleEN: en, Kinds: []string{qual, ar},
			Where: []record.Place{{GazetteerID: gaz, Lat: &lat, Lon: &lon}, {NameAR: en}},
			Casualties: []record.CasualtyCount{{Category: gaz, Outcome: outcome, Count: record.Count{Min: &lo, Best: &best, Qualifier: qual}},
				{Category: ar, Outcome: "killed", Count: record.Count{Max: &best, SourceText: en}}}}
		b, err := json.Marshal(x)
		if err != nil {
			return // NaN and infinities are not JSON
		}
		got, err := parseIncident(b, all, interner{})
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		// What encoding/json makes of the same bytes (it replaces invalid
		// UTF-8, so compare with its reading, not with the input).
		var back record.Incident
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if got.titleAR != back.TitleAR || got.titleEN != back.TitleEN || got.where[0].gazetteerID != back.Where[0].GazetteerID ||
			got.where[0].lat.v != *back.Where[0].Lat || got.where[0].lon.v != *back.Where[0].Lon || got.where[1].lat.ok {
			t.Errorf("%s: got %+v", b, got)
		}
		want := 1
		if outcome == "killed" {
			want = 2
		}
		if len(got.killed) != want || got.killed[want-1].max.v != best || got.killed[want-1].min.ok {
			t.Errorf("%s: killed %+v", b, got.killed)
		}
		if outcome == "killed" && (got.killed[0].min.v != lo || got.killed[0].best.v != best || got.killed[0].qualifier != back.Casualties[0].Count.Qualifier) {
			t.Errorf("%s: killed %+v", b, got.killed)
		}
	})
}

// FuzzSkip: the reader never panics, and it reads any valid JSON value
// whole.
func FuzzSkip(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":"c\"d"}],"e":null}`, `"\\"`, `[]`, `{}`, ` 12.5e3 `, `{"a":"\u00e9"}`, `[{]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &reader{b: data}
		r.skip()
		if json.Valid(data) && (r.err != nil || r.peek() != 0) {
			t.Errorf("%q: valid JSON but err %v, %d bytes left", data, r.err, len(data)-r.i)
		}
		parseIncident(data, all, interner{})
		parseLink(data, interner{})
	})
}

// BenchmarkParse reads the killed counts of one incident body with the
// reader and with encoding/json.
func BenchmarkParse(b *testing.B) {
	lat, lon := 35.95, 39.01
	body := incidentJSON(b, &record.Incident{TitleAR: "قصف جوي على حي الدرعية في الرقة", TitleEN: "Air strike on Raqqa",
		Description: "وثّق ناشطون مقتل أكثر من 70 مدنياً بينهم أطفال في غارات جوية على أحياء المدينة",
		Kinds:       []string{"air_strike"}, When: record.DateRange{Start: "2017-06-05", Precision: "day"},
		Where:   []record.Place{{GazetteerID: "C5710", NameAR: "الرقة", Lat: &lat, Lon: &lon, Precision: "village_town_city"}},
		Grading: "fair", Confidentiality: "internal",
		Casualties: []record.CasualtyCount{
			{Category: "civilians", Outcome: "killed", Count: record.Count{Min: intp(71), Qualifier: "more_than", SourceText: "أكثر من 70"}},
			{Category: "children", Outcome: "killed", Count: record.Count{Best: intp(12), Qualifier: "exact"}},
			{Category: "civilians", Outcome: "injured", Count: record.Count{Min: intp(100), Qualifier: "at_least"}}}})
	b.Run("reader", func(b *testing.B) {
		in := interner{}
		for range b.N {
			if _, err := parseIncident(body, fKilled, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		for range b.N {
			var x struct{ Casualties []record.CasualtyCount }
			if err := json.Unmarshal(body, &x); err != nil {
				b.Fatal(err)
			}
		}
	})
}
