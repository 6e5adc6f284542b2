package ledger_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/tawthiq/tawthiq/internal/ledger"
)

func TestCheckpointSignedAndStored(t *testing.T) {
	ctx := context.Background()
	db, l, vkey := openLog(t)
	if _, err := l.LatestCheckpoint(ctx); !errors.Is(err, ledger.ErrNotFound) {
		t.Fatalf("latest checkpoint of a new log: %v, want ErrNotFound", err)
	}

	// The empty tree's root is SHA-256 of nothing (RFC 6962 §2.1).
	empty, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cp0, err := ledger.VerifyCheckpoint(empty, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if cp0.Size != 0 || !bytes.Equal(cp0.Root[:], rfc6962.DefaultHasher.EmptyRoot()) {
		t.Fatalf("empty checkpoint %+v", cp0)
	}

	leaves := appendBatches(t, db, l, 0, []int{1, 4, 20})
	signed, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Independently: x/mod's note.Open with a verifier built from the vkey.
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		t.Fatalf("note.Open: %v", err)
	}
	want := testOrigin + "\n25\n" + base64.StdEncoding.EncodeToString(newRef(leaves).roots[25]) + "\n"
	if n.Text != want {
		t.Fatalf("checkpoint body\n%q\nwant\n%q", n.Text, want)
	}
	cp, err := ledger.VerifyCheckpoint(signed, vkey)
	if err != nil || cp.Size != 25 || cp.Origin != testOrigin {
		t.Fatalf("VerifyCheckpoint: %+v, %v", cp, err)
	}

	// Same size: the stored note comes back, not a second row.
	again, err := l.Checkpoint(ctx)
	if err != nil || !bytes.Equal(again, signed) {
		t.Fatalf("second checkpoint at the same size differs: %v", err)
	}
	latest, err := l.LatestCheckpoint(ctx)
	if err != nil || !bytes.Equal(latest, signed) {
		t.Fatalf("latest checkpoint differs: %v", err)
	}
	if got := counts(t, db); got != "leaves=25 hashes=47 checkpoints=2" {
		t.Fatalf("rows: %s", got)
	}
}

func TestVerifyCheckpointRefuses(t *testing.T) {
	ctx := context.Background()
	db, l, vkey := openLog(t)
	appendBatches(t, db, l, 0, []int{9})
	signed, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, err := ledger.GenerateKey(testOrigin) // same name, another key
	if err != nil {
		t.Fatal(err)
	}
	otherSkey, otherOriginKey, err := ledger.GenerateKey("elsewhere.example/log")
	if err != nil {
		t.Fatal(err)
	}
	// A note signed by the right key name but whose origin is another log.
	s, err := note.NewSigner(otherSkey)
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := note.Sign(&note.Note{Text: strings.Replace(string(signed[:bytes.Index(signed, []byte("\n\n"))+1]), testOrigin, "x.example/log", 1)}, s)
	if err != nil {
		t.Fatal(err)
	}
	body := string(signed)
	for _, c := range []struct {
		name, note, vkey string
		want             error
	}{
		{"size altered", strings.Replace(body, "\n9\n", "\n8\n", 1), vkey, ledger.ErrVerify},
		{"origin altered", strings.Replace(body, testOrigin+"\n", testOrigin+"2\n", 1), vkey, ledger.ErrVerify},
		{"root altered", flipRootChar(body), vkey, ledger.ErrVerify},
		{"extension added", strings.Replace(body, "\n\n", "\nextra\n\n", 1), vkey, ledger.ErrVerify},
		{"signature cut", strings.TrimSuffix(body, "\n")[:len(body)-6] + "\n", vkey, ledger.ErrVerify},
		{"no signature", body[:strings.Index(body, "\n\n")+1], vkey, ledger.ErrVerify},
		{"wrong key", body, otherKey, ledger.ErrVerify},
		{"key of another log", body, otherOriginKey, ledger.ErrVerify},
		{"origin is not the key name", string(foreign), otherOriginKey, ledger.ErrVerify},
		{"malformed key", body, "not a key", ledger.ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ledger.VerifyCheckpoint([]byte(c.note), c.vkey); !errors.Is(err, c.want) {
				t.Fatalf("VerifyCheckpoint: %v, want %v", err, c.want)
			}
		})
	}
}

// flipRootChar changes one base64 character of the root line.
func flipRootChar(body string) string {
	lines := strings.SplitN(body, "\n", 4)
	r := []byte(lines[2])
	if r[0] == 'A' {
		r[0] = 'B'
	} else {
		r[0] = 'A'
	}
	lines[2] = string(r)
	return strings.Join(lines, "\n")
}

// A log never signs a tree that does not extend its last checkpoint.
func TestCheckpointRefusesInconsistentTree(t *testing.T) {
	ctx := context.Background()
	db, l, _ := openLog(t)
	appendBatches(t, db, l, 0, []int{5})
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	// Rewrite the stored hash of the subtree of leaves 0–3 behind the
	// log's back, then grow the tree past it.
	if _, err := db.Exec(ctx, `DROP TRIGGER ledger_hashes_immutable_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `UPDATE ledger_hashes SET hash = zeroblob(32) WHERE idx = 6`); err != nil { // StoredHashIndex(2, 0)
		t.Fatal(err)
	}
	appendBatches(t, db, l, 5, []int{3})
	if _, err := l.Checkpoint(ctx); !errors.Is(err, ledger.ErrInconsistent) {
		t.Fatalf("checkpoint over a rewritten tree: %v, want ErrInconsistent", err)
	}
	if got := counts(t, db); got != "leaves=8 hashes=15 checkpoints=1" {
		t.Fatalf("rows: %s", got)
	}
}

func TestGenerateKeyAndNew(t *testing.T) {
	for _, origin := range []string{"", "has space", "a+b", "tab\there", "new\nline"} {
		if _, _, err := ledger.GenerateKey(origin); !errors.Is(err, ledger.ErrMalformed) {
			t.Errorf("GenerateKey(%q): %v, want ErrMalformed", origin, err)
		}
	}
	db := openDB(t)
	_, vkey, err := ledger.GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	for _, skey := range []string{"", vkey, "PRIVATE+KEY+x+00000000+AQ=="} {
		if _, err := ledger.New(db, skey); !errors.Is(err, ledger.ErrMalformed) {
			t.Errorf("New(%q): %v, want ErrMalformed", skey, err)
		}
	}
}

func TestParseCheckpoint(t *testing.T) {
	root := base64.StdEncoding.EncodeToString(make([]byte, 32))
	good := []struct {
		body string
		size int64
	}{
		{"example.com/log\n0\n" + root + "\n", 0},
		{"example.com/log\n20852163\n" + root + "\n", 20852163},
		{"example.com/log\n9223372036854775807\n" + root + "\nextension\n", 1<<63 - 1},
	}
	for _, c := range good {
		cp, err := ledger.ParseCheckpoint([]byte(c.body))
		if err != nil || cp.Size != c.size || cp.Origin != "example.com/log" {
			t.Errorf("ParseCheckpoint(%q) = %+v, %v", c.body, cp, err)
		}
	}
	for _, body := range []string{
		"",
		"example.com/log\n1\n" + root,         // no final newline
		"example.com/log\n1\n",                // no root
		"\n1\n" + root + "\n",                 // empty origin
		"example.com/log\n01\n" + root + "\n", // leading zero
		"example.com/log\n-1\n" + root + "\n", // negative
		"example.com/log\n+1\n" + root + "\n", // sign
		"example.com/log\n 1\n" + root + "\n", // space
		"example.com/log\n9223372036854775808\n" + root + "\n",
		"example.com/log\n1\n" + root[:43] + "\n",   // short base64
		"example.com/log\n1\n" + root + "=\n",       // bad padding
		"example.com/log\n1\nAAAA\n",                // 3-byte root
		"example.com/log\n1\n" + root + "\n\n",      // empty extension
		"example.com/log\n1\n" + root + "\r\n",      // CR
		"example.com/log\r\n1\n" + root + "\n",      // CR in origin
		"example.com/log\n1\n" + root[:42] + "B=\n", // non-canonical trailing bits
		"\xff\n1\n" + root + "\n",                   // not UTF-8
	} {
		if _, err := ledger.ParseCheckpoint([]byte(body)); !errors.Is(err, ledger.ErrMalformed) {
			t.Errorf("ParseCheckpoint(%q): %v, want ErrMalformed", body, err)
		}
	}
}
