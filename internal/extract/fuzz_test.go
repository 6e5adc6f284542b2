package extract_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// FuzzExtract: any text gives facts whose spans are valid pieces of it,
// without panics.
func FuzzExtract(f *testing.F) {
	vs, err := vocab.Load()
	if err != nil {
		f.Fatal(err)
	}
	x := extract.New(vs)
	for _, s := range []string{
		"قُتل ثلاثة مدنيين بينهم طفل في قصف مدفعي لقوات النظام على حي المشلب أمس، ونفت قسد ذلك.",
		"At least 12 civilians were killed when coalition jets struck Raqqa on 5 June, SOHR said.",
		"أكثر من 70 مدني، عشرات، مئات، ٧٠، 25 الشهر الجاري، منذ 2015 إلى 2016",
		"\"«“", "", "ريف حمص الشرقي", "بينهم بينهم 1 2 3",
	} {
		f.Add(s)
	}
	pub := time.Date(2017, 6, 27, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		r := x.Extract(s, pub)
		for _, fa := range r.Facts {
			if fa.Span[0] < 0 || fa.Span[1] > len(s) || fa.Span[0] > fa.Span[1] || s[fa.Span[0]:fa.Span[1]] != fa.Text {
				t.Fatalf("fact %+v: span does not give its text in %q", fa, s)
			}
		}
		for _, inc := range r.Incidents {
			for _, i := range inc.Facts {
				if i < 0 || i >= len(r.Facts) {
					t.Fatalf("incident names fact %d of %d", i, len(r.Facts))
				}
			}
		}
	})
}

// A text longer than MaxText is read to MaxText and says so.
func TestExtractLongText(t *testing.T) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("قُتل ثلاثة مدنيين في قصف جوي على الرقة. ", extract.MaxText/40)
	r := extract.New(vs).Extract(long, time.Date(2017, 6, 27, 0, 0, 0, 0, time.UTC))
	if !r.Truncated {
		t.Error("a text over MaxText is not marked truncated")
	}
	for _, f := range r.Facts {
		if f.Span[1] > extract.MaxText {
			t.Fatalf("a fact beyond MaxText: %+v", f)
		}
	}
	if len(r.Facts) == 0 {
		t.Error("nothing extracted from the first MaxText bytes")
	}
}
