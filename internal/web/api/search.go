package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
)

func (a *API) searchRoutes() []Route {
	return []Route{{Method: "GET", Pattern: "/api/v1/search",
		Summary: "Full-text search of reports and incidents: q (words, \"phrases\", -exclusions, OR), filters type, kind (repeatable), " +
			"actor, place (a governorate includes its districts and towns), grading, language, from, to; sort relevance|date; limit, offset; " +
			"facets=true for counts by kind, actor, place, grading, language and type",
		Handler: a.search,
		Query:   []string{"q", "type", "kind", "actor", "place", "grading", "language", "from", "to", "sort", "limit", "offset", "facets"}}}
}

func (a *API) search(w http.ResponseWriter, r *http.Request) {
	q, err := searchQuery(r)
	if err == nil {
		err = search.CheckFilters(r.Context(), q, a.Vocab, a.Store)
	}
	if err != nil {
		a.writeError(w, r, search.Invalid(err))
		return
	}
	res, err := a.Search.Search(r.Context(), q)
	if err != nil {
		a.writeError(w, r, search.Invalid(err))
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// searchQuery reads the query parameters, refusing unknown ones and
// malformed numbers by name.
func searchQuery(r *http.Request) (search.Query, error) {
	v := r.URL.Query()
	if err := onlyParams(v, "q", "type", "kind", "actor", "place", "grading", "language", "from", "to", "sort", "limit", "offset", "facets"); err != nil {
		return search.Query{}, err
	}
	q := search.Query{Text: v.Get("q"), Kinds: v["kind"], Actor: v.Get("actor"), Place: v.Get("place"),
		Grading: v.Get("grading"), Language: v.Get("language"), From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort")}
	for _, t := range v["type"] {
		q.Types = append(q.Types, record.Type(t))
	}
	for _, p := range []struct {
		name string
		into *int
	}{{"limit", &q.Limit}, {"offset", &q.Offset}} {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return q, record.Invalid(p.name, "invalid_number", "must be a whole number", "يجب أن يكون عدداً صحيحاً")
			}
			if p.name == "limit" && n < 1 {
				return q, record.Invalid("limit", "invalid_number", fmt.Sprintf("must be between 1 and %d", search.MaxLimit),
					fmt.Sprintf("يجب أن يكون بين 1 و%d", search.MaxLimit))
			}
			*p.into = n
		}
	}
	switch v.Get("facets") {
	case "", "false":
	case "true":
		q.Facets = true
	default:
		return q, record.Invalid("facets", "invalid_value", "must be true or false", "يجب أن يكون true أو false")
	}
	return q, nil
}
