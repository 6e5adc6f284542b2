package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/tawthiq/tawthiq/internal/bundle"
)

type sealFixture struct {
	dir, report, photo, video, key, out string
	id                                  *age.X25519Identity
}

func newSealFixture(t *testing.T, text string) sealFixture {
	t.Helper()
	dir := t.TempDir()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 1<<20+7)
	rand.Read(big)
	f := sealFixture{dir: dir, id: id, report: filepath.Join(dir, "report.txt"), photo: filepath.Join(dir, "صورة.jpg"),
		video: filepath.Join(dir, "clip.mp4"), key: filepath.Join(dir, "org.pub"), out: filepath.Join(dir, "out.tawthiq")}
	for path, data := range map[string][]byte{
		f.report: []byte(text), f.photo: []byte("\xff\xd8 photo"), f.video: big,
		f.key: []byte("# organisation key\n" + id.Recipient().String() + "\n"),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// runSeal calls cmdSeal and maps its error to an exit code as the binary does.
func runSeal(args ...string) result {
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr}
	code := report(e, "seal", cmdSeal(context.Background(), e, args))
	return result{code, stdout.String(), stderr.String()}
}

func fileSHA(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func TestSealAndExtract(t *testing.T) {
	const text = "قصف على حي الشعار في حلب صباح اليوم، وأفاد شهود بسقوط ضحايا مدنيين.\n"
	f := newSealFixture(t, text)
	r := runSeal("--to", "@"+f.key, "-o", f.out, "--title", "قصف حي الشعار", "--name", "SECRET-NAME", "--contact", "SECRET-CONTACT",
		"--lat", "36.2", "--lon", "37.16", "--published", "2026-04-30", f.report, f.photo, f.video)
	r.want(t, exitOK, f.out, fileSHA(t, f.photo), fileSHA(t, f.video), "صورة.jpg", "clip.mp4")
	if strings.Contains(r.stdout+r.stderr, "SECRET") {
		t.Fatalf("the reporter's details were printed:\n%s", r.stdout)
	}
	in, err := os.Open(f.out)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	o, err := bundle.Extract(in, []age.Identity{f.id}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Remove()
	m := o.Manifest
	if m.Report.Text != text || m.Report.Language != "ar" || m.Report.Published != "2026-04-30" ||
		m.Reporter.Name != "SECRET-NAME" || *m.Reporter.Latitude != 36.2 || m.Tool != "tawthiq "+version {
		t.Fatalf("manifest: %+v", m)
	}
	for i, orig := range []string{f.photo, f.video} {
		x := o.Files[i]
		got, want := fileSHA(t, x.Path), fileSHA(t, orig)
		if x.SHA256 != want || got != want || x.Name != filepath.Base(orig) {
			t.Errorf("file %d: manifest %s, extracted %s, original %s", i, x.SHA256, got, want)
		}
	}
}

func TestSealLanguageAndForce(t *testing.T) {
	f := newSealFixture(t, "Shelling hit the market in Aleppo this morning.")
	runSeal("--to", f.id.Recipient().String(), "-o", f.out, f.report).want(t, exitOK, "language en")
	runSeal("--to", f.id.Recipient().String(), "-o", f.out, f.report).want(t, exitUsage, "already exists", "--force")
	runSeal("--to", f.id.Recipient().String(), "-o", f.out, "--force", "--language", "ar", f.report).want(t, exitOK, "language ar")
}

func TestSealRefusals(t *testing.T) {
	f := newSealFixture(t, "نص التقرير")
	pub := f.id.Recipient().String()
	notUTF8 := filepath.Join(f.dir, "latin1.txt")
	empty := filepath.Join(f.dir, "empty.txt")
	os.WriteFile(notUTF8, []byte("caf\xe9 bombard\xe9"), 0o600)
	os.WriteFile(empty, []byte(" \n\t\n"), 0o600)
	missing := filepath.Join(f.dir, "missing.jpg")
	cases := []struct {
		name string
		args []string
		code int
		says []string
	}{
		{"no key", []string{"-o", f.out, f.report}, exitUsage, []string{"--to"}},
		{"bad key", []string{"--to", "not-a-key", "-o", f.out, f.report}, exitUsage, []string{"--to", "age1"}},
		{"bad key file", []string{"--to", "@" + f.report, "-o", f.out, f.report}, exitUsage, []string{"--to @" + f.report}},
		{"missing key file", []string{"--to", "@" + missing, "-o", f.out, f.report}, exitUsage, []string{"--to @" + missing}},
		{"secret key", []string{"--to", f.id.String(), "-o", f.out, f.report}, exitUsage, []string{"--to", "secret key"}},
		{"no output", []string{"--to", pub, f.report}, exitUsage, []string{"-o"}},
		{"no report", []string{"--to", pub, "-o", f.out}, exitUsage, []string{"report"}},
		{"missing attachment", []string{"--to", pub, "-o", f.out, f.report, f.photo, missing}, exitInvalid, []string{missing}},
		{"missing report", []string{"--to", pub, "-o", f.out, missing}, exitInvalid, []string{missing}},
		{"folder attached", []string{"--to", pub, "-o", f.out, f.report, f.dir}, exitInvalid, []string{f.dir}},
		{"not UTF-8", []string{"--to", pub, "-o", f.out, notUTF8}, exitInvalid, []string{notUTF8, "UTF-8"}},
		{"empty text", []string{"--to", pub, "-o", f.out, empty}, exitInvalid, []string{empty, "empty"}},
		{"bad date", []string{"--to", pub, "-o", f.out, "--published", "30/04/2026", f.report}, exitUsage, []string{"--published", "YYYY-MM-DD"}},
		{"bad url", []string{"--to", pub, "-o", f.out, "--url", "example.org", f.report}, exitUsage, []string{"--url"}},
		{"latitude alone", []string{"--to", pub, "-o", f.out, "--lat", "36.2", f.report}, exitUsage, []string{"--lat/--lon"}},
		{"latitude not a number", []string{"--to", pub, "-o", f.out, "--lat", "north", "--lon", "1", f.report}, exitUsage, []string{"--lat"}},
		{"output is an input", []string{"--to", pub, "-o", f.photo, "--force", f.report, f.photo}, exitUsage, []string{"-o"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runSeal(c.args...)
			r.want(t, c.code, c.says...)
			if strings.Contains(r.stderr, "AGE-SECRET-KEY") {
				t.Fatal("a secret key was echoed")
			}
			for _, p := range []string{f.out, f.out + ".tmp"} {
				if _, err := os.Stat(p); !os.IsNotExist(err) {
					t.Fatalf("%s written", p)
				}
			}
		})
	}
	if b, _ := os.ReadFile(f.photo); string(b) != "\xff\xd8 photo" {
		t.Fatal("an input was overwritten")
	}
}

func TestSealHelp(t *testing.T) {
	runSeal("--help").want(t, exitOK, "--to", "ORG_PUBLIC_KEY", "ختم")
}
