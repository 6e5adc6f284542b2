package evidence_test

// Shared set-up for the evidence tests: a real installation in a temporary
// folder (SQLite, the fs blobstore, the ledger), reports to attach files
// to, image fixtures built here from nothing, a snapshot of everything
// an upload can leave behind, and evidence packages opened for editing.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
)

// env is one installation under test.
type env struct {
	t   testing.TB
	ctx context.Context
	a   *app.App
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	a, _, err := app.Init(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return &env{t: t, ctx: ctx, a: a}
}

var meta = record.Meta{Author: "tester", Reason: "test"}

// report creates a report to attach evidence to.
func (e *env) report() string {
	e.t.Helper()
	rec, err := e.a.Service.Create(e.ctx, meta, &record.Report{Title: "تقرير", Text: "نص التقرير", Language: "ar"})
	if err != nil {
		e.t.Fatal(err)
	}
	return rec.ID
}

// add uploads body to report with a name, and fails the test on error.
func (e *env) add(report, name string, body []byte) *evidence.Added {
	e.t.Helper()
	ad, err := e.a.Evidence.Add(e.ctx, evidence.AddInput{
		ReportID: report, Body: bytes.NewReader(body), Name: name, Actor: "uploader", Purpose: "field report",
	})
	if err != nil {
		e.t.Fatalf("add %q: %v", name, err)
	}
	return ad
}

// body returns the evidence body of a record.
func (e *env) body(id string) *record.Evidence {
	e.t.Helper()
	_, ev, err := e.a.Evidence.Get(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

func (e *env) custody(id string) []evidence.Event {
	e.t.Helper()
	evs, err := e.a.Evidence.Custody(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

func actions(evs []evidence.Event) []evidence.Action {
	out := make([]evidence.Action, len(evs))
	for i, ev := range evs {
		out[i] = ev.Action
	}
	return out
}

// checkAttested fails unless each event's ledger leaf is the leaf the
// event says it is, and its content hash covers its canonical form.
func (e *env) checkAttested(evs ...evidence.Event) {
	e.t.Helper()
	for _, ev := range evs {
		if got := evidence.HashContent(ev.Canonical()); got != ev.ContentHash {
			e.t.Errorf("event %d: content hash %s, canonical hashes to %s", ev.Seq, ev.ContentHash, got)
		}
		if ev.LedgerIndex < 0 {
			e.t.Errorf("event %d (%s) has no ledger leaf", ev.Seq, ev.Action)
			continue
		}
		want, err := ev.Leaf().Marshal()
		if err != nil {
			e.t.Fatalf("event %d: leaf: %v", ev.Seq, err)
		}
		got, err := e.a.Ledger.Leaf(e.ctx, ev.LedgerIndex)
		if err != nil {
			e.t.Fatalf("event %d: ledger leaf %d: %v", ev.Seq, ev.LedgerIndex, err)
		}
		if !bytes.Equal(got, want) {
			e.t.Errorf("event %d: ledger leaf %d is\n%s\nwant\n%s", ev.Seq, ev.LedgerIndex, got, want)
		}
	}
}

// state counts what an upload can leave behind.
type state struct {
	Evidence, Custody, Ledger int64
	Blobs                     []string
	Staging                   int
}

func (e *env) state() state {
	e.t.Helper()
	var s state
	_, n, err := e.a.Store.List(e.ctx, record.Query{Type: record.TypeEvidence, IncludeRetracted: true})
	if err != nil {
		e.t.Fatal(err)
	}
	s.Evidence = int64(n)
	if err := e.a.DB.QueryRow(e.ctx, `SELECT COUNT(*) FROM custody_events`).Scan(&s.Custody); err != nil {
		e.t.Fatal(err)
	}
	if s.Ledger, err = e.a.Ledger.Size(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	if err := e.a.Vault.Walk(e.ctx, func(sha string, _ int64) error {
		s.Blobs = append(s.Blobs, sha)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(s.Blobs)
	entries, err := os.ReadDir(filepath.Join(e.a.DataDir, app.StagingDir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		e.t.Fatal(err)
	}
	s.Staging = len(entries)
	return s
}

func (s state) equal(o state) bool {
	return s.Evidence == o.Evidence && s.Custody == o.Custody && s.Ledger == o.Ledger &&
		slices.Equal(s.Blobs, o.Blobs) && s.Staging == o.Staging
}

// blobPath is where the fs blobstore keeps the bytes of sha.
func (e *env) blobPath(sha string) string {
	return filepath.Join(e.a.DataDir, app.VaultDir, "sha256", sha[:2], sha[2:4], sha)
}

// corrupt flips one byte of the stored original in place, keeping its
// size: the damage only a re-hash sees.
func (e *env) corrupt(sha string) {
	e.t.Helper()
	p := e.blobPath(sha)
	b, err := os.ReadFile(p)
	if err != nil {
		e.t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	if err := os.Chmod(p, 0o600); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// fieldErrors returns "field/code" of every field error in err, or fails
// the test if err is not a *record.ValidationError.
func fieldErrors(t testing.TB, err error) []string {
	t.Helper()
	var ve *record.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *record.ValidationError", err, err)
	}
	var out []string
	for _, f := range ve.Errors {
		out = append(out, f.Field+"/"+f.Code)
	}
	return out
}

func decodeJSON(t testing.TB, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

// Image fixtures.

// What the EXIF block of exifJPEG says.
const (
	fixtureMake  = "Tawthiq"
	fixtureModel = "FieldCam 7"
	fixtureLat   = 36.2021 // 36° 12' 7.56" N
	fixtureLon   = 37.1343 // 37° 8' 3.48" E
)

func plainJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exifJPEG is plainJPEG with an APP1 Exif segment holding Make, Model and
// a GPS position, right after SOI, where cameras put it.
func exifJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	plain := plainJPEG(t, w, h)
	app1 := append([]byte("Exif\x00\x00"), exifTIFF()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(app1)+2))
	out := append([]byte{}, plain[:2]...)
	out = append(out, seg...)
	out = append(out, app1...)
	return append(out, plain[2:]...)
}

type tiffEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

func tiffASCII(tag uint16, s string) tiffEntry {
	return tiffEntry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)}
}

// tiffDegrees is an unsigned rational triple (degrees, minutes, seconds).
func tiffDegrees(tag uint16, d, m, s100 uint32) tiffEntry {
	var b []byte
	for _, v := range []uint32{d, 1, m, 1, s100, 100} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return tiffEntry{tag, 5, 3, b}
}

// exifTIFF is a little-endian TIFF header, IFD0 (Make, Model, a pointer
// to the GPS IFD) and the GPS IFD.
func exifTIFF() []byte {
	ifd0 := []tiffEntry{
		tiffASCII(0x010F, fixtureMake), tiffASCII(0x0110, fixtureModel),
		{0x8825, 4, 1, make([]byte, 4)}, // GPS IFD pointer, filled below
	}
	gps := []tiffEntry{
		{0x0000, 1, 4, []byte{2, 3, 0, 0}},
		tiffASCII(0x0001, "N"), tiffDegrees(0x0002, 36, 12, 756),
		tiffASCII(0x0003, "E"), tiffDegrees(0x0004, 37, 8, 348),
	}
	size := func(es []tiffEntry) uint32 {
		n := uint32(2 + 12*len(es) + 4)
		for _, e := range es {
			if len(e.data) > 4 {
				n += uint32(len(e.data)+1) &^ 1
			}
		}
		return n
	}
	const off0 = 8
	offGPS := off0 + size(ifd0)
	binary.LittleEndian.PutUint32(ifd0[2].data, offGPS)
	out := []byte("II*\x00\x08\x00\x00\x00")
	for _, ifd := range []struct {
		off uint32
		es  []tiffEntry
	}{{off0, ifd0}, {offGPS, gps}} {
		dataOff := ifd.off + uint32(2+12*len(ifd.es)+4)
		var tail []byte
		out = binary.LittleEndian.AppendUint16(out, uint16(len(ifd.es)))
		for _, e := range ifd.es {
			out = binary.LittleEndian.AppendUint16(out, e.tag)
			out = binary.LittleEndian.AppendUint16(out, e.typ)
			out = binary.LittleEndian.AppendUint32(out, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				out = append(out, v...)
				continue
			}
			out = binary.LittleEndian.AppendUint32(out, dataOff+uint32(len(tail)))
			tail = append(tail, e.data...)
			if len(tail)%2 == 1 {
				tail = append(tail, 0)
			}
		}
		out = binary.LittleEndian.AppendUint32(out, 0) // no next IFD
		out = append(out, tail...)
	}
	return out
}

// exifSegments counts the APP1 segments starting "Exif\x00\x00" in the
// header of a JPEG (the segments before the first scan).
func exifSegments(t testing.TB, b []byte) int {
	t.Helper()
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		t.Fatalf("not a JPEG: % x", b[:min(len(b), 8)])
	}
	n := 0
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatalf("JPEG: no marker at %d", i)
		}
		marker := b[i+1]
		if marker == 0xDA || marker == 0xD9 { // SOS, EOI
			return n
		}
		l := int(binary.BigEndian.Uint16(b[i+2:]))
		if i+2+l > len(b) {
			t.Fatalf("JPEG: segment 0x%02x at %d runs past the end", marker, i)
		}
		if marker == 0xE1 && bytes.HasPrefix(b[i+4:i+2+l], []byte("Exif\x00\x00")) {
			n++
		}
		i += 2 + l
	}
	return n
}

// pkg is an evidence package opened for editing.
type pkg struct {
	names   []string // in zip order
	files   map[string][]byte
	headers []*zip.FileHeader
	store   bool // write every entry uncompressed
}

func readPkg(t testing.TB, b []byte) *pkg {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	p := &pkg{files: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		p.names = append(p.names, f.Name)
		p.files[f.Name] = data
		h := f.FileHeader
		p.headers = append(p.headers, &h)
	}
	return p
}

func (p *pkg) zip(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range p.names {
		method := zip.Deflate
		if p.store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (p *pkg) set(name string, data []byte) {
	if _, ok := p.files[name]; !ok {
		p.names = append(p.names, name)
	}
	p.files[name] = data
}

func (p *pkg) setJSON(t testing.TB, name string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	p.set(name, data)
}

func (p *pkg) remove(name string) {
	p.names = slices.DeleteFunc(p.names, func(n string) bool { return n == name })
	delete(p.files, name)
}

func (p *pkg) rename(from, to string) {
	i := slices.Index(p.names, from)
	p.names[i] = to
	p.files[to] = p.files[from]
	delete(p.files, from)
}

func (p *pkg) editManifest(t testing.TB, edit func(m *evidence.Manifest)) {
	t.Helper()
	var m evidence.Manifest
	decodeJSON(t, p.files["manifest.json"], &m)
	edit(&m)
	p.setJSON(t, "manifest.json", m)
}

// rehash sets the manifest's hash of each named file to its content.
func (p *pkg) rehash(t testing.TB, names ...string) {
	t.Helper()
	p.editManifest(t, func(m *evidence.Manifest) {
		for _, name := range names {
			m.Files[name] = sha(p.files[name])
		}
	})
}
