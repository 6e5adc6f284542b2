package api

import (
	"net/http"
)

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	counts, err := a.Store.Count(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": "error"})
		return
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": a.Version, "records": total})
}
