// Package ingest turns report files — plain text, Markdown, HTML and JSON
// (one object, an array of objects, or JSON Lines, optionally gzip-compressed)
// — into reports.
//
// This half reads: Walk lists the files to read and Read turns each into
// Docs, one per report. Invariants: a Doc's SHA256 covers exactly the bytes
// it came from (the whole file, or a JSON item's raw value), so the same
// input always gives the same hash wherever it sits; a Doc's Text is
// non-empty valid UTF-8 with no NUL character; and no error quotes a
// document, since reports may hold sealed personal data.
package ingest

import (
	"bytes"
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
	"unicode/utf8"
)

// MaxFileSize is the largest text, Markdown or HTML file Read accepts, and
// the largest single JSON item; those are read whole into memory. JSON and
// gzip files as a whole are streamed and have no limit.
const MaxFileSize = 256 << 20

// The formats a File or Doc can have.
const (
	formatText     = "text"
	formatMarkdown = "markdown"
	formatHTML     = "html"
	formatJSON     = "json"
)

// Doc is one report read from a file, before it is stored.
type Doc struct {
	Path      string // file it came from (as given, cleaned)
	Item      int    // 0-based position of the item in a JSON file (bad items count too); 0 otherwise
	Format    string // "text", "markdown", "html", "json"
	Title     string // first line / <title> / JSON title; may be empty
	Text      string // the report's plain text; see Read
	Language  string // "ar", "en" or "other", from the share of Arabic and Latin letters in Text
	Published string // "YYYY-MM-DD", "YYYY-MM" or "YYYY" when the item carries a date; "" otherwise
	URL       string // JSON url field / HTML <link rel="canonical">; "" otherwise
	Outlet    string // JSON source field / HTML og:site_name; "" otherwise
	SHA256    string // lower-case hex SHA-256 of the original bytes: the whole file, or the JSON item
	Size      int64  // byte size of what SHA256 covers
}

// File is one file to read, as listed by Walk.
type File struct {
	Path   string // cleaned
	Format string // "text", "markdown", "html" or "json"
	Size   int64  // on disk (compressed, for .gz)
}

// Read reads one file into its docs and calls fn for each, in file order.
//
// Text and Markdown give one Doc whose Text is the file as is, less a UTF-8
// BOM, with CRLF turned into LF; its Title is the first non-empty line
// (Markdown: without its leading #s) when shorter than 200 characters.
// HTML gives one Doc with the readable text of the page (see readHTML).
// JSON gives one Doc per object: a single object, an array of objects, or
// a stream of objects such as JSON Lines; the fields read are listed by
// the *Keys variables in json.go.
//
// A problem with the file is a *ReadError naming the file, and the line or
// item for JSON. A bad JSON item (no text, not an object, a malformed line
// in JSON Lines...) spoils only itself: Read goes on with the next one and
// returns the problems at the end, joined with errors.Join. A problem that
// breaks the file (unreadable, too large, text that is not UTF-8, malformed JSON outside
// JSON Lines, corrupt gzip) stops it. Read also stops when ctx is done
// (checked before each doc), returning ctx.Err() wrapped, and when fn
// returns an error, which Read returns as is.
func Read(ctx context.Context, f File, fn func(Doc) error) error {
	path := filepath.Clean(f.Path)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ingest: %s: %w", path, err)
	}
	switch f.Format {
	case formatText, formatMarkdown, formatHTML:
		doc, rerr := readDocument(path, f.Format)
		if rerr != nil {
			return rerr
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("ingest: %s: %w", path, err)
		}
		return fn(doc)
	case formatJSON:
		return readJSONFile(ctx, path, fn)
	}
	return newError(path, probUnsupported, nil)
}

// readDocument reads a text, Markdown or HTML file, which is one report.
func readDocument(path, format string) (Doc, *ReadError) {
	data, rerr := readWhole(path, MaxFileSize)
	if rerr != nil {
		return Doc{}, rerr
	}
	text, rerr := decodeText(path, data)
	if rerr != nil {
		return Doc{}, rerr
	}
	sum := sha256.Sum256(data)
	doc := Doc{Path: path, Format: format, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	if format == formatHTML {
		var p page
		var err error
		if text, p, err = readHTML(text); err != nil {
			return Doc{}, newError(path, probHTML, err)
		}
		if text == "" {
			return Doc{}, newError(path, probEmpty, nil)
		}
		doc.Title, doc.Published, doc.URL, doc.Outlet = p.title, p.published, p.url, p.outlet
	} else {
		doc.Title = firstLineTitle(text, format == formatMarkdown)
	}
	doc.Text = text
	doc.Language = detectLanguage(text)
	return doc, nil
}

// openFile opens a regular file for reading.
func openFile(path string) (*os.File, fs.FileInfo, *ReadError) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, newError(path, probNotFound, nil)
	}
	if err != nil {
		return nil, nil, newError(path, probRead, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, newError(path, probRead, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, newError(path, probNotRegular, nil)
	}
	return f, st, nil
}

// readWhole reads a file of at most limit bytes.
func readWhole(path string, limit int64) ([]byte, *ReadError) {
	f, st, rerr := openFile(path)
	if rerr != nil {
		return nil, rerr
	}
	defer f.Close()
	if st.Size() > limit {
		return nil, newError(path, probTooLarge, nil)
	}
	// The file may grow between Stat and here.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, newError(path, probRead, err)
	}
	if int64(len(data)) > limit {
		return nil, newError(path, probTooLarge, nil)
	}
	return data, nil
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodeText checks that a file is UTF-8 text and returns it without BOM,
// with CRLF turned into LF.
func decodeText(path string, data []byte) (string, *ReadError) {
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return "", newError(path, probUTF16, nil)
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	// Text never holds NUL; binary formats (images, PDF, Office, UTF-16
	// without BOM) nearly always do, well before any invalid UTF-8.
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", newError(path, probBinary, nil)
	}
	if i := invalidUTF8(data); i >= 0 {
		return "", newError(path, probUTF8, nil).at(bytes.Count(data[:i], []byte{'\n'})+1, 0)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if strings.TrimSpace(text) == "" {
		return "", newError(path, probEmpty, nil)
	}
	return text, nil
}

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8,
// or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// maxTitle is the length, in characters, from which a first line reads as
// a paragraph rather than a title.
const maxTitle = 200

// firstLineTitle returns the first non-empty line of a text, without the
// #s of a Markdown heading, or "" if that line is too long to be a title.
func firstLineTitle(text string, markdown bool) string {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if markdown {
			line = stripHeading(line)
		}
		if utf8.RuneCountInString(line) >= maxTitle {
			return ""
		}
		return line
	}
	return ""
}

// stripHeading removes the marks of a Markdown ATX heading ("## Title ##").
// A # not followed by a space is a hashtag (#الرقة_تذبح_بصمت), kept as is.
func stripHeading(line string) string {
	rest := strings.TrimLeft(line, "#")
	if n := len(line) - len(rest); n == 0 || n > 6 || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return line
	}
	rest = strings.TrimSpace(rest)
	if closed := strings.TrimRight(rest, "#"); closed == "" || strings.HasSuffix(closed, " ") {
		rest = strings.TrimSpace(closed)
	}
	return rest
}
