package places

import (
	_ "embed"
	"fmt"
)

// The admin boundaries the map draws, generated with the gazetteer table by
// internal/places/gen (see build.Boundaries for their form).
var (
	//go:embed data/admin1.geojson
	admin1GeoJSON string
	//go:embed data/admin2.geojson
	admin2GeoJSON string
)

// Boundaries returns the boundaries of Syria's governorates (level 1) or
// districts (level 2) as a GeoJSON FeatureCollection, for Leaflet to draw
// without a tile server: one MultiPolygon feature per unit with properties
// pcode, name_ar and name_en (districts also parent, the governorate's
// P-code), coordinates to 3 decimals. The collection's "attribution"
// member is OCHA's licence notice, which the map must show. The bytes are
// a fresh copy, the caller's to keep. Any other level is an error.
func Boundaries(level int) ([]byte, error) {
	switch level {
	case 1:
		return []byte(admin1GeoJSON), nil
	case 2:
		return []byte(admin2GeoJSON), nil
	}
	return nil, fmt.Errorf("places: no boundaries at admin level %d: 1 is governorates, 2 districts", level)
}
