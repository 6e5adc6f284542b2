// Package fs is a blobstore.Store in a local folder: one file per key, at
// the key's path under the root.
//
// Atomicity: Put writes into a temporary file under <root>/.tmp, fsyncs it,
// then hard-links it to the key's path (link fails if the path exists, so an
// object can never be overwritten, not even by a concurrent Put) and fsyncs
// the directory. A crash leaves at most a temporary file, which Get and List
// never see (keys cannot start with '.') and Sweep removes. The folder must
// be on a filesystem with hard links (any POSIX filesystem, NTFS).
//
// PutFile (blobstore.FilePutter) links a caller's finished file into place
// the same way, so the vault's staged upload is not written a second time.
//
// Files are created 0600 and directories 0700: evidence is readable only by
// the account that runs the server.
package fs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tawthiq/tawthiq/internal/blobstore"
)

const (
	tmpDir    = ".tmp" // under the root; not a valid key segment
	tmpPrefix = "put-"
	dirPerm   = 0o700
	bufSize   = 256 << 10
)

// Store is a blobstore.Store rooted at a folder.
type Store struct {
	root string
}

// New opens the store at root, creating the folder (0700) if needed.
func New(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("blobstore/fs: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(abs, tmpDir), dirPerm); err != nil {
		return nil, fmt.Errorf("blobstore/fs: create %s: %w", abs, err)
	}
	return &Store{root: abs}, nil
}

// Root returns the folder the store lives in.
func (s *Store) Root() string { return s.root }

// path maps a checked key to its file; CheckKey guarantees it stays under root.
func (s *Store) path(key string) string {
	return filepath.Join(s.root, filepath.FromSlash(key))
}

// Put implements blobstore.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader) error {
	if err := blobstore.CheckKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dst := s.path(key)
	if _, err := os.Lstat(dst); err == nil {
		// Already there: compare instead of writing a second copy.
		return s.compare(ctx, key, dst, r)
	}
	tmp, err := s.writeTemp(ctx, r)
	if err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	defer os.Remove(tmp) // after a successful link, only the temp name goes
	if err := s.mkdirs(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	if err := os.Link(tmp, dst); err != nil {
		if errors.Is(err, fs.ErrExist) { // a concurrent Put won the race
			f, oerr := os.Open(tmp)
			if oerr != nil {
				return fmt.Errorf("blobstore/fs: put %s: %w", key, oerr)
			}
			defer f.Close()
			return s.compare(ctx, key, dst, f)
		}
		return fmt.Errorf("blobstore/fs: put %s: link: %w", key, err)
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	return nil
}

// PutFile implements blobstore.FilePutter: the file at path is fsynced and
// hard-linked into place, so its bytes are not copied. Its mode is set to
// 0600. If path is on another filesystem, its bytes are copied by Put.
func (s *Store) PutFile(ctx context.Context, key, path string) error {
	if err := blobstore.CheckKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	defer f.Close()
	dst := s.path(key)
	if _, err := os.Lstat(dst); err == nil {
		return s.compare(ctx, key, dst, f)
	}
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	if err := s.mkdirs(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	if err := os.Link(path, dst); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return s.compare(ctx, key, dst, f)
		}
		// EXDEV (another filesystem), or no hard links here: copy.
		return s.Put(ctx, key, f)
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	return nil
}

// writeTemp copies r into a new temporary file, fsyncs it and returns its
// path. On error nothing is left behind.
func (s *Store) writeTemp(ctx context.Context, r io.Reader) (path string, err error) {
	f, err := os.CreateTemp(filepath.Join(s.root, tmpDir), tmpPrefix+"*")
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return "", err
	}
	if _, err := copyCtx(ctx, f, r); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// copyCtx copies with a fixed buffer and stops when ctx ends. It does not
// hand over to ReaderFrom/WriterTo, whose loops would not see ctx.
func copyCtx(ctx context.Context, w io.Writer, r io.Reader) (int64, error) {
	buf := make([]byte, bufSize)
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

// compare reads r to the end and checks it equals the object at dst. It
// never writes. Returns nil if equal, ErrExists if not.
func (s *Store) compare(ctx context.Context, key, dst string, r io.Reader) error {
	f, err := os.Open(dst)
	if err != nil {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("blobstore/fs: put %s: %w", key, blobstore.ErrExists)
	}
	a, b := make([]byte, bufSize), make([]byte, bufSize)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		na, aerr := io.ReadFull(r, a)
		if aerr != nil && aerr != io.EOF && aerr != io.ErrUnexpectedEOF {
			return fmt.Errorf("blobstore/fs: put %s: %w", key, aerr)
		}
		nb, berr := io.ReadFull(f, b)
		if berr != nil && berr != io.EOF && berr != io.ErrUnexpectedEOF {
			return fmt.Errorf("blobstore/fs: put %s: read stored: %w", key, berr)
		}
		if na != nb || !bytes.Equal(a[:na], b[:nb]) {
			return fmt.Errorf("blobstore/fs: put %s: %w", key, blobstore.ErrExists)
		}
		if na < len(a) { // both ended at the same place
			return nil
		}
	}
}

// mkdirs creates dir and its missing parents (0700), fsyncing each parent
// so the new entries survive a crash.
func (s *Store) mkdirs(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir && strings.HasPrefix(parent, s.root) {
		if err := s.mkdirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, dirPerm); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// Get implements blobstore.Store. The returned reader is an *os.File.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := blobstore.CheckKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		return nil, s.notFound(key, err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fs.ErrNotExist // a directory is a prefix, not an object
	}
	if err != nil {
		f.Close()
		return nil, s.notFound(key, err)
	}
	return f, nil
}

// Stat implements blobstore.Store.
func (s *Store) Stat(ctx context.Context, key string) (int64, error) {
	if err := blobstore.CheckKey(key); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	fi, err := os.Stat(s.path(key))
	if err == nil && !fi.Mode().IsRegular() {
		err = fs.ErrNotExist
	}
	if err != nil {
		return 0, s.notFound(key, err)
	}
	return fi.Size(), nil
}

func (s *Store) notFound(key string, err error) error {
	// ENOTDIR: a path element is a file, so the key cannot exist either.
	if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
		return fmt.Errorf("blobstore/fs: %s: %w", key, blobstore.ErrNotFound)
	}
	return fmt.Errorf("blobstore/fs: %s: %w", key, err)
}

// List implements blobstore.Store. It walks only the folder the prefix
// points into; temporary files and anything that is not a valid key are
// not objects and are not listed.
func (s *Store) List(ctx context.Context, prefix string, fn func(key string, size int64) error) error {
	if err := blobstore.CheckPrefix(prefix); err != nil {
		return err
	}
	start := s.root
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = s.path(prefix[:i])
	}
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start && (errors.Is(err, fs.ErrNotExist) || isNotDir(err)) {
				return fs.SkipAll // nothing under this prefix
			}
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if p == start {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(s.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if d.IsDir() {
			// Skip folders that cannot hold a key with this prefix.
			if !strings.HasPrefix(key+"/", prefix) && !strings.HasPrefix(prefix, key+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(key, prefix) || blobstore.CheckKey(key) != nil {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		return fn(key, fi.Size())
	})
	return err
}

// Sweep removes temporary files left by Puts that were interrupted (a crash,
// a kill) and are older than olderThan. Choose olderThan longer than any
// Put can take (a large upload on a slow disk), or run it before serving.
// It returns how many files it removed.
func (s *Store) Sweep(ctx context.Context, olderThan time.Duration) (int, error) {
	dir := filepath.Join(s.root, tmpDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, nil
		}
		return 0, fmt.Errorf("blobstore/fs: sweep: %w", err)
	}
	cutoff := time.Now().Add(-olderThan)
	removed := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), tmpPrefix) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return removed, fmt.Errorf("blobstore/fs: sweep: %w", err)
		}
		if !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("blobstore/fs: sweep: %w", err)
		}
		removed++
	}
	return removed, nil
}

func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
