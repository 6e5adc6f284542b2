package ui

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestArabicPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{
		{0, "لا حوادث"}, {1, "حادثة واحدة"}, {2, "حادثتان"}, {3, "٣ حوادث"}, {10, "١٠ حوادث"},
		{11, "١١ حادثة"}, {99, "٩٩ حادثة"}, {100, "١٠٠ حادثة"}, {103, "١٠٣ حوادث"}, {111, "١١١ حادثة"}, {1000, "١٬٠٠٠ حادثة"},
	} {
		if got := AR.N("n.incidents", c.n); got != c.want {
			t.Errorf("AR.N(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if got := EN.N("n.incidents", 1); got != "1 incident" {
		t.Errorf("EN.N(1) = %q", got)
	}
	if got := EN.N("n.incidents", 1234); got != "1,234 incidents" {
		t.Errorf("EN.N(1234) = %q", got)
	}
}

func TestNumbersAndDates(t *testing.T) {
	for _, c := range []struct {
		l        Lang
		in, want string
		isDate   bool
		n        int
	}{
		{AR, "2017-06-25", "٢٥ حزيران ٢٠١٧", true, 0},
		{EN, "2017-06-25", "25 June 2017", true, 0},
		{AR, "2017-01", "كانون الثاني ٢٠١٧", true, 0},
		{EN, "2017", "2017", true, 0},
		{AR, "2024-12-08T10:00:00Z", "٨ كانون الأول ٢٠٢٤", true, 0},
		{EN, "not a date", "not a date", true, 0},
		{AR, "", "٠", false, 0},
		{AR, "", "-١٬٢٣٤٬٥٦٧", false, -1234567},
		{EN, "", "999", false, 999},
	} {
		var got string
		if c.isDate {
			got = c.l.Date(c.in)
		} else {
			got = c.l.Num(c.n)
		}
		if got != c.want {
			t.Errorf("%s %q/%d = %q, want %q", c.l, c.in, c.n, got, c.want)
		}
	}
	if got := AR.Range("2017-06-24", "2017-06-25"); got != "٢٤ حزيران ٢٠١٧ – ٢٥ حزيران ٢٠١٧" {
		t.Errorf("range = %q", got)
	}
	if AR.Dir() != "rtl" || EN.Dir() != "ltr" || parseLang("xx") != AR || parseLang("EN") != EN {
		t.Error("direction or language parsing wrong")
	}
}

// Dynamic keys: templates build these with printf; every value they can
// take must have a message.
var dynamicKeys = map[string][]string{
	"fact.%s":   {"incident_kind", "casualties", "actor", "place", "date", "claim"},
	"status.%s": {"proposed", "accepted", "edited", "rejected"},
	"role.%s":   {"perpetrator", "victim_side", "source", "other"},
	"action.%s": {"create", "update", "retract", "restore"},
}

// TestCatalogComplete finds every message key the templates and the Go
// code use and checks it has an Arabic and an English text (and every
// plural all its forms).
func TestCatalogComplete(t *testing.T) {
	used := map[string]bool{}
	lit := regexp.MustCompile(`\.(?:T|Tf|N)\s*\(?\s*"([a-z0-9_.]+)"`)
	dyn := regexp.MustCompile(`printf "([a-z_]+\.%s)"`)
	scan := func(name string, b []byte) {
		for _, m := range lit.FindAllSubmatch(b, -1) {
			if k := string(m[1]); !strings.HasSuffix(k, ".") { // "role." + r: a prefix, listed in dynamicKeys
				used[k] = true
			}
		}
		for _, m := range dyn.FindAllSubmatch(b, -1) {
			vals, ok := dynamicKeys[string(m[1])]
			if !ok {
				t.Errorf("%s: dynamic key %s has no list of values in dynamicKeys", name, m[1])
			}
			for _, v := range vals {
				used[strings.Replace(string(m[1]), "%s", v, 1)] = true
			}
		}
	}
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := templateFS.ReadFile(p)
			scan(p, b)
		}
		return nil
	})
	goFiles, _ := fs.Glob(os.DirFS("."), "*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		scan(f, b)
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		if p, ok := plurals[k]; ok {
			for i, f := range p.ar {
				if f == "" {
					t.Errorf("plural %s: Arabic form %d empty", k, i)
				}
			}
			if p.en[0] == "" || p.en[1] == "" {
				t.Errorf("plural %s: English form empty", k)
			}
			continue
		}
		m, ok := catalog[k]
		switch {
		case !ok:
			t.Errorf("key %q is used but not in the catalog", k)
		case m.ar == "" || m.en == "":
			t.Errorf("key %q lacks a language", k)
		}
	}
}
