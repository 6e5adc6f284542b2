// Package vault keeps evidence originals, addressed by the SHA-256 of their
// bytes, in a blobstore.Store.
//
// Invariants:
//   - The vault computes the hash itself while it reads the upload, before
//     anything reaches the store, and stores the bytes only under the key of
//     that hash. No backend can therefore store the wrong bytes under a
//     hash, and Verify can prove at any time that it did not.
//   - Originals are never modified, overwritten or deleted: the store is
//     write-once and has no Delete. Working copies (PublishedCopy) are new
//     objects with their own hash; the original stays intact byte for byte.
//   - An upload that is too large, shorter than declared or not the declared
//     hash leaves nothing in the store and nothing in the staging folder.
//   - Memory stays flat whatever the size: bytes are streamed through a
//     fixed buffer to a staging file, which is then linked into the store
//     (blobstore.FilePutter) or streamed to it.
//   - Error messages name hashes, sizes and keys, never file contents.
//
// The vault does not record who did what: the caller appends the custody
// event (internal/evidence) for every Put, Open, Verify and PublishedCopy.
package vault

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/blobstore"
)

// Sentinel errors, wrapped with %w and context. What the caller should do is
// given with each.
var (
	// ErrTooLarge: the upload is over the vault's size limit or longer than
	// its declared size. Nothing was stored; reject it (HTTP 413) and tell
	// the sender the limit.
	ErrTooLarge = errors.New("vault: upload too large")
	// ErrTruncated: the upload ended before its declared size, usually a cut
	// connection. Nothing was stored; ask the sender to upload it again.
	ErrTruncated = errors.New("vault: upload shorter than its declared size")
	// ErrHashMismatch: the bytes do not hash to the declared SHA-256: they
	// were damaged or changed on the way. Nothing was stored; ask the sender
	// to upload it again and record the mismatch.
	ErrHashMismatch = errors.New("vault: upload does not match its declared sha256")
	// ErrBadHash: a string given as a SHA-256 is not 64 hex digits. Input
	// error (HTTP 400); nothing was read or stored.
	ErrBadHash = errors.New("vault: not a sha256 hex digest")
	// ErrNotFound: the vault holds no original with this hash (HTTP 404).
	ErrNotFound = errors.New("vault: not found")
	// ErrCorrupt: the stored bytes no longer hash to their key. Evidence is
	// damaged: stop using the blob, alert an operator and restore it from a
	// replica; record the failed integrity check.
	ErrCorrupt = errors.New("vault: stored bytes do not match their sha256")
	// ErrUnsupported: the vault cannot make this kind of working copy for
	// this type of file. Publish nothing for it.
	ErrUnsupported = errors.New("vault: unsupported file type")
)

const (
	stagingPrefix = "put-" // staging files; Sweep removes leftovers
	lockGrace     = 10 * time.Second
	repairPrefix  = "repair-" // good copies of corrupt blobs; never swept
	copyBufSize   = 1 << 20
	keyPrefix     = "sha256/"
)

// Vault stores originals in a blobstore.Store. It is safe for concurrent use.
type Vault struct {
	blobs   blobstore.Store
	tempDir string
	maxSize int64
}

// New returns a vault over blobs. tempDir is where uploads are staged while
// they are hashed (created 0700 on first use). Put it on a disk with room
// for the largest upload and, for the fs store, on the store's filesystem,
// so a staged file is linked into place instead of being written twice. maxSize is the largest upload accepted, in
// bytes; maxSize <= 0 means no limit, for trusted local ingest only.
func New(blobs blobstore.Store, tempDir string, maxSize int64) *Vault {
	return &Vault{blobs: blobs, tempDir: tempDir, maxSize: maxSize}
}

// PutOptions describe an upload. The declared values are optional (zero
// means not declared); when given, they are checked.
type PutOptions struct {
	Name           string // original file name; kept (sanitised) for display, never used as a path
	DeclaredSHA256 string // hex SHA-256 the sender computed
	DeclaredSize   int64  // size in bytes the sender announced
	// Inspect, when set, is called with the path of the complete, checked
	// and synced staging file before it is stored — the one moment the
	// bytes are on local disk whatever the store — so metadata can be read
	// (Extract) without reading the upload twice. It must only read the
	// file.
	Inspect func(path string, it Item)
}

// Item describes a stored original.
type Item struct {
	SHA256  string // lowercase hex
	Size    int64
	MIME    string // detected from the content, not from the name
	Name    string // sanitised PutOptions.Name; empty from Open
	Existed bool   // the vault already held these bytes (best effort under concurrent first uploads)
}

// Key returns the blobstore key of the original with this hash,
// "sha256/ab/cd/<hex>", or "" (which every store rejects) if sha is not 64
// lowercase hex digits.
func Key(sha string) string {
	if !validSHA(sha) {
		return ""
	}
	return keyPrefix + sha[0:2] + "/" + sha[2:4] + "/" + sha
}

func validSHA(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func checkSHA(s string) error {
	if !validSHA(s) {
		return fmt.Errorf("%w: %.80q", ErrBadHash, s)
	}
	return nil
}

// Put reads r to the end (or to the limit) and stores the bytes as an
// original. See the package invariants; errors are the sentinels above or
// I/O errors.
func (v *Vault) Put(ctx context.Context, r io.Reader, o PutOptions) (Item, error) {
	return v.put(ctx, r, o, v.maxSize)
}

// put is Put with the size limit given (<= 0: none).
func (v *Vault) put(ctx context.Context, r io.Reader, o PutOptions, maxSize int64) (Item, error) {
	declared := strings.ToLower(strings.TrimSpace(o.DeclaredSHA256))
	if declared != "" {
		if err := checkSHA(declared); err != nil {
			return Item{}, fmt.Errorf("vault: declared hash: %w", err)
		}
	}
	// Read at most one byte past the tighter of the two limits: enough to
	// know it was exceeded, never more.
	limit := maxSize
	if o.DeclaredSize > 0 && (limit <= 0 || o.DeclaredSize < limit) {
		limit = o.DeclaredSize
	}
	if maxSize > 0 && o.DeclaredSize > maxSize {
		return Item{}, fmt.Errorf("%w: declared %d bytes, limit %d", ErrTooLarge, o.DeclaredSize, maxSize)
	}

	st, err := v.stage(ctx, r, limit)
	if err != nil {
		return Item{}, err
	}
	defer st.remove()
	if err := checkStaged(st, maxSize, declared, o.DeclaredSize); err != nil {
		return Item{}, err
	}
	if err := st.finish(); err != nil {
		return Item{}, err
	}
	it := Item{SHA256: st.sha, Size: st.size, MIME: st.mime, Name: cleanName(o.Name)}
	if o.Inspect != nil {
		o.Inspect(st.f.Name(), it)
	}
	if it.Existed, err = v.store(ctx, st); err != nil {
		return Item{}, err
	}
	return it, nil
}

func checkStaged(st *staged, maxSize int64, declared string, declaredSize int64) error {
	switch {
	case maxSize > 0 && st.size > maxSize:
		return fmt.Errorf("%w: over the limit of %d bytes", ErrTooLarge, maxSize)
	case declaredSize > 0 && st.size > declaredSize:
		return fmt.Errorf("%w: longer than its declared %d bytes", ErrTooLarge, declaredSize)
	case declaredSize > 0 && st.size < declaredSize:
		return fmt.Errorf("%w: got %d of %d bytes", ErrTruncated, st.size, declaredSize)
	case declared != "" && declared != st.sha:
		return fmt.Errorf("%w: declared %s, got %s", ErrHashMismatch, declared, st.sha)
	}
	return nil
}

// store puts the staged file into the blobstore and reports whether the
// store already had it.
func (v *Vault) store(ctx context.Context, st *staged) (existed bool, err error) {
	key := Key(st.sha)
	size, err := v.blobs.Stat(ctx, key)
	switch {
	case err == nil:
		existed = true
		if size != st.size {
			return true, v.keepForRepair(st, size)
		}
	case !errors.Is(err, blobstore.ErrNotFound):
		return false, fmt.Errorf("vault: put sha256:%s: %w", st.sha, err)
	}
	// When the blob exists the store compares instead of writing: a free
	// integrity check of the stored copy against a fresh one.
	if err := v.putStaged(ctx, key, st); err != nil {
		if errors.Is(err, blobstore.ErrExists) {
			return existed, v.keepForRepair(st, size)
		}
		return existed, fmt.Errorf("vault: put sha256:%s: %w", st.sha, err)
	}
	n, err := v.blobs.Stat(ctx, key)
	if err != nil {
		return existed, fmt.Errorf("vault: put sha256:%s: %w", st.sha, err)
	}
	if n != st.size {
		return existed, fmt.Errorf("vault: put sha256:%s: the store holds %d of %d bytes: %w", st.sha, n, st.size, ErrCorrupt)
	}
	return existed, nil
}

// putStaged hands the staged file to the store: by name if the store can
// take a file without copying it, else as a stream.
func (v *Vault) putStaged(ctx context.Context, key string, st *staged) error {
	if fp, ok := v.blobs.(blobstore.FilePutter); ok {
		return fp.PutFile(ctx, key, st.f.Name())
	}
	if _, err := st.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return v.blobs.Put(ctx, key, st.f)
}

// keepForRepair is called when the stored blob differs from a fresh upload
// that hashes to its key: the stored copy is damaged. The fresh copy is the
// good one, so it is kept next to the staging files for an operator.
func (v *Vault) keepForRepair(st *staged, storedSize int64) error {
	good := filepath.Join(v.tempDir, repairPrefix+st.sha)
	if err := os.Rename(st.f.Name(), good); err != nil {
		return fmt.Errorf("vault: sha256:%s: stored copy (%d bytes) differs from a fresh upload of the same hash, and keeping the fresh copy failed (%v): %w", st.sha, storedSize, err, ErrCorrupt)
	}
	st.kept = true
	return fmt.Errorf("vault: sha256:%s: stored copy (%d bytes) differs from a fresh upload of the same hash; the good copy is kept at %s: %w", st.sha, storedSize, good, ErrCorrupt)
}

// staged is an upload in the staging folder.
type staged struct {
	f    *os.File
	sha  string
	size int64
	mime string
	kept bool // renamed away for repair; do not remove
}

func (s *staged) remove() {
	s.f.Close()
	if !s.kept {
		os.Remove(s.f.Name())
	}
}

// stage copies at most limit+1 bytes of r (all of r if limit <= 0) into a
// new staging file, hashing as it goes.
func (v *Vault) stage(ctx context.Context, r io.Reader, limit int64) (st *staged, err error) {
	if err := os.MkdirAll(v.tempDir, 0o700); err != nil {
		return nil, fmt.Errorf("vault: staging folder: %w", err)
	}
	f, err := os.CreateTemp(v.tempDir, stagingPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("vault: staging file: %w", err)
	}
	if err := lockStaging(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("vault: staging file cannot be locked (is %s on a filesystem without locks?): %w", v.tempDir, err)
	}
	st = &staged{f: f}
	if limit > 0 {
		r = io.LimitReader(r, limit+1)
	}
	h := sha256.New()
	n, err := copyBuffer(ctx, io.MultiWriter(f, h), r)
	if err != nil {
		st.remove()
		return nil, fmt.Errorf("vault: reading upload after %d bytes: %w", n, err)
	}
	st.sha, st.size = hex.EncodeToString(h.Sum(nil)), n
	return st, nil
}

// finish makes the staged bytes durable and detects their MIME type.
func (s *staged) finish() error {
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("vault: staging file: %w", err)
	}
	head := make([]byte, sniffLen)
	k, err := s.f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return fmt.Errorf("vault: staging file: %w", err)
	}
	s.mime = detectMIME(head[:k])
	return nil
}

// copyBuffer copies through one fixed buffer, checking ctx between reads.
// (io.CopyBuffer would hand over to ReaderFrom/WriterTo where ctx is not
// seen.)
func copyBuffer(ctx context.Context, w io.Writer, r io.Reader) (int64, error) {
	buf := make([]byte, copyBufSize)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		nr, rerr := r.Read(buf)
		if nr > 0 {
			nw, werr := w.Write(buf[:nr])
			n += int64(nw)
			if werr != nil {
				return n, werr
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// Open returns the original with this hash. The caller closes the reader.
// The bytes are not re-hashed here (see Verify); Item.Name is empty.
func (v *Vault) Open(ctx context.Context, sha string) (io.ReadCloser, Item, error) {
	if err := checkSHA(sha); err != nil {
		return nil, Item{}, err
	}
	size, err := v.blobs.Stat(ctx, Key(sha))
	if err != nil {
		return nil, Item{}, v.notFound(sha, err)
	}
	rc, err := v.blobs.Get(ctx, Key(sha))
	if err != nil {
		return nil, Item{}, v.notFound(sha, err)
	}
	br := bufio.NewReaderSize(rc, 4096)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		rc.Close()
		return nil, Item{}, fmt.Errorf("vault: open sha256:%s: %w", sha, err)
	}
	it := Item{SHA256: sha, Size: size, MIME: detectMIME(head), Existed: true}
	return readCloser{br, rc}, it, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

func (v *Vault) notFound(sha string, err error) error {
	if errors.Is(err, blobstore.ErrNotFound) {
		return fmt.Errorf("vault: sha256:%s: %w", sha, ErrNotFound)
	}
	return fmt.Errorf("vault: sha256:%s: %w", sha, err)
}

// Verify re-reads the stored bytes of sha and checks they still hash to it
// (a fixity check). A mismatch is ErrCorrupt, naming the hash; the caller
// records the outcome as a custody event either way.
func (v *Vault) Verify(ctx context.Context, sha string) error {
	if err := checkSHA(sha); err != nil {
		return err
	}
	rc, err := v.blobs.Get(ctx, Key(sha))
	if err != nil {
		return v.notFound(sha, err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := copyBuffer(ctx, h, rc)
	if err != nil {
		return fmt.Errorf("vault: verify sha256:%s: %w", sha, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("vault: verify sha256:%s: the %d stored bytes hash to %s: %w", sha, n, got, ErrCorrupt)
	}
	return nil
}

// Walk calls fn for every stored original (and working copy: they are
// stored the same way), in no particular order. It stops at fn's first
// error and returns it unchanged. A key under sha256/ that does not belong
// to a hash is reported as an error: nothing else writes there.
func (v *Vault) Walk(ctx context.Context, fn func(sha string, size int64) error) error {
	return v.blobs.List(ctx, keyPrefix, func(key string, size int64) error {
		sha := key[strings.LastIndexByte(key, '/')+1:]
		if Key(sha) != key {
			return fmt.Errorf("vault: walk: unexpected key %q in the store", key)
		}
		return fn(sha, size)
	})
}

// Sweep removes staging files older than olderThan that a crash or a kill
// left behind. Choose olderThan longer than any upload can take, or run it
// before serving. Good copies kept for repair (see ErrCorrupt) are never
// removed. It returns how many files it removed.
//
// On Unix a staging file is locked while its upload runs: a locked file
// is never removed, whatever its age, and one whose writer died (a kill,
// a crash, a power cut) is removed lockGrace after it was last written (or
// olderThan, if shorter).
// Elsewhere olderThan decides.
func (v *Vault) Sweep(ctx context.Context, olderThan time.Duration) (int, error) {
	entries, err := os.ReadDir(v.tempDir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("vault: sweep: %w", err)
	}
	cutoff := time.Now().Add(-olderThan)
	removed := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), stagingPrefix) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // gone already
		}
		path := filepath.Join(v.tempDir, e.Name())
		switch {
		case locksWork:
			// A live upload holds its file's lock however long it takes;
			// a file nobody holds is a dead upload's once it is lockGrace
			// old, or olderThan if that is less (a new upload takes its
			// lock at once; the grace covers the instant before).
			if !abandoned(path) || time.Since(fi.ModTime()) < min(olderThan, lockGrace) {
				continue
			}
		case !fi.ModTime().Before(cutoff):
			continue // maybe still being written
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("vault: sweep: %w", err)
		}
		removed++
	}
	return removed, nil
}

// cleanName keeps an uploaded file name for display: the last path element,
// without control or bidi formatting characters (which can disguise an
// extension, "photo\u202Egpj.exe"), trimmed, at most 255 bytes. It is never
// used as a path.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		// Keep ZWNJ and ZWJ: Persian and Arabic names use them.
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

// MaxSize is the largest upload Put accepts, in bytes (<= 0: no limit).
// Callers that take an upload in pieces refuse a larger one up front.
func (v *Vault) MaxSize() int64 { return v.maxSize }

// Blobs is the store the vault keeps its bytes in.
func (v *Vault) Blobs() blobstore.Store { return v.blobs }
