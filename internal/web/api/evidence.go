package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vault"
)

// Transfers of evidence may take hours on a field connection; the
// server's default deadlines are for everything else.
const transferDeadline = 12 * time.Hour

func longTransfer(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	deadline := time.Now().Add(transferDeadline)
	_ = rc.SetReadDeadline(deadline) // not every writer supports deadlines; the defaults then apply
	_ = rc.SetWriteDeadline(deadline)
}

// evidenceRoutes are the evidence and custody routes.
func (a *API) evidenceRoutes() []Route {
	return []Route{
		{Method: "POST", Pattern: "/api/v1/reports/{id}/evidence", Summary: "Upload a file and attach it to the report: the raw bytes are the body; " +
			"query name, reason, sha256 (or header " + HeaderSHA256 + "), notes, confidentiality. 201 when stored, 200 when these bytes were already attached",
			Handler: a.uploadEvidence, Query: []string{"name", "reason", "sha256", "notes", "confidentiality"}, Upload: true, NeedsUser: true},
		{Method: "GET", Pattern: "/api/v1/evidence/{id}/custody", Summary: "The chain of custody, oldest first, with each event's ledger index", Handler: a.custody},
		{Method: "GET", Pattern: "/api/v1/evidence/{id}/original", Summary: "The original bytes (query purpose required; the access is recorded in the chain of custody)",
			Handler: a.original, Query: []string{"purpose"}, Produces: "application/octet-stream", NeedsUser: true},
		{Method: "POST", Pattern: "/api/v1/evidence/{id}/published-copy", Summary: "Make the copy of a JPEG or PNG without identifying metadata (query purpose)",
			Handler: a.publishedCopy, Query: []string{"purpose"}, NeedsUser: true},
		{Method: "GET", Pattern: "/api/v1/evidence/{id}/copies/{sha256}", Summary: "The bytes of a working copy listed on the record", Handler: a.copyBytes, Produces: "application/octet-stream"},
		{Method: "POST", Pattern: "/api/v1/evidence/{id}/check", Summary: "Re-hash the stored original and record the outcome", Handler: a.checkEvidence, NeedsUser: true},
		{Method: "GET", Pattern: "/api/v1/evidence/{id}/package", Summary: "An evidence package (zip) verifiable offline with `tawthiq verify` (query purpose; the export is recorded)",
			Handler: a.evidencePackage, Query: []string{"purpose"}, Produces: "application/zip", NeedsUser: true},
	}
}

// HeaderSHA256 carries the SHA-256 (hex) the uploader computed.
const HeaderSHA256 = "X-Content-SHA256"

func (a *API) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	if err := checkAuthor(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	if err := onlyParams(q, "name", "reason", "sha256", "notes", "confidentiality"); err != nil {
		a.writeError(w, r, err)
		return
	}
	sha := q.Get("sha256")
	if h := r.Header.Get(HeaderSHA256); h != "" {
		if sha != "" && !strings.EqualFold(sha, h) {
			a.badRequest(w, r, "sha256", "hash_mismatch", "the query and the "+HeaderSHA256+" header give different hashes",
				"البصمة في الاستعلام تختلف عن البصمة في الترويسة")
			return
		}
		sha = h
	}
	reason := q.Get("reason")
	if reason == "" {
		reason = "file attached to the report"
	}
	if err := a.ownReport(r, r.PathValue("id")); err != nil {
		a.writeError(w, r, err)
		return
	}
	longTransfer(w)
	added, err := a.Evidence.Add(r.Context(), evidence.AddInput{
		ReportID: r.PathValue("id"), Body: r.Body, Name: q.Get("name"),
		DeclaredSHA256: sha, DeclaredSize: max(r.ContentLength, 0),
		Notes: q.Get("notes"), Confidentiality: q.Get("confidentiality"),
		Actor: who(r), Purpose: reason,
	})
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if added.Existed {
		status = http.StatusOK
	} else {
		w.Header().Set("Location", "/api/v1/evidence/"+added.Record.ID)
	}
	writeJSON(w, status, map[string]any{"record": added.Record, "custody": added.Events, "existed": added.Existed})
}

// purposeParam reads the only query parameter of a custody-recording
// route, purpose, with its default when absent.
func purposeParam(r *http.Request, def string) (string, error) {
	if err := onlyParams(r.URL.Query(), "purpose"); err != nil {
		return "", err
	}
	if p := r.URL.Query().Get("purpose"); p != "" {
		return p, nil
	}
	return def, nil
}

// onlyParams refuses query parameters the route does not know.
func onlyParams(q url.Values, known ...string) error {
	for name := range q {
		ok := false
		for _, k := range known {
			ok = ok || k == name
		}
		if !ok {
			return record.Invalid(name, "unknown_parameter", "is not a parameter of this request", "ليس معاملاً لهذا الطلب")
		}
	}
	return nil
}

func (a *API) custody(w http.ResponseWriter, r *http.Request) {
	events, err := a.Evidence.Custody(r.Context(), r.PathValue("id"))
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "items": events})
}

// refuseHead answers HEAD on a route whose GET is recorded in the chain of
// custody: a HEAD would record an access or export that did not happen.
func refuseHead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodHead {
		return false
	}
	w.Header().Set("Allow", "GET")
	writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: errorDetail{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
		Message: "HEAD is not allowed here: a GET is recorded in the chain of custody", MessageAR: "طلب HEAD غير مسموح هنا: يُسجَّل طلب GET في سلسلة العهدة"}})
	return true
}

func (a *API) original(w http.ResponseWriter, r *http.Request) {
	if refuseHead(w, r) {
		return
	}
	if err := checkAuthor(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := onlyParams(r.URL.Query(), "purpose"); err != nil {
		a.writeError(w, r, err)
		return
	}
	rc, ev, err := a.Evidence.Open(r.Context(), r.PathValue("id"), who(r), r.URL.Query().Get("purpose"))
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer rc.Close()
	a.sendFile(w, r, rc, ev.Name, ev.SHA256, ev.Size, "application/octet-stream")
}

// sendFile streams a stored file as a download. It is never served as its
// own type inline: evidence can be anything, including active content.
// The reader checks the hash at the end; on a mismatch the connection is
// cut so the client cannot take a damaged file for a whole one. For that
// the body is sent chunked, without Content-Length: a response whose
// announced length has been sent in full is complete whatever happens
// next, while a chunked one is complete only with its last chunk. The
// size is in X-Content-Size.
func (a *API) sendFile(w http.ResponseWriter, r *http.Request, rc io.Reader, name, sha string, size int64, ctype string) {
	longTransfer(w)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Size", strconv.FormatInt(size, 10))
	h.Set(HeaderSHA256, sha)
	if name == "" {
		name = sha
	}
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		a.Log.ErrorContext(r.Context(), "evidence download failed", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler) // cut the connection: the client must not see a complete response
	}
}

func (a *API) copyBytes(w http.ResponseWriter, r *http.Request) {
	rc, d, err := a.Evidence.OpenCopy(r.Context(), r.PathValue("id"), r.PathValue("sha256"))
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer rc.Close()
	a.sendFile(w, r, rc, "", d.SHA256, d.Size, d.MIME)
}

func (a *API) publishedCopy(w http.ResponseWriter, r *http.Request) {
	if err := checkAuthor(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	purpose, err := purposeParam(r, "publication")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	rec, d, err := a.Evidence.PublishedCopy(r.Context(), r.PathValue("id"), who(r), purpose)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"record": rec, "copy": d,
		"url": fmt.Sprintf("/api/v1/evidence/%s/copies/%s", rec.ID, d.SHA256)})
}

func (a *API) checkEvidence(w http.ResponseWriter, r *http.Request) {
	if err := checkAuthor(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	ev, err := a.Evidence.Check(r.Context(), r.PathValue("id"), who(r))
	if err != nil && !errors.Is(err, vault.ErrCorrupt) && !errors.Is(err, evidence.ErrLost) {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": err == nil, "event": ev})
}

func (a *API) evidencePackage(w http.ResponseWriter, r *http.Request) {
	if refuseHead(w, r) {
		return
	}
	purpose, err := purposeParam(r, "evidence package export")
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := checkAuthor(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	// The package is built in a buffer-free stream; headers go first, so a
	// failure after them cuts the connection instead of sending an error.
	id := r.PathValue("id")
	if _, _, err := a.Evidence.Get(r.Context(), id); err != nil {
		a.writeError(w, r, err)
		return
	}
	longTransfer(w)
	pw := &lazyHeader{w: w, name: id + ".tawthiq.zip"}
	_, err = a.Evidence.Export(r.Context(), id, who(r), purpose, pw)
	// Every export is in the audit log (the custody chain records it too),
	// a refused one as refused.
	ev := auditlog.Event{Action: auditlog.ActionExport, Actor: who(r), Role: string(roleOf(r)),
		SubjectType: "evidence", SubjectID: id, Outcome: auditlog.OutcomeOK, Detail: clipDetail("evidence package: " + purpose)}
	if err != nil {
		ev.Outcome = auditlog.OutcomeRefused
	}
	aerr := a.audit(r, ev)
	if err == nil {
		err = aerr
	}
	if err != nil {
		if !pw.started {
			a.writeError(w, r, err)
			return
		}
		a.Log.ErrorContext(r.Context(), "evidence package failed", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// lazyHeader writes the download headers before the first byte.
type lazyHeader struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func (l *lazyHeader) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		h := l.w.Header()
		h.Set("Content-Type", "application/zip")
		h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(l.name))
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(p)
}
