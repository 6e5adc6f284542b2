package api

import "net/http"

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.OpenAPI())
}

// OpenAPI describes the API (being written).
func (a *API) OpenAPI() map[string]any {
	return map[string]any{"openapi": "3.1.0"}
}
