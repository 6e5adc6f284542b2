// Package blobstore is a small interface to a store of immutable byte
// objects, with one implementation per backend (fs/ for a local folder; an S3
// implementation later) and one shared test suite, blobstoretest, that every
// implementation runs.
//
// Invariants every Store keeps:
//   - Put is atomic: a reader sees all of an object or nothing, even if the
//     process dies in the middle of a Put.
//   - A key, once written, never changes: putting the same bytes again is a
//     no-op, putting different bytes fails with ErrExists.
//   - Nothing is ever deleted through this interface (there is no Delete):
//     evidence is kept.
//   - Keys are validated by CheckKey before any I/O, so a key can never name
//     anything outside the store.
//
// A Store does not know what its bytes mean. Checking that the bytes under a
// key are the right ones (for example that they hash to the key) is the job
// of the layer above, internal/vault, so that no backend can get it wrong.
package blobstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Sentinel errors. Implementations wrap them with %w and context.
var (
	// ErrNotFound: no object has this key. Callers treat it as "absent"
	// (HTTP 404), never as an I/O failure.
	ErrNotFound = errors.New("blobstore: not found")
	// ErrExists: the key already holds different bytes. Nothing was changed.
	// For content-addressed keys this means the stored copy is damaged;
	// callers must not retry and should raise it with an operator.
	ErrExists = errors.New("blobstore: key already holds different bytes")
	// ErrBadKey: the key or prefix breaks the rules of CheckKey. It is a
	// programming or input error (HTTP 400); nothing was read or written.
	ErrBadKey = errors.New("blobstore: bad key")
)

// MaxKeyLen is the longest key a Store accepts, in bytes. It fits S3's
// 1024-byte object key limit with room for a bucket prefix.
const MaxKeyLen = 512

// Store holds immutable objects under keys. All methods are safe for
// concurrent use.
type Store interface {
	// Put stores everything r yields under key, atomically: readers see all
	// of it or nothing. If key already holds the same bytes, Put is a no-op
	// and returns nil; a Store never overwrites a key with different bytes
	// (ErrExists). If r fails or ctx ends before r is drained, Put returns
	// that error and stores nothing.
	Put(ctx context.Context, key string, r io.Reader) error
	// Get opens the object under key; the caller closes it. ErrNotFound if
	// there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat returns the object's size in bytes. ErrNotFound if there is none.
	Stat(ctx context.Context, key string) (size int64, err error)
	// List calls fn for every key that starts with prefix (a plain string
	// prefix, "" for all), one call at a time, in no particular order. An
	// object becomes visible to List only once its Put has completed. If fn
	// returns an error, List stops and returns that error unchanged.
	List(ctx context.Context, prefix string, fn func(key string, size int64) error) error
}

// FilePutter is implemented by stores that can take in a finished local
// file more cheaply than by copying it (fs: a hard link, so a multi-GB
// original is written to disk once, not twice). PutFile has the semantics
// of Put over the file's bytes. The file becomes the object: the caller
// must not change it afterwards, though it may remove its own name for it.
type FilePutter interface {
	PutFile(ctx context.Context, key string, path string) error
}

// CheckKey reports whether key is acceptable to every Store: 1 to MaxKeyLen
// bytes of [a-z0-9/._-], made of non-empty '/'-separated segments, none of
// which starts with '.' (so no "." or ".." segment, no hidden file, and
// implementations may keep their own bookkeeping under dot-names). The
// error wraps ErrBadKey and quotes the key (keys are never secret).
func CheckKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return fmt.Errorf("%w: length %d not in 1..%d", ErrBadKey, len(key), MaxKeyLen)
	}
	if err := checkChars(key); err != nil {
		return err
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" {
			return fmt.Errorf("%w: %q has an empty segment (leading, trailing or double '/')", ErrBadKey, key)
		}
		if seg[0] == '.' {
			return fmt.Errorf("%w: %q has a segment starting with '.'", ErrBadKey, key)
		}
	}
	return nil
}

// CheckPrefix reports whether prefix is acceptable to List: "" or a string
// that could begin a valid key ("sha256/", "sha256/ab", "sha256/ab/c"). The
// error wraps ErrBadKey.
func CheckPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	// Any string that begins a valid key stays valid with one more letter.
	if len(prefix) >= MaxKeyLen || CheckKey(prefix+"x") != nil {
		return fmt.Errorf("%w: prefix %q cannot begin a valid key", ErrBadKey, prefix)
	}
	return nil
}

func checkChars(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '/', c == '.', c == '_', c == '-':
		default:
			return fmt.Errorf("%w: %q has byte 0x%02x at %d (allowed: a-z 0-9 / . _ -)", ErrBadKey, s, c, i)
		}
	}
	if strings.Contains(s, "..") {
		return fmt.Errorf("%w: %q contains \"..\"", ErrBadKey, s)
	}
	return nil
}
