package api_test

// HTTP tests of resumable uploads: a file sent in pieces, cut part way,
// resumed from the server's offset, across a restart; and what the
// protocol refuses. Every stored file is checked in the vault and its
// custody; every refusal is checked to store nothing.

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
)

// uploadServer is a server with resumable uploads over the data folder
// dir. done receives once for every request the handler has finished.
// bare serves the route table without the web package's middleware, whose
// response writer hides the connection's deadlines.
type uploadServer struct {
	*server
	done    chan struct{}
	uploads *api.UploadStore
	close   func()
}

func openUploadServer(t *testing.T, dir string, limit int64, bare bool) *uploadServer {
	t.Helper()
	return startUploadServer(t, dir, nil, limit, bare)
}

// reopenUploadServer serves the data folder of an upload server closed
// before, with its accounts.
func reopenUploadServer(t *testing.T, dir string, accs map[auth.Role]apptest.Account) *uploadServer {
	t.Helper()
	return startUploadServer(t, dir, accs, 0, false)
}

// startUploadServer opens the installation in dir: a new one (its
// organisation key and the test accounts made here) when accs is nil,
// else one made before, whose key it unlocks.
func startUploadServer(t *testing.T, dir string, accs map[auth.Role]apptest.Account, limit int64, bare bool) *uploadServer {
	t.Helper()
	apptest.Cheap()
	a, _, err := app.Init(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if accs == nil {
		if _, err := a.CreateKey(context.Background(), []byte(apptest.Passphrase)); err != nil {
			a.Close()
			t.Fatal(err)
		}
		accs = apptest.Accounts(t, a)
	} else if err := a.Unlock([]byte(apptest.Passphrase)); err != nil {
		a.Close()
		t.Fatal(err)
	}
	if limit > 0 {
		a.SetMaxUpload(limit)
	}
	up := api.NewUploadStore(filepath.Join(dir, app.UploadsDir))
	ap := newAPI(a)
	ap.Uploads = up
	var h http.Handler = web.Handler(ap, a.Accounts)
	if bare {
		mux := http.NewServeMux()
		for _, rt := range ap.Routes() {
			mux.HandleFunc(rt.Method+" "+rt.Pattern, signedIn(a.Accounts, rt.Handler))
		}
		h = mux
	}
	done := make(chan struct{}, 256)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		h.ServeHTTP(w, r)
	}))
	var once sync.Once
	closeAll := func() { once.Do(func() { srv.Close(); a.Close() }) }
	t.Cleanup(closeAll)
	return &uploadServer{server: &server{t: t, a: a, srv: srv, accs: accs}, done: done, uploads: up, close: closeAll}
}

// signedIn stands in for the web package's route guard on the bare mux:
// it signs the request in with its bearer token, if the token is known.
func signedIn(accounts *auth.Service, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			if p, err := accounts.Token(r.Context(), secret); err == nil {
				r = r.WithContext(auth.WithPrincipal(r.Context(), p))
			}
		}
		h(w, r)
	}
}

// start begins an upload for report and returns its id.
func (s *uploadServer) start(report, req string, hdr ...string) string {
	s.t.Helper()
	code, out := s.do("POST", "/api/v1/reports/"+report+"/uploads", req, hdr...)
	if code != http.StatusCreated {
		s.t.Fatalf("start upload: %d %v", code, out)
	}
	if out["offset"].(float64) != 0 || out["url"] != "/api/v1/uploads/"+out["id"].(string) {
		s.t.Fatalf("start upload: %v", out)
	}
	return out["id"].(string)
}

// patch sends chunk at offset off.
func (s *uploadServer) patch(uid string, off int64, chunk []byte, hdr ...string) (*http.Response, []byte) {
	s.t.Helper()
	h := append([]string{"Content-Type", api.ContentTypeOffset, api.HeaderUploadOffset, strconv.FormatInt(off, 10)}, hdr...)
	return s.send("PATCH", "/api/v1/uploads/"+uid, chunk, h...)
}

// offset asks the server (HEAD) how many bytes it holds.
func (s *uploadServer) offset(uid string) int64 {
	s.t.Helper()
	resp, _ := s.send("HEAD", "/api/v1/uploads/"+uid, nil)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("HEAD %s: %d", uid, resp.StatusCode)
	}
	n, err := strconv.ParseInt(resp.Header.Get(api.HeaderUploadOffset), 10, 64)
	if err != nil {
		s.t.Fatalf("HEAD %s: %s %q", uid, api.HeaderUploadOffset, resp.Header.Get(api.HeaderUploadOffset))
	}
	return n
}

// sendFrom sends file[from:] in chunks of the given sizes (the last one
// repeated) and returns the last answer. Pass a prefix of the file to
// send part of it.
func (s *uploadServer) sendFrom(uid string, file []byte, from int64, sizes ...int) (*http.Response, []byte) {
	s.t.Helper()
	var resp *http.Response
	var data []byte
	for i := 0; from < int64(len(file)); i++ {
		n := int64(sizes[min(i, len(sizes)-1)])
		end := min(from+n, int64(len(file)))
		resp, data = s.patch(uid, from, file[from:end])
		if end < int64(len(file)) && resp.StatusCode != http.StatusNoContent {
			s.t.Fatalf("PATCH at %d: %d %s", from, resp.StatusCode, data)
		}
		if got := resp.Header.Get(api.HeaderUploadOffset); got != strconv.FormatInt(end, 10) {
			s.t.Fatalf("PATCH at %d..%d: %s %s", from, end, api.HeaderUploadOffset, got)
		}
		from = end
	}
	return resp, data
}

// cutPatch sends a PATCH that promises len(chunk) bytes, sends the first
// half and closes the connection, and waits for the server to finish it.
func (s *uploadServer) cutPatch(uid string, off int64, chunk []byte) {
	s.t.Helper()
	s.drain()
	conn := s.rawPatch(uid, off, chunk, len(chunk)/2)
	conn.Close()
	wait(s.t, s.done)
}

// drain forgets the requests finished so far, so that wait waits for the
// next one.
func (s *uploadServer) drain() {
	for len(s.done) > 0 {
		<-s.done
	}
}

// rawPatch starts a PATCH of chunk at off on a connection of its own and
// sends only its first n bytes.
func (s *uploadServer) rawPatch(uid string, off int64, chunk []byte, n int) net.Conn {
	s.t.Helper()
	conn, err := net.Dial("tcp", s.srv.Listener.Addr().String())
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(conn, "PATCH /api/v1/uploads/%s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: %s\r\n%s: %d\r\nContent-Length: %d\r\n\r\n",
		uid, s.srv.Listener.Addr(), s.bearer(auth.RoleAnalyst), api.ContentTypeOffset, api.HeaderUploadOffset, off, len(chunk))
	if _, err := conn.Write(chunk[:n]); err != nil {
		s.t.Fatal(err)
	}
	return conn
}

// failingReader gives n bytes of b, then fails: a client whose source
// broke in the middle of a request.
type failingReader struct {
	b []byte
	n int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("the phone lost its signal")
	}
	k := copy(p, f.b[:min(f.n, len(f.b), len(p))])
	f.b, f.n = f.b[k:], f.n-k
	return k, nil
}

func randomFile(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// uploadFiles counts the files in the uploads folder.
func (s *uploadServer) uploadFiles() int {
	s.t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.a.DataDir, app.UploadsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return len(entries)
}

// TestResumableUpload sends a 3 MiB file in uneven pieces, two of them
// cut part way (the connection closed; the client's body failing), each
// time resuming from the offset the server gives. The stored original is
// the file, its custody names who sent it, and a retry of the last
// request gets the same answer without a second record.
func TestResumableUpload(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 0, false)
	report := s.newReport()
	file := randomFile(t, 3<<20)
	want := sha256Hex(file)
	uid := s.start(report, fmt.Sprintf(`{"name":"شهادة-الفيديو.mp4","size":%d,"content_type":"video/mp4"}`, len(file)))
	if got := s.offset(uid); got != 0 {
		t.Fatalf("a new upload is at %d", got)
	}

	s.sendFrom(uid, file[:503_334], 0, 100_000, 333_333, 70_001)
	off := s.offset(uid)
	if off != 100_000+333_333+70_001 {
		t.Fatalf("offset %d after three pieces", off)
	}

	// The connection is closed half way through a piece: the half that
	// arrived is kept.
	s.cutPatch(uid, off, file[off:off+400_000])
	if got := s.offset(uid); got != off+200_000 {
		t.Fatalf("after a cut piece the server holds %d, want %d", got, off+200_000)
	}
	off += 200_000

	// The client's own body fails half way: whatever arrived is kept, and
	// HEAD says where to go on from.
	req, _ := http.NewRequest("PATCH", s.srv.URL+"/api/v1/uploads/"+uid, &failingReader{b: file[off : off+500_000], n: 250_000})
	req.ContentLength = 500_000
	req.Header.Set("Content-Type", api.ContentTypeOffset)
	req.Header.Set(api.HeaderUploadOffset, strconv.FormatInt(off, 10))
	req.Header.Set("Authorization", s.bearer(auth.RoleAnalyst))
	s.drain()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("a request whose body failed got an answer: %d", resp.StatusCode)
	}
	wait(t, s.done)
	resumed := s.offset(uid)
	if resumed < off || resumed > off+250_000 {
		t.Fatalf("after a failed body the server holds %d, want %d..%d", resumed, off, off+250_000)
	}

	resp, data := s.sendFrom(uid, file, resumed, 262_144, 123_457)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("last piece: %d %s", resp.StatusCode, data)
	}
	out := decodeJSON(t, "last piece", data)
	rec := out["record"].(map[string]any)
	body := rec["record"].(map[string]any)
	if body["sha256"] != want || body["size"].(float64) != float64(len(file)) || body["name"] != "شهادة-الفيديو.mp4" || body["report_id"] != report {
		t.Fatalf("stored record: %v", body)
	}
	if resp.Header.Get("Location") != "/api/v1/evidence/"+rec["id"].(string) {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	stored, err := os.ReadFile(s.blobPath(want))
	if err != nil || sha256Hex(stored) != want {
		t.Fatalf("the vault does not hold the file: %v", err)
	}
	custody := s.custodyOf(rec["id"].(string))
	if len(custody) != 2 || custody[0]["action"] != "received" || custody[1]["action"] != "stored" || custody[0]["actor"] != "analyst-1" {
		t.Fatalf("custody: %v", custody)
	}

	// The answer to the last piece was lost: the client asks where the
	// upload is and finishes again. Same answer, nothing new stored.
	state := s.state()
	if got := s.offset(uid); got != int64(len(file)) {
		t.Fatalf("a stored upload is at %d", got)
	}
	for _, from := range []int64{resumed, int64(len(file))} {
		again, again2 := s.patch(uid, from, nil)
		if from < int64(len(file)) {
			if again.StatusCode != http.StatusConflict || again.Header.Get(api.HeaderUploadOffset) != strconv.Itoa(len(file)) {
				t.Fatalf("a stale piece after the end: %d %s", again.StatusCode, again2)
			}
			continue
		}
		if again.StatusCode != http.StatusCreated || !bytes.Equal(again2, data) || again.Header.Get("Location") != resp.Header.Get("Location") {
			t.Fatalf("finishing again: %d %s\nfirst: %s", again.StatusCode, again2, data)
		}
	}
	if s.state() != state {
		t.Error("finishing again changed the store")
	}
	code, info := s.do("GET", "/api/v1/uploads/"+uid, "")
	if code != 200 || info["state"] != "stored" || info["result_status"].(float64) != 201 || info["offset"].(float64) != float64(len(file)) {
		t.Errorf("GET a stored upload: %d %v", code, info)
	}
	if got := s.uploadFiles(); got != 1 {
		t.Errorf("a stored upload keeps %d files, want its state alone", got)
	}
}

// TestResumableUploadWrongOffset: a piece sent from another offset than
// the server's is refused with the server's offset, and nothing of it is
// kept.
func TestResumableUploadWrongOffset(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 0, false)
	uid := s.start(s.newReport(), `{"name":"a.bin","size":1000}`)
	file := randomFile(t, 1000)
	s.sendFrom(uid, file[:300], 0, 300)
	for _, off := range []int64{0, 299, 301, 1000} {
		resp, data := s.patch(uid, off, file[:10])
		out := decodeJSON(t, "wrong offset", data)
		if f, c := fieldOf(out); resp.StatusCode != http.StatusConflict || f != api.HeaderUploadOffset || c != "offset_mismatch" {
			t.Errorf("offset %d: %d %s", off, resp.StatusCode, data)
		}
		if resp.Header.Get(api.HeaderUploadOffset) != "300" {
			t.Errorf("offset %d: the answer gives %q, want 300", off, resp.Header.Get(api.HeaderUploadOffset))
		}
	}
	if got := s.offset(uid); got != 300 {
		t.Errorf("refused pieces moved the offset to %d", got)
	}
}

// TestResumableUploadRefused: what the start and the pieces refuse, each
// answered with the field at fault and leaving nothing behind.
func TestResumableUploadRefused(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 4096, false)
	report := s.newReport()
	retracted := s.newReport()
	if code, out := s.do("POST", "/api/v1/reports/"+retracted+"/retract", `{"base_revision":1,"reason":"a duplicate"}`, s.as(auth.RoleReviewer)...); code != 200 {
		t.Fatalf("retract: %d %v", code, out)
	}
	cases := []struct {
		name, report, body string
		hdr                []string
		status             int
		field              string
	}{
		{"over the limit", report, `{"name":"big.mp4","size":4097}`, nil, 413, "size"},
		{"no size", report, `{"name":"a.txt"}`, nil, 400, "size"},
		{"negative size", report, `{"name":"a.txt","size":-5}`, nil, 400, "size"},
		{"path as name", report, `{"name":"../../etc/passwd","size":10}`, nil, 400, "name"},
		{"bidi name", report, `{"name":"photo\u202egpj.exe","size":10}`, nil, 400, "name"},
		{"bad hash", report, `{"name":"a.txt","size":10,"sha256":"abc"}`, nil, 400, "sha256"},
		{"bad type", report, `{"name":"a.txt","size":10,"content_type":"not a type"}`, nil, 400, "content_type"},
		{"unknown field", report, `{"name":"a.txt","size":10,"colour":"red"}`, nil, 400, "colour"},
		{"unknown confidentiality", report, `{"name":"a.txt","size":10,"confidentiality":"whispered"}`, nil, 400, "confidentiality"},
		{"no user", report, `{"name":"a.txt","size":10}`, anonymous, 401, "Authorization"},
		{"another's report", report, `{"name":"a.txt","size":10}`, s.as(auth.RoleReporter), 404, ""},
		{"not JSON", report, `name=a.txt`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 400, "Content-Type"},
		{"no such report", "01NOSUCHREPORT", `{"name":"a.txt","size":10}`, nil, 404, ""},
		{"retracted report", retracted, `{"name":"a.txt","size":10}`, nil, 400, "report_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			state := s.state()
			code, out := s.do("POST", "/api/v1/reports/"+tc.report+"/uploads", tc.body, tc.hdr...)
			if f, _ := fieldOf(out); code != tc.status || f != tc.field {
				t.Fatalf("status %d field %q, want %d %q: %v", code, f, tc.status, tc.field, out)
			}
			if s.state() != state || s.uploadFiles() != 0 {
				t.Error("a refused start left something behind")
			}
		})
	}

	// The pieces: bytes past the declared size are refused whole, whether
	// the request announces its length or not; so are pieces without an
	// offset, of another type, or from another user.
	uid := s.start(report, `{"name":"a.txt","size":100}`)
	file := randomFile(t, 100)
	s.sendFrom(uid, file[:60], 0, 60)
	chunked := func(b []byte) (*http.Response, []byte) {
		req, _ := http.NewRequest("PATCH", s.srv.URL+"/api/v1/uploads/"+uid, io.MultiReader(bytes.NewReader(b)))
		req.Header.Set("Content-Type", "application/octet-stream")
		req.Header.Set(api.HeaderUploadOffset, "60")
		req.Header.Set("Authorization", s.bearer(auth.RoleAnalyst))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, data
	}
	pieces := []struct {
		name   string
		send   func() (*http.Response, []byte)
		status int
		field  string
	}{
		{"past the size", func() (*http.Response, []byte) { return s.patch(uid, 60, randomFile(t, 41)) }, 413, "body"},
		{"past the size, chunked", func() (*http.Response, []byte) { return chunked(randomFile(t, 41)) }, 413, "body"},
		{"no offset", func() (*http.Response, []byte) { return s.patch(uid, 60, file[60:], api.HeaderUploadOffset, "") }, 400, api.HeaderUploadOffset},
		{"signed offset", func() (*http.Response, []byte) { return s.patch(uid, 60, file[60:], api.HeaderUploadOffset, "+60") }, 400, api.HeaderUploadOffset},
		{"form type", func() (*http.Response, []byte) {
			return s.patch(uid, 60, file[60:], "Content-Type", "application/x-www-form-urlencoded")
		}, 400, "Content-Type"},
		{"another user", func() (*http.Response, []byte) { return s.patch(uid, 60, file[60:], s.as(auth.RoleReviewer)...) }, 404, ""},
		{"no user", func() (*http.Response, []byte) { return s.patch(uid, 60, file[60:], anonymous...) }, 401, "Authorization"},
		{"no such upload", func() (*http.Response, []byte) {
			return s.send("PATCH", "/api/v1/uploads/00000000000000000000000000000000", file[60:],
				"Content-Type", api.ContentTypeOffset, api.HeaderUploadOffset, "60")
		}, 404, ""},
		{"not an upload id", func() (*http.Response, []byte) {
			return s.send("PATCH", "/api/v1/uploads/..%2F..%2Ftawthiq.db", file[60:], "Content-Type", api.ContentTypeOffset, api.HeaderUploadOffset, "60")
		}, 404, ""},
	}
	for _, tc := range pieces {
		t.Run(tc.name, func(t *testing.T) {
			state := s.state()
			resp, data := tc.send()
			if f, _ := fieldOf(decodeJSON(t, tc.name, data)); resp.StatusCode != tc.status || f != tc.field {
				t.Fatalf("status %d field %q, want %d %q: %s", resp.StatusCode, f, tc.status, tc.field, data)
			}
			if got := s.offset(uid); got != 60 || s.state() != state {
				t.Errorf("a refused piece moved the offset to %d or changed the store", got)
			}
		})
	}
	if resp, data := s.sendFrom(uid, file, 60, 40); resp.StatusCode != http.StatusCreated {
		t.Fatalf("the rest of the file after refused pieces: %d %s", resp.StatusCode, data)
	}
}

// TestResumableUploadHashMismatch: bytes that do not match the declared
// SHA-256 are refused when the last piece arrives; no evidence is made,
// the bytes are dropped, and a retry gets the same refusal.
func TestResumableUploadHashMismatch(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 0, false)
	report := s.newReport()
	file := randomFile(t, 70_000)
	other := sha256Hex(append([]byte{1}, file...))
	state, files := s.state(), s.files()
	uid := s.start(report, fmt.Sprintf(`{"name":"a.bin","size":%d,"sha256":%q}`, len(file), strings.ToUpper(other)))
	resp, data := s.sendFrom(uid, file, 0, 30_000)
	if f, c := fieldOf(decodeJSON(t, "mismatch", data)); resp.StatusCode != http.StatusBadRequest || f != "sha256" || c != "hash_mismatch" {
		t.Fatalf("a mismatched hash: %d %s", resp.StatusCode, data)
	}
	s.unchanged(t, "a mismatched resumable upload", state, files)
	again, data2 := s.patch(uid, int64(len(file)), nil)
	if again.StatusCode != http.StatusBadRequest || !bytes.Equal(data, data2) {
		t.Errorf("retry after a refusal: %d %s", again.StatusCode, data2)
	}
	code, info := s.do("GET", "/api/v1/uploads/"+uid, "")
	if code != 200 || info["state"] != "refused" {
		t.Errorf("GET a refused upload: %d %v", code, info)
	}
	if _, err := os.Stat(filepath.Join(s.a.DataDir, app.UploadsDir, uid+".part")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused bytes are kept: %v", err)
	}
}

// TestResumableUploadSurvivesRestart stops the server in the middle of an
// upload, leaves unacknowledged bytes in the part file as a crash in the
// middle of a piece would, and resumes on a new server over the same data
// folder: the stored file is the original, without those bytes.
func TestResumableUploadSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	s := openUploadServer(t, dir, 0, false)
	report := s.newReport()
	file := randomFile(t, 1<<20)
	uid := s.start(report, fmt.Sprintf(`{"name":"a.bin","size":%d,"sha256":%q}`, len(file), sha256Hex(file)))
	s.sendFrom(uid, file[:600_000], 0, 200_000)
	s.close()
	// The server died in the middle of a piece: bytes past the saved
	// offset are on disk but were never acknowledged.
	part, err := os.OpenFile(filepath.Join(dir, app.UploadsDir, uid+".part"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(randomFile(t, 12_345))
	part.Close()

	s2 := reopenUploadServer(t, dir, s.accs)
	off := s2.offset(uid)
	if off != 600_000 {
		t.Fatalf("after a restart the upload is at %d, want 600000", off)
	}
	resp, data := s2.sendFrom(uid, file, off, 150_000)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("finishing after a restart: %d %s", resp.StatusCode, data)
	}
	rec := decodeJSON(t, "restart", data)["record"].(map[string]any)
	if rec["record"].(map[string]any)["sha256"] != sha256Hex(file) {
		t.Errorf("stored %v", rec)
	}
}

// TestResumableUploadDelete: a cancelled upload is gone, bytes and all;
// only the user who started it may cancel it: to anyone else it does not
// exist.
func TestResumableUploadDelete(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 0, false)
	uid := s.start(s.newReport(), `{"name":"a.bin","size":1000}`)
	s.sendFrom(uid, randomFile(t, 1000)[:400], 0, 400)
	if resp, data := s.send("DELETE", "/api/v1/uploads/"+uid, nil, s.as(auth.RoleAdmin)...); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another user cancelled an upload: %d %s", resp.StatusCode, data)
	}
	if resp, data := s.send("DELETE", "/api/v1/uploads/"+uid, nil, anonymous...); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a cancel without credentials: %d %s", resp.StatusCode, data)
	}
	if got := s.offset(uid); got != 400 || s.uploadFiles() == 0 {
		t.Fatalf("refused cancels changed the upload: at %d, %d files", got, s.uploadFiles())
	}
	// Nor may anyone else see it: its name, size and report are the
	// uploader's.
	t.Run("another user reads the upload", func(t *testing.T) {
		for _, role := range []auth.Role{auth.RoleReporter, auth.RoleReviewer} {
			code, got := s.do("GET", "/api/v1/uploads/"+uid, "", s.as(role)...)
			head, _ := s.send("HEAD", "/api/v1/uploads/"+uid, nil, s.as(role)...)
			if code != http.StatusNotFound || head.StatusCode != http.StatusNotFound {
				t.Errorf("another user's upload, to %s: GET %d %v, HEAD %d", role, code, got, head.StatusCode)
			}
		}
	})
	if resp, data := s.send("DELETE", "/api/v1/uploads/"+uid, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("cancel: %d %s", resp.StatusCode, data)
	}
	if resp, _ := s.send("HEAD", "/api/v1/uploads/"+uid, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("HEAD a cancelled upload: %d", resp.StatusCode)
	}
	if code, _ := s.do("GET", "/api/v1/uploads/"+uid, ""); code != http.StatusNotFound {
		t.Errorf("GET a cancelled upload: %d", code)
	}
	if resp, _ := s.patch(uid, 400, []byte("more")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("PATCH a cancelled upload: %d", resp.StatusCode)
	}
	if n := s.uploadFiles(); n != 0 {
		t.Errorf("a cancelled upload left %d files", n)
	}
}

// TestResumableUploadSweep: uploads untouched for a day are removed,
// others kept.
func TestResumableUploadSweep(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 0, false)
	report := s.newReport()
	old := s.start(report, `{"name":"old.bin","size":1000}`)
	fresh := s.start(report, `{"name":"fresh.bin","size":1000}`)
	s.sendFrom(old, randomFile(t, 1000)[:10], 0, 10)
	then := time.Now().Add(-25 * time.Hour)
	for _, ext := range []string{".json", ".part"} {
		if err := os.Chtimes(filepath.Join(s.a.DataDir, app.UploadsDir, old+ext), then, then); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.uploads.Sweep(context.Background(), api.UploadIdle)
	if err != nil || n != 1 {
		t.Fatalf("sweep removed %d (%v), want 1", n, err)
	}
	if resp, _ := s.send("HEAD", "/api/v1/uploads/"+old, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an old upload survived the sweep: %d", resp.StatusCode)
	}
	if got := s.offset(fresh); got != 0 {
		t.Errorf("the fresh upload is at %d", got)
	}
}

// TestResumableUploadTakesOverStalledPiece: a piece whose connection
// hangs (sent half, then nothing) does not hold the upload: the client's
// next request stops it, the half it got is kept, and the client goes on
// from there. Served without the web middleware, whose writer hides the
// connection's deadlines.
func TestResumableUploadTakesOverStalledPiece(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 0, true)
	file := randomFile(t, 500_000)
	uid := s.start(s.newReport(), fmt.Sprintf(`{"name":"a.bin","size":%d}`, len(file)))
	conn := s.rawPatch(uid, 0, file[:300_000], 100_000)
	defer conn.Close()
	time.Sleep(100 * time.Millisecond) // the server has read what came
	start := time.Now()
	resp, data := s.patch(uid, 0, file[:300_000])
	kept, _ := strconv.ParseInt(resp.Header.Get(api.HeaderUploadOffset), 10, 64)
	if resp.StatusCode != http.StatusConflict || kept <= 0 || kept > 100_000 {
		t.Fatalf("a piece after a stalled one: %d %s %s", resp.StatusCode, resp.Header.Get(api.HeaderUploadOffset), data)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the stalled piece held the upload for %v", time.Since(start))
	}
	if resp, data := s.sendFrom(uid, file, kept, 256<<10); resp.StatusCode != http.StatusCreated {
		t.Fatalf("finishing: %d %s", resp.StatusCode, data)
	}
}

// TestResumableUploadStalledPieceNotTakenByAnother: only the uploader's
// next request takes over a stalled piece; another user's request for the
// upload is refused without touching the piece in progress.
func TestResumableUploadStalledPieceNotTakenByAnother(t *testing.T) {
	s := openUploadServer(t, t.TempDir(), 0, true)
	file := randomFile(t, 500_000)
	uid := s.start(s.newReport(), fmt.Sprintf(`{"name":"a.bin","size":%d}`, len(file)))
	conn := s.rawPatch(uid, 0, file[:300_000], 100_000)
	defer conn.Close()
	time.Sleep(100 * time.Millisecond) // the server has read what came
	before := s.offset(uid)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "PATCH", s.srv.URL+"/api/v1/uploads/"+uid, bytes.NewReader(file[:10]))
	req.Header.Set("Content-Type", api.ContentTypeOffset)
	req.Header.Set(api.HeaderUploadOffset, "0")
	req.Header.Set("Authorization", s.bearer(auth.RoleReviewer))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusLocked {
			t.Errorf("another user's PATCH of a busy upload: %d, want 404 (or 423)", resp.StatusCode)
		}
	}

	// The uploader's stalled request is still open, unanswered.
	conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	var b [1]byte
	_, err := conn.Read(b[:])
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("another user's request cut the uploader's piece in progress (read: %v); offset %d before, %d after", err, before, s.offset(uid))
	}
}
