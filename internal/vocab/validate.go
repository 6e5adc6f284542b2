package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode"
)

// failFunc records one problem found in a file.
type failFunc func(format string, args ...any)

// decodeFile decodes the JSON file name into v, rejecting unknown fields
// (a misspelt "parnet" must not pass silently) and trailing data.
func decodeFile(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("vocab: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("vocab: %s: invalid JSON: %w", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("vocab: %s: data after the JSON object", name)
	}
	return nil
}

// checkHeader checks the fields every file has.
func checkHeader(version int, attribution string, fail failFunc) {
	if version < 1 {
		fail("version %d: must be 1 or more", version)
	}
	if strings.TrimSpace(attribution) == "" {
		fail("empty attribution")
	}
}

// checkLabels checks that both labels are present and trimmed and that the
// Arabic one is written in Arabic script, which catches swapped labels.
func checkLabels(where string, l Labels, fail failFunc) {
	for _, x := range []struct{ lang, s string }{{"ar", l.AR}, {"en", l.EN}} {
		switch {
		case strings.TrimSpace(x.s) == "":
			fail("%s: empty %s label", where, x.lang)
		case strings.TrimSpace(x.s) != x.s:
			fail("%s: %s label %q has surrounding spaces", where, x.lang, x.s)
		}
	}
	if l.AR != "" && !hasArabic(l.AR) {
		fail("%s: ar label %q has no Arabic letter", where, l.AR)
	}
}

// checkExternal checks the external codes of a term or actor. Any key that
// starts with "huridocs" other than huridocs_list is an ESF code: twelve
// digits, in the micro-thesaurus that huridocs_list names.
func checkExternal(where string, ext map[string]string, fail failFunc) {
	hasESF := false
	for k, v := range ext {
		if !isCode(k) {
			fail("%s: external key %q is not snake_case", where, k)
		}
		if strings.TrimSpace(v) == "" || strings.TrimSpace(v) != v {
			fail("%s: external %s: empty or untrimmed value %q", where, k, v)
		}
		if k == "huridocs_list" || !strings.HasPrefix(k, "huridocs") {
			continue
		}
		hasESF = true
		if !isDigits(v, 12) {
			fail("%s: external %s: %q is not a 12-digit ESF code", where, k, v)
		}
	}
	list, ok := ext["huridocs_list"]
	switch {
	case ok && !(len(list) == 5 && strings.HasPrefix(list, "mt_") && isDigits(list[3:], 2)):
		fail("%s: external huridocs_list %q is not of the form mt_NN", where, list)
	case ok && !hasESF:
		fail("%s: external huridocs_list without a huridocs code", where)
	case !ok && hasESF:
		fail("%s: external huridocs code without huridocs_list", where)
	}
}

// node is one code and its parent, for checkParents.
type node struct{ code, parent string }

// checkParents checks that every parent is one of the codes and that no
// chain of parents loops. what names the kind of entry ("code", "actor").
func checkParents(what string, nodes []node, fail failFunc) {
	parent := make(map[string]string, len(nodes))
	for _, n := range nodes {
		parent[n.code] = n.parent
	}
	for _, n := range nodes {
		if n.parent == "" {
			continue
		}
		if _, ok := parent[n.parent]; !ok {
			fail("%s %q: parent %q is not a %s of this file", what, n.code, n.parent, what)
			continue
		}
		// A chain longer than the number of entries must revisit one.
		p := n.parent
		for i := 0; p != "" && i <= len(nodes); i++ {
			if p == n.code {
				fail("%s %q: its chain of parents loops back to it", what, n.code)
				break
			}
			p = parent[p]
		}
	}
}

// isCode reports whether s is a code: lower-case ASCII letters, digits and
// underscores, starting with a letter.
func isCode(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hasArabic reports whether s contains a letter of the Arabic script.
func hasArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
