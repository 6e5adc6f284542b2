package ui

import (
	"net/http"
	"strconv"

	"github.com/tawthiq/tawthiq/internal/auth"

	"github.com/tawthiq/tawthiq/internal/record"
)

// ReportsData is a page of reports, newest change first.
type ReportsData struct {
	Rows        []ReportRow
	Total       int
	Page, Pages int
	Prev, Next  string
}

// ReportRow is one report in a list.
type ReportRow struct {
	ID, Title, Language, Published, Outlet string
	Incidents                              int
	Received                               string
}

func (u *UI) reports(w http.ResponseWriter, r *http.Request) {
	page := 1
	if s := r.URL.Query().Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100000 {
			u.fail(w, r, badField("page", "must be a whole number from 1", "يجب أن يكون عدداً صحيحاً من ١"))
			return
		}
		page = n
	}
	q := record.Query{Type: record.TypeReport, Limit: pageSize, Offset: (page - 1) * pageSize}
	if roleOf(r) == auth.RoleReporter {
		q.CreatedBy = who(r) // a reporter sees their own submissions only
	}
	recs, total, err := u.Store.List(r.Context(), q)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := ReportsData{Total: total, Page: page, Pages: (total + pageSize - 1) / pageSize}
	for i := range recs {
		row, err := reportRow(&recs[i])
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.Rows = append(d.Rows, row)
	}
	if page > 1 {
		d.Prev = "?page=" + strconv.Itoa(page-1)
	}
	if page < d.Pages {
		d.Next = "?page=" + strconv.Itoa(page+1)
	}
	u.render(w, r, http.StatusOK, "reports", u.page(r, "reports", "reports.title", d))
}

func reportRow(rec *record.Record) (ReportRow, error) {
	b, err := rec.Decode()
	if err != nil {
		return ReportRow{}, err
	}
	rep := b.(*record.Report)
	return ReportRow{ID: rec.ID, Title: firstNonEmpty(rep.Title, excerpt(rep.Text, 90)), Language: rep.Language,
		Published: rep.Published, Outlet: rep.Outlet, Incidents: len(rep.IncidentIDs), Received: rep.ReceivedAt}, nil
}

// excerpt is the start of a text, cut at a word, for a list.
func excerpt(s string, max int) string {
	rs := []rune(s)
	if len(rs) <= max {
		return s
	}
	cut := max
	for cut > max/2 && rs[cut] != ' ' {
		cut--
	}
	return string(rs[:cut]) + "…"
}
