// Command gen builds internal/places/data/gazetteer.tsv, every place of
// Syria with its names, aliases, parent and point, from the OCHA and
// OpenSyria files in ../shared/data/gazetteer, and beside it admin1.geojson
// and admin2.geojson, the governorate and district boundaries the map
// draws (see build.Boundaries):
//
//	go run ./internal/places/gen -in ../shared/data/gazetteer -o internal/places/data/gazetteer.tsv
//
// Governorates, districts and sub-districts come from the OCHA boundary
// tables, with the OpenSyria aliases matched by P-code; neighbourhoods name
// their city and its sub-district directly. Communities name their
// sub-district and district only by name (the hierarchy_en and hierarchy_ar
// columns), so they are matched to the sub-districts of syr_admin3.csv by
// normalised name within their district, then by sub-district name within
// the district's governorate; a community whose names match no sub-district,
// or more than one, gets no parent. The run prints how many matched.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tawthiq/tawthiq/internal/places/build"
)

func main() {
	in := flag.String("in", "../shared/data/gazetteer", "the gazetteer folder")
	out := flag.String("o", "internal/places/data/gazetteer.tsv", "the table to write")
	flag.Parse()
	table, stats, err := build.Build(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, table, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Println(stats)
	for _, level := range []int{1, 2} {
		geo, err := build.Boundaries(*in, level)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		name := filepath.Join(filepath.Dir(*out), fmt.Sprintf("admin%d.geojson", level))
		if err := os.WriteFile(name, geo, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d bytes\n", name, len(geo))
	}
}
