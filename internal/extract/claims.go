package extract

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// reporting drops outlet names that are common words where nothing says
// they are the outlet: "قرى عربية", "العرب" are not Al Arabiya, "منطقة
// الجزيرة" not Al Jazeera — unless an outlet noun or a report verb stands
// next to them ("قناة العربية", "ذكرت الجزيرة") or quotes around them.
func (d *doc) reporting(hits []match) []match {
	kept := hits[:0]
	for _, o := range hits {
		if o.j == o.i+1 && commonOutlet[o.value] && !isLatin(d.terms[o.i].Text) {
			quoted := o.i > 0 && strings.ContainsAny(d.text[d.terms[o.i-1].End:d.terms[o.i].Start], "«\"“(")
			nouns, verbs := d.cover(outletNouns), d.cover(claimVerbs)
			if !(o.i > 0 && (nouns[o.i-1] || verbs[o.i-1]) || o.j < len(d.terms) && verbs[o.j] || quoted) {
				continue
			}
		}
		kept = append(kept, o)
	}
	return kept
}

// commonOutlet are the outlets whose one-word name is also a common word.
var commonOutlet = map[string]bool{"al_arabiya": true, "al_jazeera": true, "al_ikhbariya": true, "al_manar": true}

// outletNouns name what an outlet is.
var outletNouns = newLexicon()

func init() {
	outletNouns.add("outlet", 1, "قناة", "وكالة", "موقع", "شبكة", "صحيفة", "تلفزيون", "إذاعة", "لقناة", "لوكالة", "لموقع")
}

// claimWords drops the claim words that are not claims here: a word
// inside a party's or an outlet's name ("Islamic State"), an Arabic one
// with the article (الحسبة is no بحسب), an English noun ("dismissed
// reports of strikes", "in a statement"), a negated one and one that
// gives a claimant's wording (see below).
func (d *doc) claimWords(hits []match, actors, outletHits []match) []match {
	named := map[int]bool{}
	for _, h := range append(append([]match(nil), actors...), outletHits...) {
		for k := h.i; k < h.j; k++ {
			named[k] = true
		}
	}
	neg := d.cover(negations)
	var kept []match
	for _, m := range hits {
		if named[m.i] {
			continue
		}
		if m.i > 0 && (neg[m.i-1] || m.i > 1 && isLatin(d.terms[m.i].Text) && neg[m.i-2] && d.terms[m.i-1].Stop) {
			continue // a claim not made: "لم تتبنَّ أي جهة التفجير", "did not deny", "no group claimed"
		}
		if m.i > 0 && (d.terms[m.i-1].Text == "ما" || d.terms[m.i-1].Text == "what") && !d.afterAccording(m.i-1) {
			continue // the claimant's own wording: "قصف ما وصفته بـ«تجمعات»", "what it described as"
		}
		if m.i > 1 && strings.EqualFold(d.word(m.i-2), "what") && pronouns[strings.ToLower(d.word(m.i-1))] {
			continue // "killing what it said were 309 soldiers"
		}
		w := strings.TrimPrefix(arabic.Normalize(d.word(m.i)).Text, "و")
		if strings.HasPrefix(w, "ال") {
			continue
		}
		if isLatin(d.terms[m.i].Text) && m.j == m.i+1 {
			prev := ""
			if m.i > 0 {
				prev = strings.ToLower(d.word(m.i - 1))
			}
			switch prev {
			case "a", "an", "the", "its", "their", "his", "her", "against", "of", "for", "with", "on", "in":
				continue // "in a statement", "against confirmed targets"
			}
			if m.i > 0 && opensQuote(d.text[d.terms[m.i-1].End:d.terms[m.i].Start]) {
				// A quoted word: "struck 'confirmed targets'"; not a word
				// after a quote closes ("The army 'categorically' denied").
				continue
			}
			if m.value == "denial" && d.rejectsDeal(m) {
				continue // "rebel groups had rejected a reconciliation deal": no denial
			}
			if m.value != "report_by_outlet" && m.value != "statement" {
				kept = append(kept, m)
				continue
			}
			switch {
			case m.j < len(d.terms) && strings.EqualFold(d.word(m.j), "of"):
				continue
			case len(kept) > 0 && kept[len(kept)-1].j == m.i && !strings.Contains(d.text[d.terms[m.i-1].End:d.terms[m.i].Start], ","):
				continue // "dismissed reports"; not "SANA said, citing a military source"
			}
		}
		kept = append(kept, m)
	}
	return kept
}

// afterAccording: the "ما" / "what" at term k follows "according to", so
// the verb after it is the report, not a claimant's wording: "بحسب ما
// نقلت وكالة سانا عن مصدر …", "according to what SANA reported".
func (d *doc) afterAccording(k int) bool {
	if k == 0 {
		return false
	}
	t := d.terms[k-1].Text
	return prepositional[t] || t == "to" && k > 1 && d.terms[k-2].Text == "accord"
}

// rejectsDeal: English "rejected" refuses an offer, not an account:
// "rebel groups had rejected a reconciliation deal", "rejected the
// truce" (Arabic says رفض, no denial word: "رفضت الفصائل اتفاق التسوية").
func (d *doc) rejectsDeal(m match) bool {
	if d.terms[m.i].Text != "reject" {
		return false
	}
	for k := m.j; k < min(m.j+4, len(d.terms)) && d.sentence(k) == d.sentence(m.i); k++ {
		switch strings.ToLower(d.word(k)) {
		case "deal", "deals", "offer", "offers", "proposal", "proposals", "agreement", "agreements", "truce", "ceasefire", "settlement", "initiative", "demands", "terms":
			return true
		}
	}
	return false
}

// pronouns are the English subject pronouns.
var pronouns = map[string]bool{"it": true, "they": true, "he": true, "she": true, "we": true}

// opensQuote: the gap before a word ends with an opening quote: the word
// begins a quotation ("وصفتها بـ«المؤكدة»", "struck 'confirmed targets'"),
// unlike a gap where a quotation closes ("نفى «قطعياً» استخدام", "the army
// 'categorically' denied").
func opensQuote(gap string) bool {
	r, _ := utf8.DecodeLastRuneInString(gap)
	return strings.ContainsRune("'\"‘“«", r)
}

// accusedAfter is the party an accusation names as the accused: the
// object right after the verb or its subject, over titles and speakers
// ("اتهم ناشطون قوات النظام", "اتهمت … في بيان وحدات حماية الشعب",
// "they blamed Russian aircraft"); not a party inside the charge
// ("accusing them of helping families flee to government-held parts").
func (d *doc) accusedAfter(hits []match, from int, m match) int {
	title, speaker := d.cover(titles), d.cover(speakers)
	s := d.sentence(m.i)
	for k := from; k < len(d.terms) && d.sentence(k) == s; k++ {
		for h, a := range hits {
			if a.i == k {
				return h
			}
		}
		if !title[k] && !speaker[k] && !d.terms[k].Stop {
			return -1
		}
	}
	return -1
}

// pastTitles is the first term from k that is no title word ("a
// Turkish military official." ends after "official").
func (d *doc) pastTitles(k int) int {
	title := d.cover(titles)
	for k < len(d.terms) && title[k] && !d.clauseEnds(k) {
		k++
	}
	return k
}

// capitalized: term k is written with a capital letter.
func (d *doc) capitalized(k int) bool {
	w := d.word(k)
	return w != "" && w[0] >= 'A' && w[0] <= 'Z'
}

// between: outlet o stands between claim word m and party p.
func between(o, m, p match) bool {
	return m.j <= o.i && o.i < p.i || p.j <= o.i && o.i < m.i
}

// clauseEnds: term k ends a clause: it is past the text or a comma, a
// full stop or a dash comes before it ("…, said an SDF spokesman.").
func (d *doc) clauseEnds(k int) bool {
	if k >= len(d.terms) || d.sentence(k) != d.sentence(k-1) {
		return true
	}
	return strings.ContainsAny(d.text[d.terms[k-1].End:d.terms[k].Start], ",;:.—–()،")
}

// transfers are the report words that also mean moving something: an
// outlet "نقل" news, a party "نقل" fighters.
var transfers = map[string]bool{"نقل": true, "نقلت": true, "نقلوا": true}

// stateOutlet are the Syrian state's own outlets.
var stateOutlet = map[string]bool{"sana": true, "al_ikhbariya": true}

// quotesOfficial: quoting word m quotes an unnamed official or source
// ("عن مصدر رسمي", "an official source"): a source or official word
// stands within the few words after it, past the outlet's name.
func (d *doc) quotesOfficial(m match) bool {
	s := d.sentence(m.i)
	for k := m.j; k < min(m.j+7, len(d.terms)) && d.sentence(k) == s; k++ {
		switch d.terms[k].Text {
		case "مصدر", "مسوول", "source", "official", "sourc", "offici": // as stemmed: "citing a military source"
			return true
		case "ان", "that":
			return false
		}
	}
	return false
}

// prepositional are the Arabic report words that are prepositions: their
// source always follows them ("بحسب فريق منسقو الاستجابة", "وفق ناشطين"),
// so a party just before them is no claimant ("غارات … وطائرات النظام،
// بحسب فريق …"), as "according to" in English.
var prepositional = map[string]bool{"حسب": true, "وفق": true, "وفقا": true}

// forward are the claim words whose subject follows them in English too:
// "according to the SDF", "quoting a Russian official".
var forward = map[string]bool{"accord": true, "quot": true, "cite": true, "cit": true}

// quoting are the report words that name, after the outlet, the party it
// quotes: "نقلت تاس عن وزارة الدفاع الروسية", "quoting".
var quoting = map[string]bool{"نقل": true, "نقلت": true, "quot": true, "cit": true, "cite": true}

// subject is the party that is the subject of claim word m: the first
// one after it (after) or before it, with titles, stop words and bodies
// affiliated to the party between ("نفى متحدث باسم قسد", "قال المكتب
// الإعلامي لمجلس دير الزور العسكري التابع لقسد", "a Russian defence
// ministry official said") and at most reach other words. blocked: a
// speaker that is no party stands there first ("قال ناشطون", "residents
// said"), so the claim is nobody's.
func (d *doc) subject(hits []match, m match, after bool, reach int) (int, bool) {
	start, end := map[int]int{}, map[int]int{}
	for k, h := range hits {
		if _, ok := start[h.i]; !ok {
			start[h.i] = k
		}
		end[h.j] = k
	}
	title, speaker, aff := d.cover(titles), d.cover(speakers), d.cover(affiliated)
	s := d.sentence(m.i)
	step, k := 1, m.j
	if !after {
		step, k = -1, m.i-1
	}
	for n := 0; k >= 0 && k < len(d.terms) && d.sentence(k) == s; k += step {
		if h, ok := start[k]; ok && after {
			return h, false
		}
		if h, ok := end[k+1]; ok && !after {
			return h, false
		}
		t := d.terms[k]
		switch {
		case speaker[k]:
			return -1, true
		case after && t.Stop && (t.Text == "ان" || t.Text == "that" || t.Text == "بان"):
			return -1, false // the claim's content begins
		case aff[k]:
			n = 0
		case title[k] || t.Stop:
		case !after && isLatin(t.Text) && d.capitalized(k) && k+1 < m.i:
			// A place in an English body's name: "The SDF's Deir ez-Zor
			// Military Council said", "Russia's reconciliation centre in
			// Syria said".
		default:
			if n++; n > reach {
				return -1, false
			}
		}
	}
	return -1, false
}

// publishesImages: report word m is a party publishing pictures or video
// of its operation ("نشر التنظيم صوراً للعملية", "posted pictures of the
// killings").
func (d *doc) publishesImages(m match) bool {
	switch d.terms[m.i].Text {
	case "نشر", "نشرت", "post", "publish", "releas":
	default:
		return false
	}
	for _, h := range d.find(images) {
		if h.i >= m.j && h.i-m.j <= 5 && d.sentence(h.i) == d.sentence(m.i) {
			return true
		}
	}
	return false
}

// deniesAttack: the statement m says its party did not attack: a
// negation before an attack word in what follows ("قال إن قواته «لم
// تستهدف المدنيين»", "said its forces did not target civilians").
func (d *doc) deniesAttack(m match, byHit int, actors []match) bool {
	from := m.j
	if byHit >= 0 && actors[byHit].j > from {
		from = actors[byHit].j
	}
	// What was said begins at "إن" / "that", past any "في بيان نقلته
	// وكالة تاس" between: "وقالت وزارة الدفاع الروسية، في بيان نقلته
	// وكالة «تاس»، إن طائراتها «لم تنفذ أي مهام»".
	for k := from; k < min(from+10, len(d.terms)) && d.sentence(k) == d.sentence(m.i); k++ {
		if t := d.terms[k].Text; t == "ان" || t == "بان" || t == "that" {
			from = k + 1
			break
		}
	}
	attackAt := slices.Clone(d.cover(hitWords))
	for _, k := range d.find(kinds) {
		attackAt[k.i] = true
	}
	// Carrying out anything, or bearing responsibility, is the attack
	// too: "إن طائراتها «لم تنفذ أي مهام قتالية»", "لا تتحمل أي
	// مسؤولية", "the government bore no responsibility".
	for _, k := range d.find(deniedDeeds) {
		attackAt[k.i] = true
	}
	// Each clause of what was said may hold the denial: "said the Turkish
	// troops had been deployed among … and that Russian aircraft had not
	// operated", "وقالت … إن … وإن قواتها لم تشارك".
	starts := []int{from}
	for k := from; k < len(d.terms) && d.sentence(k) == d.sentence(m.i); k++ {
		if t := d.terms[k].Text; t == "ان" || t == "بان" || t == "وان" || t == "that" {
			starts = append(starts, k+1)
		}
	}
	neg := d.find(negations)
	for _, n := range neg {
		near := false
		for _, st := range starts {
			near = near || n.i >= st && n.i-st <= 6
		}
		if near && d.sentence(n.i) == d.sentence(m.i) {
			for k := n.j; k < min(n.j+2, len(d.terms)); k++ {
				if attackAt[k] {
					return true
				}
			}
		}
	}
	return false
}

// refutes: what statement m says calls something false: a refutation
// word after the verb in its sentence ("إن الاتهامات «لا أساس لها من
// الصحة»", "told Anadolu that the accusation was 'baseless'").
func (d *doc) refutes(m match) bool {
	for _, r := range d.find(refutations) {
		if r.i >= m.j && r.i-m.j <= 15 && d.sentence(r.i) == d.sentence(m.i) {
			return true
		}
	}
	return false
}

// claimsResponsibility: m's sentence speaks of responsibility for an
// act: "أعلن التنظيم مسؤوليته عن التفجير", "claimed responsibility". Not
// an official or a person responsible for something ("مقتل أحد قياديي
// التنظيم المسؤول عن تهريب الأسلحة", "the commander in charge"): in
// Arabic only the noun مسؤولية counts.
func (d *doc) claimsResponsibility(m match) bool {
	s := d.sentence(m.i)
	for k := m.i; k >= 0 && d.sentence(k) == s; k-- {
		if d.responsibility(k) {
			return true
		}
	}
	for k := m.i + 1; k < len(d.terms) && d.sentence(k) == s; k++ {
		if d.responsibility(k) {
			return true
		}
	}
	return false
}

// responsibility: term k is the word responsibility (مسؤولية، مسؤوليته،
// responsibility, responsible).
func (d *doc) responsibility(k int) bool {
	if t := d.terms[k].Text; isLatin(t) {
		return strings.HasPrefix(t, "responsib")
	}
	w := arabic.Normalize(d.word(k)).Text
	return strings.Contains(w, "مسووليه") || strings.Contains(w, "مسووليت")
}

// negatedResponsibility: a negation stands at most three words before
// a word of responsibility in m's sentence ("the government bore no
// responsibility", "لا تتحمل أي مسؤولية").
func (d *doc) negatedResponsibility(m match) bool {
	s := d.sentence(m.i)
	neg := d.cover(negations)
	for k := range d.terms {
		if d.sentence(k) != s {
			continue
		}
		if t := d.terms[k].Text; strings.HasPrefix(t, "مسوول") || strings.HasPrefix(t, "responsib") {
			if slices.Contains(neg[max(0, k-3):k], true) {
				return true
			}
		}
	}
	return false
}

// ownAttack: statement m says its party itself attacked: right after
// the verb and the party, "إنها/إنه" or "it/its fighters" and then, over
// at most two words, an attack ("قالت الهيئة في بيان إنها استهدفت
// بالصواريخ …", "said it had shelled", "said its fighters attacked").
func (d *doc) ownAttack(m match, byHit int, actors []match) bool {
	from := max(m.j, actors[byHit].j)
	// What was said begins at "that" / "إن" when words stand between:
	// "Islamic State said in a statement circulated by its supporters that
	// its fighters had carried out the bombings".
	for k := from; k < min(from+10, len(d.terms)) && d.sentence(k) == d.sentence(m.i); k++ {
		if t := d.terms[k].Text; t == "that" || t == "ان" || t == "بان" {
			if k > from {
				from = k
			}
			break
		}
	}
	attackAt := d.cover(hitWords)
	kindAt := d.cover(kinds)
	acts := make([]bool, len(d.terms))
	for _, v := range d.acts() {
		for k := v.i; k < v.j; k++ {
			acts[k] = true
		}
	}
	s := d.sentence(m.i)
	for k := from; k < min(from+5, len(d.terms)) && d.sentence(k) == s; k++ {
		w := strings.ToLower(strings.TrimPrefix(arabic.Normalize(d.word(k)).Text, "و"))
		switch {
		case w == "انها" || w == "انه" || w == "بانها" || w == "بانه" || w == "it" || w == "its":
		case speakerGroup[w] && k > 0 && strings.EqualFold(d.word(k-1), "the"):
			// The speaker's group named by its noun: "A commander of
			// Ahrar al-Sham told Reuters that the group had fired at …"
			// (Arabic says it with the pronoun: "إن الحركة" is rare).
		default:
			continue
		}
		for j := k + 1; j < min(k+4, len(d.terms)) && d.sentence(j) == s; j++ {
			if (attackAt[j] || kindAt[j] || acts[j]) && !d.passive(j) {
				return true // not "said two of its fighters were killed"
			}
		}
		return false
	}
	return false
}

// speakerGroup are the English nouns by which a speaker names its own
// armed group: "said the group had shelled", "said the faction's
// fighters attacked".
var speakerGroup = map[string]bool{"group": true, "faction": true, "movement": true}

// ownLosses: statement m says its party's own men were killed or
// wounded: "its"/"their" or an Arabic pronoun on a word for fighters,
// and a killed or wounded word next to it: "The Israeli military said six
// of its soldiers were wounded", "وقالت قسد إن اثنين من مقاتليها قتلا".
func (d *doc) ownLosses(m match, byHit int, actors []match) bool {
	from := max(m.j, actors[byHit].j)
	s := d.sentence(m.i)
	for k := from; k < min(from+8, len(d.terms)) && d.sentence(k) == s; k++ {
		own := false
		for _, c := range categories.find(d.terms[k : k+1]) {
			if c.value != "fighters" {
				continue
			}
			if isLatin(d.terms[k].Text) {
				own = k > 0 && (d.terms[k-1].Text == "its" || d.terms[k-1].Text == "their")
			} else {
				w := arabic.Normalize(d.word(k)).Text
				own = strings.HasSuffix(w, "ها") || strings.HasSuffix(w, "ه") && !strings.HasSuffix(w, "يه")
			}
		}
		if !own {
			continue
		}
		for j := max(from, k-3); j < min(k+4, len(d.terms)) && d.sentence(j) == s; j++ {
			for _, o := range outcomes.find(d.terms[j : j+1]) {
				if o.value == "killed" || o.value == "injured" {
					return true
				}
			}
		}
		return false
	}
	return false
}
