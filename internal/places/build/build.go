// Package build makes the gazetteer table, internal/places/data/gazetteer.tsv,
// from the shared OCHA and OpenSyria files (internal/places/gen writes it;
// a test in internal/places checks that the embedded copy is what Build
// makes).
//
// The table has one line per place, sorted by id, with tab-separated
// columns:
//
//	id level parent lat lon precision name_ar name_en aliases_ar aliases_en
//
// Aliases are separated by "|". Ids are OCHA P-codes: SYnn governorate,
// SYnnnn district, SYnnnnnn sub-district, Cnnnn community, Nnnnn city
// neighbourhood. Points are WGS84 with five decimals (about a metre);
// precision says what the point stands for (governorate_adm1,
// district_adm2, subdistrict, village_town_city, neighbourhood).
package build

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Levels and the precision of their points.
var precisionOf = map[string]string{
	"governorate":   "governorate_adm1",
	"district":      "district_adm2",
	"subdistrict":   "subdistrict",
	"community":     "village_town_city",
	"neighbourhood": "neighbourhood",
}

// place is one line of the table being built.
type place struct {
	id, level, parent string
	ar, en            string
	aliases           map[string]string // fold → spelling
	lat, lon          float64
	hasPoint          bool
	precision         string
}

func newPlace(id, level, parent, ar, en string) *place {
	p := &place{id: id, level: level, parent: parent, ar: clean(ar), en: clean(en),
		aliases: map[string]string{}, precision: precisionOf[level]}
	return p
}

// alias adds a name under which the place is also known, unless it is empty,
// not a name (see usableAlias) or one of the place's names already.
func (p *place) alias(s string) {
	s = clean(s)
	if !usableAlias(s) {
		return
	}
	k := fold(s)
	if k == "" || k == fold(p.ar) || k == fold(p.en) {
		return
	}
	if old, ok := p.aliases[k]; !ok || s < old {
		p.aliases[k] = s
	}
}

func (p *place) point(lat, lon string) {
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 == nil && err2 == nil && la != 0 && lo != 0 {
		p.lat, p.lon, p.hasPoint = la, lo, true
	}
}

// stats counts what Build did, for the generator to print.
type stats struct {
	byLevel                                map[string]int
	aliases                                int
	fromNeighbourhoods, byDistrict, byGov  int
	unmatched, borrowedPoint, subLocations int
	unmatchedIDs                           []string
}

// Build returns the table and a line of statistics.
func Build(dir string) ([]byte, string, error) {
	b := &builder{dir: dir, places: map[string]*place{}, cityParent: map[string]string{},
		st: stats{byLevel: map[string]int{}}}
	for _, step := range []func() error{b.admin, b.adminPoints, b.openSyria, b.neighbourhoods, b.communities} {
		if err := step(); err != nil {
			return nil, "", err
		}
	}
	b.borrowPoints()
	return b.table(), b.summary(), nil
}

type builder struct {
	dir    string
	places map[string]*place
	st     stats
	// Sub-districts by normalised (name, district name) and (name,
	// governorate code), English and Arabic, for placing communities.
	byDistrict, byGov map[[2]string]map[string]bool
	// Governorate codes by normalised district name.
	govOfDistrict map[string]map[string]bool
	// The sub-district of each city, from the neighbourhood table.
	cityParent map[string]string
	// Normalised names of the admin units (see adminNames).
	admins map[string]bool
}

func (b *builder) read(name string) ([]map[string]string, error) {
	return readCSV(filepath.Join(b.dir, name))
}

// admin reads the governorates, districts and sub-districts.
func (b *builder) admin() error {
	b.byDistrict, b.byGov = map[[2]string]map[string]bool{}, map[[2]string]map[string]bool{}
	b.govOfDistrict = map[string]map[string]bool{}
	for n, level := range []string{"governorate", "district", "subdistrict"} {
		rows, err := b.read(fmt.Sprintf("syr_admin%d.csv", n+1))
		if err != nil {
			return err
		}
		col := func(r map[string]string, s string) string { return r[fmt.Sprintf("adm%d_%s", n+1, s)] }
		for _, r := range rows {
			parent := ""
			if n > 0 {
				parent = r[fmt.Sprintf("adm%d_pcode", n)]
			}
			p := newPlace(col(r, "pcode"), level, parent, col(r, "name1"), col(r, "name"))
			for _, c := range []string{"name2", "name3", "ref_n"} {
				p.alias(col(r, c))
			}
			p.point(r["center_lat"], r["center_lon"])
			b.places[p.id] = p
			switch level {
			case "district":
				for _, k := range []string{normEN(p.en), normAR(p.ar)} {
					addSet(b.govOfDistrict, k, r["adm1_pcode"])
				}
			case "subdistrict":
				for _, c := range []string{"adm3_name", "adm3_name2", "adm3_name3", "adm3_ref_n"} {
					addSet(b.byDistrict, [2]string{normEN(r[c]), normEN(r["adm2_name"])}, p.id)
					addSet(b.byGov, [2]string{normEN(r[c]), r["adm1_pcode"]}, p.id)
				}
				addSet(b.byDistrict, [2]string{normAR(r["adm3_name1"]), normAR(r["adm2_name1"])}, p.id)
				addSet(b.byGov, [2]string{normAR(r["adm3_name1"]), r["adm1_pcode"]}, p.id)
			}
		}
	}
	return nil
}

// adminPoints takes the label point of each admin unit from
// syr_adminpoints.csv (in the 2020 edition it equals the centre columns of
// the boundary tables, which stay the fallback).
func (b *builder) adminPoints() error {
	rows, err := b.read("syr_adminpoints.csv")
	if err != nil {
		return err
	}
	for _, r := range rows {
		code := r[map[string]string{"1": "adm1_pcode", "2": "adm2_pcode", "3": "adm3_pcode"}[r["admin_leve"]]]
		if p := b.places[code]; p != nil && code != "" {
			p.point(r["y_coord"], r["x_coord"])
		}
	}
	return nil
}

// openSyria adds the names and aliases of the OpenSyria admin units, matched
// by their OCHA P-code.
func (b *builder) openSyria() error {
	type unit struct {
		Name        struct{ EN, AR string }
		Aliases     []struct{ Value string }
		ExternalIDs struct {
			OchaPcode string `json:"ochaPcode"`
		} `json:"externalIds"`
	}
	for _, name := range []string{"governorates.json", "districts.json", "subdistricts.json"} {
		raw, err := os.ReadFile(filepath.Join(b.dir, name))
		if err != nil {
			return err
		}
		var units []unit
		if err := json.Unmarshal(raw, &units); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for _, u := range units {
			p := b.places[u.ExternalIDs.OchaPcode]
			if p == nil {
				continue
			}
			p.alias(u.Name.EN)
			p.alias(u.Name.AR)
			for _, a := range u.Aliases {
				if a := stripDesignator(clean(a.Value)); !notAlias[p.id+" "+a] {
					p.alias(a)
				}
			}
		}
	}
	return nil
}

// notAlias lists OpenSyria aliases (by P-code and alias) that name
// something else: the Eastern and Western Ghouta are regions far larger
// than the sub-districts of Jaramana and Babbila; Hayalin is a village of
// al-Suqaylabiyah district, Mount Hermon a mountain above Beit Jinn, and
// "the gate of Tadef" no name of al-Bab.
var notAlias = map[string]bool{
	"SY030102 الغوطة الغربية": true, "SY030102 al Ghutah al Gharbiyah": true, "SY030102 al Ghūţah al Gharbīyah": true,
	"SY030103 الغوطة الشرقية": true, "SY030103 al Ghutah ash Sharqiyah": true, "SY030103 al Ghūţah ash Sharqīyah": true,
	"SY0502 حيالين": true, "SY030801 حرمون": true, "SY030801 Harmun": true, "SY0202 بوابة تادف": true,
}

// neighbourhoods reads the city neighbourhoods, which also give the parent
// sub-district of each city.
func (b *builder) neighbourhoods() error {
	rows, err := b.read("syr_neighborhoods.csv")
	if err != nil {
		return err
	}
	for _, r := range rows {
		id, city := r["neighbor_2"], r["adm4_pcode"]
		if !strings.HasPrefix(id, "N") || !strings.HasPrefix(city, "C") {
			continue
		}
		ar, en := splitAR(r["neighbor_1"]), splitHood(r["neighborho"])
		p := newPlace(id, "neighbourhood", city, first(ar), first(en))
		for _, a := range append(ar[min(1, len(ar)):], en[min(1, len(en)):]...) {
			p.alias(a)
		}
		if rest, ok := strings.CutPrefix(p.ar, "حي "); ok {
			p.alias(rest) // حي السريان
		}
		p.alias(r["neighbor_3"])
		alt, _, _ := strings.Cut(paren.ReplaceAllString(r["neighbor_4"], ""), " - ") // "Bayada - Aleppo"
		p.alias(alt)
		p.point(r["cent_lat"], r["cent_lon"])
		b.places[id] = p
		b.cityParent[city] = r["adm3_pcode"]
	}
	return nil
}

// communities reads the populated places and finds each one's sub-district.
func (b *builder) communities() error {
	rows, err := b.read("communities.csv")
	if err != nil {
		return err
	}
	cities := map[string]*place{} // by normalised English name, for sub-locations
	var subs []map[string]string
	for _, r := range rows {
		id := r["ocha_pcode"]
		if !strings.HasPrefix(id, "C") {
			continue // a point inside an admin unit, with no id of its own
		}
		if strings.Contains(r["name_en"], " : ") {
			subs = append(subs, r)
			continue
		}
		hEN, hAR := hierarchy(r["hierarchy_en"]), hierarchy(r["hierarchy_ar"])
		p := newPlace(id, "community", "", "", "")
		b.names(p, r["name_ar"], r["name_en"], hEN, hAR)
		p.point(r["lat"], r["lon"])
		p.parent = b.parentOf(id, hEN, hAR)
		b.places[id] = p
		if b.cityParent[id] != "" {
			cities[normEN(p.en)] = p
		}
	}
	for _, r := range subs {
		b.subLocation(r, cities)
	}
	return nil
}

// names sets a community's names from its cells. An alternative that is the
// name of a sub-district, district or governorate only tells homonyms apart
// (ابين- عفرين is Abin in Afrin, دير حنا / القرداحة is Deir Hanna in
// Qardaha) and is dropped; the English cell has an alternative only where the
// Arabic cell has one (Deir Hanna / Qerdaha is spelt unlike the district). In
// Afrin and Ain al-Arab the Arabic cell joins the Arabic and the Kurdish or
// Turkish name with "_", and the English hierarchy then has the second name
// in its second place.
func (b *builder) names(p *place, ar, en string, hEN, hAR []string) {
	skip := b.adminNames()
	for _, h := range hEN[max(1, len(hEN)-2):] {
		skip[normEN(h)] = true
	}
	for _, h := range hAR[max(1, len(hAR)-2):] {
		skip[normAR(h)] = true
	}
	arParts, enParts := splitAR(ar), splitEN(en)
	p.ar, p.en = first(arParts), first(enParts)
	kept := 0
	for _, a := range arParts[min(1, len(arParts)):] {
		if !skip[normAR(a)] {
			p.alias(a)
			kept++
		}
	}
	var alts []string
	if kept > 0 {
		alts = enParts[min(1, len(enParts)):]
		if strings.Contains(ar, "_") && len(hEN) == 4 {
			alts = append(alts, paren.ReplaceAllString(hEN[1], ""))
		}
	}
	for _, a := range alts {
		if !skip[normEN(a)] {
			p.alias(a)
		}
	}
}

// adminNames is a fresh set of the normalised names of every admin unit.
func (b *builder) adminNames() map[string]bool {
	if b.admins == nil {
		b.admins = map[string]bool{}
		for _, p := range b.places {
			if p.level != "community" && p.level != "neighbourhood" {
				b.admins[normEN(p.en)] = true
				b.admins[normAR(p.ar)] = true
			}
		}
	}
	set := make(map[string]bool, len(b.admins)+4)
	for k := range b.admins {
		set[k] = true
	}
	return set
}

// parentOf finds a community's sub-district. Cities take it from the
// neighbourhood table. Other communities name their sub-district and
// district in the hierarchy columns: first the sub-district of that name in
// that district (English, then Arabic); failing that, the one sub-district
// of that name in the district's governorate, which places the villages of
// the sub-districts that the 2020 boundaries moved from Banyas to the new
// Qadmous district.
func (b *builder) parentOf(id string, hEN, hAR []string) string {
	if c := b.cityParent[id]; c != "" {
		b.st.fromNeighbourhoods++
		return c
	}
	for _, inGov := range []bool{false, true} {
		for _, h := range [][]string{hEN, hAR} {
			if len(h) < 3 {
				continue
			}
			norm := normEN
			if isArabic(h[0]) {
				norm = normAR
			}
			sub, dist := norm(h[len(h)-2]), norm(h[len(h)-1])
			if !inGov {
				if p := only(b.byDistrict[[2]string{sub, dist}]); p != "" {
					b.st.byDistrict++
					return p
				}
			} else if gov := only(b.govOfDistrict[dist]); gov != "" {
				if p := only(b.byGov[[2]string{sub, gov}]); p != "" {
					b.st.byGov++
					return p
				}
			}
		}
	}
	b.st.unmatched++
	b.st.unmatchedIDs = append(b.st.unmatchedIDs, id)
	return ""
}

// subLocation adds a community whose row names a place inside a city
// ("HOMS : Ghajar", "مدينة حمص : الغجر"): it belongs to the city's
// sub-district, and without a point of its own takes the city's.
func (b *builder) subLocation(r map[string]string, cities map[string]*place) {
	cityEN, en, _ := strings.Cut(r["name_en"], " : ")
	_, ar, _ := strings.Cut(r["name_ar"], " : ")
	city := cities[normEN(cityEN)]
	p := newPlace(r["ocha_pcode"], "community", "", ar, en)
	p.point(r["lat"], r["lon"])
	if city != nil {
		p.parent = city.parent
		if !p.hasPoint {
			p.lat, p.lon, p.hasPoint = city.lat, city.lon, true
		}
	}
	b.places[p.id] = p
	b.st.subLocations++
}

// borrowPoints gives a place without a point its parent's, at the parent's
// precision.
func (b *builder) borrowPoints() {
	ids := b.ids()
	for changed := true; changed; {
		changed = false
		for _, id := range ids {
			p := b.places[id]
			if q := b.places[p.parent]; !p.hasPoint && q != nil && q.hasPoint {
				p.lat, p.lon, p.hasPoint, p.precision = q.lat, q.lon, true, q.precision
				b.st.borrowedPoint++
				changed = true
			}
		}
	}
}

func (b *builder) ids() []string {
	ids := make([]string, 0, len(b.places))
	for id := range b.places {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

const header = `# Tawthiq gazetteer: the places of Syria by OCHA P-code, one a line.
# Generated by internal/places/gen from ../shared/data/gazetteer. Do not edit: run
#   go run ./internal/places/gen
# Hand-added places and aliases are in added.tsv and aliases.tsv beside this file.
#
# Sources and licences:
#   OCHA, Syrian Arab Republic common operational datasets, via HDX (data.humdata.org):
#     administrative boundaries and points (syr_admin1-3, syr_adminpoints), city
#     neighbourhoods, populated places (communities). Licence CC BY 3.0 IGO; attribution
#     to OCHA is required.
#   OpenSyria Data Geography: governorates, districts and sub-districts with aliases
#     (names and aliases only). Licence CC BY 4.0; attribution to OpenSyria and its
#     source datasets is required.
#
# Columns (tab-separated; aliases separated by "|"):
# id	level	parent	lat	lon	precision	name_ar	name_en	aliases_ar	aliases_en
`

// table writes the places sorted by id.
func (b *builder) table() []byte {
	var sb strings.Builder
	sb.WriteString(header)
	for _, id := range b.ids() {
		p := b.places[id]
		var ar, en []string
		for _, a := range p.aliases {
			if isArabic(a) {
				ar = append(ar, a)
			} else {
				en = append(en, a)
			}
		}
		sort.Strings(ar)
		sort.Strings(en)
		b.st.byLevel[p.level]++
		b.st.aliases += len(ar) + len(en)
		fmt.Fprintf(&sb, "%s\t%s\t%s\t%.5f\t%.5f\t%s\t%s\t%s\t%s\t%s\n", p.id, p.level, p.parent,
			p.lat, p.lon, p.precision, field(p.ar), field(p.en), field(strings.Join(ar, "|")), field(strings.Join(en, "|")))
	}
	return []byte(sb.String())
}

func (b *builder) summary() string {
	s := b.st
	return fmt.Sprintf("%d places (%d governorates, %d districts, %d sub-districts, %d communities, %d neighbourhoods), %d aliases; "+
		"communities placed by neighbourhood table %d, by sub-district and district name %d, by sub-district name in the governorate %d, "+
		"city sub-locations %d, unmatched %d %v; points borrowed from the parent %d",
		len(b.places), s.byLevel["governorate"], s.byLevel["district"], s.byLevel["subdistrict"], s.byLevel["community"],
		s.byLevel["neighbourhood"], s.aliases, s.fromNeighbourhoods, s.byDistrict, s.byGov, s.subLocations, s.unmatched,
		s.unmatchedIDs, s.borrowedPoint)
}

// field keeps a cell free of the table's separators.
func field(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// hierarchy splits a hierarchy cell ("Abin - Efrin - Afrin - Afrin").
func hierarchy(s string) []string {
	parts := strings.Split(s, " - ")
	for i := range parts {
		parts[i] = clean(parts[i])
	}
	return parts
}

func addSet[K comparable](m map[K]map[string]bool, k K, v string) {
	if m[k] == nil {
		m[k] = map[string]bool{}
	}
	m[k][v] = true
}

// only is the one member of a set, or "".
func only(set map[string]bool) string {
	if len(set) != 1 {
		return ""
	}
	for k := range set {
		return k
	}
	return ""
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		m := map[string]string{}
		for i, h := range head {
			if i < len(rec) {
				m[strings.TrimPrefix(h, "\ufeff")] = rec[i]
			}
		}
		rows = append(rows, m)
	}
}
