package api

// Resumable uploads of evidence: a file sent in pieces over as many
// requests and connections as it takes, then stored exactly as a one-shot
// upload is. The protocol is docs/spec/resumable-upload.md.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
)

// Headers and the body type of the protocol.
const (
	// HeaderUploadOffset is the byte of the file a PATCH body starts at,
	// and in answers how many bytes the server holds.
	HeaderUploadOffset = "Upload-Offset"
	// HeaderUploadLength is the file's declared size, in answers.
	HeaderUploadLength = "Upload-Length"
	// ContentTypeOffset is a PATCH body: the file's bytes from
	// Upload-Offset on (application/octet-stream is accepted too).
	ContentTypeOffset = "application/offset+octet-stream"
)

// chunkIdle cuts a PATCH whose client has sent nothing for this long
// (where the server can set deadlines): the client has most likely lost
// its connection and will resume on a new one.
const chunkIdle = 2 * time.Minute

// UploadRequest starts a resumable upload.
type UploadRequest struct {
	Name            string `json:"name"`
	Size            int64  `json:"size"`
	SHA256          string `json:"sha256,omitempty"`
	ContentType     string `json:"content_type,omitempty"`
	Reason          string `json:"reason,omitempty" default:"file attached to the report"`
	Notes           string `json:"notes,omitempty"`
	Confidentiality string `json:"confidentiality,omitempty" default:"restricted"`
}

// uploadInfo describes an upload in answers.
type uploadInfo struct {
	ID          string `json:"id"`
	ReportID    string `json:"report_id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	Offset      int64  `json:"offset"`
	SHA256      string `json:"sha256,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// State is receiving, complete (every byte is here; a PATCH at
	// offset = size stores it), stored or refused.
	State     string    `json:"state"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
	// Result is the answer that stored (or refused) the file, and its
	// status: the same a one-shot upload gives.
	Result       json.RawMessage `json:"result,omitempty"`
	ResultStatus int             `json:"result_status,omitempty"`
}

func (a *API) uploadRoutes() []Route {
	on := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if a.Uploads == nil {
				NotFound(w, r) // a server built without a folder for them
				return
			}
			h(w, r)
		}
	}
	offset := []string{HeaderUploadOffset}
	return []Route{
		{Method: "POST", Pattern: "/api/v1/reports/{id}/uploads", Summary: "Start a resumable upload of a file for the report (JSON: name, size, optional sha256, " +
			"content_type, reason, notes, confidentiality). The answer's url takes the bytes, in PATCH requests",
			Handler: on(a.createUpload), Body: reflect.TypeFor[UploadRequest](), NeedsUser: true,
			Answers: map[string]string{"201": "The upload, at offset 0; Location is its url", "413": "size is over the server's limit"}},
		{Method: "HEAD", Pattern: "/api/v1/uploads/{uid}", Summary: "How many bytes the server holds: header " + HeaderUploadOffset + " (and " + HeaderUploadLength + ")",
			Handler: on(a.uploadStatus), Answers: map[string]string{"200": "Headers " + HeaderUploadOffset + " and " + HeaderUploadLength}},
		{Method: "GET", Pattern: "/api/v1/uploads/{uid}", Summary: "An upload's state and offset; once stored, the evidence answer",
			Handler: on(a.uploadStatus), Answers: map[string]string{"200": "The upload"}},
		{Method: "PATCH", Pattern: "/api/v1/uploads/{uid}", Summary: "Append bytes at " + HeaderUploadOffset + " (which must be the server's offset). " +
			"204 with the new offset; the request that completes the file stores it and answers as a one-shot upload does (201, or 200 if already attached), and so does every retry",
			Handler: on(a.patchUpload), Upload: true, NeedsUser: true, Headers: offset,
			Answers: map[string]string{"204": "Bytes kept; header " + HeaderUploadOffset + " is the new offset", "201": "Stored: the evidence record and its custody",
				"200": "Stored: these bytes were already attached", "409": HeaderUploadOffset + " is not the server's offset, which the answer's header gives",
				"413": "Bytes past the declared size; nothing of this request kept", "423": "Another request is writing to the upload; try again (Retry-After)"}},
		{Method: "DELETE", Pattern: "/api/v1/uploads/{uid}", Summary: "Cancel an upload and remove its bytes (evidence already stored stays)",
			Handler: on(a.deleteUpload), NeedsUser: true, Answers: map[string]string{"204": "Removed"}},
	}
}

func (a *API) createUpload(w http.ResponseWriter, r *http.Request) {
	if err := checkAuthor(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := a.ownReport(r, r.PathValue("id")); err != nil {
		a.writeError(w, r, err)
		return
	}
	req, err := readUploadRequest(w, r, a.Evidence.Vault().MaxSize())
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	reason := req.Reason
	if reason == "" {
		reason = "file attached to the report"
	}
	st := &uploadState{ReportID: r.PathValue("id"), Name: req.Name, Size: req.Size,
		SHA256: strings.ToLower(strings.TrimSpace(req.SHA256)), ContentType: req.ContentType,
		Reason: reason, Notes: req.Notes, Confidentiality: req.Confidentiality, User: who(r)}
	if err := a.Evidence.CheckAdd(r.Context(), st.addInput(nil)); err != nil {
		a.writeError(w, r, err)
		return
	}
	if st.ID, err = newUploadID(); err != nil {
		a.writeError(w, r, err)
		return
	}
	st.Created = time.Now().UTC()
	st.Updated = st.Created
	if err := a.Uploads.create(st); err != nil {
		a.writeError(w, r, err)
		return
	}
	info := st.info()
	w.Header().Set("Location", info.URL)
	uploadHeaders(w, st)
	writeJSON(w, http.StatusCreated, info)
}

// readUploadRequest decodes and checks what POST .../uploads declares;
// the rest is checked by evidence.Service.CheckAdd.
func readUploadRequest(w http.ResponseWriter, r *http.Request, maxSize int64) (*UploadRequest, error) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return nil, record.Invalid("Content-Type", "unsupported_media_type", "must be application/json", "يجب أن يكون application/json")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return nil, err
	}
	var req UploadRequest
	if err := record.DecodeStrict(data, &req, ""); err != nil {
		return nil, err
	}
	switch {
	case req.Size <= 0:
		return nil, record.Invalid("size", "not_positive", "must be the file's size in bytes, more than 0", "يجب أن يكون حجم الملف بالبايت، أكبر من 0")
	case maxSize > 0 && req.Size > maxSize:
		return nil, record.Invalid("size", "too_large", fmt.Sprintf("is over the server's limit of %d bytes; nothing was started", maxSize),
			fmt.Sprintf("أكبر من حد الخادم البالغ %d بايت؛ لم يبدأ شيء", maxSize))
	}
	if req.ContentType != "" {
		if _, _, err := mime.ParseMediaType(req.ContentType); err != nil || len(req.ContentType) > 255 {
			return nil, record.Invalid("content_type", "invalid", "must be a media type such as image/jpeg", "يجب أن يكون نوع وسائط مثل image/jpeg")
		}
	}
	return &req, nil
}

// addInput is what evidence.Service.Add is given for the upload.
func (st *uploadState) addInput(body io.Reader) evidence.AddInput {
	return evidence.AddInput{ReportID: st.ReportID, Body: body, Name: st.Name,
		DeclaredSHA256: st.SHA256, DeclaredSize: st.Size, Notes: st.Notes, Confidentiality: st.Confidentiality,
		Actor: st.User, Purpose: st.Reason}
}

func (st *uploadState) info() uploadInfo {
	in := uploadInfo{ID: st.ID, ReportID: st.ReportID, Name: st.Name, Size: st.Size, Offset: st.Offset,
		SHA256: st.SHA256, ContentType: st.ContentType, State: "receiving",
		URL: "/api/v1/uploads/" + st.ID, ExpiresAt: st.Updated.Add(UploadIdle)}
	switch {
	case st.Answer != nil && st.Answer.Status < 300:
		in.State, in.Result, in.ResultStatus = "stored", st.Answer.Body, st.Answer.Status
	case st.Answer != nil:
		in.State, in.Result, in.ResultStatus = "refused", st.Answer.Body, st.Answer.Status
	case st.Offset == st.Size:
		in.State = "complete"
	}
	return in
}

func uploadHeaders(w http.ResponseWriter, st *uploadState) {
	w.Header().Set(HeaderUploadOffset, strconv.FormatInt(st.Offset, 10))
	w.Header().Set(HeaderUploadLength, strconv.FormatInt(st.Size, 10))
}

func (a *API) uploadStatus(w http.ResponseWriter, r *http.Request) {
	st, err := a.Uploads.load(r.PathValue("uid"))
	if err == nil && st.User != who(r) {
		err = &record.NotFoundError{ID: r.PathValue("uid")} // another user's upload: as if it did not exist
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	uploadHeaders(w, st)
	writeJSON(w, http.StatusOK, st.info())
}

func (a *API) patchUpload(w http.ResponseWriter, r *http.Request) {
	sent, err := checkPatch(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	longTransfer(w)
	body := &chunkReader{r: r.Body, rc: http.NewResponseController(w)}
	st, release, err := a.holdUpload(w, r, body.stop)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer release()
	uploadHeaders(w, st)
	if sent != st.Offset {
		a.writeError(w, r, &offsetError{have: st.Offset, sent: sent})
		return
	}
	if r.ContentLength > st.Size-st.Offset {
		a.writeError(w, r, pastSize(st))
		return
	}
	if st.Answer != nil {
		if body.more() {
			a.writeError(w, r, pastSize(st))
			return
		}
		replay(w, st.Answer)
		return
	}
	n, over, readErr, err := a.Uploads.appendChunk(st, body)
	body.finish()
	if n > 0 && err == nil {
		st.Updated = time.Now().UTC()
		err = a.Uploads.save(st)
	}
	uploadHeaders(w, st)
	switch {
	case err != nil:
		a.writeError(w, r, err)
	case over:
		a.writeError(w, r, pastSize(st))
	case readErr != nil:
		a.writeError(w, r, record.Invalid("body", "truncated",
			fmt.Sprintf("the request ended early, after %d bytes; they are kept: resume from %s %d", n, HeaderUploadOffset, st.Offset),
			fmt.Sprintf("انقطع الطلب بعد %d بايت؛ حُفظت: تابع من %s %d", n, HeaderUploadOffset, st.Offset)))
	case st.Offset < st.Size:
		w.WriteHeader(http.StatusNoContent)
	default:
		a.finishUpload(w, r, st)
	}
}

// checkPatch checks a PATCH's headers before any of its body is read, and
// returns its offset.
func checkPatch(r *http.Request) (int64, error) {
	if err := checkAuthor(r); err != nil {
		return 0, err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != ContentTypeOffset && mt != "application/octet-stream" {
		return 0, record.Invalid("Content-Type", "unsupported_media_type", "must be "+ContentTypeOffset+" or application/octet-stream",
			"يجب أن يكون "+ContentTypeOffset+" أو application/octet-stream")
	}
	h := r.Header.Get(HeaderUploadOffset)
	n, err := strconv.ParseInt(h, 10, 64)
	if err != nil || n < 0 || strings.HasPrefix(h, "+") {
		return 0, record.Invalid(HeaderUploadOffset, "invalid", "header is required: the byte of the file this body starts at, as a whole number",
			"الترويسة مطلوبة: موضع البايت الذي يبدأ منه هذا الجسم، عدداً صحيحاً")
	}
	return n, nil
}

// holdUpload makes the request the one working on its upload and loads
// the upload's state. Only the user who started an upload may change it:
// the chain of custody names one person as having sent the file.
func (a *API) holdUpload(w http.ResponseWriter, r *http.Request, interrupt func()) (*uploadState, func(), error) {
	// Whose it is, before taking it: taking an upload interrupts a piece in
	// progress, which only its uploader may do.
	if st, err := a.Uploads.load(r.PathValue("uid")); err != nil {
		return nil, nil, err
	} else if st.User != who(r) {
		return nil, nil, &record.NotFoundError{ID: r.PathValue("uid")} // another user's upload: as if it did not exist
	}
	release, err := a.Uploads.acquire(r.Context(), r.PathValue("uid"), interrupt)
	if errors.Is(err, errUploadBusy) {
		w.Header().Set("Retry-After", "5")
	}
	if err != nil {
		return nil, nil, err
	}
	st, err := a.Uploads.load(r.PathValue("uid"))
	if err == nil && st.User != who(r) {
		err = &record.NotFoundError{ID: r.PathValue("uid")} // another user's upload: as if it did not exist
	}
	if err != nil {
		release()
		return nil, nil, err
	}
	return st, release, nil
}

// offsetError: a PATCH's Upload-Offset is not the server's offset (HTTP
// 409, the server's offset in the answer's Upload-Offset). The client
// sends from there.
type offsetError struct{ have, sent int64 }

func (e *offsetError) Error() string {
	return fmt.Sprintf("upload: at byte %d, not %d", e.have, e.sent)
}

func pastSize(st *uploadState) error {
	return record.Invalid("body", "too_large",
		fmt.Sprintf("goes past the declared size of %d bytes (%d remain); nothing of this request was kept", st.Size, st.Size-st.Offset),
		fmt.Sprintf("يتجاوز الحجم المعلن البالغ %d بايت (بقي %d)؛ لم يُحفظ شيء من هذا الطلب", st.Size, st.Size-st.Offset))
}

// finishUpload stores the complete file through evidence.Service.Add,
// keeps the answer with the upload and removes the part file. A server
// error is not kept: the bytes stay and the next PATCH at offset = size
// tries again.
func (a *API) finishUpload(w http.ResponseWriter, r *http.Request, st *uploadState) {
	ans, err := a.storeUpload(r, st)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if ans.Status < 500 {
		st.Answer, st.Updated = ans, time.Now().UTC()
		if err := a.Uploads.save(st); err != nil {
			// The evidence is stored but the answer not kept: a retry
			// stores the same bytes again, which Add answers with the
			// existing record (200) and one more "received" event.
			a.writeError(w, r, err)
			return
		}
		if err := a.Uploads.removePart(st.ID); err != nil {
			a.Log.ErrorContext(r.Context(), "upload: part file not removed; the sweep will", "upload", st.ID, "err", err)
		}
	}
	replay(w, ans)
}

// storeUpload runs evidence.Service.Add on the part file and returns its
// answer, refusals included. It goes on if the client goes away: the
// answer is kept for its retry.
func (a *API) storeUpload(r *http.Request, st *uploadState) (*storedAnswer, error) {
	f, err := os.Open(a.Uploads.partPath(st.ID))
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", st.ID, err)
	}
	defer f.Close()
	added, err := a.Evidence.Add(context.WithoutCancel(r.Context()), st.addInput(f))
	if err != nil {
		d := a.errorDetail(r, err)
		return newAnswer(d.Status, "", errorBody{Error: d})
	}
	status, loc := http.StatusCreated, "/api/v1/evidence/"+added.Record.ID
	if added.Existed {
		status, loc = http.StatusOK, ""
	}
	return newAnswer(status, loc, map[string]any{"record": added.Record, "custody": added.Events, "existed": added.Existed})
}

func newAnswer(status int, location string, v any) (*storedAnswer, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("upload: answer: %w", err)
	}
	return &storedAnswer{Status: status, Location: location, Body: b}, nil
}

// replay writes a kept answer as writeJSON would have.
func replay(w http.ResponseWriter, ans *storedAnswer) {
	if ans.Location != "" {
		w.Header().Set("Location", ans.Location)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(ans.Status)
	w.Write(append(ans.Body, '\n'))
}

func (a *API) deleteUpload(w http.ResponseWriter, r *http.Request) {
	if err := checkAuthor(r); err != nil {
		a.writeError(w, r, err)
		return
	}
	st, release, err := a.holdUpload(w, r, nil)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	defer release()
	if err := a.Uploads.removeAll(st.ID); err != nil {
		a.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// chunkReader reads a PATCH body. Each read may wait at most chunkIdle,
// and stop ends the reading at once — both where the server supports
// read deadlines; elsewhere the server's own timeouts apply.
type chunkReader struct {
	r     io.Reader
	rc    *http.ResponseController
	mu    sync.Mutex
	state int // reading, stopped or finished
}

const (
	reading = iota
	stopped
	finished
)

// errStopped: a newer request on the same upload took over.
var errStopped = errors.New("upload: a newer request on the same upload took over")

func (c *chunkReader) Read(p []byte) (int, error) {
	c.mu.Lock()
	if c.state != reading {
		c.mu.Unlock()
		return 0, errStopped
	}
	_ = c.rc.SetReadDeadline(time.Now().Add(chunkIdle)) // unsupported: the server's timeouts apply
	c.mu.Unlock()
	return c.r.Read(p)
}

// stop interrupts a read under way and fails those after it, unless the
// body is already read.
func (c *chunkReader) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == reading {
		c.state = stopped
		_ = c.rc.SetReadDeadline(time.Now())
	}
}

// finish marks the body read: stop does nothing after it.
func (c *chunkReader) finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state = finished
}

// more reports whether the body has at least one byte.
func (c *chunkReader) more() bool {
	var b [1]byte
	n, _ := io.ReadFull(c, b[:])
	c.finish()
	return n > 0
}
