package extract

import (
	"strings"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// nearest returns the index of the hit in hits closest to m in the same
// sentence, at most after terms after m or before terms before it; -1 if
// none. Hits after m win ties (Arabic puts the subject after the verb).
func (d *doc) nearest(hits []match, m match, after, before int) int {
	best, bestDist := -1, 1<<30
	s := d.sentence(m.i)
	for k, h := range hits {
		if d.sentence(h.i) != s || h.i == m.i {
			continue
		}
		var dist int
		switch {
		case h.i >= m.j:
			dist = h.i - m.j
			if dist > after {
				continue
			}
		case h.j <= m.i:
			dist = m.i - h.j
			if dist > before {
				continue
			}
			dist++ // after wins ties
		default:
			continue // overlapping
		}
		if dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

// precededBy reports whether a cue ends at most n terms before m.
func (d *doc) precededBy(cues []match, m match, n int) bool {
	for _, c := range cues {
		if c.j <= m.i && m.i-c.j <= n && d.sentence(c.i) == d.sentence(m.i) {
			return true
		}
	}
	return false
}

// victimSide: the party's own members are the victims ("مقتل عشرات من
// عناصر التنظيم", "killing ISIS fighters").
func (d *doc) victimSide(a match) bool {
	s := d.sentence(a.i)
	fighters, killed := false, false
	for k := max(0, a.i-4); k < a.i; k++ {
		if d.sentence(k) != s {
			continue
		}
		for _, c := range categories.find(d.terms[k : k+1]) {
			if c.value == "fighters" {
				fighters = true
			}
		}
		for _, o := range outcomes.find(d.terms[k : k+1]) {
			if (o.value == "killed" || o.value == "injured") && !d.objectPronoun(k) {
				killed = true
			}
		}
	}
	if fighters && killed {
		return true
	}
	if d.memberKilled(a) {
		return true
	}
	// "مقتل العشرات من التنظيم", "killing dozens of the militia": the
	// dead are from the party.
	if a.i > 0 && (d.terms[a.i-1].Text == "من" || d.terms[a.i-1].Text == "of" || d.terms[a.i-1].Text == "from") && killed {
		return true
	}
	// English: "ISIS fighters were killed", "killing 12 ISIS members";
	// after the party the outcome is passive: "ISIS militants executed
	// five men" are the killers.
	if a.j < len(d.terms) {
		for _, c := range categories.find(d.terms[a.j:min(a.j+1, len(d.terms))]) {
			if c.value == "fighters" {
				for k := max(0, a.i-4); k < min(len(d.terms), a.j+4); k++ {
					for _, o := range outcomes.find(d.terms[k : k+1]) {
						if (o.value == "killed" || o.value == "injured") && (k < a.i || d.passive(k)) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// objectPronoun: Arabic word k carries a plural pronoun (أعدمهم، قتلهم،
// مقتلهم): its object or owner is said, so a party after it is not who
// was killed but the verb's subject: "جثث ٦٧ مدنياً أعدمهم عناصر تنظيم
// داعش" (in English the object follows: "executed them").
func (d *doc) objectPronoun(k int) bool {
	w := arabic.Normalize(d.word(k)).Text
	return !isLatin(d.terms[k].Text) && (strings.HasSuffix(w, "هم") || strings.HasSuffix(w, "هما") || strings.HasSuffix(w, "هن")) &&
		!strings.HasSuffix(d.terms[k].Text, "هم")
}

// memberKilled: a commander or member of the party is among the dead or
// wounded: "مقتل ٣ أشخاص بينهم قيادي في وحدات حماية الشعب", "مقتل أحد
// قياديي التنظيم", "killing five people, including a commander of the
// SDF". Not a former member ("قيادياً سابقاً في فصائل المعارضة").
func (d *doc) memberKilled(a match) bool {
	if isLatin(d.terms[a.i].Text) && a.j < len(d.terms) && memberNoun(d.terms[a.j].Text) {
		// English puts the party first: "it had killed a Hezbollah
		// operative", "an SDF commander was wounded".
		s := d.sentence(a.i)
		for j := max(0, a.i-8); j < min(len(d.terms), a.j+4); j++ {
			if d.sentence(j) != s || j >= a.i && j <= a.j {
				continue
			}
			for _, o := range outcomes.find(d.terms[j : j+1]) {
				if (o.value == "killed" || o.value == "injured") && (j < a.i || d.passive(j)) {
					return true
				}
			}
		}
	}
	k := a.i - 1
	if k >= 0 && d.terms[k].Stop {
		k--
	}
	if k < 0 || d.sentence(k) != d.sentence(a.i) {
		return false
	}
	reach := 8
	switch {
	case memberNoun(d.terms[k].Text):
	case d.countedFighters(k):
		reach = 10
	default:
		return false
	}
	for j := k - 1; j >= max(0, k-reach) && d.sentence(j) == d.sentence(k); j-- {
		for _, o := range outcomes.find(d.terms[j : j+1]) {
			if o.value == "killed" || o.value == "injured" {
				return true
			}
		}
	}
	return false
}

// countedFighters: Arabic term k is a word for fighters that a number
// counts, right before it or before "من": the counted dead of the party
// that follows, not the subject of a verb: "غارة إسرائيلية قتلت، فجر
// الأحد، ثلاثة عناصر من «حزب الله»", "قُتل فيها ١٤ عنصراً من الجيش
// السوري وتسعة من مقاتلي الجيش الحر" (in English the party comes first:
// "seven SDF fighters").
func (d *doc) countedFighters(k int) bool {
	if isLatin(d.terms[k].Text) {
		return false
	}
	fighters := false
	for _, c := range categories.find(d.terms[k : k+1]) {
		fighters = fighters || c.value == "fighters"
	}
	if !fighters || k == 0 {
		return false
	}
	n := k - 1
	if d.terms[n].Text == "من" && n > 0 {
		n--
	}
	if d.sentence(n) != d.sentence(k) {
		return false
	}
	nums := arabic.Numbers(d.word(n))
	return len(nums) > 0 && nums[0].Value > 0
}

// memberNoun (stemmed): a commander or member of a party.
func memberNoun(t string) bool {
	switch t {
	case "قيادي", "قياد", "قايد", "عضو", "اعضاء", "commander", "leader", "member", "operativ":
		return true
	}
	return false
}

// passive: an English verb k in the passive ("were killed", "had been
// wounded").
func (d *doc) passive(k int) bool {
	if strings.HasSuffix(strings.ToLower(d.word(k)), "ing") {
		return false // progressive: "its aircraft were striking"
	}
	for j := k - 1; j >= max(0, k-2); j-- {
		switch strings.ToLower(d.word(j)) {
		case "was", "were", "been", "be", "are", "is":
			return true
		}
	}
	return false
}

// onlyActor: no other party is named in the sentence of actor hit ai.
func (d *doc) onlyActor(actors []match, ai int) bool {
	s := d.sentence(actors[ai].i)
	for k, a := range actors {
		if k != ai && a.value != actors[ai].value && d.sentence(a.i) == s {
			return false
		}
	}
	return true
}

// firstBefore is the first hit of m's sentence that ends before m, or -1.
func (d *doc) firstBefore(hits []match, m match) int {
	s := d.sentence(m.i)
	for k, h := range hits {
		if h.j <= m.i && d.sentence(h.i) == s {
			return k
		}
	}
	return -1
}

// sentenceHas reports whether a term of m's sentence begins with one of
// the prefixes.
func (d *doc) sentenceHas(m match, prefixes ...string) bool {
	s := d.sentence(m.i)
	for k := range d.terms {
		if d.sentence(k) != s {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(d.terms[k].Text, p) {
				return true
			}
		}
	}
	return false
}

// targeted: the party is what an attack hit ("استهدف قوافل لداعش",
// "struck ISIS positions"): a target verb or noun shortly before it.
func (d *doc) targeted(a match, kindHits []match) bool {
	s := d.sentence(a.i)
	if isLatin(d.terms[a.i].Text) && a.j < len(d.terms) && targetNouns[d.terms[a.j].Text] {
		// English names the party's positions after it: "drone strikes
		// on government positions", "shelled SDF checkpoints".
		for _, h := range append(append([]match(nil), kindHits...), d.find(hitWords)...) {
			if h.j <= a.i && a.i-h.j <= 3 && d.sentence(h.i) == s {
				return true
			}
		}
	}
	for k := a.i - 1; k >= max(0, a.i-4); k-- {
		if d.sentence(k) != s {
			break
		}
		inKind := false
		for _, h := range kindHits {
			if h.i <= k && k < h.j {
				inKind = true
			}
		}
		if inKind && !isLatin(d.terms[k].Text) {
			return false // "استهدفت طائرات حربية روسية": the attack names its author
		}
		switch d.terms[k].Text {
		case "استهدف", "استهدفت":
			// Arabic puts the subject after the verb: "استهدفت قوات
			// النظام …" names the attacker; a target comes later.
			if k == a.i-1 {
				return false
			}
			return true
		case "مستهدف", "مواقع", "موقع", "قوافل", "قافل", "مقرات", "مقر", "نقاط", "تجمعات", "حاجز", "دوري", "مستودع",
			"target", "targeted", "targeting", "position", "positions", "convoy", "convoys", "against", "checkpoint", "patrol",
			"depot", "depots", "base", "bases", "headquart", "ثكن", "barrack",
			// Its targets: "دمّرت ٤٢ هدفاً للتنظيم", "destroyed 42 ISIS targets".
			"هدف", "اهداف":
			return true
		case "hit", "struck", "bomb", "bombed", "shell", "shelled", "raid", "raided", "attack", "attacked", "ambush", "strik":
			// An English verb of hitting before the party, in the active,
			// has it as its object: "Syrian jets had hit a rebel
			// warehouse"; not "were hit in coalition strikes".
			if !d.passive(k) {
				return true
			}
		}
	}
	return false
}

// targetNouns (stemmed) are what of a party an attack hits.
var targetNouns = map[string]bool{"position": true, "base": true, "checkpoint": true, "convoy": true, "patrol": true,
	"headquarter": true, "depot": true, "target": true}

// attacker: the party is named right after an attack ("قصف مدفعي لقوات
// النظام", "غارات روسية") or right before it ("Russian jets struck",
// "قوات النظام قصفت").
func (d *doc) attacker(kindHits []match, a match) bool {
	for _, k := range kindHits {
		if d.sentence(k.i) != d.sentence(a.i) {
			continue
		}
		if a.i >= k.j && a.i-k.j <= 2 || k.i >= a.j && k.i-a.j <= 2 && !(d.instrumental(k) && d.governed(a)) && !d.temporalBetween(a.j, k.i) {
			return true
		}
	}
	return false
}

// temporalBetween: a temporal conjunction stands in terms [from, to):
// what follows opens another clause, so the party before it is not the
// attack's subject: "نزحوا باتجاه المخيمات الحدودية مع تركيا، بعد غارات
// روسية", "families fled towards Turkey after Russian strikes".
func (d *doc) temporalBetween(from, to int) bool {
	for k := from; k < to; k++ {
		switch strings.TrimPrefix(arabic.Normalize(d.word(k)).Text, "و") {
		case "بعد", "قبل", "اثر", "عقب", "after", "before", "following":
			return true
		}
	}
	return false
}

// instrumental: an Arabic attack noun with ب says how the main verb was
// done; a party before it that a preposition governs is then the verb's
// object, not the attack's author: "اغتال مسلحون قيادياً في فصائل
// المعارضة بإطلاق النار عليه" (but "وردّ الجيش التركي بقصف مدفعي": the
// subject). In English "killed a member of the SDF by shooting him".
func (d *doc) instrumental(k match) bool {
	w := strings.TrimPrefix(arabic.Normalize(d.word(k.i)).Text, "و")
	return !isLatin(d.terms[k.i].Text) && strings.HasPrefix(w, "ب") && !strings.HasPrefix(d.terms[k.i].Text, "ب")
}

// governed: a preposition stands right before the party ("في فصائل
// المعارضة", "of the SDF").
func (d *doc) governed(a match) bool {
	if a.i == 0 {
		return false
	}
	switch d.terms[a.i-1].Text {
	case "في", "من", "على", "of", "in", "from":
		return true
	}
	w := strings.TrimPrefix(arabic.Normalize(d.word(a.i)).Text, "و")
	return strings.HasPrefix(w, "لل") || strings.HasPrefix(w, "بال") || strings.HasPrefix(w, "في")
}

// attackRoles is what the attacks of the report make each party: the
// perpetrator or the victim side (role → confidence); an empty map when
// nothing says.
func (d *doc) attackRoles(actors, kindHits, cueHits []match) []map[string]float64 {
	roles := make([]map[string]float64, len(actors))
	holdBefore := d.find(holdersBefore)
	holdAfter := d.cover(holdersAfter)
	acts := d.acts()
	for ai, a := range actors {
		roles[ai] = map[string]float64{}
		set := func(role string, conf float64) { roles[ai][role] = conf }
		held := d.precededBy(holdBefore, a, 1) || d.heldAfter(holdAfter, a)
		switch {
		case a.weight == unclaimed:
		case a.weight < 0:
			set("perpetrator", 0.6) // "لم تعرف الجهة المسؤولة"
		case d.cued(cueHits, a) && !held, d.behind(a):
			set("perpetrator", 0.8)
		case a.i > 0 && (d.terms[a.i-1].Text == "استهدف" || d.terms[a.i-1].Text == "استهدفت"):
			set("perpetrator", 0.7)
		case d.victimSide(a):
			set("victim_side", 0.6)
		case d.jailer(a, kindHits):
			set("perpetrator", 0.6)
		case d.targeted(a, kindHits):
			// What an attack hit belongs to the victim side when its
			// fighters fell; positions said to be hit ("استهدفت مقرات
			// لتنظيم داعش", "targeting an Islamic State cell") are not
			// yet a victim.
			if d.fighterLosses() {
				set("victim_side", 0.6)
			} else {
				set("other", 0.5)
			}
		case held:
			// "الخاضعة لسيطرة فصائل المعارضة", "controlled by HTS",
			// "opposition-held": holding a place is no part in the attack.
			set("other", 0.5)
		case d.attacker(kindHits, a) || d.armed(a, kindHits):
			set("perpetrator", 0.65)
		case d.actsOn(acts, a):
			set("perpetrator", 0.6)
		case d.leads(a, actors, append(append([]match(nil), kindHits...), acts...)):
			set("perpetrator", 0.55)
		case a.value == "unidentified":
			// Unknown gunmen are named for what they did: "قتل مسلحون
			// مجهولون عشرة رجال", "Unidentified gunmen ambushed a patrol".
			set("perpetrator", 0.5)
		}
	}
	d.clashRoles(actors, roles)
	// Parties joined by "و" / "and" share the attack: "Russian and Syrian
	// government air strikes", "الجيش التركي والفصائل الموالية له".
	for ai := 1; ai < len(actors); ai++ {
		p, a := actors[ai-1], actors[ai]
		if !d.joined(p, a) {
			continue
		}
		for _, pair := range [][2]int{{ai - 1, ai}, {ai, ai - 1}} {
			from, to := roles[pair[0]], roles[pair[1]]
			if from["perpetrator"] > 0 && len(to) == 0 {
				to["perpetrator"] = 0.55
			}
		}
	}
	return roles
}

// heldAfter: a holding word right after the party makes it the holder
// or backer of what follows ("opposition-held", "Turkish-backed
// factions"), not when the party is what is held or backed ("Government
// troops backed by tanks stormed …", "القوات المدعومة بالدبابات").
func (d *doc) heldAfter(holdAfter []bool, a match) bool {
	if a.j >= len(d.terms) || !holdAfter[a.j] {
		return false
	}
	return a.j+1 >= len(d.terms) || d.terms[a.j+1].Text != "by"
}

// cued: a perpetrator cue stands right before the party, with only stop
// words, titles and units between ("برصاص عناصر من «قسد»", "by the
// Syrian army"; not "hampered by the presence of Islamic State snipers").
func (d *doc) cued(cues []match, a match) bool {
	title := d.cover(titles)
	for _, c := range cues {
		if c.j > a.i || a.i-c.j > 3 || d.sentence(c.i) != d.sentence(a.i) {
			continue
		}
		ok := true
		for k := c.j; k < a.i; k++ {
			if !title[k] && !d.terms[k].Stop && !positions[d.terms[k].Text] {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// jailer: in a report of detention or torture, the party keeps the
// prison or branch where it happened: "أُفرج عنها من أحد أفرع المخابرات
// العسكرية", "سجون قسد", "held in an Air Force Intelligence branch",
// "SDF prisons".
func (d *doc) jailer(a match, kindHits []match) bool {
	custody := false
	for _, k := range kindHits {
		switch k.value {
		case "detention", "torture", "abduction", "sexual_violence":
			custody = true
		}
	}
	if !custody {
		return false
	}
	if isLatin(d.terms[a.i].Text) {
		if a.j < len(d.terms) && (prisons[d.terms[a.j].Text] || checkpoints[d.terms[a.j].Text]) {
			return true
		}
		return a.i > 1 && d.terms[a.i-1].Stop && prisons[d.terms[a.i-2].Text] // "the prisons of the SDF"
	}
	return a.i > 0 && (prisons[d.terms[a.i-1].Text] || checkpoints[d.terms[a.i-1].Text])
}

// checkpoints (stemmed): in a report of detention, the party whose
// checkpoint it is made the arrest: "بعد اعتقاله على حاجز لشعبة
// المخابرات العسكرية", "detained at an SDF checkpoint".
var checkpoints = map[string]bool{"حاجز": true, "حواجز": true, "checkpoint": true}

// prisons (stemmed) are where a party holds people.
var prisons = map[string]bool{"سجن": true, "سجون": true, "فرع": true, "افرع": true, "معتقل": true,
	"prison": true, "jail": true, "branch": true}

// behind: a cue right after the party says it is behind the attack
// ("«جبهة النصرة» تقف وراء الهجوم", "the Islamic State was behind the
// bombing").
func (d *doc) behind(a match) bool {
	for _, c := range d.find(behindCues) {
		if c.i >= a.j && c.i-a.j <= 1 && d.sentence(c.i) == d.sentence(a.i) {
			return true
		}
	}
	return false
}

// positions (stemmed) may stand between a cue and the party: "مصدرها
// مواقع وحدات حماية الشعب", "fire from regime positions", "أطلق من مواقع
// قوات النظام".
var positions = map[string]bool{"مواقع": true, "موقع": true, "مناطق": true, "position": true, "area": true,
	// A checkpoint or a sniper of the party: "برصاص قناص من حاجز للجيش",
	// "shot by a sniper at an army checkpoint".
	"حاجز": true, "حواجز": true, "قناص": true, "checkpoint": true, "sniper": true}
