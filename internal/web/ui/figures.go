package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/auditlog"

	"github.com/tawthiq/tawthiq/internal/auth"

	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/stats"
)

// FilterData is the date, kind and party filter of the map and the
// statistics, as the form shows it.
type FilterData struct {
	F      stats.Filter
	Query  string // the filter as a query string, for data links
	Kinds  []Option
	Actors []Option
}

// filterOf reads from, to, kind (repeatable) and actor (repeatable) and
// checks them; a bad value is a 400 naming the field.
func (u *UI) filterOf(r *http.Request) (FilterData, error) {
	v := r.URL.Query()
	f := stats.Filter{From: v.Get("from"), To: v.Get("to"), Kinds: nonEmpty(v["kind"]), Actors: nonEmpty(v["actor"])}
	if err := f.Validate(u.Vocab); err != nil {
		return FilterData{}, err
	}
	q := url.Values{}
	for _, k := range []string{"from", "to"} {
		if s := v.Get(k); s != "" {
			q.Set(k, s)
		}
	}
	for _, k := range f.Kinds {
		q.Add("kind", k)
	}
	for _, a := range f.Actors {
		q.Add("actor", a)
	}
	l := lang(r)
	d := FilterData{F: f, Query: q.Encode()}
	d.Kinds, d.Actors = u.vocabOptions(l, "incident_kind", f.Kinds...), u.actorOptions(l, f.Actors...)
	return d, nil
}

func (u *UI) stats() *stats.Stats { return stats.New(u.DB, u.Vocab) }

// DashboardData is the dashboard.
type DashboardData struct {
	*stats.Dashboard
	KindChart, PartyChart string
	KindTable, PartyTable TableData
}

// TableData is a chart's figures as an accessible table.
type TableData struct {
	Head []string
	Rows [][]string
}

func (u *UI) dashboard(w http.ResponseWriter, r *http.Request) {
	if !roleOf(r).AtLeast(auth.RoleAnalyst) {
		http.Redirect(w, r, "/reports", http.StatusSeeOther) // a reporter's home is their reports
		return
	}
	l := lang(r)
	now := time.Now().UTC()
	db, err := cachedFigure(r.Context(), u, "dashboard:"+now.Format("2006-01-02T15"), func() (*stats.Dashboard, error) {
		return u.stats().Dashboard(r.Context(), now, 8)
	})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := DashboardData{Dashboard: db}
	d.KindTable, d.KindChart = u.kindFigures(l, db.MonthByKind)
	d.PartyTable, d.PartyChart = u.partyTotals(l, db.MonthByParty)
	u.render(w, r, http.StatusOK, "dashboard", u.page(r, "dashboard", "dashboard.title", d))
}

// StatsData is the statistics page.
type StatsData struct {
	Filter                           FilterData
	KilledTable, KindTable, GovTable TableData
	KilledChart, KindChart, GovChart string
}

func (u *UI) statsPage(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	fd, err := u.filterOf(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	// The three figures read the store apart; on a large store each takes
	// a while, so they run side by side.
	s, ctx := u.stats(), r.Context()
	var (
		killed           []stats.PartyMonth
		kinds, govs      []stats.Group
		wg               sync.WaitGroup
		errK, errB, errG error
	)
	wg.Add(3)
	go func() {
		defer wg.Done()
		killed, errK = cachedFigure(ctx, u, "killed:"+fd.Query, func() ([]stats.PartyMonth, error) { return s.KilledByPartyMonth(ctx, fd.F) })
	}()
	go func() {
		defer wg.Done()
		kinds, errB = cachedFigure(ctx, u, "kinds:"+fd.Query, func() ([]stats.Group, error) { return s.IncidentsByKind(ctx, fd.F) })
	}()
	go func() {
		defer wg.Done()
		govs, errG = cachedFigure(ctx, u, "governorates:"+fd.Query, func() ([]stats.Group, error) { return s.IncidentsByGovernorate(ctx, fd.F) })
	}()
	wg.Wait()
	if err := errors.Join(errK, errB, errG); err != nil {
		u.fail(w, r, err)
		return
	}
	d := StatsData{Filter: fd}
	d.KilledTable, d.KilledChart = u.killedFigures(l, killed)
	d.KindTable, d.KindChart = u.kindFigures(l, kinds)
	d.GovTable, d.GovChart = u.govFigures(l, govs)
	u.render(w, r, http.StatusOK, "stats", u.page(r, "stats", "stats.title", d))
}

// statsCSV downloads one of the statistics tables as CSV, with the same
// filter as the page.
func (u *UI) statsCSV(w http.ResponseWriter, r *http.Request) {
	fd, err := u.filterOf(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	s, ctx := u.stats(), r.Context()
	var t stats.Table
	name := r.PathValue("table")
	switch name {
	case "killed.csv":
		rows, err := s.KilledByPartyMonth(ctx, fd.F)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		t = stats.PartyMonthTable(rows)
	case "kinds.csv", "governorates.csv":
		var gs []stats.Group
		if name == "kinds.csv" {
			gs, err = s.IncidentsByKind(ctx, fd.F)
		} else {
			gs, err = s.IncidentsByGovernorate(ctx, fd.F)
		}
		if err != nil {
			u.fail(w, r, err)
			return
		}
		t = stats.GroupTable(strings.TrimSuffix(name, ".csv"), gs)
	case "incidents.csv":
		pts, err := s.MapPoints(ctx, fd.F)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		t = stats.PointTable(pts)
	default:
		u.NotFound(w, r)
		return
	}
	var buf bytes.Buffer
	if err := stats.WriteCSV(&buf, t); err != nil {
		u.fail(w, r, err)
		return
	}
	// Every export is in the audit log, with the filter it was made with.
	if err := u.Audit.Record(ctx, nil, auditlog.Event{Action: auditlog.ActionExport, Actor: who(r), Role: string(roleOf(r)),
		SubjectType: "statistics", SubjectID: strings.TrimSuffix(name, ".csv"), Outcome: auditlog.OutcomeOK,
		Detail: clipText(r.URL.RawQuery, 200)}); err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tawthiq-`+name+`"`)
	w.Write(buf.Bytes())
}

// chartJSON is a Chart.js configuration.
func chartJSON(kind string, labels []string, sets []map[string]any, opts map[string]any) string {
	cfg := map[string]any{"type": kind, "data": map[string]any{"labels": labels, "datasets": sets}, "options": opts}
	b, _ := json.Marshal(cfg)
	return string(b)
}

// palette colours the parties' series; it repeats after ten.
var palette = []string{"#b03a2e", "#1f618d", "#7d6608", "#196f3d", "#6c3483", "#a04000", "#117a65", "#5d6d7e", "#922b21", "#2e4053"}

func rangeText(l Lang, r stats.Range) string {
	switch {
	case r.MaxOpen:
		return l.Num(r.Min) + "+"
	case r.Min == r.Max:
		return l.Num(r.Min)
	}
	return l.Num(r.Min) + "–" + l.Num(r.Max)
}

func (u *UI) partyName(l Lang, p stats.Party) string {
	if p.Code == stats.Unknown.Code {
		return l.T("actor.unknown")
	}
	if _, ok := u.Vocab.Actor(p.Code); ok {
		return u.actorName(l, p.Code)
	}
	if l == EN {
		return firstNonEmpty(p.NameEN, p.NameAR, p.Code)
	}
	return firstNonEmpty(p.NameAR, p.NameEN, p.Code)
}

func groupName(l Lang, g stats.Group) string {
	if l == EN {
		return firstNonEmpty(g.NameEN, g.NameAR, g.Key)
	}
	return firstNonEmpty(g.NameAR, g.NameEN, g.Key)
}

// killedFigures is killed (min–max) by party by month: a table with a row
// per month and party, and floating bars from min to max.
func (u *UI) killedFigures(l Lang, rows []stats.PartyMonth) (TableData, string) {
	t := TableData{Head: []string{l.T("stats.month"), l.T("facet.actor"), l.T("stats.incidents"), l.T("stats.killed")}}
	var months []string
	seen := map[string]bool{}
	byParty := map[string]map[string]stats.Range{}
	var parties []stats.Party
	for _, r := range rows {
		month := l.T("date.unknown")
		if r.Month != "unknown" {
			month = l.Month(r.Month)
		}
		t.Rows = append(t.Rows, []string{month, u.partyName(l, r.Party), l.Num(r.Incidents), rangeText(l, r.Killed)})
		if !seen[r.Month] {
			seen[r.Month] = true
			months = append(months, r.Month)
		}
		if byParty[r.Party.Code] == nil {
			byParty[r.Party.Code] = map[string]stats.Range{}
			parties = append(parties, r.Party)
		}
		byParty[r.Party.Code][r.Month] = r.Killed
	}
	labels := make([]string, len(months))
	for i, m := range months {
		labels[i] = l.Month(m)
	}
	// Each party is one stack: its minimum solid, the rest up to its
	// maximum pale (an open maximum adds nothing: it is not a number).
	var sets []map[string]any
	for i, p := range parties {
		lo, extra := make([]any, len(months)), make([]any, len(months))
		for j, m := range months {
			if rg, ok := byParty[p.Code][m]; ok {
				lo[j] = rg.Min
				if !rg.MaxOpen && rg.Max > rg.Min {
					extra[j] = rg.Max - rg.Min
				}
			}
		}
		c, name := palette[i%len(palette)], u.partyName(l, p)
		sets = append(sets,
			map[string]any{"label": name + " — " + l.T("stats.killed.min"), "data": lo, "backgroundColor": c, "stack": p.Code},
			map[string]any{"label": name + " — " + l.T("stats.killed.range"), "data": extra, "backgroundColor": c + "55", "stack": p.Code})
	}
	return t, chartJSON("bar", labels, sets, map[string]any{"scales": map[string]any{
		"x": map[string]any{"stacked": true}, "y": map[string]any{"stacked": true}}})
}

func (u *UI) kindFigures(l Lang, gs []stats.Group) (TableData, string) {
	t := TableData{Head: []string{l.T("facet.kind"), l.T("stats.incidents")}}
	labels, data := []string{}, []int{}
	for _, g := range gs {
		name := u.label(l, "incident_kind", g.Key)
		if g.Key == stats.UnknownKey {
			name = groupName(l, g)
		}
		t.Rows = append(t.Rows, []string{name, l.Num(g.Incidents)})
		labels, data = append(labels, name), append(data, g.Incidents)
	}
	return t, chartJSON("bar", labels, []map[string]any{{"label": l.T("stats.incidents"), "data": data, "backgroundColor": "#1f618d"}},
		map[string]any{"indexAxis": "y", "plugins": map[string]any{"legend": map[string]any{"display": false}}})
}

func (u *UI) govFigures(l Lang, gs []stats.Group) (TableData, string) {
	t := TableData{Head: []string{l.T("stats.governorate"), l.T("stats.incidents")}}
	labels, data := []string{}, []int{}
	for _, g := range gs {
		name := groupName(l, g)
		if g.Key == stats.UnknownKey {
			name = l.T("place.unknown")
		} else if _, ok := places.Get(g.Key); ok {
			name = placeName(l, g.Key)
		}
		t.Rows = append(t.Rows, []string{name, l.Num(g.Incidents)})
		labels, data = append(labels, name), append(data, g.Incidents)
	}
	return t, chartJSON("bar", labels, []map[string]any{{"label": l.T("stats.incidents"), "data": data, "backgroundColor": "#196f3d"}},
		map[string]any{"indexAxis": "y", "plugins": map[string]any{"legend": map[string]any{"display": false}}})
}

// partyTotals sums a month's figures per party for the dashboard.
func (u *UI) partyTotals(l Lang, rows []stats.PartyMonth) (TableData, string) {
	t := TableData{Head: []string{l.T("facet.actor"), l.T("stats.incidents"), l.T("stats.killed")}}
	type tot struct {
		p stats.Party
		n int
		k stats.Range
	}
	var order []string
	sum := map[string]*tot{}
	for _, r := range rows {
		x := sum[r.Party.Code]
		if x == nil {
			x = &tot{p: r.Party}
			sum[r.Party.Code] = x
			order = append(order, r.Party.Code)
		}
		x.n += r.Incidents
		x.k = x.k.Add(r.Killed)
	}
	sort.SliceStable(order, func(i, j int) bool { return sum[order[i]].n > sum[order[j]].n })
	labels, data := []string{}, []int{}
	for _, code := range order {
		x := sum[code]
		name := u.partyName(l, x.p)
		t.Rows = append(t.Rows, []string{name, l.Num(x.n), rangeText(l, x.k)})
		labels, data = append(labels, name), append(data, x.n)
	}
	return t, chartJSON("bar", labels, []map[string]any{{"label": l.T("stats.incidents"), "data": data, "backgroundColor": "#b03a2e"}},
		map[string]any{"indexAxis": "y", "plugins": map[string]any{"legend": map[string]any{"display": false}}})
}

// MapData is the map page.
type MapData struct {
	Filter FilterData
	Points []MapPoint
	Total  int // incidents the filter selects that have a place
}

// maxMapPoints bounds what a map sends: on a slow connection a hundred
// thousand points would never arrive. The most recent are shown, and the
// page says how many others a narrower filter would show.
const maxMapPoints = 2000

// MapPoint is one incident on the map, named in the page's language.
type MapPoint struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	When      string  `json:"when"`
	Kinds     string  `json:"kinds"`
	Place     string  `json:"place"`
	Killed    string  `json:"killed,omitempty"`
	KilledMin int     `json:"killed_min"`
}

// points are the map's points, the most recent maxMapPoints of total.
func (u *UI) points(r *http.Request) (fd FilterData, out []MapPoint, total int, err error) {
	if fd, err = u.filterOf(r); err != nil {
		return fd, nil, 0, err
	}
	pts, err := cachedFigure(r.Context(), u, "points:"+fd.Query, func() ([]stats.Point, error) { return u.stats().MapPoints(r.Context(), fd.F) })
	if err != nil {
		return fd, nil, 0, err
	}
	total = len(pts)
	pts = pts[:min(len(pts), maxMapPoints)]
	l := lang(r)
	out = make([]MapPoint, 0, len(pts))
	for _, p := range pts {
		mp := MapPoint{ID: p.ID, Title: firstNonEmpty(p.TitleAR, p.TitleEN, p.ID), Lat: p.Lat, Lon: p.Lon,
			When: l.Range(p.Start, p.End), Place: placeName(l, p.PlaceID)}
		if l == EN {
			mp.Title = firstNonEmpty(p.TitleEN, p.TitleAR, p.ID)
		}
		names := make([]string, len(p.Kinds))
		for i, k := range p.Kinds {
			names[i] = u.label(l, "incident_kind", k)
		}
		mp.Kinds = strings.Join(names, l.T("list.sep"))
		if p.Killed != nil {
			mp.Killed = l.Tf("map.killed", rangeText(l, *p.Killed))
			mp.KilledMin = p.Killed.Min
		}
		out = append(out, mp)
	}
	return fd, out, total, nil
}

func (u *UI) mapPage(w http.ResponseWriter, r *http.Request) {
	fd, pts, total, err := u.points(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "map", u.page(r, "map", "map.title", MapData{Filter: fd, Points: pts, Total: total}))
}

// mapPoints is the map's points as JSON for map.js.
func (u *UI) mapPoints(w http.ResponseWriter, r *http.Request) {
	_, pts, total, err := u.points(r)
	if err != nil {
		info := u.errorInfo(r, err)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(info.Status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"status": info.Status, "fields": info.Fields}})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	json.NewEncoder(w).Encode(pts)
}

// boundaries serves the embedded admin boundaries (level 1 or 2).
func (u *UI) boundaries(w http.ResponseWriter, r *http.Request) {
	level, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("level"), ".json"))
	var gj []byte
	if err == nil {
		gj, err = places.Boundaries(level)
	}
	if err != nil {
		u.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(gj)
}

// figureCache keeps the figures computed since the store last changed:
// on a large store each takes a while, and the same dashboard, map or
// statistics are opened again and again between changes. Every change
// appends to the ledger, so the ledger's size says whether anything
// changed; figures are never older than the store.
type figureCache struct {
	mu   sync.Mutex
	size int64
	m    map[string]any
}

// maxFigures bounds the cache; past it, figures are computed and not kept.
const maxFigures = 256

// cachedFigure returns the figure under key, computing it with fn unless
// it was computed since the store last changed.
func cachedFigure[T any](ctx context.Context, u *UI, key string, fn func() (T, error)) (T, error) {
	n, err := u.Ledger.Size(ctx)
	if err != nil {
		return fn()
	}
	c := &u.cache
	c.mu.Lock()
	if c.size != n || c.m == nil {
		c.size, c.m = n, map[string]any{}
	}
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v.(T), nil
	}
	got, err := fn()
	if err != nil {
		return got, err
	}
	c.mu.Lock()
	if c.size == n && len(c.m) < maxFigures {
		c.m[key] = got
	}
	c.mu.Unlock()
	return got, nil
}

// clipText cuts s to at most n bytes at a character boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
