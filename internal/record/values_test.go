package record

import (
	"reflect"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/vocab"
)

func intp(n int) *int { return &n }

func fp(f float64) *float64 { return &f }

func newTestValidator(t *testing.T) *Validator {
	t.Helper()
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	return NewValidator(vs)
}

// codes returns the codes of the field errors, "" when valid.
func codes(v *Validator) string {
	out := ""
	for _, e := range v.errs {
		out += e.Field + ":" + e.Code + " "
	}
	return out
}

func TestCountValidate(t *testing.T) {
	cases := []struct {
		name string
		c    Count
		want string
	}{
		{"more than 70", Count{Min: intp(71), Qualifier: "more_than", SourceText: "أكثر من 70"}, ""},
		{"exact", Count{Min: intp(3), Best: intp(3), Max: intp(3), Qualifier: "exact"}, ""},
		{"exact zero", Count{Best: intp(0), Qualifier: "exact"}, ""},
		{"range", Count{Min: intp(10), Best: intp(12), Max: intp(20), Qualifier: "about"}, ""},
		{"dozens without numbers", Count{Qualifier: "vague_dozens", SourceText: "عشرات"}, ""},
		{"none reported", Count{Qualifier: "none_reported"}, ""},
		{"no qualifier", Count{Min: intp(1)}, "c.qualifier:required "},
		{"unknown qualifier", Count{Qualifier: "loads"}, "c.qualifier:unknown_code "},
		{"min > max", Count{Min: intp(5), Max: intp(2), Qualifier: "at_least"}, "c.min:min_gt_max "},
		{"min > best", Count{Min: intp(5), Best: intp(2), Qualifier: "about"}, "c.min:min_gt_best "},
		{"best > max", Count{Best: intp(9), Max: intp(2), Qualifier: "about"}, "c.best:best_gt_max "},
		{"negative", Count{Min: intp(-1), Qualifier: "at_least"}, "c.min:negative "},
		{"at least needs min", Count{Qualifier: "at_least"}, "c.min:required "},
		{"up to needs max", Count{Qualifier: "up_to"}, "c.max:required "},
		{"exact needs best", Count{Qualifier: "exact"}, "c.best:required "},
		{"unknown is never zero", Count{Min: intp(0), Qualifier: "at_least"}, "c.min:zero "},
		{"unknown nonzero zero", Count{Min: intp(0), Qualifier: "unknown_nonzero"}, "c.min:zero "},
		{"none reported with number", Count{Best: intp(0), Qualifier: "none_reported"}, "c:not_allowed "},
		{"inexact exact", Count{Min: intp(2), Best: intp(3), Qualifier: "exact"}, "c:inexact "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestValidator(t)
			tc.c.Validate(v, "c")
			if got := codes(v); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDateRangeValidate(t *testing.T) {
	cases := []struct {
		name string
		d    DateRange
		want string
	}{
		{"day", DateRange{Start: "2017-06-05", Precision: "day"}, ""},
		{"days", DateRange{Start: "2017-06-05", End: "2017-06-07", Precision: "days_2_6", Estimate: true}, ""},
		{"month", DateRange{Start: "2017-06", Precision: "month"}, ""},
		{"year", DateRange{Start: "2016", Precision: "year"}, ""},
		{"exact time", DateRange{Start: "2017-06-05T03:20:00+03:00", Precision: "exact_time"}, ""},
		{"unknown", DateRange{Precision: "unknown"}, ""},
		{"same day end", DateRange{Start: "2017-06-05", End: "2017-06-05", Precision: "day"}, ""},
		{"month end covers day start", DateRange{Start: "2017-06-20", End: "2017-06", Precision: "month"}, ""},
		{"end before start", DateRange{Start: "2017-06-05", End: "2017-06-04", Precision: "day"}, "w.end:end_before_start "},
		{"no precision", DateRange{Start: "2017-06-05"}, "w.precision:required "},
		{"bad precision", DateRange{Start: "2017-06-05", Precision: "soon"}, "w.precision:unknown_code "},
		{"missing start", DateRange{Precision: "day"}, "w.start:required "},
		{"end without start", DateRange{End: "2017", Precision: "unknown"}, "w.start:required "},
		{"bad date", DateRange{Start: "05/06/2017", Precision: "day"}, "w.start:invalid_date "},
		{"impossible date", DateRange{Start: "2017-02-30", Precision: "day"}, "w.start:invalid_date "},
		{"coarse for day", DateRange{Start: "2017-06", Precision: "day"}, "w.start:precision_mismatch "},
		{"year out of range", DateRange{Start: "0017-06-05", Precision: "day"}, "w.start:invalid_date "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestValidator(t)
			tc.d.Validate(v, "w")
			if got := codes(v); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDateRangeBounds(t *testing.T) {
	cases := []struct {
		d      DateRange
		lo, hi string
	}{
		{DateRange{Start: "2017-06", Precision: "month"}, "2017-06-01", "2017-06-30"},
		{DateRange{Start: "2016", Precision: "year"}, "2016-01-01", "2016-12-31"},
		{DateRange{Start: "2017-08-20", End: "2017-08-22", Precision: "days_2_6"}, "2017-08-20", "2017-08-22"},
		{DateRange{Precision: "unknown"}, "", ""},
	}
	for _, tc := range cases {
		lo, hi := tc.d.Bounds()
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("%+v: got %s..%s, want %s..%s", tc.d, lo, hi, tc.lo, tc.hi)
		}
	}
}

func TestPlaceValidate(t *testing.T) {
	cases := []struct {
		name string
		p    Place
		want string
	}{
		{"named", Place{NameAR: "حي المشلب", Precision: "neighbourhood"}, ""},
		{"point", Place{Lat: fp(35.95), Lon: fp(39.01), Precision: "exact"}, ""},
		{"unknown", Place{Precision: "unknown"}, ""},
		{"no precision", Place{NameAR: "الرقة"}, "p.precision:required "},
		{"half a point", Place{NameEN: "Raqqa", Lat: fp(35.9), Precision: "village_town_city"}, "p.lat:incomplete_point "},
		{"lat range", Place{Lat: fp(135.9), Lon: fp(39), Precision: "exact"}, "p.lat:out_of_range "},
		{"lon range", Place{Lat: fp(35.9), Lon: fp(-239), Precision: "exact"}, "p.lon:out_of_range "},
		{"nothing", Place{Precision: "neighbourhood"}, "p:required "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestValidator(t)
			tc.p.Validate(v, "p")
			if got := codes(v); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecodeBodyErrorsNameTheField(t *testing.T) {
	cases := []struct {
		name, json, field, code string
	}{
		{"unknown field", `{"kinds":["air_strike"],"colour":"red"}`, "record.colour", "unknown_field"},
		{"wrong type", `{"kinds":"air_strike"}`, "record.kinds", "wrong_type"},
		{"nested wrong type", `{"when":{"start":2017}}`, "record.when.start", "wrong_type"},
		{"malformed", `{"kinds":[`, "record", "malformed_json"},
		{"trailing", `{} {}`, "record", "malformed_json"},
		{"empty", ``, "record", "malformed_json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeBody(TypeIncident, []byte(tc.json))
			ve, ok := err.(*ValidationError)
			if !ok || ve.Errors[0].Field != tc.field || ve.Errors[0].Code != tc.code {
				t.Fatalf("got %v, want %s %s", err, tc.field, tc.code)
			}
		})
	}
	if _, err := DecodeBody("weather", []byte(`{}`)); err == nil {
		t.Error("unknown type accepted")
	}
}

func TestNewIDSortsByTime(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 1000; i++ {
		id := NewID(timeAt(int64(i)))
		if len(id) != 26 || !ValidID(id) {
			t.Fatalf("bad id %q", id)
		}
		if id <= prev || seen[id] {
			t.Fatalf("id %q not after %q", id, prev)
		}
		seen[id] = true
		prev = id
	}
}

func timeAt(ms int64) time.Time { return time.UnixMilli(1_500_000_000_000 + ms) }

// TestDefaultTagsMatchDefaults keeps the `default` struct tags (which the
// OpenAPI description shows) equal to what applyDefaults fills in.
func TestDefaultTagsMatchDefaults(t *testing.T) {
	for _, typ := range Types() {
		b, _ := New(typ)
		if d, ok := b.(defaulter); ok {
			d.applyDefaults()
		}
		v := reflect.ValueOf(b).Elem()
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			tag, tagged := f.Tag.Lookup("default")
			got := ""
			if f.Type.Kind() == reflect.String {
				got = v.Field(i).String()
			}
			if tagged && got != tag || !tagged && got != "" {
				t.Errorf("%s.%s: default tag %q, applyDefaults gives %q", typ, f.Name, tag, got)
			}
		}
	}
}
