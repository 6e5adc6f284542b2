// Package places is the gazetteer: every place of Syria the project knows,
// from governorate to city neighbourhood, with its Arabic and English names
// and their variants, its parent and a point. It answers which places
// contain which (Parent, Ancestors: a search in a governorate finds what
// happened in its towns), what a name may denote (Lookup), where place names
// are in a text (Find) and which of a name's places the text means
// (Resolve).
//
// Ids are OCHA P-codes: SYnn (governorate), SYnnnn (district), SYnnnnnn
// (sub-district) contain each other by prefix; communities (Cnnnn) and
// neighbourhoods (Nnnnn) have their parents in the embedded table
// data/gazetteer.tsv, which internal/places/gen builds from the OCHA and
// OpenSyria data. Places the tables lack are added by hand in
// data/added.tsv with ids of the project's own (TNnnnn), and names the
// tables lack in data/aliases.tsv.
//
// The invariant: everything is read from the embedded data once, on first
// use, and never changes after; every function is safe for concurrent use,
// and a place's id is stable (it is stored in records).
package places

import (
	_ "embed"
	"strings"
	"sync"
)

// Level is the kind of administrative unit a place is.
type Level string

// The levels, largest first.
const (
	Governorate   Level = "governorate"
	District      Level = "district"
	Subdistrict   Level = "subdistrict"
	Community     Level = "community"
	Neighbourhood Level = "neighbourhood"
)

// Admin: the level is an administrative unit (governorate, district or
// sub-district), not a settlement.
func (l Level) Admin() bool { return l == Governorate || l == District || l == Subdistrict }

// rank orders the levels, largest first.
func (l Level) rank() int {
	switch l {
	case Governorate:
		return 0
	case District:
		return 1
	case Subdistrict:
		return 2
	case Community:
		return 3
	case Neighbourhood:
		return 4
	}
	return 5
}

// Place is one place of the gazetteer.
type Place struct {
	ID     string
	Level  Level
	Parent string // the id of the place that directly contains it, or ""
	NameAR string
	NameEN string
	// Lat and Lon are a point for the place (WGS84): the label point of an
	// admin unit, the location of a community or the centre of a
	// neighbourhood.
	Lat, Lon float64
	// Precision says what the point stands for, in the vocabulary of
	// record.Place: governorate_adm1, district_adm2, subdistrict,
	// village_town_city or neighbourhood. A place known only to lie in a
	// larger one carries that one's point at its precision.
	Precision string
}

//go:embed data/gazetteer.tsv
var gazetteerTSV string

//go:embed data/added.tsv
var addedTSV string

//go:embed data/aliases.tsv
var aliasesTSV string

//go:embed data/common.tsv
var commonTSV string

var (
	once sync.Once
	gz   *gazetteer
)

// get returns the gazetteer, reading it on first use.
func get() *gazetteer {
	once.Do(func() {
		g, err := load(gazetteerTSV, addedTSV, aliasesTSV, commonTSV)
		if err != nil {
			// The data is embedded and checked by the tests: a bad line is a
			// bug in this package, not a condition a caller can handle.
			panic("places: " + err.Error())
		}
		gz = g
	})
	return gz
}

// Get returns the place with the given id.
func Get(id string) (Place, bool) {
	g := get()
	i, ok := g.byID[id]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

// Parent is the place that directly contains id, or "".
func Parent(id string) string {
	if isAdminPCode(id) {
		if len(id) > 4 {
			return id[:len(id)-2]
		}
		return ""
	}
	g := get()
	if i, ok := g.byID[id]; ok {
		return g.places[i].Parent
	}
	return ""
}

// Ancestors lists every place that contains id, nearest first.
func Ancestors(id string) []string {
	var out []string
	for p := Parent(id); p != "" && len(out) < 8; p = Parent(p) {
		out = append(out, p)
	}
	return out
}

// Lookup returns every place that name may denote, in any of its variants:
// Arabic with or without the article ال and whatever the hamza, ة/ه or ى/ي
// (الرقة, رقة, الرقه), English in any case and with or without an article
// (Raqqa, Ar-Raqqa, al-Raqqah), and the aliases. A leading place word
// (مدينة الرقة, حي المشلب, Raqqa city) is dropped when the whole finds
// nothing. Places come largest first, then by id; none is nil.
func Lookup(name string) []Place {
	g := get()
	idx := g.lookup[lookupKey(name)]
	if len(idx) == 0 {
		if bare, ok := stripPlaceWord(name); ok {
			idx = g.lookup[lookupKey(bare)]
		}
	}
	out := make([]Place, len(idx))
	for i, k := range idx {
		out[i] = g.places[k]
	}
	return out
}

// stripPlaceWord cuts a leading or trailing place word from a name.
func stripPlaceWord(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if w, rest, ok := strings.Cut(name, " "); ok {
		if _, d := designatorAR[foldWord(w)]; d {
			return rest, true
		}
		if _, d := designatorEN[strings.ToLower(w)]; d {
			return strings.TrimPrefix(strings.TrimSpace(rest), "of "), true
		}
	}
	if i := strings.LastIndexByte(name, ' '); i > 0 {
		if _, d := designatorEN[strings.ToLower(name[i+1:])]; d {
			return name[:i], true
		}
	}
	return "", false
}

// isAdminPCode: "SY" and 2, 4 or 6 digits.
func isAdminPCode(id string) bool {
	if !strings.HasPrefix(id, "SY") || len(id) != 4 && len(id) != 6 && len(id) != 8 {
		return false
	}
	for _, c := range id[2:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
