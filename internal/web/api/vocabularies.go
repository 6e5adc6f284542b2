package api

import (
	"net/http"

	"github.com/tawthiq/tawthiq/internal/vocab"
)

type vocabSummary struct {
	ID      string       `json:"id"`
	Version int          `json:"version"`
	Labels  vocab.Labels `json:"labels"`
	Terms   int          `json:"terms"`
}

func (a *API) listVocabularies(w http.ResponseWriter, r *http.Request) {
	var out []vocabSummary
	for _, l := range a.Vocab.Lists() {
		out = append(out, vocabSummary{ID: l.ID, Version: l.Version, Labels: l.Labels, Terms: len(l.Terms)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": a.Vocab.Version(), "vocabularies": out,
		"actors": len(a.Vocab.Actors())})
}

func (a *API) getVocabulary(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "actors" {
		writeJSON(w, http.StatusOK, map[string]any{"id": "actors", "actors": a.Vocab.Actors()})
		return
	}
	l, ok := a.Vocab.List(id)
	if !ok {
		a.notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, l)
}
