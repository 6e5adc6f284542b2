package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := hashPassword([]byte(pw), cheap)
	if err != nil {
		t.Fatal(err)
	}
	p, salt, key, err := parsePHC(h)
	if err != nil || p != cheap || len(salt) != saltLen || len(key) != keyLen {
		t.Fatalf("parse %v %v %d %d", err, p, len(salt), len(key))
	}
	if encodePHC(p, salt, key) != h {
		t.Fatal("encode does not give back the hash")
	}
	ok, stale, err := verifyPassword(h, []byte(pw), cheap)
	if !ok || stale || err != nil {
		t.Fatalf("verify %v %v %v", ok, stale, err)
	}
	ok, _, _ = verifyPassword(h, []byte(pw+" "), cheap)
	if ok {
		t.Fatal("wrong password accepted")
	}
	if _, stale, _ := verifyPassword(h, []byte(pw), DefaultParams); !stale {
		t.Fatal("other params not stale")
	}
	h2, _ := hashPassword([]byte(pw), cheap)
	if h2 == h {
		t.Fatal("two hashes share a salt")
	}
}

func TestDefaultParamsFormat(t *testing.T) {
	h := encodePHC(DefaultParams, make([]byte, 16), make([]byte, 32))
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatal(h)
	}
}

const (
	salt16 = "AAAAAAAAAAAAAAAAAAAAAA"                      // 16 zero bytes
	key32  = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 32 zero bytes
)

func TestParsePHCRejectsMalformed(t *testing.T) {
	good := "$argon2id$v=19$m=8192,t=1,p=1$" + salt16 + "$" + key32
	if _, _, _, err := parsePHC(good); err != nil {
		t.Fatalf("good hash refused: %v", err)
	}
	bad := map[string]string{
		"empty":             "",
		"plain text":        "hunter2",
		"argon2i":           "$argon2i$v=19$m=8192,t=1,p=1$" + salt16 + "$" + key32,
		"bcrypt":            "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"version 16":        "$argon2id$v=16$m=8192,t=1,p=1$" + salt16 + "$" + key32,
		"no version":        "$argon2id$m=8192,t=1,p=1$" + salt16 + "$" + key32,
		"params reordered":  "$argon2id$v=19$t=1,m=8192,p=1$" + salt16 + "$" + key32,
		"param missing":     "$argon2id$v=19$m=8192,t=1$" + salt16 + "$" + key32,
		"param extra":       "$argon2id$v=19$m=8192,t=1,p=1,k=2$" + salt16 + "$" + key32,
		"time zero":         "$argon2id$v=19$m=8192,t=0,p=1$" + salt16 + "$" + key32,
		"threads zero":      "$argon2id$v=19$m=8192,t=1,p=0$" + salt16 + "$" + key32,
		"threads overflow":  "$argon2id$v=19$m=8192,t=1,p=256$" + salt16 + "$" + key32,
		"memory too small":  "$argon2id$v=19$m=4,t=1,p=1$" + salt16 + "$" + key32,
		"memory huge":       "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt16 + "$" + key32,
		"memory overflow":   "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt16 + "$" + key32,
		"leading zero":      "$argon2id$v=19$m=08192,t=1,p=1$" + salt16 + "$" + key32,
		"plus sign":         "$argon2id$v=19$m=+8192,t=1,p=1$" + salt16 + "$" + key32,
		"negative":          "$argon2id$v=19$m=8192,t=-1,p=1$" + salt16 + "$" + key32,
		"space":             "$argon2id$v=19$m=8192, t=1,p=1$" + salt16 + "$" + key32,
		"padded salt":       "$argon2id$v=19$m=8192,t=1,p=1$" + salt16 + "==$" + key32,
		"url base64":        "$argon2id$v=19$m=8192,t=1,p=1$" + salt16 + "$" + key32[:40] + "-_A",
		"short salt":        "$argon2id$v=19$m=8192,t=1,p=1$AAAA$" + key32,
		"short key":         "$argon2id$v=19$m=8192,t=1,p=1$" + salt16 + "$AAAAAAAA",
		"no key":            "$argon2id$v=19$m=8192,t=1,p=1$" + salt16,
		"extra field":       good + "$AAAA",
		"no leading dollar": good[1:],
		"trailing newline":  good + "\n",
	}
	for name, h := range bad {
		t.Run(name, func(t *testing.T) {
			if _, _, _, err := parsePHC(h); err == nil {
				t.Fatal("accepted")
			}
			ok, _, err := verifyPassword(h, []byte(pw), cheap)
			if ok || err == nil {
				t.Fatal("verify accepted")
			}
			if h != "" && strings.Contains(err.Error(), h) {
				t.Fatal("hash in error")
			}
		})
	}
}

// FuzzParsePHC: no input panics, and whatever is accepted is written back
// the same, so there is one spelling of each hash.
func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=8192,t=1,p=1$" + salt16 + "$" + key32)
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := parsePHC(s)
		if err != nil {
			return
		}
		if got := encodePHC(p, salt, key); got != s {
			t.Fatalf("parsed %q, wrote back %q", s, got)
		}
	})
}
