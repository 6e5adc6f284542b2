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
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/demo"
	"github.com/tawthiq/tawthiq/internal/record"
)

// browserStep bounds every browser step: a page load, a wait, a click.
const browserStep = 30 * time.Second

// raqqaTitle and raqqaText are a report written for these tests in the
// style of ../shared/data/seeds: sample data, not a real event.
const (
	raqqaTitle = "[بيانات تجريبية] غارة جوية على حي المشلب في الرقة"
	raqqaText  = "[بيانات تجريبية] الرقة – مراسل محلي\n\n" +
		"شنّ طيران التحالف غارة جوية على حي المشلب في مدينة الرقة يوم الأحد 25 حزيران 2017، " +
		"أسفرت عن مقتل 12 مدنياً بينهم 5 أطفال، وإصابة آخرين بجروح، بحسب ما أفاد به ناشطون محليون.\n\n" +
		"وقال أحد سكان الحي إن الغارة استهدفت منازل سكنية قرب الجامع، وإن فرق الدفاع المدني " +
		"عملت حتى ساعات الليل على انتشال الضحايا من تحت الأنقاض."
	raqqaOutlet    = "شبكة أخبار محلية (عينة)"
	raqqaPublished = "2017-06-26"
	raqqaPhoto     = "mishlab-strike.png"
)

// ---------------------------------------------------------------------------
// 1. The main flow.

// flowResult is what the main flow made, for the pages that show it.
type flowResult struct {
	reportPath, reportID, incidentPath, incidentID string
	photoSHA                                       string
}

// TestBrowserMainFlow: a reporter signs in, sends a report with a photo;
// an analyst signs in, reviews the extracted facts and makes an incident;
// the incident is then found by search and shown on the map, in the
// statistics and their CSV, on the dashboard and in the ledger — in
// Arabic, then the same pages in English.
func TestBrowserMainFlow(t *testing.T) {
	start := time.Now()
	s := openBrowser(t)
	photoPath, photoSHA := writePNG(t, raqqaPhoto)

	// Nobody signed in: the intake form sends the reader to sign in, and
	// back to it after.
	s.open("/intake", 200)
	if p := s.path(); p != "/signin?next=%2Fintake" {
		t.Errorf("the intake form, signed out, led to %s, want /signin?next=%%2Fintake", p)
	}
	if n := s.count("#intake-form"); n != 0 {
		t.Error("the intake form is shown to a reader not signed in")
	}
	if p := s.signIn(auth.RoleReporter, inArabic); p != "/intake" {
		t.Errorf("signing in led to %s, want back to /intake", p)
	}
	// A reporter's menu has no analysts' pages.
	if n := s.count(`.top nav a[href="/incidents"], .top nav a[href="/map"], .top nav a[href="/admin/audit"]`); n != 0 {
		t.Errorf("the reporter's menu offers %d pages of other roles", n)
	}

	f := flowResult{photoSHA: photoSHA}
	f.reportPath = s.intake(intakeFields{title: raqqaTitle, text: raqqaText, published: raqqaPublished,
		outlet: raqqaOutlet, files: []string{photoPath}}, photoSHA)
	f.reportID = strings.TrimPrefix(f.reportPath, "/reports/")
	if !strings.Contains(s.text("main"), raqqaPhoto) {
		t.Errorf("the intake page does not name the stored file %s", raqqaPhoto)
	}
	s.checkFont()
	s.shot("ar-intake")
	// The reporter sees their report, without the review.
	s.open(f.reportPath, 200)
	if n := s.count("#review, #create-incident"); n != 0 {
		t.Error("the reporter is shown the review of their report")
	}
	if got := s.text("main h1"); got != raqqaTitle {
		t.Errorf("the reporter's report is headed %q, want %q", got, raqqaTitle)
	}
	s.signOut()

	s.signIn(auth.RoleAnalyst, inArabic)
	s.review(f)
	f.incidentPath = s.createIncident()
	f.incidentID = strings.TrimPrefix(f.incidentPath, "/incidents/")
	t.Logf("report %s, incident %s", f.reportID, f.incidentID)

	for _, l := range []pageLang{inArabic, inEnglish} {
		if l.code == "en" {
			s.open("/intake", 200)
			s.chooseLang(inEnglish)
			s.shot("en-intake")
		}
		s.checkReport(l, f)
		s.checkIncident(l, f)
		s.checkSearch(l, f)
		s.checkMap(l, f)
		s.checkStats(l, f)
		s.checkDashboard(l, f)
		s.checkLedger(l, f)
	}
	t.Logf("screenshots in %s (%v)", s.artifacts, time.Since(start).Round(time.Millisecond))
}

// review checks the report page right after intake, then rejects the one
// wrong proposal (the mosque the houses were near was not the target) and
// accepts the rest.
func (s *browser) review(f flowResult) {
	t := s.t
	t.Helper()
	s.open(f.reportPath, 200)
	s.checkLang(inArabic)
	if got := s.text("main h1"); got != raqqaTitle {
		t.Errorf("the report's heading is %q, want %q", got, raqqaTitle)
	}
	if got := s.texts(".summary code.hash"); !slices.Contains(got, sha256Hex(raqqaText)) {
		t.Errorf("the report shows the hash %q, want the SHA-256 of its text %s", got, sha256Hex(raqqaText))
	}
	if got := s.texts("ul.files code.hash"); !slices.Contains(got, f.photoSHA) {
		t.Errorf("the report's files show %q, want the photo's SHA-256 %s", got, f.photoSHA)
	}
	// The text is shown as received, with the facts marked in place.
	if got := evalJS[string](s, `document.querySelector(".original").textContent`); got != raqqaText {
		t.Errorf("the report text as shown differs from the text sent:\n got %q\nwant %q", got, raqqaText)
	}
	hl := s.highlights()
	for typ, want := range map[string]string{"casualties": "مقتل 12", "incident_kind": "الغارة", "place": "حي المشلب", "date": "يوم الأحد 25 حزيران 2017"} {
		if !slices.Contains(hl[typ], want) {
			t.Errorf("the text does not mark %q as %s; marked %s: %q", want, typ, typ, hl[typ])
		}
	}
	if !slices.Contains(hl["place"], "الرقة") {
		t.Errorf("the text does not mark the city الرقة as a place: %q", hl["place"])
	}
	// Each mark leads to its fact and says the same words.
	type link struct {
		Mark string `json:"mark"`
		Fact string `json:"fact"`
	}
	for _, l := range evalJS[[]link](s, `[...document.querySelectorAll(".original a.f")].map(a => ({mark: a.textContent,
		fact: document.querySelector(a.getAttribute("href"))?.querySelector("q")?.textContent ?? ""}))`) {
		if l.Mark != l.Fact {
			t.Errorf("the mark %q leads to the fact %q", l.Mark, l.Fact)
		}
	}

	facts := s.facts()
	mosque := -1
	for _, fa := range facts {
		if fa.Status != "proposed" {
			t.Errorf("fact %d (%s %q) is %s before any decision", fa.N, fa.Type, fa.Text, fa.Status)
		}
		if fa.Type == "incident_kind" && fa.Text == "الجامع" {
			mosque = fa.N
		}
	}
	if mosque < 0 {
		t.Fatalf("no proposed incident kind for الجامع among %+v", facts)
	}
	s.decide(mosque, "rejected")
	if n := s.count(fmt.Sprintf(`.original a.f[data-fact="%d"]`, mosque)); n != 0 {
		t.Errorf("the rejected fact is still marked in the text")
	}
	for _, fa := range facts {
		if fa.N != mosque {
			s.decide(fa.N, "accepted")
		}
	}
	for _, fa := range s.facts() {
		want := "accepted"
		if fa.N == mosque {
			want = "rejected"
		}
		if fa.Status != want {
			t.Errorf("after the decisions fact %d (%s %q) is %s, want %s", fa.N, fa.Type, fa.Text, fa.Status, want)
		}
	}
	// The decisions are stored, not only drawn: a fresh load shows them.
	s.open(f.reportPath, 200)
	if n := s.count("#review li.fact.st-accepted"); n != len(facts)-1 {
		t.Errorf("after a reload %d facts are accepted, want %d", n, len(facts)-1)
	}
	s.checkFont()
	s.shot("ar-report")
}

// createIncident clicks "create the incident" and returns its path.
func (s *browser) createIncident() string {
	s.t.Helper()
	path, status := s.submit("create the incident", "#create-incident")
	if status != 200 || !regexp.MustCompile(`^/incidents/[A-Za-z0-9_-]+$`).MatchString(path) {
		s.t.Fatalf("creating the incident led to %s (%d), want /incidents/{id}", path, status)
	}
	return path
}

func (s *browser) checkReport(l pageLang, f flowResult) {
	t := s.t
	t.Helper()
	s.open(f.reportPath, 200)
	s.checkLang(l)
	hl := s.highlights()
	for _, typ := range []string{"casualties", "incident_kind", "place", "date"} {
		if len(hl[typ]) == 0 {
			t.Errorf("%s report: no %s marked in the text", l.code, typ)
		}
	}
	if got := s.texts(`.link a[href="` + f.incidentPath + `"]`); len(got) != 1 {
		t.Errorf("%s report: links to the incident %q, want one link", l.code, got)
	}
	s.checkNoOverflow()
	if l.code == "en" { // the Arabic one is taken during the review
		s.shot("en-report")
	}
}

func (s *browser) checkIncident(l pageLang, f flowResult) {
	t := s.t
	t.Helper()
	s.open(f.incidentPath, 200)
	s.checkLang(l)
	summary := s.text("dl.summary")
	for _, want := range []string{s.label(l, "incident_kind", "air_strike"), l.pick("الرقة", "Ar-Raqqa"),
		l.pick("المشلب", "al-Mishlab"), l.pick("٢٥ حزيران ٢٠١٧", "25 June 2017")} {
		if !strings.Contains(summary, want) {
			t.Errorf("%s incident: the summary does not show %q:\n%s", l.code, want, summary)
		}
	}
	if l.code == "en" && strings.Contains(summary, "،") {
		t.Errorf("en incident: the summary separates a list with the Arabic comma:\n%s", summary)
	}
	if strings.Contains(summary, s.label(l, "incident_kind", "attack_on_protected_object")) {
		t.Errorf("%s incident: the rejected kind is on the incident:\n%s", l.code, summary)
	}
	rows := evalJS[[][]string](s, `[...document.querySelectorAll('section[aria-labelledby="h-cas"] tbody tr')].map(r => [...r.cells].map(c => c.innerText.trim()))`)
	killed := s.label(l, "outcome", "killed")
	for _, want := range [][]string{{killed, s.label(l, "casualty_category", "civilians"), l.digits("12")},
		{killed, s.label(l, "casualty_category", "children"), l.digits("5")}} {
		if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("%s incident: the casualties %q lack the row %q", l.code, rows, want)
		}
	}
	if got := s.text(`section[aria-labelledby="h-parties"]`); !strings.Contains(got, s.actor(l, "us_coalition")) {
		t.Errorf("%s incident: the parties do not name the coalition:\n%s", l.code, got)
	}
	// The source: the report, with what it claims.
	if got := s.texts(`.source h3 a[href="` + f.reportPath + `"]`); len(got) != 1 || got[0] != raqqaTitle {
		t.Errorf("%s incident: the sources show %q, want the report %q", l.code, got, raqqaTitle)
	}
	claims := strings.Join(s.texts(".source li.claim"), "\n")
	for _, want := range []string{s.label(l, "claim_type", "casualty_count"), l.digits("12")} {
		if !strings.Contains(claims, want) {
			t.Errorf("%s incident: the report's claims do not show %q:\n%s", l.code, want, claims)
		}
	}
	if got := s.texts("table.evidence code.hash"); !slices.Contains(got, f.photoSHA) {
		t.Errorf("%s incident: the evidence shows %q, want the photo %s", l.code, got, f.photoSHA)
	}
	s.checkNoOverflow()
	s.shot(l.code + "-incident")
}

func (s *browser) checkSearch(l pageLang, f flowResult) {
	t := s.t
	t.Helper()
	s.open("/incidents?q="+url.QueryEscape("المشلب"), 200)
	s.checkLang(l)
	hit := `.hits a[href="` + f.incidentPath + `"]`
	if s.count(hit) != 1 {
		t.Errorf("%s search: the incident is not among the hits: %q", l.code, s.texts(".hits li"))
	} else if marks := s.texts(hit + " mark"); !slices.ContainsFunc(marks, func(m string) bool { return strings.Contains(m, "المشلب") }) {
		t.Errorf("%s search: the hit's title marks %q, want المشلب", l.code, marks)
	}
	if v := evalJS[string](s, `document.getElementById("q").value`); v != "المشلب" {
		t.Errorf("%s search: the search box holds %q after the search", l.code, v)
	}
	s.checkNoOverflow()
	s.shot(l.code + "-incidents")
}

func (s *browser) checkMap(l pageLang, f flowResult) {
	t := s.t
	t.Helper()
	s.open("/map", 200)
	s.checkLang(l)
	popup := s.openMarker(f.incidentPath)
	for _, want := range []string{s.label(l, "incident_kind", "air_strike"), l.digits("12")} {
		if !strings.Contains(popup, want) {
			t.Errorf("%s map: the popup does not show %q:\n%s", l.code, want, popup)
		}
	}
	if s.count(`details table a[href="`+f.incidentPath+`"]`) != 1 {
		t.Errorf("%s map: the list under the map lacks the incident", l.code)
	}
	s.shot(l.code + "-map")
}

// openMarker clicks the incident's marker on the map, the only one, and
// returns the text of its popup. The boundaries arrive after the points
// and move the view, so the click waits for the map to come to rest.
func (s *browser) openMarker(incidentPath string) string {
	t := s.t
	t.Helper()
	// map.js draws incidents as circles filled #c0392b, over the
	// governorates drawn from the embedded boundaries.
	marker := `#map path.leaflet-interactive[fill="#c0392b"]`
	s.waitFor("the map's points", `+document.getElementById("map").getAttribute("data-points-shown") >= 1`)
	s.waitFor("the boundaries", `document.querySelectorAll("#map path.leaflet-interactive").length > 10`)
	if e := evalJS[string](s, `document.getElementById("map").getAttribute("data-error") || ""`); e != "" {
		t.Errorf("%s: the map failed to load its %s", s.path(), e)
	}
	if n := s.count(marker); n != 1 {
		t.Errorf("%s: %d markers, want the one incident", s.path(), n)
	}
	evalJS[bool](s, `new Promise(done => {
		let last = "", same = 0;
		const tick = () => {
			const r = document.querySelector(`+jsString(marker)+`).getBoundingClientRect();
			const at = [r.x, r.y, r.width].join();
			const moving = document.querySelector("#map.leaflet-zoom-anim, #map .leaflet-zoom-anim");
			same = at === last && !moving ? same + 1 : 0;
			last = at;
			if (same >= 5) done(true); else requestAnimationFrame(tick);
		};
		tick();
	})`)
	s.do("open the marker's popup", chromedp.Click(chromedp.CSS(marker), chromedp.NodeVisible))
	s.waitFor("the popup", `document.querySelector('.leaflet-popup-content a[href="`+incidentPath+`"]')`)
	s.waitFor("the popup faded in", `getComputedStyle(document.querySelector(".leaflet-popup")).opacity === "1"`)
	return s.text(".leaflet-popup-content")
}

func (s *browser) checkStats(l pageLang, f flowResult) {
	t := s.t
	t.Helper()
	s.open("/stats", 200)
	s.checkLang(l)
	s.waitFor("the charts drawn", `[...document.querySelectorAll("canvas[data-chart]")].every(c => c.getAttribute("data-rendered") === "true")`)
	if n := s.count(`canvas[data-rendered="true"]`); n != 3 {
		t.Errorf("%s stats: %d charts drawn, want 3", l.code, n)
	}
	for i, c := range s.charts() {
		if c != "bars" {
			t.Errorf("%s stats: chart %d of 3: %s", l.code, i+1, c)
		}
	}
	table := func(h string) [][]string {
		return evalJS[[][]string](s, `[...document.querySelectorAll('section[aria-labelledby="`+h+`"] table.data tbody tr')].map(r => [...r.cells].map(c => c.innerText.trim()))`)
	}
	kinds := table("h-kinds")
	if want := []string{s.label(l, "incident_kind", "air_strike"), l.digits("1")}; !slices.ContainsFunc(kinds, func(r []string) bool { return slices.Equal(r, want) }) {
		t.Errorf("%s stats: the kinds table %q lacks %q", l.code, kinds, want)
	}
	killed := table("h-killed")
	if want := []string{l.pick("حزيران ٢٠١٧", "June 2017"), s.actor(l, "us_coalition"), l.digits("1"), l.digits("12")}; !slices.ContainsFunc(killed, func(r []string) bool { return slices.Equal(r, want) }) {
		t.Errorf("%s stats: the killed table %q lacks %q", l.code, killed, want)
	}
	href := evalJS[string](s, `document.querySelector('section[aria-labelledby="h-killed"] a[download]').getAttribute("href")`)
	s.checkKilledCSV(href)
	s.checkNoOverflow()
	s.shot(l.code + "-stats")
}

// charts says of each chart on the page whether it draws its figures:
// "bars" when every figure is a bar at least 2 px long, "no data" when it
// has none, else what is wrong. Figures are bars from a base (0, or the
// low end of a range) to the value.
func (s *browser) charts() []string {
	s.t.Helper()
	return evalJS[[]string](s, `[...document.querySelectorAll("canvas[data-chart]")].map(c => {
		const ch = window.Chart && Chart.getChart(c);
		if (!ch) return "not drawn";
		const bars = ch.data.datasets.flatMap((d, i) => ch.getDatasetMeta(i).data.filter((_, j) => d.data[j] != null));
		if (bars.length === 0) return "no data";
		const flat = bars.filter(b => Math.abs(b.base - (b.horizontal ? b.x : b.y)) < 2).length;
		return flat ? flat + " of " + bars.length + " figures drawn as bars under 2 px long (invisible): " + c.getAttribute("data-chart") : "bars";
	})`)
}

// checkKilledCSV fetches the killed-by-party download the page links to.
func (s *browser) checkKilledCSV(href string) {
	t := s.t
	t.Helper()
	u, err := url.Parse(s.base)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := url.Parse(href)
	if err != nil {
		t.Fatalf("the CSV link %q: %v", href, err)
	}
	// Downloaded as the browser would: with its session cookie, which
	// scripts cannot read, so it is taken from the browser itself.
	c := s.sessionCookie()
	if c == nil {
		t.Fatal("no session cookie to download the CSV with")
	}
	req, err := http.NewRequest("GET", u.ResolveReference(ref).String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("download %s: %v", href, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download %s: %d %s", href, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rest, ok := bytes.CutPrefix(body, []byte("\uFEFF"))
	if !ok {
		t.Errorf("the CSV does not start with the UTF-8 byte order mark: %q", body[:min(len(body), 16)])
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV: %v\n%s", err, body)
	}
	want := []string{"2017-06", "us_coalition", s.actor(inArabic, "us_coalition"), s.actor(inEnglish, "us_coalition"), "1", "1", "12", "12", "false"}
	if len(rows) != 2 || !slices.Equal(rows[1], want) {
		t.Errorf("the killed CSV is %q, want a header and %q", rows, want)
	}
}

func (s *browser) checkDashboard(l pageLang, f flowResult) {
	t := s.t
	t.Helper()
	s.open("/", 200)
	s.checkLang(l)
	if s.count(`.card a[href="`+f.reportPath+`"]`) == 0 {
		t.Errorf("%s dashboard: the new report is not listed", l.code)
	}
	if s.count(`section[aria-labelledby="h-pending"] a[href="`+f.incidentPath+`"]`) != 1 {
		t.Errorf("%s dashboard: the incident is not among those awaiting grading", l.code)
	}
	s.waitFor("the dashboard charts", `[...document.querySelectorAll("canvas[data-chart]")].every(c => c.getAttribute("data-rendered") === "true")`)
	// The incident is from 2017, so this month's charts have nothing to
	// draw; they must still be drawn, without error.
	for i, c := range s.charts() {
		if c != "bars" && c != "no data" {
			t.Errorf("%s dashboard: chart %d: %s", l.code, i+1, c)
		}
	}
	s.checkNoOverflow()
	s.shot(l.code + "-dashboard")
}

func (s *browser) checkLedger(l pageLang, f flowResult) {
	t := s.t
	t.Helper()
	s.open("/ledger", 200)
	s.checkLang(l)
	s.do("ask for the incident's leaf", chromedp.SetValue(chromedp.ID("record"), f.incidentID))
	if _, status := s.submit("check the incident in the ledger", `form[action="/ledger/check"] button[type=submit]`); status != 200 {
		t.Fatalf("%s ledger: the check answered %d", l.code, status)
	}
	if n := s.count("#check-result p.ok"); n == 0 {
		t.Errorf("%s ledger: the check of the incident does not say its leaf matches: %s", l.code, s.text("#check-result"))
	}
	if n := s.count("#check-result p.bad"); n != 0 {
		t.Errorf("%s ledger: the check of the incident reports a problem: %s", l.code, s.text("#check-result"))
	}
	s.checkNoOverflow()
	s.shot(l.code + "-ledger")
}

// ---------------------------------------------------------------------------
// 2. Direction.

// TestBrowserDirection: Arabic pages run right to left, the language
// switch turns the page English and left to right, returns to the same
// page, and the choice holds on the next page.
func TestBrowserDirection(t *testing.T) {
	s := openBrowser(t)
	s.signIn(auth.RoleAnalyst, inArabic)
	s.open("/map?from=2017-01-01", 200)
	s.checkLang(inArabic)
	s.checkFont()
	// In Arabic the brand sits at the right end of the bar, in English at
	// the left.
	brandRight := `document.querySelector(".brand").getBoundingClientRect().left > document.querySelector(".top nav").getBoundingClientRect().left`
	if !evalJS[bool](s, brandRight) {
		t.Error("in Arabic the brand is not right of the menu")
	}
	if got := s.text("form.langswitch button"); got != "English" {
		t.Errorf("the Arabic page offers %q, want English", got)
	}

	path, status := s.submit("switch to English", "form.langswitch button")
	if path != "/map?from=2017-01-01" || status != 200 {
		t.Errorf("the switch led to %s (%d), want back to /map?from=2017-01-01", path, status)
	}
	s.checkLang(inEnglish)
	if evalJS[bool](s, brandRight) {
		t.Error("in English the brand is not left of the menu")
	}
	if got := s.text("main h1"); got != "Map" {
		t.Errorf("the English map page is headed %q, want Map", got)
	}

	// Remembered: the next page, reached by the menu, is English too.
	if path, _ := s.submit("follow the menu", `.top nav a[href="/incidents"]`); path != "/incidents" {
		t.Errorf("the menu led to %s", path)
	}
	s.checkLang(inEnglish)
	if got := s.text("form.langswitch button"); got != "العربية" {
		t.Errorf("the English page offers %q, want العربية", got)
	}
	s.submit("switch back to Arabic", "form.langswitch button")
	s.checkLang(inArabic)
}

// ---------------------------------------------------------------------------
// 4. Inert HTML.

// hostileMarkup is what an attacker would put into a report: none of it may run
// or become an element, and all of it must be shown as text.
const hostileMarkup = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`

// TestBrowserInertHTML stores a report whose title, text, outlet and
// file name carry markup, makes an incident of it, and visits every page
// that shows them. The report is sent with scripts off, so that the
// intake form's plain multipart post is tested too (the main flow sends
// through intake.js).
func TestBrowserInertHTML(t *testing.T) {
	s := openBrowser(t)
	s.signIn(auth.RoleAnalyst, inArabic)
	fileName := `<img src=x onerror=window.__pwned=3>.png`
	photoPath, photoSHA := writePNG(t, fileName)
	title := "[بيانات تجريبية] قصف على بلدة حاس " + hostileMarkup
	text := "[بيانات تجريبية] " + hostileMarkup + "\n\nقصفت قوات النظام بالمدفعية بلدة حاس في ريف إدلب الجنوبي يوم الثلاثاء 11 تموز 2017، " +
		"ما أسفر عن مقتل 3 مدنيين " + hostileMarkup + " بحسب ناشطين."
	outlet := "وكالة " + hostileMarkup
	s.scripts(false)
	report := s.intake(intakeFields{title: title, text: text, published: "2017-07-12", outlet: outlet,
		files: []string{photoPath}}, photoSHA)
	if s.count("#intake-stored") != 1 {
		t.Error("with scripts off, the intake form's answer is not the page saying what was stored")
	}
	s.checkInert("intake result", fileName)
	s.scripts(true)

	s.open(report, 200)
	s.checkInert("report", title, outlet, text, fileName)
	facts := s.facts()
	if !slices.ContainsFunc(facts, func(f shownFact) bool { return f.Type == "incident_kind" }) {
		t.Fatalf("the report's text gave no incident kind to make an incident of: %+v", facts)
	}
	for _, fa := range facts {
		s.decide(fa.N, "accepted")
	}
	s.checkInert("report after the decisions", title, text)
	incident := s.createIncident()
	s.checkInert("incident", title, outlet, fileName)
	s.shot("xss-incident")

	s.open(report, 200)
	s.shot("xss-report")
	s.open("/reports", 200)
	s.checkInert("reports", title, outlet)
	s.open("/incidents?q="+url.QueryEscape("حاس"), 200)
	if s.count(`.hits a[href="`+incident+`"]`) != 1 {
		t.Errorf("the search for حاس does not find the incident")
	}
	s.checkInert("incident search", title)
	s.open("/", 200)
	s.checkInert("dashboard", title)
	s.open("/map", 200)
	s.openMarker(incident)
	if got := s.text(".leaflet-popup-content a"); got != title {
		t.Errorf("the map popup shows the title as %q, want it as text %q", got, title)
	}
	s.checkInert("map", title)
	if s.requested("/x") {
		t.Error("the browser asked for /x: an <img src=x> from a report became an element somewhere")
	}
}

// checkInert asserts the markup did nothing on this page: no script
// beyond the page's own files, no element with an event handler, the
// marker variable unset, and each of the texts visible as text, markup
// and all.
func (s *browser) checkInert(page string, visible ...string) {
	t := s.t
	t.Helper()
	type state struct {
		Pwned    string   `json:"pwned"`
		Scripts  []string `json:"scripts"`
		Handlers int      `json:"handlers"`
		Images   int      `json:"images"`
		Text     string   `json:"text"`
	}
	got := evalJS[state](s, `({
		pwned: typeof window.__pwned,
		scripts: [...document.scripts].map(e => e.getAttribute("src") || "inline: " + e.textContent.slice(0, 60)),
		handlers: [...document.querySelectorAll("*")].filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).length,
		images: document.querySelectorAll('img[src="x"]').length,
		text: document.body.innerText,
	})`)
	if got.Pwned != "undefined" {
		t.Errorf("%s: window.__pwned is set: the markup ran", page)
	}
	for _, src := range got.Scripts {
		if !strings.HasPrefix(src, "/static/") {
			t.Errorf("%s: a script that is not one of the page's own files: %q", page, src)
		}
	}
	if got.Handlers != 0 || got.Images != 0 {
		t.Errorf("%s: the markup became elements: %d with event handlers, %d <img src=x>", page, got.Handlers, got.Images)
	}
	for _, v := range visible {
		if !strings.Contains(got.Text, v) {
			t.Errorf("%s: the page does not show %q as text", page, v)
		}
	}
	if !strings.Contains(got.Text, "<script>") && !strings.Contains(got.Text, "<img") {
		t.Errorf("%s: no markup shows as text", page)
	}
}

// ---------------------------------------------------------------------------
// 5. Keyboard.

// TestBrowserSkipLink: the first Tab stop is the skip link, shown on
// screen when focused, and following it puts focus on the main content.
func TestBrowserSkipLink(t *testing.T) {
	s := openBrowser(t)
	s.signIn(auth.RoleAnalyst, inArabic)
	for _, l := range []pageLang{inArabic, inEnglish} {
		s.open("/incidents?lang="+l.code, 200)
		s.checkLang(l)
		s.do("press Tab", chromedp.KeyEvent(kb.Tab))
		type focus struct {
			Class   string  `json:"class"`
			Text    string  `json:"text"`
			Left    float64 `json:"left"`
			Right   float64 `json:"right"`
			Top     float64 `json:"top"`
			Visible bool    `json:"visible"`
		}
		got := evalJS[focus](s, `(() => { const e = document.activeElement, r = e.getBoundingClientRect();
			return {class: e.className, text: e.innerText, left: r.left, right: r.right, top: r.top,
				visible: r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight}; })()`)
		if got.Class != "skip" {
			t.Errorf("%s: the first Tab stop is %+v, want the skip link", l.code, got)
			continue
		}
		if !got.Visible {
			t.Errorf("%s: the focused skip link is off screen: %+v", l.code, got)
		}
		if got.Text != l.pick("انتقل إلى المحتوى", "Skip to content") {
			t.Errorf("%s: the skip link reads %q", l.code, got.Text)
		}
		// In Arabic it shows at the right, in English at the left.
		if mid := evalJS[float64](s, `innerWidth / 2`); (l.dir == "rtl") != (got.Left > mid) {
			t.Errorf("%s: the focused skip link is at %v–%v, on the wrong side for %s", l.code, got.Left, got.Right, l.dir)
		}
		s.do("follow the skip link", chromedp.KeyEvent(kb.Enter))
		s.waitFor("focus on main", `document.activeElement && document.activeElement.id === "main"`)
		s.shot(l.code + "-skiplink")
	}
}

// TestBrowserPhone: on a phone's screen no page scrolls sideways, in
// either language, with the sample data's longest pages.
func TestBrowserPhone(t *testing.T) {
	s := openBrowser(t)
	if _, err := demo.Load(context.Background(), s.app.Service); err != nil {
		t.Fatal(err)
	}
	recs, _, err := s.app.Store.List(context.Background(), record.Query{Type: record.TypeIncident, Limit: 3})
	if err != nil || len(recs) == 0 {
		t.Fatalf("sample incidents: %v", err)
	}
	reps, _, err := s.app.Store.List(context.Background(), record.Query{Type: record.TypeReport, Limit: 1})
	if err != nil || len(reps) == 0 {
		t.Fatalf("sample reports: %v", err)
	}
	s.do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	s.signIn(auth.RoleAnalyst, inArabic)
	paths := []string{"/signin", "/settings", "/", "/intake", "/reports", "/reports/" + reps[0].ID, "/incidents?q=%D9%82%D8%B5%D9%81", "/map", "/stats", "/ledger"}
	for _, r := range recs {
		paths = append(paths, "/incidents/"+r.ID)
	}
	for _, l := range []pageLang{inArabic, inEnglish} {
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			s.open(p+sep+"lang="+l.code, 200)
			s.checkNoOverflow()
		}
		s.shot(l.code + "-phone-incident")
	}
}

// TestBrowserRefusalShown: an edit refused under htmx shows the refusal,
// naming the field, in the page's alert region, and the review stays.
func TestBrowserRefusalShown(t *testing.T) {
	s := openBrowser(t)
	s.signIn(auth.RoleAnalyst, inArabic)
	rec, err := s.app.Service.Create(context.Background(), record.Meta{Author: "test", Reason: "sample"}, &record.Report{
		Text: "[بيانات تجريبية] قصفت طائرات حربية حي الدرعية في الرقة، ما أسفر عن مقتل 12 مدنياً.", Language: "ar", Published: "2017-06-26"})
	if err != nil {
		t.Fatal(err)
	}
	s.open("/reports/"+rec.ID, 200)
	form := `.fact:has(.f-casualties) details.edit`
	s.do("open the edit form",
		chromedp.Click(chromedp.CSS(form+" summary")),
		chromedp.Clear(chromedp.CSS(form+` input[name=min]`)),
		chromedp.SendKeys(chromedp.CSS(form+` input[name=min]`), "كثير"),
		chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	s.waitFor("the refusal", `document.querySelector("#flash code")`)
	if got := s.text("#flash code"); got != "min" {
		t.Errorf("the refusal names %q, want min", got)
	}
	if n := s.count(".factlist .fact"); n == 0 {
		t.Error("the review panel is gone after a refusal")
	}
	if p := s.path(); p != "/reports/"+rec.ID {
		t.Errorf("the page moved to %s", p)
	}
	s.expectFailure("/reports/"+rec.ID+"/facts", 400)
}

// ---------------------------------------------------------------------------
// 6. Sign-in.

// TestBrowserSignIn: a wrong password is refused on the sign-in page,
// saying so; the right one leads to the dashboard with a session cookie
// that scripts cannot read; signing out leads back to the sign-in page and
// the session is gone; a page asked for while signed out comes back after
// signing in — in Arabic, then in English.
func TestBrowserSignIn(t *testing.T) {
	s := openBrowser(t)
	acc := s.accs[auth.RoleAnalyst]
	s.expectFailure("/signin", 401) // the wrong passwords
	for _, l := range []pageLang{inArabic, inEnglish} {
		s.open("/signin", 200)
		s.chooseLang(l)
		s.checkFont()
		if n := s.count(".top nav, form.signout"); n != 0 {
			t.Errorf("%s: the sign-in page shows the menu of a signed-in reader", l.code)
		}
		if got := s.text("main h1"); got != l.pick("تسجيل الدخول", "Sign in") {
			t.Errorf("%s: the sign-in page is headed %q", l.code, got)
		}
		s.shot(l.code + "-signin")

		// A wrong password: the page again, saying so, with the username
		// kept and the password not.
		path, status := s.submitSignIn(acc.Username, "not the password of analyst 1")
		if path != "/signin" || status != 401 {
			t.Errorf("%s: a wrong password led to %s (%d), want /signin (401)", l.code, path, status)
		}
		s.checkLang(l)
		if got, want := s.text("#signin-error"), l.pick("اسم المستخدم أو كلمة المرور غير صحيحة.", "Wrong username or password."); got != want {
			t.Errorf("%s: the refusal reads %q, want %q", l.code, got, want)
		}
		if got := evalJS[[]string](s, `[document.getElementById("username").value, document.getElementById("password").value]`); got[0] != acc.Username || got[1] != "" {
			t.Errorf("%s: after the refusal the form holds %q, want the username and no password", l.code, got)
		}
		if c := s.sessionCookie(); c != nil {
			t.Errorf("%s: a refused sign-in left a session cookie %+v", l.code, c)
		}
		s.shot(l.code + "-signin-refused")

		// The right one: the dashboard.
		path, status = s.submitSignIn(acc.Username, acc.Password)
		if path != "/" || status != 200 {
			t.Fatalf("%s: signing in led to %s (%d), want the dashboard", l.code, path, status)
		}
		s.checkLang(l)
		if got := s.text("main h1"); got != l.pick("لوحة المتابعة", "Dashboard") {
			t.Errorf("%s: the dashboard is headed %q", l.code, got)
		}
		if n := s.count(`.top nav a[href="/"][aria-current="page"]`); n != 1 {
			t.Errorf("%s: signed in, the page is not the dashboard marked in the menu", l.code)
		}
		if got := s.text("footer.foot"); !strings.Contains(got, acc.Username) || !strings.Contains(got, l.pick("محلل", "analyst")) {
			t.Errorf("%s: the footer %q does not name %s and the role", l.code, got, acc.Username)
		}
		// The cookie is there for the browser to send, not for scripts.
		c := s.sessionCookie()
		if c == nil {
			t.Fatalf("%s: signed in, the browser holds no session cookie", l.code)
		}
		if !c.HTTPOnly || !c.Secure || c.SameSite != network.CookieSameSiteLax || c.Path != "/" {
			t.Errorf("%s: the session cookie is HttpOnly %v, Secure %v, SameSite %q, Path %q; want HttpOnly Secure Lax /", l.code, c.HTTPOnly, c.Secure, c.SameSite, c.Path)
		}
		if got := evalJS[string](s, `document.cookie`); strings.Contains(got, "session") || strings.Contains(got, c.Value) {
			t.Errorf("%s: document.cookie shows the session: %q", l.code, got)
		}
		s.shot(l.code + "-signed-in")

		// Signing out: the sign-in page, and the session ended on the
		// server too (the secret the browser had signs nobody in).
		s.signOut()
		s.checkLang(l)
		if p, err := s.app.Accounts.Session(context.Background(), c.Value); !errors.Is(err, auth.ErrNoSession) {
			t.Errorf("%s: after signing out the session still stands: %v %v", l.code, p, err)
		}
		// A page asked for signed out comes back after signing in.
		s.open("/map?from=2017-01-01", 200)
		if p := s.path(); p != "/signin?next=%2Fmap%3Ffrom%3D2017-01-01" {
			t.Errorf("%s: the map signed out led to %s, want the sign-in page with next", l.code, p)
		}
		if p := s.signIn(auth.RoleAnalyst, l); p != "/map?from=2017-01-01" {
			t.Errorf("%s: signing in led to %s, want back to /map?from=2017-01-01", l.code, p)
		}
		s.signOut()
	}
}
