// A browser test of the resumable upload on a connection that drops: the
// intake page's pieces are cut and the browser goes offline part way, and
// the file must still arrive whole, once.

package ui_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
)

const (
	// uploadPiece is upload.js's CHUNK (docs/spec/resumable-upload.md).
	uploadPiece = 256 << 10
	// uploadSize is the test file's size: a little over 3 MiB, so 13
	// pieces, the last one short.
	uploadSize = 3<<20 + 4321
	// uploadWait bounds the whole upload, retries and the offline spell
	// included.
	uploadWait = 90 * time.Second
	// offlineFor is how long the browser is kept offline.
	offlineFor = 2 * time.Second
)

// The PATCHes the test interferes with, counted from 1 in the order the
// browser sends them (retries included).
const (
	cutFirst   = 2 // failed: connection reset
	goOffline  = 4 // the browser goes offline just before this one is let through (so after the 3rd)
	cutSecond  = 5 // failed: connection reset
	uploadName = "شهادة-مسجلة.bin"
)

// uploadText is a short sample report written for this test: sample data,
// not a real event.
const (
	uploadTitle = "[بيانات تجريبية] شهادة مسجّلة عن قصف سوق في معرة النعمان"
	uploadText  = "[بيانات تجريبية] معرة النعمان – مراسل محلي\n\n" +
		"أفاد شاهد عيان بأن قذائف سقطت على السوق الشعبي صباح الأربعاء، " +
		"وأرفق تسجيلاً صوتياً لشهادته."
)

// patchSeen is one PATCH the browser sent, as the Fetch domain paused it.
type patchSeen struct {
	n      int    // 1, 2, … in the order sent
	offset int64  // its Upload-Offset header
	fate   string // "continued", "reset" or "offline"
}

// cutter pauses every request to /api/v1/uploads/ (Fetch domain, request
// stage) and decides its fate: the 2nd and 5th PATCH fail as if the
// connection had been reset, the 4th goes out while the browser is
// offline, everything else goes on.
type cutter struct {
	ctx context.Context

	mu      sync.Mutex
	patches []patchSeen
	heads   int
	uid     string
	offline struct{ from, to time.Time }
	errs    []string
	wg      sync.WaitGroup // the offline spell
}

func (c *cutter) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

// handle runs on the goroutine that ranges over the paused requests, never
// on the tab's reading loop, so it may send commands.
func (c *cutter) handle(ev fetch.EventRequestPaused) {
	uid := ev.Request.URL[strings.LastIndex(ev.Request.URL, "/")+1:]
	c.mu.Lock()
	if c.uid == "" {
		c.uid = uid
	} else if c.uid != uid {
		c.errs = append(c.errs, fmt.Sprintf("a second upload %s after %s", uid, c.uid))
	}
	n := 0
	switch ev.Request.Method {
	case "PATCH":
		n = len(c.patches) + 1
		off, err := strconv.ParseInt(header(ev.Request.Headers, "Upload-Offset"), 10, 64)
		if err != nil {
			c.errs = append(c.errs, fmt.Sprintf("PATCH %d: Upload-Offset: %v", n, err))
		}
		fate := "continued"
		switch n {
		case cutFirst, cutSecond:
			fate = "reset"
		case goOffline:
			fate = "offline"
		}
		c.patches = append(c.patches, patchSeen{n: n, offset: off, fate: fate})
	case "HEAD":
		c.heads++
	}
	c.mu.Unlock()

	switch n {
	case cutFirst, cutSecond:
		c.call("cut PATCH "+strconv.Itoa(n), func() error {
			_, err := chromedp.Call(c.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonConnectionReset})
			return err
		})
	case goOffline:
		// Offline first, then the piece goes out (and fails as a piece
		// does when the connection is gone); back online a little later,
		// while the requests that come meanwhile are still handled here.
		c.setOffline(true)
		c.cont(ev, n)
		c.wg.Go(func() {
			time.Sleep(offlineFor)
			c.setOffline(false)
		})
	default:
		c.cont(ev, n)
	}
}

func (c *cutter) cont(ev fetch.EventRequestPaused, n int) {
	c.call(fmt.Sprintf("continue %s %d", ev.Request.Method, n), func() error {
		_, err := chromedp.Call(c.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		return err
	})
}

// setOffline takes the tab off the network or puts it back: requests
// fail (Network.emulateNetworkConditionsByRule, every URL), and
// navigator.onLine and the offline and online events say so
// (Network.overrideNetworkState). The two replace
// Network.emulateNetworkConditions, which this protocol no longer has.
func (c *cutter) setOffline(off bool) {
	rules := []*network.Conditions{}
	if off {
		rules = append(rules, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	c.call(fmt.Sprintf("offline %v", off), func() error {
		if _, err := chromedp.Call(c.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules}); err != nil {
			return err
		}
		_, err := chromedp.Call(c.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	if off {
		c.offline.from = time.Now()
	} else {
		c.offline.to = time.Now()
	}
}

func (c *cutter) call(what string, f func() error) {
	if err := f(); err != nil && c.ctx.Err() == nil {
		c.fail("%s: %v", what, err)
	}
}

// header is a request header's value, whatever the case of its name.
func header(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// TestBrowserUploadResumes: a reporter sends a report with a 3 MiB file
// over a connection that is cut twice and gone for two seconds; the page
// must show the file stored with its SHA-256, the server must hold it
// once, whole, with its custody, and no byte may have been sent twice
// into the stored file.
func TestBrowserUploadResumes(t *testing.T) {
	start := time.Now()
	s := openBrowser(t)

	// A file of random bytes (seeded: the same bytes every run).
	data := make([]byte, uploadSize)
	rng := rand.NewChaCha8([32]byte{'t', 'a', 'w', 't', 'h', 'i', 'q'})
	_, _ = rng.Read(data)
	path := filepath.Join(t.TempDir(), uploadName)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	fileSHA := hex.EncodeToString(sum[:])

	s.signIn(auth.RoleReporter, inArabic)
	s.open("/intake", 200)
	s.do("fill the intake form",
		chromedp.SendKeys(chromedp.ID("title"), uploadTitle),
		chromedp.SetValue(chromedp.ID("text"), uploadText),
		chromedp.SetUploadFiles(chromedp.ID("intake-files"), []string{path}))
	// Every state the file's line shows, in order (intake.js writes them
	// into span.state).
	evalJS[bool](s, `(() => {
		window.uploadStates = [];
		new MutationObserver(() => {
			const st = document.querySelector("#intake-progress li.file span.state");
			const text = st && st.textContent;
			if (text && window.uploadStates[window.uploadStates.length - 1] !== text) window.uploadStates.push(text);
		}).observe(document.getElementById("intake-progress"), {subtree: true, childList: true, characterData: true});
		return true;
	})()`)

	// Intercept the upload's requests before the form is sent. The
	// listener runs on the tab's reading loop, so it only hands each
	// paused request to a goroutine, which sends the commands. (Not
	// chromedp.Events: its iterator decodes without
	// chromedp.DefaultUnmarshalOptions, so a paused PATCH, whose postData
	// holds the random bytes as a string with lone surrogates, fails to
	// decode and ends the iteration.)
	ictx, stopIntercept := context.WithCancel(s.tab)
	c := &cutter{ctx: ictx}
	paused := make(chan fetch.EventRequestPaused, 1024)
	if err := chromedp.Listen(ictx, func(ev any) {
		if ev, ok := ev.(*fetch.EventRequestPaused); ok {
			// Only the fields handle needs: not the piece's bytes.
			req := *ev.Request
			req.PostDataEntries = nil
			p := *ev
			p.Request = &req
			select {
			case paused <- p:
			default:
				go c.fail("too many paused requests: %s %s", ev.Request.Method, ev.Request.URL)
			}
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	loop := make(chan struct{})
	go func() {
		defer close(loop)
		for {
			select {
			case ev := <-paused:
				c.handle(ev)
			case <-ictx.Done():
				return
			}
		}
	}()
	stop := sync.OnceFunc(func() {
		// Release anything still paused, then end the subscription.
		_, _ = chromedp.Call(s.tab, fetch.Disable, cdp.Empty{})
		stopIntercept()
		<-loop
		c.wg.Wait()
		if !c.offline.from.IsZero() && c.offline.to.IsZero() {
			c.ctx = s.tab
			c.setOffline(false)
		}
	})
	defer stop()
	if _, err := chromedp.Call(s.tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*/api/v1/uploads/*", RequestStage: fetch.RequestStageRequest}}}); err != nil {
		t.Fatalf("intercept the uploads: %v", err)
	}

	s.do("send the report", chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]`), chromedp.NodeVisible))
	sent := time.Now()
	ctx, cancel := context.WithTimeout(s.tab, uploadWait+5*time.Second)
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.querySelector(
		"#intake-progress li.file.ok code.hash, #intake-progress li.file.error, #intake-progress > li.error")`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(uploadWait)))
	cancel()
	took := time.Since(sent)
	stop()
	s.shot("ar-intake-upload-resumed")

	c.mu.Lock()
	patches, heads, uid, errs := slices.Clone(c.patches), c.heads, c.uid, slices.Clone(c.errs)
	offFrom, offTo := c.offline.from, c.offline.to
	c.mu.Unlock()
	states := evalJS[[]string](s, `window.uploadStates || []`)
	for _, e := range errs {
		t.Errorf("interception: %s", e)
	}
	t.Logf("upload %s: %d PATCHes, %d HEADs in %v; offline %v; states %q", uid, len(patches), heads,
		took.Round(time.Millisecond), offTo.Sub(offFrom).Round(time.Millisecond), states)
	if err != nil {
		t.Fatalf("the upload did not end within %v: %v (PATCHes %+v; the page shows %q)", uploadWait, err, patches, s.texts("#intake-progress li"))
	}
	if errs := s.texts("#intake-progress li.error, #intake-progress li.file.error"); len(errs) > 0 {
		t.Fatalf("the intake page shows errors: %q (PATCHes %+v)", errs, patches)
	}

	// The page: the file's line shows the stored file's SHA-256, which is
	// the file's, and then that all files are stored.
	if got := s.texts("#intake-progress li.file.ok code.hash"); !slices.Equal(got, []string{fileSHA}) {
		t.Errorf("the file's line shows the hashes %q, want %s", got, fileSHA)
	}
	if got := s.texts("#intake-progress li.file bdi"); !slices.Equal(got, []string{uploadName}) {
		t.Errorf("the file's line names %q, want %s", got, uploadName)
	}
	if got := s.texts("#intake-progress > li.ok:last-child"); !slices.Equal(got, []string{"حُفظت كل الملفات."}) {
		t.Errorf("the last line reads %q, want that all files were stored", got)
	}
	if got := evalJS[[]float64](s, `(p => p ? [p.value, p.max] : [])(document.querySelector("#intake-progress li.file progress"))`); !slices.Equal(got, []float64{uploadSize, uploadSize}) {
		t.Errorf("the progress bar ends at %v, want %d of %d", got, uploadSize, uploadSize)
	}
	if got := evalJS[int](s, `Object.keys(localStorage).filter(k => k.startsWith("tawthiq.upload:")).length`); got != 0 {
		t.Errorf("the page still remembers %d uploads after storing the file", got)
	}
	// The cuts and the offline spell were seen by the page as such.
	for _, want := range []string{"انقطع الاتصال. إعادة المحاولة بعد 1 ث…", "لا اتصال بالشبكة. سيُستأنف الرفع حين يعود الاتصال.", "حُفظ " + fileSHA} {
		if !slices.Contains(states, want) {
			t.Errorf("the file's line never read %q; it read %q", want, states)
		}
	}

	// The pieces: every piece went out from where the server's bytes
	// ended. A piece that failed was sent again from the same offset (the
	// server, asked with HEAD, held nothing of it), and every other piece
	// followed the one before: no byte went twice, none was skipped.
	var cuts, offline int
	var want int64
	for _, p := range patches {
		if p.offset != want {
			t.Errorf("PATCH %d went from %d, want %d (PATCHes %+v)", p.n, p.offset, want, patches)
			break
		}
		switch p.fate {
		case "reset":
			cuts++
		case "offline":
			offline++
		}
		if p.fate == "continued" {
			want = min(want+uploadPiece, uploadSize)
		}
	}
	if cuts < 2 {
		t.Errorf("only %d PATCHes were cut, want 2: the upload was not interrupted as meant", cuts)
	}
	if offline != 1 || offTo.IsZero() || offTo.Sub(offFrom) < offlineFor {
		t.Errorf("the browser was not offline for %v during a PATCH (offline %v to %v)", offlineFor, offFrom, offTo)
	}
	if pieces := (uploadSize + uploadPiece - 1) / uploadPiece; len(patches) != pieces+cuts+offline {
		t.Errorf("%d PATCHes for %d pieces, %d cut and %d offline: want %d", len(patches), pieces, cuts, offline, pieces+cuts+offline)
	}
	if heads < cuts+offline {
		t.Errorf("%d HEADs after %d failed pieces: the script did not ask where to go on from", heads, cuts+offline)
	}
	s.checkUploadFailures(uid, cuts)

	// The server: one evidence record for the report, of these bytes and
	// this size, with its custody received then stored; the upload's
	// part file gone.
	reportHref := evalJS[string](s, `(a => a ? a.getAttribute("href") : "")(document.querySelector('#intake-progress a[href^="/reports/"]'))`)
	reportID := strings.TrimPrefix(reportHref, "/reports/")
	if reportID == "" || reportID == reportHref {
		t.Fatalf("the intake page links to %q, not to a report", reportHref)
	}
	bg := context.Background()
	recs, total, err := s.app.Store.List(bg, record.Query{Type: record.TypeEvidence, RefersTo: reportID})
	if err != nil {
		t.Fatalf("list the report's evidence: %v", err)
	}
	if total != 1 || len(recs) != 1 {
		t.Fatalf("the report %s has %d evidence records, want 1", reportID, total)
	}
	body, err := recs[0].Decode()
	if err != nil {
		t.Fatalf("decode the evidence: %v", err)
	}
	ev, ok := body.(*record.Evidence)
	if !ok {
		t.Fatalf("the evidence record holds a %T", body)
	}
	if ev.SHA256 != fileSHA || ev.Size != uploadSize || ev.ReportID != reportID || ev.Name != uploadName {
		t.Errorf("the evidence is %s, %d bytes, %q of %s; want %s, %d bytes, %q of %s",
			ev.SHA256, ev.Size, ev.Name, ev.ReportID, fileSHA, uploadSize, uploadName, reportID)
	}
	custody, err := s.app.Evidence.Custody(bg, recs[0].ID)
	if err != nil {
		t.Fatalf("custody: %v", err)
	}
	var actions []evidence.Action
	for _, e := range custody {
		actions = append(actions, e.Action)
		if e.SHA256 != fileSHA {
			t.Errorf("the custody event %d names sha256:%s, want %s", e.Seq, e.SHA256, fileSHA)
		}
	}
	if !slices.Equal(actions, []evidence.Action{evidence.Received, evidence.Stored}) {
		t.Errorf("the custody is %v, want received then stored", actions)
	}
	if _, err := os.Stat(filepath.Join(s.app.DataDir, app.UploadsDir, uid+".part")); !os.IsNotExist(err) {
		t.Errorf("the upload's part file is still there after the file was stored (%v)", err)
	}
	t.Logf("stored %s as %s (%v in all)", fileSHA, recs[0].ID, time.Since(start).Round(time.Millisecond))
}

// checkUploadFailures takes the loads of the upload that failed because
// the test cut them or took the browser offline off the list the harness
// checks at the end (every other failure stays there), and asserts there
// were the ones expected.
func (s *browser) checkUploadFailures(uid string, cuts int) {
	s.t.Helper()
	url := s.base + "/api/v1/uploads/" + uid + ":"
	s.mu.Lock()
	defer s.mu.Unlock()
	var reset, disconnected int
	s.failed = slices.DeleteFunc(s.failed, func(f string) bool {
		if !strings.Contains(f, url) {
			return false
		}
		switch {
		case strings.Contains(f, "net::ERR_CONNECTION_RESET"):
			reset++
		case strings.Contains(f, "net::ERR_INTERNET_DISCONNECTED"):
			disconnected++
		default:
			return false
		}
		return true
	})
	if reset != cuts {
		s.t.Errorf("the browser saw %d upload requests reset, want the %d the test cut", reset, cuts)
	}
	if disconnected < 1 {
		s.t.Errorf("no upload request failed while the browser was offline")
	}
}
