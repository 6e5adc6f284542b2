package stats

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Table is a result as text, for CSV.
type Table struct {
	Header []string
	Rows   [][]string
}

// bom is the UTF-8 byte order mark. Excel reads a CSV file without it in
// the machine's legacy code page, which turns Arabic into mojibake; with
// it, Excel, LibreOffice and Google Sheets all read UTF-8, and most CSV
// readers skip it (Python's needs encoding="utf-8-sig").
const bom = "\uFEFF"

// WriteCSV writes t as CSV: the BOM, the header row, then the rows, with
// CRLF line ends (RFC 4180). A cell that starts with = + - @ or a tab or
// carriage return gets a leading apostrophe, so a spreadsheet shows it as
// text instead of running it as a formula: titles come from reports, and a
// report is not trusted input.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("stats: csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(t.Header); err != nil {
		return fmt.Errorf("stats: csv: %w", err)
	}
	cells := make([]string, len(t.Header))
	for _, row := range t.Rows {
		cells = cells[:0]
		for _, c := range row {
			cells = append(cells, defuse(c))
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("stats: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("stats: csv: %w", err)
	}
	return nil
}

// defuse keeps a spreadsheet from reading a cell as a formula.
func defuse(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// rangeCells is a range as min, max ("" when open) and max_open.
func rangeCells(r Range) []string {
	hi := strconv.Itoa(r.Max)
	if r.MaxOpen {
		hi = ""
	}
	return []string{strconv.Itoa(r.Min), hi, strconv.FormatBool(r.MaxOpen)}
}

// PartyMonthTable is KilledByPartyMonth's rows as a table.
func PartyMonthTable(rows []PartyMonth) Table {
	t := Table{Header: []string{"month", "party_code", "party_name_ar", "party_name_en",
		"incidents", "incidents_with_figures", "killed_min", "killed_max", "killed_max_open"}}
	for _, r := range rows {
		row := []string{r.Month, r.Party.Code, r.Party.NameAR, r.Party.NameEN,
			strconv.Itoa(r.Incidents), strconv.Itoa(r.WithFigures)}
		t.Rows = append(t.Rows, append(row, rangeCells(r.Killed)...))
	}
	return t
}

// GroupTable is a grouping as a table; key names its first column
// ("kind", "governorate").
func GroupTable(key string, groups []Group) Table {
	t := Table{Header: []string{key, "name_ar", "name_en", "incidents"}}
	for _, g := range groups {
		t.Rows = append(t.Rows, []string{g.Key, g.NameAR, g.NameEN, strconv.Itoa(g.Incidents)})
	}
	return t
}

// PointTable is MapPoints as a table; lists are separated by ";" and an
// incident without a killed figure has empty killed cells.
func PointTable(points []Point) Table {
	t := Table{Header: []string{"id", "title_ar", "title_en", "kinds", "start", "end", "lat", "lon",
		"place_id", "precision", "perpetrators", "killed_min", "killed_max", "killed_max_open"}}
	for _, p := range points {
		row := []string{p.ID, p.TitleAR, p.TitleEN, strings.Join(p.Kinds, ";"), p.Start, p.End,
			strconv.FormatFloat(p.Lat, 'f', -1, 64), strconv.FormatFloat(p.Lon, 'f', -1, 64),
			p.PlaceID, p.Precision, strings.Join(p.Perpetrators, ";")}
		if p.Killed != nil {
			row = append(row, rangeCells(*p.Killed)...)
		} else {
			row = append(row, "", "", "")
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// ItemTable is a dashboard list as a table.
func ItemTable(items []Item) Table {
	t := Table{Header: []string{"id", "title", "at"}}
	for _, it := range items {
		t.Rows = append(t.Rows, []string{it.ID, it.Title, it.At})
	}
	return t
}
