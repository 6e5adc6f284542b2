// Package vocab holds Tawthiq's controlled vocabularies: the bilingual
// (Arabic and English), versioned code lists that every coded field of a
// record draws from, and the parties to the conflict in Syria with their
// Arabic and English aliases. Each term carries the external codes that
// exports need (HURIDOCS ESF micro-thesauri, ACLED, UCDP, Airwars), so
// export profiles are table-driven.
//
// The vocabularies are data, not code: one JSON file per list under data/
// (data/README.md describes the format), embedded in the binary.
//
// Invariant: a *Set returned by Load has passed validation — every list is
// named after its file and every required list is present, codes are unique
// within a list, every term and actor has an Arabic and an English label,
// every parent is a code of the same list with no cycle, and every actor's
// category is an actor_category code — and nothing in it changes afterwards,
// so one Set can be shared by all goroutines without locking. A list's
// version is raised whenever its file changes (vocab_test.go enforces this
// against testdata/versions.golden), so Set.Version names exactly the data
// a record was checked against.
package vocab

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Identifiers of the lists. Load fails unless every one of them is present.
const (
	IncidentKind          = "incident_kind"
	Weapon                = "weapon"
	Target                = "target"
	ActorCategory         = "actor_category"
	SourceType            = "source_type"
	CivilianStatus        = "civilian_status"
	Grading               = "grading"
	DatePrecision         = "date_precision"
	PlacePrecision        = "place_precision"
	CountQualifier        = "count_qualifier"
	CasualtyCategory      = "casualty_category"
	Outcome               = "outcome"
	ActType               = "act_type"
	ClaimType             = "claim_type"
	AssessmentKind        = "assessment_kind"
	VerificationStatus    = "verification_status"
	AttributionConfidence = "attribution_confidence"
	InvolvementDegree     = "involvement_degree"
	CivilianTargeting     = "civilian_targeting"
	Sex                   = "sex"
	AgeBand               = "age_band"
	Reliability           = "reliability"
	Language              = "language"
	MaterialType          = "material_type"
	Confidentiality       = "confidentiality"
)

// requiredLists returns the ids of every list the rest of Tawthiq refers to.
func requiredLists() []string {
	return []string{IncidentKind, Weapon, Target, ActorCategory, SourceType, CivilianStatus,
		Grading, DatePrecision, PlacePrecision, CountQualifier, CasualtyCategory, Outcome,
		ActType, ClaimType, AssessmentKind, VerificationStatus, AttributionConfidence,
		InvolvementDegree, CivilianTargeting, Sex, AgeBand, Reliability, Language,
		MaterialType, Confidentiality}
}

// actorsFile is the file in the data folder that holds the actors; every
// other *.json file there is one list.
const actorsFile = "actors.json"

//go:embed data/*.json
var data embed.FS

// Labels is a name in both working languages.
type Labels struct {
	AR string `json:"ar"`
	EN string `json:"en"`
}

// Term is one entry of a list. External maps an export scheme's key (for
// example acled_sub_event_type, or huridocs_list with huridocs) to this
// term's code in that scheme; a key is absent where the scheme has nothing
// that fits.
type Term struct {
	Code     string            `json:"code"`
	Labels   Labels            `json:"labels"`
	Parent   string            `json:"parent,omitempty"`
	External map[string]string `json:"external,omitempty"`
}

// List is one vocabulary. Lists belong to the Set they came from and must
// not be modified.
type List struct {
	ID          string `json:"id"`
	Version     int    `json:"version"`
	Labels      Labels `json:"labels"`
	Attribution string `json:"attribution"`
	Terms       []Term `json:"terms"`

	index map[string]int // code → position in Terms
}

// Has reports whether code is a term of the list.
func (l *List) Has(code string) bool {
	_, ok := l.index[code]
	return ok
}

// Term returns the term with the given code.
func (l *List) Term(code string) (Term, bool) {
	i, ok := l.index[code]
	if !ok {
		return Term{}, false
	}
	return l.Terms[i], true
}

// Set is every list and the actors, as loaded and validated by Load. It is
// never modified after Load; the lists, maps and slices it hands out are
// shared and must not be modified by callers either.
type Set struct {
	lists         map[string]*List
	sorted        []*List // by id
	actors        []Actor
	actorIndex    map[string]int // code → position in actors
	actorsVersion int
}

// Load parses the embedded vocabularies, validates them and builds their
// indexes. An error means the binary was built with broken data; it names
// every file and code at fault.
func Load() (*Set, error) {
	sub, err := fs.Sub(data, "data")
	if err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	s, err := load(sub)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, id := range requiredLists() {
		if _, ok := s.lists[id]; !ok {
			errs = append(errs, fmt.Errorf("vocab: %s.json: required list %q missing", id, id))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// List returns the list with the given id.
func (s *Set) List(id string) (*List, bool) {
	l, ok := s.lists[id]
	return l, ok
}

// Lists returns every list, sorted by id.
func (s *Set) Lists() []*List { return slices.Clone(s.sorted) }

// Has reports whether code is a term of the list listID; it is false when
// there is no such list.
func (s *Set) Has(listID, code string) bool {
	l, ok := s.lists[listID]
	return ok && l.Has(code)
}

// Version identifies the vocabulary data: every list's id and version,
// sorted by id, then the actors' version, as
// "act_type@1,actor_category@1,…,weapon@1,actors@1". Two Sets with the same
// Version hold the same data, because a file's version is raised whenever
// the file changes.
func (s *Set) Version() string {
	var b strings.Builder
	for _, l := range s.sorted {
		fmt.Fprintf(&b, "%s@%d,", l.ID, l.Version)
	}
	fmt.Fprintf(&b, "actors@%d", s.actorsVersion)
	return b.String()
}

// load reads every list and the actors from the root of fsys and validates
// them. It does not require any particular list, so tests can feed it a few.
func load(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	s := &Set{lists: make(map[string]*List)}
	var errs []error
	for _, name := range names {
		if name == actorsFile {
			continue
		}
		l, err := readList(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.lists[l.ID] = l
		s.sorted = append(s.sorted, l)
	}
	slices.SortFunc(s.sorted, func(a, b *List) int { return strings.Compare(a.ID, b.ID) })
	if err := readActors(fsys, s); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// readList decodes and validates one list file.
func readList(fsys fs.FS, name string) (*List, error) {
	var l List
	if err := decodeFile(fsys, name, &l); err != nil {
		return nil, err
	}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("vocab: %s: "+format, append([]any{name}, args...)...))
	}
	if want := strings.TrimSuffix(path.Base(name), ".json"); l.ID != want {
		fail("list id %q does not match the file name (want %q)", l.ID, want)
	}
	checkHeader(l.Version, l.Attribution, fail)
	checkLabels("list labels", l.Labels, fail)
	if len(l.Terms) == 0 {
		fail("no terms")
	}
	l.index = make(map[string]int, len(l.Terms))
	for i, t := range l.Terms {
		if _, dup := l.index[t.Code]; dup {
			fail("code %q: duplicate code", t.Code)
			continue
		}
		l.index[t.Code] = i
		where := fmt.Sprintf("code %q", t.Code)
		if !isCode(t.Code) {
			fail("%s: not a code (lower-case ASCII letters, digits and _, starting with a letter)", where)
		}
		checkLabels(where, t.Labels, fail)
		checkExternal(where, t.External, fail)
	}
	nodes := make([]node, len(l.Terms))
	for i, t := range l.Terms {
		nodes[i] = node{t.Code, t.Parent}
	}
	checkParents("code", nodes, fail)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &l, nil
}
