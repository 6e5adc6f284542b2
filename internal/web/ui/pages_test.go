package ui_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/audit"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/demo"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/review"
	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// site is a server on a fresh installation (apptest: an unlocked
// organisation key and one account per role) with the sample data, and a
// client that sends only the cookies each request is given.
type site struct {
	t    *testing.T
	a    *app.App
	accs map[auth.Role]apptest.Account
	srv  *httptest.Server
	c    *http.Client

	signIns  int
	sessions map[auth.Role]*http.Cookie
}

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	a, accs := apptest.New(t)
	if _, err := demo.Load(ctx, a.Service); err != nil {
		t.Fatal(err)
	}
	pages, err := ui.New(ui.Deps{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Search: a.Search, DB: a.DB, Evidence: a.Evidence, Ledger: a.Ledger,
		Log: slog.New(slog.DiscardHandler), Accounts: a.Accounts, Audit: a.AuditLog, AuditLog: a.AuditLog})
	if err != nil {
		t.Fatal(err)
	}
	h := web.Site(&api.API{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Evidence: a.Evidence, Ledger: a.Ledger,
		Search: a.Search, DB: a.DB, Version: "test", Log: slog.New(slog.DiscardHandler),
		Accounts: a.Accounts, Audit: a.AuditLog, AuditLog: a.AuditLog}, pages, a.Accounts)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s := &site{t: t, a: a, accs: accs, srv: srv, c: srv.Client(), sessions: map[auth.Role]*http.Cookie{}}
	s.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return s
}

// as is the session cookie of the test account of role ("analyst-1" for
// auth.RoleAnalyst), signed in once per site and kept.
func (s *site) as(role auth.Role) *http.Cookie {
	s.t.Helper()
	if c, ok := s.sessions[role]; ok {
		return c
	}
	c := s.newSession(role)
	s.sessions[role] = c
	return c
}

// newSession signs the test account of role in again: a session of its
// own, as from another browser. Each comes from a client of its own, so
// tests never meet the sign-in rate limit.
func (s *site) newSession(role auth.Role) *http.Cookie {
	s.t.Helper()
	acc, ok := s.accs[role]
	if !ok {
		s.t.Fatalf("no test account for role %q", role)
	}
	s.signIns++
	secret, _, err := s.a.Accounts.SignIn(context.Background(), acc.Username, []byte(acc.Password), "test-client-"+strconv.Itoa(s.signIns))
	if err != nil {
		s.t.Fatalf("sign in %s: %v", acc.Username, err)
	}
	return &http.Cookie{Name: ui.SessionCookie, Value: secret}
}

// do sends a request with the cookies given and returns status and body.
// The cookies go in the Cookie header as given: a cookie jar would keep
// the Secure session cookie off http://.
func (s *site) do(method, path string, body io.Reader, hdr map[string]string, cookies ...*http.Cookie) (int, string, http.Header) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (s *site) get(path string, cookies ...*http.Cookie) (int, string) {
	code, body, _ := s.do("GET", path, nil, nil, cookies...)
	return code, body
}

func (s *site) form(path string, v url.Values, cookies ...*http.Cookie) (int, string, http.Header) {
	return s.do("POST", path, strings.NewReader(v.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, cookies...)
}

// state fingerprints the stored records, their history and the ledger,
// to prove a refused request wrote nothing.
func (s *site) state() string {
	s.t.Helper()
	var b strings.Builder
	for _, table := range []string{"records", "revisions", "custody_events", "ledger_leaves", "fact_decisions"} {
		var n, last int64
		if err := s.a.DB.QueryRow(context.Background(), "SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM "+table).Scan(&n, &last); err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d/%d ", table, n, last)
	}
	return b.String()
}

// audited checks the store is whole after a test changed it.
func (s *site) audited() {
	s.t.Helper()
	rep, err := audit.Run(context.Background(), audit.Inputs{DB: s.a.DB, Store: s.a.Store, Ledger: s.a.Ledger, Vault: s.a.Vault})
	if err != nil {
		s.t.Fatal(err)
	}
	if !rep.OK() {
		s.t.Fatalf("audit: %v", rep.Findings)
	}
}

var english = &http.Cookie{Name: "tawthiq_lang", Value: "en"}

var foreign = regexp.MustCompile(`(?i)(src|href|action)\s*=\s*"(https?:)?//`)

func TestPagesInBothLanguages(t *testing.T) {
	s := newSite(t)
	inc := s.firstID(record.TypeIncident)
	rep := s.firstID(record.TypeReport)
	analyst, admin := s.as(auth.RoleAnalyst), s.as(auth.RoleAdmin)
	for _, p := range []struct {
		path string
		as   *http.Cookie
	}{
		{"/", analyst}, {"/intake", analyst}, {"/reports", analyst}, {"/reports/" + rep, analyst}, {"/incidents", analyst},
		{"/incidents?q=%D9%82%D8%B5%D9%81", analyst}, {"/incidents/" + inc, analyst}, {"/map", analyst}, {"/stats", analyst},
		{"/ledger", analyst}, {"/settings", analyst}, {"/signin", nil}, {"/admin/users", admin}, {"/admin/audit", admin},
	} {
		path := p.path
		for _, c := range []struct {
			cookies   []*http.Cookie
			lang, dir string
		}{{nil, "ar", "rtl"}, {[]*http.Cookie{english}, "en", "ltr"}} {
			cookies := c.cookies
			if p.as != nil {
				cookies = append(cookies, p.as)
			}
			code, body := s.get(path, cookies...)
			if code != 200 {
				t.Errorf("%s (%s): %d\n%s", path, c.lang, code, body)
				continue
			}
			if !strings.Contains(body, `<html lang="`+c.lang+`" dir="`+c.dir+`">`) {
				t.Errorf("%s: not lang=%s dir=%s", path, c.lang, c.dir)
			}
			if m := foreign.FindString(body); m != "" {
				t.Errorf("%s: refers to another origin: %s", path, m)
			}
		}
	}
}

func (s *site) firstID(typ record.Type) string {
	s.t.Helper()
	recs, _, err := s.a.Store.List(context.Background(), record.Query{Type: typ, Limit: 1})
	if err != nil || len(recs) == 0 {
		s.t.Fatalf("no %s: %v", typ, err)
	}
	return recs[0].ID
}

func TestIntake(t *testing.T) {
	s := newSite(t)
	text := "[بيانات تجريبية] قصفت طائرات حربية حي الدرعية في مدينة الرقة يوم الأحد 25 حزيران 2017، ما أسفر عن مقتل 12 مدنياً بينهم 5 أطفال."
	fields := url.Values{"title": {"غارة على الدرعية"}, "text": {text}, "language": {"ar"}, "published": {"2017-06-26"}}
	analyst := s.as(auth.RoleAnalyst)

	// Without a session nothing is stored, and the refusal says to sign in.
	before := s.state()
	code, body, _ := s.do("POST", "/intake", strings.NewReader(fields.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
	if code != 401 || !strings.Contains(body, "<code>session</code>") {
		t.Fatalf("no session: %d %s", code, body)
	}
	// A session cookie that is no session (made up, or ended) is none.
	code, _, _ = s.form("/intake", fields, &http.Cookie{Name: ui.SessionCookie, Value: "bm90IGEgc2Vzc2lvbiBzZWNyZXQgYXQgYWxsLCBqdXN0IGJ5dGVz"})
	if code != 401 {
		t.Fatalf("made-up session: %d", code)
	}
	if after := s.state(); after != before {
		t.Fatalf("a refused intake changed the store:\n%s\n%s", before, after)
	}
	// Without text: 400 naming text.
	empty := url.Values{"text": {""}, "language": {"ar"}}
	code, body, _ = s.form("/intake", empty, analyst)
	if code != 400 || !strings.Contains(body, "<code>text</code>") {
		t.Fatalf("no text: %d %s", code, body)
	}
	// A bad date: 400 naming published, in the form again with what was typed.
	bad := url.Values{"text": {text}, "language": {"ar"}, "published": {"26/06/2017"}}
	code, body, _ = s.form("/intake", bad, analyst)
	if code != 400 || !strings.Contains(body, "<code>published</code>") || !strings.Contains(body, "بيانات تجريبية") {
		t.Fatalf("bad date: %d %s", code, body)
	}

	// The script path: fields as a form, JSON back.
	js := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
	code, body, _ = s.do("POST", "/intake", strings.NewReader(fields.Encode()), js, analyst)
	var res ui.IntakeResult
	if code != 201 || json.Unmarshal([]byte(body), &res) != nil {
		t.Fatalf("intake: %d %s", code, body)
	}
	sum := sha256.Sum256([]byte(text))
	if res.SHA256 != hex.EncodeToString(sum[:]) || res.ReportID == "" || res.Existed || res.URL != "/reports/"+res.ReportID {
		t.Fatalf("intake result %+v", res)
	}
	// Sent again (a retry on a bad connection): the same report.
	code, body, _ = s.do("POST", "/intake", strings.NewReader(fields.Encode()), js, analyst)
	var again ui.IntakeResult
	if code != 201 || json.Unmarshal([]byte(body), &again) != nil || again.ReportID != res.ReportID || !again.Existed {
		t.Fatalf("again: %d %s", code, body)
	}

	// Without scripts: one multipart request with the files.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"text": text + " (2)", "language": "ar"} {
		mw.WriteField(k, v)
	}
	photo := bytes.Repeat([]byte("sample photo bytes "), 5000)
	fw, _ := mw.CreateFormFile("files", "photo.jpg")
	fw.Write(photo)
	mw.Close()
	code, body, _ = s.do("POST", "/intake", &buf, map[string]string{"Content-Type": mw.FormDataContentType()}, analyst)
	psum := sha256.Sum256(photo)
	if code != 201 || !strings.Contains(body, hex.EncodeToString(psum[:])) || !strings.Contains(body, "intake-stored") {
		t.Fatalf("multipart: %d %s", code, body)
	}

	// A file refused after others were stored: the refusal names it, and
	// the page says what was stored, so nobody types the report again.
	buf.Reset()
	mw = multipart.NewWriter(&buf)
	mw.WriteField("text", text+" (3)")
	mw.WriteField("language", "ar")
	fw, _ = mw.CreateFormFile("files", "photo2.jpg")
	fw.Write(photo[:1000])
	mw.CreateFormFile("files", "empty.jpg")
	mw.Close()
	code, body, _ = s.do("POST", "/intake", &buf, map[string]string{"Content-Type": mw.FormDataContentType()}, analyst)
	psum = sha256.Sum256(photo[:1000])
	if code != 400 || !strings.Contains(body, "<code>body</code>") || !strings.Contains(body, "intake-stored") || !strings.Contains(body, hex.EncodeToString(psum[:])) {
		t.Fatalf("empty file after a good one: %d %s", code, body)
	}
	s.audited()
}

// TestInertHTML: markup in any field is shown as text, never run.
func TestInertHTML(t *testing.T) {
	s := newSite(t)
	evil := `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`
	fields := url.Values{"title": {"عنوان " + evil}, "text": {"[بيانات تجريبية] قصف على الرقة " + evil}, "language": {"ar"}, "outlet": {evil}}
	analyst := s.as(auth.RoleAnalyst)
	code, body, _ := s.do("POST", "/intake", strings.NewReader(fields.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}, analyst)
	var res ui.IntakeResult
	if code != 201 || json.Unmarshal([]byte(body), &res) != nil {
		t.Fatalf("intake: %d %s", code, body)
	}
	for _, path := range []string{res.URL, "/reports", "/incidents?q=%D9%82%D8%B5%D9%81"} {
		_, page := s.get(path, analyst)
		if strings.Contains(page, "<script>window") || strings.Contains(page, "<img src=x") {
			t.Errorf("%s: markup from a field is live", path)
		}
		if path == res.URL && !strings.Contains(page, "&lt;script&gt;window.__pwned=1&lt;/script&gt;") {
			t.Errorf("%s: the text is not shown escaped", path)
		}
	}
}

func TestRefusals(t *testing.T) {
	s := newSite(t)
	analyst := s.as(auth.RoleAnalyst)
	for _, c := range []struct {
		path  string
		code  int
		field string
	}{
		{"/incidents?from=2017-13-01", 400, "from"},
		{"/incidents?kind=no_such_kind", 400, "kind"},
		{"/incidents?page=x", 400, "page"},
		{"/stats?kind=no_such_kind", 400, "kinds[0]"},
		{"/map?from=yesterday", 400, "from"},
		{"/reports?page=0", 400, "page"},
		{"/ledger/check", 400, "record"},
		{"/incidents/NOSUCHID0000000000000000000", 404, ""},
		{"/reports/NOSUCHID0000000000000000000", 404, ""},
		{"/no/such/page", 404, ""},
		{"/stats/nothing.csv", 404, ""},
	} {
		code, body := s.get(c.path, analyst)
		if code != c.code || c.field != "" && !strings.Contains(body, "<code>"+c.field+"</code>") {
			t.Errorf("%s: %d, want %d naming %q\n%s", c.path, code, c.code, c.field, body)
		}
	}
	// The JSON points say which field is wrong too.
	code, body := s.get("/map/points.json?to=never", analyst)
	if code != 400 || !strings.Contains(body, `"to"`) {
		t.Errorf("points: %d %s", code, body)
	}
	// The audit log refuses a bad page mark, naming it.
	code, body = s.get("/admin/audit?before=0", s.as(auth.RoleAdmin))
	if code != 400 || !strings.Contains(body, "<code>before</code>") {
		t.Errorf("audit before=0: %d %s", code, body)
	}
}

// TestCrossSite: a form another site's page posts is refused before it
// changes anything.
func TestCrossSite(t *testing.T) {
	s := newSite(t)
	analyst := s.as(auth.RoleAnalyst)
	before, _ := s.a.Store.Count(context.Background())
	for _, path := range []string{"/intake", "/settings/signout-all", "/signout", "/reports/x/incident", "/lang"} {
		code, body, _ := s.do("POST", path, strings.NewReader("text=x&language=ar&who=x"), map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, analyst)
		if code != 403 || !strings.Contains(body, "cross_origin") {
			t.Errorf("%s cross-site: %d %s", path, code, body)
		}
	}
	after, _ := s.a.Store.Count(context.Background())
	if before["report"] != after["report"] {
		t.Errorf("reports %d → %d", before["report"], after["report"])
	}
	// The cross-site sign-outs did not end the session.
	if code, _ := s.get("/", analyst); code != 200 {
		t.Errorf("after the cross-site sign-outs the session answers %d", code)
	}
	// The same forms from the site itself pass.
	same := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": s.srv.URL, "Sec-Fetch-Site": "same-origin"}
	if code, _, _ := s.do("POST", "/lang", strings.NewReader("to=en&back=/"), same); code != 303 {
		t.Errorf("same-origin language switch: %d", code)
	}
	if code, body, _ := s.do("POST", "/intake", strings.NewReader(url.Values{"text": {"[بيانات تجريبية] نص من الموقع نفسه"}, "language": {"ar"}}.Encode()), same, analyst); code != 201 {
		t.Errorf("same-origin intake: %d %.300s", code, body)
	}
}

// TestReviewToIncident: accept a report's facts, make an incident, find
// it in search, the map and the statistics.
func TestReviewToIncident(t *testing.T) {
	s := newSite(t)
	analyst := s.as(auth.RoleAnalyst)
	text := "[بيانات تجريبية] قصفت طائرات حربية حي الدرعية في مدينة الرقة يوم الأحد 25 حزيران 2017، ما أسفر عن مقتل 12 مدنياً بينهم 5 أطفال، وفق ناشطين."
	js := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
	_, body, _ := s.do("POST", "/intake", strings.NewReader(url.Values{"text": {text}, "language": {"ar"}, "published": {"2017-06-26"}, "title": {"غارة على الدرعية"}}.Encode()), js, analyst)
	var res ui.IntakeResult
	json.Unmarshal([]byte(body), &res)
	_, page := s.get(res.URL, analyst)
	keys := regexp.MustCompile(`name="key" value="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(keys) < 8 || !strings.Contains(page, `class="f f-casualties"`) {
		t.Fatalf("report page: %d fact forms\n%s", len(keys), page)
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k[1]] {
			continue
		}
		seen[k[1]] = true
		code, body, hdr := s.form(res.URL+"/facts", url.Values{"key": {k[1]}, "action": {"accepted"}, "n": {"0"}}, analyst)
		if code != 303 || !strings.HasPrefix(hdr.Get("Location"), res.URL+"#fact-") {
			t.Fatalf("accept %s: %d %s", k[1], code, body)
		}
	}
	// An edit with a bad number names the field and changes nothing.
	code, body, _ := s.form(res.URL+"/facts", url.Values{"key": {keys[0][1]}, "action": {"edited"}, "type": {"casualties"}, "min": {"many"}}, analyst)
	if code != 400 || !strings.Contains(body, "<code>min</code>") {
		t.Fatalf("bad edit: %d %s", code, body)
	}
	// Under htmx a refusal goes to the page's alert region, not over the form.
	code, frag, hdr := s.do("POST", res.URL+"/facts", strings.NewReader(url.Values{"key": {keys[0][1]}, "action": {"edited"}, "type": {"casualties"}, "min": {"many"}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true", "HX-Target": "review"}, analyst)
	if code != 400 || hdr.Get("HX-Retarget") != "#flash" || strings.Contains(frag, "<html") || !strings.Contains(frag, "<code>min</code>") {
		t.Fatalf("htmx refusal: %d %v %.300s", code, hdr, frag)
	}
	// htmx gets the review part back.
	code, frag, _ = s.do("POST", res.URL+"/facts", strings.NewReader(url.Values{"key": {keys[0][1]}, "action": {"accepted"}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true", "HX-Target": "review"}, analyst)
	if code != 200 || strings.Contains(frag, "<html") || !strings.Contains(frag, "st-accepted") {
		t.Fatalf("htmx decide: %d %.300s", code, frag)
	}
	// Figures are kept between changes; the change below must show at once.
	_, before := s.get("/map/points.json?from=2017-06-01&to=2017-06-30", analyst)
	_, statsBefore := s.get("/stats?from=2017-06-25&to=2017-06-25", analyst)
	code, _, hdr = s.form(res.URL+"/incident", url.Values{"reason": {"من تقرير ناشطين"}}, analyst)
	loc := hdr.Get("Location")
	if code != 303 || !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("create incident: %d %s", code, loc)
	}
	_, inc := s.get(loc, analyst)
	for _, want := range []string{"قصف جوي", "١٢", "الدرعية", "من تقرير ناشطين"} {
		if !strings.Contains(inc, want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	// Creating again from the same report is a conflict, not a duplicate.
	if code, _, _ := s.form(res.URL+"/incident", url.Values{}, analyst); code != 409 {
		t.Errorf("second create: %d, want 409", code)
	}
	id := strings.TrimPrefix(loc, "/incidents/")
	if _, found := s.get("/incidents?q=%D8%A7%D9%84%D8%AF%D8%B1%D8%B9%D9%8A%D8%A9", analyst); !strings.Contains(found, id) || !strings.Contains(found, "<mark>") {
		t.Errorf("search does not find the incident with a highlight")
	} else if !strings.Contains(found, `hx-get="/incidents/facets?q=`) {
		t.Errorf("the results do not load their facets")
	}
	// The facets follow the page (htmx), or come with it on request.
	year := regexp.MustCompile(`href="/incidents\?[^"]*from=2017-01-01&amp;q=[^"]*&amp;to=2017-12-31"`)
	for _, path := range []string{"/incidents/facets?q=%D8%A7%D9%84%D8%AF%D8%B1%D8%B9%D9%8A%D8%A9", "/incidents?q=%D8%A7%D9%84%D8%AF%D8%B1%D8%B9%D9%8A%D8%A9&facets=1"} {
		code, facets := s.get(path, analyst)
		if code != 200 || !year.MatchString(facets) || !strings.Contains(facets, "قصف جوي") {
			t.Errorf("%s: %d, no year or kind facet\n%.2000s", path, code, facets)
		}
		if strings.HasPrefix(path, "/incidents/facets") && strings.Contains(facets, "<html") {
			t.Errorf("%s: a whole page, want the facets alone", path)
		}
	}
	if code, _ := s.get("/incidents/facets?from=never", analyst); code != 400 {
		t.Errorf("facets with a bad date: %d", code)
	}
	_, pts := s.get("/map/points.json?from=2017-06-01&to=2017-06-30", analyst)
	if strings.Contains(before, id) || !strings.Contains(pts, id) {
		t.Errorf("map points lack the incident: %s", pts)
	}
	if _, statsAfter := s.get("/stats?from=2017-06-25&to=2017-06-25", analyst); statsAfter == statsBefore || !strings.Contains(statsAfter, "قصف جوي") {
		t.Errorf("the statistics did not change with the new incident")
	}
	_, csv := s.get("/stats/killed.csv?from=2017-06-01&to=2017-06-30", analyst)
	if !strings.HasPrefix(csv, "\uFEFF") || !strings.Contains(csv, "2017-06") {
		t.Errorf("killed.csv: %q", csv)
	}
	s.audited()
}

func TestStaticFiles(t *testing.T) {
	s := newSite(t)
	// The sign-in page is the public's: its stylesheet must load for them.
	_, page := s.get("/signin")
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no versioned stylesheet link")
	}
	code, body, hdr := s.do("GET", m[1], nil, map[string]string{"Accept-Encoding": "gzip"})
	if code != 200 || hdr.Get("Content-Encoding") != "gzip" || !strings.Contains(hdr.Get("Cache-Control"), "immutable") {
		t.Fatalf("app.css: %d %v", code, hdr)
	}
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	css, _ := io.ReadAll(zr)
	if !bytes.Contains(css, []byte("inline-start")) {
		t.Error("stylesheet content")
	}
	if code, _ := s.get("/static/../ui.go"); code == 200 {
		t.Error("path outside static served")
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
}

func TestLedgerCheck(t *testing.T) {
	s := newSite(t)
	if _, err := s.a.Ledger.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	id := s.firstID(record.TypeIncident)
	analyst := s.as(auth.RoleAnalyst)
	code, body := s.get("/ledger/check?record="+id, analyst)
	if code != 200 || !strings.Contains(body, `id="proof-ok"`) || !strings.Contains(body, "✓") {
		t.Fatalf("check: %d %s", code, body)
	}
	code, body = s.get("/ledger/check?record="+id+"&revision=99", analyst)
	if code != 400 || !strings.Contains(body, "<code>revision</code>") {
		t.Fatalf("bad revision: %d", code)
	}
}

// TestMapCapped: a map of more incidents than a slow connection can take
// sends the most recent and says how many there are.
func TestMapCapped(t *testing.T) {
	s := newSite(t)
	if _, err := demo.Bulk(context.Background(), s.a.Service, s.a.Store, s.a.Vocab, 2400, 1); err != nil {
		t.Fatal(err)
	}
	analyst := s.as(auth.RoleAnalyst)
	code, body, hdr := s.do("GET", "/map/points.json", nil, nil, analyst)
	var pts []ui.MapPoint
	if code != 200 || json.Unmarshal([]byte(body), &pts) != nil {
		t.Fatalf("points: %d", code)
	}
	total, _ := strconv.Atoi(hdr.Get("X-Total-Count"))
	if len(pts) != 2000 || total <= 2000 {
		t.Fatalf("%d points of %d, want 2000 of more", len(pts), total)
	}
	_, page := s.get("/map", english, analyst)
	if !strings.Contains(page, "the latest 2,000 are shown") {
		t.Error("the map page does not say it is capped")
	}
}

// TestOutdatedDecision: a decision made on an older extraction is marked
// so the analyst looks at the fact again.
func TestOutdatedDecision(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	text := "[بيانات تجريبية] قصفت طائرات حربية حي الدرعية في الرقة، ما أسفر عن مقتل 12 مدنياً."
	analyst := s.as(auth.RoleAnalyst)
	_, body, _ := s.do("POST", "/intake", strings.NewReader(url.Values{"text": {text}, "language": {"ar"}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}, analyst)
	var res ui.IntakeResult
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	facts, err := review.Facts(ctx, s.a.DB, res.ReportID)
	if err != nil || len(facts) == 0 {
		t.Fatalf("facts: %v", err)
	}
	f, _ := json.Marshal(facts[0].Proposal)
	// As a server running the previous rules would have written it.
	if _, err := s.a.DB.Exec(ctx, `INSERT INTO fact_decisions (report_id, fact_key, seq, decision, fact, author, decided_at, extract_version)
		VALUES ($1, $2, 1, 'accepted', $3, 'محلل سابق', '2026-01-01T00:00:00Z', 'extract/1')`, res.ReportID, facts[0].Key, string(f)); err != nil {
		t.Fatal(err)
	}
	_, page := s.get(res.URL, analyst)
	if !strings.Contains(page, "قرار على استخراج أقدم") {
		t.Error("the report page does not mark the decision made on an older extraction")
	}
}
