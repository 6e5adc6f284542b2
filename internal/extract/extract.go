// Package extract proposes facts from the text of a report — kinds of
// incident, casualties, parties and their roles, places, dates, and who
// claimed or denied what — each with its byte span in the original text
// and a confidence. It proposes; analysts decide: nothing extracted is
// published without review.
//
// The extractor is rules over the Go analyser's terms (internal/arabic),
// so it handles the forms of a word the way search does (والقصف، بقصف،
// قصفت), Arabic and English alike; places come from the gazetteer
// (internal/places), counts and dates from the analyser's readers.
package extract

import (
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/arabic"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Version names the rules; stored results carry it, and reindex recomputes
// those of an older version.
const Version = "extract/2"

// The fact types.
const (
	TypeIncidentKind = "incident_kind"
	TypeCasualties   = "casualties"
	TypeActor        = "actor"
	TypePlace        = "place"
	TypeDate         = "date"
	TypeClaim        = "claim"
)

// Fact is one proposed fact.
type Fact struct {
	Type       string  `json:"type"`
	Span       [2]int  `json:"span"` // UTF-8 byte span [start, end) in the original text
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`

	Value    string `json:"value,omitempty"` // incident kind code, actor code
	Role     string `json:"role,omitempty"`  // actor: perpetrator, victim_side, source, other
	Outcome  string `json:"outcome,omitempty"`
	Category string `json:"category,omitempty"`
	Count    *Count `json:"count,omitempty"`
	Place    *Place `json:"place,omitempty"`
	Date     *Date  `json:"date,omitempty"`
	Claim    *Claim `json:"claim,omitempty"`
}

// Count is a casualty figure. Max is -1 when there is no upper bound.
type Count struct {
	Min        int    `json:"min"`
	Best       int    `json:"best"`
	Max        int    `json:"max"`
	Qualifier  string `json:"qualifier"` // count_qualifier vocabulary
	SourceText string `json:"source_text"`
}

// Place is a place fact: resolved to the gazetteer, or ambiguous with the
// candidates (never a guess).
type Place struct {
	ID         string   `json:"id,omitempty"`
	NameAR     string   `json:"name_ar,omitempty"`
	NameEN     string   `json:"name_en,omitempty"`
	Lat        float64  `json:"lat,omitempty"`
	Lon        float64  `json:"lon,omitempty"`
	Precision  string   `json:"precision,omitempty"`
	Part       string   `json:"part,omitempty"` // countryside_east … for "ريف X الشرقي"
	Ambiguous  bool     `json:"ambiguous,omitempty"`
	Candidates []string `json:"candidates,omitempty"`
}

// Date is a date or range, resolved against the publication date.
type Date struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Precision string `json:"precision"` // date_precision vocabulary
}

// Claim is an assertion in the report and who made it: an actor code or
// an outlet's slug.
type Claim struct {
	Kind string `json:"kind"`
	By   string `json:"by"`
}

// Incident groups the facts the extractor believes describe one incident.
type Incident struct {
	Kind  string `json:"kind"`
	Facts []int  `json:"facts"` // indexes into Result.Facts
}

// Result is what Extract proposes for one text.
type Result struct {
	Version   string     `json:"version"`
	Language  string     `json:"language"`
	Published string     `json:"published,omitempty"`
	Facts     []Fact     `json:"facts"`
	Incidents []Incident `json:"incidents"`
	// Truncated: the text was longer than MaxText and only its start was
	// read.
	Truncated bool `json:"truncated,omitempty"`
}

// Extractor holds the lexicons built from the vocabularies.
type Extractor struct {
	actors *lexicon
	// nonState are the armed groups: what "the group" can stand for.
	nonState map[string]bool
}

// New builds an extractor for the actors of vs.
func New(vs *vocab.Set) *Extractor {
	var names []actorNames
	nonState := map[string]bool{}
	for _, a := range vs.Actors() {
		switch a.Category {
		case "state_forces", "state_police_security", "foreign_state_forces", "international_coalition":
		default:
			nonState[a.Code] = true
		}
		n := actorNames{code: a.Code, labelAR: a.Labels.AR, labelEN: a.Labels.EN}
		n.aliases = append(append(n.aliases, a.Aliases.AR...), a.Aliases.EN...)
		names = append(names, n)
	}
	l := actorLexicon(names)
	// Short forms that reports use for the parties, beyond the vocabulary.
	for code, extra := range map[string][]string{
		"syrian_government":        {"النظام", "قوات النظام", "جيش النظام", "طيران النظام", "مروحيات النظام", "الطيران المروحي", "Assad regime", "regime forces", "government forces", "regime", "Syrian army", "government troops", "regime helicopters", "Syrian government", "Syrian military", "Syrian military source", "government helicopters", "government aircraft", "government warplanes", "Syrian government forces", "government"},
		"syrian_security_services": {"military intelligence", "المخابرات العسكرية", "المخابرات السورية"},
		"russia":                   {"روسيا", "الروس", "طيران روسي", "Russia", "Russian warplanes", "Russian jets", "Russian aircraft", "Russian air force", "Russian", "Kremlin", "الكرملين"},
		"isis":                     {"التنظيم", "عناصر التنظيم", "تنظيم الدولة", "داعش", "Islamic State", "ISIS", "ISIL", "Daesh"},
		"ypg":                      {"الوحدات", "الوحدات الكردية", "وحدات الحماية", "الميليشيات الكردية", "YPG", "Kurdish YPG", "Kurdish militia"},
		"turkey":                   {"تركيا", "الأتراك", "Turkey", "Turkish army", "Turkish forces", "Turkish drone", "Turkish"},
		"israel":                   {"إسرائيل", "الإسرائيلي", "الإسرائيلية", "Israel", "Israeli"},
		"iran":                     {"إيران", "الإيرانية", "Iran", "Iranian", "Iranian-backed", "Iran-backed"},
		"opposition": {"المعارضة", "الفصائل", "فصائل المعارضة", "rebels", "rebel", "opposition fighters", "Free Syrian Army", "FSA",
			"حركة نور الدين الزنكي", "نور الدين الزنكي", "الزنكي", "أحرار الشام", "حركة أحرار الشام", "جيش الإسلام", "فيلق الرحمن",
			"فيلق الشام", "الجبهة الوطنية للتحرير", "الجيش الوطني", "جيش العزة", "الفصيل", "Nour al-Din al-Zenki", "Ahrar al-Sham", "Jaysh al-Islam",
			"Faylaq al-Rahman", "National Front for Liberation", "Syrian National Army", "SNA", "Turkish-backed factions", "Turkish-backed rebels",
			"Turkish-backed Syrian factions", "Turkish-backed Syrian rebels", "opposition", "الفصائل الموالية لتركيا", "الفصائل المدعومة من تركيا",
			// Other spellings and short forms: "Jaish al-Islam", "Ahrar accused HTS",
			// the Third Legion of the SNA.
			"Jaish al-Islam", "Army of Islam", "Ahrar", "Third Legion", "الفيلق الثالث",
			// Jaish al-Islam's name until 2013: "وتبنّى «لواء الإسلام» في
			// بيان القصف", "Liwa al-Islam claimed the bombing".
			"لواء الإسلام", "Liwa al-Islam"},
		"hts": {"هيئة تحرير الشام", "HTS"},
		// The Asayish are the SDF-led administration's internal security.
		"sdf": {"قسد", "SDF", "Syrian Democratic Forces", "Asayish", "الأسايش", "الأسايش الكردية",
			// The administration the SDF runs speaks and acts for it:
			// "مكتب حماية الطفل التابع للإدارة الذاتية", "the Autonomous
			// Administration said".
			"الإدارة الذاتية", "Autonomous Administration", "Kurdish-led administration"},
		// An American adjective names the US forces of the coalition:
		// "مقاتلات أمريكية", "وزارة الدفاع الأمريكية", "American jets".
		"us_coalition": {"التحالف", "طيران التحالف", "طائرات التحالف", "the coalition", "coalition", "US-led coalition", "coalition aircraft", "coalition warplanes", "coalition jets",
			"أمريكية", "الأمريكية", "الأمريكي", "الأميركية", "الأميركي", "أميركية", "American", "Pentagon", "البنتاغون",
			// The United States by name and its command for the region:
			// "US Central Command said", "A US drone strike".
			"US", "United States", "US Central Command", "Central Command", "CENTCOM"},
		"unidentified": {"مسلحون مجهولون", "مسلحين مجهولين", "مجهولة الهوية", "مجهولي الهوية", "مجهول الهوية", "مجهولو الهوية",
			"unknown gunmen", "unidentified gunmen", "unidentified"},
	} {
		l.add(code, 0.5, extra...)
	}
	// The bodies of the Syrian state, named without a party: its
	// ministries, government, governors, officials and army. Which
	// government they are depends on the date (see stateOf); a ministry
	// or army next to another nationality is that state's ("وزارة الدفاع
	// الروسية", "Turkey's defence ministry"; see parties).
	l.add(syrianState, 0.5, "وزارة الخارجية", "وزارة الدفاع", "وزارة الداخلية", "وزارة الإعلام", "وزارة العدل",
		"وزارة الخارجية السورية", "وزارة الدفاع السورية", "وزارة الداخلية السورية", "وزارة الإعلام السورية", "وزارة العدل السورية",
		"الحكومة السورية", "الخارجية السورية", "مسؤول سوري", "مسؤولون سوريون", "مصدر عسكري سوري", "مصدر رسمي سوري", "الجيش", "محافظ",
		"foreign ministry", "defence ministry", "defense ministry", "interior ministry", "information ministry", "justice ministry",
		"ministry of defence", "ministry of defense", "ministry of foreign affairs", "ministry of interior", "ministry of the interior",
		"Syrian official", "Syrian officials", "army", "army troops", "the army",
		// Government forces named by their adjective, and the other
		// ministries: "القوات الحكومية", "وزارة الإدارة المحلية", "the
		// local administration ministry confirmed".
		"القوات الحكومية", "وزارة الإدارة المحلية", "وزارة الأوقاف", "local administration ministry",
		"ministry of local administration",
		// The state's officers in a province: "The governor of Suwayda
		// said", "the capital's police chief told SANA", "قائد شرطة
		// دمشق".
		"governor", "police chief", "قائد الشرطة", "قائد شرطة")
	return &Extractor{actors: l, nonState: nonState}
}

// MaxText is how much of a text Extract reads: reports are short, and
// extraction runs inside the report's write transaction, so a very long
// text must not hold the database's writer. Result.Truncated says when
// the rest was not read.
const MaxText = 256 << 10

// Extract proposes the facts of text, published on published (relative
// dates resolve against it; the zero time means today). It never fails:
// what it does not recognise it leaves out.
func (x *Extractor) Extract(text string, published time.Time) *Result {
	if published.IsZero() {
		published = time.Now().UTC()
	}
	truncated := false
	if len(text) > MaxText {
		cut := MaxText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text, truncated = text[:cut], true
	}
	d := newDoc(text)
	r := &Result{Version: Version, Language: arabic.Language(text), Published: published.Format(time.DateOnly), Facts: []Fact{}, Truncated: truncated}

	kindHits := d.find(kinds)
	actorHits := x.parties(d, kindHits, published)
	outletHits := d.reporting(outlets.find(d.terms))
	claimHits := d.claimWords(d.find(claimVerbs), actorHits, outletHits)
	cueHits := actorCues.find(d.terms)

	// Incident kinds: one fact per kind and sentence.
	seen := map[[2]string]bool{}
	for _, m := range kindHits {
		key := [2]string{m.value, strconv.Itoa(d.sentence(m.i))}
		if seen[key] {
			continue
		}
		seen[key] = true
		r.Facts = append(r.Facts, d.fact(TypeIncidentKind, m.i, m.j, 0.6+0.1*m.weight, func(f *Fact) { f.Value = m.value }))
	}

	// An attack in a sentence that names a hospital, school, mosque,
	// bakery or camp as hit is also an attack on a protected object.
	objects := protected.find(d.terms)
	hits := hitWords.find(d.terms)
	for _, o := range objects {
		s := d.sentence(o.i)
		attacked := false
		for _, h := range append(append([]match(nil), kindHits...), hits...) {
			// The hit must be about the object: next to it, in its sentence.
			if d.sentence(h.i) == s && (h.j <= o.i && o.i-h.j <= 3 || h.i >= o.j && h.i-o.j <= 3) {
				attacked = true
				break
			}
		}
		key := [2]string{"attack_on_protected_object", strconv.Itoa(s)}
		if attacked && !seen[key] {
			seen[key] = true
			r.Facts = append(r.Facts, d.fact(TypeIncidentKind, o.i, o.j, 0.55, func(f *Fact) { f.Value = "attack_on_protected_object" }))
		}
	}

	// What the attacks say of the parties: who did them, who suffered
	// them (see attackRoles); the claims' rules below need it.
	attack := d.attackRoles(actorHits, kindHits, cueHits)
	// The report's alleged author: the first party an attack is
	// attributed to.
	author := -1
	for ai := range actorHits {
		if attack[ai]["perpetrator"] > 0 {
			author = ai
			break
		}
	}

	// Claims and who made them; the claimant is the actor's source role.
	source := map[int]bool{}   // actor hit index → is a claimant
	accused := map[int]bool{}  // actor hit index → is accused by a claimant
	denier := map[int]bool{}   // actor hit index → denies, admits or claims an attack
	claimant := map[int]bool{} // actor hit index → admits or claims an attack
	lost := map[int]bool{}     // actor hit index → says its own men were hit
	struck := map[int]bool{}   // actor hit index → says it attacked
	type claimed struct {
		fact     Fact
		sentence int
	}
	var claims []claimed
	addClaim := func(m match, kind, by string, byHit int) {
		if byHit >= 0 {
			source[byHit] = true
			if kind == "denial" || kind == "acknowledgement" || kind == "responsibility_claim" {
				// Who denies, admits or claims an attack is its (alleged) author.
				denier[byHit] = true
				claimant[byHit] = claimant[byHit] || kind != "denial"
			}
		}
		claims = append(claims, claimed{d.fact(TypeClaim, m.i, m.j, 0.6, func(f *Fact) { f.Claim = &Claim{Kind: kind, By: by} }), d.sentence(m.i)})
	}
	for _, m := range claimHits {
		by, byHit := "", -1
		outletEnd := m.j // past the outlet named right after the verb
		latin := isLatin(d.terms[m.i].Text)
		publishes := m.value == "report_by_outlet" && d.publishesImages(m)
		// The claimant is the verb's subject: right after it in Arabic
		// (نفى القيادي في قسد، ذكرت وكالة سانا), right before it in English
		// (the SDF denied, Reuters reported); a few title words may stand
		// between (متحدث باسم، وزارة الدفاع).
		if m.value == "report_by_outlet" || m.value == "statement" || d.terms[m.i].Text == "confirm" {
			if o := d.nearest(outletHits, m, 4, 3); o >= 0 {
				by = outletHits[o].value
				outletEnd = max(outletEnd, outletHits[o].j)
				// The party that speaks to an outlet is the subject, the
				// outlet its listener: "قال مصدر عسكري سوري لوكالة سانا",
				// "A Syrian official told state news agency SANA".
				if m.value == "statement" {
					if p, _ := d.subject(actorHits, m, !latin, 2); p >= 0 && !between(outletHits[o], m, actorHits[p]) {
						by, byHit = actorHits[p].value, p
					}
				}
			}
		}
		blocked := false
		if by == "" {
			// A bare "said" needs its subject right next to it; the accuser
			// is the subject itself: right after the verb in Arabic (اتهمت
			// فصائل الجيش الوطني …), before it in English (local officials
			// blamed …); a party further on is the accused.
			reach := 2
			switch m.value {
			case "accusation":
				reach = 0
			case "denial", "acknowledgement", "responsibility_claim":
				reach = 3
			}
			byHit, blocked = d.subject(actorHits, m, !latin || forward[d.terms[m.i].Text], reach)
			if byHit < 0 && !blocked && m.value != "accusation" && !prepositional[d.terms[m.i].Text] {
				// The other order: "قسد قالت", "…, said an SDF spokesman".
				byHit, blocked = d.subject(actorHits, m, latin && !forward[d.terms[m.i].Text], 0)
				if byHit >= 0 && latin && !forward[d.terms[m.i].Text] && !d.clauseEnds(d.pastTitles(actorHits[byHit].j)) {
					// After an English verb a party is its subject only
					// when the clause ends there ("…, said an SDF
					// spokesman."); otherwise it opens what was said
					// ("State media said the army had restored …").
					byHit = -1
				}
			}
			if byHit >= 0 {
				by = actorHits[byHit].value
			}
		}
		if by == "" && !blocked && (publishes || m.value == "denial" || m.value == "acknowledgement" || m.value == "responsibility_claim") {
			// A denial, admission or claim far from its subject ("the
			// Turkish defence ministry said … and denied …"): the first
			// party named earlier in the sentence; with none, the party
			// the report attributes the attack to ("the faction denied
			// any involvement", "تبنت غرفة عمليات … القصف").
			if a := d.firstBefore(actorHits, m); a >= 0 {
				byHit = a
			} else if author >= 0 && author < len(actorHits) && actorHits[author].i < m.i {
				byHit = author
			}
			if byHit >= 0 {
				by = actorHits[byHit].value
			}
		}
		if m.value == "accusation" {
			// "اتهمت فصائل الجيش الوطني … وحدات حماية الشعب": the party
			// named after the accuser is the accused.
			from := m.j
			if byHit >= 0 && actorHits[byHit].j > from {
				from = actorHits[byHit].j
			}
			if a := d.accusedAfter(actorHits, from, m); a >= 0 && a != byHit && actorHits[a].value != by {
				accused[a] = true
			}
		}
		if byHit >= 0 && latin && d.terms[m.i].Text == "told" && d.passive(m.i) {
			// "some were told their property had been seized": who was
			// told is no claimant, and who told them is not named.
			by, byHit = "", -1
		}
		if by == "" || byHit >= 0 && m.value == "report_by_outlet" && transfers[d.terms[m.i].Text] {
			// "said a resident": nobody to attribute the claim to; "نقل
			// التنظيم عاصمته" (moved): a party moving things reports
			// nothing.
			continue
		}
		kind := m.value
		if kind == "accusation" {
			kind = "statement"
		}
		switch {
		case (kind == "statement" || kind == "acknowledgement") && byHit < 0:
			kind = "report_by_outlet" // an outlet stating or confirming is reporting
		case kind == "report_by_outlet" && byHit >= 0:
			kind = "statement" // a party's account ("according to the SDF") is its statement
		}
		if kind == "statement" && m.value != "accusation" && d.deniesAttack(m, byHit, actorHits) {
			kind = "denial" // "قال إن قواته «لم تستهدف المدنيين»", "bore no responsibility"
		}
		if kind == "statement" && byHit >= 0 && d.refutes(m) {
			kind = "denial" // "said the accusation was 'baseless'"
		}
		if kind == "statement" && d.claimsResponsibility(m) {
			kind = "responsibility_claim" // "أعلن تنظيم داعش مسؤوليته", "claimed … responsibility"
			if d.negatedResponsibility(m) {
				// "لا تتحمل أي مسؤولية", "bore no responsibility": a denial.
				kind = "denial"
			}
		}
		if kind == "statement" && publishes {
			kind = "responsibility_claim" // "نشر التنظيم صوراً للعملية": a party shows its operation
		}
		if kind == "statement" && byHit >= 0 && x.nonState[by] && d.ownAttack(m, byHit, actorHits) {
			// An armed group saying it struck claims the attack; a state
			// announcing its strike only states it: "قالت هيئة تحرير
			// الشام إنها استهدفت ثكنات للنظام", "the group said its
			// fighters attacked the checkpoint".
			kind = "responsibility_claim"
		}
		if kind == "statement" && byHit >= 0 && d.ownAttack(m, byHit, actorHits) {
			// A state announcing its own strike states it, and is its
			// author: "أعلن الجيش الإسرائيلي أنه نفّذ «ضربة تحذيرية»",
			// "Turkey said it had retaliated with artillery".
			struck[byHit] = true
		}
		addClaim(m, kind, by, byHit)
		if byHit >= 0 && d.ownLosses(m, byHit, actorHits) {
			lost[byHit] = true
		}
		if byHit < 0 && quoting[d.terms[m.i].Text] {
			// "نقلت تاس عن وزارة الدفاع الروسية", "Interfax quoted a Russian
			// official": the outlet reports, the party quoted states.
			// The party quoted follows the outlet, however the outlet is
			// named: "ونقلت وكالة «إنترفاكس» عن وزارة الدفاع الروسية
			// قولها", "Interfax news agency quoted the Russian defence
			// ministry"; what it said may deny the attack.
			if q, _ := d.subject(actorHits, match{i: m.i, j: outletEnd}, true, 1); q >= 0 {
				kind := "statement"
				if d.deniesAttack(m, q, actorHits) {
					kind = "denial"
				}
				addClaim(m, kind, actorHits[q].value, q)
			} else if stateOutlet[by] && d.quotesOfficial(m) {
				// The state's agency quoting an unnamed official quotes the
				// state: "نقلت وكالة سانا عن مصدر رسمي قوله", "SANA quoted
				// an official source as saying".
				state := stateOf(published)
				addClaim(m, "statement", state, -1)
				r.Facts = append(r.Facts, d.fact(TypeActor, m.i, m.j, 0.55, func(f *Fact) { f.Value, f.Role = state, "source" }))
			}
		}
	}
	// A party's plain statement in the sentence where it denies, admits
	// or claims is that denial ("The Turkish defence ministry said … and
	// denied …", "نفت … وأكدت …"): one claim, the specific one.
	specific := map[[2]string]bool{}
	for _, c := range claims {
		if k := c.fact.Claim.Kind; k == "denial" || k == "acknowledgement" || k == "responsibility_claim" {
			specific[[2]string{c.fact.Claim.By, strconv.Itoa(c.sentence)}] = true
		}
	}
	for _, c := range claims {
		if c.fact.Claim.Kind == "statement" && specific[[2]string{c.fact.Claim.By, strconv.Itoa(c.sentence)}] {
			continue
		}
		r.Facts = append(r.Facts, c.fact)
	}
	// A party's own agency publishing an operation is the party claiming
	// it (Amaq for the Islamic State), and the party is its source.
	for _, o := range outletHits {
		if by, ok := partyOutlet[o.value]; ok {
			r.Facts = append(r.Facts, d.fact(TypeClaim, o.i, o.j, 0.55, func(f *Fact) { f.Claim = &Claim{Kind: "responsibility_claim", By: by} }))
			r.Facts = append(r.Facts, d.fact(TypeActor, o.i, o.j, 0.55, func(f *Fact) { f.Value, f.Role = by, "source" }))
			// The party named with its agency claims the attack, so is
			// its author: "Islamic State claimed both attacks through its
			// Amaq news agency", "وتبنى التنظيم الهجوم عبر وكالة أعماق".
			for ai, a := range actorHits {
				if a.value == by {
					source[ai], denier[ai], claimant[ai] = true, true, true
				}
			}
		}
	}
	// An outlet named anywhere reports what it carries: "(رويترز)", "في
	// تصريح لوكالة الأناضول", "told Reuters". One fact per outlet; not an
	// outlet named as someone's employer ("صحفيين يعملان لصالح قناة
	// أورينت").
	reported := map[string]bool{}
	for _, f := range r.Facts {
		if f.Type == TypeClaim && f.Claim.Kind == "report_by_outlet" {
			reported[f.Claim.By] = true
		}
	}
	for _, o := range outletHits {
		if !reported[o.value] && !d.within(employers, o.i, 3) {
			reported[o.value] = true
			r.Facts = append(r.Facts, d.fact(TypeClaim, o.i, o.j, 0.4, func(f *Fact) { f.Claim = &Claim{Kind: "report_by_outlet", By: o.value} }))
		}
	}

	// Parties and their roles: a claimant is the source, the party a
	// claimant accuses the perpetrator, the others what the attacks make
	// them. A party named only as the author of a denial is also the
	// alleged author of what it denies.
	roles := make([]map[string]float64, len(actorHits))
	perpetrated := false
	for ai := range actorHits {
		switch {
		case source[ai]:
			// A claimant keeps what the attacks make it: "The YPG said
			// its fighters had clashed with …" is a source and a side.
			roles[ai] = map[string]float64{"source": 0.7}
			for role, conf := range attack[ai] {
				if role == "victim_side" {
					roles[ai][role] = conf
				}
			}
			if lost[ai] {
				roles[ai]["victim_side"] = 0.6
			}
			if struck[ai] || d.sides[ai] {
				// Its own strike, or its side of a clash: "The YPG said its
				// fighters had clashed with …" fought.
				roles[ai]["perpetrator"] = 0.6
			}
		case accused[ai]:
			roles[ai] = map[string]float64{"perpetrator": 0.6}
		default:
			roles[ai] = attack[ai]
		}
		if roles[ai]["perpetrator"] > 0 {
			perpetrated = true
		}
	}
	// A party that denies is the alleged author of what it denies only
	// when the report names no other author: "واتهمت أنقرة الوحدات …
	// بينما نفت قسد أي علاقة" and "Turkish-backed factions shelled …;
	// Turkey's defence ministry denied" make the denier no perpetrator.
	authors := map[string]bool{}
	for ai, a := range actorHits {
		if roles[ai]["perpetrator"] > 0 {
			authors[a.value] = true
		}
	}
	for ai, a := range actorHits {
		if !denier[ai] {
			continue
		}
		if claimant[ai] {
			// Who admits or claims an attack is its author even where
			// others are named: "وتبنّى «جيش الإسلام» في بيان القصف",
			// "the group said in a video that it was holding the men".
			roles[ai]["perpetrator"] = 0.6
			perpetrated = true
			continue
		}
		other := false
		for v := range authors {
			if v != a.value {
				other = true
			}
		}
		if !other {
			roles[ai]["perpetrator"] = 0.5
			perpetrated = true
		}
	}
	for ai, a := range actorHits {
		if a.weight == unclaimed && len(roles[ai]) == 0 {
			if !perpetrated {
				// "No group claimed responsibility", and nobody is accused.
				roles[ai] = map[string]float64{"perpetrator": 0.55}
			} else {
				roles[ai] = map[string]float64{"none": 1}
			}
		}
	}
	if !perpetrated {
		// With no author found, the one party in the sentence of an
		// attack, neither its target nor a claimant, is most likely who
		// did it.
		for ai, a := range actorHits {
			if len(roles[ai]) == 0 && d.nearest(kindHits, a, 1<<20, 1<<20) >= 0 && d.onlyActor(actorHits, ai) {
				roles[ai] = map[string]float64{"perpetrator": 0.45}
			}
		}
	}
	// A party named again in its own statement is the speaker, not
	// someone mentioned: "وأعلنت وزارة الداخلية أن قوات الأمن العام طوّقت
	// المنطقة", "Russia's defence ministry said … Russian aircraft had not
	// operated in the area".
	speaking := map[[2]string]int{} // party and sentence → where it first speaks
	for ai, a := range actorHits {
		key := [2]string{a.value, strconv.Itoa(d.sentence(a.i))}
		if _, ok := speaking[key]; source[ai] && !ok {
			speaking[key] = a.i
		}
	}
	for ai, a := range actorHits {
		if at, ok := speaking[[2]string{a.value, strconv.Itoa(d.sentence(a.i))}]; ok && len(roles[ai]) == 0 && at < a.i {
			continue
		}
		if len(roles[ai]) == 0 {
			roles[ai] = map[string]float64{"other": 0.5}
		}
		for _, role := range []string{"perpetrator", "victim_side", "source", "other"} {
			if conf := roles[ai][role]; conf > 0 {
				r.Facts = append(r.Facts, d.fact(TypeActor, a.i, a.j, conf, func(f *Fact) { f.Value, f.Role = a.value, role }))
			}
		}
	}
	// A party with a part in the attack is not also just "mentioned";
	// one that only speaks may be: "The village lies in territory held
	// by the SDF. The SDF's military council said …", "القرية الخاضعة
	// لسيطرة قسد … وقالت قسد".
	roled := map[string]bool{}
	for _, f := range r.Facts {
		if f.Type == TypeActor && (f.Role == "perpetrator" || f.Role == "victim_side") {
			roled[f.Value] = true
		}
	}
	facts := r.Facts[:0]
	for _, f := range r.Facts {
		if f.Type == TypeActor && f.Role == "other" && roled[f.Value] {
			continue
		}
		facts = append(facts, f)
	}
	r.Facts = facts

	d.parties = actorHits // whose members a count names (seven members of the Revolutionary Guards)
	r.Facts = append(r.Facts, d.casualties()...)
	r.Facts = append(r.Facts, d.dates(published)...)
	r.Facts = append(r.Facts, d.places()...)

	sort.SliceStable(r.Facts, func(i, j int) bool { return r.Facts[i].Span[0] < r.Facts[j].Span[0] })
	r.Incidents = d.group(r.Facts)
	return r
}

// doc is a text with its terms and sentences.
type doc struct {
	text  string
	terms []arabic.Term
	// ends[k] is the byte offset where sentence k ends.
	ends []int
	// found and covers keep the lexicons' hits (see find, cover).
	found  map[*lexicon][]match
	covers map[*lexicon][]bool
	// parties are the parties the text names.
	parties []match
	// sides[ai]: actor hit ai is a side of a clash (see clashRoles).
	sides []bool
	// losses caches fighterLosses: 0 not yet known, 1 no, 2 yes.
	losses int
}

func newDoc(text string) *doc {
	d := &doc{text: text, terms: arabic.AnalyzeKeepingStops(text)}
	for i, r := range text {
		switch r {
		case '.', '!', '?', '؟', '\n', '؛':
			if r == '.' && i+1 < len(text) && i > 0 && isDigit(text[i-1]) && isDigit(text[i+1]) {
				continue // 1.5
			}
			d.ends = append(d.ends, i)
		}
	}
	d.ends = append(d.ends, len(text))
	return d
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// sentenceAt is the sentence of byte offset off.
func (d *doc) sentenceAt(off int) int { return sort.SearchInts(d.ends, off) }

// sentence is the sentence of term i.
func (d *doc) sentence(i int) int { return d.sentenceAt(d.terms[i].Start) }

func (d *doc) fact(typ string, i, j int, conf float64, fill func(*Fact)) Fact {
	start, end := d.terms[i].Start, d.terms[j-1].End
	f := Fact{Type: typ, Span: [2]int{start, end}, Text: d.text[start:end], Confidence: round(conf)}
	fill(&f)
	return f
}

func round(c float64) float64 { return float64(int(c*100+0.5)) / 100 }

// find is l.find over d's terms, found once per text.
func (d *doc) find(l *lexicon) []match {
	if hits, ok := d.found[l]; ok {
		return hits
	}
	if d.found == nil {
		d.found = map[*lexicon][]match{}
	}
	d.found[l] = l.find(d.terms)
	return d.found[l]
}

// cover marks the terms of d that a hit of l covers; the slice is
// shared, for reading.
func (d *doc) cover(l *lexicon) []bool {
	if at, ok := d.covers[l]; ok {
		return at
	}
	at := make([]bool, len(d.terms))
	for _, h := range d.find(l) {
		for k := h.i; k < h.j; k++ {
			at[k] = true
		}
	}
	if d.covers == nil {
		d.covers = map[*lexicon][]bool{}
	}
	d.covers[l] = at
	return at
}

// within reports whether a hit of l ends at most n terms before term i,
// in its sentence.
func (d *doc) within(l *lexicon, i, n int) bool {
	return d.precededBy(d.find(l), match{i: i, j: i + 1}, n)
}

// word is the text of term k as written.
func (d *doc) word(k int) string { return d.text[d.terms[k].Start:d.terms[k].End] }

// definite is the stem of Arabic term k when it carries the article
// (الهيئة، للهيئة، والهيئة), "" otherwise.
func (d *doc) definite(k int) string {
	w := arabic.Normalize(d.word(k)).Text
	for _, p := range []string{"و", "ف"} {
		w = strings.TrimPrefix(w, p)
	}
	switch {
	case strings.HasPrefix(w, "لل"):
		w = "ال" + strings.TrimPrefix(w, "لل")
	case strings.HasPrefix(w, "بال"), strings.HasPrefix(w, "كال"):
		w = strings.TrimPrefix(strings.TrimPrefix(w, "ب"), "ك")
	}
	if !strings.HasPrefix(w, "ال") {
		return ""
	}
	return arabic.Stem(w)
}
