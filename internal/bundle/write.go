package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"
)

// Write seals m and the files at paths into w, encrypted to recipients, and
// returns the manifest as written (Format, SealedAt and Tool filled in when
// empty; Files made from paths, whatever m.Files held).
//
// Each file is read twice: once to hash it, once to write it. A file that
// changed in between is refused with ErrChanged. On any error what was
// written to w is not a bundle — age's last chunk is never written, so it
// cannot be opened as one — and the caller should delete it; SealFile does.
func Write(w io.Writer, recipients []age.Recipient, m Manifest, paths []string) (*Manifest, error) {
	return write(w, recipients, m, paths, nil)
}

// write is Write with a hook run between hashing and writing, for tests.
func write(w io.Writer, recipients []age.Recipient, m Manifest, paths []string, between func()) (*Manifest, error) {
	if len(recipients) == 0 {
		return nil, fail(nil, "no recipient: give the organisation's public key", "لا مستلم: أعطِ المفتاح العام للمنظمة", nil)
	}
	if len(paths) > MaxFiles {
		return nil, invalid("files", fmt.Sprintf("more than %d files", MaxFiles), fmt.Sprintf("أكثر من %d ملف", MaxFiles))
	}
	if m.Format == "" {
		m.Format = Format
	}
	if m.SealedAt == "" {
		m.SealedAt = time.Now().UTC().Format(time.RFC3339)
	}
	if m.Tool == "" {
		m.Tool = "tawthiq"
	}
	if err := m.checkHead(); err != nil {
		return nil, err
	}
	m.Files = make([]File, len(paths))
	for i, p := range paths {
		f, err := hashFile(p)
		if err != nil {
			return nil, err
		}
		f.Path = entryPath(i, f.Name)
		m.Files[i] = f
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	manifest, err := m.encode()
	if err != nil {
		return nil, err
	}
	if between != nil {
		between()
	}
	if err := writeTar(w, recipients, &m, manifest, paths); err != nil {
		return nil, err
	}
	return &m, nil
}

func writeTar(w io.Writer, recipients []age.Recipient, m *Manifest, manifest []byte, paths []string) error {
	aw, err := age.Encrypt(w, recipients...)
	if err != nil {
		return fail(nil, "cannot encrypt to the recipient key", "تعذّر التشفير بمفتاح المستلم", err)
	}
	sealed, _ := time.Parse(time.RFC3339, m.SealedAt) // checked by checkHead
	tw := tar.NewWriter(aw)
	if err := tw.WriteHeader(entryHeader("manifest.json", int64(len(manifest)), sealed)); err != nil {
		return writeFailed(err)
	}
	if _, err := tw.Write(manifest); err != nil {
		return writeFailed(err)
	}
	for i, f := range m.Files {
		if err := copyFile(tw, paths[i], f, sealed); err != nil {
			return err
		}
	}
	// Only now is the last age chunk written: a bundle cut short anywhere
	// above fails authentication when opened.
	if err := tw.Close(); err != nil {
		return writeFailed(err)
	}
	if err := aw.Close(); err != nil {
		return writeFailed(err)
	}
	return nil
}

// entryHeader is a plain ustar header: no owner, no mode worth keeping, the
// sealing time for every entry, so nothing about the reporter's machine
// travels beyond what the manifest says.
func entryHeader(name string, size int64, mtime time.Time) *tar.Header {
	return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: mtime, Format: tar.FormatUSTAR}
}

func writeFailed(err error) error {
	return fail(nil, "cannot write the bundle", "تعذّرت كتابة الحزمة", err)
}

func unreadable(path string, err error) error {
	return fail(ErrUnreadable, "cannot read "+path, "تعذّرت قراءة "+path, err)
}

func changed(path string) error {
	return fail(ErrChanged, path+" changed while it was being sealed: close any program writing it and seal again",
		"تغيّر "+path+" أثناء ختم الحزمة: أغلق أي برنامج يكتب فيه وأعد الختم", nil)
}

// openRegular opens path, refusing anything but a regular file.
func openRegular(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, unreadable(path, err)
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("not a regular file")
	}
	if err != nil {
		f.Close()
		return nil, 0, unreadable(path, err)
	}
	return f, st.Size(), nil
}

// hashFile is the first reading of an attachment.
func hashFile(path string) (File, error) {
	f, size, err := openRegular(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, unreadable(path, err)
	}
	if n != size {
		return File{}, changed(path)
	}
	return File{Name: cleanName(filepath.Base(path)), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// copyFile is the second reading: the bytes go into the bundle and are
// hashed again on the way.
func copyFile(tw *tar.Writer, path string, want File, mtime time.Time) error {
	f, size, err := openRegular(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if size != want.Size {
		return changed(path)
	}
	if err := tw.WriteHeader(entryHeader(want.Path, want.Size, mtime)); err != nil {
		return writeFailed(err)
	}
	h := sha256.New()
	src := &errReader{r: f}
	if _, err := io.CopyN(io.MultiWriter(tw, h), src, want.Size); err != nil {
		switch {
		case err == io.EOF:
			return changed(path) // shorter than when hashed
		case src.err != nil:
			return unreadable(path, err)
		}
		return writeFailed(err)
	}
	if n, _ := f.Read(make([]byte, 1)); n > 0 || !bytes.Equal(h.Sum(nil), mustHex(want.SHA256)) {
		return changed(path)
	}
	return nil
}

func mustHex(s string) []byte {
	b, _ := hex.DecodeString(s) // validated by Manifest.validate
	return b
}

// errReader remembers the first error other than io.EOF that r returned,
// to tell a failing source from a failing destination or a bad content.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// SealFile is Write to the file out, through out+".tmp" renamed into place
// once complete and synced, so a failure leaves no half bundle. An existing
// out is replaced; refusing it is the caller's choice.
func SealFile(out string, recipients []age.Recipient, m Manifest, paths []string) (*Manifest, error) {
	tmp := out + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, writeFailed(err)
	}
	written, err := Write(f, recipients, m, paths)
	if err == nil {
		if err = f.Sync(); err != nil {
			err = writeFailed(err)
		}
	}
	if cerr := f.Close(); cerr != nil && err == nil {
		err = writeFailed(cerr)
	}
	if err == nil {
		if err = os.Rename(tmp, out); err != nil {
			err = writeFailed(err)
		}
	}
	if err != nil {
		os.Remove(tmp) // best effort: the error that matters is err
		return nil, err
	}
	// The folder is not synced: on a reporter's laptop (often Windows,
	// where that is not possible) the originals are still at hand.
	return written, nil
}
