// The browser harness: a real server, a headless Chromium, and the
// checks every browser test ends with.

package ui_test

// End-to-end tests of the web pages in a real headless Chromium, against
// the real server started in-process exactly as `tawthiq serve` starts it.
//
// They run when Chromium is installed (/usr/bin/chromium, or the path in
// TAWTHIQ_CHROMIUM); without it they skip, except in CI (CI set), where a
// missing browser is a failure. Full-page screenshots of every page go to
// TAWTHIQ_ARTIFACTS (default: a temporary folder, logged).
//
// Every test also asserts, when it ends, that the browser asked nothing of
// any other origin, that no script threw, that no page's own file failed
// to load, and that the integrity audit finds nothing wrong.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/audit"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// ---------------------------------------------------------------------------
// The server and a browser tab on it.

// browser is a running Tawthiq server and a headless Chromium tab pointed at
// it, with everything the tab asked for and complained about recorded.
type browser struct {
	t         *testing.T
	app       *app.App
	base      string // http://127.0.0.1:port
	tab       context.Context
	artifacts string
	// accs are the installation's accounts, one per role (apptest).
	accs map[auth.Role]apptest.Account

	mu         sync.Mutex
	requests   []string // every URL the tab requested
	urls       map[network.RequestID]string
	failed     []string  // responses of 400 and over, and loads that failed
	expected   []refusal // failures a test asked for
	exceptions []string  // uncaught script errors
	console    []string  // errors the browser logged (CSP violations among them)
}

// chromiumPath returns the browser to run, or skips the test (fails it in CI)
// when there is none.
func chromiumPath(t *testing.T) string {
	t.Helper()
	exe := os.Getenv("TAWTHIQ_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the browser tests need Chromium at %s (or TAWTHIQ_CHROMIUM): %v", exe, err)
		}
		t.Skipf("no Chromium at %s: install it (apt-get install chromium) or set TAWTHIQ_CHROMIUM to run the browser tests", exe)
	}
	return exe
}

// browserArtifacts is where screenshots go: TAWTHIQ_ARTIFACTS or a temporary
// folder.
func browserArtifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TAWTHIQ_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openBrowser starts a fresh installation's server (apptest: an unlocked
// organisation key and one account per role) and a browser, signed in as
// nobody. Cleanups run in reverse: the browser closes, the server shuts
// down, the audit runs, the installation closes.
func openBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath(t)
	s := &browser{t: t, artifacts: browserArtifacts(t), urls: map[network.RequestID]string{}}

	a, accs := apptest.New(t)
	s.app, s.accs = a, accs
	t.Cleanup(func() {
		s.audit()
		if err := a.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})

	ctx, stop := context.WithCancel(context.Background())
	ready, served := make(chan string, 1), make(chan error, 1)
	go func() {
		served <- a.ServeWith(ctx, app.ServeOptions{Addr: "127.0.0.1:0", Version: "test"}, func(addr string) { ready <- addr })
	}()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(browserStep):
			t.Errorf("the server did not shut down in %v", browserStep)
		}
	})
	select {
	case addr := <-ready:
		s.base = "http://" + addr
	case err := <-served:
		t.Fatalf("serve: %v", err)
	case <-time.After(browserStep):
		t.Fatal("the server did not start")
	}

	alloc, closeAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()))
	tab, closeTab := chromedp.NewContext(alloc, chromedp.WithListener(s.record))
	t.Cleanup(func() {
		closeTab()
		closeAlloc()
	})
	// The first action starts the browser with no deadline, so that a
	// step's timeout never closes it.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	if _, err := chromedp.Call(tab, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the log: %v", err)
	}
	s.tab = tab
	t.Cleanup(s.checkTraffic)
	return s
}

// record keeps the events the checks at the end need. It runs on the
// tab's reading goroutine, so it only appends.
func (s *browser) record(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		s.requests = append(s.requests, ev.Request.URL)
		s.urls[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			s.failed = append(s.failed, fmt.Sprintf("%s %s: %d", ev.Type, ev.Response.URL, ev.Response.Status))
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			s.failed = append(s.failed, fmt.Sprintf("%s %s: %s %s", ev.Type, s.urls[ev.RequestID], ev.ErrorText, ev.BlockedReason))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		s.exceptions = append(s.exceptions, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			s.console = append(s.console, fmt.Sprintf("[%s] %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	}
}

// checkTraffic fails the test for any request to another origin (the
// pages must work offline from the server alone), any uncaught script
// error, and any of the site's own files that did not load.
func (s *browser) checkTraffic() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var foreign []string
	for _, u := range s.requests {
		if !s.sameOrigin(u) {
			foreign = append(foreign, u)
		}
	}
	if len(foreign) > 0 {
		s.t.Errorf("the pages asked %d other origins for something:\n  %s", len(foreign), strings.Join(foreign, "\n  "))
	}
	if len(s.exceptions) > 0 {
		s.t.Errorf("uncaught script errors:\n  %s", strings.Join(s.exceptions, "\n  "))
	}
	var failed []string
	for _, f := range s.failed {
		// Pages (documents) are checked where they are opened.
		if !strings.HasPrefix(f, "Document ") && !s.meant(f) {
			failed = append(failed, f)
		}
	}
	if len(failed) > 0 {
		s.t.Errorf("files the pages load failed:\n  %s", strings.Join(failed, "\n  "))
	}
	for _, c := range s.console {
		switch {
		case strings.Contains(c, "Content Security Policy"):
			s.t.Errorf("a page broke its own content security policy: %s", c)
		case !s.meant(c):
			s.t.Logf("the browser logged: %s", c)
		}
	}
}

// refusal is a request a test means to be refused.
type refusal struct {
	url    string
	status int
}

// expectFailure tells checkTraffic that a request to the path is meant to
// be refused with the status.
func (s *browser) expectFailure(path string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expected = append(s.expected, refusal{s.base + path, status})
}

// meant reports whether a failure or a logged error (they end with or
// name the URL) is one a test asked for, or the favicon the browser asks
// for on its own.
func (s *browser) meant(msg string) bool {
	for _, e := range append(s.expected, refusal{s.base + "/favicon.ico", 404}) {
		if (strings.HasSuffix(msg, e.url) || strings.Contains(msg, e.url+":")) && strings.Contains(msg, strconv.Itoa(e.status)) {
			return true
		}
	}
	return false
}

func (s *browser) sameOrigin(u string) bool {
	return u == s.base || strings.HasPrefix(u, s.base+"/") || strings.HasPrefix(u, "data:") ||
		strings.HasPrefix(u, "blob:") || u == "about:blank"
}

// requested reports whether the tab asked for the path (any query).
func (s *browser) requested(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.ContainsFunc(s.requests, func(u string) bool {
		return u == s.base+path || strings.HasPrefix(u, s.base+path+"?")
	})
}

// audit runs the integrity audit over everything the test stored.
func (s *browser) audit() {
	ctx, cancel := context.WithTimeout(context.Background(), browserStep)
	defer cancel()
	a := s.app
	rep, err := audit.Run(ctx, audit.Inputs{DB: a.DB, Store: a.Store, Ledger: a.Ledger, Vault: a.Vault})
	if err != nil {
		s.t.Errorf("audit: %v", err)
		return
	}
	for _, f := range rep.Findings {
		s.t.Errorf("audit: %s", f)
	}
}

// ---------------------------------------------------------------------------
// Steps. Each has its own deadline and fails the test with what it was
// doing.

func (s *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserStep)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

// evalJS evaluates a JavaScript expression in the page and decodes its
// value; a promise is awaited.
func evalJS[T any](s *browser, expr string) T {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserStep)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		s.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// open loads a page and checks its status.
func (s *browser) open(path string, status int64) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserStep)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(s.base+path))
	if err != nil {
		s.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != status {
		s.t.Fatalf("open %s: status %d, want %d", path, resp.Status, status)
	}
}

// submit clicks a button that sends a form and waits for the page that
// answers; it returns that page's path and status.
func (s *browser) submit(what, button string) (string, int64) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserStep)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	if err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
	return s.path(), resp.Status
}

// path is the page's path and query.
func (s *browser) path() string {
	s.t.Helper()
	loc := evalJS[string](s, `location.pathname + location.search`)
	return loc
}

// waitFor polls a JavaScript condition until it holds, through page loads
// (a form may or may not navigate).
func (s *browser) waitFor(what, cond string) {
	s.t.Helper()
	deadline := time.Now().Add(browserStep)
	var last error
	for {
		ctx, cancel := context.WithTimeout(s.tab, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: gave up after %v waiting for %s (last error: %v)", what, browserStep, cond, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// texts are the visible texts of every element the selector matches.
func (s *browser) texts(sel string) []string {
	s.t.Helper()
	return evalJS[[]string](s, `[...document.querySelectorAll(`+jsString(sel)+`)].map(e => e.innerText.trim())`)
}

// text is the visible text of the first element the selector matches,
// waiting for it to appear.
func (s *browser) text(sel string) string {
	s.t.Helper()
	s.waitFor("find "+sel, `document.querySelector(`+jsString(sel)+`)`)
	return evalJS[string](s, `document.querySelector(`+jsString(sel)+`).innerText.trim()`)
}

func (s *browser) count(sel string) int {
	s.t.Helper()
	return evalJS[int](s, `document.querySelectorAll(`+jsString(sel)+`).length`)
}

// shot saves a full-page screenshot as name.png once the fonts are in.
// Only a page taller than the window is captured beyond it: Chromium
// draws a right-to-left page that fits the window shifted sideways when
// asked to capture beyond the viewport.
func (s *browser) shot(name string) {
	s.t.Helper()
	size := evalJS[[]float64](s, `document.fonts.ready.then(() => [innerWidth, innerHeight, document.documentElement.scrollHeight])`)
	params := page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng}
	if size[2] > size[1] {
		params.CaptureBeyondViewport = new(true)
		params.Clip = &page.Viewport{Width: size[0], Height: size[2], Scale: 1}
	}
	ctx, cancel := context.WithTimeout(s.tab, browserStep)
	defer cancel()
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, params)
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(s.artifacts, name+".png"), shot.Data, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// scripts turns the page's scripts on or off, for a reader whose browser
// runs none.
func (s *browser) scripts(on bool) {
	s.t.Helper()
	if _, err := chromedp.Call(s.tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		s.t.Fatalf("scripts on %v: %v", on, err)
	}
}

// jsString is a Go string as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ---------------------------------------------------------------------------
// What the pages should show, in each language.

// pageLang is a page language and what a test expects in it.
type pageLang struct {
	code, dir string
	digits    func(string) string
}

var (
	inArabic  = pageLang{code: "ar", dir: "rtl", digits: indicDigits}
	inEnglish = pageLang{code: "en", dir: "ltr", digits: func(s string) string { return s }}
)

func indicDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + r - '0'
		}
		return r
	}, s)
}

// label is a vocabulary term's label in the language.
func (s *browser) label(l pageLang, list, code string) string {
	s.t.Helper()
	li, ok := s.app.Vocab.List(list)
	if !ok {
		s.t.Fatalf("no vocabulary %s", list)
	}
	term, ok := li.Term(code)
	if !ok {
		s.t.Fatalf("no term %s in %s", code, list)
	}
	if l.code == "en" {
		return term.Labels.EN
	}
	return term.Labels.AR
}

func (s *browser) actor(l pageLang, code string) string {
	s.t.Helper()
	a, ok := s.app.Vocab.Actor(code)
	if !ok {
		s.t.Fatalf("no actor %s", code)
	}
	if l.code == "en" {
		return a.Labels.EN
	}
	return a.Labels.AR
}

// pick is the Arabic or the English of a text.
func (l pageLang) pick(ar, en string) string {
	if l.code == "en" {
		return en
	}
	return ar
}

// checkLang asserts the page is in the language, laid out in its direction.
func (s *browser) checkLang(l pageLang) {
	s.t.Helper()
	type dir struct {
		Lang     string `json:"lang"`
		Dir      string `json:"dir"`
		Computed string `json:"computed"`
	}
	got := evalJS[dir](s, `({lang: document.documentElement.lang, dir: document.documentElement.dir, computed: getComputedStyle(document.body).direction})`)
	if got != (dir{l.code, l.dir, l.dir}) {
		s.t.Errorf("%s: lang, dir and computed direction are %+v, want %s %s", s.path(), got, l.code, l.dir)
	}
}

// checkFont asserts the page's Arabic text is drawn in the served
// Vazirmatn face, not a fallback.
func (s *browser) checkFont() {
	s.t.Helper()
	ok := evalJS[bool](s, `document.fonts.ready.then(() => [...document.fonts].some(f => f.family.replace(/"/g, "") === "Vazirmatn" && f.status === "loaded" && /U\+0*600-0*6FF/i.test(f.unicodeRange)))`)
	if !ok {
		s.t.Errorf("%s: the Arabic face of Vazirmatn did not load", s.path())
	}
}

// checkNoOverflow asserts the page does not scroll sideways at 1280 px.
func (s *browser) checkNoOverflow() {
	s.t.Helper()
	w := evalJS[[]int](s, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if w[0] > w[1] {
		s.t.Errorf("%s: the page is %d px wide in a %d px window: it scrolls sideways", s.path(), w[0], w[1])
	}
}

// ---------------------------------------------------------------------------
// Test data.

// writePNG writes a small PNG and returns its path and SHA-256.
func writePNG(t *testing.T, name string) (string, string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 96, 64))
	for y := range 64 {
		for x := range 96 {
			img.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 3), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return path, hex.EncodeToString(sum[:])
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ---------------------------------------------------------------------------
// Flows.

// signIn signs the test account of role in through the sign-in page, in
// the language given (chosen with the page's language switch first), and
// returns where the sign-in led: the page asked for before it (when the
// browser was sent to the sign-in page), else the role's home.
func (s *browser) signIn(role auth.Role, l pageLang) string {
	s.t.Helper()
	acc, ok := s.accs[role]
	if !ok {
		s.t.Fatalf("no test account for role %q", role)
	}
	if !strings.HasPrefix(s.path(), "/signin") {
		s.open("/signin", 200)
	}
	s.chooseLang(l)
	path, status := s.submitSignIn(acc.Username, acc.Password)
	if status != 200 || strings.HasPrefix(path, "/signin") {
		s.t.Fatalf("signing in as %s led to %s (%d): %s", acc.Username, path, status, s.text("main"))
	}
	s.checkLang(l)
	if got := s.text("footer.foot"); !strings.Contains(got, acc.Username) {
		s.t.Errorf("the footer %q does not name the signed-in %s", got, acc.Username)
	}
	if n := s.count("form.signout button"); n != 1 {
		s.t.Errorf("signed in, the page has %d sign-out buttons, want 1", n)
	}
	if c := s.sessionCookie(); c == nil {
		s.t.Fatalf("signed in as %s, the browser holds no %s cookie", acc.Username, ui.SessionCookie)
	}
	return path
}

// submitSignIn types a username and password into the sign-in form on
// the page and sends it; it returns the page that answers and its status.
func (s *browser) submitSignIn(username, password string) (string, int64) {
	s.t.Helper()
	s.do("fill the sign-in form",
		chromedp.Clear(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.Clear(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("password"), password))
	return s.submit("sign in as "+username, `form.signin button[type=submit]`)
}

// signOut clicks the menu's sign-out button and checks it led to the
// sign-in page saying so.
func (s *browser) signOut() {
	s.t.Helper()
	if path, status := s.submit("sign out", "form.signout button"); path != "/signin?out=1" || status != 200 {
		s.t.Fatalf("signing out led to %s (%d), want /signin?out=1", path, status)
	}
	if got := s.text(`p.ok[role=status]`); got == "" {
		s.t.Error("the sign-in page does not say the reader signed out")
	}
	if c := s.sessionCookie(); c != nil {
		s.t.Errorf("signed out, the browser still holds the session cookie %+v", c)
	}
}

// chooseLang switches the page to the language with its language switch,
// when it is in the other one.
func (s *browser) chooseLang(l pageLang) {
	s.t.Helper()
	if evalJS[string](s, `document.documentElement.lang`) == l.code {
		return
	}
	before := s.path()
	if path, status := s.submit("switch to "+l.code, "form.langswitch button"); path != before || status != 200 {
		s.t.Fatalf("the language switch led to %s (%d), want back to %s", path, status, before)
	}
	s.checkLang(l)
}

// sessionCookie is the browser's session cookie for the site, nil when it
// holds none. (document.cookie cannot show it: it is HttpOnly.)
func (s *browser) sessionCookie() *network.Cookie {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.tab, browserStep)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{s.base + "/"}})
	if err != nil {
		s.t.Fatalf("the browser's cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == ui.SessionCookie {
			return c
		}
	}
	return nil
}

// intakeFields is what to type into the intake form; files are attached when given.
type intakeFields struct {
	title, text, published, outlet string
	files                          []string
}

// intake sends a report through the intake form and waits for the page
// to show it stored: with scripts (intake.js) the form posts in the
// background and uploads the files after, without them the answer is a
// page; both end with a link to the report and the SHA-256 of its text
// and of each file, which must be the ones given. It returns the report's
// path.
func (s *browser) intake(f intakeFields, fileHashes ...string) string {
	s.t.Helper()
	s.open("/intake", 200)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.ID("title"), f.title),
		chromedp.SetValue(chromedp.ID("text"), f.text),
		chromedp.SetValue(chromedp.CSS(`input[name=published]`), f.published),
		chromedp.SendKeys(chromedp.ID("outlet"), f.outlet),
	}
	if len(f.files) > 0 {
		steps = append(steps, chromedp.SetUploadFiles(chromedp.ID("intake-files"), f.files))
	}
	s.do("fill the intake form", steps...)
	s.do("send the report", chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]`), chromedp.NodeVisible))
	s.waitFor("the stored report and its files", fmt.Sprintf(`document.querySelector('main a[href^="/reports/"]') &&
		!document.querySelector("#intake-form button[type=submit]").disabled &&
		(document.querySelectorAll("main code.hash").length >= %d || document.querySelector("#intake-progress .error, .errorbox"))`, 1+len(f.files)))
	if errs := s.texts("#intake-progress .error, .errorbox"); len(errs) > 0 {
		s.t.Fatalf("the intake page shows errors: %q", errs)
	}
	shown := s.texts("main code.hash")
	for _, h := range append([]string{sha256Hex(f.text)}, fileHashes...) {
		if !slices.Contains(shown, h) {
			s.t.Errorf("the intake page shows the hashes %q, not %s", shown, h)
		}
	}
	href := evalJS[string](s, `document.querySelector('main a[href^="/reports/"]').getAttribute("href")`)
	if !regexp.MustCompile(`^/reports/[A-Za-z0-9_-]+$`).MatchString(href) {
		s.t.Fatalf("the intake page links to %q, not to a report", href)
	}
	return href
}

// shownFact is one proposed fact as the report page lists it.
type shownFact struct {
	N      int    `json:"n"`
	Type   string `json:"type"`
	Text   string `json:"text"`
	Status string `json:"status"`
}

func (s *browser) facts() []shownFact {
	s.t.Helper()
	return evalJS[[]shownFact](s, `[...document.querySelectorAll("#review li.fact")].map(li => ({
		n: +li.id.replace("fact-", ""),
		type: [...li.querySelector("span.f").classList].find(c => c.startsWith("f-")).slice(2),
		text: li.querySelector("q").textContent,
		status: [...li.classList].find(c => c.startsWith("st-")).slice(3)}))`)
}

// decide clicks a fact's accept or reject button (htmx re-renders the
// review panel) and waits for the decision to show.
func (s *browser) decide(n int, action string) {
	s.t.Helper()
	li := fmt.Sprintf("#fact-%d", n)
	button := map[string]string{"accepted": "button.accept", "rejected": "button.reject"}[action]
	s.do(action+" "+li, chromedp.Click(chromedp.CSS(li+" "+button), chromedp.NodeVisible))
	s.waitFor(action+" "+li+" shown", `document.querySelector(`+jsString(li)+`)?.classList.contains(`+jsString("st-"+action)+`)`)
	if got := s.text(li + " " + button); got == "" {
		s.t.Errorf("%s: the %s button has no text", li, action)
	}
	if p := evalJS[string](s, `document.querySelector(`+jsString(li+" "+button)+`).getAttribute("aria-pressed") || ""`); p != "true" {
		s.t.Errorf("%s: the %s button is not marked pressed after the decision", li, action)
	}
}

// highlights are the marked spans of the report text by fact type.
func (s *browser) highlights() map[string][]string {
	s.t.Helper()
	return evalJS[map[string][]string](s, `(() => {
		const out = {};
		for (const a of document.querySelectorAll(".original a.f")) {
			const t = [...a.classList].find(c => c.startsWith("f-")).slice(2);
			(out[t] = out[t] || []).push(a.textContent);
		}
		return out;
	})()`)
}
