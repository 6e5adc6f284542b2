// Package demo holds the sample data that `tawthiq serve --demo` starts
// with, and the loader that writes it.
//
// The sample data is fictional: it was written by the project in the style
// of Syrian field reports, to show the system working, and documents no
// real event. Invariant: every sample report says so on its first line
// (Marker), and Load writes the whole set through the mutation service in
// one batch, so a store holds all of it or none of it.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
)

//go:embed data/sample.json
var sample []byte

// Marker is the first line of every sample report's text, so a sample
// report read out of context still says what it is.
const Marker = "[بيانات تجريبية — Sample data]"

// author and reason are what the sample records' revisions are written
// under.
const (
	author = "demo"
	reason = "sample data for demonstration (tawthiq serve --demo): fictional, not documentation of real events / بيانات تجريبية للعرض"
)

// file is the format of data/sample.json.
type file struct {
	Notice  notice  `json:"notice"`
	Records []entry `json:"records"`
}

type notice struct {
	AR string `json:"ar"`
	EN string `json:"en"`
}

// entry is one record. Key names it inside the file; a string value "@key"
// anywhere in a later record is replaced by the id given to key. Every
// string value that begins with "@" is such a reference, so a mistyped
// key is an error rather than text.
type entry struct {
	Key    string          `json:"key"`
	Type   record.Type     `json:"type"`
	Record json.RawMessage `json:"record"`
}

// Notice is the statement, in Arabic and English, that the sample data is
// fictional; show it wherever the sample data is shown.
func Notice() (ar, en string) {
	f, err := parse(sample)
	if err != nil {
		// The embedded file is part of the build and its tests read it.
		panic("demo: embedded sample data is malformed: " + err.Error())
	}
	return f.Notice.AR, f.Notice.EN
}

// Load writes the sample data through the mutation service in one batch
// (author "demo", reason naming it sample data) and returns how many records it wrote.
func Load(ctx context.Context, svc *record.Service) (int, error) {
	return load(ctx, svc, sample)
}

func load(ctx context.Context, svc *record.Service, data []byte) (int, error) {
	f, err := parse(data)
	if err != nil {
		return 0, err
	}
	changes, err := resolve(f.Records, time.Now())
	if err != nil {
		return 0, err
	}
	recs, err := svc.Apply(ctx, record.Meta{Author: author, Reason: reason}, changes)
	if err != nil {
		return 0, fmt.Errorf("demo: write sample data%s: %w", failedKey(err, f.Records), err)
	}
	return len(recs), nil
}

// failedKey names the entry a batch error is about, if it says, so whoever
// edits the sample file need not count records: the service names the
// change by its place in the batch ("changes[12].record.…").
func failedKey(err error, entries []entry) string {
	var ve *record.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) == 0 {
		return ""
	}
	var i int
	if _, err := fmt.Sscanf(ve.Errors[0].Field, "changes[%d]", &i); err != nil || i < 0 || i >= len(entries) {
		return ""
	}
	return fmt.Sprintf(" (record %q)", entries[i].Key)
}

// parse reads the sample file strictly: unknown fields are mistakes.
func parse(data []byte) (*file, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("demo: read sample data: %w", err)
	}
	if f.Notice.AR == "" || f.Notice.EN == "" {
		return nil, errors.New("demo: sample data has no notice in Arabic and English")
	}
	if len(f.Records) == 0 {
		return nil, errors.New("demo: sample data has no records")
	}
	return &f, nil
}

// resolve gives every entry a new id, replaces "@key" references with the
// ids of earlier entries and decodes each body. Entries come in dependency
// order, so a reference to a later (or unknown) key is an error.
func resolve(entries []entry, now time.Time) ([]record.Change, error) {
	ids := make(map[string]string, len(entries))
	later := make(map[string]bool, len(entries))
	for _, e := range entries {
		later[e.Key] = true
	}
	changes := make([]record.Change, 0, len(entries))
	for i, e := range entries {
		if e.Key == "" {
			return nil, fmt.Errorf("demo: record %d has no key", i)
		}
		if _, dup := ids[e.Key]; dup {
			return nil, fmt.Errorf("demo: key %q is used twice", e.Key)
		}
		body, err := decode(e, ids, later)
		if err != nil {
			return nil, err
		}
		// One millisecond apart, so the ids sort in file order and lists
		// of records written in the same instant come out the same way
		// every time.
		id := record.NewID(now.Add(time.Duration(i) * time.Millisecond))
		ids[e.Key] = id
		changes = append(changes, record.Change{Action: record.ActionCreate, ID: id, Body: body})
	}
	return changes, nil
}

// decode resolves the references in one entry and decodes it strictly as
// its record type.
func decode(e entry, ids map[string]string, later map[string]bool) (record.Body, error) {
	dec := json.NewDecoder(bytes.NewReader(e.Record))
	dec.UseNumber() // keep numbers exactly as written
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("demo: record %q: %w", e.Key, err)
	}
	v, err := substitute(v, func(key string) (string, error) {
		if id, ok := ids[key]; ok {
			return id, nil
		}
		if later[key] {
			return "", fmt.Errorf("demo: record %q refers to @%s, which is not defined before it: records must come in dependency order", e.Key, key)
		}
		return "", fmt.Errorf("demo: record %q refers to unknown key @%s", e.Key, key)
	})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("demo: record %q: %w", e.Key, err)
	}
	body, err := record.DecodeBody(e.Type, bytes.TrimSpace(buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("demo: record %q (%s): %w", e.Key, e.Type, err)
	}
	if r, ok := body.(*record.Report); ok && !strings.HasPrefix(r.Text, Marker+"\n") {
		return nil, fmt.Errorf("demo: report %q does not start with the line %s", e.Key, Marker)
	}
	return body, nil
}

// substitute walks a decoded JSON value and replaces every string "@key"
// with lookup(key). Object keys are left alone.
func substitute(v any, lookup func(string) (string, error)) (any, error) {
	switch x := v.(type) {
	case string:
		if key, ok := strings.CutPrefix(x, "@"); ok {
			return lookup(key)
		}
		return x, nil
	case []any:
		for i := range x {
			var err error
			if x[i], err = substitute(x[i], lookup); err != nil {
				return nil, err
			}
		}
		return x, nil
	case map[string]any:
		for k := range x {
			var err error
			if x[k], err = substitute(x[k], lookup); err != nil {
				return nil, err
			}
		}
		return x, nil
	}
	return v, nil
}
