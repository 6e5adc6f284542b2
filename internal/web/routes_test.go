package web_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
)

// A request for another host name is refused before any handler runs:
// the defence against DNS rebinding. Loopback names and the configured
// ones are served.
func TestHostCheck(t *testing.T) {
	a, _ := apptest.New(t)
	h := web.Handler(&api.API{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Evidence: a.Evidence, Ledger: a.Ledger, Search: a.Search, DB: a.DB,
		Hosts: []string{"tawthiq.example.org"}, Log: slog.New(slog.DiscardHandler)}, a.Accounts)
	for host, want := range map[string]int{
		"127.0.0.1:8080":          200,
		"localhost:8080":          200,
		"[::1]:8080":              200,
		"LOCALHOST":               200,
		"tawthiq.example.org":     200,
		"tawthiq.example.org:443": 200,
		"evil.example":            http.StatusMisdirectedRequest,
		"evil.example:8080":       http.StatusMisdirectedRequest,
		"10.0.0.5:8080":           http.StatusMisdirectedRequest,
		"127.0.0.1.evil.example":  http.StatusMisdirectedRequest,
		"":                        http.StatusMisdirectedRequest,
	} {
		req := httptest.NewRequest("GET", "/api/v1/vocabularies", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, rec.Code, want)
		}
		if want != 200 {
			var body struct {
				Error struct {
					Code   string
					Fields []struct{ Field string }
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != "unknown_host" ||
				len(body.Error.Fields) == 0 || body.Error.Fields[0].Field != "Host" {
				t.Errorf("Host %q: body %s does not name the Host field", host, rec.Body.String())
			}
		}
	}
}
