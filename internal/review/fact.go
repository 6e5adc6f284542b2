package review

import (
	"fmt"
	"strings"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// roles are the roles an actor fact can have (see extract.Fact.Role).
var roles = map[string]bool{"perpetrator": true, "victim_side": true, "source": true, "other": true}

// maxCount is the largest figure a count may hold: more than any incident
// of the conflict, so a larger one is a typing slip.
const maxCount = 10_000_000

// edit is the proposal p with the values of e: the proposal's type, span,
// text and confidence, and only the fields of its type. A place chosen by
// gazetteer id takes its names, point and precision from the gazetteer
// where the edit leaves them out.
func edit(p, e extract.Fact) extract.Fact {
	f := extract.Fact{Type: p.Type, Span: p.Span, Text: p.Text, Confidence: p.Confidence}
	switch p.Type {
	case extract.TypeIncidentKind:
		f.Value = e.Value
	case extract.TypeCasualties:
		f.Outcome, f.Category = e.Outcome, e.Category
		if e.Count != nil {
			c := *e.Count
			f.Count = &c
		}
	case extract.TypeActor:
		f.Value, f.Role = e.Value, e.Role
	case extract.TypePlace:
		if e.Place != nil {
			pl := *e.Place
			pl.Ambiguous, pl.Candidates = false, nil
			if g, ok := places.Get(pl.ID); ok && pl.ID != "" {
				if pl.NameAR == "" && pl.NameEN == "" {
					pl.NameAR, pl.NameEN = g.NameAR, g.NameEN
				}
				if pl.Lat == 0 && pl.Lon == 0 {
					pl.Lat, pl.Lon = g.Lat, g.Lon
				}
				if pl.Precision == "" {
					pl.Precision = g.Precision
				}
			}
			f.Place = &pl
		}
	case extract.TypeDate:
		if e.Date != nil {
			d := *e.Date
			if d.Precision == "" {
				d.Precision = grainPrecision(d.Start)
			}
			f.Date = &d
		}
	case extract.TypeClaim:
		if e.Claim != nil {
			c := *e.Claim
			f.Claim = &c
		}
	}
	return f
}

// checkFact validates a fact about to be accepted or stored as an edit;
// fields are named as in the JSON of a Decision ("fact.count.min").
func checkFact(vs *vocab.Set, f extract.Fact) error {
	v := record.NewValidator(vs)
	switch f.Type {
	case extract.TypeIncidentKind:
		v.Code("fact.value", vocab.IncidentKind, f.Value, true)
	case extract.TypeCasualties:
		v.Code("fact.outcome", vocab.Outcome, f.Outcome, true)
		v.Code("fact.category", vocab.CasualtyCategory, f.Category, true)
		checkCount(v, f.Count)
	case extract.TypeActor:
		if _, ok := vs.Actor(f.Value); !ok {
			v.Fail("fact.value", "unknown_actor", "is not an actor of the vocabulary (see /api/v1/actors)", "ليس طرفاً في قائمة الأطراف")
		}
		if !roles[f.Role] {
			v.Fail("fact.role", "unknown_role", "must be perpetrator, victim_side, source or other",
				"يجب أن يكون perpetrator أو victim_side أو source أو other")
		}
	case extract.TypePlace:
		checkPlace(v, f.Place)
	case extract.TypeDate:
		if f.Date == nil {
			v.Fail("fact.date", "required", "is required", "حقل مطلوب")
			break
		}
		record.DateRange{Start: f.Date.Start, End: f.Date.End, Precision: f.Date.Precision}.Validate(v, "fact.date")
		if f.Date.Start == "" && (f.Date.Precision == "unknown" || f.Date.Precision == "") {
			// A date fact says when: "unknown" is no date to record.
			v.Fail("fact.date.start", "required", "is required", "حقل مطلوب")
		}
	case extract.TypeClaim:
		checkClaim(v, vs, f.Claim)
	default:
		v.Fail("fact.type", "unknown_type", "is not a type of fact", "ليس نوعاً من أنواع الوقائع")
	}
	return v.Err()
}

func checkCount(v *record.Validator, c *extract.Count) {
	if c == nil {
		v.Fail("fact.count", "required", "is required", "حقل مطلوب")
		return
	}
	bad := false
	for _, n := range []struct {
		name string
		n    int
	}{{"min", c.Min}, {"best", c.Best}, {"max", c.Max}} {
		switch {
		case n.n < 0 && !(n.name == "max" && n.n == -1):
			v.Fail("fact.count."+n.name, "negative", "must not be negative (max may be -1: no upper bound)",
				"يجب ألا يكون سالباً (يجوز أن يكون الحد الأعلى -1: بلا حد)")
			bad = true
		case n.n > maxCount:
			v.Fail("fact.count."+n.name, "out_of_range", fmt.Sprintf("is larger than %d: check the figure", maxCount),
				fmt.Sprintf("أكبر من %d: راجع الرقم", maxCount))
			bad = true
		}
	}
	if !bad {
		recordCount(*c).Validate(v, "fact.count")
	}
}

func checkPlace(v *record.Validator, p *extract.Place) {
	switch {
	case p == nil:
		v.Fail("fact.place", "required", "is required", "حقل مطلوب")
		return
	case p.ID != "":
		if _, ok := places.Get(p.ID); !ok {
			v.Fail("fact.place.id", "unknown_place", "is not a place of the gazetteer", "ليس مكاناً في دليل الأماكن")
		}
	case p.Ambiguous:
		v.Fail("fact.place.id", "ambiguous", "the name fits several places: edit the fact and choose one of its candidates",
			"الاسم يطابق أكثر من مكان: عدّل الواقعة واختر أحد الأماكن المرشحة")
	case strings.TrimSpace(p.NameAR) == "" && strings.TrimSpace(p.NameEN) == "":
		v.Fail("fact.place", "required", "needs a gazetteer id or a name", "يحتاج معرّفاً من دليل الأماكن أو اسماً")
	}
	v.Text("fact.place.name_ar", p.NameAR, false, 300)
	v.Text("fact.place.name_en", p.NameEN, false, 300)
	v.Code("fact.place.precision", vocab.PlacePrecision, p.Precision, false)
	if p.Lat < -90 || p.Lat > 90 {
		v.Fail("fact.place.lat", "out_of_range", "must be between -90 and 90", "يجب أن يكون بين -90 و90")
	}
	if p.Lon < -180 || p.Lon > 180 {
		v.Fail("fact.place.lon", "out_of_range", "must be between -180 and 180", "يجب أن يكون بين -180 و180")
	}
}

func checkClaim(v *record.Validator, vs *vocab.Set, c *extract.Claim) {
	if c == nil {
		v.Fail("fact.claim", "required", "is required", "حقل مطلوب")
		return
	}
	v.Code("fact.claim.kind", vocab.ClaimType, c.Kind, true)
	switch c.Kind {
	case "casualty_count":
		v.Fail("fact.claim.kind", "not_allowed", "a count is a casualties fact, not a claim fact", "الحصيلة واقعة ضحايا وليست واقعة ادعاء")
	case "attribution":
		v.Fail("fact.claim.kind", "not_allowed", "an attribution is an actor fact with role perpetrator",
			"نسب المسؤولية واقعة طرف بدور perpetrator")
	}
	v.Text("fact.claim.by", c.By, false, 200)
}

// recordCount is an extracted count as a record.Count. The extractor's
// Max -1 is "no upper bound" (absent); an unknown_nonzero count keeps only
// its minimum, one, since any other figure would be made up. In an
// analyst's edit a best or max of 0 beside a minimum above 0 is a field
// left blank, not a figure.
func recordCount(c extract.Count) record.Count {
	rc := record.Count{Qualifier: c.Qualifier, SourceText: c.SourceText}
	if c.Qualifier == "none_reported" {
		return rc
	}
	minimum := c.Min
	rc.Min = &minimum
	if c.Qualifier == "unknown_nonzero" {
		return rc
	}
	if c.Best != 0 || c.Min == 0 {
		best := c.Best
		rc.Best = &best
	}
	if c.Max > 0 || c.Max == 0 && c.Min == 0 {
		mx := c.Max
		rc.Max = &mx
	}
	return rc
}

// grainPrecision is the date_precision of a partial date as written.
func grainPrecision(s string) string {
	switch len(s) {
	case len("2006"):
		return "year"
	case len("2006-01"):
		return "month"
	case len("2006-01-02"):
		return "day"
	}
	return "unknown"
}
