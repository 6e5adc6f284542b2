package record

import (
	"fmt"
	"time"

	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Incident is one thing that happened: its kinds, when, where, weapons,
// targets, grading and casualty summary.
type Incident struct {
	TitleAR           string          `json:"title_ar,omitempty"`
	TitleEN           string          `json:"title_en,omitempty"`
	Description       string          `json:"description,omitempty"`
	Kinds             []string        `json:"kinds"`
	When              DateRange       `json:"when"`
	Where             []Place         `json:"where,omitempty"`
	Weapons           []string        `json:"weapons,omitempty"`
	Targets           []string        `json:"targets,omitempty"`
	CivilianTargeting string          `json:"civilian_targeting,omitempty"`
	Grading           string          `json:"grading" default:"pending"`
	Casualties        []CasualtyCount `json:"casualties,omitempty"`
	ReportIDs         []string        `json:"report_ids,omitempty"`
	Confidentiality   string          `json:"confidentiality" default:"internal"`
	Tags              []string        `json:"tags,omitempty"`
}

// CasualtyCount is how many of a category met an outcome.
type CasualtyCount struct {
	Category string `json:"category"`
	Outcome  string `json:"outcome"`
	Count    Count  `json:"count"`
}

func (c CasualtyCount) validate(v *Validator, field string) {
	v.Code(field+".category", vocab.CasualtyCategory, c.Category, true)
	v.Code(field+".outcome", vocab.Outcome, c.Outcome, true)
	c.Count.Validate(v, field+".count")
}

// Type implements Body.
func (*Incident) Type() Type { return TypeIncident }

func (x *Incident) applyDefaults() {
	if x.Grading == "" {
		x.Grading = "pending"
	}
	if x.Confidentiality == "" {
		x.Confidentiality = "internal"
	}
}

// Validate implements Body.
func (x *Incident) Validate(v *Validator) {
	if x.TitleAR == "" && x.TitleEN == "" {
		v.Fail("title_ar", "required", "an Arabic or an English title is required", "يلزم عنوان بالعربية أو بالإنكليزية")
	}
	v.Text("title_ar", x.TitleAR, false, maxShortText)
	v.Text("title_en", x.TitleEN, false, maxShortText)
	v.Text("description", x.Description, false, maxLongText)
	v.Codes("kinds", vocab.IncidentKind, x.Kinds, 1)
	x.When.Validate(v, "when")
	for i, p := range x.Where {
		p.Validate(v, fmt.Sprintf("where[%d]", i))
	}
	v.Codes("weapons", vocab.Weapon, x.Weapons, 0)
	v.Codes("targets", vocab.Target, x.Targets, 0)
	v.Code("civilian_targeting", vocab.CivilianTargeting, x.CivilianTargeting, false)
	v.Code("grading", vocab.Grading, x.Grading, true)
	for i, c := range x.Casualties {
		c.validate(v, fmt.Sprintf("casualties[%d]", i))
	}
	v.Refs("report_ids", x.ReportIDs, TypeReport)
	v.Code("confidentiality", vocab.Confidentiality, x.Confidentiality, true)
	v.Tags("tags", x.Tags)
}

// Index implements Body.
func (x *Incident) Index() Index {
	ix := Index{Title: firstNonEmpty(x.TitleAR, x.TitleEN), Status: x.Grading}
	ix.DateStart, ix.DateEnd = x.When.Bounds()
	ix.Terms = terms("kind", x.Kinds)
	ix.Terms = append(ix.Terms, terms("weapon", x.Weapons)...)
	ix.Terms = append(ix.Terms, terms("target", x.Targets)...)
	ix.Terms = append(ix.Terms, terms("tag", x.Tags)...)
	ix.Terms = append(ix.Terms, Term{"confidentiality", x.Confidentiality})
	for _, p := range x.Where {
		if p.GazetteerID != "" {
			ix.Terms = append(ix.Terms, Term{"place", p.GazetteerID})
		}
	}
	return ix
}

// Act is one violation against one victim or victim group.
type Act struct {
	IncidentID     string     `json:"incident_id"`
	ActType        string     `json:"act_type"`
	VictimPersonID string     `json:"victim_person_id,omitempty"`
	VictimGroupID  string     `json:"victim_group_id,omitempty"`
	Methods        []string   `json:"methods,omitempty"`
	When           *DateRange `json:"when,omitempty"`
	Where          *Place     `json:"where,omitempty"`
	Outcome        string     `json:"outcome,omitempty"`
	Notes          string     `json:"notes,omitempty"`
}

// Type implements Body.
func (*Act) Type() Type { return TypeAct }

// Validate implements Body.
func (x *Act) Validate(v *Validator) {
	v.Ref("incident_id", x.IncidentID, true, TypeIncident)
	v.Code("act_type", vocab.ActType, x.ActType, true)
	v.ExactlyOne("victim_person_id", x.VictimPersonID, "victim_group_id", x.VictimGroupID)
	v.Ref("victim_person_id", x.VictimPersonID, false, TypePerson)
	v.Ref("victim_group_id", x.VictimGroupID, false, TypeVictimGroup)
	v.Codes("methods", vocab.Weapon, x.Methods, 0)
	if x.When != nil {
		x.When.Validate(v, "when")
	}
	if x.Where != nil {
		x.Where.Validate(v, "where")
	}
	v.Code("outcome", vocab.Outcome, x.Outcome, false)
	v.Text("notes", x.Notes, false, maxLongText)
}

// Index implements Body.
func (x *Act) Index() Index {
	ix := Index{Status: x.ActType, Terms: []Term{{"act_type", x.ActType}}}
	if x.When != nil {
		ix.DateStart, ix.DateEnd = x.When.Bounds()
	}
	return ix
}

// Person is a named (or known but unnamed) victim. Names and identifying
// details are personal data, sealed in Identity: never logged, never in an
// error message, never stored in clear. Label is what analysts see.
type Person struct {
	// Label is a pseudonym or description for lists ("victim 3 of the
	// market strike"); never the name.
	Label           string          `json:"label,omitempty"`
	Identity        *PersonIdentity `json:"identity,omitempty"`
	Sealed          *Sealed         `json:"sealed,omitempty"`
	Unidentified    bool            `json:"unidentified,omitempty"`
	Sex             string          `json:"sex,omitempty"`
	AgeBand         string          `json:"age_band,omitempty"`
	Age             *int            `json:"age,omitempty"`
	CivilianStatus  string          `json:"civilian_status" default:"civilian"`
	Occupation      string          `json:"occupation,omitempty"`
	Residence       *Place          `json:"residence,omitempty"`
	DateOfDeath     *DateRange      `json:"date_of_death,omitempty"`
	Notes           string          `json:"notes,omitempty"`
	Confidentiality string          `json:"confidentiality" default:"restricted"`
	Tags            []string        `json:"tags,omitempty"`
}

// Type implements Body.
func (*Person) Type() Type { return TypePerson }

func (x *Person) applyDefaults() {
	if x.CivilianStatus == "" {
		// Presumed civilian unless evidence says otherwise (IHL).
		x.CivilianStatus = "civilian"
	}
	if x.Confidentiality == "" {
		x.Confidentiality = "restricted"
	}
}

// Validate implements Body.
func (x *Person) Validate(v *Validator) {
	named := x.Sealed != nil || x.Identity != nil && (x.Identity.FullNameAR != "" || x.Identity.FullNameLatin != "")
	if !named && !x.Unidentified {
		v.Fail("identity.full_name_ar", "required", "a name is required unless unidentified is true", "يلزم اسم ما لم يكن الشخص مجهول الهوية")
	}
	v.Text("label", x.Label, false, maxShortText)
	if x.Identity != nil {
		x.Identity.validate(v, "identity")
	}
	v.Code("sex", vocab.Sex, x.Sex, false)
	v.Code("age_band", vocab.AgeBand, x.AgeBand, false)
	if x.Age != nil && (*x.Age < 0 || *x.Age > 130) {
		v.Fail("age", "out_of_range", "must be between 0 and 130", "يجب أن يكون بين 0 و130")
	}
	v.Code("civilian_status", vocab.CivilianStatus, x.CivilianStatus, true)
	v.Text("occupation", x.Occupation, false, maxShortText)
	if x.Residence != nil {
		x.Residence.Validate(v, "residence")
	}
	if x.DateOfDeath != nil {
		x.DateOfDeath.Validate(v, "date_of_death")
	}
	v.Text("notes", x.Notes, false, maxLongText)
	v.Code("confidentiality", vocab.Confidentiality, x.Confidentiality, true)
	v.Tags("tags", x.Tags)
}

// Index implements Body. The title is the label, never the name: lists
// must not spread personal data.
func (x *Person) Index() Index {
	return Index{Title: x.Label, Status: x.CivilianStatus, Terms: append(terms("tag", x.Tags), Term{"civilian_status", x.CivilianStatus})}
}

// VictimGroup is counted victims whose names are not known ("70 civilians").
type VictimGroup struct {
	IncidentID     string `json:"incident_id"`
	Description    string `json:"description,omitempty"`
	Category       string `json:"category"`
	Outcome        string `json:"outcome"`
	Count          Count  `json:"count"`
	CivilianStatus string `json:"civilian_status" default:"civilian"`
}

// Type implements Body.
func (*VictimGroup) Type() Type { return TypeVictimGroup }

func (x *VictimGroup) applyDefaults() {
	if x.CivilianStatus == "" {
		x.CivilianStatus = "civilian"
	}
}

// Validate implements Body.
func (x *VictimGroup) Validate(v *Validator) {
	v.Ref("incident_id", x.IncidentID, true, TypeIncident)
	v.Text("description", x.Description, false, maxShortText)
	v.Code("category", vocab.CasualtyCategory, x.Category, true)
	v.Code("outcome", vocab.Outcome, x.Outcome, true)
	x.Count.Validate(v, "count")
	v.Code("civilian_status", vocab.CivilianStatus, x.CivilianStatus, true)
}

// Index implements Body.
func (x *VictimGroup) Index() Index {
	return Index{Title: x.Description, Status: x.Outcome,
		Terms: []Term{{"category", x.Category}, {"outcome", x.Outcome}}}
}

// Actor is a party: an armed force, group or unit, with its names.
type Actor struct {
	Code      string            `json:"code,omitempty"`
	NameAR    string            `json:"name_ar"`
	NameEN    string            `json:"name_en"`
	AliasesAR []string          `json:"aliases_ar,omitempty"`
	AliasesEN []string          `json:"aliases_en,omitempty"`
	Category  string            `json:"category"`
	ParentID  string            `json:"parent_id,omitempty"`
	External  map[string]string `json:"external,omitempty"`
	Notes     string            `json:"notes,omitempty"`
}

// Type implements Body.
func (*Actor) Type() Type { return TypeActor }

// Validate implements Body.
func (x *Actor) Validate(v *Validator) {
	v.Text("code", x.Code, false, 64)
	v.Text("name_ar", x.NameAR, true, maxShortText)
	v.Text("name_en", x.NameEN, true, maxShortText)
	for i, a := range x.AliasesAR {
		v.Text(fmt.Sprintf("aliases_ar[%d]", i), a, true, maxShortText)
	}
	for i, a := range x.AliasesEN {
		v.Text(fmt.Sprintf("aliases_en[%d]", i), a, true, maxShortText)
	}
	v.Code("category", vocab.ActorCategory, x.Category, true)
	v.Ref("parent_id", x.ParentID, false, TypeActor)
	for k, val := range x.External {
		v.Text("external."+clip(k), val, true, maxShortText)
	}
	v.Text("notes", x.Notes, false, maxLongText)
}

// Index implements Body.
func (x *Actor) Index() Index {
	ix := Index{Title: firstNonEmpty(x.NameAR, x.NameEN), Status: x.Category,
		Terms: []Term{{"category", x.Category}}}
	if x.Code != "" {
		ix.Keys = []string{"actor.code:" + x.Code}
	}
	return ix
}

// Involvement says an actor took part in an incident or an act, how, and
// how sure we are.
type Involvement struct {
	ActorID    string   `json:"actor_id"`
	IncidentID string   `json:"incident_id,omitempty"`
	ActID      string   `json:"act_id,omitempty"`
	Degree     string   `json:"degree"`
	Confidence string   `json:"confidence"`
	Basis      string   `json:"basis,omitempty"`
	ClaimIDs   []string `json:"claim_ids,omitempty"`
}

// Type implements Body.
func (*Involvement) Type() Type { return TypeInvolvement }

// Validate implements Body.
func (x *Involvement) Validate(v *Validator) {
	v.Ref("actor_id", x.ActorID, true, TypeActor)
	v.ExactlyOne("incident_id", x.IncidentID, "act_id", x.ActID)
	v.Ref("incident_id", x.IncidentID, false, TypeIncident)
	v.Ref("act_id", x.ActID, false, TypeAct)
	v.Code("degree", vocab.InvolvementDegree, x.Degree, true)
	v.Code("confidence", vocab.AttributionConfidence, x.Confidence, true)
	v.Text("basis", x.Basis, false, maxLongText)
	v.Refs("claim_ids", x.ClaimIDs, TypeClaim)
}

// Index implements Body.
func (x *Involvement) Index() Index {
	return Index{Status: x.Confidence, Terms: []Term{{"actor", x.ActorID}, {"degree", x.Degree}}}
}

// Source is who told us. The pseudonym is what analysts see; a source's
// real identity and contact details are sealed in Identity.
type Source struct {
	DisplayLabel       string          `json:"display_label"`
	Identity           *SourceIdentity `json:"identity,omitempty"`
	Sealed             *Sealed         `json:"sealed,omitempty"`
	SourceType         string          `json:"source_type"`
	IsPseudonymous     bool            `json:"is_pseudonymous,omitempty"`
	AffiliationActorID string          `json:"affiliation_actor_id,omitempty"`
	Reliability        string          `json:"reliability,omitempty"`
	IndependenceGroup  string          `json:"independence_group,omitempty"`
	Notes              string          `json:"notes,omitempty"`
	Confidentiality    string          `json:"confidentiality" default:"internal"`
}

// Type implements Body.
func (*Source) Type() Type { return TypeSource }

func (x *Source) applyDefaults() {
	if x.Confidentiality == "" {
		x.Confidentiality = "internal"
	}
}

// Validate implements Body.
func (x *Source) Validate(v *Validator) {
	v.Text("display_label", x.DisplayLabel, true, maxShortText)
	if x.Identity != nil {
		x.Identity.validate(v, "identity")
	}
	v.Code("source_type", vocab.SourceType, x.SourceType, true)
	v.Ref("affiliation_actor_id", x.AffiliationActorID, false, TypeActor)
	v.Code("reliability", vocab.Reliability, x.Reliability, false)
	v.Text("independence_group", x.IndependenceGroup, false, maxShortText)
	v.Text("notes", x.Notes, false, maxLongText)
	v.Code("confidentiality", vocab.Confidentiality, x.Confidentiality, true)
}

// Index implements Body.
func (x *Source) Index() Index {
	return Index{Title: x.DisplayLabel, Status: x.SourceType, Terms: []Term{{"source_type", x.SourceType}}}
}

// Report is one source's account: its text as received, its language and
// where it came from.
type Report struct {
	Title        string    `json:"title,omitempty"`
	Text         string    `json:"text"`
	Language     string    `json:"language"`
	SourceID     string    `json:"source_id,omitempty"`
	MaterialType string    `json:"material_type,omitempty"`
	ReceivedAt   string    `json:"received_at,omitempty"`
	Published    string    `json:"published,omitempty"`
	URL          string    `json:"url,omitempty"`
	Outlet       string    `json:"outlet,omitempty"`
	Original     *Original `json:"original,omitempty"`
	IncidentIDs  []string  `json:"incident_ids,omitempty"`
	Tags         []string  `json:"tags,omitempty"`
	// Reporter is who sent the report and from where (name, contact,
	// exact position, network address): sealed.
	Reporter *ReporterIdentity `json:"reporter,omitempty"`
	Sealed   *Sealed           `json:"sealed,omitempty"`
}

// Original describes the file a report was read from.
type Original struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Format string `json:"format"`
	Name   string `json:"name,omitempty"`
	Item   int    `json:"item,omitempty"`
}

// Type implements Body.
func (*Report) Type() Type { return TypeReport }

// Validate implements Body.
func (x *Report) Validate(v *Validator) {
	v.Text("title", x.Title, false, maxShortText)
	v.Text("text", x.Text, true, maxLongText)
	v.Code("language", vocab.Language, x.Language, true)
	v.Ref("source_id", x.SourceID, false, TypeSource)
	v.Code("material_type", vocab.MaterialType, x.MaterialType, false)
	if x.ReceivedAt != "" {
		if _, err := time.Parse(time.RFC3339, x.ReceivedAt); err != nil {
			v.Fail("received_at", "invalid_time", "must be an RFC 3339 time", "يجب أن يكون وقتاً بصيغة RFC 3339")
		}
	}
	if x.Published != "" {
		if _, g, err := parsePartial(x.Published); err != nil || g == "time" {
			v.Fail("published", "invalid_date", "must be YYYY, YYYY-MM or YYYY-MM-DD", "يجب أن يكون بالشكل YYYY أو YYYY-MM أو YYYY-MM-DD")
		}
	}
	v.Text("url", x.URL, false, 4000)
	v.Text("outlet", x.Outlet, false, maxShortText)
	if x.Reporter != nil {
		x.Reporter.validate(v, "reporter")
	}
	if o := x.Original; o != nil {
		v.hash("original.sha256", o.SHA256)
		if o.Size < 0 {
			v.Fail("original.size", "negative", "must not be negative", "يجب ألا يكون سالباً")
		}
		v.Text("original.format", o.Format, true, 40)
		v.Text("original.name", o.Name, false, 1000)
	}
	v.Refs("incident_ids", x.IncidentIDs, TypeIncident)
	v.Tags("tags", x.Tags)
}

// Index implements Body.
func (x *Report) Index() Index {
	ix := Index{Title: x.Title, Status: x.Language,
		Terms: append(terms("tag", x.Tags), Term{"language", x.Language})}
	if x.Published != "" {
		d := DateRange{Start: x.Published}
		ix.DateStart, ix.DateEnd = d.Bounds()
	}
	if x.Original != nil && x.Original.SHA256 != "" {
		ix.Keys = []string{"report.sha256:" + x.Original.SHA256}
	}
	return ix
}

// Claim is one structured assertion inside a report: a count, an
// attribution, a denial … kept as the source made it, never typed over.
type Claim struct {
	ReportID     string         `json:"report_id"`
	ClaimType    string         `json:"claim_type"`
	IncidentID   string         `json:"incident_id,omitempty"`
	AssertedByID string         `json:"asserted_by_actor_id,omitempty"`
	ActorID      string         `json:"actor_id,omitempty"`
	Quote        string         `json:"quote,omitempty"`
	Span         []int          `json:"span,omitempty"`
	Casualty     *CasualtyCount `json:"casualty,omitempty"`
	When         *DateRange     `json:"when,omitempty"`
	Where        *Place         `json:"where,omitempty"`
	Notes        string         `json:"notes,omitempty"`
}

// Type implements Body.
func (*Claim) Type() Type { return TypeClaim }

// Validate implements Body.
func (x *Claim) Validate(v *Validator) {
	v.Ref("report_id", x.ReportID, true, TypeReport)
	v.Code("claim_type", vocab.ClaimType, x.ClaimType, true)
	v.Ref("incident_id", x.IncidentID, false, TypeIncident)
	v.Ref("asserted_by_actor_id", x.AssertedByID, false, TypeActor)
	v.Ref("actor_id", x.ActorID, false, TypeActor)
	v.Text("quote", x.Quote, false, maxLongText)
	if x.Span != nil && (len(x.Span) != 2 || x.Span[0] < 0 || x.Span[1] < x.Span[0]) {
		v.Fail("span", "invalid_span", "must be [start, end) byte offsets with 0 ≤ start ≤ end", "يجب أن يكون [بداية، نهاية) بحيث 0 ≤ بداية ≤ نهاية")
	}
	if x.ClaimType == "casualty_count" && x.Casualty == nil {
		v.Fail("casualty", "required", "is required for a casualty_count claim", "مطلوب لادعاء من نوع casualty_count")
	}
	if x.Casualty != nil {
		x.Casualty.validate(v, "casualty")
	}
	if x.ClaimType == "attribution" && x.ActorID == "" {
		v.Fail("actor_id", "required", "is required for an attribution claim", "مطلوب لادعاء من نوع attribution")
	}
	if x.When != nil {
		x.When.Validate(v, "when")
	}
	if x.Where != nil {
		x.Where.Validate(v, "where")
	}
	v.Text("notes", x.Notes, false, maxLongText)
}

// Index implements Body.
func (x *Claim) Index() Index {
	ix := Index{Status: x.ClaimType, Terms: []Term{{"claim_type", x.ClaimType}}}
	if x.AssertedByID != "" {
		ix.Terms = append(ix.Terms, Term{"asserted_by", x.AssertedByID})
	}
	return ix
}

// Assessment is an analyst's versioned judgement about a record, with its
// rationale.
type Assessment struct {
	SubjectID string   `json:"subject_id"`
	Kind      string   `json:"kind"`
	Value     string   `json:"value"`
	Rationale string   `json:"rationale"`
	InputIDs  []string `json:"input_ids,omitempty"`
}

// assessmentValues names the vocabulary each assessment kind's value comes
// from; casualty_rule values are rule names, not codes.
var assessmentValues = map[string]string{
	"grading": vocab.Grading, "verification": vocab.VerificationStatus,
	"civilian_status": vocab.CivilianStatus, "attribution": vocab.AttributionConfidence,
}

// Type implements Body.
func (*Assessment) Type() Type { return TypeAssessment }

// Validate implements Body.
func (x *Assessment) Validate(v *Validator) {
	v.Ref("subject_id", x.SubjectID, true, TypeIncident, TypeAct, TypePerson, TypeVictimGroup,
		TypeInvolvement, TypeClaim, TypeReport, TypeSource, TypeEvidence)
	v.Code("kind", vocab.AssessmentKind, x.Kind, true)
	if list, ok := assessmentValues[x.Kind]; ok {
		v.Code("value", list, x.Value, true)
	} else {
		v.Text("value", x.Value, true, 200)
	}
	v.Text("rationale", x.Rationale, true, maxLongText)
	v.Refs("input_ids", x.InputIDs)
}

// Index implements Body.
func (x *Assessment) Index() Index {
	return Index{Status: x.Value, Terms: []Term{{"kind", x.Kind}}}
}

func terms(field string, values []string) []Term {
	out := make([]Term, 0, len(values))
	for _, v := range values {
		out = append(out, Term{field, v})
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func isLowerHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
