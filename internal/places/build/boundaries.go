package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// boundaryAttribution is carried in every boundary file, as a foreign
// member of the FeatureCollection (RFC 7946 §6.1), so the licence travels
// with the data the way the gazetteer table's header carries it.
const boundaryAttribution = "OCHA, Syrian Arab Republic common operational datasets, " +
	"administrative boundaries (COD-AB), via HDX (data.humdata.org). " +
	"Licence CC BY 3.0 IGO; attribution to OCHA is required."

// Boundaries returns the admin boundaries of one level (1 governorates,
// 2 districts) from dir's syr_admin<level>.geojson as a GeoJSON
// FeatureCollection for the map: features sorted by P-code, properties only
// pcode, name_ar and name_en (and, for districts, parent: the governorate's
// P-code), coordinates rounded to 3 decimals (about 100 m, enough to draw a
// country) with the points that rounding makes repeat dropped. A ring left
// with fewer than four points is dropped, and a polygon whose outer ring
// is. One feature a line, so a regenerated file diffs readably.
func Boundaries(dir string, level int) ([]byte, error) {
	if level != 1 && level != 2 {
		return nil, fmt.Errorf("build: no boundaries at admin level %d", level)
	}
	name := fmt.Sprintf("syr_admin%d.geojson", level)
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	var src struct {
		Type     string `json:"type"`
		Features []struct {
			Properties map[string]string `json:"properties"`
			Geometry   struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &src); err != nil {
		return nil, fmt.Errorf("build: %s: %w", name, err)
	}
	if src.Type != "FeatureCollection" {
		return nil, fmt.Errorf("build: %s: a %q, not a FeatureCollection", name, src.Type)
	}
	var lines [][]byte
	for _, f := range src.Features {
		p := f.Properties
		polys, err := multiPolygon(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("build: %s: %s: %w", name, p["pcode"], err)
		}
		line, err := feature(p, level, polys)
		if err != nil {
			return nil, fmt.Errorf("build: %s: %w", name, err)
		}
		lines = append(lines, line)
	}
	slices.SortFunc(lines, bytes.Compare) // each line starts with its pcode
	var out bytes.Buffer
	head, err := json.Marshal(map[string]string{
		"attribution": boundaryAttribution,
		"generated": fmt.Sprintf("by internal/places/gen from ../shared/data/gazetteer/%s "+
			"(coordinates rounded to 3 decimals); do not edit", name),
	})
	if err != nil {
		return nil, err
	}
	out.WriteString(`{"type":"FeatureCollection",`)
	out.Write(head[1 : len(head)-1])
	out.WriteString(`,"features":[` + "\n")
	for i, l := range lines {
		out.Write(l)
		if i < len(lines)-1 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
	}
	out.WriteString("]}\n")
	return out.Bytes(), nil
}

// polygon is rings of [lon, lat] points, the outer ring first.
type polygon [][][2]float64

// multiPolygon reads a Polygon's or a MultiPolygon's coordinates and
// simplifies them (see Boundaries).
func multiPolygon(typ string, raw json.RawMessage) ([]polygon, error) {
	var polys []polygon
	switch typ {
	case "MultiPolygon":
		if err := json.Unmarshal(raw, &polys); err != nil {
			return nil, err
		}
	case "Polygon":
		var p polygon
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, err
		}
		polys = []polygon{p}
	default:
		return nil, fmt.Errorf("geometry %q is not a polygon", typ)
	}
	var out []polygon
	for _, p := range polys {
		var kept polygon
		for i, ring := range p {
			r := simplifyRing(ring)
			if len(r) < 4 {
				if i == 0 {
					break // no outer ring, no polygon
				}
				continue
			}
			kept = append(kept, r)
		}
		if len(kept) > 0 {
			out = append(out, kept)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("nothing left after rounding")
	}
	return out, nil
}

// simplifyRing rounds a ring's points to 3 decimals and drops each point
// equal to the one before it. The ring stays closed: its first and last
// points were equal and round alike.
func simplifyRing(ring [][2]float64) [][2]float64 {
	out := make([][2]float64, 0, len(ring))
	for _, pt := range ring {
		q := [2]float64{round3(pt[0]), round3(pt[1])}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	return out
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// boundaryProps are a feature's properties, in this order.
type boundaryProps struct {
	PCode  string `json:"pcode"`
	NameAR string `json:"name_ar"`
	NameEN string `json:"name_en"`
	Parent string `json:"parent,omitempty"` // districts: the governorate's P-code
}

// feature writes one Feature on one line, pcode first.
func feature(p map[string]string, level int, polys []polygon) ([]byte, error) {
	props := boundaryProps{PCode: p["pcode"], NameAR: p["name_ar"], NameEN: p["name_en"]}
	if props.PCode == "" || props.NameAR == "" || props.NameEN == "" {
		return nil, fmt.Errorf("a feature lacks pcode, name_ar or name_en: %v", p)
	}
	if level == 2 {
		if props.Parent = p["adm1_pcode"]; props.Parent == "" {
			return nil, fmt.Errorf("%s has no adm1_pcode", props.PCode)
		}
	}
	pj, err := json.Marshal(props)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"type":"Feature","properties":`)
	b.Write(pj)
	b.WriteString(`,"geometry":{"type":"MultiPolygon","coordinates":[`)
	for i, poly := range polys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for j, ring := range poly {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			for k, pt := range ring {
				if k > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('[')
				b.WriteString(strconv.FormatFloat(pt[0], 'f', -1, 64))
				b.WriteByte(',')
				b.WriteString(strconv.FormatFloat(pt[1], 'f', -1, 64))
				b.WriteByte(']')
			}
			b.WriteByte(']')
		}
		b.WriteByte(']')
	}
	b.WriteString("]}}")
	return b.Bytes(), nil
}
