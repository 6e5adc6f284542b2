package logfmt

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is the body of a signed tree head in the C2SP
// tlog-checkpoint format (c2sp.org/tlog-checkpoint@v1.0.0):
//
//	<origin>\n<decimal size>\n<base64 RFC 6962 root>\n[extension lines\n]
//
// The log writes no extension lines; the parser accepts and drops them,
// as the spec allows.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
}

// Marshal is the checkpoint's note text, the bytes that get signed.
func (c Checkpoint) Marshal() []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

// ParseCheckpoint reads a checkpoint note text (without the signatures).
// Malformed input is ErrMalformed.
func ParseCheckpoint(body []byte) (Checkpoint, error) {
	bad := func(what string) (Checkpoint, error) {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint %s", ErrMalformed, what)
	}
	if !utf8.Valid(body) {
		return bad("is not UTF-8")
	}
	if len(body) == 0 || body[len(body)-1] != '\n' {
		return bad("must end with a newline")
	}
	lines := strings.Split(string(body[:len(body)-1]), "\n")
	if len(lines) < 3 {
		return bad("needs origin, size and root lines")
	}
	for _, l := range lines {
		if l == "" {
			return bad("has an empty line")
		}
		if strings.ContainsFunc(l, unicode.IsControl) {
			return bad("has a control character")
		}
	}
	c := Checkpoint{Origin: lines[0]}
	if !isDecimal(lines[1]) {
		return bad("size is not a decimal number without leading zeros")
	}
	c.Size, _ = strconv.ParseInt(lines[1], 10, 64)
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize || base64.StdEncoding.EncodeToString(root) != lines[2] {
		return bad("root is not the base64 of a 32-byte hash")
	}
	copy(c.Root[:], root)
	return c, nil
}

// GenerateKey makes an Ed25519 signed-note key pair named origin (a
// schema-less URL such as "tawthiq.example/log"): skey is the private key
// text New takes, vkey the public verifier key to publish.
func GenerateKey(origin string) (skey, vkey string, err error) {
	if !ValidOrigin(origin) {
		return "", "", fmt.Errorf("%w: origin %q must be non-empty UTF-8 without spaces or +", ErrMalformed, origin)
	}
	return note.GenerateKey(rand.Reader, origin)
}

// ValidOrigin reports whether s can be a checkpoint origin (a key name).
func ValidOrigin(s string) bool {
	return s != "" && utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsSpace) &&
		!strings.ContainsFunc(s, unicode.IsControl) && !strings.Contains(s, "+")
}

// VerifierKey derives the public verifier key from a private signer key,
// so a log needs only its secret to publish its vkey.
func VerifierKey(skey string) (string, error) {
	// PRIVATE+KEY+<name>+<hash>+<base64(alg || seed)>, as note.NewSigner reads it.
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 {
		return "", fmt.Errorf("%w: signer key", ErrMalformed)
	}
	key, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != 1 {
		return "", fmt.Errorf("%w: signer key is not an Ed25519 note key", ErrMalformed)
	}
	pub := ed25519.NewKeyFromSeed(key[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
}

// VerifyCheckpoint opens a signed checkpoint with the log's verifier key
// and returns its body. It fails (ErrVerify) unless the note carries a
// valid signature by that key and the origin line is the key's name;
// signatures by other keys (witnesses) are ignored.
func VerifyCheckpoint(signed []byte, vkey string) (Checkpoint, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: verifier key: %v", ErrMalformed, err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint signature: %v", ErrVerify, err)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, fmt.Errorf("%w: checkpoint origin %q is not the key's name %q", ErrVerify, c.Origin, v.Name())
	}
	return c, nil
}

// VerifyInclusion checks that leaf (its bytes, as served) is entry idx of
// the tree cp describes.
func VerifyInclusion(cp Checkpoint, idx int64, leaf []byte, proof tlog.RecordProof) error {
	if idx < 0 || idx >= cp.Size {
		return fmt.Errorf("%w: index %d is outside a tree of size %d", ErrVerify, idx, cp.Size)
	}
	if err := tlog.CheckRecord(proof, cp.Size, cp.Root, idx, tlog.RecordHash(leaf)); err != nil {
		return fmt.Errorf("%w: inclusion of %d in %d: %v", ErrVerify, idx, cp.Size, err)
	}
	return nil
}

// VerifyConsistency checks that the tree of newer is an append-only
// extension of the tree of older: what a witness checks before it
// cosigns, and what anyone holding two checkpoints should check.
func VerifyConsistency(older, newer Checkpoint, proof tlog.TreeProof) error {
	switch {
	case older.Origin != newer.Origin:
		return fmt.Errorf("%w: checkpoints of two logs (%q, %q)", ErrVerify, older.Origin, newer.Origin)
	case older.Size > newer.Size:
		return fmt.Errorf("%w: size %d is larger than %d", ErrVerify, older.Size, newer.Size)
	case older.Size == 0:
		if len(proof) != 0 {
			return fmt.Errorf("%w: proof from the empty tree must be empty", ErrVerify)
		}
		return nil
	}
	if err := tlog.CheckTree(proof, newer.Size, newer.Root, older.Size, older.Root); err != nil {
		return fmt.Errorf("%w: consistency %d → %d: %v", ErrVerify, older.Size, newer.Size, err)
	}
	return nil
}
