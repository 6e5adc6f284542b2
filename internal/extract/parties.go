package extract

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// foreignArmy: a bare army with a nationality that names no party of
// the vocabulary: "الجيش اللبناني", "the Iraqi army".
func (d *doc) foreignArmy(a match) bool {
	if a.j != a.i+1 {
		return false
	}
	switch d.terms[a.i].Text {
	case "جيش":
		if a.j < len(d.terms) {
			w := strings.TrimSuffix(arabic.Normalize(d.word(a.j)).Text, "ه")
			return strings.HasPrefix(w, "ال") && strings.HasSuffix(w, "ي") && w != "السوري"
		}
	case "armi":
		k := a.i - 1
		if k > 0 && d.terms[k].Text == "s" {
			// The possessive names the country: "Jordan's army", as
			// "الجيش الأردني".
			k--
		}
		if k >= 0 {
			w := d.word(k)
			return d.capitalized(k) && w != "Syrian" && w != "Syria" && w != "The" && w != "Army"
		}
	}
	return false
}

// syrianNamed: the state body's name says it is Syrian ("وزارة الخارجية
// السورية", "Syrian officials").
func (d *doc) syrianNamed(a match) bool {
	for k := a.i; k < a.j; k++ {
		if t := d.terms[k].Text; strings.Contains(t, "سوري") || strings.HasPrefix(t, "syria") {
			return true
		}
	}
	return false
}

// syrianState stands, in the lexicon, for a body of the Syrian state
// named without its government: "وزارة الخارجية السورية", "محافظ حمص",
// "the Foreign Ministry", "a Syrian official".
const syrianState = "syrian_state"

// assadFell is when the Assad government fell: the Syrian state's bodies
// are its forces before, the transitional government's after.
var assadFell = time.Date(2024, 12, 8, 0, 0, 0, 0, time.UTC)

// stateOf is the party a body of the Syrian state stands for on the
// report's date.
func stateOf(published time.Time) string {
	if published.Before(assadFell) {
		return "syrian_government"
	}
	return "syrian_transitional_government"
}

// partyOutlet maps the outlets that speak for a party to the party.
var partyOutlet = map[string]string{"amaq": "isis"}

// transitionalSince is when the forces of the Syrian transitional
// government began (the vocabulary's syrian_transitional_government).
var transitionalSince = time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)

// parties finds the parties named in d: the lexicon's names, less those
// that name nothing here, and the short forms that repeat a party named
// before.
func (x *Extractor) parties(d *doc, kindHits []match, published time.Time) []match {
	kindAt := map[int]bool{}
	for _, k := range kindHits {
		kindAt[k.i] = true
	}
	hits := x.actors.find(d.terms)
	kept := hits[:0]
	for _, a := range hits {
		single := a.j == a.i+1
		w := d.word(a.i)
		switch {
		case a.value == "syrian_transitional_government" && published.Before(transitionalSince):
			// The transitional government's forces exist from December
			// 2024: before that, its names ("الأمن العام") mean something
			// else.
			continue
		case single && d.terms[a.i].Stop && w != strings.ToUpper(w):
			// An acronym that is also a word counts only in capitals: "IS",
			// not "is".
			continue
		case notParty[strings.TrimPrefix(arabic.Normalize(d.word(a.j-1)).Text, "و")]:
			// The name's last word is another word of the same stem:
			// "عناصر التنظيمات الإرهابية", "قوات نظامية".
			continue
		case single && a.article && d.definite(a.i) == "":
			// A one-word name with the article is a common noun without
			// it: "التحالف" is the coalition, "تحالف من المقاتلين" is not.
			continue
		case single && (a.i > 0 && !isLatin(d.terms[a.i].Text) && d.cover(civilNouns)[a.i-1] || a.j < len(d.terms) && isLatin(d.terms[a.i].Text) && d.cover(civilNouns)[a.j]):
			// A nationality that qualifies a civilian thing names no
			// forces: "المشافي التركية", "the Turkish border".
			continue
		case modifierOnly[d.terms[a.i].Text] && single && !(a.j < len(d.terms) && (kindAt[a.j] || d.cover(holdersAfter)[a.j] || held[d.terms[a.j].Text] || targetNouns[d.terms[a.j].Text])):
			// "government", "opposition" name a party only before an
			// attack, a holding or what it holds: "government siege",
			// "opposition-held", "returned to government control",
			// "strikes on government positions".
			continue
		case single && d.terms[a.i].Text == "نظام" && (a.i > 0 && d.terms[a.i-1].Text == "حفظ" || a.j < len(d.terms) && d.terms[a.j].Text == "عام"):
			// Order, not the regime: "عناصر حفظ النظام" (the police of
			// public order), "الإخلال بالنظام العام"; in English "law and
			// order" names nobody either.
			continue
		case single && d.borderWith(a):
			// A country named as the other side of a border is a place:
			// "المخيمات الحدودية مع تركيا", "the border with Jordan".
			continue
		case single && d.inOrgName(a):
			// A nationality inside an organisation's name: "the Syrian
			// American Medical Society", "جمعية الأطباء السوريين الأمريكيين".
			continue
		case a.value == syrianState && d.terms[a.i].Text == "محافظ" && strings.TrimPrefix(arabic.Normalize(w).Text, "و") != "محافظ":
			// The governor (محافظ حمص), not the governorate (محافظة حمص).
			continue
		}
		kept = append(kept, a)
	}
	hits = kept
	// A state body next to another party's name is that party's: "وزارة
	// الدفاع الروسية", "the Turkish defence ministry", "Turkey's defence
	// ministry", "الجيش التركي"; named alone it is the Syrian state's.
	kept = hits[:0]
	for k, a := range hits {
		if a.value == syrianState {
			// Not a name that says it is Syrian ("وزارة الخارجية السورية"),
			// nor one set off from the next by quotes ("اتهمت وزارة الخارجية
			// السورية «جبهة النصرة»": the next party is the object).
			next := k+1 < len(hits) && hits[k+1].i == a.j && !d.syrianNamed(a) && !strings.ContainsAny(d.text[d.terms[a.j-1].End:d.terms[a.j].Start], "«\"“(")
			prev := k > 0 && (hits[k-1].j == a.i || hits[k-1].j == a.i-1 && d.terms[a.i-1].Text == "s")
			if next || prev || d.foreignArmy(a) {
				continue
			}
			a.value = stateOf(published)
		}
		kept = append(kept, a)
	}
	hits = kept
	// The unknown author of an attack: "لم تعرف الجهة المسؤولة عن
	// التفجير", "unknown assailants".
	for _, u := range d.find(unknownAuthor) {
		if isLatin(d.terms[u.i].Text) || slices.Contains(d.cover(negations)[max(0, u.i-5):u.i], true) {
			w := -1.0
			if u.value == "unclaimed" {
				w = unclaimed
			}
			hits = append(hits, match{i: u.i, j: u.j, value: "unidentified", weight: w})
		}
	}
	return d.anaphors(hits, x.nonState)
}

// unclaimed weighs the hit of an attack nobody claimed: its author is
// unknown only if nobody else is named as its author (see Extract).
const unclaimed = -2

// inOrgName: one-word party a stands inside a proper name that ends in an
// organisation noun: in English between capitalised words ("the Syrian
// American Medical Society", "the Kurdish Red Crescent"), in Arabic after
// such a noun ("الجمعية الطبية السورية الأمريكية").
func (d *doc) inOrgName(a match) bool {
	if isLatin(d.terms[a.i].Text) {
		if a.i == 0 || !d.capitalized(a.i-1) || d.terms[a.i-1].Stop || d.clauseEnds(a.i) {
			return false
		}
		for k := a.j; k < min(a.j+3, len(d.terms)) && d.capitalized(k) && !d.clauseEnds(k); k++ {
			if orgNouns[d.terms[k].Text] {
				return true
			}
		}
		return false
	}
	for k := a.i - 1; k >= max(0, a.i-3); k-- {
		w := arabic.Normalize(d.word(k)).Text
		for _, n := range orgNounsAR {
			if strings.Contains(w, n) {
				return true
			}
		}
	}
	return false
}

// borderWith: the party follows "مع" / "with" after a border word:
// "باتجاه المخيمات الحدودية مع تركيا", "near the border with Turkey".
func (d *doc) borderWith(a match) bool {
	if a.i < 2 || d.sentence(a.i-2) != d.sentence(a.i) {
		return false
	}
	switch d.terms[a.i-1].Text {
	case "مع", "with":
	default:
		return false
	}
	w := strings.ToLower(arabic.Normalize(d.word(a.i - 2)).Text)
	return strings.Contains(w, "حدود") || w == "border" || w == "borders" || w == "frontier"
}

// orgNouns (stemmed) name a civil organisation.
var orgNouns = map[string]bool{"societi": true, "association": true, "union": true, "foundation": true,
	"committe": true, "institut": true, "relief": true, "crescent": true}

// orgNounsAR are the same nouns as written (normalised) in Arabic.
var orgNounsAR = []string{"جمعيه", "منظمه", "اتحاد", "رابطه", "موسسه"}

// notParty are words that share their stem with a party's name but are
// not the party: "غير نظامية" (irregular), not "النظام"; "وترك" (and
// left), not "تركيا".
var notParty = map[string]bool{"نظاميه": true, "نظامي": true, "النظاميه": true, "النظامي": true, "نظاميين": true, "ترك": true,
	// "التنظيمات الإرهابية" are organisations, not the Organisation.
	"التنظيمات": true, "تنظيمات": true, "للتنظيمات": true, "بالتنظيمات": true}

// held (stemmed) is what a party holds: "government control".
var held = map[string]bool{"control": true, "territori": true, "territory": true, "area": true}

// modifierOnly are names that name a party only as a modifier of an
// attack or a holding.
var modifierOnly = map[string]bool{"government": true, "opposition": true}

// anaphors adds to hits the short forms that repeat a party named
// before: in Arabic the head noun of its name with the article ("هيئة
// تحرير الشام … وأقرت الهيئة", "حركة نور الدين الزنكي … الحركة"); in
// English "the group", "the faction" for the last armed group named, if
// no outlet was named since ("Islamic State beheaded … The group later
// posted pictures").
func (d *doc) anaphors(hits []match, nonState map[string]bool) []match {
	sort.Slice(hits, func(a, b int) bool { return hits[a].i < hits[b].i })
	taken := map[int]bool{}
	for _, h := range hits {
		for k := h.i; k < h.j; k++ {
			taken[k] = true
		}
	}
	heads := map[string]string{} // stem of a name's first word → party
	lastGroup, lastGroupEnd := "", -1
	// owner: the party last named with a group noun ("Iranian-backed
	// militias … the militias" are Iran's, not the last armed group's).
	owner := map[string]string{}
	var out []match
	next := 0
	for k := range d.terms {
		for next < len(hits) && hits[next].i <= k {
			h := hits[next]
			if h.j-h.i > 1 && !isLatin(d.terms[h.i].Text) {
				if s := arabic.Stem(strings.TrimPrefix(arabic.Normalize(d.word(h.i)).Text, "و")); len([]rune(s)) >= 3 && !genericHeads[s] {
					heads[s] = h.value
				}
			}
			if nonState[h.value] {
				lastGroup, lastGroupEnd = h.value, h.j
			}
			for e := h.i; e <= h.j && e < len(d.terms); e++ {
				if t := d.terms[e].Text; groupNouns[t] {
					owner[t] = h.value
				}
			}
			next++
		}
		if taken[k] {
			continue
		}
		if lastGroup != "" && d.cover(outlets)[k] {
			lastGroup = ""
		}
		if len(heads) > 0 {
			code, ok := heads[d.terms[k].Text]
			if w := d.word(k); !ok && (strings.HasPrefix(w, "لل") || strings.HasPrefix(w, "ولل")) {
				code, ok = heads[d.definite(k)] // للهيئة
			}
			if ok && d.definite(k) != "" {
				out = append(out, match{i: k, j: k + 1, value: code})
				continue
			}
		}
		if k > 0 && strings.EqualFold(d.word(k-1), "the") && groupNouns[d.terms[k].Text] {
			if v, ok := owner[d.terms[k].Text]; ok {
				out = append(out, match{i: k - 1, j: k + 1, value: v})
			} else if lastGroup != "" && k > lastGroupEnd {
				out = append(out, match{i: k - 1, j: k + 1, value: lastGroup})
			}
		}
	}
	hits = append(hits, out...)
	sort.Slice(hits, func(a, b int) bool { return hits[a].i < hits[b].i })
	return hits
}

// genericHeads head the names of many parties ("قوات النظام", "قوات
// سوريا الديمقراطية", "عناصر التنظيم"): alone they repeat none.
var genericHeads = map[string]bool{"قوات": true, "عناصر": true, "مقاتل": true, "ميليش": true, "مليش": true}

// groupNouns (stemmed) stand for an armed group named before.
var groupNouns = map[string]bool{"group": true, "faction": true, "organisation": true, "organization": true, "militia": true}
