package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary builds the tawthiq binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tawthiq")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type result struct {
	code           int
	stdout, stderr string
}

func runBin(t *testing.T, bin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TAWTHIQ_DATA="+filepath.Join(t.TempDir(), "unused-default"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func (r result) want(t *testing.T, code int, contains ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, c := range contains {
		if !strings.Contains(r.stdout+r.stderr, c) {
			t.Fatalf("output lacks %q\nstdout: %s\nstderr: %s", c, r.stdout, r.stderr)
		}
	}
}

// serveBin starts `tawthiq serve` and returns its base URL and a stop
// function that sends SIGTERM and checks the graceful exit.
func serveBin(t *testing.T, bin string, args ...string) (string, func()) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "TAWTHIQ_DATA="+filepath.Join(t.TempDir(), "unused-default"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := addr.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	var base string
	select {
	case base = <-found:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("server did not start: %s", stderr.String())
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server did not exit cleanly on SIGTERM: %v\n%s", err, stderr.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Error("server did not stop within 20 s of SIGTERM")
		}
	}
	t.Cleanup(stop)
	return base, stop
}

// httpJSON sends a request with an API token (none when token is "").
func httpJSON(t *testing.T, token, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp.StatusCode, out
}

// TestEndToEnd drives the real binary: init, ingest of a folder (twice),
// reports list, serve with an API write, incidents list/show, history, and
// the exit codes of common mistakes.
func TestEndToEnd(t *testing.T) {
	bin := binary(t)
	data := filepath.Join(t.TempDir(), "data")

	runBin(t, bin, "incidents", "list", "--data", data).want(t, exitNotInitData, "not initialised", "tawthiq init")
	runBin(t, bin, "init", "--data", data).want(t, 0, "initialised", "تمت تهيئة")
	runBin(t, bin, "init", "--data", data).want(t, 0, "already initialised")

	runBin(t, bin, "ingest", "--data", data, "testdata/reports").
		want(t, 0, "files: 4", "reports added: 5", "already stored: 0", "files skipped (other types): 1")
	runBin(t, bin, "ingest", "--data", data, "testdata/reports").
		want(t, 0, "reports added: 0", "already stored: 5")
	list := runBin(t, bin, "reports", "list", "--data", data, "--json")
	list.want(t, 0)
	var reports struct {
		Items []struct {
			ID     string          `json:"id"`
			Record json.RawMessage `json:"record"`
		}
		Total int
	}
	if err := json.Unmarshal([]byte(list.stdout), &reports); err != nil || reports.Total != 5 {
		t.Fatalf("reports list: %v %s", err, list.stdout)
	}
	runBin(t, bin, "reports", "list", "--data", data, "--language", "ar").want(t, 0, "3 of 3 reports", "المشلب")

	runBin(t, bin, "incidents", "list", "--data", data).want(t, 0, "0 of 0 incidents")

	// The server needs the organisation key and an account.
	runBin(t, bin, "serve", "--data", data).want(t, exitUsage, "tawthiq key init")
	pass := secretFile(t, "e2e passphrase for the organisation key")
	runBin(t, bin, "key", "init", "--data", data, "--new-passphrase-file", pass).want(t, 0, "age1")
	runBin(t, bin, "user", "add", "e2e-analyst", "--role", "analyst", "--data", data,
		"--password-file", secretFile(t, "e2e analyst password")).want(t, 0, "added e2e-analyst")
	tok := runBin(t, bin, "token", "add", "--user", "e2e-analyst", "--role", "analyst", "--name", "e2e", "--data", data)
	tok.want(t, 0, "shown once")
	token := strings.TrimSpace(tok.stdout)

	base, stop := serveBin(t, bin, "--data", data, "--passphrase-file", pass)
	code, h := httpJSON(t, "", "GET", base+"/healthz", "")
	if code != 200 || h["status"] != "ok" {
		t.Fatalf("healthz: %d %v", code, h)
	}
	body := fmt.Sprintf(`{"reason":"from the activist report","record":{"title_ar":"قصف مدفعي على حي المشلب","kinds":["shelling"],
		"when":{"start":"2017-06-05","precision":"day"},"report_ids":[%q],
		"casualties":[{"category":"civilians","outcome":"killed","count":{"best":3,"qualifier":"exact","source_text":"ثلاثة مدنيين"}}]}}`, reports.Items[0].ID)
	if code, _ := httpJSON(t, "", "POST", base+"/api/v1/incidents", body); code != http.StatusUnauthorized {
		t.Fatalf("create incident without a token: %d", code)
	}
	code, inc := httpJSON(t, token, "POST", base+"/api/v1/incidents", body)
	if code != 201 {
		t.Fatalf("create incident: %d %v", code, inc)
	}
	id := inc["id"].(string)
	code, _ = httpJSON(t, token, "POST", base+"/api/v1/involvements",
		`{"reason":"the report names the source of the shelling","record":{"actor_id":"ypg","incident_id":"`+id+`","degree":"directly_carried_out","confidence":"likely"}}`)
	if code != 201 {
		t.Fatalf("create involvement: %d", code)
	}
	stop()

	runBin(t, bin, "incidents", "list", "--data", data).want(t, 0, id, "shelling", "1 of 1 incidents")
	runBin(t, bin, "incidents", "list", "--data", data, "--actor", "ypg", "--from", "2017-06-01").want(t, 0, "1 of 1 incidents")
	runBin(t, bin, "incidents", "list", "--data", data, "--kind", "air_strike").want(t, 0, "0 of 0 incidents")
	runBin(t, bin, "incidents", "show", "--data", data, id).want(t, 0, "قصف مدفعي على حي المشلب", "involvement", "ypg", "3 (exact)")
	runBin(t, bin, "history", "--data", data, id).want(t, 0, "e2e-analyst", "create", "from the activist report")

	// Mistakes and their exit codes.
	runBin(t, bin).want(t, exitUsage, "Commands")
	runBin(t, bin, "frobnicate").want(t, exitUsage, "unknown command")
	runBin(t, bin, "incidents", "list", "--data", data, "--bogus").want(t, exitUsage, "bogus")
	runBin(t, bin, "incidents", "list", "--data", data, "--kind", "air_raid").want(t, exitUsage, "air_raid")
	runBin(t, bin, "incidents", "list", "--data", data, "--from", "June").want(t, exitUsage, "--from")
	runBin(t, bin, "history", "--data", data, "01NOSUCHRECORD").want(t, exitNotFound, "no record")
	runBin(t, bin, "ingest", "--data", data).want(t, exitUsage, "at least one")
	runBin(t, bin, "ingest", "--data", data, "testdata/reports/notes.csv").want(t, exitInvalid, "notes.csv")
	runBin(t, bin, "ingest", "--data", data, "testdata/no-such-folder").want(t, exitInvalid, "no-such-folder")
	for _, c := range []string{"init", "serve", "ingest", "incidents list", "incidents show", "reports list", "history", "version",
		"user", "token", "key", "seal", "config"} {
		runBin(t, bin, append(strings.Fields(c), "--help")...).want(t, 0, "Usage", "الاستخدام", "Exit codes")
	}
}

// secretFile writes a secret to a file of its own (mode 0600).
func secretFile(t *testing.T, secret string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// demoPassword reads a sample account's password from the demo's file.
func demoPassword(t *testing.T, data, user string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "DEMO-ACCOUNTS.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == user {
			return f[2]
		}
	}
	t.Fatalf("no %s in the demo accounts", user)
	return ""
}

// signIn signs in through the sign-in form and returns the session
// cookie to send back.
func signIn(t *testing.T, base, user, password string) *http.Cookie {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/signin", map[string][]string{"username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-tawthiq_session" && c.Value != "" {
			if !c.Secure || !c.HttpOnly {
				t.Errorf("session cookie not Secure and HttpOnly: %+v", c)
			}
			return c
		}
	}
	t.Fatalf("sign-in as %s: %d, no session cookie", user, resp.StatusCode)
	return nil
}

// TestServeDemo starts the server with --demo, signs in with a sample
// account and reads the sample data back.
func TestServeDemo(t *testing.T) {
	bin := binary(t)
	data := filepath.Join(t.TempDir(), "demo")
	base, stop := serveBin(t, bin, "--demo", "--data", data)
	defer stop()
	if code, _ := httpJSON(t, "", "GET", base+"/api/v1/reports", ""); code != http.StatusUnauthorized {
		t.Errorf("reports without signing in: %d", code)
	}
	cookie := signIn(t, base, "demo-analyst", demoPassword(t, data, "demo-analyst"))
	get := func(path string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	for _, c := range []string{"incidents", "reports", "actors", "sources", "claims"} {
		code, list := get("/api/v1/" + c)
		if code != 200 || list["total"].(float64) == 0 {
			t.Errorf("%s: %d %v", c, code, list["total"])
		}
	}
	// Every sample revision is in the ledger, and the checkpoint says so.
	code, info := httpJSON(t, "", "GET", base+"/api/v1/ledger", "")
	if code != 200 || info["size"].(float64) == 0 || !strings.Contains(info["checkpoint"].(string), "\n\n— ") {
		t.Errorf("ledger: %d %v", code, info)
	}
	code, list := get("/api/v1/claims?claim_type=denial")
	if code != 200 || list["total"].(float64) == 0 {
		t.Errorf("no denial among the sample claims: %d %v", code, list)
	}
}
