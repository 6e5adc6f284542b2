package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
)

// UploadStateVersion is the version of the state file of a resumable
// upload (docs/spec/resumable-upload.md). A reader refuses others.
const UploadStateVersion = 1

// UploadIdle is how long an upload may go untouched before Sweep removes
// it: a field researcher's phone may be offline for most of a day.
const UploadIdle = 24 * time.Hour

// lockWait bounds how long a request waits for another one on the same
// upload to end before it is answered 423.
const lockWait = 20 * time.Second

// UploadStore keeps resumable uploads in one folder: for each, <id>.part
// holds the bytes received so far and <id>.json its state, replaced
// atomically. The state's offset counts only bytes that were synced to
// disk before it was written, so after a crash the part file is cut back
// to it. Nothing is kept in memory but which uploads a request is
// working on, so a restarted server carries on where the last one
// stopped. It is safe for concurrent use within one process.
type UploadStore struct {
	dir  string
	mu   sync.Mutex
	busy map[string]*holder
}

// holder is the request working on an upload.
type holder struct {
	done chan struct{}
	// interrupt asks the holder to stop reading its body (nil: it cannot
	// be interrupted, as when it is storing the file in the vault).
	interrupt func()
}

// NewUploadStore returns the store of uploads kept in dir (created 0700
// on first use).
func NewUploadStore(dir string) *UploadStore {
	return &UploadStore{dir: dir, busy: map[string]*holder{}}
}

// uploadState is the <id>.json file.
type uploadState struct {
	Version  int    `json:"version"`
	ID       string `json:"id"`
	ReportID string `json:"report_id"`
	Name     string `json:"name"`
	Size     int64  `json:"size"`
	// Offset is how many bytes of the file are received and synced.
	Offset          int64     `json:"offset"`
	SHA256          string    `json:"sha256,omitempty"`
	ContentType     string    `json:"content_type,omitempty"`
	Reason          string    `json:"reason"`
	Notes           string    `json:"notes,omitempty"`
	Confidentiality string    `json:"confidentiality,omitempty"`
	User            string    `json:"user"`
	Created         time.Time `json:"created"`
	Updated         time.Time `json:"updated"`
	// Answer is the answer to the request that completed the upload, kept
	// so that a retry after a lost answer gets the same one. Once it is
	// set the part file is gone.
	Answer *storedAnswer `json:"answer,omitempty"`
}

// storedAnswer is an HTTP answer kept byte for byte.
type storedAnswer struct {
	Status   int             `json:"status"`
	Location string          `json:"location,omitempty"`
	Body     json.RawMessage `json:"body"`
}

// newUploadID is 128 random bits in hex: one cannot guess another's
// upload.
func newUploadID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("upload id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// validUploadID reports whether id has the form newUploadID gives, so
// nothing else is ever joined to the folder's path.
func validUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *UploadStore) partPath(id string) string  { return filepath.Join(s.dir, id+".part") }
func (s *UploadStore) statePath(id string) string { return filepath.Join(s.dir, id+".json") }

// uploadNotFound: no upload has this id (never made, cancelled, or swept
// after a day untouched). The client starts a new one.
type uploadNotFound struct{ id string }

func (e *uploadNotFound) Error() string {
	return "no upload with id " + e.id + " (cancelled, or untouched for a day and removed): start a new upload"
}
func (e *uploadNotFound) Arabic() string {
	return "لا يوجد رفع بالمعرّف " + e.id + " (أُلغي، أو تُرك يوماً كاملاً فحُذف): ابدأ رفعاً جديداً"
}
func (e *uploadNotFound) Is(target error) bool { return target == record.ErrNotFound }

// errUploadBusy: another request holds the upload and did not let go in
// time (HTTP 423). The client asks for the offset and tries again.
var errUploadBusy = errors.New("upload: busy with another request")

// create writes a new upload's empty part file and its state.
func (s *UploadStore) create(st *uploadState) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("upload: folder: %w", err)
	}
	f, err := os.OpenFile(s.partPath(st.ID), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("upload %s: %w", st.ID, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("upload %s: %w", st.ID, err)
	}
	return s.save(st)
}

// load reads an upload's state.
func (s *UploadStore) load(id string) (*uploadState, error) {
	if !validUploadID(id) {
		return nil, &uploadNotFound{id: id}
	}
	for attempt := 0; ; attempt++ {
		st, err := s.readState(id)
		if err != nil || st.Answer != nil {
			return st, err
		}
		// A part file shorter than the state says lost synced bytes (a
		// damaged disk): offer the client the offset it really has, and
		// never fill the gap with zeros.
		fi, err := os.Stat(s.partPath(id))
		if errors.Is(err, fs.ErrNotExist) && attempt == 0 {
			continue // finished (or cancelled) since the state was read
		}
		if err != nil {
			return nil, fmt.Errorf("upload %s: %w", id, err)
		}
		st.Offset = min(st.Offset, fi.Size())
		return st, nil
	}
}

func (s *UploadStore) readState(id string) (*uploadState, error) {
	b, err := os.ReadFile(s.statePath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &uploadNotFound{id: id}
	}
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", id, err)
	}
	var st uploadState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("upload %s: state: %w", id, err)
	}
	if st.Version != UploadStateVersion || st.ID != id {
		return nil, fmt.Errorf("upload %s: state version %d, id %q: not a state this program writes", id, st.Version, st.ID)
	}
	return &st, nil
}

// save replaces an upload's state: a new file, synced, renamed over the
// old one, and the folder synced, so a crash leaves the old state or the
// new one.
func (s *UploadStore) save(st *uploadState) error {
	st.Version = UploadStateVersion
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("upload %s: state: %w", st.ID, err)
	}
	f, err := os.CreateTemp(s.dir, st.ID+".json.tmp-*")
	if err != nil {
		return fmt.Errorf("upload %s: state: %w", st.ID, err)
	}
	defer os.Remove(f.Name()) // after the rename, a no-op
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("upload %s: state: %w", st.ID, err)
	}
	if err := os.Rename(f.Name(), s.statePath(st.ID)); err != nil {
		return fmt.Errorf("upload %s: state: %w", st.ID, err)
	}
	return syncDir(s.dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("upload: folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("upload: folder: %w", err)
	}
	return nil
}

// removePart deletes an upload's part file once it is no longer needed;
// one already gone is no error.
func (s *UploadStore) removePart(id string) error {
	if err := os.Remove(s.partPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("upload %s: %w", id, err)
	}
	return nil
}

// appendChunk writes what r gives at st.Offset, up to st.Size, syncs it
// and advances st.Offset by what was written (the caller saves st).
// A read that fails part way — a cut connection — keeps the bytes that
// arrived and returns the read error as readErr. A body that goes past
// the declared size keeps nothing of this chunk and returns over.
func (s *UploadStore) appendChunk(st *uploadState, r io.Reader) (n int64, over bool, readErr, err error) {
	f, err := os.OpenFile(s.partPath(st.ID), os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil, fmt.Errorf("upload %s: the part file is missing", st.ID)
	}
	if err != nil {
		return 0, false, nil, fmt.Errorf("upload %s: %w", st.ID, err)
	}
	defer f.Close()
	// Bytes written after the last saved state (a crash mid-chunk) are
	// not counted: cut them off.
	if err := f.Truncate(st.Offset); err != nil {
		return 0, false, nil, fmt.Errorf("upload %s: %w", st.ID, err)
	}
	remaining := st.Size - st.Offset
	w := io.NewOffsetWriter(f, st.Offset)
	n, readErr, err = copyChunk(w, io.LimitReader(r, remaining+1))
	if err == nil && n > remaining {
		over, n = true, 0
	}
	if err != nil || over {
		if terr := f.Truncate(st.Offset); terr != nil {
			err = errors.Join(err, terr)
		}
		return 0, over, nil, err
	}
	if err := f.Sync(); err != nil {
		return 0, false, nil, fmt.Errorf("upload %s: %w", st.ID, err)
	}
	st.Offset += n
	return n, false, readErr, nil
}

// copyChunk copies r to w through one fixed buffer. It tells a failed
// read (the client's doing: keep what came) from a failed write (the
// server's: an error).
func copyChunk(w io.Writer, r io.Reader) (n int64, readErr, writeErr error) {
	buf := make([]byte, 64<<10)
	for {
		nr, rerr := r.Read(buf)
		if nr > 0 {
			nw, werr := w.Write(buf[:nr])
			n += int64(nw)
			if werr != nil {
				return n, nil, fmt.Errorf("upload: write: %w", werr)
			}
		}
		if rerr == io.EOF {
			return n, nil, nil
		}
		if rerr != nil {
			return n, rerr, nil
		}
	}
}

// acquire makes the caller the one request working on upload id, and
// returns the function that lets go. If another request holds it, that
// one is asked to stop reading (a client that resumes has given up on its
// earlier request, which may hang on a dead connection for minutes) and
// acquire waits for it, at most lockWait: then errUploadBusy.
func (s *UploadStore) acquire(ctx context.Context, id string, interrupt func()) (release func(), err error) {
	timeout := time.NewTimer(lockWait)
	defer timeout.Stop()
	for {
		s.mu.Lock()
		h, busy := s.busy[id]
		if !busy {
			h = &holder{done: make(chan struct{}), interrupt: interrupt}
			s.busy[id] = h
			s.mu.Unlock()
			return func() {
				s.mu.Lock()
				delete(s.busy, id)
				s.mu.Unlock()
				close(h.done)
			}, nil
		}
		s.mu.Unlock()
		if h.interrupt != nil {
			h.interrupt()
		}
		select {
		case <-h.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timeout.C:
			return nil, errUploadBusy
		}
	}
}

// tryAcquire is acquire that never waits: ok is false if the upload is
// busy.
func (s *UploadStore) tryAcquire(id string) (release func(), ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, busy := s.busy[id]; busy {
		return nil, false
	}
	h := &holder{done: make(chan struct{})}
	s.busy[id] = h
	return func() {
		s.mu.Lock()
		delete(s.busy, id)
		s.mu.Unlock()
		close(h.done)
	}, true
}

// Sweep removes uploads that no request has touched for idle — finished
// ones too, whose kept answer is no longer needed — and leftovers of
// interrupted state writes. It returns how many uploads it removed.
func (s *UploadStore) Sweep(ctx context.Context, idle time.Duration) (int, error) {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("upload: sweep: %w", err)
	}
	// An upload's age is that of its newest file.
	newest := map[string]time.Time{}
	for _, e := range entries {
		id, _, _ := strings.Cut(e.Name(), ".")
		fi, err := e.Info()
		if err != nil || !e.Type().IsRegular() || !validUploadID(id) {
			continue // gone already, or not ours
		}
		if t := fi.ModTime(); t.After(newest[id]) {
			newest[id] = t
		}
	}
	cutoff := time.Now().Add(-idle)
	removed := 0
	for id, t := range newest {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		if !t.Before(cutoff) {
			continue
		}
		release, ok := s.tryAcquire(id)
		if !ok {
			continue // a request is working on it right now
		}
		err := s.removeAll(id)
		release()
		if err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// removeAll deletes every file of upload id, temporary ones included,
// the state first: without it the rest is never served again.
func (s *UploadStore) removeAll(id string) error {
	matches, err := filepath.Glob(filepath.Join(s.dir, id+".*"))
	if err != nil {
		return fmt.Errorf("upload %s: %w", id, err)
	}
	for _, p := range append([]string{s.statePath(id)}, matches...) {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("upload %s: %w", id, err)
		}
	}
	return nil
}
