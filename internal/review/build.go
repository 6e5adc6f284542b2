package review

import (
	"slices"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// newIncident is the incident the report's accepted facts describe (see
// CreateIncident).
func newIncident(vs *vocab.Set, reportID string, rep *record.Report, facts []extract.Fact) (*record.Incident, error) {
	inc := &record.Incident{Grading: "pending", ReportIDs: []string{reportID}}
	var dates []extract.Date
	for _, f := range facts {
		switch f.Type {
		case extract.TypeIncidentKind:
			if !slices.Contains(inc.Kinds, f.Value) {
				inc.Kinds = append(inc.Kinds, f.Value)
			}
		case extract.TypeDate:
			dates = append(dates, *f.Date)
		case extract.TypePlace:
			inc.Where = addPlace(inc.Where, *f.Place)
		case extract.TypeCasualties:
			inc.Casualties = addCasualty(inc.Casualties, record.CasualtyCount{Category: f.Category, Outcome: f.Outcome, Count: recordCount(*f.Count)})
		}
	}
	if len(inc.Kinds) == 0 {
		return nil, record.Invalid("kinds", "required",
			"an incident needs a kind: accept at least one of the report's incident-kind facts",
			"الحادثة تحتاج نوعاً: اقبل واقعة واحدة على الأقل من وقائع نوع الحادثة في التقرير")
	}
	inc.When = when(dates, rep)
	inc.TitleAR, inc.TitleEN = titles(vs, inc)
	switch rep.Language {
	case "ar":
		inc.TitleAR = firstNonEmpty(rep.Title, inc.TitleAR)
	case "en":
		inc.TitleEN = firstNonEmpty(rep.Title, inc.TitleEN)
	}
	return inc, nil
}

// when is the span of the accepted dates; with none, the day the report
// was published (else received), marked as an estimate since an incident
// is reported on or after the day it happened; with neither, unknown.
func when(dates []extract.Date, rep *record.Report) record.DateRange {
	if len(dates) == 0 {
		day := rep.Published
		if day == "" && len(rep.ReceivedAt) >= len(time.DateOnly) {
			day = rep.ReceivedAt[:len(time.DateOnly)]
		}
		if day == "" {
			return record.DateRange{Precision: "unknown"}
		}
		return record.DateRange{Start: day, Precision: grainPrecision(day), Estimate: true}
	}
	one := func(d extract.Date) record.DateRange {
		r := record.DateRange{Start: d.Start, End: d.End, Precision: d.Precision}
		if r.End == r.Start {
			r.End = ""
		}
		return r
	}
	if !slices.ContainsFunc(dates[1:], func(d extract.Date) bool { return d != dates[0] }) {
		return one(dates[0])
	}
	// Several dates: the days from the first one's start to the last one's
	// end, with the precision of that many days.
	var lo, hi string
	for _, d := range dates {
		s, e := one(d).Bounds()
		if s == "" {
			continue
		}
		if lo == "" || s < lo {
			lo = s
		}
		if e > hi {
			hi = e
		}
	}
	if lo == "" {
		return one(dates[0])
	}
	return record.DateRange{Start: lo, End: hi, Precision: rangePrecision(lo, hi)}
}

// rangePrecision is the date_precision of the days from lo to hi
// (YYYY-MM-DD), as the extractor gives it for a range.
func rangePrecision(lo, hi string) string {
	from, _ := time.Parse(time.DateOnly, lo)
	to, _ := time.Parse(time.DateOnly, hi)
	return extract.RangePrecision(from, to)
}

// addPlace adds a place fact to where, once per gazetteer place (or name).
// A place named as a countryside ("ريف الرقة الشرقي") is near its town,
// not in it.
func addPlace(where []record.Place, p extract.Place) []record.Place {
	rp := record.Place{GazetteerID: p.ID, NameAR: p.NameAR, NameEN: p.NameEN, Precision: p.Precision}
	if rp.Precision == "" {
		rp.Precision = "unknown"
	}
	if p.Part != "" && rp.Precision == "village_town_city" {
		rp.Precision = "near_settlement"
	}
	if p.Lat != 0 || p.Lon != 0 {
		lat, lon := p.Lat, p.Lon
		rp.Lat, rp.Lon = &lat, &lon
	}
	for _, w := range where {
		if rp.GazetteerID != "" && w.GazetteerID == rp.GazetteerID ||
			rp.GazetteerID == "" && w.GazetteerID == "" && w.NameAR == rp.NameAR && w.NameEN == rp.NameEN {
			return where
		}
	}
	return append(where, rp)
}

// addCasualty adds a count to the incident's casualties: one per category
// and outcome, the highest lower bound a fact gives (a report that updates
// its toll, "ارتفعت الحصيلة إلى 15", gives the later figure last and
// higher). Every figure is kept as a claim all the same.
func addCasualty(cs []record.CasualtyCount, c record.CasualtyCount) []record.CasualtyCount {
	for i, x := range cs {
		if x.Category == c.Category && x.Outcome == c.Outcome {
			if low(c.Count) > low(x.Count) {
				cs[i] = c
			}
			return cs
		}
	}
	return append(cs, c)
}

func low(c record.Count) int {
	if p := c.Low(); p != nil {
		return *p
	}
	return 0
}

// titles are generated from the first kind, the first place and the
// date: "قصف جوي في معدان، 2017-03-14", "Air strike in Maadan, 2017-03-14".
func titles(vs *vocab.Set, inc *record.Incident) (ar, en string) {
	kind := vocab.Labels{AR: inc.Kinds[0], EN: inc.Kinds[0]}
	if l, ok := vs.List(vocab.IncidentKind); ok {
		if t, ok := l.Term(inc.Kinds[0]); ok {
			kind = t.Labels
		}
	}
	// "قصف مدفعي أو صاروخي (…)": the label without its explanation.
	ar, _, _ = strings.Cut(kind.AR, " (")
	en, _, _ = strings.Cut(kind.EN, " (")
	if len(inc.Where) > 0 {
		p := inc.Where[0]
		if name := firstNonEmpty(p.NameAR, p.NameEN); name != "" {
			ar += " في " + name
		}
		if name := firstNonEmpty(p.NameEN, p.NameAR); name != "" {
			en += " in " + name
		}
	}
	if inc.When.Start != "" {
		ar += "، " + inc.When.Start
		en += ", " + inc.When.Start
	}
	return ar, en
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
