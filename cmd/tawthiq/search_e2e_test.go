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

// TestExtractCommand: tawthiq extract prints the proposals as JSON, and
// refuses what it cannot read.
func TestExtractCommand(t *testing.T) {
	bin := binary(t)
	file := writeFile(t, "report.txt", []byte("[بيانات تجريبية] قُتل خمسة مدنيين بينهم طفلان في غارة جوية على حي المشلب في الرقة أمس."))
	r := runBin(t, bin, "extract", "--published", "2017-06-10", file)
	r.want(t, 0)
	var res struct {
		Facts []struct {
			Type  string
			Value string
			Span  [2]int
			Date  *struct{ Start string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("extract output: %v\n%s", err, r.stdout)
	}
	kinds, dates := 0, 0
	for _, f := range res.Facts {
		if f.Type == "incident_kind" && f.Value == "air_strike" {
			kinds++
		}
		if f.Type == "date" && f.Date.Start == "2017-06-09" {
			dates++
		}
	}
	if kinds == 0 || dates == 0 {
		t.Fatalf("extract: no air strike or no date of yesterday: %s", r.stdout)
	}
	runBin(t, bin, "extract", "--published", "10/06/2017", file).want(t, exitUsage, "YYYY-MM-DD")
	runBin(t, bin, "extract", writeFile(t, "bad.txt", []byte{0xff, 0xfe, 0x00})).want(t, exitInvalid, "UTF-8")
	runBin(t, bin, "extract", filepath.Join(t.TempDir(), "missing.txt")).want(t, exitInvalid)
}
