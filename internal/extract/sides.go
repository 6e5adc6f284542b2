package extract

import (
	"slices"
	"strings"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// joined: party a follows party p with only "و" / "and" / a comma
// between, or as "و" + name.
func (d *doc) joined(p, a match) bool {
	if d.sentence(p.i) != d.sentence(a.i) {
		return false
	}
	if a.i > p.j && a.i-p.j <= 3 && d.cover(partners)[p.j] {
		// "نفذت قسد بمشاركة مروحيات التحالف عملية إنزال", "Russian
		// jets, alongside Syrian army helicopters": a party taking part.
		return true
	}
	switch {
	case a.i == p.j:
		gap := d.text[d.terms[p.j-1].End:d.terms[a.i].Start]
		return strings.Contains(gap, ",") || strings.Contains(gap, "،") || strings.HasPrefix(d.word(a.i), "و") && !strings.HasPrefix(d.terms[a.i].Text, "و")
	case a.i > p.j && a.i-p.j <= 3:
		// "Hezbollah fighters and Syrian government forces", "rebel
		// factions and the Nusra Front": "and" among the units and stop
		// words between. "قوات النظام ومقاتلو حزب الله", "أحرقت قوات
		// النظام وعناصر من ميليشيا الدفاع الوطني", "الطائرات الحربية
		// الروسية وطائرات النظام": "و" on a unit or a weapon of the next
		// party. "فصائل المعارضة، ومنها جبهة النصرة", "including": one of
		// the parties named.
		title, kind := d.cover(titles), d.cover(kinds)
		and := false
		for k := p.j; k < a.i; k++ {
			w := d.word(k)
			switch {
			case w == "and" || w == "و" || strings.HasPrefix(w, "و") && (title[k] || kind[k]):
				and = true
			case including[d.terms[k].Text] && k == a.i-1:
				and = true
			case title[k] || d.terms[k].Stop:
			default:
				return false
			}
		}
		return and
	}
	return false
}

// partners join a party that takes part in another's act.
var partners = newLexicon()

func init() {
	partners.add("with", 1, "بمشاركة", "بمساندة", "بالاشتراك مع", "alongside", "with the participation of", "together with")
}

// including (as analysed) names a party as one of those before it:
// "فصائل المعارضة، ومنها «جبهة النصرة»", "rebels, including Ahrar
// al-Sham".
var including = map[string]bool{"ومنها": true, "منها": true, "بينها": true, "includ": true, "including": true}

// leads: in English, the party is the subject the sentence opens with,
// and an attack follows with no other party or claim between: "The
// SDF-affiliated council ordered 40 families to leave … and bulldozed
// six houses", "Government forces intensified their bombardment, hitting
// … with barrel bombs". A dateline before it is no part of the sentence
// ("BEIRUT (Reuters) - …"). An Arabic sentence that opens with the
// party, not with a verb, makes it the subject too: "الجيش التركي
// والفصائل الموالية له قصفوا، مساء الثلاثاء، بلدة أبو راسين".
func (d *doc) leads(a match, actors, attacks []match) bool {
	s := d.sentence(a.i)
	from := 0
	if s > 0 {
		from = d.ends[s-1] + 1
	}
	lead := d.text[from:d.terms[a.i].Start]
	if k := strings.LastIndexAny(lead, "])-—:"); k >= 0 {
		lead = lead[k+1:]
	}
	for _, w := range strings.Fields(lead) {
		if !arabic.IsStopWord(strings.ToLower(w)) {
			return false
		}
	}
	end := len(d.terms)
	subj := a
	for _, h := range actors {
		if h.i >= a.j && h.i < end {
			if d.joined(subj, h) {
				subj = h // a party joined to the subject shares it
				continue
			}
			end = h.i
		}
	}
	for _, c := range d.find(claimVerbs) {
		if c.i >= a.j && c.i < end {
			end = c.i
		}
	}
	for _, k := range attacks {
		if k.i >= a.j && k.i < end && d.sentence(k.i) == s {
			return true
		}
	}
	return false
}

// armed: the party's name opens the name of the attack ("a Turkish
// drone strike"): the attack is its weapon's. Not a party that is itself
// the weapon with no attack named ("the view of coalition aircraft").
func (d *doc) armed(a match, kindHits []match) bool {
	for _, k := range kindHits {
		if k.i < a.j && a.i < k.j && k.j > a.j {
			return true
		}
	}
	return false
}

// actsOn: the party is the subject of a verb of violence: right after it
// in Arabic, with units and bodies between ("داهمت عناصر من ميليشيات
// تابعة للحرس الثوري الإيراني", "اغتال مسلحون مجهولون"), right before it
// in English ("Coalition strikes hit …").
func (d *doc) actsOn(acts []match, a match) bool {
	for _, v := range acts {
		if d.sentence(v.i) != d.sentence(a.i) {
			continue
		}
		if isLatin(d.terms[v.i].Text) {
			if v.i >= a.j && v.i-a.j <= 1 {
				return true
			}
			continue
		}
		if v.j <= a.i {
			reach := 1
			if d.terms[v.i].Text == "فجر" {
				// "فجّر" (blew up) is written as "فجر" (dawn): its subject
				// must follow at once ("فجّر عناصر من التنظيم", not "فجر
				// اليوم، قوات النظام").
				reach = 0
			}
			if h, _ := d.subject([]match{a}, v, true, reach); h == 0 {
				return true
			}
		}
	}
	return false
}

// acts are the verbs of violence of d. The analyser folds an English
// verb and its noun together (forced, forces; fired, fire; attacked,
// attacks): an English one counts only written as one of the lexicon's
// words ("Turkish forces" is no act, "forced residents" is).
func (d *doc) acts() []match {
	var out []match
	for _, v := range d.find(actVerbs) {
		if isLatin(d.terms[v.i].Text) && !actWords[strings.ToLower(d.word(v.i))] {
			continue
		}
		out = append(out, v)
	}
	return out
}

// fighterLosses: the report has fighters killed or wounded ("مقتل ١٨
// عنصراً", "killing five fighters").
func (d *doc) fighterLosses() bool {
	if d.losses == 0 {
		d.losses = 1
		if d.findLosses() {
			d.losses = 2
		}
	}
	return d.losses == 2
}

// findLosses computes fighterLosses.
func (d *doc) findLosses() bool {
	var fighters []int
	for _, c := range d.find(categories) {
		if c.value == "fighters" {
			fighters = append(fighters, c.i)
		}
	}
	// Members of what was hit are its fighters: "ambushed a General
	// Security patrol, killing four of its members", "مقتل ثلاثة من
	// أعضاء الدورية".
	for k, t := range d.terms {
		if memberNoun(t.Text) {
			fighters = append(fighters, k)
		}
	}
	for _, o := range d.find(outcomes) {
		if o.value != "killed" && o.value != "injured" {
			continue
		}
		for _, f := range fighters {
			if d.sentence(f) == d.sentence(o.i) && f-o.i <= 4 && o.i-f <= 5 {
				return true
			}
		}
	}
	return false
}

// clashRoles: the sides of a clash are each a perpetrator, and each a
// victim side when the dead are "من الطرفين": "اشتباكات بين «هيئة تحرير
// الشام» و«حركة نور الدين الزنكي»", "SDF fighters battled Islamic
// State".
func (d *doc) clashRoles(actors []match, roles []map[string]float64) {
	d.sides = make([]bool, len(actors))
	mark := func(ai int) {
		d.sides[ai] = true
		roles[ai]["perpetrator"] = 0.6
		if len(d.find(bothSides)) > 0 {
			roles[ai]["victim_side"] = 0.5
		}
	}
	for _, c := range d.find(clashes) {
		s := d.sentence(c.i)
		// A party whose men fell in the clash fought it: "قُتل ١١ عنصراً
		// من قوات الأمن العام … في اشتباكات", "killing four of its members
		// and sparking clashes".
		for ai, a := range actors {
			if d.sentence(a.i) == s && roles[ai]["victim_side"] > 0 {
				mark(ai)
			}
		}
		if c.value == "with" || c.value == "between" && !d.clashBetween(actors, c, mark) {
			d.clashWith(actors, roles, c, mark)
			continue
		}
		if c.value == "between" {
			continue
		}
		if d.cover(partners)[min(c.j, len(d.terms)-1)] {
			continue // "who had fought alongside government forces": allies
		}
		// "X battled Y": the parties right before and after the verb.
		for ai, a := range actors {
			if d.sentence(a.i) == s && (a.j <= c.i && c.i-a.j <= 2 || a.i >= c.j && a.i-c.j <= 2) {
				mark(ai)
			}
		}
	}
}

// clashWith marks the sides of "clashes with X": X, and the party that
// fought it, the nearest named before the clash in its sentence and not
// merely holding or hit there: "سيطرت قوات النظام ومقاتلو «حزب الله» …
// بعد معارك عنيفة استمرت أكثر من شهر مع فصائل المعارضة", "rebel
// factions and the Nusra Front captured it following heavy fighting with
// government forces".
func (d *doc) clashWith(actors []match, roles []map[string]float64, c match, mark func(int)) {
	s := d.sentence(c.i)
	with := d.wordAfter(c, 6, "مع", "with")
	if with < 0 || d.cover(partners)[with] {
		return
	}
	title := d.cover(titles)
	other, before := -1, -1
	for ai, a := range actors {
		if d.sentence(a.i) != s {
			continue
		}
		if a.j <= c.i {
			before = ai
		}
		if other < 0 && a.i > with && a.i-with <= 4 {
			other = ai
			for k := with + 1; k < a.i; k++ {
				if !title[k] && !d.terms[k].Stop {
					other = -1
				}
			}
		}
	}
	if other < 0 {
		return
	}
	mark(other)
	if before >= 0 && roles[before]["other"] == 0 {
		mark(before)
	}
}

// clashBetween marks the sides of "clashes between X and Y": the two
// parties after "بين"; false when no "between" follows the clash.
func (d *doc) clashBetween(actors []match, c match, mark func(int)) bool {
	s := d.sentence(c.i)
	// "clashes between X and Y": the two parties after "بين".
	between := d.wordAfter(c, 5, "بين", "between")
	if between < 0 {
		return false
	}
	// The first two parties after it, over the bodies a side is
	// made of: "بين «الفيلق الثالث» التابع لـ«الجيش الوطني السوري»
	// من جهة، و«هيئة تحرير الشام» من جهة أخرى".
	var sides []string
	aff := d.cover(affiliated)
	for ai, a := range actors {
		if a.i <= between || a.i-between > 16 || d.sentence(a.i) != s {
			continue
		}
		if len(sides) == 2 && !slices.Contains(sides, a.value) || len(sides) > 0 && aff[max(0, a.i-1)] {
			continue
		}
		if !slices.Contains(sides, a.value) {
			sides = append(sides, a.value)
		}
		mark(ai)
	}
	return true
}

// wordAfter is the first of words within n terms after m in its sentence,
// or -1.
func (d *doc) wordAfter(m match, n int, words ...string) int {
	s := d.sentence(m.i)
	for k := m.j; k < min(m.j+n, len(d.terms)) && d.sentence(k) == s; k++ {
		for _, w := range words {
			if d.terms[k].Text == w {
				return k
			}
		}
	}
	return -1
}
