// Package build makes the places table (see internal/places/gen, which
// writes it, and the test that checks the embedded copy is current).
package build

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		m := map[string]string{}
		for i, h := range head {
			if i < len(rec) {
				m[strings.TrimPrefix(h, "\ufeff")] = rec[i]
			}
		}
		rows = append(rows, m)
	}
}

var (
	spaces   = regexp.MustCompile(`\s+`)
	articles = regexp.MustCompile(`\b(al|el|ar|as|ash|at|ad|an|az)\s`)
)

func normEN(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("'", "", "ʼ", "", "-", " ").Replace(s)
	s = articles.ReplaceAllString(s, "")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

func normAR(s string) string {
	s = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا", "ة", "ه", "ى", "ي", "مركز ", "", "ناحية ", "").Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// Build returns the table and a line of statistics.
func Build(dir string) ([]byte, string, error) {
	a3, err := readCSV(filepath.Join(dir, "syr_admin3.csv"))
	if err != nil {
		return nil, "", err
	}
	byEN, byAR := map[[2]string]map[string]bool{}, map[[2]string]map[string]bool{}
	add := func(m map[[2]string]map[string]bool, k [2]string, code string) {
		if k[0] == "" {
			return
		}
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][code] = true
	}
	for _, r := range a3 {
		for _, col := range []string{"adm3_name", "adm3_name2", "adm3_name3"} {
			add(byEN, [2]string{normEN(r[col]), normEN(r["adm2_name"])}, r["adm3_pcode"])
		}
		add(byAR, [2]string{normAR(r["adm3_name1"]), normAR(r["adm2_name1"])}, r["adm3_pcode"])
	}
	parents := map[string]string{}
	hood, err := readCSV(filepath.Join(dir, "syr_neighborhoods.csv"))
	if err != nil {
		return nil, "", err
	}
	for _, r := range hood {
		if n, c := r["neighbor_2"], r["adm4_pcode"]; strings.HasPrefix(n, "N") && strings.HasPrefix(c, "C") {
			parents[n] = c
			parents[c] = r["adm3_pcode"]
		}
	}
	com, err := readCSV(filepath.Join(dir, "communities.csv"))
	if err != nil {
		return nil, "", err
	}
	matched, unmatched := 0, 0
	for _, r := range com {
		code := r["ocha_pcode"]
		if !strings.HasPrefix(code, "C") || parents[code] != "" {
			continue
		}
		one := func(m map[[2]string]map[string]bool, h []string, norm func(string) string) string {
			if len(h) < 3 {
				return ""
			}
			c := m[[2]string{norm(h[len(h)-2]), norm(h[len(h)-1])}]
			if len(c) != 1 {
				return ""
			}
			for k := range c {
				return k
			}
			return ""
		}
		split := func(s string) []string {
			parts := strings.Split(s, " - ")
			for i := range parts {
				parts[i] = strings.TrimSpace(parts[i])
			}
			return parts
		}
		p := one(byEN, split(r["hierarchy_en"]), normEN)
		if p == "" {
			p = one(byAR, split(r["hierarchy_ar"]), normAR)
		}
		if p == "" {
			unmatched++
			continue
		}
		parents[code] = p
		matched++
	}
	keys := make([]string, 0, len(parents))
	for k := range parents {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# Parent of each community (C) and neighbourhood (N) by OCHA P-code.\n")
	b.WriteString("# Derived from the Syrian Arab Republic common operational datasets (OCHA, via HDX:\n")
	b.WriteString("# admin boundaries, populated places, city neighbourhoods) by internal/places/gen.\n")
	b.WriteString("# Do not edit: run go run ./internal/places/gen.\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s\t%s\n", k, parents[k])
	}
	return []byte(b.String()), fmt.Sprintf("%d parents; communities matched to a sub-district: %d, unmatched: %d", len(parents), matched, unmatched), nil
}
