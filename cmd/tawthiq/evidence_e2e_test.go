package main

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver"
)

// samplePNG is a 4×4 PNG with a text chunk naming a witness: the kind of
// metadata a published copy must drop.
func samplePNG() []byte {
	chunk := func(typ string, data []byte) []byte {
		var b bytes.Buffer
		fmt.Fprintf(&b, "%c%c%c%c", byte(len(data)>>24), byte(len(data)>>16), byte(len(data)>>8), byte(len(data)))
		b.WriteString(typ)
		b.Write(data)
		sum := crc32.ChecksumIEEE(append([]byte(typ), data...))
		b.Write([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
		return b.Bytes()
	}
	// One filtered scanline of 4 red pixels, four times, deflate-stored.
	var raw []byte
	for range 4 {
		raw = append(raw, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0)
	}
	n := len(raw)
	stored := append([]byte{0x78, 0x01, 1, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)}, raw...)
	a, b := uint32(1), uint32(0)
	for _, c := range raw {
		a = (a + uint32(c)) % 65521
		b = (b + a) % 65521
	}
	adler := b<<16 | a
	stored = append(stored, byte(adler>>24), byte(adler>>16), byte(adler>>8), byte(adler))
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	out.Write(chunk("IHDR", []byte{0, 0, 0, 4, 0, 0, 0, 4, 8, 2, 0, 0, 0}))
	out.Write(chunk("tEXt", []byte("Author\x00[sample] witness name")))
	out.Write(chunk("IDAT", stored))
	out.Write(chunk("IEND", nil))
	return out.Bytes()
}

// evidenceSetup makes a data folder with the sample reports and returns it
// with the id of one report.
func evidenceSetup(t *testing.T, bin string) (data, report string) {
	t.Helper()
	data = filepath.Join(t.TempDir(), "data")
	runBin(t, bin, "init", "--data", data, "--origin", "e2e.example/log").want(t, 0, "e2e.example/log+")
	runBin(t, bin, "ingest", "--data", data, "--quiet", "testdata/reports").want(t, 0)
	r := runBin(t, bin, "reports", "list", "--data", data, "--json", "--limit", "1")
	r.want(t, 0)
	var page struct{ Items []struct{ ID string } }
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil || len(page.Items) == 0 {
		t.Fatalf("reports list --json: %v %s", err, r.stdout)
	}
	return data, page.Items[0].ID
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func addEvidence(t *testing.T, bin, data, report, file string) string {
	t.Helper()
	r := runBin(t, bin, "evidence", "add", report, file, "--data", data, "--json")
	r.want(t, 0)
	var out struct{ Record struct{ ID string } }
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Record.ID == "" {
		t.Fatalf("evidence add --json: %v %s", err, r.stdout)
	}
	return out.Record.ID
}

// blobs lists the files in the vault.
func blobs(t *testing.T, data string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(data, "vault"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestEvidenceEndToEnd drives the evidence commands through the binary:
// add, show, get, copy, check, export, verify offline, audit, and the
// refusals that must store nothing.
func TestEvidenceEndToEnd(t *testing.T) {
	bin := binary(t)
	data, report := evidenceSetup(t, bin)
	png := writeFile(t, "مشهد.png", samplePNG())
	id := addEvidence(t, bin, data, report, png)

	runBin(t, bin, "evidence", "show", "--data", data, id).want(t, 0, "received", "stored", "image/png", "مشهد.png")
	// Adding it again records a second arrival and stores nothing twice.
	runBin(t, bin, "evidence", "add", "--data", data, report, png).want(t, 0, "already attached", id)
	if n := len(blobs(t, data)); n != 1 {
		t.Fatalf("%d blobs in the vault after adding one file twice", n)
	}

	out := filepath.Join(t.TempDir(), "out.png")
	runBin(t, bin, "evidence", "get", "--data", data, id, "-o", out).want(t, exitInvalid, "purpose")
	runBin(t, bin, "evidence", "get", "--data", data, id, "-o", out, "--purpose", "court file").want(t, 0)
	if got, _ := os.ReadFile(out); !bytes.Equal(got, samplePNG()) {
		t.Fatal("evidence get did not write the original byte for byte")
	}
	pub := filepath.Join(t.TempDir(), "public.png")
	runBin(t, bin, "evidence", "copy", "--data", data, id, "-o", pub).want(t, 0)
	if got, _ := os.ReadFile(pub); len(got) == 0 || bytes.Contains(got, []byte("witness")) {
		t.Fatalf("published copy is empty or keeps the text chunk: %q", got)
	}
	runBin(t, bin, "evidence", "check", "--data", data, id).want(t, 0, "ok")
	runBin(t, bin, "evidence", "show", "--data", data, id).want(t, 0, "accessed", "court file", "copy_made", "integrity_checked")

	pkg := filepath.Join(t.TempDir(), "evidence.zip")
	runBin(t, bin, "export-evidence", "--data", data, id, "-o", pkg).want(t, 0, id)
	runBin(t, bin, "verify", "--key", "@"+filepath.Join(data, "ledger.pub"), pkg).want(t, 0, "VERIFIED", id)
	runBin(t, bin, "verify", pkg).want(t, 0, "VERIFIED", "warning")
	// The export itself is on the chain of custody.
	runBin(t, bin, "evidence", "show", "--data", data, id).want(t, 0, "exported")

	// An altered package is refused, naming the problem.
	bad := rewriteZip(t, pkg, func(name string, b []byte) []byte {
		if strings.HasPrefix(name, "original/") {
			b = append([]byte(nil), b...)
			b[len(b)/2] ^= 1
		}
		return b
	})
	runBin(t, bin, "verify", bad).want(t, exitUnverified, "NOT VERIFIED", "it was changed")
	runBin(t, bin, "verify", "--key", "other.example/log+00000000+AfSM8UN6znS0juv+sX3iWHp7ahje5CGV27iQLo2NlGOw", pkg).want(t, exitUnverified, "NOT VERIFIED")
	runBin(t, bin, "verify", writeFile(t, "not.zip", []byte("not a zip"))).want(t, exitUnverified, "not a zip")

	runBin(t, bin, "audit", "--data", data).want(t, 0, "OK")
}

// TestEvidenceRefusals: each bad upload is refused with a clear message and
// the exit code of its kind, and nothing is stored.
func TestEvidenceRefusals(t *testing.T) {
	bin := binary(t)
	data, report := evidenceSetup(t, bin)
	file := writeFile(t, "note.txt", []byte("[sample data] a short note from the field"))
	before := runBin(t, bin, "audit", "--data", data, "--json").stdout

	runBin(t, bin, "evidence", "add", "--data", data, "--sha256", strings.Repeat("ab", 32), report, file).
		want(t, exitInvalid, "sha256", "nothing was stored")
	runBin(t, bin, "evidence", "add", "--data", data, "--name", "../../etc/passwd", report, file).
		want(t, exitInvalid, "name", "not a path")
	runBin(t, bin, "evidence", "add", "--data", data, "--max-size", "10", report, file).
		want(t, exitTooLarge, "limit")
	runBin(t, bin, "evidence", "add", "--data", data, "01NOSUCHREPORT000000000000", file).want(t, exitNotFound)
	runBin(t, bin, "evidence", "add", "--data", data, report, filepath.Join(t.TempDir(), "missing")).want(t, exitInvalid)
	runBin(t, bin, "evidence", "add", "--data", data, report).want(t, exitUsage)

	if after := runBin(t, bin, "audit", "--data", data, "--json").stdout; after != before {
		t.Fatalf("a refused upload changed what is stored:\nbefore %s\nafter  %s", before, after)
	}
	if n := len(blobs(t, data)); n != 0 {
		t.Fatalf("refused uploads left %d blobs", n)
	}
}

// rewriteZip copies a zip, passing every file's bytes through change.
func rewriteZip(t *testing.T, path string, change func(name string, b []byte) []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "altered.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(change(zf.Name, b))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return out
}

// copyDir copies a data folder so each tamper case starts clean.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// tamper runs SQL on the folder's database directly, as someone with the
// file (not the program) could; the immutability triggers are dropped
// first, as such a person would.
func tamper(t *testing.T, data string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, "tawthiq.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestAuditNamesTampering changes a data folder behind the program's back
// in three ways; audit must exit 7 and name each.
func TestAuditNamesTampering(t *testing.T) {
	bin := binary(t)
	data, report := evidenceSetup(t, bin)
	id := addEvidence(t, bin, data, report, writeFile(t, "scene.png", samplePNG()))
	runBin(t, bin, "audit", "--data", data).want(t, 0, "OK")

	t.Run("flipped blob byte", func(t *testing.T) {
		d := copyDir(t, data)
		b := blobs(t, d)[0]
		raw, _ := os.ReadFile(b)
		raw[20] ^= 0x40
		os.WriteFile(b, raw, 0o600)
		runBin(t, bin, "audit", "--data", d).want(t, exitUnverified, "sha256:"+filepath.Base(b), "damaged or altered", id)
	})
	t.Run("revision row changed", func(t *testing.T) {
		d := copyDir(t, data)
		tamper(t, d, `DROP TRIGGER IF EXISTS revisions_immutable_update`,
			`UPDATE revisions SET body = replace(body, 'scene', 'other'), content_hash = 'x' WHERE record_id = '`+id+`' AND revision = 1`)
		runBin(t, bin, "audit", "--data", d).want(t, exitUnverified, id+"/1", "ledger leaf")
	})
	t.Run("custody row changed", func(t *testing.T) {
		d := copyDir(t, data)
		tamper(t, d, `DROP TRIGGER custody_events_immutable_update`,
			`UPDATE custody_events SET actor = 'someone else' WHERE evidence_id = '`+id+`' AND seq = 1`)
		runBin(t, bin, "audit", "--data", d).want(t, exitUnverified, "custody "+id+"/1", "it was changed")
	})
	t.Run("blob deleted", func(t *testing.T) {
		d := copyDir(t, data)
		b := blobs(t, d)[0]
		if err := os.Remove(b); err != nil {
			t.Fatal(err)
		}
		runBin(t, bin, "audit", "--data", d).want(t, exitUnverified, "sha256:"+filepath.Base(b), "missing from the vault")
		// Lost evidence is never "no such record".
		runBin(t, bin, "evidence", "check", "--data", d, id).want(t, exitUnverified, "failed", "missing from the vault")
	})
	t.Run("ledger key lost", func(t *testing.T) {
		d := copyDir(t, data)
		if err := os.Remove(filepath.Join(d, "ledger.key")); err != nil {
			t.Fatal(err)
		}
		runBin(t, bin, "audit", "--data", d).want(t, exitNotInitData, "ledger key")
		// init must not quietly give the log a new identity.
		runBin(t, bin, "init", "--data", d).want(t, exitUnverified, "ledger.key", "restore")
		if _, err := os.Stat(filepath.Join(d, "ledger.key")); err == nil {
			t.Fatal("init made a new key for a ledger with entries")
		}
		runBin(t, bin, "init", "--data", d, "--new-ledger-key").want(t, 0, "new ledger key")
	})
	t.Run("leaf removed", func(t *testing.T) {
		d := copyDir(t, data)
		tamper(t, d, `DROP TRIGGER ledger_leaves_immutable_delete`,
			`DELETE FROM ledger_leaves WHERE kind = 'custody' AND item_id = '`+id+`' AND number = 2`)
		runBin(t, bin, "audit", "--data", d).want(t, exitUnverified, "custody "+id+"/2", "has no ledger leaf")
	})
}

// TestCrashDuringUpload kills `evidence add` in the middle of a large
// upload: no blob may appear, the records and ledger must agree, and the
// next run removes the unfinished staging file.
func TestCrashDuringUpload(t *testing.T) {
	bin := binary(t)
	data, report := evidenceSetup(t, bin)
	fifo := filepath.Join(t.TempDir(), "upload")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "evidence", "add", "--data", data, report, fifo)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("[sample] video frame "), 1<<16)
	for range 16 { // ~20 MiB, then the process dies mid-upload
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	staged, _ := filepath.Glob(filepath.Join(data, "staging", "put-*"))
	if len(staged) != 1 {
		t.Fatalf("want one staging file during the upload, have %v", staged)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	w.Close()

	if n := len(blobs(t, data)); n != 0 {
		t.Fatalf("a killed upload left %d blobs in the vault", n)
	}
	runBin(t, bin, "audit", "--data", data).want(t, 0, "OK", "custody events: 0")
	// The next upload, a little later, sweeps what the dead one left (a
	// file nobody holds, older than the few seconds a new upload needs to
	// take its lock).
	later := time.Now().Add(-time.Minute)
	os.Chtimes(staged[0], later, later)
	addEvidence(t, bin, data, report, writeFile(t, "small.png", samplePNG()))
	if left, _ := filepath.Glob(filepath.Join(data, "staging", "put-*")); len(left) != 0 {
		t.Fatalf("unfinished upload not swept: %v", left)
	}
	runBin(t, bin, "audit", "--data", data).want(t, 0, "OK")
}

// TestCrashDuringIngest kills an ingest of thousands of reports part way:
// whatever committed has its ledger leaves, and audit finds nothing wrong.
func TestCrashDuringIngest(t *testing.T) {
	bin := binary(t)
	data := filepath.Join(t.TempDir(), "data")
	runBin(t, bin, "init", "--data", data).want(t, 0)
	var feed bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&feed, `{"title":"[بيانات تجريبية] تقرير %d","content":"[بيانات تجريبية] قصف مدفعي على حي في الرقة، التقرير رقم %d.","date":"2017-06-%02d"}`+"\n", i, i, i%28+1)
	}
	file := writeFile(t, "feed.jsonl", feed.Bytes())
	cmd := exec.Command(bin, "ingest", "--data", data, "--quiet", file)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once some batches have committed.
	deadline := time.Now().Add(60 * time.Second)
	for {
		time.Sleep(50 * time.Millisecond)
		if st, err := os.Stat(filepath.Join(data, "tawthiq.db-wal")); err == nil && st.Size() > 1<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ingest wrote nothing in 60 s")
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	r := runBin(t, bin, "audit", "--data", data, "--json")
	r.want(t, 0)
	var rep struct {
		Revisions int   `json:"revisions"`
		Leaves    int64 `json:"ledger_leaves"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Revisions == 0 || int64(rep.Revisions) != rep.Leaves {
		t.Fatalf("after the kill: %d revisions, %d leaves", rep.Revisions, rep.Leaves)
	}
	if rep.Revisions >= 20000+20 {
		t.Fatalf("the ingest finished before the kill (%d revisions): the test proves nothing", rep.Revisions)
	}
}

// Listening beyond this machine needs the name people reach the server
// by (--host), or every request would be refused as misdirected; TLS
// files go in pairs.
func TestServeRefusesRemoteAddr(t *testing.T) {
	bin := binary(t)
	for _, addr := range []string{"0.0.0.0:0", ":8080", "192.0.2.1:80"} {
		runBin(t, bin, "serve", "--demo", "--addr", addr).want(t, exitUsage, "--host", "HTTPS")
	}
	runBin(t, bin, "serve", "--demo", "--host", "a/b").want(t, exitUsage, "-host", "not a valid value")
	runBin(t, bin, "serve", "--demo", "--tls-cert", "c.pem").want(t, exitUsage, "--tls-key")
}
