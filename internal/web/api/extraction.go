package api

import (
	"errors"
	"net/http"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/record"
)

func (a *API) extraction(w http.ResponseWriter, r *http.Request) {
	rec, err := a.Store.Get(r.Context(), r.PathValue("id"))
	if err == nil && rec.Type != record.TypeReport {
		err = &record.NotFoundError{ID: r.PathValue("id")}
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	res, err := extract.Get(r.Context(), a.DB, rec.ID)
	if errors.Is(err, extract.ErrNone) {
		err = &record.NotFoundError{ID: rec.ID + "/extraction"}
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"report_id": rec.ID, "revision": rec.Revision, "extraction": res})
}
