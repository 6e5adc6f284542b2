package evidence_test

import (
	"bytes"
	"errors"
	"image/jpeg"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vault"
)

func TestOpen(t *testing.T) {
	e := newEnv(t)
	body := []byte("an original that must come back byte for byte")
	id := e.add(e.report(), "o.txt", body).Record.ID

	rc, ev, err := e.a.Evidence.Open(e.ctx, id, "analyst", "verification of the incident")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, body) {
		t.Errorf("read %q (%v), want %q", got, err, body)
	}
	if err := rc.Close(); err != nil {
		t.Error(err)
	}
	if ev.SHA256 != sha(body) {
		t.Errorf("evidence sha256 %s", ev.SHA256)
	}
	evs := e.custody(id)
	last := evs[len(evs)-1]
	if len(evs) != 3 || last.Action != evidence.Accessed || last.Actor != "analyst" ||
		last.Purpose != "verification of the incident" || last.Seq != 3 {
		t.Fatalf("custody after Open = %+v", evs)
	}
	e.checkAttested(evs...)

	// Who and why are required, and nothing is recorded without them.
	before := e.state()
	for _, c := range []struct {
		actor, purpose string
		want           []string
	}{
		{"", "p", []string{"author/required"}},
		{"a", " ", []string{"purpose/required"}},
		{"", "", []string{"author/required", "purpose/required"}},
	} {
		rc, _, err := e.a.Evidence.Open(e.ctx, id, c.actor, c.purpose)
		if rc != nil {
			rc.Close()
			t.Errorf("Open(%q, %q) returned a reader", c.actor, c.purpose)
		}
		if got := fieldErrors(t, err); !slices.Equal(got, c.want) {
			t.Errorf("Open(%q, %q): %q, want %q", c.actor, c.purpose, got, c.want)
		}
	}
	// Only evidence can be opened.
	rep := e.body(id).ReportID
	for _, bad := range []string{rep, "01NOSUCHITEM"} {
		if _, _, err := e.a.Evidence.Open(e.ctx, bad, "a", "p"); !errors.Is(err, record.ErrNotFound) {
			t.Errorf("Open(%s): %v, want record.ErrNotFound", bad, err)
		}
	}
	if after := e.state(); !after.equal(before) {
		t.Errorf("refused opens changed the state: %+v → %+v", before, after)
	}
}

func TestOpenCorrupt(t *testing.T) {
	e := newEnv(t)
	body := bytes.Repeat([]byte("0123456789abcdef"), 1000)
	id := e.add(e.report(), "big.bin", body).Record.ID
	e.corrupt(sha(body))

	rc, _, err := e.a.Evidence.Open(e.ctx, id, "analyst", "p")
	if err != nil {
		t.Fatal(err) // damage is found while reading, not before
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if !errors.Is(err, vault.ErrCorrupt) {
		t.Fatalf("reading a corrupt original to the end: %v, want vault.ErrCorrupt", err)
	}
	if len(got) != len(body) {
		t.Errorf("read %d bytes before the error, want %d", len(got), len(body))
	}
	// Reading on after the error keeps failing.
	if _, err := rc.Read(make([]byte, 8)); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("read after the error: %v", err)
	}
	// The access is on record all the same.
	if evs := e.custody(id); evs[len(evs)-1].Action != evidence.Accessed {
		t.Errorf("custody = %v", actions(evs))
	}
}

func TestCheck(t *testing.T) {
	e := newEnv(t)
	body := []byte("fixity is checked on a schedule")
	id := e.add(e.report(), "f.txt", body).Record.ID

	ev, err := e.a.Evidence.Check(e.ctx, id, "scheduler")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Action != evidence.IntegrityChecked || ev.Seq != 3 || ev.Actor != "scheduler" || !strings.HasPrefix(ev.Detail, "ok") ||
		!strings.Contains(ev.Detail, sha(body)) {
		t.Errorf("check event = %+v", ev)
	}
	e.checkAttested(ev)

	e.corrupt(sha(body))
	ev, err = e.a.Evidence.Check(e.ctx, id, "scheduler")
	if !errors.Is(err, vault.ErrCorrupt) {
		t.Fatalf("check of a corrupt original: %v, want vault.ErrCorrupt", err)
	}
	if ev.Action != evidence.IntegrityChecked || ev.Seq != 4 || !strings.HasPrefix(ev.Detail, "failed") {
		t.Errorf("failed check event = %+v", ev)
	}
	evs := e.custody(id)
	if len(evs) != 4 || evs[3] != ev {
		t.Fatalf("the failed check is not on record: %+v", evs)
	}
	e.checkAttested(evs...)

	// A missing blob is a failed check too.
	other := []byte("this one will go missing")
	id2 := e.add(e.report(), "m.txt", other).Record.ID
	if err := os.Remove(e.blobPath(sha(other))); err != nil {
		t.Fatal(err)
	}
	ev, err = e.a.Evidence.Check(e.ctx, id2, "scheduler")
	if !errors.Is(err, evidence.ErrLost) || !strings.HasPrefix(ev.Detail, "failed") || !strings.Contains(ev.Detail, "no bytes") {
		t.Errorf("check of a missing original: %+v, %v", ev, err)
	}
	if evs := e.custody(id2); evs[len(evs)-1] != ev {
		t.Errorf("the failed check of a missing original is not on record: %+v", evs)
	}

	// Only evidence can be checked.
	if _, err := e.a.Evidence.Check(e.ctx, e.body(id).ReportID, "scheduler"); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("check of a report: %v", err)
	}
}

func TestPublishedCopy(t *testing.T) {
	e := newEnv(t)
	img := exifJPEG(t, 24, 16)
	if exifSegments(t, img) != 1 {
		t.Fatal("the fixture has no Exif segment")
	}
	id := e.add(e.report(), "gps.jpg", img).Record.ID
	before := e.state()

	rec, d, err := e.a.Evidence.PublishedCopy(e.ctx, id, "editor", "publication")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Revision != 2 || rec.UpdatedBy != "editor" {
		t.Errorf("record after the copy: revision %d by %q", rec.Revision, rec.UpdatedBy)
	}
	if d.SHA256 == sha(img) || d.MIME != "image/jpeg" || d.Transformation != vault.TransformStripJPEG || d.Size <= 0 {
		t.Errorf("derivative = %+v", d)
	}
	ev := e.body(id)
	if len(ev.Derivatives) != 1 || ev.Derivatives[0] != d {
		t.Errorf("record lists %+v, want [%+v]", ev.Derivatives, d)
	}
	if ev.SHA256 != sha(img) || ev.Size != int64(len(img)) {
		t.Errorf("the copy changed the original's description: %+v", ev)
	}
	evs := e.custody(id)
	last := evs[len(evs)-1]
	if last.Action != evidence.CopyMade || last.Actor != "editor" || last.Purpose != "publication" ||
		last.SHA256 != sha(img) || !strings.Contains(last.Detail, d.SHA256) || !strings.Contains(last.Detail, d.Transformation) {
		t.Errorf("copy event = %+v", last)
	}
	e.checkAttested(evs...)
	after := e.state()
	// One revision leaf and one custody leaf; one new blob.
	if after.Custody != before.Custody+1 || after.Ledger != before.Ledger+2 || len(after.Blobs) != len(before.Blobs)+1 {
		t.Errorf("state %+v → %+v", before, after)
	}

	// The copy: same pixels, no EXIF, no camera, no position.
	rc, cd, err := e.a.Evidence.OpenCopy(e.ctx, id, d.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	if *cd != d || sha(cp) != d.SHA256 || int64(len(cp)) != d.Size {
		t.Errorf("OpenCopy: %+v, %d bytes hashing to %s", cd, len(cp), sha(cp))
	}
	if n := exifSegments(t, cp); n != 0 || bytes.Contains(cp, []byte(fixtureModel)) {
		t.Errorf("the published copy still has %d Exif segments (or the camera model)", n)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(cp))
	if err != nil || cfg.Width != 24 || cfg.Height != 16 {
		t.Errorf("the copy does not decode as the 24x16 image: %+v %v", cfg, err)
	}
	if s := e.state(); s.Custody != after.Custody {
		t.Error("OpenCopy recorded a custody event")
	}

	// Asking again finds the copy: no second derivative, revision or event.
	rec2, d2, err := e.a.Evidence.PublishedCopy(e.ctx, id, "editor", "again")
	if err != nil {
		t.Fatal(err)
	}
	if d2 != d || rec2.Revision != 2 || len(e.body(id).Derivatives) != 1 {
		t.Errorf("second copy: %+v, revision %d, derivatives %+v", d2, rec2.Revision, e.body(id).Derivatives)
	}
	if s := e.state(); !s.equal(after) {
		t.Errorf("second copy changed the state: %+v → %+v", after, s)
	}

	// A copy that is not listed, and a copy of something that is not
	// evidence, are not found.
	if _, _, err := e.a.Evidence.OpenCopy(e.ctx, id, sha(img)); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("OpenCopy of the original's hash: %v, want record.ErrNotFound", err)
	}
	if _, _, err := e.a.Evidence.OpenCopy(e.ctx, ev.ReportID, d.SHA256); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("OpenCopy on a report: %v, want record.ErrNotFound", err)
	}
}

func TestPublishedCopyRefused(t *testing.T) {
	e := newEnv(t)
	text := e.add(e.report(), "t.txt", []byte("plain text has no published copy")).Record.ID
	img := plainJPEG(t, 8, 8)
	photo := e.add(e.report(), "p.jpg", img).Record.ID
	before := e.state()

	if _, _, err := e.a.Evidence.PublishedCopy(e.ctx, text, "editor", "p"); !errors.Is(err, vault.ErrUnsupported) {
		t.Errorf("copy of text/plain: %v, want vault.ErrUnsupported", err)
	}
	if _, _, err := e.a.Evidence.PublishedCopy(e.ctx, photo, "", "p"); !slices.Equal(fieldErrors(t, err), []string{"author/required"}) {
		t.Errorf("copy without an author: %v", err)
	}
	if _, _, err := e.a.Evidence.PublishedCopy(e.ctx, photo, "editor", ""); !slices.Equal(fieldErrors(t, err), []string{"purpose/required"}) {
		t.Errorf("copy without a purpose: %v", err)
	}
	if _, _, err := e.a.Evidence.PublishedCopy(e.ctx, "01NOSUCHITEM", "editor", "p"); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("copy of nothing: %v", err)
	}
	if after := e.state(); !after.equal(before) {
		t.Errorf("refused copies changed the state: %+v → %+v", before, after)
	}

	// A corrupt original gives no copy.
	e.corrupt(sha(img))
	if _, _, err := e.a.Evidence.PublishedCopy(e.ctx, photo, "editor", "p"); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("copy of a corrupt original: %v, want vault.ErrCorrupt", err)
	}
	if after := e.state(); after.Custody != before.Custody || len(e.body(photo).Derivatives) != 0 {
		t.Errorf("a copy of a corrupt original was recorded")
	}
}

func TestRecord(t *testing.T) {
	e := newEnv(t)
	ad := e.add(e.report(), "r.txt", []byte("custody of odd strings"))
	id := ad.Record.ID
	// Invalid UTF-8 is replaced, so the event survives a JSON round trip
	// with its hash intact.
	ev, err := e.a.Evidence.Record(e.ctx, id, sha([]byte("custody of odd strings")), evidence.Accessed,
		"bad\xffactor", "<script>&</script>", "تفاصيل")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Actor != "bad\uFFFDactor" || ev.Seq != 3 {
		t.Errorf("event = %+v", ev)
	}
	evs := e.custody(id)
	if evs[2] != ev {
		t.Errorf("stored %+v, returned %+v", evs[2], ev)
	}
	e.checkAttested(evs...)
	if _, err := e.a.Evidence.Custody(e.ctx, ad.Events[0].EvidenceID+"X"); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("custody of an unknown item: %v", err)
	}
	if _, err := e.a.Evidence.Custody(e.ctx, e.body(id).ReportID); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("custody of a report: %v", err)
	}
	if _, _, err := e.a.Evidence.Get(e.ctx, e.body(id).ReportID); !errors.Is(err, record.ErrNotFound) {
		t.Errorf("Get of a report: %v", err)
	}
}

func TestEventCanonical(t *testing.T) {
	ev := evidence.Event{
		EvidenceID: "01JZ4QC5ZB8M2R6T1P9K3S7D0F", Seq: 41,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Action: evidence.Received, Actor: "فاطمة <f@example.org>", Purpose: "a & b", Detail: "\"quoted\"\n",
		At: "2024-03-15T14:30:00.000000000Z", ContentHash: "sha256:ignored", LedgerIndex: 7,
	}
	const want = `{"evidence_id":"01JZ4QC5ZB8M2R6T1P9K3S7D0F","seq":41,` +
		`"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",` +
		`"action":"received","actor":"فاطمة <f@example.org>","purpose":"a & b","detail":"\"quoted\"\n",` +
		`"at":"2024-03-15T14:30:00.000000000Z"}`
	if got := string(ev.Canonical()); got != want {
		t.Errorf("Canonical =\n%s\nwant\n%s", got, want)
	}
	// Neither the hash nor the ledger index is covered.
	ev2 := ev
	ev2.ContentHash, ev2.LedgerIndex = "", -1
	if !bytes.Equal(ev.Canonical(), ev2.Canonical()) {
		t.Error("Canonical depends on the content hash or the ledger index")
	}
	// Every other field is.
	for _, edit := range []func(*evidence.Event){
		func(e *evidence.Event) { e.EvidenceID += "X" },
		func(e *evidence.Event) { e.Seq++ },
		func(e *evidence.Event) { e.SHA256 = strings.Repeat("0", 64) },
		func(e *evidence.Event) { e.Action = evidence.Exported },
		func(e *evidence.Event) { e.Actor += "." },
		func(e *evidence.Event) { e.Purpose += "." },
		func(e *evidence.Event) { e.Detail += "." },
		func(e *evidence.Event) { e.At = "2024-03-15T14:30:00.000000001Z" },
	} {
		ev3 := ev
		edit(&ev3)
		if bytes.Equal(ev.Canonical(), ev3.Canonical()) {
			t.Errorf("Canonical does not cover %+v", ev3)
		}
	}

	if got := evidence.HashContent([]byte("test")); got != "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" {
		t.Errorf("HashContent(test) = %s", got)
	}

	ev.ContentHash = evidence.HashContent(ev.Canonical())
	leaf, err := ev.Leaf().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	wantLeaf := "tawthiq-leaf/1\nkind custody\ntype evidence\nid 01JZ4QC5ZB8M2R6T1P9K3S7D0F\nnumber 41\naction received\n" +
		"content " + ev.ContentHash + "\nretracted false\n"
	if string(leaf) != wantLeaf {
		t.Errorf("leaf =\n%s\nwant\n%s", leaf, wantLeaf)
	}
}

func TestActions(t *testing.T) {
	want := []evidence.Action{"received", "stored", "accessed", "exported", "copy_made", "integrity_checked"}
	if got := evidence.Actions(); !slices.Equal(got, want) {
		t.Errorf("Actions() = %v, want %v", got, want)
	}
	// Every action is a valid leaf token.
	for _, a := range evidence.Actions() {
		ev := evidence.Event{EvidenceID: "x", Seq: 1, Action: a, ContentHash: evidence.HashContent(nil)}
		if _, err := ev.Leaf().Marshal(); err != nil {
			t.Errorf("action %s: %v", a, err)
		}
	}
}
