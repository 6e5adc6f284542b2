package record

import (
	"fmt"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/vocab"
)

// DateRange is when something happened, as precisely as it is known.
// Start and End are partial dates (YYYY, YYYY-MM, YYYY-MM-DD) or, for
// exact_time, RFC 3339 times. An empty End means the same as Start. With
// precision "unknown" both may be empty: an unknown date is never a made-up
// one.
type DateRange struct {
	Start     string `json:"start,omitempty"`
	End       string `json:"end,omitempty"`
	Precision string `json:"precision"`
	Estimate  bool   `json:"estimate,omitempty"`
}

// span is the first and last instant a partial date can mean.
type span struct{ lo, hi time.Time }

// parsePartial reads YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time, and
// returns the span it covers and how fine it is ("year", "month", "day",
// "time").
func parsePartial(s string) (span, string, error) {
	layouts := []struct{ layout, grain string }{
		{"2006", "year"}, {"2006-01", "month"}, {"2006-01-02", "day"},
		{time.RFC3339Nano, "time"},
	}
	for _, l := range layouts {
		t, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		if t.Year() < 1900 || t.Year() > 2200 {
			return span{}, "", fmt.Errorf("year %d is out of range", t.Year())
		}
		t = t.UTC()
		switch l.grain {
		case "year":
			return span{t, t.AddDate(1, 0, 0).Add(-time.Nanosecond)}, l.grain, nil
		case "month":
			return span{t, t.AddDate(0, 1, 0).Add(-time.Nanosecond)}, l.grain, nil
		case "day":
			return span{t, t.AddDate(0, 0, 1).Add(-time.Nanosecond)}, l.grain, nil
		}
		return span{t, t}, l.grain, nil
	}
	return span{}, "", fmt.Errorf("not a date")
}

// grainRank orders how fine a partial date is.
var grainRank = map[string]int{"year": 1, "month": 2, "day": 3, "time": 4}

// precisionNeeds is the coarsest written form each precision accepts.
var precisionNeeds = map[string]string{
	"exact_time": "time", "day": "day", "days_2_6": "day", "week": "day",
	"month": "month", "year": "year",
}

// Validate checks the range under field.
func (d DateRange) Validate(v *Validator, field string) {
	v.Code(field+".precision", vocab.DatePrecision, d.Precision, true)
	if d.Start == "" {
		if d.End != "" {
			v.Fail(field+".start", "required", "is required when end is set", "مطلوب عند تحديد تاريخ النهاية")
		} else if d.Precision != "unknown" && d.Precision != "" {
			v.Fail(field+".start", "required", "is required unless precision is unknown", "مطلوب ما لم تكن الدقة «غير معروفة»")
		}
		return
	}
	start, sg, err := parsePartial(d.Start)
	if err != nil {
		v.Fail(field+".start", "invalid_date", "must be YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time ("+err.Error()+")",
			"يجب أن يكون بالشكل YYYY أو YYYY-MM أو YYYY-MM-DD أو وقتاً بصيغة RFC 3339")
		return
	}
	if need, ok := precisionNeeds[d.Precision]; ok && grainRank[sg] < grainRank[need] {
		v.Fail(field+".start", "precision_mismatch",
			fmt.Sprintf("precision %s needs a start written to the %s", d.Precision, need),
			fmt.Sprintf("الدقة %s تتطلب تاريخ بداية حتى مستوى %s", d.Precision, need))
	}
	if d.End == "" {
		return
	}
	end, _, err := parsePartial(d.End)
	if err != nil {
		v.Fail(field+".end", "invalid_date", "must be YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time ("+err.Error()+")",
			"يجب أن يكون بالشكل YYYY أو YYYY-MM أو YYYY-MM-DD أو وقتاً بصيغة RFC 3339")
		return
	}
	if end.hi.Before(start.lo) {
		v.Fail(field+".end", "end_before_start", "is before start", "تاريخ النهاية يسبق تاريخ البداية")
	}
}

// Bounds returns the first and last day the range can mean, as YYYY-MM-DD,
// for sorting and filtering; empty when the date is unknown or invalid.
func (d DateRange) Bounds() (string, string) {
	if d.Start == "" {
		return "", ""
	}
	s, _, err := parsePartial(d.Start)
	if err != nil {
		return "", ""
	}
	e := s
	if d.End != "" {
		if e, _, err = parsePartial(d.End); err != nil {
			return "", ""
		}
	}
	return s.lo.Format(time.DateOnly), e.hi.Format(time.DateOnly)
}

// Place is where something happened, as precisely as it is known.
type Place struct {
	GazetteerID string   `json:"gazetteer_id,omitempty"`
	NameAR      string   `json:"name_ar,omitempty"`
	NameEN      string   `json:"name_en,omitempty"`
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
	Precision   string   `json:"precision"`
}

// Validate checks the place under field.
func (p Place) Validate(v *Validator, field string) {
	v.Code(field+".precision", vocab.PlacePrecision, p.Precision, true)
	v.Text(field+".gazetteer_id", p.GazetteerID, false, 64)
	v.Text(field+".name_ar", p.NameAR, false, 300)
	v.Text(field+".name_en", p.NameEN, false, 300)
	if (p.Lat == nil) != (p.Lon == nil) {
		v.Fail(field+".lat", "incomplete_point", "lat and lon must be given together", "يجب إدخال خط العرض وخط الطول معاً")
	}
	if p.Lat != nil && (*p.Lat < -90 || *p.Lat > 90) {
		v.Fail(field+".lat", "out_of_range", "must be between -90 and 90", "يجب أن يكون بين -90 و90")
	}
	if p.Lon != nil && (*p.Lon < -180 || *p.Lon > 180) {
		v.Fail(field+".lon", "out_of_range", "must be between -180 and 180", "يجب أن يكون بين -180 و180")
	}
	if p.Precision != "unknown" && p.Precision != "" && p.GazetteerID == "" && p.NameAR == "" && p.NameEN == "" && p.Lat == nil {
		v.Fail(field, "required", "needs a gazetteer id, a name or a point unless precision is unknown",
			"يحتاج معرّفاً من دليل الأماكن أو اسماً أو إحداثيات ما لم تكن الدقة «غير معروفة»")
	}
}

// Count is how many, as the source put it: a range with a qualifier and the
// original words. Unknown is never 0: a count nobody gave is absent, and
// "none_reported" carries no number at all.
type Count struct {
	Min        *int   `json:"min,omitempty"`
	Best       *int   `json:"best,omitempty"`
	Max        *int   `json:"max,omitempty"`
	Qualifier  string `json:"qualifier"`
	SourceText string `json:"source_text,omitempty"`
}

// countNeeds lists, per qualifier, the number it must carry.
var countNeeds = map[string]string{
	"exact": "best", "at_least": "min", "more_than": "min", "about": "best", "up_to": "max",
}

// Validate checks the count under field.
func (c Count) Validate(v *Validator, field string) {
	v.Code(field+".qualifier", vocab.CountQualifier, c.Qualifier, true)
	v.Text(field+".source_text", c.SourceText, false, maxShortText)
	nums := []struct {
		name string
		n    *int
	}{{"min", c.Min}, {"best", c.Best}, {"max", c.Max}}
	for _, x := range nums {
		if x.n != nil && *x.n < 0 {
			v.Fail(field+"."+x.name, "negative", "must not be negative", "يجب ألا يكون سالباً")
			return
		}
	}
	if need := countNeeds[c.Qualifier]; need != "" {
		for _, x := range nums {
			if x.name == need && x.n == nil {
				v.Fail(field+"."+need, "required", fmt.Sprintf("is required when the qualifier is %s", c.Qualifier),
					fmt.Sprintf("مطلوب عندما يكون الوصف %s", c.Qualifier))
			}
		}
	}
	less := func(a, b string, x, y *int) {
		if x != nil && y != nil && *x > *y {
			v.Fail(field+"."+a, a+"_gt_"+b, fmt.Sprintf("%s (%d) is greater than %s (%d)", a, *x, b, *y),
				fmt.Sprintf("قيمة %s (%d) أكبر من %s (%d)", a, *x, b, *y))
		}
	}
	less("min", "best", c.Min, c.Best)
	less("best", "max", c.Best, c.Max)
	less("min", "max", c.Min, c.Max)
	switch c.Qualifier {
	case "exact":
		if (c.Min != nil && c.Best != nil && *c.Min != *c.Best) || (c.Max != nil && c.Best != nil && *c.Max != *c.Best) {
			v.Fail(field, "inexact", "an exact count has min = best = max", "العدد الدقيق تتساوى فيه القيم الدنيا والفضلى والعليا")
		}
	case "at_least", "more_than", "unknown_nonzero":
		if c.Min != nil && *c.Min == 0 {
			v.Fail(field+".min", "zero", "must be at least 1 for qualifier "+c.Qualifier+": unknown is never 0",
				"يجب أن يكون 1 على الأقل: المجهول لا يُسجّل صفراً")
		}
	case "none_reported":
		if c.Min != nil || c.Best != nil || c.Max != nil {
			v.Fail(field, "not_allowed", "none_reported carries no number", "الوصف «لم يُذكر» لا يحمل رقماً")
		}
	}
}

// Low is the count's lower bound, for totals: min, else best, else nil.
func (c Count) Low() *int {
	if c.Min != nil {
		return c.Min
	}
	return c.Best
}

// String renders the count for terminals, e.g. "71+ (more_than)".
func (c Count) String() string {
	var b strings.Builder
	switch {
	case c.Min != nil && c.Max != nil && *c.Min != *c.Max:
		fmt.Fprintf(&b, "%d–%d", *c.Min, *c.Max)
	case c.Best != nil:
		fmt.Fprintf(&b, "%d", *c.Best)
	case c.Min != nil:
		fmt.Fprintf(&b, "%d+", *c.Min)
	case c.Max != nil:
		fmt.Fprintf(&b, "≤%d", *c.Max)
	default:
		b.WriteString("?")
	}
	fmt.Fprintf(&b, " (%s)", c.Qualifier)
	return b.String()
}
