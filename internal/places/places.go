// Package places knows which places contain which: the administrative
// hierarchy of Syria (governorate → district → sub-district → community →
// neighbourhood) by gazetteer id, so a search in a governorate finds what
// happened in its towns.
//
// Ids are OCHA P-codes: SYnn (governorate), SYnnnn (district), SYnnnnnn
// (sub-district) contain each other by prefix; communities (Cnnnn) and
// neighbourhoods (Nnnnn) have their parents in an embedded table built
// from the OCHA common operational datasets (data/parents.tsv says how).
package places

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed data/parents.tsv
var parentsTSV string

var (
	once    sync.Once
	parents map[string]string
)

func load() {
	parents = map[string]string{}
	for _, line := range strings.Split(parentsTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		child, parent, ok := strings.Cut(line, "\t")
		if ok {
			parents[child] = parent
		}
	}
}

// Parent is the place that directly contains id, or "".
func Parent(id string) string {
	if isAdminPCode(id) {
		if len(id) > 4 {
			return id[:len(id)-2]
		}
		return ""
	}
	once.Do(load)
	return parents[id]
}

// Ancestors lists every place that contains id, nearest first.
func Ancestors(id string) []string {
	var out []string
	for p := Parent(id); p != "" && len(out) < 8; p = Parent(p) {
		out = append(out, p)
	}
	return out
}

// isAdminPCode: "SY" and 2, 4 or 6 digits.
func isAdminPCode(id string) bool {
	if !strings.HasPrefix(id, "SY") || len(id) != 4 && len(id) != 6 && len(id) != 8 {
		return false
	}
	for _, c := range id[2:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
