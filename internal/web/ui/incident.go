package ui

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
)

// IncidentData is everything the incident page shows.
type IncidentData struct {
	Rec        *record.Record
	Inc        *record.Incident
	Sources    []SourceClaims // every report's claims side by side
	Involved   []Involved
	Groups     []*record.VictimGroup
	Grading    []GradingStep
	History    []record.Revision
	Evidence   []EvidenceRow
	Checkpoint int64 // the size of the latest signed checkpoint
}

// SourceClaims is what one report says about the incident.
type SourceClaims struct {
	ReportID, Title, Outlet, Published string
	Claims                             []ClaimRow
}

// ClaimRow is one claim; Denial marks denials and disclaimers so the page
// can set them apart without hiding them.
type ClaimRow struct {
	ID     string
	Claim  *record.Claim
	Denial bool
}

// Involved is an actor's part in the incident.
type Involved struct {
	ID string
	*record.Involvement
}

// GradingStep is a revision that set or changed the grading.
type GradingStep struct {
	Revision int
	Grading  string
	Author   string
	Reason   string
	At       string
}

// EvidenceRow is one file of a linked report with its ledger status.
type EvidenceRow struct {
	ID       string
	Ev       *record.Evidence
	Meta     string // the embedded metadata, indented JSON
	Leaf     int64  // the ledger leaf of its current revision, -1 if none
	InCheckp bool   // covered by the latest signed checkpoint
}

func (u *UI) incident(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rec, err := u.Store.Get(ctx, r.PathValue("id"))
	if err == nil && rec.Type != record.TypeIncident {
		err = &record.NotFoundError{ID: r.PathValue("id")}
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d, err := u.incidentData(ctx, rec)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	title := firstNonEmpty(d.Inc.TitleAR, d.Inc.TitleEN)
	if lang(r) == EN {
		title = firstNonEmpty(d.Inc.TitleEN, d.Inc.TitleAR)
	}
	p := u.page(r, "incidents", "incident.title", d)
	p.Title = title
	u.render(w, r, http.StatusOK, "incident", p)
}

func (u *UI) incidentData(ctx context.Context, rec *record.Record) (*IncidentData, error) {
	b, err := rec.Decode()
	if err != nil {
		return nil, err
	}
	d := &IncidentData{Rec: rec, Inc: b.(*record.Incident)}
	if d.History, err = u.Store.History(ctx, rec.ID); err != nil {
		return nil, err
	}
	d.Grading = gradingSteps(d.History)
	related, _, err := u.Store.List(ctx, record.Query{RefersTo: rec.ID, Limit: record.MaxLimit})
	if err != nil {
		return nil, err
	}
	bySource := map[string]*SourceClaims{}
	for i := range related {
		x := &related[i]
		body, err := x.Decode()
		if err != nil {
			return nil, err
		}
		switch v := body.(type) {
		case *record.Claim:
			sc := bySource[v.ReportID]
			if sc == nil {
				sc = &SourceClaims{ReportID: v.ReportID}
				bySource[v.ReportID] = sc
			}
			sc.Claims = append(sc.Claims, ClaimRow{ID: x.ID, Claim: v, Denial: isDenial(v.ClaimType)})
		case *record.Involvement:
			d.Involved = append(d.Involved, Involved{x.ID, v})
		case *record.VictimGroup:
			d.Groups = append(d.Groups, v)
		}
	}
	// Reports linked without claims still appear as sources.
	for _, id := range d.Inc.ReportIDs {
		if bySource[id] == nil {
			bySource[id] = &SourceClaims{ReportID: id}
		}
	}
	for id, sc := range bySource {
		if rr, err := u.Store.Get(ctx, id); err == nil {
			if rb, err := rr.Decode(); err == nil {
				rep := rb.(*record.Report)
				sc.Title, sc.Outlet, sc.Published = firstNonEmpty(rep.Title, rr.Title, id), rep.Outlet, rep.Published
			}
		}
		sort.SliceStable(sc.Claims, func(i, j int) bool { return sc.Claims[i].Denial && !sc.Claims[j].Denial })
		d.Sources = append(d.Sources, *sc)
	}
	sort.Slice(d.Sources, func(i, j int) bool { return d.Sources[i].Published < d.Sources[j].Published })
	if d.Evidence, d.Checkpoint, err = u.evidenceOf(ctx, d.Inc.ReportIDs); err != nil {
		return nil, err
	}
	return d, nil
}

func isDenial(t string) bool {
	return t == "denial" || t == "denial_of_responsibility" || t == "alternative_explanation"
}

// gradingSteps keeps the revisions where the grading changed.
func gradingSteps(h []record.Revision) []GradingStep {
	var out []GradingStep
	last := ""
	for _, rev := range h {
		var g struct {
			Grading string `json:"grading"`
		}
		if json.Unmarshal(rev.Body, &g) != nil || g.Grading == last {
			continue
		}
		last = g.Grading
		out = append(out, GradingStep{rev.Revision, g.Grading, rev.Author, rev.Reason, rev.CreatedAt.UTC().Format("2006-01-02")})
	}
	return out
}

// evidenceOf lists the files attached to the reports, each with the leaf
// of its current revision and whether a signed checkpoint covers it.
func (u *UI) evidenceOf(ctx context.Context, reportIDs []string) ([]EvidenceRow, int64, error) {
	cpSize := int64(0)
	if cp, err := u.Ledger.LatestCheckpoint(ctx); err == nil {
		if c, err := ledger.VerifyCheckpoint(cp, u.Ledger.VerifierKey()); err == nil {
			cpSize = c.Size
		}
	}
	var out []EvidenceRow
	for _, rid := range reportIDs {
		recs, _, err := u.Store.List(ctx, record.Query{Type: record.TypeEvidence, RefersTo: rid, Limit: 200})
		if err != nil {
			return nil, 0, err
		}
		for i := range recs {
			b, err := recs[i].Decode()
			if err != nil {
				return nil, 0, err
			}
			ev := b.(*record.Evidence)
			row := EvidenceRow{ID: recs[i].ID, Ev: ev, Leaf: -1}
			if len(ev.Metadata) > 0 {
				if pretty, err := json.MarshalIndent(json.RawMessage(ev.Metadata), "", "  "); err == nil {
					row.Meta = string(pretty)
				}
			}
			idx, err := u.Ledger.FindRevision(ctx, recs[i].ID, recs[i].Revision)
			switch {
			case err == nil:
				row.Leaf, row.InCheckp = idx, idx < cpSize
			case !errors.Is(err, ledger.ErrNotFound):
				return nil, 0, err
			}
			out = append(out, row)
		}
	}
	return out, cpSize, nil
}
