package ui

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/review"
)

// ReportData is the report page: the text as received with the proposed
// facts marked in place, and each fact with its decision.
type ReportData struct {
	Rec       *record.Record
	Rep       *record.Report
	Segments  []Segment
	Facts     []FactView
	Files     []EvidenceRow
	Incidents []IncidentLink // incidents the report is linked to
	Recent    []IncidentLink // incidents to link to
	NoExtract bool
	Choices   *FactChoices
	// Sealed: the report has a sealed reporter part. Reporter is it in
	// clear, once a cleared reader asked (Unsealed).
	Sealed   bool
	Unsealed bool
	Reporter *record.ReporterIdentity
}

// Segment is a run of the text; Fact is the innermost fact covering it
// (-1 when none).
type Segment struct {
	Text string
	Fact int
	Type string
}

// FactView is one proposed fact and what was decided about it.
type FactView struct {
	N      int // its position on the page (anchors #fact-N)
	Key    string
	Status string // proposed, accepted, edited, rejected
	Fact   extract.Fact
	By     string
	// Outdated: decided on an earlier extraction, which may have read the
	// passage differently.
	Outdated bool
}

// IncidentLink names an incident.
type IncidentLink struct{ ID, Title, When string }

// FactChoices are the options of the edit forms.
type FactChoices struct {
	Kinds, Outcomes, Categories, Qualifiers, Actors, Roles, Claims, Precisions []Option
}

func (u *UI) report(w http.ResponseWriter, r *http.Request) {
	d, err := u.reportData(r.Context(), lang(r), r.PathValue("id"))
	if err == nil && !canSee(r, d.Rec) {
		err = &record.NotFoundError{ID: r.PathValue("id")}
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := u.page(r, "reports", "report.title", d)
	if d.Rep.Title != "" {
		p.Title = d.Rep.Title
	}
	u.render(w, r, http.StatusOK, "report", p)
}

func (u *UI) getReport(ctx context.Context, id string) (*record.Record, *record.Report, error) {
	rec, err := u.Store.Get(ctx, id)
	if err == nil && rec.Type != record.TypeReport {
		err = &record.NotFoundError{ID: id}
	}
	if err != nil {
		return nil, nil, err
	}
	b, err := rec.Decode()
	if err != nil {
		return nil, nil, err
	}
	return rec, b.(*record.Report), nil
}

func (u *UI) reportData(ctx context.Context, l Lang, id string) (*ReportData, error) {
	rec, rep, err := u.getReport(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &ReportData{Rec: rec, Rep: rep, Choices: u.factChoices(l), Sealed: rep.Sealed != nil}
	facts, err := review.Facts(ctx, u.DB, id)
	switch {
	case errors.Is(err, record.ErrNotFound):
		d.NoExtract = true
	case err != nil:
		return nil, err
	}
	for i, f := range facts {
		d.Facts = append(d.Facts, FactView{N: i, Key: f.Key, Status: f.Status, Fact: f.Fact, By: f.DecidedBy, Outdated: f.Outdated})
	}
	d.Segments = segments(rep.Text, d.Facts)
	if d.Files, _, err = u.evidenceOf(ctx, []string{id}); err != nil {
		return nil, err
	}
	for _, iid := range rep.IncidentIDs {
		d.Incidents = append(d.Incidents, u.incidentLink(ctx, l, iid))
	}
	recent, _, err := u.Store.List(ctx, record.Query{Type: record.TypeIncident, Limit: 30})
	if err != nil {
		return nil, err
	}
	for i := range recent {
		if !contains(rep.IncidentIDs, recent[i].ID) {
			d.Recent = append(d.Recent, IncidentLink{ID: recent[i].ID, Title: recent[i].Title})
		}
	}
	return d, nil
}

func (u *UI) incidentLink(ctx context.Context, l Lang, id string) IncidentLink {
	link := IncidentLink{ID: id, Title: id}
	if rec, err := u.Store.Get(ctx, id); err == nil {
		if b, err := rec.Decode(); err == nil {
			inc := b.(*record.Incident)
			link.Title = firstNonEmpty(inc.TitleAR, inc.TitleEN)
			if l == EN {
				link.Title = firstNonEmpty(inc.TitleEN, inc.TitleAR)
			}
			link.When = l.Range(inc.When.Start, inc.When.End)
		}
	}
	return link
}

// segments cuts the text at every fact's span boundaries; each piece is
// marked with the shortest fact that covers it, so a casualty count
// inside a claim links to the count. Spans outside the text or not on
// character boundaries are ignored rather than trusted.
func segments(text string, facts []FactView) []Segment {
	cuts := map[int]bool{0: true, len(text): true}
	for _, f := range facts {
		s, e := f.Fact.Span[0], f.Fact.Span[1]
		if s < 0 || e > len(text) || s >= e {
			continue
		}
		cuts[s], cuts[e] = true, true
	}
	pos := make([]int, 0, len(cuts))
	for p := range cuts {
		pos = append(pos, p)
	}
	sort.Ints(pos)
	var out []Segment
	for i := 0; i+1 < len(pos); i++ {
		s, e := pos[i], pos[i+1]
		seg := Segment{Text: text[s:e], Fact: -1}
		best := -1
		for _, f := range facts {
			fs, fe := f.Fact.Span[0], f.Fact.Span[1]
			if fs <= s && e <= fe && f.Status != "rejected" && (best < 0 || fe-fs < facts[best].Fact.Span[1]-facts[best].Fact.Span[0]) {
				best = f.N
			}
		}
		if best >= 0 {
			seg.Fact, seg.Type = best, facts[best].Fact.Type
		}
		out = append(out, seg)
	}
	return out
}

func (u *UI) factChoices(l Lang) *FactChoices {
	c := &FactChoices{Actors: u.actorOptions(l)}
	c.Kinds, c.Outcomes, c.Categories = u.vocabOptions(l, "incident_kind"), u.vocabOptions(l, "outcome"), u.vocabOptions(l, "casualty_category")
	c.Qualifiers, c.Claims, c.Precisions = u.vocabOptions(l, "count_qualifier"), u.vocabOptions(l, "claim_type"), u.vocabOptions(l, "date_precision")
	for _, r := range []string{"perpetrator", "victim_side", "source", "other"} {
		c.Roles = append(c.Roles, Option{Value: r, Label: l.T("role." + r)})
	}
	return c
}

// decideFact records accept, reject or an edit of one fact. htmx gets
// the fact's part of the page back; a plain form goes back to the fact.
func (u *UI) decideFact(w http.ResponseWriter, r *http.Request) {
	author, err := needWho(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, badField("body", "the form could not be read", "تعذّرت قراءة النموذج"))
		return
	}
	key, action := r.PostForm.Get("key"), r.PostForm.Get("action")
	dec := review.Decision{Key: key, Action: action, Author: author}
	if action == "edited" {
		if dec.Fact, err = editedFact(r); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	if err := review.Decide(r.Context(), u.DB, id, dec); err != nil {
		u.fail(w, r, err)
		return
	}
	n := r.PostForm.Get("n")
	if r.Header.Get("HX-Request") == "true" {
		d, err := u.reportData(r.Context(), lang(r), id)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		// The whole review panel and text: a decision changes the marks.
		u.fragment(w, r, http.StatusOK, "report", "review", u.page(r, "reports", "report.title", d))
		return
	}
	seeOther(w, r, "/reports/"+id+"#fact-"+n)
}

// editedFact reads the edit form of a fact: only the fields of its type.
func editedFact(r *http.Request) (*extract.Fact, error) {
	v := r.PostForm
	f := &extract.Fact{Type: v.Get("type")}
	num := func(field string) (*int, error) {
		s := strings.TrimSpace(v.Get(field))
		if s == "" {
			return nil, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, badField(field, "must be a whole number, 0 or more", "يجب أن يكون عدداً صحيحاً، صفراً أو أكثر")
		}
		return &n, nil
	}
	switch f.Type {
	case extract.TypeIncidentKind:
		f.Value = v.Get("value")
	case extract.TypeActor:
		f.Value, f.Role = v.Get("value"), v.Get("role")
	case extract.TypeCasualties:
		f.Outcome, f.Category = v.Get("outcome"), v.Get("category")
		lo, err := num("min")
		if err != nil {
			return nil, err
		}
		hi, err := num("max")
		if err != nil {
			return nil, err
		}
		c := &extract.Count{Qualifier: v.Get("qualifier"), Max: -1}
		if lo != nil {
			c.Min, c.Best = *lo, *lo
		}
		if hi != nil {
			c.Max = *hi
			if lo == nil {
				c.Best = *hi
			}
		}
		f.Count = c
	case extract.TypePlace:
		f.Place = &extract.Place{ID: strings.TrimSpace(v.Get("place")), NameAR: strings.TrimSpace(v.Get("name"))}
	case extract.TypeDate:
		f.Date = &extract.Date{Start: v.Get("start"), End: firstNonEmpty(v.Get("end"), v.Get("start")), Precision: v.Get("precision")}
	case extract.TypeClaim:
		f.Claim = &extract.Claim{Kind: v.Get("claim"), By: v.Get("by")}
	default:
		return nil, badField("type", "is not a fact type", "ليس نوع واقعة")
	}
	return f, nil
}

// createIncident makes a new incident from the report's accepted facts.
func (u *UI) createIncident(w http.ResponseWriter, r *http.Request) {
	author, err := needWho(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	m := record.Meta{Author: author, Reason: firstNonEmpty(strings.TrimSpace(r.PostFormValue("reason")),
		"أُنشئت من التقرير "+id+" / created from report "+id)}
	res, err := review.CreateIncident(r.Context(), u.Service, u.Store, u.DB, id, m)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/incidents/"+res.IncidentID)
}

// linkIncident links the report to an existing incident.
func (u *UI) linkIncident(w http.ResponseWriter, r *http.Request) {
	author, err := needWho(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, target := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("incident"))
	if target == "" {
		u.fail(w, r, badField("incident", "is required: the incident to link to", "مطلوب: الحادثة المراد الربط بها"))
		return
	}
	m := record.Meta{Author: author, Reason: firstNonEmpty(strings.TrimSpace(r.PostFormValue("reason")),
		"رُبط التقرير "+id+" بالحادثة / report "+id+" linked to the incident")}
	if _, err := review.LinkIncident(r.Context(), u.Service, u.Store, u.DB, id, target, m); err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/incidents/"+target)
}
