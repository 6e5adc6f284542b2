package review

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// What an accepted perpetrator fact becomes: the report says the party
// carried out the attack, and one report is one source, so the attribution
// is possible — not likely (that takes corroboration) and not confirmed
// (that takes the party's own acknowledgement). Reviewers raise it with an
// assessment as sources agree.
const (
	perpetratorDegree     = "directly_carried_out"
	perpetratorConfidence = "possible"
)

// Written is one record a review step created or updated.
type Written struct {
	ID       string      `json:"id"`
	Type     record.Type `json:"type"`
	Revision int         `json:"revision"`
}

// Result is what a review step wrote, in the order it wrote it.
type Result struct {
	IncidentID string    `json:"incident_id"`
	Created    []Written `json:"created"`
	Updated    []Written `json:"updated"`
}

// AlreadyLinkedError: CreateIncident was asked for a report that is
// already on a live incident. errors.Is(err, record.ErrConflict) holds.
// The caller links the report to that incident instead, or, when the
// report really tells of another incident, calls CreateAnotherIncident.
type AlreadyLinkedError struct {
	ReportID    string
	IncidentIDs []string
}

func (e *AlreadyLinkedError) Error() string {
	return fmt.Sprintf("report %s is already on incident %s: link it there, or create another incident on purpose",
		e.ReportID, strings.Join(e.IncidentIDs, ", "))
}

// Arabic is the same message in Arabic.
func (e *AlreadyLinkedError) Arabic() string {
	return fmt.Sprintf("التقرير %s مرتبط بالحادثة %s: اربطه بها، أو أنشئ حادثة أخرى عن قصد",
		e.ReportID, strings.Join(e.IncidentIDs, "، "))
}

// Is makes errors.Is(err, record.ErrConflict) true.
func (e *AlreadyLinkedError) Is(target error) bool { return target == record.ErrConflict }

// CreateIncident makes one incident from the report's accepted and edited
// facts, in one batch with what the report says about it:
//
//   - the incident: its kinds from the incident-kind facts (at least one,
//     else a validation error naming "kinds"); when from the date facts,
//     else the report's publication date as an estimate; where from the
//     places; casualties from the casualty facts (per category and outcome
//     the highest figure the report gives); titles in Arabic and English,
//     the report's own title in its language; grading pending;
//   - a Claim for every claim fact, a casualty_count Claim for every
//     casualty fact, and an attribution Claim for every party the report
//     names as perpetrator, each with the quote and span it came from;
//   - an Involvement for each such party (degree directly_carried_out,
//     confidence possible, based on its attribution claim). Parties in
//     other roles get none: a victim's side, a claimant or a party only
//     mentioned did not take part in the act, and their words are already
//     claims;
//   - the report's new revision listing the incident.
//
// A report already on a live incident is refused with *AlreadyLinkedError,
// so a second click does not make a duplicate; two clicks at once cannot
// both pass, since the report's update is based on the revision read here
// and the second batch fails with a *record.ConflictError.
func CreateIncident(ctx context.Context, svc *record.Service, store *record.Store, db *sqldb.DB, reportID string, m record.Meta) (*Result, error) {
	return create(ctx, svc, store, db, reportID, m, false)
}

// CreateAnotherIncident is CreateIncident for a report that is already on
// an incident and tells of another one too.
func CreateAnotherIncident(ctx context.Context, svc *record.Service, store *record.Store, db *sqldb.DB, reportID string, m record.Meta) (*Result, error) {
	return create(ctx, svc, store, db, reportID, m, true)
}

func create(ctx context.Context, svc *record.Service, store *record.Store, db *sqldb.DB, reportID string, m record.Meta, again bool) (*Result, error) {
	rep, repRec, err := loadReport(ctx, store, reportID)
	if err != nil {
		return nil, err
	}
	incidents, err := live(ctx, store, rep.IncidentIDs)
	if err != nil {
		return nil, err
	}
	if len(incidents) > 0 && !again {
		return nil, &AlreadyLinkedError{ReportID: reportID, IncidentIDs: incidents}
	}
	facts, err := accepted(ctx, db, reportID)
	if err != nil {
		return nil, err
	}
	inc, err := newIncident(svc.Vocab(), reportID, rep, facts)
	if err != nil {
		return nil, err
	}
	id := record.NewID(time.Now())
	changes := []record.Change{{Action: record.ActionCreate, ID: id, Body: inc}}
	changes = append(changes, sourceRecords(svc.Vocab(), reportID, id, rep.Text, facts, map[string]string{}, map[string]bool{})...)
	// Retracted incidents are left out of the report's list: a reference
	// to one is refused, and the report's history keeps it.
	rep.IncidentIDs = append(incidents, id)
	changes = append(changes, record.Change{Action: record.ActionUpdate, ID: reportID, BaseRevision: repRec.Revision, Body: rep})
	return apply(ctx, svc, m, id, changes)
}

// LinkIncident adds the report to an existing incident: the incident's
// report_ids and the report's incident_ids list each other, the report's
// claim and casualty facts become Claim records on the incident beside
// every other source's (the incident's own casualty figures are not
// touched), and each party the report names as perpetrator gets an
// attribution claim and, if the incident has no involvement of that party
// yet, an Involvement as in CreateIncident. Linking again adds only what
// is missing: nothing, if no decision changed.
func LinkIncident(ctx context.Context, svc *record.Service, store *record.Store, db *sqldb.DB, reportID, incidentID string, m record.Meta) (*Result, error) {
	rep, repRec, err := loadReport(ctx, store, reportID)
	if err != nil {
		return nil, err
	}
	incRec, err := store.Get(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if incRec.Type != record.TypeIncident {
		return nil, record.Invalid("incident_id", "wrong_reference", fmt.Sprintf("record %s is a %s, not an incident", incidentID, incRec.Type),
			fmt.Sprintf("السجل %s من نوع %s وليس حادثة", incidentID, incRec.Type))
	}
	if incRec.Retracted {
		return nil, &record.ConflictError{ID: incidentID, Base: incRec.Revision, Current: incRec.Revision, Conflict: "retracted"}
	}
	body, err := incRec.Decode()
	if err != nil {
		return nil, err
	}
	inc := body.(*record.Incident)
	facts, err := accepted(ctx, db, reportID)
	if err != nil {
		return nil, err
	}
	have, involved, err := onIncident(ctx, store, reportID, incidentID)
	if err != nil {
		return nil, err
	}
	var changes []record.Change
	if !slices.Contains(inc.ReportIDs, reportID) {
		if inc.ReportIDs, err = live(ctx, store, inc.ReportIDs); err != nil {
			return nil, err
		}
		inc.ReportIDs = append(inc.ReportIDs, reportID)
		changes = append(changes, record.Change{Action: record.ActionUpdate, ID: incidentID, BaseRevision: incRec.Revision, Body: inc})
	}
	if !slices.Contains(rep.IncidentIDs, incidentID) {
		if rep.IncidentIDs, err = live(ctx, store, rep.IncidentIDs); err != nil {
			return nil, err
		}
		rep.IncidentIDs = append(rep.IncidentIDs, incidentID)
		changes = append(changes, record.Change{Action: record.ActionUpdate, ID: reportID, BaseRevision: repRec.Revision, Body: rep})
	}
	changes = append(changes, sourceRecords(svc.Vocab(), reportID, incidentID, rep.Text, facts, have, involved)...)
	if len(changes) == 0 {
		return &Result{IncidentID: incidentID, Created: []Written{}, Updated: []Written{}}, nil
	}
	return apply(ctx, svc, m, incidentID, changes)
}

func apply(ctx context.Context, svc *record.Service, m record.Meta, incidentID string, changes []record.Change) (*Result, error) {
	recs, err := svc.Apply(ctx, m, changes)
	if err != nil {
		return nil, err
	}
	res := &Result{IncidentID: incidentID, Created: []Written{}, Updated: []Written{}}
	for i, r := range recs {
		w := Written{ID: r.ID, Type: r.Type, Revision: r.Revision}
		if changes[i].Action == record.ActionCreate {
			res.Created = append(res.Created, w)
		} else {
			res.Updated = append(res.Updated, w)
		}
	}
	return res, nil
}

// loadReport reads a live report and its record.
func loadReport(ctx context.Context, store *record.Store, id string) (*record.Report, *record.Record, error) {
	rec, err := store.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if rec.Type != record.TypeReport {
		return nil, nil, record.Invalid("report_id", "wrong_reference", fmt.Sprintf("record %s is a %s, not a report", id, rec.Type),
			fmt.Sprintf("السجل %s من نوع %s وليس تقريراً", id, rec.Type))
	}
	if rec.Retracted {
		return nil, nil, &record.ConflictError{ID: id, Base: rec.Revision, Current: rec.Revision, Conflict: "retracted"}
	}
	body, err := rec.Decode()
	if err != nil {
		return nil, nil, err
	}
	return body.(*record.Report), rec, nil
}

// live keeps the ids of records that exist and are not retracted.
func live(ctx context.Context, store *record.Store, ids []string) ([]string, error) {
	out := []string{}
	for _, id := range ids {
		rec, err := store.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if !rec.Retracted {
			out = append(out, id)
		}
	}
	return out, nil
}

// accepted is the facts the analyst accepted or edited, in text order, as
// decided.
func accepted(ctx context.Context, db *sqldb.DB, reportID string) ([]extract.Fact, error) {
	rfs, err := Facts(ctx, db, reportID)
	if err != nil {
		return nil, err
	}
	var out []extract.Fact
	for _, rf := range rfs {
		if rf.Status == Accepted || rf.Status == Edited {
			out = append(out, rf.Fact)
		}
	}
	return out, nil
}

// onIncident is what the incident already holds from this report — its
// claims, by claimKey → claim id — and the parties involved in it.
func onIncident(ctx context.Context, store *record.Store, reportID, incidentID string) (map[string]string, map[string]bool, error) {
	have := map[string]string{}
	claims, err := listAll(ctx, store, record.Query{Type: record.TypeClaim, RefersTo: reportID})
	if err != nil {
		return nil, nil, err
	}
	for _, r := range claims {
		b, err := r.Decode()
		if err != nil {
			return nil, nil, err
		}
		if c := b.(*record.Claim); c.IncidentID == incidentID {
			have[claimKey(c)] = r.ID
		}
	}
	involved := map[string]bool{}
	invs, err := listAll(ctx, store, record.Query{Type: record.TypeInvolvement, RefersTo: incidentID})
	if err != nil {
		return nil, nil, err
	}
	for _, r := range invs {
		b, err := r.Decode()
		if err != nil {
			return nil, nil, err
		}
		if inv := b.(*record.Involvement); inv.IncidentID == incidentID {
			involved[inv.ActorID] = true
		}
	}
	return have, involved, nil
}

// listAll pages through every live record matching q.
func listAll(ctx context.Context, store *record.Store, q record.Query) ([]record.Record, error) {
	var out []record.Record
	q.Limit = record.MaxLimit
	for {
		page, _, err := store.List(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < q.Limit {
			return out, nil
		}
		q.Offset += len(page)
	}
}

// claimKey is what makes two claims of one report on one incident the
// same: their type, span and the party they attribute.
func claimKey(c *record.Claim) string {
	return fmt.Sprintf("%s|%v|%s", c.ClaimType, c.Span, c.ActorID)
}

// sourceRecords are the claims and involvements the report's accepted
// facts add to incident id, leaving out the claims in have (by claimKey)
// and involvements of the parties in involved.
func sourceRecords(vs *vocab.Set, reportID, id, text string, facts []extract.Fact, have map[string]string, involved map[string]bool) []record.Change {
	var out []record.Change
	add := func(c *record.Claim) string {
		c.ReportID, c.IncidentID = reportID, id
		if cid, ok := have[claimKey(c)]; ok {
			return cid
		}
		cid := record.NewID(time.Now())
		have[claimKey(c)] = cid
		out = append(out, record.Change{Action: record.ActionCreate, ID: cid, Body: c})
		return cid
	}
	for _, f := range facts {
		quote, span := quoteOf(text, f), []int{f.Span[0], f.Span[1]}
		switch f.Type {
		case extract.TypeClaim:
			c := &record.Claim{ClaimType: claimType(vs, f.Claim.Kind), Quote: quote, Span: span}
			if _, ok := vs.Actor(f.Claim.By); ok {
				c.AssertedByID = f.Claim.By // actor records carry their code as id
			} else if f.Claim.By != "" {
				c.Notes = "asserted by: " + f.Claim.By
			}
			add(c)
		case extract.TypeCasualties:
			add(&record.Claim{ClaimType: "casualty_count", Quote: quote, Span: span,
				Casualty: &record.CasualtyCount{Category: f.Category, Outcome: f.Outcome, Count: recordCount(*f.Count)}})
		case extract.TypeActor:
			if f.Role != "perpetrator" {
				continue
			}
			cid := add(&record.Claim{ClaimType: "attribution", ActorID: f.Value, Quote: quote, Span: span})
			if involved[f.Value] {
				continue
			}
			involved[f.Value] = true
			out = append(out, record.Change{Action: record.ActionCreate, Body: &record.Involvement{
				ActorID: f.Value, IncidentID: id, Degree: perpetratorDegree, Confidence: perpetratorConfidence,
				Basis:    "named as perpetrator by report " + reportID + " (one source)",
				ClaimIDs: []string{cid}}})
		}
	}
	return out
}

// claimType maps an extracted claim kind to the claim_type vocabulary:
// the extractor's kinds are its codes; counts and attributions have facts
// of their own.
func claimType(vs *vocab.Set, kind string) string {
	if kind != "casualty_count" && kind != "attribution" && vs.Has(vocab.ClaimType, kind) {
		return kind
	}
	return "other"
}

// quoteOf is the report's text at the fact's span.
func quoteOf(text string, f extract.Fact) string {
	if s, e := f.Span[0], f.Span[1]; 0 <= s && s <= e && e <= len(text) {
		return text[s:e]
	}
	return f.Text
}
