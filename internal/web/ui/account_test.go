package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// signInForm posts the sign-in form as a browser would, with the cookies
// given (a language, a session planted before).
func (s *site) signInForm(username, password, next string, cookies ...*http.Cookie) (int, string, http.Header) {
	s.t.Helper()
	v := url.Values{"username": {username}, "password": {password}}
	if next != "" {
		v.Set("next", next)
	}
	return s.form("/signin", v, cookies...)
}

// setSession is the session cookie an answer sets with a value (a new
// session), nil when it sets none.
func setSession(hdr http.Header) *http.Cookie {
	for _, c := range (&http.Response{Header: hdr}).Cookies() {
		if c.Name == ui.SessionCookie && c.Value != "" && c.MaxAge >= 0 {
			return c
		}
	}
	return nil
}

// expired reports whether an answer tells the browser to drop its session
// cookie.
func expired(hdr http.Header) bool {
	for _, c := range (&http.Response{Header: hdr}).Cookies() {
		if c.Name == ui.SessionCookie && c.Value == "" && c.MaxAge < 0 {
			return true
		}
	}
	return false
}

// signedOut asserts a session cookie no longer signs anyone in: a page
// sends its holder to sign in, a form is refused.
func (s *site) signedOut(what string, c *http.Cookie) {
	s.t.Helper()
	code, _, hdr := s.do("GET", "/settings", nil, nil, c)
	if code != 303 || hdr.Get("Location") != "/signin?next=%2Fsettings" {
		s.t.Errorf("%s: /settings answers %d → %q, want 303 to /signin?next=%%2Fsettings", what, code, hdr.Get("Location"))
	}
	if code, _, _ := s.form("/intake", url.Values{"text": {"[بيانات تجريبية] نص"}, "language": {"ar"}}, c); code != 401 {
		s.t.Errorf("%s: a form answers %d, want 401", what, code)
	}
}

// audits are the audit log's entries of an action, newest first.
func (s *site) audits(q auditlog.Query) []auditlog.Entry {
	s.t.Helper()
	es, err := s.a.AuditLog.List(context.Background(), q)
	if err != nil {
		s.t.Fatal(err)
	}
	return es
}

// TestSignInPage: the sign-in page in both languages, where it leads
// after, and the public sent to it from the pages they asked for.
func TestSignInPage(t *testing.T) {
	s := newSite(t)
	for _, c := range []struct {
		cookies             []*http.Cookie
		lang, dir, title    string
		username, password  string
		submit, hintKeyword string
	}{
		{nil, "ar", "rtl", "تسجيل الدخول", "اسم المستخدم", "كلمة المرور", "دخول", "خمس محاولات"},
		{[]*http.Cookie{english}, "en", "ltr", "Sign in", "Username", "Password", "Sign in", "Five wrong passwords"},
	} {
		code, body := s.get("/signin", c.cookies...)
		if code != 200 || !strings.Contains(body, `<html lang="`+c.lang+`" dir="`+c.dir+`">`) {
			t.Fatalf("/signin (%s): %d\n%s", c.lang, code, body)
		}
		for _, want := range []string{"<h1>" + c.title + "</h1>", c.username, c.password, c.submit, c.hintKeyword,
			`<form method="post" action="/signin" class="form signin">`, `name="username"`, `autocomplete="username"`,
			`name="password" type="password"`, `autocomplete="current-password"`, `<input type="hidden" name="next" value="/">`} {
			if !strings.Contains(body, want) {
				t.Errorf("/signin (%s) lacks %q", c.lang, want)
			}
		}
		// The public has no menu and no sign-out button.
		if strings.Contains(body, `action="/signout"`) || strings.Contains(body, `href="/incidents"`) {
			t.Errorf("/signin (%s) shows the signed-in menu to the public", c.lang)
		}
	}

	// A page asked for without a session leads to the sign-in page, which
	// leads back to it; a form posted without one is refused.
	for path, next := range map[string]string{
		"/":                               "%2F",
		"/incidents?q=%D9%82%D8%B5%D9%81": "%2Fincidents%3Fq%3D%25D9%2582%25D8%25B5%25D9%2581",
		"/admin/audit":                    "%2Fadmin%2Faudit",
		"/reports/NOSUCHID":               "%2Freports%2FNOSUCHID",
	} {
		code, _, hdr := s.do("GET", path, nil, nil)
		if code != 303 || hdr.Get("Location") != "/signin?next="+next {
			t.Errorf("GET %s signed out: %d → %q, want 303 to /signin?next=%s", path, code, hdr.Get("Location"), next)
		}
	}
	if code, body, hdr := s.form("/reports/x/facts", url.Values{"key": {"k"}, "action": {"accepted"}}); code != 401 ||
		hdr.Get("Location") != "" || !strings.Contains(body, "انتهت جلستك") {
		t.Errorf("a form posted signed out: %d %q\n%.500s", code, hdr.Get("Location"), body)
	}
	code, body := s.get("/signin?next=" + url.QueryEscape("/map?from=2017-01-01"))
	if code != 200 || !strings.Contains(body, `name="next" value="/map?from=2017-01-01"`) {
		t.Errorf("/signin?next=/map…: %d, the form does not carry next", code)
	}
	// Only a path on this site is a place to go back to.
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
		if _, body := s.get("/signin?next=" + url.QueryEscape(next)); !strings.Contains(body, `name="next" value="/"`) {
			t.Errorf("/signin?next=%s: the form carries it, want /", next)
		}
	}
	acc := s.accs[auth.RoleAnalyst]
	code, _, hdr := s.signInForm(acc.Username, acc.Password, "https://evil.example/")
	if code != 303 || hdr.Get("Location") != "/" {
		t.Errorf("sign in with next=https://evil.example/: %d → %q, want 303 to /", code, hdr.Get("Location"))
	}
	code, _, hdr = s.signInForm(acc.Username, acc.Password, "/map?from=2017-01-01")
	c := setSession(hdr)
	if code != 303 || hdr.Get("Location") != "/map?from=2017-01-01" || c == nil {
		t.Fatalf("sign in with next=/map…: %d → %q, cookie %v", code, hdr.Get("Location"), c)
	}
	// The cookie: host-only, for the whole site, Secure, out of scripts'
	// reach, kept off cross-site posts, for the session's lifetime.
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.MaxAge != int((12*time.Hour).Seconds()) {
		t.Errorf("the session cookie is %+v, want Secure HttpOnly SameSite=Lax Path=/ without a domain, 12 hours", c)
	}
	// Signed in, the sign-in page leads on.
	if code, _, hdr := s.do("GET", "/signin?next=%2Freports", nil, nil, c); code != 303 || hdr.Get("Location") != "/reports" {
		t.Errorf("/signin signed in: %d → %q, want 303 to /reports", code, hdr.Get("Location"))
	}
	if code, body := s.get("/", c); code != 200 || !strings.Contains(body, "analyst-1") || !strings.Contains(body, `action="/signout"`) {
		t.Errorf("the dashboard after signing in: %d, does not name analyst-1 with a sign-out button", code)
	}
}

// TestSignInRefused: a wrong password or an unknown username is refused
// with 401 and the same message, in the reader's language, with no
// session; five wrong passwords in a row lock the account, and then even
// the right one is refused with 423.
func TestSignInRefused(t *testing.T) {
	s := newSite(t)
	acc := s.accs[auth.RoleAnalyst]
	for _, c := range []struct {
		username, password, lang string
		cookies                  []*http.Cookie
		message                  string
	}{
		{acc.Username, "not the password of analyst 1", "ar", nil, "اسم المستخدم أو كلمة المرور غير صحيحة."},
		{acc.Username, "not the password of analyst 1", "en", []*http.Cookie{english}, "Wrong username or password."},
		{"nobody-at-all", acc.Password, "ar", nil, "اسم المستخدم أو كلمة المرور غير صحيحة."},
	} {
		code, body, hdr := s.signInForm(c.username, c.password, "/incidents", c.cookies...)
		if code != 401 || !strings.Contains(body, `<p class="error" role="alert" id="signin-error">`+c.message+`</p>`) {
			t.Errorf("%s/%s (%s): %d, want 401 saying %q\n%.2000s", c.username, c.password, c.lang, code, c.message, body)
		}
		if !strings.Contains(body, `<html lang="`+c.lang+`"`) {
			t.Errorf("%s (%s): the refusal is not in %s", c.username, c.lang, c.lang)
		}
		if sc := setSession(hdr); sc != nil {
			t.Errorf("%s (%s): a refused sign-in sets a session cookie %v", c.username, c.lang, sc)
		}
		if !expired(hdr) {
			t.Errorf("%s (%s): a refused sign-in does not drop the session cookie", c.username, c.lang)
		}
		// The form comes back with the username and where to go, never
		// the password.
		if !strings.Contains(body, `value="`+c.username+`"`) || !strings.Contains(body, `name="next" value="/incidents"`) {
			t.Errorf("%s (%s): the form does not come back with the username and next", c.username, c.lang)
		}
		if strings.Contains(body, c.password) {
			t.Errorf("%s (%s): the page repeats the password", c.username, c.lang)
		}
	}
	if es := s.audits(auditlog.Query{Action: auditlog.ActionSignIn, Actor: acc.Username}); len(es) != 2 || es[0].Outcome != auditlog.OutcomeBadCredentials {
		t.Errorf("the audit log holds %+v, want the two refused sign-ins of %s", es, acc.Username)
	}

	// Three more wrong (five in a row), then the right one: locked.
	for i := range 3 {
		if code, _, _ := s.signInForm(acc.Username, "still not the password", ""); code != 401 {
			t.Fatalf("wrong password %d: %d", i+3, code)
		}
	}
	for _, c := range []struct {
		cookies []*http.Cookie
		message string
	}{
		{nil, "هذا الحساب مقفل بعد محاولات دخول فاشلة كثيرة حتى "},
		{[]*http.Cookie{english}, "This account is locked after too many failed sign-ins, until "},
	} {
		code, body, hdr := s.signInForm(acc.Username, acc.Password, "", c.cookies...)
		if code != http.StatusLocked || !strings.Contains(body, c.message) {
			t.Errorf("the right password after five wrong: %d, want 423 saying %q\n%.2000s", code, c.message, body)
		}
		if sc := setSession(hdr); sc != nil {
			t.Errorf("a locked account got a session cookie %v", sc)
		}
	}
	// The admin sees the lock.
	_, users := s.get("/admin/users", s.as(auth.RoleAdmin))
	if !regexp.MustCompile(`<bdi>analyst-1</bdi></td>.*?مقفل مؤقتاً`).MatchString(users) {
		t.Errorf("the accounts page does not show analyst-1 locked:\n%s", users)
	}
}

// TestSessionFixation: whatever session cookie the browser held before
// signing in (made up, or a real session of someone else planted in it),
// the sign-in ends it and starts a session with a new secret.
func TestSessionFixation(t *testing.T) {
	s := newSite(t)
	acc := s.accs[auth.RoleAnalyst]

	made := &http.Cookie{Name: ui.SessionCookie, Value: "cGxhbnRlZCBieSBhbm90aGVyIHBhZ2UsIG5vdCBhIHNlc3Npb24"}
	code, _, hdr := s.signInForm(acc.Username, acc.Password, "", made)
	c := setSession(hdr)
	if code != 303 || c == nil || c.Value == made.Value {
		t.Fatalf("sign in over a made-up cookie: %d, cookie %v", code, c)
	}
	if code, _ := s.get("/", made); code != 303 {
		t.Errorf("the made-up cookie became a session: / answers %d", code)
	}

	planted := s.newSession(auth.RoleReviewer)
	if code, _ := s.get("/settings", planted); code != 200 {
		t.Fatalf("the reviewer's session does not work before: %d", code)
	}
	code, _, hdr = s.signInForm(acc.Username, acc.Password, "/settings", planted)
	c2 := setSession(hdr)
	if code != 303 || c2 == nil || c2.Value == planted.Value || c2.Value == c.Value {
		t.Fatalf("sign in over a planted session: %d, cookie %v", code, c2)
	}
	s.signedOut("the planted reviewer's session after the sign-in", planted)
	code, body := s.get("/settings", c2)
	if code != 200 || !strings.Contains(body, "<bdi>analyst-1</bdi>") || strings.Contains(body, "reviewer-1") {
		t.Errorf("after signing in over the reviewer's session, /settings: %d, want analyst-1's\n%.3000s", code, body)
	}
	// Both sessions of analyst-1 are theirs and stand apart.
	if code, _ := s.get("/", c); code != 200 {
		t.Errorf("the first session ended with the second sign-in: %d", code)
	}
}

// TestSignOut: signing out ends the session on the server, not only in
// the browser: the old cookie, sent again, signs nobody in.
func TestSignOut(t *testing.T) {
	s := newSite(t)
	acc := s.accs[auth.RoleReviewer]
	_, _, hdr := s.signInForm(acc.Username, acc.Password, "")
	c := setSession(hdr)
	if c == nil {
		t.Fatal("no session")
	}
	if code, _ := s.get("/", c); code != 200 {
		t.Fatalf("signed in, / answers %d", code)
	}
	other := s.newSession(auth.RoleReviewer) // another browser of the same user
	code, _, hdr := s.form("/signout", nil, c)
	if code != 303 || hdr.Get("Location") != "/signin?out=1" || !expired(hdr) {
		t.Fatalf("sign out: %d → %q, cookie dropped %v", code, hdr.Get("Location"), expired(hdr))
	}
	s.signedOut("after signing out", c)
	if code, body := s.get("/signin?out=1"); code != 200 || !strings.Contains(body, "خرجت من الجلسة.") {
		t.Errorf("the sign-in page after signing out: %d, does not say so", code)
	}
	if code, _ := s.get("/", other); code != 200 {
		t.Errorf("signing out in one browser ended the other's session: %d", code)
	}
	if es := s.audits(auditlog.Query{Action: auditlog.ActionSignOut, Actor: acc.Username}); len(es) != 1 {
		t.Errorf("the audit log holds %d sign-outs of %s, want 1", len(es), acc.Username)
	}
	// Signing out without a session (or twice) is harmless.
	if code, _, hdr := s.form("/signout", nil, c); code != 303 || !expired(hdr) {
		t.Errorf("a second sign-out: %d", code)
	}
}

// TestSignOutEverywhere: the settings page's "sign out everywhere" ends
// every session of the user, this one and the others, and no one else's.
func TestSignOutEverywhere(t *testing.T) {
	s := newSite(t)
	here, phone, laptop := s.newSession(auth.RoleAnalyst), s.newSession(auth.RoleAnalyst), s.newSession(auth.RoleAnalyst)
	someoneElse := s.newSession(auth.RoleReviewer)
	for _, c := range []struct {
		cookies []*http.Cookie
		want    []string
	}{
		{[]*http.Cookie{here}, []string{"<bdi>analyst-1</bdi>", "محلل", "الخروج من كل الأجهزة", `action="/settings/signout-all"`, "tests"}},
		{[]*http.Cookie{here, english}, []string{"<bdi>analyst-1</bdi>", "analyst", "Sign out everywhere", "Your role may not read them"}},
	} {
		code, body := s.get("/settings", c.cookies...)
		for _, w := range c.want {
			if code != 200 || !strings.Contains(body, w) {
				t.Errorf("/settings: %d, lacks %q", code, w)
			}
		}
	}
	code, _, hdr := s.form("/settings/signout-all", nil, here)
	if code != 303 || hdr.Get("Location") != "/signin?out=all" || !expired(hdr) {
		t.Fatalf("sign out everywhere: %d → %q", code, hdr.Get("Location"))
	}
	for what, c := range map[string]*http.Cookie{"this browser": here, "the phone": phone, "the laptop": laptop} {
		s.signedOut(what+" after signing out everywhere", c)
	}
	if code, _ := s.get("/settings", someoneElse); code != 200 {
		t.Errorf("another user's session ended too: %d", code)
	}
	es := s.audits(auditlog.Query{Action: auditlog.ActionSignOutAll})
	if len(es) != 1 || es[0].Actor != "analyst-1" || es[0].SubjectID != "analyst-1" || es[0].Detail != "3" {
		t.Errorf("the audit log holds %+v, want analyst-1 ending 3 sessions", es)
	}
	// The API token is not a session: it still works.
	req, _ := http.NewRequest("GET", s.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+s.accs[auth.RoleAnalyst].Token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("the API token after signing out everywhere: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// TestReporterScope: a reporter's home is their reports; they see their
// own reports only, and no page of the analysts'.
func TestReporterScope(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	theirs, err := s.a.Service.Create(ctx, record.Meta{Author: "analyst-1", Reason: "test"}, &record.Report{
		Title: "تقرير المحللة", Text: "[بيانات تجريبية] تقرير كتبته المحللة عن قصف في إدلب.", Language: "ar"})
	if err != nil {
		t.Fatal(err)
	}
	own, err := s.a.Service.Create(ctx, record.Meta{Author: "reporter-1", Reason: "test"}, &record.Report{
		Title: "تقرير المبلّغ", Text: "[بيانات تجريبية] تقرير كتبه المبلّغ عن قصف في الرقة.", Language: "ar"})
	if err != nil {
		t.Fatal(err)
	}
	reporter := s.as(auth.RoleReporter)

	if code, _, hdr := s.do("GET", "/", nil, nil, reporter); code != 303 || hdr.Get("Location") != "/reports" {
		t.Errorf("a reporter's /: %d → %q, want 303 to /reports", code, hdr.Get("Location"))
	}
	code, body := s.get("/reports", reporter)
	if code != 200 || !strings.Contains(body, `href="/reports/`+own.ID+`"`) {
		t.Fatalf("the reporter's /reports: %d, lacks their own report\n%s", code, body)
	}
	if n := len(regexp.MustCompile(`href="/reports/[^"/?]+"`).FindAllString(body, -1)); n != 1 || strings.Contains(body, theirs.ID) {
		t.Errorf("the reporter's /reports lists %d reports, want their own one only", n)
	}
	// The menu offers the reporter's pages only.
	for _, href := range []string{`href="/incidents"`, `href="/map"`, `href="/stats"`, `href="/ledger"`, `href="/admin/audit"`} {
		if strings.Contains(body, href) {
			t.Errorf("the reporter's menu offers %s", href)
		}
	}
	code, body = s.get("/reports/"+own.ID, reporter)
	if code != 200 || !strings.Contains(body, "تقرير كتبه المبلّغ") {
		t.Errorf("the reporter's own report: %d", code)
	}
	if strings.Contains(body, `id="review"`) || strings.Contains(body, `/incident"`) || strings.Contains(body, `name="key"`) {
		t.Errorf("the reporter's report page offers the review")
	}
	if code, body := s.get("/reports/"+theirs.ID, reporter); code != 404 || strings.Contains(body, "تقرير كتبته المحللة") {
		t.Errorf("the analyst's report to a reporter: %d, want 404 without its text", code)
	}
	for _, path := range []string{"/incidents", "/incidents/facets", "/map", "/stats", "/stats/killed.csv", "/ledger", "/admin/audit", "/admin/users"} {
		if code, body := s.get(path, reporter); code != 403 || !strings.Contains(body, "دورك لا يسمح") {
			t.Errorf("%s to a reporter: %d, want 403 saying so", path, code)
		}
	}
	before := s.state()
	if code, _, _ := s.form("/reports/"+own.ID+"/facts", url.Values{"key": {"k"}, "action": {"accepted"}}, reporter); code != 403 {
		t.Errorf("a reporter's decision on a fact: %d, want 403", code)
	}
	if code, _, _ := s.form("/reports/"+own.ID+"/incident", nil, reporter); code != 403 {
		t.Errorf("a reporter's incident: %d, want 403", code)
	}
	if after := s.state(); after != before {
		t.Errorf("the refused forms changed the store")
	}

	// A report sent by the reporter is theirs, and the address it came
	// from is kept sealed, never in clear.
	js := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
	code, body, _ = s.do("POST", "/intake", strings.NewReader(url.Values{"text": {"[بيانات تجريبية] بلاغ من المبلّغ عبر النموذج."}, "language": {"ar"}}.Encode()), js, reporter)
	var res ui.IntakeResult
	if code != 201 || json.Unmarshal([]byte(body), &res) != nil {
		t.Fatalf("the reporter's intake: %d %s", code, body)
	}
	rec, err := s.a.Store.Get(ctx, res.ReportID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.CreatedBy != "reporter-1" || !record.HasSealed(rec.Body) || bytes.Contains(rec.Body, []byte("127.0.0.1")) {
		t.Errorf("the reporter's report: by %q, sealed %v, address in clear %v", rec.CreatedBy, record.HasSealed(rec.Body), bytes.Contains(rec.Body, []byte("127.0.0.1")))
	}
	if _, body := s.get("/reports", reporter); !strings.Contains(body, res.ReportID) {
		t.Errorf("the reporter's /reports does not list the report they sent")
	}
	s.audited()
}

// TestSealedReporter: a report's sealed reporter is shown in clear only to
// a reviewer or admin who asks, and every such read is in the audit log.
func TestSealedReporter(t *testing.T) {
	s := newSite(t)
	const name, addr = "شاهد محمي (اختبار)", "10.1.2.3"
	rec, err := s.a.Service.Create(context.Background(), record.Meta{Author: "analyst-1", Reason: "test"}, &record.Report{
		Title: "تقرير بمبلّغ مختوم", Text: "[بيانات تجريبية] قصف على حي في حلب.", Language: "ar",
		Reporter: &record.ReporterIdentity{Name: name, NetworkAddress: addr}})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rec.Body, []byte(addr)) || bytes.Contains(rec.Body, []byte(name)) {
		t.Fatal("the reporter is stored in clear")
	}
	path := "/reports/" + rec.ID

	analyst := s.as(auth.RoleAnalyst)
	code, body := s.get(path, analyst)
	if code != 200 || !strings.Contains(body, `id="h-reporter"`) {
		t.Fatalf("the analyst's report page: %d, without the sealed reporter section\n%s", code, body)
	}
	if strings.Contains(body, name) || strings.Contains(body, addr) || strings.Contains(body, `id="show-reporter"`) || strings.Contains(body, path+`/reporter"`) {
		t.Errorf("the analyst's report page shows the reporter or the button to show it")
	}
	if !strings.Contains(body, `id="review"`) {
		t.Errorf("the analyst's report page lacks the review")
	}
	code, body, _ = s.form(path+"/reporter", nil, analyst)
	if code != 403 || strings.Contains(body, name) || strings.Contains(body, addr) {
		t.Errorf("an analyst asking for the reporter: %d, want 403 without it", code)
	}

	reviewer := s.as(auth.RoleReviewer)
	code, body = s.get(path, reviewer)
	if code != 200 || !strings.Contains(body, `id="show-reporter"`) || !strings.Contains(body, `action="`+path+`/reporter"`) {
		t.Fatalf("the reviewer's report page: %d, without the button to show the reporter", code)
	}
	if strings.Contains(body, name) || strings.Contains(body, addr) {
		t.Errorf("the reviewer's report page shows the reporter before they ask")
	}
	if es := s.audits(auditlog.Query{Action: auditlog.ActionSealedRead}); len(es) != 0 {
		t.Fatalf("sealed reads in the audit log before any: %+v", es)
	}
	code, body, _ = s.form(path+"/reporter", nil, reviewer)
	if code != 200 || !strings.Contains(body, `<dl class="summary" id="reporter">`) || !strings.Contains(body, "<bdi>"+name+"</bdi>") || !strings.Contains(body, addr) {
		t.Errorf("the reviewer asking for the reporter: %d, does not show them\n%s", code, body)
	}
	es := s.audits(auditlog.Query{Action: auditlog.ActionSealedRead})
	if len(es) != 1 || es[0].Actor != "reviewer-1" || es[0].Role != "reviewer" || es[0].SubjectType != "report" || es[0].SubjectID != rec.ID ||
		len(es[0].Fields) != 1 || es[0].Fields[0] != "reporter" || es[0].Outcome != auditlog.OutcomeOK {
		t.Errorf("the audit log's sealed reads: %+v, want one by reviewer-1 of the report's reporter", es)
	}
	// The audit entry holds no plaintext.
	if b, _ := json.Marshal(es); bytes.Contains(b, []byte(addr)) || bytes.Contains(b, []byte(name)) {
		t.Errorf("the audit entry holds the reporter: %s", b)
	}
	// The admin sees the read in the audit log page.
	code, body = s.get("/admin/audit?action=sealed_read", s.as(auth.RoleAdmin))
	if code != 200 || !strings.Contains(body, "<bdi>reviewer-1</bdi>") || !strings.Contains(body, rec.ID) {
		t.Errorf("/admin/audit?action=sealed_read: %d, does not list the read", code)
	}
	s.audited()
}

// TestAdminPages: an admin sees the accounts and the audit log; no other
// role does.
func TestAdminPages(t *testing.T) {
	s := newSite(t)
	admin := s.as(auth.RoleAdmin)
	code, body := s.get("/admin/users", admin)
	if code != 200 {
		t.Fatalf("/admin/users: %d", code)
	}
	for _, r := range []string{"reporter", "analyst", "reviewer", "admin"} {
		if !strings.Contains(body, "<bdi>"+r+"-1</bdi>") {
			t.Errorf("/admin/users does not list %s-1", r)
		}
	}
	for _, want := range []string{"مُبلِّغ", "محلل", "مراجع", "مدير", "فعّال", `href="/admin/audit"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/admin/users lacks %q", want)
		}
	}
	code, body = s.get("/admin/audit", admin, english)
	if code != 200 || !strings.Contains(body, `<code dir="ltr">signin</code>`) || !strings.Contains(body, `<code dir="ltr">user_add</code>`) ||
		!strings.Contains(body, "<bdi>admin-1</bdi>") {
		t.Errorf("/admin/audit: %d, does not list the sign-ins and the accounts made\n%.3000s", code, body)
	}
	// Filtered by actor: only theirs.
	s.as(auth.RoleAnalyst)
	code, body = s.get("/admin/audit?actor=analyst-1&action=signin", admin)
	rows := regexp.MustCompile(`(?s)<tbody>.*</tbody>`).FindString(body)
	if code != 200 || !strings.Contains(rows, "<bdi>analyst-1</bdi>") || strings.Contains(rows, "<bdi>admin-1</bdi>") {
		t.Errorf("/admin/audit?actor=analyst-1: %d, not analyst-1's entries only\n%s", code, rows)
	}
	if !strings.Contains(body, `name="actor" value="analyst-1"`) {
		t.Errorf("/admin/audit?actor=analyst-1: the filter form does not keep the actor")
	}
	for _, role := range []auth.Role{auth.RoleReporter, auth.RoleAnalyst, auth.RoleReviewer} {
		for _, path := range []string{"/admin/users", "/admin/audit"} {
			if code, _ := s.get(path, s.as(role)); code != 403 {
				t.Errorf("%s to a %s: %d, want 403", path, role, code)
			}
		}
	}
}

// TestCrossSiteSignIn: a sign-in form posted from another site (login
// CSRF: signing the victim in as the attacker) is refused before any
// session is made.
func TestCrossSiteSignIn(t *testing.T) {
	s := newSite(t)
	acc := s.accs[auth.RoleAnalyst]
	code, body, hdr := s.do("POST", "/signin", strings.NewReader(url.Values{"username": {acc.Username}, "password": {acc.Password}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
	if code != 403 || !strings.Contains(body, "cross_origin") {
		t.Errorf("cross-site sign-in: %d %s", code, body)
	}
	if c := setSession(hdr); c != nil {
		t.Errorf("cross-site sign-in set a session cookie %v", c)
	}
	if es := s.audits(auditlog.Query{Action: auditlog.ActionSignIn}); len(es) != 0 {
		t.Errorf("cross-site sign-in reached the accounts: %+v", es)
	}
	// From the site itself it passes.
	code, _, hdr = s.do("POST", "/signin", strings.NewReader(url.Values{"username": {acc.Username}, "password": {acc.Password}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": s.srv.URL, "Sec-Fetch-Site": "same-origin"})
	if code != 303 || setSession(hdr) == nil {
		t.Errorf("same-origin sign-in: %d", code)
	}
}

// TestExportAudited: a statistics download is in the audit log, with who
// made it and the filter.
func TestExportAudited(t *testing.T) {
	s := newSite(t)
	code, body, hdr := s.do("GET", "/stats/killed.csv?from=2017-01-01&to=2017-12-31", nil, nil, s.as(auth.RoleAnalyst))
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\uFEFF") {
		t.Fatalf("killed.csv: %d %s", code, hdr.Get("Content-Type"))
	}
	es := s.audits(auditlog.Query{Action: auditlog.ActionExport})
	if len(es) != 1 || es[0].Actor != "analyst-1" || es[0].Role != "analyst" || es[0].SubjectType != "statistics" ||
		es[0].SubjectID != "killed" || es[0].Outcome != auditlog.OutcomeOK || !strings.Contains(es[0].Detail, "from=2017-01-01") {
		t.Errorf("the audit log's exports: %+v, want analyst-1's killed.csv with its filter", es)
	}
	// A download refused is no export.
	if code, _ := s.get("/stats/nothing.csv", s.as(auth.RoleAnalyst)); code != 404 {
		t.Errorf("nothing.csv: %d", code)
	}
	if es := s.audits(auditlog.Query{Action: auditlog.ActionExport}); len(es) != 1 {
		t.Errorf("%d exports in the audit log after a refused download, want 1", len(es))
	}
}
