package places

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/tawthiq/tawthiq/internal/places/build"
)

// The boundary files are valid GeoJSON the map can draw: every governorate
// and district of the gazetteer, closed rings, the attribution, and small
// enough for a slow connection.
func TestBoundaries(t *testing.T) {
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   struct {
			Type        string           `json:"type"`
			Coordinates [][][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	type collection struct {
		Type        string    `json:"type"`
		Attribution string    `json:"attribution"`
		Features    []feature `json:"features"`
	}
	governorates := map[string]bool{}
	for _, c := range []struct {
		level int
		want  int
		of    Level
		props int
	}{{1, 14, Governorate, 3}, {2, 62, District, 4}} {
		data, err := Boundaries(c.level)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 120<<10 {
			t.Errorf("level %d: %d bytes, more than 120 KiB", c.level, len(data))
		}
		var fc collection
		if err := json.Unmarshal(data, &fc); err != nil {
			t.Fatalf("level %d: %v", c.level, err)
		}
		if fc.Type != "FeatureCollection" || fc.Attribution == "" {
			t.Errorf("level %d: type %q, attribution %q", c.level, fc.Type, fc.Attribution)
		}
		if len(fc.Features) != c.want {
			t.Errorf("level %d: %d features, want %d", c.level, len(fc.Features), c.want)
		}
		seen := map[string]bool{}
		for _, f := range fc.Features {
			p := f.Properties
			id := p["pcode"]
			if f.Type != "Feature" || f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) == 0 {
				t.Errorf("%s: a %s of %s with %d polygons", id, f.Type, f.Geometry.Type, len(f.Geometry.Coordinates))
			}
			if pl, ok := Get(id); !ok || pl.Level != c.of || pl.NameAR != p["name_ar"] || pl.NameEN != p["name_en"] || len(p) != c.props {
				t.Errorf("%s: properties %v do not match the gazetteer's %s", id, p, c.of)
			}
			if seen[id] {
				t.Errorf("%s twice", id)
			}
			seen[id] = true
			if c.level == 1 {
				governorates[id] = true
			} else if !governorates[p["parent"]] || Parent(id) != p["parent"] {
				t.Errorf("%s: parent %q is not its governorate", id, p["parent"])
			}
			checkRings(t, id, f.Geometry.Coordinates)
		}
	}
	for _, level := range []int{0, 3, -1} {
		if _, err := Boundaries(level); err == nil {
			t.Errorf("Boundaries(%d) is not an error", level)
		}
	}
}

// checkRings: every ring closed, at least four points, none repeated in a
// row, in Syria, at 3 decimals.
func checkRings(t *testing.T, id string, polys [][][][2]float64) {
	t.Helper()
	for _, poly := range polys {
		for _, ring := range poly {
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				t.Errorf("%s: a ring of %d points is not closed", id, len(ring))
				continue
			}
			for i, pt := range ring {
				if i > 0 && pt == ring[i-1] {
					t.Errorf("%s: point %v repeated", id, pt)
				}
				if pt[0] < 35 || pt[0] > 43 || pt[1] < 32 || pt[1] > 38 {
					t.Errorf("%s: point %v is not in Syria", id, pt)
				}
				for _, v := range pt {
					if math.Abs(math.Round(v*1000)/1000-v) > 1e-9 {
						t.Errorf("%s: %v has more than 3 decimals", id, v)
					}
				}
			}
		}
	}
}

// The embedded boundaries are what the generator makes of the shared
// files.
func TestBoundariesAreGenerated(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "gazetteer")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs ../shared beside the repository: %v", err)
		}
		t.Skipf("no shared gazetteer at %s", dir)
	}
	for _, level := range []int{1, 2} {
		want, err := build.Boundaries(dir, level)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := Boundaries(level)
		if string(got) != string(want) {
			t.Errorf("data/admin%d.geojson is stale: run go run ./internal/places/gen", level)
		}
	}
}
