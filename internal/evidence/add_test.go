package evidence_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vault"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestAdd(t *testing.T) {
	e := newEnv(t)
	rep := e.report()
	body := []byte("witness statement, typed up on the day\n")
	before := e.state()

	ad := e.add(rep, "statement.txt", body)
	if ad.Existed {
		t.Error("first upload: Existed = true")
	}
	if ad.Record.Type != record.TypeEvidence || ad.Record.Revision != 1 {
		t.Errorf("record type %s revision %d, want evidence 1", ad.Record.Type, ad.Record.Revision)
	}
	ev := e.body(ad.Record.ID)
	want := record.Evidence{ReportID: rep, SHA256: sha(body), Size: int64(len(body)), Name: "statement.txt", Confidentiality: "restricted"}
	if ev.ReportID != want.ReportID || ev.SHA256 != want.SHA256 || ev.Size != want.Size || ev.Name != want.Name ||
		ev.Confidentiality != want.Confidentiality {
		t.Errorf("evidence = %+v, want %+v", ev, want)
	}
	if !strings.HasPrefix(ev.MIME, "text/plain") {
		t.Errorf("MIME = %q, want text/plain", ev.MIME)
	}

	// Custody: received, then stored, each with its leaf.
	if got := actions(ad.Events); !slices.Equal(got, []evidence.Action{evidence.Received, evidence.Stored}) {
		t.Fatalf("events = %v, want received, stored", got)
	}
	for i, x := range ad.Events {
		if x.Seq != int64(i+1) || x.EvidenceID != ad.Record.ID || x.SHA256 != ev.SHA256 ||
			x.Actor != "uploader" || x.Purpose != "field report" || x.At == "" {
			t.Errorf("event %d = %+v", i, x)
		}
	}
	if d := ad.Events[0].Detail; !strings.HasPrefix(d, fmt.Sprintf("%d bytes", len(body))) {
		t.Errorf("received detail %q does not give the size", d)
	}
	if d := ad.Events[1].Detail; !strings.Contains(d, vault.Key(ev.SHA256)) {
		t.Errorf("stored detail %q does not name the vault key", d)
	}
	e.checkAttested(ad.Events...)
	if got := e.custody(ad.Record.ID); !slices.Equal(got, ad.Events) {
		t.Errorf("Custody = %+v, want what Add returned %+v", got, ad.Events)
	}

	// One record, two events, one blob, three leaves (revision + 2 events).
	after := e.state()
	if after.Evidence != before.Evidence+1 || after.Custody != before.Custody+2 || after.Ledger != before.Ledger+3 ||
		len(after.Blobs) != len(before.Blobs)+1 || after.Staging != 0 {
		t.Errorf("state %+v → %+v", before, after)
	}
	idx, err := e.a.Ledger.FindRevision(e.ctx, ad.Record.ID, 1)
	if err != nil || idx >= ad.Events[0].LedgerIndex {
		t.Errorf("revision leaf %d (%v) should come before the first custody leaf %d", idx, err, ad.Events[0].LedgerIndex)
	}

	// The stored bytes are the upload.
	rc, _, err := e.a.Vault.Open(e.ctx, ev.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, body) {
		t.Errorf("vault holds %q (%v), want %q", got, err, body)
	}
}

func TestAddSameBytesTwice(t *testing.T) {
	e := newEnv(t)
	rep, other := e.report(), e.report()
	body := []byte("the same photo, sent by two people")
	first := e.add(rep, "a.txt", body)
	before := e.state()

	again := e.add(rep, "b.txt", body)
	if !again.Existed || again.Record.ID != first.Record.ID {
		t.Fatalf("second upload to the same report: Existed %v, id %s, want true, %s", again.Existed, again.Record.ID, first.Record.ID)
	}
	if len(again.Events) != 1 || again.Events[0].Action != evidence.Received || again.Events[0].Seq != 3 {
		t.Fatalf("second upload events = %+v, want one received event, seq 3", again.Events)
	}
	if !strings.Contains(again.Events[0].Detail, "already attached") {
		t.Errorf("detail %q does not say the file was already attached", again.Events[0].Detail)
	}
	e.checkAttested(again.Events...)
	if got := actions(e.custody(first.Record.ID)); !slices.Equal(got, []evidence.Action{evidence.Received, evidence.Stored, evidence.Received}) {
		t.Errorf("custody = %v", got)
	}
	if ev := e.body(first.Record.ID); ev.Name != "a.txt" {
		t.Errorf("the second upload renamed the record: %q", ev.Name)
	}
	after := e.state()
	if after.Evidence != before.Evidence || after.Custody != before.Custody+1 || after.Ledger != before.Ledger+1 ||
		!slices.Equal(after.Blobs, before.Blobs) {
		t.Errorf("state %+v → %+v, want one more event and leaf only", before, after)
	}

	// The same bytes on another report are another evidence record over
	// the same blob.
	third := e.add(other, "c.txt", body)
	if third.Existed || third.Record.ID == first.Record.ID {
		t.Fatalf("upload to another report: Existed %v, id %s (first %s)", third.Existed, third.Record.ID, first.Record.ID)
	}
	if ev := e.body(third.Record.ID); ev.ReportID != other || ev.SHA256 != sha(body) {
		t.Errorf("evidence on the other report = %+v", ev)
	}
	if !strings.Contains(third.Events[1].Detail, "already held") {
		t.Errorf("stored detail %q does not say the vault already held the bytes", third.Events[1].Detail)
	}
	if s := e.state(); !slices.Equal(s.Blobs, before.Blobs) || s.Evidence != before.Evidence+1 {
		t.Errorf("state after the other report's upload: %+v", s)
	}
}

func TestAddDeclared(t *testing.T) {
	e := newEnv(t)
	body := []byte("declared and matching")
	ad, err := e.a.Evidence.Add(e.ctx, evidence.AddInput{
		ReportID: e.report(), Body: bytes.NewReader(body), Name: "x.txt",
		DeclaredSHA256: "  " + strings.ToUpper(sha(body)) + " ", DeclaredSize: int64(len(body)),
		Notes: "from the field office", Confidentiality: "public", Actor: "u", Purpose: "p",
	})
	if err != nil {
		t.Fatal(err)
	}
	d := ad.Events[0].Detail
	if !strings.Contains(d, "declared sha256 matched") || !strings.Contains(d, "declared size matched") {
		t.Errorf("received detail %q does not say the declared values matched", d)
	}
	ev := e.body(ad.Record.ID)
	if ev.Notes != "from the field office" || ev.Confidentiality != "public" {
		t.Errorf("notes %q, confidentiality %q", ev.Notes, ev.Confidentiality)
	}
}

func TestAddJPEGMetadata(t *testing.T) {
	e := newEnv(t)
	img := exifJPEG(t, 32, 24)
	ad := e.add(e.report(), "IMG_0001.jpg", img)
	ev := e.body(ad.Record.ID)
	if ev.MIME != "image/jpeg" {
		t.Fatalf("MIME = %q", ev.MIME)
	}
	var m vault.Metadata
	decodeJSON(t, ev.Metadata, &m)
	if m.Make != fixtureMake || m.Model != fixtureModel || m.Width != 32 || m.Height != 24 {
		t.Errorf("metadata = %+v (skipped %q)", m, ev.Skipped)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-3 }
	if m.GPS == nil || !near(m.GPS.Lat, fixtureLat) || !near(m.GPS.Lon, fixtureLon) {
		t.Errorf("GPS = %+v, want %v, %v", m.GPS, fixtureLat, fixtureLon)
	}

	// A plain JPEG has dimensions and nothing else.
	ad = e.add(e.report(), "plain.jpg", plainJPEG(t, 8, 6))
	m = vault.Metadata{}
	decodeJSON(t, e.body(ad.Record.ID).Metadata, &m)
	if m.Width != 8 || m.Height != 6 || m.GPS != nil || m.Make != "" {
		t.Errorf("plain JPEG metadata = %+v", m)
	}
}

// TestAddRefused: every kind of bad input is an error that names what is
// wrong, and leaves no record, event, leaf, blob or staging file behind.
func TestAddRefused(t *testing.T) {
	e := newEnv(t)
	rep := e.report()
	// Any record that is not a report will do: take a seeded actor.
	actors, _, err := e.a.Store.List(e.ctx, record.Query{Type: record.TypeActor, Limit: 1})
	if err != nil || len(actors) == 0 {
		t.Fatalf("no seeded actor to use as a non-report record: %v", err)
	}
	retracted := e.report()
	if _, err := e.a.Service.Retract(e.ctx, meta, retracted, 1); err != nil {
		t.Fatal(err)
	}
	body := []byte("twenty bytes of text")
	// An evidence record is not a report either.
	evRec := e.add(rep, "ok.txt", []byte("already here")).Record.ID

	type check func(t *testing.T, err error)
	field := func(want ...string) check {
		return func(t *testing.T, err error) {
			if !errors.Is(err, record.ErrInvalid) {
				t.Fatalf("error %v is not record.ErrInvalid", err)
			}
			if got := fieldErrors(t, err); !slices.Equal(got, want) {
				t.Errorf("field errors %q, want %q", got, want)
			}
		}
	}
	is := func(target error) check {
		return func(t *testing.T, err error) {
			if !errors.Is(err, target) {
				t.Errorf("error %v is not %v", err, target)
			}
		}
	}
	ok := func(in *evidence.AddInput) {}
	for _, c := range []struct {
		name  string
		edit  func(in *evidence.AddInput)
		check check
	}{
		{"unknown report", func(in *evidence.AddInput) { in.ReportID = "01NOSUCHREPORT" }, is(record.ErrNotFound)},
		{"no report", func(in *evidence.AddInput) { in.ReportID = "" }, field("report_id/required")},
		{"an actor, not a report", func(in *evidence.AddInput) { in.ReportID = actors[0].ID }, field("report_id/wrong_type")},
		{"an evidence record, not a report", func(in *evidence.AddInput) { in.ReportID = evRec }, field("report_id/wrong_type")},
		{"retracted report", func(in *evidence.AddInput) { in.ReportID = retracted }, field("report_id/retracted")},
		{"parent path", func(in *evidence.AddInput) { in.Name = "../x" }, field("name/invalid_name")},
		{"path", func(in *evidence.AddInput) { in.Name = "a/b" }, field("name/invalid_name")},
		{"windows path", func(in *evidence.AddInput) { in.Name = `a\b` }, field("name/invalid_name")},
		{"dot dot", func(in *evidence.AddInput) { in.Name = ".." }, field("name/invalid_name")},
		{"dot", func(in *evidence.AddInput) { in.Name = "." }, field("name/invalid_name")},
		{"newline in name", func(in *evidence.AddInput) { in.Name = "a\nb.txt" }, field("name/invalid_name")},
		{"NUL in name", func(in *evidence.AddInput) { in.Name = "a\x00.txt" }, field("name/invalid_name")},
		{"DEL in name", func(in *evidence.AddInput) { in.Name = "a\x7f.txt" }, field("name/invalid_name")},
		{"invalid UTF-8 name", func(in *evidence.AddInput) { in.Name = "a\xff.txt" }, field("name/invalid_name")},
		{"long name", func(in *evidence.AddInput) { in.Name = strings.Repeat("ب", 128) }, field("name/invalid_name")},
		{"no author", func(in *evidence.AddInput) { in.Actor = " " }, field("author/required")},
		{"no reason", func(in *evidence.AddInput) { in.Purpose = "" }, field("reason/required")},
		{"no author nor reason", func(in *evidence.AddInput) { in.Actor, in.Purpose = "", "\t" }, field("author/required", "reason/required")},
		{"unknown confidentiality", func(in *evidence.AddInput) { in.Confidentiality = "top-secret" }, field("confidentiality/unknown_code")},
		{"notes too long", func(in *evidence.AddInput) { in.Notes = strings.Repeat("n", 4<<20+1) }, field("notes/too_long")},
		{"negative size", func(in *evidence.AddInput) { in.DeclaredSize = -1 }, field("size/negative")},
		{"malformed sha256", func(in *evidence.AddInput) { in.DeclaredSHA256 = "abc" }, field("sha256/invalid_hash")},
		{"sha256 mismatch", func(in *evidence.AddInput) { in.DeclaredSHA256 = sha([]byte("other bytes")) }, field("sha256/hash_mismatch")},
		{"truncated", func(in *evidence.AddInput) { in.DeclaredSize = int64(len(body)) + 1 }, field("body/truncated")},
		{"longer than declared", func(in *evidence.AddInput) { in.DeclaredSize = int64(len(body)) - 1 }, func(t *testing.T, err error) {
			var tl *evidence.TooLargeError
			if !errors.As(err, &tl) || !errors.Is(err, vault.ErrTooLarge) {
				t.Errorf("error %v (%T) is not a *TooLargeError wrapping vault.ErrTooLarge", err, err)
			}
		}},
		{"connection cut", func(in *evidence.AddInput) {
			in.Body = io.MultiReader(bytes.NewReader(body), errReader{io.ErrUnexpectedEOF})
		}, field("body/truncated")},
		{"a reader that fails", func(in *evidence.AddInput) { in.Body = io.MultiReader(bytes.NewReader(body), errReader{errRead}) }, is(errRead)},
		{"control", ok, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.state()
			in := evidence.AddInput{ReportID: rep, Body: bytes.NewReader(body), Name: "file.txt", Actor: "u", Purpose: "p"}
			c.edit(&in)
			ad, err := e.a.Evidence.Add(e.ctx, in)
			after := e.state()
			if c.check == nil { // the control: the same upload without the fault is accepted
				if err != nil || ad == nil {
					t.Fatalf("control upload failed: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted: %+v", ad.Record)
			}
			if ad != nil {
				t.Errorf("returned %+v with error %v", ad, err)
			}
			c.check(t, err)
			if !after.equal(before) {
				t.Errorf("refused upload changed the state:\n%+v\n→ %+v", before, after)
			}
		})
	}
}

var errRead = errors.New("connection reset")

// errReader fails every read with its error.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestAddTooLarge(t *testing.T) {
	e := newEnv(t)
	rep := e.report()
	e.a.SetMaxUpload(10)
	before := e.state()
	for _, c := range []struct {
		name     string
		body     []byte
		declared int64
	}{
		{"over the limit", []byte("eleven byte"), 0},
		{"declared over the limit", []byte("short"), 11},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.a.Evidence.Add(e.ctx, evidence.AddInput{ReportID: rep, Body: bytes.NewReader(c.body),
				DeclaredSize: c.declared, Actor: "u", Purpose: "p"})
			var tl *evidence.TooLargeError
			if !errors.As(err, &tl) || !errors.Is(err, vault.ErrTooLarge) {
				t.Fatalf("error %v (%T), want *evidence.TooLargeError wrapping vault.ErrTooLarge", err, err)
			}
			if !strings.HasPrefix(tl.Error(), "evidence: ") {
				t.Errorf("message %q", tl.Error())
			}
			if after := e.state(); !after.equal(before) {
				t.Errorf("state %+v → %+v", before, after)
			}
		})
	}
	// At the limit is accepted.
	if _, err := e.a.Evidence.Add(e.ctx, evidence.AddInput{ReportID: rep, Body: strings.NewReader("ten bytes!"), Actor: "u", Purpose: "p"}); err != nil {
		t.Errorf("upload at the limit: %v", err)
	}
}

// TestAddRefusedByRecordLeavesNoBlob: input the record service would
// refuse — an author longer than 200 bytes, a reason longer than 4000 —
// is refused before the bytes reach the vault, so no blob is left that no
// evidence record describes.
func TestAddRefusedByRecordLeavesNoBlob(t *testing.T) {
	e := newEnv(t)
	rep := e.report()
	for _, c := range []struct {
		name string
		edit func(in *evidence.AddInput)
	}{
		{"author too long", func(in *evidence.AddInput) { in.Actor = strings.Repeat("a", 201) }},
		{"reason too long", func(in *evidence.AddInput) { in.Purpose = strings.Repeat("r", 4001) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.state()
			in := evidence.AddInput{ReportID: rep, Body: strings.NewReader("orphan " + c.name), Actor: "u", Purpose: "p"}
			c.edit(&in)
			_, err := e.a.Evidence.Add(e.ctx, in)
			if !errors.Is(err, record.ErrInvalid) {
				t.Fatalf("error %v, want record.ErrInvalid", err)
			}
			if after := e.state(); !after.equal(before) {
				t.Errorf("refused upload left something behind: blobs %d → %d, evidence %d → %d",
					len(before.Blobs), len(after.Blobs), before.Evidence, after.Evidence)
			}
		})
	}
}

// TestCheckNameC1Control: C1 control characters (U+0080–U+009F) and
// invisible formatting characters are refused in names like C0 ones.
func TestCheckNameC1Control(t *testing.T) {
	for _, name := range []string{"a\u0085b.txt", "x\u009b31mred.jpg"} {
		if en, _ := evidence.CheckName(name); en == "" {
			t.Errorf("CheckName(%q) accepts a C1 control character", name)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"", true},
		{"photo.jpg", true},
		{"صورة الشاهد.jpg", true},
		{"نام\u200cفایل.png", true}, // ZWNJ is part of Persian words
		{"..hidden", true},
		{"a..b", true},
		{strings.Repeat("x", 255), true},
		{strings.Repeat("x", 256), false},
		{".", false},
		{"..", false},
		{"/", false},
		{"a/b", false},
		{`a\b`, false},
		{"../../etc/passwd", false},
		{"tab\there", false},
		{"cr\r", false},
		{"esc\x1b[0m", false},
		{"del\x7f", false},
		{"bad\xc3", false},
	} {
		en, ar := evidence.CheckName(c.name)
		if (en == "") != c.ok || (en == "") != (ar == "") {
			t.Errorf("CheckName(%q) = %q, %q; want ok %v", c.name, en, ar, c.ok)
		}
	}
}

// TestAddConcurrent: uploads of the same bytes to the same report at the
// same time all succeed and make one evidence record, whose custody has
// one "stored" and a "received" for every upload. Whether two uploads
// really meet in the database is up to the scheduler, so it runs a few
// rounds.
func TestAddConcurrent(t *testing.T) {
	e := newEnv(t)
	for round := range 5 {
		body := append(plainJPEG(t, 16, 16), byte(round)) // bytes after EOI: one blob per round
		concurrentRound(t, e, e.report(), body)
	}
	if s := e.state(); s.Evidence != 5 || len(s.Blobs) != 5 || s.Staging != 0 {
		t.Errorf("state %+v, want five evidence records and five blobs", s)
	}
	if problems, err := e.a.Ledger.Verify(e.ctx); err != nil || len(problems) > 0 {
		t.Errorf("ledger verify: %v %v", problems, err)
	}
}

func concurrentRound(t *testing.T, e *env, rep string, body []byte) {
	t.Helper()
	const n = 4
	var wg sync.WaitGroup
	results := make([]*evidence.Added, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = e.a.Evidence.Add(e.ctx, evidence.AddInput{ReportID: rep, Body: bytes.NewReader(body),
				Name: fmt.Sprintf("copy%d.jpg", i), Actor: fmt.Sprintf("sender %d", i), Purpose: "p"})
		})
	}
	close(start)
	wg.Wait()
	fresh := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("upload %d: %v", i, errs[i])
		}
		if results[i].Record.ID != results[0].Record.ID {
			t.Errorf("upload %d made record %s, upload 0 %s", i, results[i].Record.ID, results[0].Record.ID)
		}
		if !results[i].Existed {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d uploads say they created the record, want 1", fresh)
	}
	evs := e.custody(results[0].Record.ID)
	var got []evidence.Action
	for i, ev := range evs {
		if ev.Seq != int64(i+1) {
			t.Errorf("event %d has seq %d", i, ev.Seq)
		}
		got = append(got, ev.Action)
	}
	slices.Sort(got)
	want := []evidence.Action{evidence.Received, evidence.Received, evidence.Received, evidence.Received, evidence.Stored}
	if !slices.Equal(got, want) {
		t.Errorf("custody actions %v, want %v in some order", got, want)
	}
	e.checkAttested(evs...)
}
