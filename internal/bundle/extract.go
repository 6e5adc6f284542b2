package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"filippo.io/age"
)

// Opened is a bundle extracted to a folder of its own.
//
// Manifest.Reporter is the source's identity: keep it sealed.
type Opened struct {
	Manifest Manifest
	Dir      string          // the folder Extract made; Remove deletes it
	Files    []ExtractedFile // in manifest order
}

// ExtractedFile is an attachment written to disk, checked against its
// manifest entry.
type ExtractedFile struct {
	File
	Path string // on disk, inside Opened.Dir
}

// Remove deletes the extracted files and their folder.
func (o *Opened) Remove() error { return os.RemoveAll(o.Dir) }

// Option changes a limit of Extract.
type Option func(*options)

type options struct{ maxTotal int64 }

// MaxTotal sets the largest total size of the attachments (default
// DefaultMaxTotal); a bigger bundle is refused with ErrTooLarge.
func MaxTotal(n int64) Option { return func(o *options) { o.maxTotal = n } }

// slack is what a bundle may hold beyond its manifest and attachments: tar
// headers, padding and the end-of-archive blocks.
const slack = 32 << 20

// Extract opens the bundle read from r with identities, writing its files
// into a new folder inside dir. See ExtractWith.
func Extract(r io.Reader, identities []age.Identity, dir string, opts ...Option) (*Opened, error) {
	if len(identities) == 0 {
		return nil, fail(nil, "no key to open the bundle with", "لا مفتاح لفتح الحزمة", nil)
	}
	return ExtractWith(r, func(src io.Reader) (io.Reader, error) { return age.Decrypt(src, identities...) }, dir, opts...)
}

// ExtractWith opens the bundle read from r, decrypted by decrypt (age.Decrypt
// with the caller's keys, such as a keyring's Decrypt), writing its files
// into a new folder inside dir.
//
// It returns only once r was read and authenticated to its end and every
// file matched its manifest entry. On any failure it removes the folder and
// returns an *Error of kind ErrNotForUs, ErrAltered, ErrMalformed or
// ErrTooLarge — or of no kind when reading r or writing dir failed.
func ExtractWith(r io.Reader, decrypt func(io.Reader) (io.Reader, error), dir string, opts ...Option) (*Opened, error) {
	o := options{maxTotal: DefaultMaxTotal}
	for _, opt := range opts {
		opt(&o)
	}
	tmp, err := os.MkdirTemp(dir, ".bundle-*")
	if err != nil {
		return nil, fail(nil, "cannot make a folder to open the bundle in", "تعذّر إنشاء مجلد لفتح الحزمة", err)
	}
	x := &extractor{opts: o, dir: tmp, src: &errReader{r: r}}
	opened, err := x.run(decrypt)
	if err != nil {
		err = x.classify(err)
		if rerr := os.RemoveAll(tmp); rerr != nil {
			err = errors.Join(err, diskFailed(rerr))
		}
		return nil, err
	}
	return opened, nil
}

type extractor struct {
	opts  options
	dir   string
	src   *errReader // the ciphertext
	plain *errReader // the plaintext, as age decrypts and authenticates it
	limit *limitReader
}

func (x *extractor) run(decrypt func(io.Reader) (io.Reader, error)) (*Opened, error) {
	body, err := x.header()
	if err != nil {
		return nil, err
	}
	pr, err := decrypt(body)
	if err != nil {
		if _, ok := errors.AsType[*age.NoIdentityMatchError](err); ok {
			return nil, fail(ErrNotForUs, "the bundle is not sealed to our key (or its recipient lines were damaged)",
				"الحزمة غير مختومة بمفتاحنا (أو تضرّرت أسطر المستلمين فيها)", err)
		}
		return nil, fail(ErrAltered, "the bundle's header was altered or the bundle is cut short",
			"عُدّل ترويس الحزمة أو أنها مبتورة", err)
	}
	x.plain = &errReader{r: pr}
	x.limit = &limitReader{r: x.plain, n: x.opts.maxTotal + MaxManifest + slack}
	tr := tar.NewReader(x.limit)
	m, err := x.manifest(tr)
	if err != nil {
		return nil, err
	}
	opened := &Opened{Manifest: *m, Dir: x.dir}
	if err := os.Mkdir(filepath.Join(x.dir, "files"), 0o700); err != nil {
		return nil, diskFailed(err)
	}
	for _, f := range m.Files {
		path, err := x.file(tr, f)
		if err != nil {
			return nil, err
		}
		opened.Files = append(opened.Files, ExtractedFile{File: f, Path: path})
	}
	if err := x.end(tr); err != nil {
		return nil, err
	}
	return opened, nil
}

// header reads the age header, so that "not an age file at all" is told
// apart from what decrypt says, and returns r as it was.
func (x *extractor) header() (io.Reader, error) {
	var seen bytes.Buffer
	_, err := age.ExtractHeader(io.TeeReader(io.LimitReader(x.src, MaxManifest), &seen))
	if err != nil {
		return nil, fail(ErrMalformed, "not a sealed bundle (no age header)", "ليست حزمة مختومة (لا ترويس age)", err)
	}
	return io.MultiReader(&seen, x.src), nil
}

func (x *extractor) manifest(tr *tar.Reader) (*Manifest, error) {
	hdr, err := tr.Next()
	switch {
	case err == io.EOF:
		return nil, fail(ErrMalformed, "the bundle is empty", "الحزمة فارغة", nil)
	case err != nil:
		return nil, fail(ErrMalformed, "the bundle does not hold a tar archive", "الحزمة لا تحتوي أرشيف tar", err)
	case hdr.Name != "manifest.json" || hdr.Typeflag != tar.TypeReg:
		return nil, fail(ErrMalformed, "the first entry is not manifest.json", "المدخل الأول ليس manifest.json", nil)
	case hdr.Size > MaxManifest:
		return nil, fail(ErrMalformed, "manifest.json is over 1 MiB", "manifest.json أكبر من 1 ميغابايت", nil)
	}
	data, err := io.ReadAll(tr)
	if err != nil {
		return nil, err
	}
	m, err := decodeManifest(data)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, f := range m.Files {
		if total += f.Size; f.Size > x.opts.maxTotal || total > x.opts.maxTotal {
			return nil, x.tooLarge()
		}
	}
	return m, nil
}

// file writes the next entry, which must be f, to disk while hashing it.
func (x *extractor) file(tr *tar.Reader, f File) (string, error) {
	hdr, err := tr.Next()
	switch {
	case err == io.EOF:
		return "", altered(f.Path+" is missing", "الملف "+f.Path+" مفقود")
	case err != nil:
		return "", err
	case hdr.Typeflag != tar.TypeReg:
		return "", fail(ErrMalformed, "an entry is not a plain file (link, folder or device)", "مدخل ليس ملفاً عادياً (رابط أو مجلد أو جهاز)", nil)
	case hdr.Name != f.Path:
		return "", altered("entry "+strconv.QuoteToASCII(clip(hdr.Name, 120))+" is not the next file of the manifest ("+f.Path+")",
			"مدخل لا يطابق الملف التالي في البيان ("+f.Path+")")
	case hdr.Size != f.Size:
		return "", altered(f.Path+": size differs from the manifest", f.Path+": الحجم يخالف البيان")
	}
	// f.Path matched pathPattern: one plain name under files/.
	path := filepath.Join(x.dir, "files", filepath.Base(f.Path))
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", diskFailed(err)
	}
	h := sha256.New()
	dst := &errWriter{w: out}
	n, err := io.Copy(io.MultiWriter(dst, h), tr)
	if cerr := out.Close(); err == nil && cerr != nil {
		dst.err, err = cerr, cerr
	}
	switch {
	case dst.err != nil:
		return "", diskFailed(dst.err)
	case err != nil:
		return "", err
	case n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256:
		return "", altered(f.Path+": SHA-256 differs from the manifest", f.Path+": البصمة SHA-256 تخالف البيان")
	}
	return path, nil
}

// end checks that nothing follows the files and reads the stream to its
// end: age authenticates the last chunk, and so the whole, only there.
func (x *extractor) end(tr *tar.Reader) error {
	hdr, err := tr.Next()
	switch {
	case err == nil:
		return altered("entry "+strconv.QuoteToASCII(clip(hdr.Name, 120))+" is not in the manifest", "مدخل غير موجود في البيان")
	case err != io.EOF:
		return err
	}
	var z zeros
	_, err = io.Copy(&z, x.limit)
	if z.nonzero {
		return fail(ErrMalformed, "data after the end of the archive", "بيانات بعد نهاية الأرشيف", nil)
	}
	return err
}

// classify names the kind of a failure from what the readers saw: a
// failing source is an I/O error whatever followed; a failing age stream is
// an alteration whatever tar made of it.
func (x *extractor) classify(err error) error {
	switch {
	case x.src.err != nil:
		return fail(nil, "cannot read the bundle", "تعذّرت قراءة الحزمة", x.src.err)
	case x.plain != nil && x.plain.err != nil:
		return fail(ErrAltered, "the bundle was altered or cut short after sealing", "عُدّلت الحزمة أو بُترت بعد ختمها", x.plain.err)
	case x.limit != nil && x.limit.over:
		return x.tooLarge()
	}
	if _, ok := errors.AsType[*Error](err); ok {
		return err
	}
	return fail(ErrMalformed, "the bundle does not follow "+Format, "الحزمة لا تتبع "+Format, err)
}

func (x *extractor) tooLarge() error {
	return fail(ErrTooLarge, fmt.Sprintf("the bundle is over the limit of %d bytes", x.opts.maxTotal),
		fmt.Sprintf("الحزمة أكبر من الحد المسموح (%d بايت)", x.opts.maxTotal), nil)
}

func altered(en, ar string) error {
	return fail(ErrAltered, "the bundle was altered: "+en, "عُدّلت الحزمة: "+ar, nil)
}

func diskFailed(err error) error {
	return fail(nil, "cannot write the extracted files", "تعذّرت كتابة الملفات المستخرجة", err)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

var errOverLimit = errors.New("over the size limit")

// limitReader fails once more than n bytes were read.
type limitReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// One more byte tells "exactly n" from "more than n".
		var one [1]byte
		if k, err := l.r.Read(one[:]); k == 0 {
			return 0, err
		}
		l.over = true
		return 0, errOverLimit
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// zeros checks that everything written to it is zero bytes.
type zeros struct{ nonzero bool }

func (z *zeros) Write(p []byte) (int, error) {
	for _, b := range p {
		if b != 0 {
			z.nonzero = true
			return 0, errors.New("non-zero data")
		}
	}
	return len(p), nil
}
