package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
)

// pageSize is how many results a list page shows.
const pageSize = 20

// IncidentsData is the incidents search page.
type IncidentsData struct {
	Q      search.Query
	Result *search.Result
	Page   int
	Pages  int
	Prev   string // links to the neighbouring pages, "" at the ends
	Next   string
	Facets []FacetGroup
	// FacetsURL loads the facets after the page; FacetsPage is the page
	// with them, for readers without scripts.
	FacetsURL, FacetsPage string
	Kinds                 []Option
	Actors                []Option
	Grading               []Option
	Error                 *ErrorInfo
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// FacetGroup is the counts of one filter among the matches, each a link
// that narrows the search.
type FacetGroup struct {
	Name  string // the query parameter
	Title string
	Items []FacetItem
}

// FacetItem is one value of a facet.
type FacetItem struct {
	Label  string
	Count  int
	Href   string
	Active bool
}

func (u *UI) incidents(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	v := r.URL.Query()
	q := incidentQuery(v)
	q.Limit = pageSize
	// Facets count every match, which over a whole large store takes far
	// longer than the page: the page comes first and its facets follow
	// by htmx (/incidents/facets); without scripts, a link asks for the
	// page with them (?facets=1).
	inline := v.Get("facets") == "1"
	q.Facets = inline
	d := IncidentsData{Q: q, Page: 1}
	if !inline {
		d.FacetsURL = "/incidents/facets?" + v.Encode()
		d.FacetsPage = withParam(v, "facets", "1")
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10000 {
			u.fail(w, r, badField("page", "must be a whole number from 1", "يجب أن يكون عدداً صحيحاً من ١"))
			return
		}
		d.Page = n
	}
	q.Offset = (d.Page - 1) * pageSize
	err := search.CheckFilters(r.Context(), q, u.Vocab, u.Store)
	var res *search.Result
	if err == nil {
		res, err = u.Search.Search(r.Context(), q)
	}
	if err != nil {
		// A bad query shows the form again with the field named, 400.
		info := u.errorInfo(r, search.Invalid(err))
		if info.Status >= 500 {
			u.fail(w, r, err)
			return
		}
		d.Error = &info
		d.Kinds, d.Actors, d.Grading = u.options(l, q)
		u.render(w, r, info.Status, "incidents", u.page(r, "incidents", "incidents.title", d))
		return
	}
	d.Result = res
	d.Pages = (res.Total + pageSize - 1) / pageSize
	if d.Page > 1 {
		d.Prev = withParam(v, "page", strconv.Itoa(d.Page-1))
	}
	if d.Page < d.Pages {
		d.Next = withParam(v, "page", strconv.Itoa(d.Page+1))
	}
	d.Kinds, d.Actors, d.Grading = u.options(l, q)
	d.Facets = u.facetGroups(l, v, res.Facets)
	u.render(w, r, http.StatusOK, "incidents", u.page(r, "incidents", "incidents.title", d))
}

// options are the choices of the filter selects.
func (u *UI) options(l Lang, q search.Query) (kinds, actors, grading []Option) {
	return u.vocabOptions(l, "incident_kind", q.Kinds...), u.actorOptions(l, q.Actor), u.vocabOptions(l, "grading", q.Grading)
}

// vocabOptions are a vocabulary's terms as the choices of a select, in the
// reader's language, with the given codes selected.
func (u *UI) vocabOptions(l Lang, list string, selected ...string) []Option {
	var out []Option
	if li, ok := u.Vocab.List(list); ok {
		for _, t := range li.Terms {
			out = append(out, Option{t.Code, u.label(l, list, t.Code), contains(selected, t.Code)})
		}
	}
	return out
}

// actorOptions are the parties as the choices of a select.
func (u *UI) actorOptions(l Lang, selected ...string) []Option {
	var out []Option
	for _, a := range u.Vocab.Actors() {
		out = append(out, Option{a.Code, u.actorName(l, a.Code), contains(selected, a.Code)})
	}
	return out
}

// facetGroups turns facet counts into links that add (or, when already
// chosen, remove) the value.
func (u *UI) facetGroups(l Lang, v url.Values, f *search.FacetSet) []FacetGroup {
	if f == nil {
		return nil
	}
	group := func(name, title string, counts []search.FacetCount, name1 func(string) string, max int) FacetGroup {
		g := FacetGroup{Name: name, Title: l.T(title)}
		for i, c := range counts {
			if i == max {
				break
			}
			active := contains(v[name], c.Value)
			href := withParam(v, name, c.Value)
			if active {
				href = withoutParam(v, name, c.Value)
			}
			g.Items = append(g.Items, FacetItem{Label: name1(c.Value), Count: c.Count, Href: href, Active: active})
		}
		return g
	}
	return []FacetGroup{
		yearGroup(l, v, f.Year),
		group("kind", "facet.kind", f.Kind, func(c string) string { return u.label(l, "incident_kind", c) }, 20),
		group("actor", "facet.actor", f.Actor, func(c string) string { return u.actorName(l, c) }, 15),
		group("place", "facet.place", f.Place, func(c string) string { return placeLevel(l, c) }, 15),
		group("grading", "facet.grading", f.Grading, func(c string) string { return u.label(l, "grading", c) }, 10),
	}
}

// withParam is the page's query with name set to value (a kind is added
// to the kinds chosen), back on page 1 unless it is the page itself.
func withParam(v url.Values, name, value string) string {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	if name != "page" {
		c.Del("page")
	}
	if name == "kind" {
		c.Add(name, value)
	} else {
		c.Set(name, value)
	}
	return "?" + c.Encode()
}

func withoutParam(v url.Values, name, value string) string {
	c := url.Values{}
	for k, vs := range v {
		for _, x := range vs {
			if k == name && x == value || k == "page" {
				continue
			}
			c.Add(k, x)
		}
	}
	return "?" + c.Encode()
}

func nonEmpty(s []string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// yearGroup counts the matches by year; a year's link sets the dates to
// that year (and, when already set, clears them), newest year first.
func yearGroup(l Lang, v url.Values, counts []search.FacetCount) FacetGroup {
	g := FacetGroup{Name: "year", Title: l.T("facet.year")}
	years := slices.Clone(counts)
	slices.SortFunc(years, func(a, b search.FacetCount) int { return strings.Compare(b.Value, a.Value) })
	for _, c := range years {
		from, to := c.Value+"-01-01", c.Value+"-12-31"
		active := v.Get("from") == from && v.Get("to") == to
		q := url.Values{}
		for k, vs := range v {
			if k != "page" && k != "from" && k != "to" {
				q[k] = vs
			}
		}
		if !active {
			q.Set("from", from)
			q.Set("to", to)
		}
		g.Items = append(g.Items, FacetItem{Label: l.Digits(c.Value), Count: c.Count, Href: "?" + q.Encode(), Active: active})
	}
	return g
}

// incidentFacets is the facets of an incidents search, for the page to
// load after its results.
func (u *UI) incidentFacets(w http.ResponseWriter, r *http.Request) {
	l := lang(r)
	v := r.URL.Query()
	q := incidentQuery(v)
	q.Facets, q.Limit = true, 1
	err := search.CheckFilters(r.Context(), q, u.Vocab, u.Store)
	var res *search.Result
	if err == nil {
		res, err = u.Search.Search(r.Context(), q)
	}
	if err != nil {
		u.fail(w, r, search.Invalid(err))
		return
	}
	v.Del("facets")
	d := IncidentsData{Q: q, Result: res, Facets: u.facetGroups(l, v, res.Facets)}
	u.fragment(w, r, http.StatusOK, "incidents", "facets", u.page(r, "incidents", "incidents.title", d))
}

// incidentQuery is the search of incidents the page's parameters ask for.
func incidentQuery(v url.Values) search.Query {
	return search.Query{Text: v.Get("q"), Kinds: nonEmpty(v["kind"]), Actor: v.Get("actor"), Place: v.Get("place"),
		Grading: v.Get("grading"), From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort"),
		Types: []record.Type{record.TypeIncident}}
}
