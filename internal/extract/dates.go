package extract

import (
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// dates are the dates of the text resolved against published. Two dates
// joined by "إلى", "حتى", "to", "until" or "and" are one range; a date after
// "منذ" or "since" runs to the publication day.
func (d *doc) dates(published time.Time) []Fact {
	ds := arabic.Dates(d.text, published)
	var out []Fact
	seen := map[[2]string]bool{}
	for k := 0; k < len(ds); k++ {
		dt := ds[k]
		start, end, text := dt.From, dt.To, dt.Text
		span := [2]int{dt.Start, dt.End}
		prec := dt.Precision
		if k+1 < len(ds) && ds[k+1].Start >= dt.End && ds[k+1].Start-dt.End <= 16 && !ds[k+1].To.Before(start) {
			switch strings.TrimSpace(d.text[dt.End:ds[k+1].Start]) {
			case "إلى", "الى", "حتى", "و", "-", "–", "to", "until", "till", "through", "and":
				next := ds[k+1]
				end, span[1] = next.To, next.End
				text = d.text[span[0]:span[1]]
				prec = RangePrecision(start, end)
				k++
			}
		}
		before := strings.TrimSpace(d.text[max(0, span[0]-24):span[0]])
		if before != "" {
			if fields := strings.Fields(before); len(fields) > 0 {
				switch strings.ToLower(fields[len(fields)-1]) {
				case "منذ", "since":
					if published.After(end) {
						end = published
						prec = RangePrecision(start, end)
					}
				}
			}
		}
		s, e := start.Format(time.DateOnly), end.Format(time.DateOnly)
		if seen[[2]string{s, e}] {
			continue
		}
		seen[[2]string{s, e}] = true
		out = append(out, Fact{Type: TypeDate, Span: span, Text: text, Confidence: 0.7,
			Date: &Date{Start: s, End: e, Precision: prec}})
	}
	return out
}

// RangePrecision is the date_precision code of a range of days, from and
// to inclusive.
func RangePrecision(from, to time.Time) string {
	days := int(to.Sub(from).Hours()/24) + 1
	switch {
	case days <= 1:
		return "day"
	case days <= 6:
		return "days_2_6"
	case days <= 7:
		return "week"
	case days <= 31:
		return "month"
	}
	return "year"
}
