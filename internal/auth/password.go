package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id costs. They are written into every hash, so a
// hash made with old costs still verifies and is redone with the current
// ones at the next sign-in.
type Params struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory in KiB
	Threads   uint8  // lanes
}

// DefaultParams follow RFC 9106's second recommendation: t=3, 64 MiB, p=2
// here (it says 4 lanes; 2 keeps a small server responsive under several
// sign-ins at once, and costs an attacker the same memory).
var DefaultParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

const (
	saltLen = 16
	keyLen  = 32
	// Bounds on costs read back from a stored hash, so a damaged or
	// planted row cannot make one sign-in take the machine's memory.
	maxMemoryKiB = 4 << 20 // 4 GiB
	maxTime      = 1000
)

var b64 = base64.RawStdEncoding.Strict()

// errHashFormat is returned for a stored hash that is not an argon2id PHC
// string this package can read. It never quotes the hash.
var errHashFormat = errors.New("auth: stored password hash is malformed")

// hashPassword returns the PHC string of pw under p with a fresh salt:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<key>.
func hashPassword(pw []byte, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey(pw, salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	return encodePHC(p, salt, key), nil
}

func encodePHC(p Params, salt, key []byte) string {
	return "$argon2id$v=" + strconv.Itoa(argon2.Version) +
		"$m=" + strconv.FormatUint(uint64(p.MemoryKiB), 10) +
		",t=" + strconv.FormatUint(uint64(p.Time), 10) +
		",p=" + strconv.FormatUint(uint64(p.Threads), 10) +
		"$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
}

// parsePHC reads an argon2id PHC string. It accepts only the form
// encodePHC writes: version 19, parameters m, t, p in that order in plain
// decimal, salt and key in unpadded standard base64.
func parsePHC(s string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, errHashFormat
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return Params{}, nil, nil, errHashFormat
	}
	m, ok1 := phcUint(kv[0], "m=", 32)
	t, ok2 := phcUint(kv[1], "t=", 32)
	th, ok3 := phcUint(kv[2], "p=", 8)
	if !ok1 || !ok2 || !ok3 {
		return Params{}, nil, nil, errHashFormat
	}
	p = Params{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(th)}
	if p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB {
		return Params{}, nil, nil, errHashFormat
	}
	if salt = phcBase64(parts[4]); len(salt) < 8 || len(salt) > 64 {
		return Params{}, nil, nil, errHashFormat
	}
	if key = phcBase64(parts[5]); len(key) < 16 || len(key) > 64 {
		return Params{}, nil, nil, errHashFormat
	}
	return p, salt, key, nil
}

// phcBase64 decodes unpadded standard base64, nil if s is anything else.
// Decoding and encoding again refuses the line breaks the decoder skips.
func phcBase64(s string) []byte {
	b, err := b64.DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil
	}
	return b
}

// phcUint reads "name=digits", refusing signs, leading zeros and overflow.
func phcUint(s, name string, bits int) (uint64, bool) {
	d, ok := strings.CutPrefix(s, name)
	if !ok || d == "" || (len(d) > 1 && d[0] == '0') {
		return 0, false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(d, 10, bits)
	return v, err == nil
}

// verifyPassword reports whether pw matches the PHC string, comparing in
// constant time, and whether the hash should be redone under want (its
// costs or lengths differ).
func verifyPassword(encoded string, pw []byte, want Params) (ok, stale bool, err error) {
	p, salt, key, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey(pw, salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	stale = p != want || len(salt) != saltLen || len(key) != keyLen
	return ok, stale, nil
}
