package ledger_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
)

const (
	hashA = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	hashB = "hmac-sha256:a3defa35a20c9853c5662923830027c8f1337687794b9478d74e0d9c809e8f04" // PersonalDigest example of TestPersonalDigest
)

// The examples of docs/spec/ledger-leaf.md, byte for byte.
func TestLeafMarshalGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		leaf ledger.Leaf
		want string
		hash string // RFC 6962 leaf hash, SHA-256(0x00 || leaf)
	}{
		{"revision", ledger.Leaf{Kind: ledger.KindRevision, Type: "incident", ID: "01JZ4Q7RM0B2Y5K8E3H6T9W1XC", Number: 3,
			Action: "update", ContentHash: hashA},
			"tawthiq-leaf/1\nkind revision\ntype incident\nid 01JZ4Q7RM0B2Y5K8E3H6T9W1XC\nnumber 3\naction update\n" +
				"content " + hashA + "\nretracted false\n", "b9dcce9c5f82db5ce4576da211f809a14f507b4fbbe159bb3197c54afa3d54a2"},
		{"retracted person with personal digest", ledger.Leaf{Kind: ledger.KindRevision, Type: "person", ID: "01JZ4QA0S9V3Q8W2N7D4F6G1HK",
			Number: 2, Action: "retract", ContentHash: hashA, Retracted: true, Personal: hashB},
			"tawthiq-leaf/1\nkind revision\ntype person\nid 01JZ4QA0S9V3Q8W2N7D4F6G1HK\nnumber 2\naction retract\n" +
				"content " + hashA + "\nretracted true\npersonal " + hashB + "\n", "c0b28ee60c682bad425ab46f8704ac5df1f6649837cdf6541131c1bd25f07740"},
		{"custody", ledger.Leaf{Kind: ledger.KindCustody, Type: "evidence", ID: "01JZ4QC5ZB8M2R6T1P9K3S7D0F", Number: 41,
			Action: "received", ContentHash: hashA},
			"tawthiq-leaf/1\nkind custody\ntype evidence\nid 01JZ4QC5ZB8M2R6T1P9K3S7D0F\nnumber 41\naction received\n" +
				"content " + hashA + "\nretracted false\n", "16734ab6fb637166e778c885d389fc3a290eb7956e4b9e501378ab754ce5e915"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.leaf.Marshal()
			if err != nil || string(got) != c.want {
				t.Fatalf("Marshal = %q, %v\nwant %q", got, err, c.want)
			}
			if h := tlog.RecordHash(got); hex.EncodeToString(h[:]) != c.hash {
				t.Errorf("leaf hash %x, want %s", h, c.hash)
			}
			back, err := ledger.ParseLeaf(got)
			if err != nil || back != c.leaf {
				t.Fatalf("ParseLeaf = %+v, %v; want %+v", back, err, c.leaf)
			}
		})
	}
}

func TestLeafMarshalRefuses(t *testing.T) {
	good := ledger.Leaf{Kind: ledger.KindRevision, Type: "incident", ID: "abc", Number: 1, Action: "create", ContentHash: hashA}
	for _, c := range []struct {
		name string
		edit func(*ledger.Leaf)
	}{
		{"unknown kind", func(l *ledger.Leaf) { l.Kind = "note" }},
		{"empty kind", func(l *ledger.Leaf) { l.Kind = "" }},
		{"newline in id", func(l *ledger.Leaf) { l.ID = "a\nkind audit" }},
		{"space in id", func(l *ledger.Leaf) { l.ID = "a b" }},
		{"e-mail as id", func(l *ledger.Leaf) { l.ID = "someone@example.org" }},
		{"Arabic name as id", func(l *ledger.Leaf) { l.ID = "محمد" }},
		{"empty id", func(l *ledger.Leaf) { l.ID = "" }},
		{"long id", func(l *ledger.Leaf) { l.ID = strings.Repeat("a", 129) }},
		{"upper-case type", func(l *ledger.Leaf) { l.Type = "Incident" }},
		{"empty action", func(l *ledger.Leaf) { l.Action = "" }},
		{"newline in action", func(l *ledger.Leaf) { l.Action = "create\n" }},
		{"negative number", func(l *ledger.Leaf) { l.Number = -1 }},
		{"content without algorithm", func(l *ledger.Leaf) { l.ContentHash = hashA[len("sha256:"):] }},
		{"upper-case content hex", func(l *ledger.Leaf) { l.ContentHash = strings.ToUpper(hashA) }},
		{"short content", func(l *ledger.Leaf) { l.ContentHash = hashA[:70] }},
		{"plaintext personal data", func(l *ledger.Leaf) { l.Personal = "فاطمة" }},
		{"unsalted personal digest", func(l *ledger.Leaf) { l.Personal = hashA }},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := good
			c.edit(&l)
			if b, err := l.Marshal(); !errors.Is(err, ledger.ErrMalformed) {
				t.Fatalf("Marshal = %q, %v; want ErrMalformed", b, err)
			}
		})
	}
	if _, err := good.Marshal(); err != nil {
		t.Fatal(err)
	}
}

func TestParseLeafRefuses(t *testing.T) {
	good := "tawthiq-leaf/1\nkind revision\ntype incident\nid abc\nnumber 1\naction create\ncontent " + hashA + "\nretracted false\n"
	if _, err := ledger.ParseLeaf([]byte(good)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, leaf string }{
		{"empty", ""},
		{"other version", strings.Replace(good, "/1", "/2", 1)},
		{"no final newline", strings.TrimSuffix(good, "\n")},
		{"CRLF", strings.ReplaceAll(good, "\n", "\r\n")},
		{"trailing blank line", good + "\n"},
		{"lines swapped", strings.Replace(good, "type incident\nid abc", "id abc\ntype incident", 1)},
		{"line missing", strings.Replace(good, "action create\n", "", 1)},
		{"unknown line", strings.Replace(good, "retracted false\n", "retracted false\nat 2017-06-05\n", 1)},
		{"two spaces", strings.Replace(good, "id abc", "id  abc", 1)},
		{"tab", strings.Replace(good, "id abc", "id\tabc", 1)},
		{"trailing space", strings.Replace(good, "id abc", "id abc ", 1)},
		{"leading zero", strings.Replace(good, "number 1", "number 01", 1)},
		{"plus sign", strings.Replace(good, "number 1", "number +1", 1)},
		{"overflow", strings.Replace(good, "number 1", "number 9223372036854775808", 1)},
		{"retracted 0", strings.Replace(good, "retracted false", "retracted 0", 1)},
		{"empty personal", good + "personal \n"},
		{"duplicate personal", good + "personal " + hashB + "\npersonal " + hashB + "\n"},
		{"NUL", strings.Replace(good, "abc", "a\x00c", 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if l, err := ledger.ParseLeaf([]byte(c.leaf)); !errors.Is(err, ledger.ErrMalformed) {
				t.Fatalf("ParseLeaf = %+v, %v; want ErrMalformed", l, err)
			}
		})
	}
}

func TestRevisionLeaf(t *testing.T) {
	rev := &record.Revision{RecordID: "01JZ4Q7RM0B2Y5K8E3H6T9W1XC", Revision: 4, Type: record.TypeAct, Action: record.ActionRestore,
		Retracted: false, Body: []byte(`{"name":"not in the leaf"}`), ContentHash: hashA, Author: "analyst-1",
		Reason: "restored after review", CreatedAt: time.Now(), BatchID: "b"}
	l := ledger.RevisionLeaf(rev)
	want := ledger.Leaf{Kind: ledger.KindRevision, Type: "act", ID: rev.RecordID, Number: 4, Action: "restore", ContentHash: hashA}
	if l != want {
		t.Fatalf("RevisionLeaf = %+v, want %+v", l, want)
	}
	b, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"not in the leaf", "analyst-1", "restored"} {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("leaf carries %q", secret)
		}
	}
}

func TestPersonalDigest(t *testing.T) {
	salt := []byte("0123456789abcdef0123456789abcdef")
	a, err := ledger.PersonalDigest(salt, []byte("فاطمة"))
	if err != nil {
		t.Fatal(err)
	}
	// HMAC-SHA256(key=salt, "فاطمة"), computed with Python's hmac module.
	if want := "hmac-sha256:a3defa35a20c9853c5662923830027c8f1337687794b9478d74e0d9c809e8f04"; a != want {
		t.Fatalf("digest %s, want %s", a, want)
	}
	b, _ := ledger.PersonalDigest(append([]byte{1}, salt[1:]...), []byte("فاطمة"))
	if a == b {
		t.Fatal("the digest does not depend on the salt")
	}
	l := ledger.Leaf{Kind: ledger.KindAudit, Type: "person", ID: "p1", Number: 1, Action: "sealed_read", ContentHash: hashA, Personal: a}
	if _, err := l.Marshal(); err != nil {
		t.Fatalf("a PersonalDigest is not a valid personal line: %v", err)
	}
	if _, err := ledger.PersonalDigest(salt[:15], nil); !errors.Is(err, ledger.ErrMalformed) {
		t.Fatalf("short salt: %v, want ErrMalformed", err)
	}
}
