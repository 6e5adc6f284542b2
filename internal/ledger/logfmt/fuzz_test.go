package logfmt_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/tawthiq/tawthiq/internal/ledger/logfmt"
)

// The fuzz targets live here, away from the database, so the fuzzer runs
// at full speed.

const (
	hashA = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	hashB = "hmac-sha256:a3defa35a20c9853c5662923830027c8f1337687794b9478d74e0d9c809e8f04"
)

func testLeaf(i int) logfmt.Leaf {
	sum := sha256.Sum256([]byte(fmt.Sprint("content ", i)))
	l := logfmt.Leaf{Kind: logfmt.KindRevision, Type: "incident", ID: fmt.Sprintf("rec-%d", i/3), Number: int64(i%3 + 1),
		Action: "update", ContentHash: "sha256:" + hex.EncodeToString(sum[:]), Retracted: i%7 == 0}
	if i%5 == 3 {
		l.Kind, l.Type, l.Action, l.Number, l.Retracted = logfmt.KindCustody, "evidence", "received", int64(i), false
	}
	return l
}

// FuzzParseLeaf: never panics; whatever parses marshals back to exactly
// the input bytes, so every leaf has one byte form.
func FuzzParseLeaf(f *testing.F) {
	for i := 0; i < 5; i++ {
		b, _ := testLeaf(i).Marshal()
		f.Add(b)
	}
	f.Add([]byte("tawthiq-leaf/1\nkind revision\n"))
	f.Add([]byte("tawthiq-leaf/1\nkind revision\ntype a\nid b\nnumber 0\naction c\ncontent " + hashA + "\nretracted true\npersonal " + hashB + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := logfmt.ParseLeaf(data)
		if err != nil {
			if !errors.Is(err, logfmt.ErrMalformed) {
				t.Fatalf("error is not ErrMalformed: %v", err)
			}
			return
		}
		out, err := l.Marshal()
		if err != nil {
			t.Fatalf("parsed leaf does not marshal: %v", err)
		}
		if !bytes.Equal(out, data) {
			t.Fatalf("Marshal(ParseLeaf(%q)) = %q", data, out)
		}
		if len(out) > 0xffff {
			t.Fatalf("leaf of %d bytes does not fit an entry bundle", len(out))
		}
	})
}

// FuzzParseCheckpoint: never panics; what parses re-marshals to the
// first three lines of its input and parses back to itself.
func FuzzParseCheckpoint(f *testing.F) {
	root := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	f.Add([]byte("example.com/log\n5\n" + root + "\n"))
	f.Add([]byte("example.com/log\n0\n" + root + "\next\n"))
	f.Add([]byte("a\n01\n" + root + "\n"))
	f.Add([]byte("a\n1\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		cp, err := logfmt.ParseCheckpoint(body)
		if err != nil {
			if !errors.Is(err, logfmt.ErrMalformed) {
				t.Fatalf("error is not ErrMalformed: %v", err)
			}
			return
		}
		out := cp.Marshal()
		if !bytes.HasPrefix(body, out) {
			t.Fatalf("Marshal %q is not a prefix of %q", out, body)
		}
		again, err := logfmt.ParseCheckpoint(out)
		if err != nil || again != cp {
			t.Fatalf("round trip: %+v, %v; want %+v", again, err, cp)
		}
	})
}
