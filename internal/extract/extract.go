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
const Version = "extract/1"

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
}

// New builds an extractor for the actors of vs.
func New(vs *vocab.Set) *Extractor {
	var names []actorNames
	for _, a := range vs.Actors() {
		n := actorNames{code: a.Code, labelAR: a.Labels.AR, labelEN: a.Labels.EN}
		n.aliases = append(append(n.aliases, a.Aliases.AR...), a.Aliases.EN...)
		names = append(names, n)
	}
	l := actorLexicon(names)
	// Short forms that reports use for the parties, beyond the vocabulary.
	for code, extra := range map[string][]string{
		"syrian_government": {"النظام", "قوات النظام", "جيش النظام", "طيران النظام", "مروحيات النظام", "الطيران المروحي", "Assad regime", "regime forces", "government forces", "regime", "Syrian army", "government troops", "regime helicopters", "Syrian government", "Syrian military", "Syrian military source", "government helicopters", "government aircraft", "government warplanes", "Syrian government forces"},
		"russia":            {"روسيا", "الروس", "طيران روسي", "Russia", "Russian warplanes", "Russian jets", "Russian aircraft", "Russian air force", "Russian"},
		"us_coalition":      {"التحالف", "طيران التحالف", "طائرات التحالف", "the coalition", "coalition", "US-led coalition", "coalition aircraft", "coalition warplanes", "coalition jets"},
		"isis":              {"التنظيم", "عناصر التنظيم", "تنظيم الدولة", "داعش", "Islamic State", "ISIS", "ISIL", "Daesh"},
		"sdf":               {"قسد", "SDF", "Syrian Democratic Forces"},
		"ypg":               {"الوحدات", "الوحدات الكردية", "وحدات الحماية", "الميليشيات الكردية", "YPG", "Kurdish YPG", "Kurdish militia"},
		"turkey":            {"تركيا", "الأتراك", "Turkey", "Turkish army", "Turkish forces", "Turkish drone", "Turkish"},
		"israel":            {"إسرائيل", "الإسرائيلي", "الإسرائيلية", "Israel", "Israeli"},
		"iran":              {"إيران", "الإيرانية", "Iran", "Iranian", "Iranian-backed", "Iran-backed"},
		"opposition": {"المعارضة", "الفصائل", "فصائل المعارضة", "rebels", "rebel", "opposition fighters", "Free Syrian Army", "FSA",
			"حركة نور الدين الزنكي", "نور الدين الزنكي", "الزنكي", "أحرار الشام", "حركة أحرار الشام", "جيش الإسلام", "فيلق الرحمن",
			"فيلق الشام", "الجبهة الوطنية للتحرير", "الجيش الوطني", "جيش العزة", "الفصيل", "Nour al-Din al-Zenki", "Ahrar al-Sham", "Jaysh al-Islam",
			"Faylaq al-Rahman", "National Front for Liberation", "Syrian National Army", "SNA", "Turkish-backed factions", "Turkish-backed rebels"},
		"hts":          {"هيئة تحرير الشام", "HTS"},
		"unidentified": {"مجهولون", "مسلحون مجهولون", "مجهولين", "unknown gunmen", "unidentified gunmen", "unidentified"},
	} {
		l.add(code, 0.5, extra...)
	}
	return &Extractor{actors: l}
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

	kindHits := kinds.find(d.terms)
	actorHits := x.actors.find(d.terms)
	claimHits := claimVerbs.find(d.terms)
	outletHits := outlets.find(d.terms)
	cueHits := actorCues.find(d.terms)
	// The transitional government's forces exist
	// from December 2024: before that, its names ("الأمن العام") mean
	// something else.
	kept := actorHits[:0]
	for _, a := range actorHits {
		if a.value == "syrian_transitional_government" && published.Before(transitionalSince) {
			continue
		}
		kept = append(kept, a)
	}
	actorHits = kept

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
	// bakery or market as hit is also an attack on a protected object.
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

	// Claims and who made them; the claimant is the actor's source role.
	source := map[int]bool{}  // actor hit index → is a claimant
	accused := map[int]bool{} // actor hit index → is accused by a claimant
	denier := map[int]bool{}  // actor hit index → denies, admits or claims an attack
	for _, m := range claimHits {
		by, byHit := "", -1
		// The claimant is the verb's subject: right after it in Arabic
		// (نفى القيادي في قسد، ذكرت وكالة سانا), right before it in English
		// (the SDF denied, Reuters reported); a few title words may stand
		// between (متحدث باسم، وزارة الدفاع).
		if m.value == "report_by_outlet" || m.value == "statement" {
			if o := d.nearest(outletHits, m, 4, 3); o >= 0 {
				by = outletHits[o].value
			}
		}
		if by == "" {
			// A bare "said" needs its subject right next to it.
			reach := 4
			if m.value == "statement" {
				reach = 2
			}
			after, before := reach, reach
			if m.value == "accusation" {
				// The accuser is the subject: right after the verb in Arabic
				// (اتهمت فصائل الجيش الوطني …), before it in English (local
				// officials blamed …); a party further on is the accused.
				if isLatin(d.terms[m.i].Text) {
					after = -1
				} else {
					after, before = 2, -1
				}
			}
			if a := d.nearest(actorHits, m, after, before); a >= 0 {
				by, byHit = actorHits[a].value, a
			}
		}
		if by == "" && m.value != "statement" && m.value != "report_by_outlet" && m.value != "accusation" {
			// A denial, admission or claim far from its subject ("the
			// Turkish defence ministry said … and denied …"): the first
			// party named earlier in the sentence.
			if a := d.firstBefore(actorHits, m); a >= 0 {
				by, byHit = actorHits[a].value, a
			}
		}
		if m.value == "accusation" {
			// "اتهمت فصائل الجيش الوطني … وحدات حماية الشعب": the party
			// named after the accuser is the accused.
			from := m.j
			if byHit >= 0 && actorHits[byHit].j > from {
				from = actorHits[byHit].j
			}
			for k, a := range actorHits {
				if k != byHit && a.i >= from && d.sentence(a.i) == d.sentence(m.i) && a.value != by {
					accused[k] = true
					break
				}
			}
		}
		if by == "" {
			continue // "said a resident": nobody to attribute the claim to
		}
		kind := m.value
		if kind == "accusation" {
			kind = "statement"
		}
		switch {
		case kind == "statement" && byHit < 0:
			kind = "report_by_outlet" // an outlet stating is reporting
		case kind == "report_by_outlet" && byHit >= 0:
			kind = "statement" // a party's account ("according to the SDF") is its statement
		}
		if kind == "statement" && d.sentenceHas(m, "مسوول", "responsib") {
			kind = "responsibility_claim" // "أعلن تنظيم داعش مسؤوليته", "claimed … responsibility"
		}
		if byHit >= 0 {
			source[byHit] = true
			if kind == "denial" || kind == "acknowledgement" || kind == "responsibility_claim" {
				// Who denies, admits or claims an attack is its (alleged) author.
				denier[byHit] = true
			}
		}
		r.Facts = append(r.Facts, d.fact(TypeClaim, m.i, m.j, 0.6, func(f *Fact) { f.Claim = &Claim{Kind: kind, By: by} }))
	}
	// A party's own agency publishing an operation is the party claiming
	// it (Amaq for the Islamic State).
	for _, o := range outletHits {
		if by, ok := partyOutlet[o.value]; ok {
			r.Facts = append(r.Facts, d.fact(TypeClaim, o.i, o.j, 0.55, func(f *Fact) { f.Claim = &Claim{Kind: "responsibility_claim", By: by} }))
		}
	}
	// An outlet named anywhere reports what it carries: "(رويترز)", "في
	// تصريح لوكالة الأناضول", "told Reuters". One fact per outlet.
	reported := map[string]bool{}
	for _, f := range r.Facts {
		if f.Type == TypeClaim && f.Claim.Kind == "report_by_outlet" {
			reported[f.Claim.By] = true
		}
	}
	for _, o := range outletHits {
		if !reported[o.value] {
			reported[o.value] = true
			r.Facts = append(r.Facts, d.fact(TypeClaim, o.i, o.j, 0.4, func(f *Fact) { f.Claim = &Claim{Kind: "report_by_outlet", By: o.value} }))
		}
	}

	// Parties and their roles.
	for ai, a := range actorHits {
		role, conf := "other", 0.5
		switch {
		case source[ai]:
			role, conf = "source", 0.7
		case accused[ai]:
			role, conf = "perpetrator", 0.6
		case d.precededBy(cueHits, a, 3):
			role, conf = "perpetrator", 0.8
		case a.i > 0 && (d.terms[a.i-1].Text == "استهدف" || d.terms[a.i-1].Text == "استهدفت"):
			role, conf = "perpetrator", 0.7
		case d.victimSide(a) || d.targeted(a, kindHits):
			role, conf = "victim_side", 0.6
		case d.attacker(kindHits, a):
			role, conf = "perpetrator", 0.65
		case d.nearest(kindHits, a, 1<<20, 1<<20) >= 0 && d.onlyActor(actorHits, ai):
			// The one party in the sentence of an attack, neither its
			// target nor a claimant: most likely who did it.
			role, conf = "perpetrator", 0.45
		}
		if denier[ai] {
			r.Facts = append(r.Facts, d.fact(TypeActor, a.i, a.j, 0.5, func(f *Fact) { f.Value, f.Role = a.value, "perpetrator" }))
		}
		r.Facts = append(r.Facts, d.fact(TypeActor, a.i, a.j, conf, func(f *Fact) { f.Value, f.Role = a.value, role }))
	}
	// A party with a role in the report is not also just "mentioned".
	roled := map[string]bool{}
	for _, f := range r.Facts {
		if f.Type == TypeActor && f.Role != "other" {
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

	r.Facts = append(r.Facts, d.casualties()...)
	r.Facts = append(r.Facts, d.dates(published)...)
	r.Facts = append(r.Facts, d.places()...)

	sort.SliceStable(r.Facts, func(i, j int) bool { return r.Facts[i].Span[0] < r.Facts[j].Span[0] })
	r.Incidents = d.group(r.Facts)
	return r
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
			if o.value == "killed" || o.value == "injured" {
				killed = true
			}
		}
	}
	if fighters && killed {
		return true
	}
	// English: "ISIS fighters were killed", "killing 12 ISIS members".
	if a.j < len(d.terms) {
		for _, c := range categories.find(d.terms[a.j:min(a.j+1, len(d.terms))]) {
			if c.value == "fighters" {
				for k := max(0, a.i-4); k < min(len(d.terms), a.j+4); k++ {
					for _, o := range outcomes.find(d.terms[k : k+1]) {
						if o.value == "killed" || o.value == "injured" {
							return true
						}
					}
				}
			}
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
	for k := a.i - 1; k >= max(0, a.i-4); k-- {
		if d.sentence(k) != s {
			break
		}
		for _, h := range kindHits {
			if h.i <= k && k < h.j {
				return false // "استهدفت طائرات حربية روسية": the attack names its author
			}
		}
		switch d.terms[k].Text {
		case "استهدف", "استهدفت":
			// Arabic puts the subject after the verb: "استهدفت قوات
			// النظام …" names the attacker; a target comes later.
			if k == a.i-1 {
				return false
			}
			return true
		case "مستهدف", "مواقع", "موقع", "قوافل", "قافل", "مقرات", "مقر", "نقاط", "تجمعات",
			"target", "targeted", "targeting", "position", "positions", "convoy", "convoys", "against":
			return true
		}
	}
	return false
}

// attacker: the party is named right after an attack ("قصف مدفعي لقوات
// النظام", "غارات روسية") or right before it ("Russian jets struck",
// "قوات النظام قصفت").
func (d *doc) attacker(kindHits []match, a match) bool {
	for _, k := range kindHits {
		if d.sentence(k.i) != d.sentence(a.i) {
			continue
		}
		if a.i >= k.j && a.i-k.j <= 2 || k.i >= a.j && k.i-a.j <= 2 {
			return true
		}
	}
	return false
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
