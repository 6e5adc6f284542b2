package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sealed"
)

// Sources, victims and reporters written with known plaintext leave none
// of it in the database file, its write-ahead log, the key folder or the
// log output; with the key, the sealed parts read back exactly.
func TestSealedAtRest(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)

	a, _ := apptest.New(t)
	ctx := context.Background()
	m := record.Meta{Author: "analyst-1", Reason: "sealed-at-rest test"}
	secrets := []string{
		"نور الهدى المخفية", "Nour al-Huda Hidden", "+963 944 555 101", "signal:witness-real-handle",
		"ضحية الاسم الحقيقي", "Real Victim Name", "الرقم الوطني 0101234567", "أم الضحية فاطمة",
		"198.51.100.77", "35.951234",
	}
	src, err := a.Service.Create(ctx, m, &record.Source{DisplayLabel: "«شاهد-9» (witness-9)", SourceType: "local_activist",
		IsPseudonymous: true, Identity: &record.SourceIdentity{RealName: secrets[0] + " / " + secrets[1], Contact: secrets[2] + " " + secrets[3]}})
	if err != nil {
		t.Fatal(err)
	}
	per, err := a.Service.Create(ctx, m, &record.Person{Label: "ضحية ٢", Sex: "female",
		Identity: &record.PersonIdentity{FullNameAR: secrets[4], FullNameLatin: secrets[5], NationalID: secrets[6], MotherName: secrets[7]}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Service.Create(ctx, m, &record.Report{Text: "[بيانات تجريبية — Sample data] نص شهادة.", Language: "ar", SourceID: src.ID,
		Reporter: &record.ReporterIdentity{NetworkAddress: secrets[8], Location: &record.Coordinates{Lat: 35.951234, Lon: 39.0123}}})
	if err != nil {
		t.Fatal(err)
	}
	// An update that does not carry the sealed part keeps it.
	cur, _ := a.Store.Get(ctx, src.ID)
	b, _ := cur.Decode()
	b.(*record.Source).Identity = nil
	b.(*record.Source).Reliability = "likely_reliable"
	if _, err := a.Service.Update(ctx, m, src.ID, cur.Revision, b); err != nil {
		t.Fatal(err)
	}

	// Read back with the key.
	want := map[string][]string{src.ID: secrets[0:4], per.ID: secrets[4:8], rep.ID: secrets[8:10]}
	for id, words := range want {
		rec, err := a.Store.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !record.HasSealed(rec.Body) {
			t.Errorf("%s: stored without a sealed part: %s", id, rec.Body)
		}
		body, field, err := a.Service.Unseal(ctx, rec.Type, id, rec.Body)
		if err != nil {
			t.Fatalf("%s: unseal: %v", id, err)
		}
		if field == "" || bytes.Contains(body, []byte(`"sealed"`)) {
			t.Errorf("%s: unsealed body still sealed: %s", id, body)
		}
		for _, w := range words {
			if !bytes.Contains(body, []byte(w)) {
				t.Errorf("%s: %q not read back: %s", id, w, body)
			}
		}
	}

	// Nothing in clear at rest: the database, its WAL, the key folder.
	var files []string
	filepath.WalkDir(a.DataDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sawWAL := false
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(p, "-wal") && len(data) > 0 {
			sawWAL = true
		}
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds %q in clear", p, s)
			}
		}
	}
	if !sawWAL {
		t.Errorf("no write-ahead log among %v: the test would not see data not yet checkpointed", files)
	}
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the log holds %q", s)
		}
	}

	// Locked, nothing reads; a wrong passphrase is refused and changes
	// nothing; the right one opens again.
	rec, _ := a.Store.Get(ctx, per.ID)
	a.Keyring().Lock()
	if _, _, err := a.Service.Unseal(ctx, rec.Type, rec.ID, rec.Body); !errors.Is(err, record.ErrSealedLocked) {
		t.Errorf("locked unseal: %v", err)
	}
	if err := a.Unlock([]byte("not the passphrase at all")); !errors.Is(err, sealed.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	if err := a.Unlock([]byte(apptest.Passphrase)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Service.Unseal(ctx, rec.Type, rec.ID, rec.Body); err != nil {
		t.Errorf("unseal after unlock: %v", err)
	}
}

// A client may not send an envelope of its own: on create it is refused
// by name; on update it is ignored and the stored part kept.
func TestSealedEnvelopeFromClient(t *testing.T) {
	a, _ := apptest.New(t)
	ctx := context.Background()
	m := record.Meta{Author: "analyst-1", Reason: "test"}
	forged := &record.Sealed{V: 1, Alg: "xchacha20poly1305", Nonce: make([]byte, 24), CT: []byte("forged")}
	_, err := a.Service.Create(ctx, m, &record.Source{DisplayLabel: "x", SourceType: "local_activist", Sealed: forged})
	var ve *record.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.Errors[0].Field, "identity") {
		t.Fatalf("forged envelope on create: %v", err)
	}
	src, err := a.Service.Create(ctx, m, &record.Source{DisplayLabel: "x", SourceType: "local_activist",
		Identity: &record.SourceIdentity{RealName: "real"}})
	if err != nil {
		t.Fatal(err)
	}
	up, err := a.Service.Update(ctx, m, src.ID, 1, &record.Source{DisplayLabel: "y", SourceType: "local_activist", Sealed: forged})
	if err != nil {
		t.Fatal(err)
	}
	body, _, err := a.Service.Unseal(ctx, up.Type, up.ID, up.Body)
	if err != nil || !bytes.Contains(body, []byte(`"real_name":"real"`)) {
		t.Fatalf("stored part not kept: %s %v", body, err)
	}
	// An empty part removes it.
	up, err = a.Service.Update(ctx, m, src.ID, 2, &record.Source{DisplayLabel: "y", SourceType: "local_activist", Identity: &record.SourceIdentity{}})
	if err != nil || record.HasSealed(up.Body) {
		t.Fatalf("empty part: %s %v", up.Body, err)
	}
	// Without a key, sealed fields are refused, not stored in clear.
	b, _, err := app.Init(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = b.Service.Create(ctx, m, &record.Source{DisplayLabel: "x", SourceType: "local_activist", Identity: &record.SourceIdentity{RealName: "real"}})
	if !errors.Is(err, record.ErrNoSealer) {
		t.Fatalf("no key: %v", err)
	}
}
