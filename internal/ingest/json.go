package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The keys a JSON item's fields are read from; the first key holding a
// string wins (for the text: the first key present, which must hold one).
var (
	textKeys   = []string{"text", "content", "body"}
	titleKeys  = []string{"title", "headline"}
	urlKeys    = []string{"url", "link"}
	outletKeys = []string{"source", "outlet"}
	// dateKeys: the first holding a recognisable date wins. date_extracted
	// (when a crawler fetched the page, as in the SaudiNewsNet corpus) comes
	// last: it bounds the publication date from above, and is the only
	// date such dumps carry.
	dateKeys = []string{"published", "date", "published_at", "date_extracted"}
)

// readJSONFile streams the items of a JSON file to fn.
func readJSONFile(ctx context.Context, path string, fn func(Doc) error) error {
	f, _, rerr := openFile(path)
	if rerr != nil {
		return rerr
	}
	defer f.Close()
	name, gz := splitGzip(path)
	srcProblem := probRead
	var r io.Reader = f
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return newError(path, probGzip, err)
		}
		defer zr.Close()
		r, srcProblem = zr, probGzip
	}
	j := &jsonReader{ctx: ctx, path: path, fn: fn, maxItem: MaxFileSize, srcProblem: srcProblem}
	lines := strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".ndjson")
	return j.read(sourceReader{r}, lines)
}

// maxBadItems is how many bad items Read lists for a file; it counts the
// rest. When the first maxBadItems items are all bad, the file is of
// another shape than expected, and Read stops.
const maxBadItems = 100

// jsonReader reads the items of one JSON file.
type jsonReader struct {
	ctx        context.Context
	path       string
	fn         func(Doc) error
	maxItem    int64   // largest item, in bytes
	srcProblem problem // what a read error from the source means
	items      int     // items met so far, good or bad
	bad        int     // bad items met so far
	problems   []error // *ReadErrors to return
	abort      error   // the error of ctx or fn that stopped reading
}

// read reads JSON Lines (lines true), or else one JSON value, an array of
// objects or a stream of objects. A problem confined to one item does not
// stop it: it goes on with the next one and returns the problems at the
// end, joined. A problem that breaks the file (a syntax error outside JSON
// Lines, a read or gzip error) stops it.
func (j *jsonReader) read(r io.Reader, lines bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(bomUTF8)); bytes.Equal(b, bomUTF8) {
		br.Discard(len(bomUTF8))
	}
	var err error
	if lines {
		err = j.readLines(br)
	} else {
		err = j.readValues(br)
	}
	if j.abort != nil {
		return j.abort
	}
	if unlisted := j.bad - min(j.bad, maxBadItems); unlisted > 0 {
		j.problems = append(j.problems, newError(j.path, probMoreBad(unlisted), nil))
	}
	switch {
	case err != nil:
		j.problems = append(j.problems, err)
	case j.items == 0:
		j.problems = append(j.problems, newError(j.path, probNoItems, nil))
	}
	if len(j.problems) == 1 {
		return j.problems[0]
	}
	return errors.Join(j.problems...)
}

// readLines reads JSON Lines: one object per line, blank lines allowed.
// Each line stands alone, so even malformed JSON spoils only its line.
func (j *jsonReader) readLines(br *bufio.Reader) error {
	var buf []byte
	for line := 1; ; line++ {
		var err, stop error
		buf, err = readLine(br, buf[:0], j.maxItem)
		switch {
		case err == errItemTooLarge:
			j.items++
			stop = j.badItem(newError(j.path, probItemTooLarge, nil).at(line, 0))
		case err != nil && err != io.EOF:
			return j.streamError(err, line, 0)
		default:
			if raw := bytes.Trim(buf, " \t\r\n"); len(raw) > 0 {
				stop = j.emit(raw, line, 0)
			}
		}
		if stop != nil {
			return stop
		}
		if err == io.EOF {
			return nil
		}
	}
}

var errItemTooLarge = errors.New("item too large")

// readLine appends the next line, with its "\n", to buf. A line longer than
// max is read to its end but not kept: readLine returns errItemTooLarge.
func readLine(br *bufio.Reader, buf []byte, max int64) ([]byte, error) {
	tooLarge := false
	for {
		chunk, err := br.ReadSlice('\n')
		if tooLarge = tooLarge || int64(len(buf)+len(chunk)) > max; !tooLarge {
			buf = append(buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
		case tooLarge && (err == nil || err == io.EOF):
			return buf[:0], errItemTooLarge
		default:
			return buf, err
		}
	}
}

// readValues reads a JSON array of objects, or one or more objects one
// after the other (a single object, or JSON Lines in a .json file).
func (j *jsonReader) readValues(br *bufio.Reader) error {
	first, newlines, err := skipSpace(br)
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return j.streamError(err, 0, 0)
	}
	t := &lineTracker{r: br, line: newlines, limit: j.maxItem}
	dec := json.NewDecoder(t)
	array := first == '['
	if array {
		dec.Token() // the '[' just peeked
	}
	for item := 1; !array || dec.More(); item++ {
		arrayItem := 0
		if array {
			arrayItem = item
		}
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF && !array {
			return nil
		}
		if err != nil {
			return j.streamError(err, t.lineAt(nextValue(dec)), arrayItem)
		}
		end := dec.InputOffset()
		if err := j.emit(raw, t.lineAt(end-int64(len(raw))), arrayItem); err != nil {
			return err
		}
		t.itemEnd(end)
	}
	// The array must be closed, with nothing after it.
	line := t.lineAt(nextValue(dec))
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		return j.streamError(err, line, 0)
	}
	if _, err := dec.Token(); err != io.EOF {
		return j.streamError(err, t.lineAt(nextValue(dec)), 0)
	}
	return nil
}

// nextValue returns the offset of what the decoder reads next, past white
// space and an array's comma, as far as it has buffered: the start of the
// item that failed to decode, when the decoder stopped before it.
func nextValue(dec *json.Decoder) int64 {
	off := dec.InputOffset()
	rest, c := dec.Buffered(), make([]byte, 1)
	for {
		if n, _ := rest.Read(c); n == 0 || !strings.ContainsRune(" \t\r\n,", rune(c[0])) {
			return off
		}
		off++
	}
}

// skipSpace consumes JSON white space and returns the next byte, unread,
// with the number of newlines skipped.
func skipSpace(br *bufio.Reader) (next byte, newlines int, err error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, newlines, err
		}
		switch c {
		case '\n':
			newlines++
		case ' ', '\t', '\r':
		default:
			return c, newlines, br.UnreadByte()
		}
	}
}

// streamError turns an error that stops reading into a *ReadError. Syntax
// errors are not wrapped: their messages quote the document.
func (j *jsonReader) streamError(err error, line, item int) error {
	var src sourceError
	switch {
	case errors.As(err, &src):
		return newError(j.path, j.srcProblem, src.err).at(line, item)
	case errors.Is(err, errItemTooLarge):
		return newError(j.path, probItemTooLarge, nil).at(line, item)
	}
	return newError(j.path, probJSON, nil).at(line, item)
}

// emit turns one raw item into a Doc and passes it to fn; a bad item is
// noted and skipped. A non-nil error means stop.
func (j *jsonReader) emit(raw []byte, line, arrayItem int) error {
	if err := j.ctx.Err(); err != nil {
		j.abort = fmt.Errorf("ingest: %s: %w", j.path, err)
		return j.abort
	}
	index := j.items
	j.items++
	doc, p := parseItem(raw)
	if p != nil {
		return j.badItem(newError(j.path, *p, nil).at(line, arrayItem))
	}
	doc.Path, doc.Item = j.path, index
	if err := j.fn(doc); err != nil {
		j.abort = err
		return err
	}
	return nil
}

// badItem notes the problem of one item; it returns an error to stop
// reading when all the first maxBadItems items are bad.
func (j *jsonReader) badItem(e *ReadError) error {
	if j.bad++; j.bad <= maxBadItems {
		j.problems = append(j.problems, e)
	}
	if j.bad == maxBadItems && j.items == j.bad {
		return newError(j.path, probAllBad, nil)
	}
	return nil
}

// parseItem reads one JSON item, hashing its raw bytes.
func parseItem(raw []byte) (Doc, *problem) {
	if invalidUTF8(raw) >= 0 {
		return Doc{}, &probUTF8
	}
	// Into any, not json.RawMessage: strings are unquoted in the one pass.
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		var typeErr *json.UnmarshalTypeError
		if fields == nil && (err == nil || errors.As(err, &typeErr)) {
			return Doc{}, &probObject // null, a string, an array...
		}
		return Doc{}, &probJSON
	}
	text, p := itemText(fields)
	if p != nil {
		return Doc{}, p
	}
	sum := sha256.Sum256(raw)
	doc := Doc{
		Format:   formatJSON,
		Title:    strings.TrimSpace(firstString(fields, titleKeys)),
		Text:     text,
		Language: detectLanguage(text),
		URL:      strings.TrimSpace(firstString(fields, urlKeys)),
		Outlet:   strings.TrimSpace(firstString(fields, outletKeys)),
		SHA256:   hex.EncodeToString(sum[:]),
		Size:     int64(len(raw)),
	}
	for _, k := range dateKeys {
		s, _ := fields[k].(string)
		if doc.Published = normaliseDate(s); doc.Published != "" {
			break
		}
	}
	return doc, nil
}

// itemText returns the text field of an item, with CRLF turned into LF.
func itemText(fields map[string]any) (string, *problem) {
	for _, k := range textKeys {
		v := fields[k]
		if v == nil { // absent or null
			continue
		}
		s, ok := v.(string)
		switch {
		case !ok:
			p := probNotString(k)
			return "", &p
		case strings.ContainsRune(s, 0):
			return "", &probNUL
		case strings.TrimSpace(s) == "":
			return "", &probEmpty
		}
		return strings.ReplaceAll(s, "\r\n", "\n"), nil
	}
	return "", &probNoText
}

func firstString(fields map[string]any, keys []string) string {
	for _, k := range keys {
		if s, _ := fields[k].(string); s != "" {
			return s
		}
	}
	return ""
}

// sourceError marks an error from the file or the gunzipper, as opposed to
// one in the JSON.
type sourceError struct{ err error }

func (e sourceError) Error() string { return e.err.Error() }
func (e sourceError) Unwrap() error { return e.err }

type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = sourceError{err}
	}
	return n, err
}

// lineTracker passes bytes to the JSON decoder, noting where lines start so
// that an offset the decoder reports can be turned into a line number, and
// refusing to read far past the last item (the decoder would buffer an
// endless item whole).
type lineTracker struct {
	r     io.Reader
	read  int64   // bytes read so far
	nl    []int64 // offsets of the newlines read and not yet passed by lineAt
	line  int     // newlines before the last offset passed to lineAt
	end   int64   // where the last item ended
	limit int64
}

func (t *lineTracker) Read(p []byte) (int, error) {
	if t.read-t.end > t.limit {
		return 0, errItemTooLarge
	}
	n, err := t.r.Read(p)
	for b, i := p[:n], 0; ; {
		k := bytes.IndexByte(b[i:], '\n')
		if k < 0 {
			break
		}
		t.nl = append(t.nl, t.read+int64(i+k))
		i += k + 1
	}
	t.read += int64(n)
	return n, err
}

// lineAt returns the 1-based line of an offset already read. Offsets must
// not decrease from one call to the next.
func (t *lineTracker) lineAt(off int64) int {
	i := 0
	for i < len(t.nl) && t.nl[i] < off {
		i++
	}
	t.line += i
	t.nl = t.nl[i:]
	return t.line + 1
}

func (t *lineTracker) itemEnd(off int64) { t.end = off }
