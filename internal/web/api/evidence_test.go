package api_test

// HTTP tests of the evidence routes: uploads and what they refuse, the
// read-only generic collection, downloads of originals and copies, the
// fixity check and the evidence package. Every refusal is checked to leave
// the database and the vault as they were.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
)

// send makes a request with a raw body and returns the answer and its
// bytes. Like do, it signs in as analyst-1 unless hdr says otherwise.
func (s *server) send(method, path string, body []byte, hdr ...string) (*http.Response, []byte) {
	s.t.Helper()
	resp, data, err := s.try(method, path, body, hdr...)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp, data
}

// try is send that returns a failed request or body read as an error.
func (s *server) try(method, path string, body []byte, hdr ...string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, s.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Authorization", s.bearer(auth.RoleAnalyst))
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

// upload posts body as a file for report; query is added to the URL as is.
func (s *server) upload(report, query string, body []byte, hdr ...string) (int, http.Header, map[string]any) {
	s.t.Helper()
	path := "/api/v1/reports/" + report + "/evidence"
	if query != "" {
		path += "?" + query
	}
	resp, data := s.send("POST", path, body, hdr...)
	return resp.StatusCode, resp.Header, decodeJSON(s.t, path, data)
}

func decodeJSON(t *testing.T, what string, data []byte) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: answer is not JSON: %.200q", what, data)
	}
	return out
}

// newReport creates a report to attach files to.
func (s *server) newReport() string {
	s.t.Helper()
	code, rec := s.do("POST", "/api/v1/reports", `{"reason":"received from a field researcher",
		"record":{"title":"شهادة عن القصف","text":"روى الشاهد ما رآه صباح اليوم","language":"ar"}}`)
	if code != http.StatusCreated {
		s.t.Fatalf("create report: %d %v", code, rec)
	}
	return rec["id"].(string)
}

// attach uploads body under name and returns the new evidence record's id
// and its SHA-256.
func (s *server) attach(report, name string, body []byte) (id, sha string) {
	s.t.Helper()
	code, _, out := s.upload(report, "name="+url.QueryEscape(name), body)
	if code != http.StatusCreated {
		s.t.Fatalf("upload %s: %d %v", name, code, out)
	}
	return out["record"].(map[string]any)["id"].(string), sha256Hex(body)
}

// custodyOf lists an item's custody events through the API.
func (s *server) custodyOf(id string) []map[string]any {
	s.t.Helper()
	code, out := s.do("GET", "/api/v1/evidence/"+id+"/custody", "")
	if code != http.StatusOK {
		s.t.Fatalf("custody of %s: %d %v", id, code, out)
	}
	var events []map[string]any
	for _, e := range out["items"].([]any) {
		events = append(events, e.(map[string]any))
	}
	return events
}

// files counts the files in the vault and its staging folder: an upload
// that is refused must leave neither a blob nor a staging file.
func (s *server) files() int {
	s.t.Helper()
	n := 0
	for _, dir := range []string{app.VaultDir, app.StagingDir} {
		err := filepath.WalkDir(filepath.Join(s.a.DataDir, dir), func(_ string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err == nil && !d.IsDir() {
				n++
			}
			return err
		})
		if err != nil {
			s.t.Fatal(err)
		}
	}
	return n
}

// blobPath is where the fs store keeps the original with this hash.
func (s *server) blobPath(sha string) string {
	return filepath.Join(s.a.DataDir, app.VaultDir, "sha256", sha[:2], sha[2:4], sha)
}

// corrupt flips one byte of a stored original in place, as bit rot would.
func (s *server) corrupt(sha string) {
	s.t.Helper()
	p := s.blobPath(sha)
	fi, err := os.Stat(p)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := os.Chmod(p, fi.Mode().Perm()|0o200); err != nil {
		s.t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		s.t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(p, b, 0); err != nil {
		s.t.Fatal(err)
	}
}

// unchanged fails the test unless the store and the vault are what they
// were before.
func (s *server) unchanged(t *testing.T, what, state string, files int) {
	t.Helper()
	if got := s.state(); got != state {
		t.Errorf("%s changed the store:\n before %s\n after  %s", what, state, got)
	}
	if got := s.files(); got != files {
		t.Errorf("%s left files behind: %d before, %d after", what, files, got)
	}
}

// fieldOf is the first field an error answer names, and its code.
func fieldOf(body map[string]any) (field, code string) {
	e, _ := body["error"].(map[string]any)
	fields, _ := e["fields"].([]any)
	if len(fields) == 0 {
		return "", ""
	}
	f := fields[0].(map[string]any)
	field, _ = f["field"].(string)
	code, _ = f["code"].(string)
	return field, code
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// pngImage is a small PNG made here; seed varies its pixels, so each seed
// gives other bytes.
func pngImage(t *testing.T, seed uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.NRGBA{R: seed, G: uint8(x * 30), B: uint8(y * 30), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifMake is the camera make written into the test JPEG's EXIF.
const exifMake = "WitnessPhone"

// jpegWithEXIF is a 16×16 JPEG with an APP1 Exif segment right after SOI,
// holding a little-endian TIFF header and one IFD with a Make tag.
func jpegWithEXIF(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := range 16 {
		for y := range 16 {
			img.Set(x, y, color.RGBA{R: uint8(x * 16), G: uint8(y * 16), B: 90, A: 255})
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, nil); err != nil {
		t.Fatal(err)
	}
	value := exifMake + "\x00"
	le := binary.LittleEndian
	tiff := []byte("II")
	tiff = le.AppendUint16(tiff, 42)
	tiff = le.AppendUint32(tiff, 8)      // first IFD
	tiff = le.AppendUint16(tiff, 1)      // one entry
	tiff = le.AppendUint16(tiff, 0x010F) // Make
	tiff = le.AppendUint16(tiff, 2)      // ASCII
	tiff = le.AppendUint32(tiff, uint32(len(value)))
	tiff = le.AppendUint32(tiff, 8+2+12+4) // value after the IFD
	tiff = le.AppendUint32(tiff, 0)        // no next IFD
	tiff = append(tiff, value...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	seg = append(seg, payload...)
	b := enc.Bytes()
	out := append([]byte{}, b[:2]...)
	out = append(out, seg...)
	return append(out, b[2:]...)
}

func TestUploadEvidence(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	img := pngImage(t, 1)
	code, hdr, out := s.upload(report, "name=photo.png&notes=taken+from+the+roof", img)
	if code != http.StatusCreated {
		t.Fatalf("upload: %d %v", code, out)
	}
	rec := out["record"].(map[string]any)
	id := rec["id"].(string)
	if hdr.Get("Location") != "/api/v1/evidence/"+id {
		t.Errorf("Location %q, want /api/v1/evidence/%s", hdr.Get("Location"), id)
	}
	body := rec["record"].(map[string]any)
	if rec["type"] != "evidence" || body["sha256"] != sha256Hex(img) || body["size"].(float64) != float64(len(img)) ||
		body["mime"] != "image/png" || body["name"] != "photo.png" || body["report_id"] != report ||
		body["confidentiality"] != "restricted" || body["notes"] != "taken from the roof" {
		t.Errorf("record: %v", rec)
	}
	if out["existed"] != false {
		t.Errorf("existed: %v", out["existed"])
	}
	custody := out["custody"].([]any)
	if len(custody) != 2 {
		t.Fatalf("custody: %v", custody)
	}
	for i, want := range []string{"received", "stored"} {
		e := custody[i].(map[string]any)
		idx, err := s.a.Ledger.Find(context.Background(), ledger.KindCustody, id, int64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		if e["action"] != want || e["seq"].(float64) != float64(i+1) || e["actor"] != "analyst-1" ||
			e["sha256"] != sha256Hex(img) || e["ledger_index"].(float64) != float64(idx) {
			t.Errorf("custody event %d: %v (leaf %d)", i+1, e, idx)
		}
	}
	if _, err := os.Stat(s.blobPath(sha256Hex(img))); err != nil {
		t.Errorf("the blob is not in the vault: %v", err)
	}
	if code, got := s.do("GET", hdr.Get("Location"), ""); code != http.StatusOK || got["id"] != id {
		t.Errorf("GET Location: %d %v", code, got)
	}
	if events := s.custodyOf(id); len(events) != 2 {
		t.Errorf("custody route: %v", events)
	}

	// The same bytes again: the same record, one more "received" event.
	files := s.files()
	code, hdr, out = s.upload(report, "name=again.png", img)
	if code != http.StatusOK || out["existed"] != true || out["record"].(map[string]any)["id"] != id {
		t.Fatalf("second upload: %d %v", code, out)
	}
	if hdr.Get("Location") != "" {
		t.Errorf("second upload answered Location %q", hdr.Get("Location"))
	}
	if got := out["custody"].([]any); len(got) != 1 || got[0].(map[string]any)["action"] != "received" {
		t.Errorf("second upload custody: %v", got)
	}
	if got := s.files(); got != files {
		t.Errorf("second upload stored %d more files", got-files)
	}
	if events := s.custodyOf(id); len(events) != 3 || events[2]["seq"].(float64) != 3 {
		t.Errorf("custody after second upload: %v", events)
	}

	// The same bytes on another report are another item. The type comes
	// from the bytes, never from the name.
	other := s.newReport()
	code, _, out = s.upload(other, "name=statement.pdf", img)
	rec = out["record"].(map[string]any)
	if code != http.StatusCreated || rec["id"] == id || rec["record"].(map[string]any)["mime"] != "image/png" {
		t.Errorf("upload to another report: %d %v", code, out)
	}
}

// TestUploadConcurrentSameBytes: parallel uploads of one file to one
// report make one record; every arrival is on its chain of custody.
func TestUploadConcurrentSameBytes(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	img := pngImage(t, 2)
	const n = 6
	type answer struct {
		code int
		id   string
		err  error
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, data, err := s.try("POST", "/api/v1/reports/"+report+"/evidence?name=p.png", img)
			if err != nil {
				answers[i].err = err
				return
			}
			var out struct{ Record struct{ ID string } }
			answers[i].err = json.Unmarshal(data, &out)
			answers[i].code, answers[i].id = resp.StatusCode, out.Record.ID
		})
	}
	wg.Wait()
	created := 0
	for i, a := range answers {
		switch {
		case a.err != nil:
			t.Errorf("upload %d: %v", i, a.err)
		case a.code == http.StatusCreated:
			created++
		case a.code != http.StatusOK:
			t.Errorf("upload %d: status %d", i, a.code)
		}
		if a.id != answers[0].id {
			t.Errorf("upload %d made record %q, upload 0 %q", i, a.id, answers[0].id)
		}
	}
	if created != 1 {
		t.Errorf("%d uploads answered 201, want 1", created)
	}
	if events := s.custodyOf(answers[0].id); len(events) != n+1 {
		t.Errorf("custody has %d events, want %d (received, stored, and a received per repeat)", len(events), n+1)
	}
}

func TestUploadDeclaredHash(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	img := pngImage(t, 3)
	sum := sha256Hex(img)
	if code, _, out := s.upload(report, "name=a.png", img, api.HeaderSHA256, sum); code != http.StatusCreated {
		t.Fatalf("matching header: %d %v", code, out)
	}
	img2 := pngImage(t, 4)
	if code, _, out := s.upload(report, "name=b.png&sha256="+sha256Hex(img2), img2); code != http.StatusCreated {
		t.Fatalf("matching query: %d %v", code, out)
	}
	img3 := pngImage(t, 5)
	if code, _, out := s.upload(report, "name=c.png", img3, api.HeaderSHA256, strings.ToUpper(sha256Hex(img3))); code != http.StatusCreated {
		t.Fatalf("matching upper-case header: %d %v", code, out)
	}

	fresh := pngImage(t, 6)
	cases := []struct {
		name, query string
		hdr         []string
		field, code string
	}{
		{"header does not match", "name=d.png", []string{api.HeaderSHA256, sum}, "sha256", "hash_mismatch"},
		{"query does not match", "name=d.png&sha256=" + sum, nil, "sha256", "hash_mismatch"},
		{"query and header disagree", "name=d.png&sha256=" + sum, []string{api.HeaderSHA256, sha256Hex(fresh)}, "sha256", "hash_mismatch"},
		{"not a hash", "name=d.png", []string{api.HeaderSHA256, "d00d"}, "sha256", "invalid_hash"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			state, files := s.state(), s.files()
			code, _, out := s.upload(report, tc.query, fresh, tc.hdr...)
			if f, c := fieldOf(out); code != http.StatusBadRequest || f != tc.field || c != tc.code {
				t.Fatalf("status %d field %q code %q, want 400 %s %s: %v", code, f, c, tc.field, tc.code, out)
			}
			s.unchanged(t, tc.name, state, files)
			if _, err := os.Stat(s.blobPath(sha256Hex(fresh))); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("refused bytes are in the vault: %v", err)
			}
		})
	}
}

func TestUploadRefused(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	_, inc := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":`+incidentJSON+`}`)
	retracted := s.newReport()
	if code, out := s.do("POST", "/api/v1/reports/"+retracted+"/retract", `{"base_revision":1,"reason":"a duplicate"}`, s.as(auth.RoleReviewer)...); code != http.StatusOK {
		t.Fatalf("retract: %d %v", code, out)
	}
	img := pngImage(t, 7)
	cases := []struct {
		name, report, query string
		hdr                 []string
		status              int
		field               string
	}{
		{"traversal", report, "name=" + url.QueryEscape("../../etc/passwd"), nil, 400, "name"},
		{"slash", report, "name=a/b.png", nil, 400, "name"},
		{"backslash", report, "name=" + url.QueryEscape(`a\b`), nil, 400, "name"},
		{"dot dot", report, "name=..", nil, 400, "name"},
		{"control character", report, "name=a%01b.png", nil, 400, "name"},
		{"name too long", report, "name=" + strings.Repeat("a", 252) + ".png", nil, 400, "name"},
		{"unknown parameter", report, "name=p.png&colour=red", nil, 400, "colour"},
		{"no user", report, "name=p.png", anonymous, 401, "Authorization"},
		{"blank user", report, "name=p.png", []string{"Authorization", "Bearer   "}, 401, "Authorization"},
		{"unknown token", report, "name=p.png", []string{"Authorization", "Bearer tq_nosuchtoken"}, 401, "Authorization"},
		{"another's report", report, "name=p.png", s.as(auth.RoleReporter), 404, ""},
		{"unknown report", "01NOSUCHREPORT", "name=p.png", nil, 404, ""},
		{"incident, not report", inc["id"].(string), "name=p.png", nil, 400, "report_id"},
		{"retracted report", retracted, "name=p.png", nil, 400, "report_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			state, files := s.state(), s.files()
			code, _, out := s.upload(tc.report, tc.query, img, tc.hdr...)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %v", code, tc.status, out)
			}
			e, _ := out["error"].(map[string]any)
			if e == nil || e["message"] == "" || e["message_ar"] == "" {
				t.Fatalf("error lacks bilingual messages: %v", out)
			}
			if f, _ := fieldOf(out); tc.field != "" && f != tc.field {
				t.Fatalf("error names %q, want %q: %v", f, tc.field, out)
			}
			s.unchanged(t, tc.name, state, files)
		})
	}
}

// newLimitedServer is newServer with an upload limit. done receives once
// for every request the handler has finished (or aborted).
func newLimitedServer(t *testing.T, limit int64) (*server, <-chan struct{}) {
	t.Helper()
	a, accs := apptest.New(t)
	a.SetMaxUpload(limit)
	h := web.Handler(newAPI(a), a.Accounts)
	done := make(chan struct{}, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &server{t: t, a: a, srv: srv, accs: accs}, done
}

func TestUploadOverLimit(t *testing.T) {
	s, _ := newLimitedServer(t, 16)
	report := s.newReport()
	if code, _, out := s.upload(report, "name=exact.txt", []byte("sixteen bytes ok")); code != http.StatusCreated {
		t.Fatalf("upload of exactly the limit: %d %v", code, out)
	}
	state, files := s.state(), s.files()
	code, _, out := s.upload(report, "name=big.txt", []byte("seventeen bytes!!"))
	if f, c := fieldOf(out); code != http.StatusRequestEntityTooLarge || f != "body" || c != "too_large" {
		t.Fatalf("status %d field %q code %q, want 413 body too_large: %v", code, f, c, out)
	}
	s.unchanged(t, "an upload over the limit", state, files)
}

// chunked uploads body with no Content-Length: the client sends it in
// chunks, as a phone streaming a recording does.
func (s *server) chunked(report string, body []byte) (int, map[string]any) {
	s.t.Helper()
	path := "/api/v1/reports/" + report + "/evidence?name=stream.bin"
	req, err := http.NewRequest("POST", s.srv.URL+path, io.MultiReader(bytes.NewReader(body)))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", s.bearer(auth.RoleAnalyst))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, decodeJSON(s.t, path, data)
}

// TestUploadChunked: an upload without Content-Length (a phone streaming
// a recording, chunked) is accepted, and the size limit holds while the
// bytes arrive.
func TestUploadChunked(t *testing.T) {
	s, _ := newLimitedServer(t, 16)
	report := s.newReport()
	if code, out := s.chunked(report, []byte("a short stream")); code != http.StatusCreated {
		t.Errorf("chunked upload under the limit: %d %v", code, out)
	}
	state, files := s.state(), s.files()
	code, out := s.chunked(report, []byte("a stream over sixteen bytes"))
	if f, c := fieldOf(out); code != http.StatusRequestEntityTooLarge || f != "body" || c != "too_large" {
		t.Errorf("chunked upload over the limit: status %d field %q code %q, want 413 body too_large: %v", code, f, c, out)
	}
	s.unchanged(t, "a chunked upload over the limit", state, files)
}

// TestUploadRefusedByRecordRulesStoresNoBlob: a confidentiality code the
// record would refuse is refused before the vault stores the bytes, so no
// unattached original stays behind.
func TestUploadRefusedByRecordRulesStoresNoBlob(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	state, files := s.state(), s.files()
	code, _, out := s.upload(report, "name=p.png&confidentiality=whispered", pngImage(t, 11))
	if f, _ := fieldOf(out); code != http.StatusBadRequest || !strings.HasSuffix(f, "confidentiality") {
		t.Fatalf("unknown confidentiality: %d %v", code, out)
	}
	s.unchanged(t, "an upload with an unknown confidentiality", state, files)
}

// rawUpload sends an upload whose Content-Length promises 1000 bytes but
// carries 10, then stops writing; it returns the connection.
func rawUpload(t *testing.T, s *server, report string) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", s.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn := c.(*net.TCPConn)
	fmt.Fprintf(conn, "POST /api/v1/reports/%s/evidence?name=cut.bin HTTP/1.1\r\nHost: %s\r\n"+
		"Authorization: %s\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n",
		report, s.srv.Listener.Addr(), s.bearer(auth.RoleAnalyst))
	if _, err := conn.Write([]byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	return conn
}

// wait returns when the handler has finished one more request.
func wait(t *testing.T, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not finish the request")
	}
}

// TestUploadTruncatedStoresNothing cuts the connection in the middle of an
// upload: the server must keep nothing of it.
func TestUploadTruncatedStoresNothing(t *testing.T) {
	s, done := newLimitedServer(t, app.DefaultMaxUpload)
	report := s.newReport()
	<-done // the report's request
	state, files := s.state(), s.files()
	conn := rawUpload(t, s, report)
	conn.Close()
	wait(t, done)
	s.unchanged(t, "a cut upload", state, files)
}

// TestUploadTruncatedAnswersBadRequest stops sending in the middle of an
// upload but keeps reading: the answer says the upload was cut and nothing
// was stored (400, field body, code truncated), not 500.
func TestUploadTruncatedAnswersBadRequest(t *testing.T) {
	s, done := newLimitedServer(t, app.DefaultMaxUpload)
	report := s.newReport()
	<-done
	state, files := s.state(), s.files()
	conn := rawUpload(t, s, report)
	defer conn.Close()
	if err := conn.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	wait(t, done)
	s.unchanged(t, "a cut upload", state, files)
	out := decodeJSON(t, "cut upload", data)
	if f, c := fieldOf(out); resp.StatusCode != http.StatusBadRequest || f != "body" || c != "truncated" {
		t.Errorf("a cut upload answered %d field %q code %q, want 400 body truncated: %s", resp.StatusCode, f, c, data)
	}
}

func TestEvidenceCollectionIsReadOnly(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	id, sha := s.attach(report, "photo.png", pngImage(t, 8))
	code, list := s.do("GET", "/api/v1/evidence", "")
	items, _ := list["items"].([]any)
	if code != http.StatusOK || list["total"].(float64) != 1 || len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("list: %d %v", code, list)
	}
	if code, rec := s.do("GET", "/api/v1/evidence/"+id, ""); code != http.StatusOK || rec["type"] != "evidence" {
		t.Errorf("get: %d %v", code, rec)
	}
	if code, rec := s.do("GET", "/api/v1/reports/"+id, ""); code != http.StatusNotFound {
		t.Errorf("evidence under /reports: %d %v", code, rec)
	}

	forged := fmt.Sprintf(`{"report_id":%q,"sha256":%q,"size":1,"mime":"image/png"}`, report, sha)
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/api/v1/evidence", `{"reason":"r","record":` + forged + `}`},
		{"PUT", "/api/v1/evidence/" + id, `{"base_revision":1,"reason":"r","record":` + forged + `}`},
	} {
		state, files := s.state(), s.files()
		code, out := s.do(tc.method, tc.path, tc.body)
		// No route takes these; the mux's catch-all answers 404.
		if code != http.StatusNotFound && code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d %v, want 404 or 405", tc.method, tc.path, code, out)
		}
		s.unchanged(t, tc.method+" "+tc.path, state, files)
	}

	code, rec := s.do("POST", "/api/v1/evidence/"+id+"/retract", `{"base_revision":1,"reason":"attached to the wrong report"}`, s.as(auth.RoleReviewer)...)
	if code != http.StatusOK || rec["retracted"] != true || rec["revision"].(float64) != 2 {
		t.Fatalf("retract: %d %v", code, rec)
	}
	if _, list := s.do("GET", "/api/v1/evidence", ""); list["total"].(float64) != 0 {
		t.Errorf("retracted evidence still listed: %v", list)
	}
	code, rec = s.do("POST", "/api/v1/evidence/"+id+"/restore", `{"base_revision":2,"reason":"it was the right report"}`, s.as(auth.RoleReviewer)...)
	if code != http.StatusOK || rec["retracted"] != false || rec["revision"].(float64) != 3 {
		t.Fatalf("restore: %d %v", code, rec)
	}
	if _, err := os.Stat(s.blobPath(sha)); err != nil {
		t.Errorf("the original left the vault: %v", err)
	}
}

func TestDownloadOriginal(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	img := pngImage(t, 9)
	name := "صورة القصف.png"
	id, sha := s.attach(report, name, img)
	resp, data := s.send("GET", "/api/v1/evidence/"+id+"/original?purpose=court", nil, s.as(auth.RoleReviewer)...)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(data, img) {
		t.Fatalf("download: %d, %d bytes (want %d)", resp.StatusCode, len(data), len(img))
	}
	h := resp.Header
	if h.Get(api.HeaderSHA256) != sha || h.Get("Content-Type") != "application/octet-stream" ||
		h.Get("Content-Disposition") != "attachment; filename*=UTF-8''"+url.PathEscape(name) ||
		h.Get("Content-Length") != fmt.Sprint(len(img)) || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers: %v", h)
	}
	events := s.custodyOf(id)
	last := events[len(events)-1]
	if len(events) != 3 || last["action"] != "accessed" || last["actor"] != "reviewer-1" || last["purpose"] != "court" ||
		last["ledger_index"].(float64) < 0 {
		t.Errorf("custody after download: %v", events)
	}

	for _, tc := range []struct {
		name, path string
		hdr        []string
		status     int
		field      string
	}{
		{"no purpose", "/api/v1/evidence/" + id + "/original", nil, 400, "purpose"},
		{"blank purpose", "/api/v1/evidence/" + id + "/original?purpose=+", nil, 400, "purpose"},
		{"unknown parameter", "/api/v1/evidence/" + id + "/original?purpose=court&inline=1", nil, 400, "inline"},
		{"no user", "/api/v1/evidence/" + id + "/original?purpose=court", anonymous, 401, "Authorization"},
		{"reporter", "/api/v1/evidence/" + id + "/original?purpose=court", s.as(auth.RoleReporter), 403, ""},
		{"unknown id", "/api/v1/evidence/01NOSUCH/original?purpose=court", nil, 404, ""},
		{"not evidence", "/api/v1/evidence/" + report + "/original?purpose=court", nil, 404, ""},
		{"custody of unknown id", "/api/v1/evidence/01NOSUCH/custody", nil, 404, ""},
		{"custody of a report", "/api/v1/evidence/" + report + "/custody", nil, 404, ""},
		{"copy of unknown id", "/api/v1/evidence/01NOSUCH/copies/" + sha, nil, 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, files := s.state(), s.files()
			resp, data := s.send("GET", tc.path, nil, tc.hdr...)
			out := decodeJSON(t, tc.path, data)
			if f, _ := fieldOf(out); resp.StatusCode != tc.status || tc.field != "" && f != tc.field {
				t.Fatalf("status %d field %q, want %d %q: %v", resp.StatusCode, f, tc.status, tc.field, out)
			}
			s.unchanged(t, tc.name, state, files)
		})
	}
}

// TestHeadRecordsNoCustody: net/http's mux answers HEAD with the GET
// handler; a HEAD of an original or a package must record no access or
// export (it is refused), since not a byte leaves the server.
func TestHeadRecordsNoCustody(t *testing.T) {
	s := newServer(t)
	id, _ := s.attach(s.newReport(), "photo.png", pngImage(t, 13))
	for _, path := range []string{"/original?purpose=court", "/package?purpose=court"} {
		t.Run(path, func(t *testing.T) {
			state, files := s.state(), s.files()
			resp, _ := s.send("HEAD", "/api/v1/evidence/"+id+path, nil)
			t.Logf("HEAD answered %d", resp.StatusCode)
			s.unchanged(t, "HEAD "+path, state, files)
		})
	}
}

// downloadDamaged fails the test if a damaged original downloads as a
// whole, well-formed answer.
func downloadDamaged(t *testing.T, size int) {
	s := newServer(t)
	report := s.newReport()
	orig := make([]byte, size)
	rand.NewChaCha8([32]byte{byte(size)}).Read(orig)
	id, sha := s.attach(report, "recording.bin", orig)
	s.corrupt(sha)
	resp, data, err := s.try("GET", "/api/v1/evidence/"+id+"/original?purpose=court", nil)
	switch {
	case err != nil:
		t.Logf("the client saw the download fail: %v", err)
	case resp.StatusCode != http.StatusOK:
		t.Logf("the server refused: %d", resp.StatusCode)
	default:
		t.Errorf("a damaged original of %d bytes downloaded as a complete 200 answer (%d bytes, X-Content-SHA256 %s, body hashes to %s)",
			size, len(data), resp.Header.Get(api.HeaderSHA256), sha256Hex(data))
	}
}

func TestDownloadDamagedSmallOriginalFails(t *testing.T) { downloadDamaged(t, 1000) }

// TestDownloadDamagedLargeOriginalFails: sendFile promises that a damaged
// original never arrives as a complete answer, but it sets Content-Length
// and learns of the damage only after the last byte was written, so for
// any file larger than the server's write buffers the client receives
// every byte and a clean end.
func TestDownloadDamagedLargeOriginalFails(t *testing.T) { downloadDamaged(t, 256<<10) }

func TestPublishedCopy(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	photo := jpegWithEXIF(t)
	if !bytes.Contains(photo, []byte("Exif\x00\x00")) {
		t.Fatal("fixture has no EXIF")
	}
	id, sha := s.attach(report, "photo.jpg", photo)
	_, rec := s.do("GET", "/api/v1/evidence/"+id, "")
	if mime := rec["record"].(map[string]any)["mime"]; mime != "image/jpeg" {
		t.Fatalf("mime %v", mime)
	}
	code, out := s.do("POST", "/api/v1/evidence/"+id+"/published-copy?purpose=press+release", "")
	if code != http.StatusCreated {
		t.Fatalf("published copy: %d %v", code, out)
	}
	cp := out["copy"].(map[string]any)
	copySHA, _ := cp["sha256"].(string)
	link := fmt.Sprintf("/api/v1/evidence/%s/copies/%s", id, copySHA)
	if len(copySHA) != 64 || copySHA == sha || out["url"] != link || cp["mime"] != "image/jpeg" {
		t.Fatalf("copy: %v", out)
	}
	resp, data := s.send("GET", link, nil)
	if resp.StatusCode != http.StatusOK || sha256Hex(data) != copySHA || resp.Header.Get(api.HeaderSHA256) != copySHA ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET copy: %d %v", resp.StatusCode, resp.Header)
	}
	if bytes.Contains(data, []byte("Exif\x00\x00")) || bytes.Contains(data, []byte(exifMake)) {
		t.Error("the published copy still carries the EXIF segment")
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil || img.Bounds().Dx() != 16 {
		t.Errorf("the copy is not the same image: %v", err)
	}
	events := s.custodyOf(id)
	if last := events[len(events)-1]; last["action"] != "copy_made" || last["purpose"] != "press release" ||
		!strings.Contains(last["detail"].(string), copySHA) {
		t.Errorf("custody: %v", events)
	}
	_, rec = s.do("GET", "/api/v1/evidence/"+id, "")
	if derivs, _ := rec["record"].(map[string]any)["derivatives"].([]any); len(derivs) != 1 || rec["revision"].(float64) != 2 {
		t.Errorf("record after the copy: %v", rec)
	}
	resp, data = s.send("GET", "/api/v1/evidence/"+id+"/original?purpose=check", nil)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(data, photo) {
		t.Error("making a copy changed the original")
	}

	// Asking again finds the copy and changes nothing.
	state, files := s.state(), s.files()
	if code, again := s.do("POST", "/api/v1/evidence/"+id+"/published-copy", ""); code != http.StatusCreated ||
		again["copy"].(map[string]any)["sha256"] != copySHA {
		t.Errorf("second copy: %d %v", code, again)
	}
	s.unchanged(t, "a second published copy", state, files)

	if code, _ := s.do("GET", fmt.Sprintf("/api/v1/evidence/%s/copies/%s", id, sha), ""); code != http.StatusNotFound {
		t.Errorf("the original served as a copy: %d", code)
	}

	text, _ := s.attach(report, "notes.txt", []byte("شهادة مكتوبة: سمعنا الطائرة قبل الفجر\n"))
	state, files = s.state(), s.files()
	code, out = s.do("POST", "/api/v1/evidence/"+text+"/published-copy", "")
	if f, c := fieldOf(out); code != http.StatusUnprocessableEntity || f != "mime" || c != "unsupported" {
		t.Errorf("copy of a text file: %d %v", code, out)
	}
	s.unchanged(t, "a refused copy", state, files)
}

func TestIntegrityCheck(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	id, sha := s.attach(report, "photo.png", pngImage(t, 10))
	code, out := s.do("POST", "/api/v1/evidence/"+id+"/check", "", s.as(auth.RoleAdmin)...)
	ev, _ := out["event"].(map[string]any)
	if code != http.StatusOK || out["ok"] != true || ev["action"] != "integrity_checked" || ev["actor"] != "admin-1" ||
		!strings.HasPrefix(ev["detail"].(string), "ok") {
		t.Fatalf("check: %d %v", code, out)
	}
	state := s.state()
	if code, out := s.do("POST", "/api/v1/evidence/"+id+"/check", "", anonymous...); code != http.StatusUnauthorized || !namesField(out, "Authorization") {
		t.Errorf("check without a user: %d %v", code, out)
	}
	if s.state() != state {
		t.Error("a refused check was recorded")
	}

	s.corrupt(sha)
	code, out = s.do("POST", "/api/v1/evidence/"+id+"/check", "")
	if code != http.StatusOK || out["ok"] != false {
		t.Fatalf("check of a damaged original: %d %v", code, out)
	}
	events := s.custodyOf(id)
	last := events[len(events)-1]
	if last["action"] != "integrity_checked" || !strings.HasPrefix(last["detail"].(string), "failed") || last["ledger_index"].(float64) < 0 {
		t.Errorf("custody after a failed check: %v", last)
	}

	// An original missing from the vault fails its check too.
	gone, goneSHA := s.attach(report, "gone.png", pngImage(t, 14))
	if err := os.Remove(s.blobPath(goneSHA)); err != nil {
		t.Fatal(err)
	}
	code, out = s.do("POST", "/api/v1/evidence/"+gone+"/check", "")
	if ev, _ := out["event"].(map[string]any); code != http.StatusOK || out["ok"] != false ||
		!strings.HasPrefix(ev["detail"].(string), "failed: the vault has no bytes") {
		t.Errorf("check of a missing original: %d %v", code, out)
	}
	if code, out := s.do("POST", "/api/v1/evidence/01NOSUCH/check", ""); code != http.StatusNotFound {
		t.Errorf("check of an unknown id: %d %v", code, out)
	}

	// A damaged original is not packaged, and the answer says why. The
	// audit log may hold the attempt; nothing else is written, and
	// nothing claims the package was made.
	state = s.stateBesidesAudit()
	resp, data := s.send("GET", "/api/v1/evidence/"+id+"/package?purpose=court", nil)
	if e, _ := decodeJSON(t, "package", data)["error"].(map[string]any); resp.StatusCode != http.StatusInternalServerError || e["code"] != "evidence_damaged" {
		t.Errorf("package of a damaged original: %d %s", resp.StatusCode, data)
	}
	if s.stateBesidesAudit() != state {
		t.Error("a refused export was recorded")
	}
	if last := s.custodyOf(id); last[len(last)-1]["action"] == "exported" {
		t.Errorf("a refused export is on the chain of custody: %v", last[len(last)-1])
	}
	t.Run("audit log does not claim the refused export", func(t *testing.T) {
		for _, e := range s.auditLog("action=export&subject_id=" + id) {
			if e["outcome"] == "ok" {
				t.Errorf("the audit log records a refused export as made: %v", e)
			}
		}
	})
}

// TestPublishedCopyOfDamagedOriginal: a copy of a damaged original is
// answered evidence_damaged, for a PNG whose damage breaks its chunk CRCs
// as for a JPEG whose damage the stripper does not see.
func TestPublishedCopyOfDamagedOriginal(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	for _, tc := range []struct {
		name string
		body []byte
	}{{"photo.jpg", jpegWithEXIF(t)}, {"photo.png", pngImage(t, 12)}} {
		t.Run(tc.name, func(t *testing.T) {
			id, sha := s.attach(report, tc.name, tc.body)
			s.corrupt(sha)
			state, files := s.state(), s.files()
			code, out := s.do("POST", "/api/v1/evidence/"+id+"/published-copy", "")
			if e, _ := out["error"].(map[string]any); code != http.StatusInternalServerError || e["code"] != "evidence_damaged" {
				t.Errorf("copy of a damaged original: %d %v", code, out)
			}
			s.unchanged(t, "a copy of a damaged original", state, files)
		})
	}
}

func TestEvidencePackage(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	photo := jpegWithEXIF(t)
	id, sha := s.attach(report, "photo.jpg", photo)
	if code, out := s.do("POST", "/api/v1/evidence/"+id+"/published-copy", ""); code != http.StatusCreated {
		t.Fatalf("copy: %d %v", code, out)
	}
	resp, data := s.send("GET", "/api/v1/evidence/"+id+"/package?purpose=x", nil, s.as(auth.RoleReviewer)...)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		resp.Header.Get("Content-Disposition") != "attachment; filename*=UTF-8''"+id+".tawthiq.zip" {
		t.Fatalf("package: %d %v %.200q", resp.StatusCode, resp.Header, data)
	}
	v, err := evidence.VerifyPackage(bytes.NewReader(data), int64(len(data)), s.a.Ledger.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || !v.Trusted {
		t.Fatalf("package does not verify: %v", v.Problems)
	}
	// received, stored, copy_made, exported; revisions 1 and 2 (the copy).
	if v.Manifest.EvidenceID != id || v.Manifest.Original.SHA256 != sha || v.Events != 4 || v.Revisions != 2 {
		t.Errorf("package holds %+v, %d events, %d revisions", v.Manifest, v.Events, v.Revisions)
	}
	events := s.custodyOf(id)
	if last := events[len(events)-1]; last["action"] != "exported" || last["actor"] != "reviewer-1" || last["purpose"] != "x" {
		t.Errorf("custody after export: %v", last)
	}
	if es := s.auditLog("action=export&subject_id=" + id); len(es) != 1 || es[0]["actor"] != "reviewer-1" || es[0]["role"] != "reviewer" ||
		es[0]["subject_type"] != "evidence" || es[0]["outcome"] != "ok" || !strings.Contains(es[0]["detail"].(string), "x") {
		t.Errorf("the audit log of the export: %v", es)
	}
	_, other, err := ledger.GenerateKey("impostor.example/log")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := evidence.VerifyPackage(bytes.NewReader(data), int64(len(data)), other); err == nil && v.OK() {
		t.Error("the package verifies with another log's key")
	}

	for _, tc := range []struct {
		name, path string
		hdr        []string
		status     int
	}{
		{"no user", "/api/v1/evidence/" + id + "/package", anonymous, 401},
		{"reporter", "/api/v1/evidence/" + id + "/package", s.as(auth.RoleReporter), 403},
		{"unknown parameter", "/api/v1/evidence/" + id + "/package?format=tar", nil, 400},
		{"unknown id", "/api/v1/evidence/01NOSUCH/package", nil, 404},
		{"not evidence", "/api/v1/evidence/" + report + "/package", nil, 404},
	} {
		state := s.state()
		resp, data := s.send("GET", tc.path, nil, tc.hdr...)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.name, resp.StatusCode, tc.status, data)
		}
		if s.state() != state {
			t.Errorf("%s: a refused export was recorded", tc.name)
		}
	}
}
