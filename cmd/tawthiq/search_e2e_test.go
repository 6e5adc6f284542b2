package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestSearchEndToEnd drives search and reindex through the binary on the
// sample reports: forms of a word, exclusions, JSON, the refusals.
func TestSearchEndToEnd(t *testing.T) {
	bin := binary(t)
	data := filepath.Join(t.TempDir(), "data")
	runBin(t, bin, "init", "--data", data).want(t, 0)
	runBin(t, bin, "ingest", "--data", data, "--quiet", "testdata/reports").want(t, 0)

	// قصف finds لقصف and بالقصف, shown in brackets as written.
	runBin(t, bin, "search", "--data", data, "قصف").want(t, 0, "[لقصف]", "[بالقصف]", "of 2")
	// An exclusion in Arabic needs no quoting; the other report goes.
	runBin(t, bin, "search", "--data", data, "قصف", "-مدفعي").want(t, 0, "[بالقصف]", "of 1")
	runBin(t, bin, "search", "--data", data, "shelling OR displacement").want(t, 0, "[Displacement]", "of 1")
	r := runBin(t, bin, "search", "--data", data, "--json", "--facets", "الرقة")
	r.want(t, 0)
	var res struct {
		Total  int
		Hits   []struct{ ID string }
		Facets struct{ Language []struct{ Value string } }
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.Total == 0 || len(res.Facets.Language) == 0 {
		t.Fatalf("search --json: %v %s", err, r.stdout)
	}

	runBin(t, bin, "search", "--data", data, "--", "-قصف").want(t, exitInvalid, "at least one word")
	runBin(t, bin, "search", "--data", data, "--kind", "no_such_kind", "قصف").want(t, exitInvalid, "kind")
	runBin(t, bin, "search", "--data", data, "--from", "2017-13-01", "قصف").want(t, exitInvalid, "from")
	runBin(t, bin, "search", "--data", data).want(t, exitUsage)
	runBin(t, bin, "search", "--data", data, `"قصف`).want(t, exitInvalid, "quote")

	runBin(t, bin, "reindex", "--data", data).want(t, 0, "indexed 5")
	runBin(t, bin, "search", "--data", data, "قصف").want(t, 0, "of 2")
}
