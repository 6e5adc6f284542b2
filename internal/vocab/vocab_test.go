package vocab

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite testdata/versions.golden from the data files")

// thesauri is where the HURIDOCS micro-thesauri live, relative to this
// package; they are read at test time and never copied into the repository.
const thesauri = "../../../shared/data/vocab"

// requiredCodes lists, for every list, the codes the rest of Tawthiq and
// the design rely on. Lists may hold more.
var requiredCodes = map[string][]string{
	IncidentKind: {"air_strike", "barrel_bomb", "shelling", "chemical_attack", "explosive_device",
		"armed_clash", "attack_on_civilians", "execution", "abduction", "detention", "torture",
		"sexual_violence", "siege", "forced_displacement", "property_destruction",
		"attack_on_protected_object", "other"},
	Weapon: {"aircraft_bomb", "barrel_bomb", "cluster_munition", "guided_missile", "unguided_rocket",
		"artillery_shell", "mortar", "tank_fire", "heavy_machine_gun", "small_arms", "sniper_fire",
		"ied", "landmine", "vbied", "suicide_bomber", "chemical_agent", "chlorine", "sarin",
		"incendiary_weapon", "white_phosphorus", "drone", "knife_blade", "burning", "unknown"},
	Target: {"residential_building", "market", "hospital_medical_facility", "school", "mosque",
		"place_of_worship", "bakery", "displacement_camp", "water_infrastructure", "power_station",
		"bridge", "vehicle_convoy", "civil_defence_centre", "farmland", "government_building",
		"military_position", "unknown"},
	ActorCategory: {"state_forces", "state_police_security", "pro_government_militia", "rebel_group",
		"political_militia", "identity_militia", "foreign_state_forces", "international_coalition",
		"extremist_armed_group", "civilians", "unidentified_armed_group", "unknown"},
	SourceType: {"victim", "witness", "relative", "medical_facility", "civil_defence", "local_activist",
		"local_coordination_committee", "local_council", "documentation_org", "news_agency",
		"local_media", "international_media", "social_media_account", "ngo_io", "un_body",
		"government_official", "belligerent_military", "armed_group_statement",
		"satellite_provider", "other"},
	CivilianStatus: {"civilian", "civilian_protected_role", "police_law_enforcement",
		"other_security_forces", "non_civilian_combatant", "hors_de_combat", "contested", "unknown"},
	Grading:       {"pending", "weak", "fair", "confirmed", "contested", "discounted"},
	DatePrecision: {"exact_time", "day", "days_2_6", "week", "month", "year", "unknown"},
	PlacePrecision: {"exact", "within_100m", "street", "landmark", "neighbourhood", "village_town_city",
		"near_settlement", "subdistrict", "district_adm2", "governorate_adm1", "region_multi_adm1",
		"country", "water_airspace", "unknown"},
	CountQualifier: {"exact", "at_least", "more_than", "about", "up_to", "vague_several",
		"vague_dozens", "vague_hundreds", "unknown_nonzero", "none_reported"},
	CasualtyCategory: {"civilians", "children", "women", "men", "elderly", "medical_personnel",
		"journalists", "civil_defence", "humanitarian", "fighters", "unknown"},
	Outcome: {"killed", "injured", "missing", "detained", "displaced"},
	ActType: {"killing", "injury", "arbitrary_detention", "enforced_disappearance", "abduction",
		"torture", "sexual_violence", "forced_displacement", "destruction_of_property",
		"denial_of_aid", "other"},
	ClaimType: {"casualty_count", "attribution", "weapon", "location", "time", "civilian_status",
		"denial", "acknowledgement", "responsibility_claim", "alternative_explanation",
		"report_by_outlet", "statement", "other"},
	AssessmentKind:        {"grading", "verification", "civilian_status", "attribution", "casualty_rule"},
	VerificationStatus:    {"verified", "partially_verified", "unverified", "inconclusive", "false_or_misattributed"},
	AttributionConfidence: {"confirmed", "likely", "possible", "suspected", "contested", "unknown"},
	InvolvementDegree: {"directly_carried_out", "ordered", "planned", "present", "passive_accomplice",
		"suspected", "command_responsibility", "unknown"},
	CivilianTargeting: {"main_or_only_target", "incidental", "unknown"},
	Sex:               {"female", "male", "unknown"},
	AgeBand:           {"infant", "child", "adult", "elderly", "unknown"},
	Reliability: {"highly_reliable", "likely_reliable", "unsure", "likely_unreliable",
		"highly_unreliable", "unknown"},
	Language: {"ar", "en", "ku", "tr", "fr", "other"},
	MaterialType: {"web_page", "social_media_post", "messaging_channel_post", "testimony",
		"official_statement", "press_release_of_perpetrator", "news_article", "document", "photo",
		"video", "audio", "satellite_image", "medical_record", "death_certificate", "other"},
	Confidentiality: {"public", "internal", "restricted", "secret"},
}

func mustLoad(t *testing.T) *Set {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestRequiredListsAndCodes(t *testing.T) {
	s := mustLoad(t)
	if len(requiredCodes) != len(requiredLists()) {
		t.Fatalf("test table has %d lists, requiredLists %d", len(requiredCodes), len(requiredLists()))
	}
	for _, id := range requiredLists() {
		t.Run(id, func(t *testing.T) {
			l, ok := s.List(id)
			if !ok {
				t.Fatalf("list %s missing", id)
			}
			for _, code := range requiredCodes[id] {
				if !l.Has(code) || !s.Has(id, code) {
					t.Errorf("code %q missing", code)
				}
			}
		})
	}
}

func TestIncidentKindsExactly(t *testing.T) {
	l, _ := mustLoad(t).List(IncidentKind)
	var got []string
	for _, term := range l.Terms {
		got = append(got, term.Code)
	}
	want := slices.Clone(requiredCodes[IncidentKind])
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("incident kinds = %v, want exactly %v", got, want)
	}
	if term, _ := l.Term("barrel_bomb"); term.Parent != "air_strike" {
		t.Errorf("barrel_bomb parent = %q, want air_strike", term.Parent)
	}
}

func TestLabels(t *testing.T) {
	s := mustLoad(t)
	for _, l := range s.Lists() {
		t.Run(l.ID, func(t *testing.T) {
			checkTestLabels(t, "list", l.Labels)
			for _, term := range l.Terms {
				checkTestLabels(t, term.Code, term.Labels)
			}
		})
	}
	t.Run("actors", func(t *testing.T) {
		for _, a := range s.Actors() {
			checkTestLabels(t, a.Code, a.Labels)
		}
	})
}

func checkTestLabels(t *testing.T, what string, l Labels) {
	t.Helper()
	if strings.TrimSpace(l.AR) == "" || strings.TrimSpace(l.EN) == "" {
		t.Errorf("%s: missing label: %+v", what, l)
	}
	if !hasArabic(l.AR) {
		t.Errorf("%s: ar label %q has no Arabic letter", what, l.AR)
	}
}

func TestAccessors(t *testing.T) {
	s := mustLoad(t)
	if s.Has("no_such_list", "air_strike") || s.Has(IncidentKind, "air_raid") {
		t.Error("Has accepts an unknown list or code")
	}
	if _, ok := s.List("no_such_list"); ok {
		t.Error("List found an unknown list")
	}
	l, _ := s.List(Grading)
	if term, ok := l.Term("fair"); !ok || term.External["airwars"] != "Fair" {
		t.Errorf("Term(fair) = %+v, %v", term, ok)
	}
	if _, ok := l.Term("excellent"); ok {
		t.Error("Term found an unknown code")
	}
	lists := s.Lists()
	if !slices.IsSortedFunc(lists, func(a, b *List) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("Lists not sorted by id")
	}
	lists[0] = nil // the caller's copy, not the Set's
	if s.Lists()[0] == nil {
		t.Error("Lists returned the Set's own slice")
	}
	v := s.Version()
	if !strings.HasPrefix(v, "act_type@1,") || !strings.HasSuffix(v, ",actors@1") ||
		strings.Count(v, "@") != len(lists)+1 {
		t.Errorf("Version() = %q", v)
	}
	if a, ok := s.Actor("isis"); !ok || a.Category != "extremist_armed_group" {
		t.Errorf("Actor(isis) = %+v, %v", a, ok)
	}
	if _, ok := s.Actor("nobody"); ok {
		t.Error("Actor found an unknown code")
	}
}

// TestHuridocsCodesExist checks every ESF code against the micro-thesaurus
// it names.
func TestHuridocsCodesExist(t *testing.T) {
	if _, err := os.Stat(thesauri); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("HURIDOCS thesauri not found at %s: %v", thesauri, err)
		}
		t.Skipf("HURIDOCS thesauri not found at %s (%v); set CI to make this a failure", thesauri, err)
	}
	s := mustLoad(t)
	codes := map[string]map[string]bool{} // list file → codes
	check := func(t *testing.T, what string, ext map[string]string) {
		list := ext["huridocs_list"]
		for k, v := range ext {
			if k == "huridocs_list" || !strings.HasPrefix(k, "huridocs") {
				continue
			}
			if codes[list] == nil {
				codes[list] = readThesaurus(t, list)
			}
			if !codes[list][v] {
				t.Errorf("%s: %s %s is not in %s.txt", what, k, v, list)
			}
		}
	}
	n := 0
	for _, l := range s.Lists() {
		for _, term := range l.Terms {
			check(t, l.ID+"/"+term.Code, term.External)
			if term.External["huridocs"] != "" {
				n++
			}
		}
	}
	for _, a := range s.Actors() {
		check(t, "actors/"+a.Code, a.External)
	}
	if n < 100 {
		t.Errorf("only %d terms carry an ESF code; the check is not reading the data", n)
	}
}

func readThesaurus(t *testing.T, list string) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(thesauri, list+".txt"))
	if err != nil {
		t.Fatalf("thesaurus %s: %v", list, err)
	}
	defer f.Close()
	codes := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if code, _, ok := strings.Cut(strings.TrimSpace(sc.Text()), " "); ok {
			codes[code] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("thesaurus %s: %v", list, err)
	}
	return codes
}

func TestActorAliases(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		code, category, parent string
		ar                     []string
	}{
		{"isis", "extremist_armed_group", "", []string{"داعش", "تنظيم الدولة", "تنظيم داعش", "الدولة الإسلامية"}},
		{"syrian_government", "state_forces", "", []string{"قوات النظام", "قوات الأسد", "الجيش السوري", "النظام السوري", "جيش النظام", "الطيران الحربي السوري"}},
		{"russia", "foreign_state_forces", "", []string{"القوات الروسية", "الطيران الروسي", "سلاح الجو الروسي", "الطائرات الروسية"}},
		{"us_coalition", "international_coalition", "", []string{"التحالف الدولي", "طيران التحالف", "قوات التحالف", "التحالف الدولي بقيادة الولايات المتحدة"}},
		{"sdf", "", "", []string{"قسد", "قوات سوريا الديمقراطية", "قوات سورية الديمقراطية", "سورية الديمقراطية"}},
		{"ypg", "", "sdf", []string{"وحدات حماية الشعب", "الوحدات الكردية", "الميليشيات الكردية"}},
		{"turkey", "foreign_state_forces", "", []string{"القوات التركية", "الجيش التركي"}},
		{"iran", "", "", []string{"الحرس الثوري الإيراني", "الميليشيات الإيرانية"}},
		{"hezbollah", "", "", []string{"حزب الله", "ميليشيا حزب الله"}},
		{"hts", "", "", []string{"هيئة تحرير الشام", "جبهة النصرة", "جبهة فتح الشام"}},
		{"opposition", "", "", []string{"فصائل المعارضة", "الجيش السوري الحر", "الجيش الحر", "الجيش الوطني السوري"}},
		{"unidentified", "unidentified_armed_group", "", []string{"جهة مجهولة", "مسلحون مجهولون"}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			a, ok := s.Actor(tt.code)
			if !ok {
				t.Fatalf("actor %s missing", tt.code)
			}
			for _, alias := range tt.ar {
				if !slices.Contains(a.Aliases.AR, alias) {
					t.Errorf("Arabic alias %q missing", alias)
				}
			}
			if len(a.Aliases.EN) == 0 {
				t.Error("no English aliases")
			}
			if tt.category != "" && a.Category != tt.category {
				t.Errorf("category = %q, want %q", a.Category, tt.category)
			}
			if a.Parent != tt.parent {
				t.Errorf("parent = %q, want %q", a.Parent, tt.parent)
			}
		})
	}
	if a, _ := s.Actor("unidentified"); !slices.Contains(a.Aliases.EN, "Unidentified armed group") {
		t.Error(`unidentified lacks the English alias "Unidentified armed group"`)
	}
}

func TestActorsConsistent(t *testing.T) {
	s := mustLoad(t)
	cats, _ := s.List(ActorCategory)
	owner := map[string]string{}
	for _, a := range s.Actors() {
		if !cats.Has(a.Category) {
			t.Errorf("%s: category %q is not an actor_category code", a.Code, a.Category)
		}
		if a.Parent != "" {
			if _, ok := s.Actor(a.Parent); !ok {
				t.Errorf("%s: unknown parent %q", a.Code, a.Parent)
			}
		}
		if v, ok := a.External["acled_inter"]; ok {
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 8 {
				t.Errorf("%s: acled_inter %q not 1-8", a.Code, v)
			}
		}
		names := append(slices.Clone(a.Aliases.AR), a.Aliases.EN...)
		for _, n := range names {
			key := strings.ToLower(strings.TrimSpace(n))
			if other, ok := owner[key]; ok && other != a.Code {
				t.Errorf("alias %q belongs to both %s and %s", n, other, a.Code)
			}
			owner[key] = a.Code
		}
	}
}

// Fixtures for TestLoadRejects: a valid minimal data folder, and edits to it.
const (
	fixtureCategories = `{"id": "actor_category", "version": 1, "labels": {"ar": "فئة", "en": "Category"},
  "attribution": "test", "terms": [
    {"code": "state_forces", "labels": {"ar": "قوات حكومية", "en": "State forces"}},
    {"code": "rebel_group", "labels": {"ar": "فصيل معارض", "en": "Rebel group"}}]}`
	fixtureKinds = `{"id": "incident_kind", "version": 1, "labels": {"ar": "نوع", "en": "Kind"},
  "attribution": "test", "terms": [
    {"code": "air_strike", "labels": {"ar": "قصف جوي", "en": "Air strike"}, "external": {"huridocs_list": "mt_04", "huridocs": "010105020000"}},
    {"code": "barrel_bomb", "labels": {"ar": "براميل متفجرة", "en": "Barrel bomb"}, "parent": "air_strike"}]}`
	fixtureActors = `{"version": 1, "attribution": "test", "actors": [
    {"code": "sdf", "category": "rebel_group", "labels": {"ar": "قسد", "en": "SDF"},
     "aliases": {"ar": ["قوات سوريا الديمقراطية"], "en": ["Syrian Democratic Forces"]}},
    {"code": "ypg", "category": "rebel_group", "parent": "sdf", "labels": {"ar": "وحدات حماية الشعب", "en": "YPG"},
     "aliases": {"ar": ["الوحدات الكردية"], "en": ["People's Protection Units"]}}]}`
)

func fixture(edits map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"actor_category.json": {Data: []byte(fixtureCategories)},
		"incident_kind.json":  {Data: []byte(fixtureKinds)},
		"actors.json":         {Data: []byte(fixtureActors)},
	}
	for name, content := range edits {
		if content == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

func TestLoadAcceptsFixture(t *testing.T) {
	s, err := load(fixture(nil))
	if err != nil {
		t.Fatalf("load(valid fixture): %v", err)
	}
	if !s.Has(IncidentKind, "barrel_bomb") || len(s.Actors()) != 2 {
		t.Errorf("fixture loaded wrongly: %s, %d actors", s.Version(), len(s.Actors()))
	}
	if _, err := Load(); err != nil {
		t.Fatalf("Load: %v", err)
	}
}

func TestLoadRejects(t *testing.T) {
	kinds := func(old, new string) map[string]string {
		return map[string]string{"incident_kind.json": strings.Replace(fixtureKinds, old, new, 1)}
	}
	actors := func(old, new string) map[string]string {
		return map[string]string{"actors.json": strings.Replace(fixtureActors, old, new, 1)}
	}
	tests := []struct {
		name  string
		edits map[string]string
		want  []string // all must appear in the error
	}{
		{"duplicate code", kinds(`"code": "barrel_bomb"`, `"code": "air_strike"`),
			[]string{"incident_kind.json", `"air_strike"`, "duplicate code"}},
		{"empty ar label", kinds(`"ar": "براميل متفجرة"`, `"ar": ""`),
			[]string{"incident_kind.json", `"barrel_bomb"`, "empty ar label"}},
		{"empty en label", kinds(`"en": "Air strike"`, `"en": " "`),
			[]string{"incident_kind.json", `"air_strike"`, "empty en label"}},
		{"labels swapped", kinds(`{"ar": "قصف جوي", "en": "Air strike"}`, `{"ar": "Air strike", "en": "قصف جوي"}`),
			[]string{"incident_kind.json", `"air_strike"`, "no Arabic letter"}},
		{"unknown parent", kinds(`"parent": "air_strike"`, `"parent": "air_raid"`),
			[]string{"incident_kind.json", `"barrel_bomb"`, `parent "air_raid"`}},
		{"parent loop", kinds(`"code": "air_strike", `, `"code": "air_strike", "parent": "barrel_bomb", `),
			[]string{"incident_kind.json", "loops"}},
		{"id not file name", kinds(`"id": "incident_kind"`, `"id": "incident_kinds"`),
			[]string{"incident_kind.json", `"incident_kinds"`, "file name"}},
		{"unknown field", kinds(`"parent": "air_strike"`, `"parnet": "air_strike"`),
			[]string{"incident_kind.json", "parnet"}},
		{"bad code", kinds(`"code": "barrel_bomb"`, `"code": "Barrel bomb"`),
			[]string{"incident_kind.json", `"Barrel bomb"`, "not a code"}},
		{"bad ESF code", kinds(`"010105020000"`, `"0101"`),
			[]string{"incident_kind.json", "12-digit"}},
		{"ESF code without list", kinds(`"huridocs_list": "mt_04", `, ``),
			[]string{"incident_kind.json", "without huridocs_list"}},
		{"version zero", kinds(`"version": 1`, `"version": 0`),
			[]string{"incident_kind.json", "version 0"}},
		{"bad actor category", actors(`"category": "rebel_group", "parent"`, `"category": "kurdish_forces", "parent"`),
			[]string{"actors.json", `"ypg"`, `"kurdish_forces"`}},
		{"duplicate actor", actors(`"code": "ypg"`, `"code": "sdf"`),
			[]string{"actors.json", `"sdf"`, "duplicate actor"}},
		{"unknown actor parent", actors(`"parent": "sdf"`, `"parent": "pkk"`),
			[]string{"actors.json", `"ypg"`, `parent "pkk"`}},
		{"alias of two actors", actors(`["الوحدات الكردية"]`, `["الوحدات الكردية", " قوات سوريا الديمقراطية"]`),
			[]string{"actors.json", `"ypg"`, "also belongs to actor \"sdf\""}},
		{"alias case-folded", actors(`["People's Protection Units"]`, `["syrian democratic forces"]`),
			[]string{"actors.json", `"ypg"`, "also belongs"}},
		{"actor without en label", actors(`"en": "YPG"`, `"en": ""`),
			[]string{"actors.json", `"ypg"`, "empty en label"}},
		{"actors file missing", map[string]string{"actors.json": ""},
			[]string{"actors.json"}},
		{"category list missing", map[string]string{"actor_category.json": ""},
			[]string{"actors.json", "actor_category missing"}},
		{"broken JSON", map[string]string{"incident_kind.json": `{"id": "incident_kind",`},
			[]string{"incident_kind.json", "invalid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, content := range tt.edits {
				if content != "" && (content == fixtureKinds || content == fixtureActors) {
					t.Fatalf("edit of %s changed nothing; the fixture and the test disagree", name)
				}
			}
			s, err := load(fixture(tt.edits))
			if err == nil {
				t.Fatalf("load accepted bad data: %s", s.Version())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadRequiresEveryList(t *testing.T) {
	// Load checks the embedded data; this checks the rule it applies.
	s, err := load(fixture(nil))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, id := range requiredLists() {
		if _, ok := s.List(id); !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) != len(requiredLists())-2 {
		t.Errorf("fixture should miss all but two lists, misses %v", missing)
	}
}

// TestVersionsGolden fails when a data file changes without its version
// being raised, so that Set.Version always names exactly one set of data.
// After raising the version, run go test ./internal/vocab -update.
func TestVersionsGolden(t *testing.T) {
	sub, err := fs.Sub(data, "data")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(sub, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t)
	var b strings.Builder
	for _, name := range names {
		content, err := fs.ReadFile(sub, name)
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(name, ".json")
		version := s.actorsVersion
		if l, ok := s.List(id); ok {
			version = l.Version
		}
		sum := sha256.Sum256(content)
		fmt.Fprintf(&b, "%s %d %s\n", id, version, hex.EncodeToString(sum[:8]))
	}
	golden := filepath.Join("testdata", "versions.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	old := map[string]string{} // id → "version digest"
	for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		id, rest, _ := strings.Cut(line, " ")
		old[id] = rest
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		id, rest, _ := strings.Cut(line, " ")
		was, ok := old[id]
		switch {
		case !ok:
			t.Errorf("%s.json is new: run go test -update", id)
		case was == rest:
		case strings.Fields(was)[0] == strings.Fields(rest)[0]:
			t.Errorf("%s.json changed but its version is still %s: raise the version, then run go test -update",
				id, strings.Fields(rest)[0])
		default:
			t.Errorf("%s.json: version raised to %s; run go test -update to record it", id, strings.Fields(rest)[0])
		}
		delete(old, id)
	}
	for id := range old {
		t.Errorf("%s.json is gone: run go test -update", id)
	}
}
