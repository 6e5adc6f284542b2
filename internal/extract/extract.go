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
	"slices"
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
	with := -1
	for k := c.j; k < min(c.j+6, len(d.terms)) && d.sentence(k) == s; k++ {
		if t := d.terms[k].Text; t == "مع" || t == "with" {
			with = k
			break
		}
	}
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
	between := -1
	for k := c.j; k < min(c.j+5, len(d.terms)) && d.sentence(k) == s; k++ {
		if t := d.terms[k].Text; t == "بين" || t == "between" {
			between = k
			break
		}
	}
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

// dates are the dates of the text resolved against published. Two dates
// joined by "إلى", "حتى", "to", "until" or "and" are one range; a date after
// "منذ" or "since" runs to the publication day.
func (d *doc) dates(published time.Time) []Fact {
	ds := arabic.Dates(d.text, published)
	var out []Fact
	seen := map[[2]string]bool{}
	for k := 0; k < len(ds); k++ {
		dt := ds[k]
		start, end, text := dt.From, dt.To, dt.Text
		span := [2]int{dt.Start, dt.End}
		prec := dt.Precision
		if k+1 < len(ds) && ds[k+1].Start >= dt.End && ds[k+1].Start-dt.End <= 16 && !ds[k+1].To.Before(start) {
			switch strings.TrimSpace(d.text[dt.End:ds[k+1].Start]) {
			case "إلى", "الى", "حتى", "و", "-", "–", "to", "until", "till", "through", "and":
				next := ds[k+1]
				end, span[1] = next.To, next.End
				text = d.text[span[0]:span[1]]
				prec = rangePrecision(start, end)
				k++
			}
		}
		before := strings.TrimSpace(d.text[max(0, span[0]-24):span[0]])
		if before != "" {
			if fields := strings.Fields(before); len(fields) > 0 {
				switch strings.ToLower(fields[len(fields)-1]) {
				case "منذ", "since":
					if published.After(end) {
						end = published
						prec = rangePrecision(start, end)
					}
				}
			}
		}
		s, e := start.Format(time.DateOnly), end.Format(time.DateOnly)
		if seen[[2]string{s, e}] {
			continue
		}
		seen[[2]string{s, e}] = true
		out = append(out, Fact{Type: TypeDate, Span: span, Text: text, Confidence: 0.7,
			Date: &Date{Start: s, End: e, Precision: prec}})
	}
	return out
}

// rangePrecision is the date_precision code of a range of days.
func rangePrecision(from, to time.Time) string {
	days := int(to.Sub(from).Hours()/24) + 1
	switch {
	case days <= 1:
		return "day"
	case days <= 6:
		return "days_2_6"
	case days <= 7:
		return "week"
	case days <= 31:
		return "month"
	}
	return "year"
}

// group puts the facts into incidents: each incident kind opens one, and
// the facts of its sentence and of the sentences up to the next kind join
// it. Facts before the first kind join the first incident.
func (d *doc) group(facts []Fact) []Incident {
	var out []Incident
	var sentences []int
	for _, f := range facts {
		if f.Type == TypeIncidentKind {
			s := d.sentenceAt(f.Span[0])
			if len(out) > 0 && sentences[len(sentences)-1] == s {
				continue // several kinds in one sentence: one incident
			}
			out = append(out, Incident{Kind: f.Value})
			sentences = append(sentences, s)
		}
	}
	if len(out) == 0 {
		return []Incident{}
	}
	for i, f := range facts {
		s := d.sentenceAt(f.Span[0])
		k := sort.SearchInts(sentences, s+1) - 1
		if k < 0 {
			k = 0
		}
		out[k].Facts = append(out[k].Facts, i)
	}
	return out
}
