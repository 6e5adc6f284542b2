package extract_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// factKeys are the facts of a text as short keys: "casualties
// killed/children/2/2", "place C5710", "kind shelling", "date
// 2017-06-27/2017-06-27".
func factKeys(t *testing.T, x *extract.Extractor, text string) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, f := range x.Extract(text, time.Date(2017, 6, 28, 0, 0, 0, 0, time.UTC)).Facts {
		switch {
		case f.Count != nil:
			got[fmt.Sprintf("casualties %s/%s/%d/%d", f.Outcome, f.Category, f.Count.Min, f.Count.Max)] = true
		case f.Place != nil && !f.Place.Ambiguous:
			got["place "+f.Place.ID] = true
		case f.Date != nil:
			got["date "+f.Date.Start+"/"+f.Date.End] = true
		case f.Type == extract.TypeIncidentKind:
			got["kind "+f.Value] = true
		}
	}
	return got
}

// TestCasualtyAndPlaceRules: the casualty, place and kind rules on
// sentences written for the test (none from the gold sets); each wants
// some facts and not others.
func TestCasualtyAndPlaceRules(t *testing.T) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	x := extract.New(vs)
	for _, c := range []struct {
		text      string
		want, not []string
	}{
		// A total, its parts after بينهم, and others of the same kind.
		{"قُتل عشرة مدنيين، بينهم ثلاثة أطفال وامرأتان، وأصيب سبعة آخرون بقصف على البلدة.",
			[]string{"casualties killed/civilians/10/10", "casualties killed/children/3/3", "casualties killed/women/2/2",
				"casualties injured/civilians/7/7"}, []string{"casualties killed/civilians/7/7"}},
		// Groups side by side are counted by category; duals with a possessive.
		{"أدت الغارة إلى مقتل رجل وزوجته وطفليهما.",
			[]string{"casualties killed/men/1/1", "casualties killed/women/1/1", "casualties killed/children/2/2"}, nil},
		// A figure after "إصابة" belongs to it, not to the killing before.
		{"ما أسفر عن مقتل امرأة وإصابة تسعة أشخاص بجروح.",
			[]string{"casualties killed/women/1/1", "casualties injured/unknown/9/9"}, []string{"casualties killed/unknown/9/9"}},
		// A subject before an Arabic verb, with an auxiliary.
		{"وكان أربعة مدنيين قد قضوا في القصف ذاته.", []string{"casualties killed/civilians/4/4"}, nil},
		// English: the subject of a passive, its parts after the verb; a
		// count that does not say who is unknown.
		{"Eight civilians were killed, including two children, and 20 people were wounded.",
			[]string{"casualties killed/civilians/8/8", "casualties killed/children/2/2", "casualties injured/unknown/20/20"}, nil},
		{"The shelling killed five fighters and two civilians.",
			[]string{"casualties killed/fighters/5/5", "casualties killed/civilians/2/2"}, nil},
		// Villages, ages, names and negations are not counts.
		{"نزح الأهالي من ثلاث قرى بعد مقتل طفل يبلغ من العمر 12 عاماً، ولم ترد معلومات عن قتلى آخرين.",
			[]string{"casualties killed/children/1/1"}, []string{"casualties displaced/civilians/3/3", "casualties killed/children/12/12"}},
		// "a number of" is several; "at least" may follow the noun.
		{"أسفر القصف عن إصابة عدد من المدنيين ومقتل ١٨ عنصراً من الميليشيات على الأقل.",
			[]string{"casualties injured/civilians/3/9", "casualties killed/fighters/18/-1"}, nil},
		// Places: a landmark after a direction is no place fact; a title is none.
		{"قصفت الطائرات قرية التمانعة شمال غربي حماة، وقال محافظ حمص إن الطرق مغلقة.",
			[]string{}, []string{"place C2987", "place C2528"}},
		{"Shelling hit the Hamidiyeh district of Homs.", []string{"place N0249"}, []string{"place C2716"}},
		// A road's name holds no places; a name that goes on is another name.
		{"خطف مسلحون سائقاً على طريق دمشق – السويداء.", []string{}, []string{"place C1001", "place C6147"}},
		{"Jets pounded the village of Beit Jinn.", []string{}, []string{"place C5530"}},
		// Ages: in the sixties is elderly; a 21-year-old woman is a woman.
		{"وتوفي رجل في الستين من عمره متأثراً بإصابته.", []string{"casualties killed/elderly/1/1"}, nil},
		{"A 21-year-old woman was abducted by gunmen.", []string{"casualties detained/women/1/1"}, []string{"casualties detained/elderly/1/1"}},
		// Kinds: looting is destruction of property; a market is no protected object.
		{"نهب عناصر الفصيل المحال التجارية في السوق بعد سيطرتهم على البلدة.",
			[]string{"kind property_destruction"}, []string{"kind attack_on_protected_object"}},
		// Dates: last week is the seven days before publication; the night of two days.
		{"وقعت الغارة ليل السبت الأحد، بعد قصف متواصل خلال الأسبوع الماضي.",
			[]string{"date 2017-06-24/2017-06-25", "date 2017-06-21/2017-06-27"}, nil},
	} {
		checkFacts(t, c.text, factKeys(t, x, c.text), c.want, c.not)
	}
}
