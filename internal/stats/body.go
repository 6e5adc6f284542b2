package stats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// The aggregates read a few fields from every body they count. Measured
// over 100,000 incidents, SQLite's json_each took about 7 µs an incident
// to list the casualties and one json_extract about 2 µs (in the
// WebAssembly build of SQLite the driver uses), and encoding/json decoding
// the casualties in Go as long; this reader walks the JSON once, keeps what
// is asked for and skips the rest without building it, several times
// faster (BenchmarkParse). It reads any JSON, not only the canonical form
// the service writes; broken structure is an error, never a guess, but a
// number or literal it skips is not checked (FuzzSkip, FuzzParseIncident).

// reader walks one JSON value.
type reader struct {
	b   []byte
	i   int
	err error
}

var errSyntax = errors.New("malformed JSON")

func (r *reader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("%w at byte %d", errSyntax, r.i)
	}
	r.i = len(r.b)
}

// peek skips white space and returns the next byte, or 0 at the end.
func (r *reader) peek() byte {
	for r.i < len(r.b) {
		switch c := r.b[r.i]; c {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return c
		}
	}
	return 0
}

// consume reads c if it is next.
func (r *reader) consume(c byte) bool {
	if r.peek() == c && c != 0 {
		r.i++
		return true
	}
	return false
}

// null reads a null if one is next.
func (r *reader) null() bool {
	if r.peek() == 'n' && bytes.HasPrefix(r.b[r.i:], []byte("null")) {
		r.i += 4
		return true
	}
	return false
}

// enter reads the opening bracket of an object ('{', '}') or an array
// ('[', ']') and reports whether a first member follows; null is empty.
//
//	for ok := r.enter('{', '}'); ok; ok = r.next('}') { key := r.key(); … }
func (r *reader) enter(open, close byte) bool {
	if r.null() {
		return false
	}
	if !r.consume(open) {
		r.fail()
		return false
	}
	return !r.consume(close)
}

// next reads the comma before another member, or the closing bracket.
func (r *reader) next(close byte) bool {
	if r.consume(',') {
		return r.err == nil
	}
	if !r.consume(close) {
		r.fail()
	}
	return false
}

// key reads an object's key and the colon after it.
func (r *reader) key() []byte {
	k := r.raw()
	if !r.consume(':') {
		r.fail()
	}
	return k
}

// raw reads a string and returns its bytes between the quotes, escapes
// and all.
func (r *reader) raw() []byte {
	if !r.consume('"') {
		r.fail()
		return nil
	}
	start := r.i
	for {
		j := bytes.IndexByte(r.b[r.i:], '"')
		if j < 0 {
			r.fail()
			return nil
		}
		r.i += j + 1
		// The quote ends the string unless an odd number of backslashes
		// escapes it.
		bs := 0
		for k := r.i - 2; k >= start && r.b[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return r.b[start : r.i-1]
		}
	}
}

// string reads a string ("" for null).
func (r *reader) string() string {
	return r.stringIn(nil)
}

// code reads a string that repeats across records (a code, a place or an
// actor id) and returns in's copy of it.
func (r *reader) code(in interner) string {
	return r.stringIn(in)
}

// stringIn reads a string, through in if it is not nil.
func (r *reader) stringIn(in interner) string {
	if r.null() {
		return ""
	}
	raw := r.raw()
	if r.err != nil {
		return ""
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		if in != nil {
			return in.of(raw)
		}
		return string(raw)
	}
	var s string
	// The quotes around raw are still in r.b.
	if err := json.Unmarshal(r.b[r.i-len(raw)-2:r.i], &s); err != nil {
		r.fail()
	}
	return s
}

// literal reads a number, true, false or null and returns its text.
func (r *reader) literal() []byte {
	r.peek()
	start := r.i
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r', '"', '{', '[', ':':
			if r.i == start {
				r.fail()
			}
			return r.b[start:r.i]
		}
		r.i++
	}
	if r.i == start {
		r.fail()
	}
	return r.b[start:r.i]
}

// opt is a number that may be absent.
type opt[T int | float64] struct {
	v  T
	ok bool
}

// int reads an integer; null is absent.
func (r *reader) int() opt[int] {
	if r.null() {
		return opt[int]{}
	}
	n, err := strconv.Atoi(string(r.literal()))
	if err != nil {
		r.fail()
	}
	return opt[int]{n, err == nil}
}

// float reads a number; null is absent.
func (r *reader) float() opt[float64] {
	if r.null() {
		return opt[float64]{}
	}
	f, err := strconv.ParseFloat(string(r.literal()), 64)
	if err != nil {
		r.fail()
	}
	return opt[float64]{f, err == nil}
}

// skip reads any value.
func (r *reader) skip() {
	switch r.peek() {
	case '{':
		for ok := r.enter('{', '}'); ok; ok = r.next('}') {
			r.key()
			r.skip()
		}
	case '[':
		for ok := r.enter('[', ']'); ok; ok = r.next(']') {
			r.skip()
		}
	case '"':
		r.raw()
	default:
		r.literal()
	}
}

// incidentData is what the aggregates read of an incident's body.
type incidentData struct {
	titleAR, titleEN string
	kinds            []string
	where            []placeData
	killed           []killedCount
	hasKilled        bool
}

// placeData is one entry of an incident's where.
type placeData struct {
	gazetteerID string
	lat, lon    opt[float64]
	precision   string
}

// fields says what an aggregate needs of an incident: what it does not
// need is skipped, which is cheaper than reading it.
type fields uint8

const (
	fTitles fields = 1 << iota
	fDates         // the first and last day, not only the month
	fKinds
	fWhere
	fKilled
)

// parseIncident reads the fields of an incident body that want names:
// titles, kinds, where, and the casualty counts whose outcome is killed.
func parseIncident(b []byte, want fields, in interner) (incidentData, error) {
	var x incidentData
	r := &reader{b: b}
	for ok := r.enter('{', '}'); ok; ok = r.next('}') {
		key := r.key()
		switch {
		case string(key) == "title_ar" && want&fTitles != 0:
			x.titleAR = r.string()
		case string(key) == "title_en" && want&fTitles != 0:
			x.titleEN = r.string()
		case string(key) == "kinds" && want&fKinds != 0:
			for ok := r.enter('[', ']'); ok; ok = r.next(']') {
				x.kinds = append(x.kinds, r.code(in))
			}
		case string(key) == "where" && want&fWhere != 0:
			for ok := r.enter('[', ']'); ok; ok = r.next(']') {
				x.where = append(x.where, r.place(in))
			}
		case string(key) == "casualties" && want&fKilled != 0:
			for ok := r.enter('[', ']'); ok; ok = r.next(']') {
				if c, killed := r.casualty(in); killed {
					x.killed = append(x.killed, c)
				}
			}
		default:
			r.skip()
		}
	}
	x.hasKilled = len(x.killed) > 0
	return x, r.err
}

func (r *reader) place(in interner) placeData {
	var p placeData
	for ok := r.enter('{', '}'); ok; ok = r.next('}') {
		switch key := r.key(); string(key) {
		case "gazetteer_id":
			p.gazetteerID = r.code(in)
		case "lat":
			p.lat = r.float()
		case "lon":
			p.lon = r.float()
		case "precision":
			p.precision = r.code(in)
		default:
			r.skip()
		}
	}
	return p
}

// casualty reads one casualty count, and whether its outcome is killed.
func (r *reader) casualty(in interner) (killedCount, bool) {
	var c killedCount
	killed := false
	for ok := r.enter('{', '}'); ok; ok = r.next('}') {
		switch key := r.key(); string(key) {
		case "category":
			c.category = r.code(in)
		case "outcome":
			killed = r.code(in) == "killed"
		case "count":
			for ok := r.enter('{', '}'); ok; ok = r.next('}') {
				switch key := r.key(); string(key) {
				case "min":
					c.min = r.int()
				case "best":
					c.best = r.int()
				case "max":
					c.max = r.int()
				case "qualifier":
					c.qualifier = r.code(in)
				default:
					r.skip()
				}
			}
		default:
			r.skip()
		}
	}
	return c, killed
}

// linkData is what the aggregates read of an involvement or an act: the
// actor, the incident or act it is about, and the degree.
type linkData struct {
	actorID, incidentID, actID, degree string
}

// parseLink reads an involvement's or an act's body.
func parseLink(b []byte, in interner) (linkData, error) {
	var x linkData
	r := &reader{b: b}
	for ok := r.enter('{', '}'); ok; ok = r.next('}') {
		switch key := r.key(); string(key) {
		case "actor_id":
			x.actorID = r.code(in)
		case "incident_id":
			x.incidentID = r.string()
		case "act_id":
			x.actID = r.string()
		case "degree":
			x.degree = r.code(in)
		default:
			r.skip()
		}
	}
	return x, r.err
}

// interner shares one copy of the strings that repeat across records
// (codes, place and actor ids), which saves most of the allocation of a
// pass over 100,000 records.
type interner map[string]string

func (in interner) of(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// parseReceived reads a report body's received_at ("" if it has none).
func parseReceived(b []byte) (string, error) {
	var at string
	r := &reader{b: b}
	for ok := r.enter('{', '}'); ok; ok = r.next('}') {
		if key := r.key(); string(key) == "received_at" {
			at = r.string()
		} else {
			r.skip()
		}
	}
	return at, r.err
}
