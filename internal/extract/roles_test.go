package extract_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// TestRoles: the actor and claim rules on sentences written for the test
// (not from the gold set): each wants some facts ("actor sdf/source",
// "claim denial/russia") and not others.
func TestRoles(t *testing.T) {
	vs, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	x := extract.New(vs)
	for _, c := range []struct {
		text      string
		want, not []string
	}{
		// Speakers that are no party: nobody's claim; the accused is the perpetrator.
		{"واتهم سكان محليون قوات النظام بقصف الحي بقذائف الهاون.",
			[]string{"actor syrian_government/perpetrator"}, []string{"claim statement/syrian_government", "actor syrian_government/source"}},
		{"Residents said Russian jets struck the market in Maarat al-Numan.",
			[]string{"actor russia/perpetrator"}, []string{"claim statement/russia"}},
		// Titles between the verb and the party; a body affiliated to it.
		{"ونفى المتحدث باسم التحالف الدولي وقوع إصابات بين المدنيين في الغارة.",
			[]string{"claim denial/us_coalition", "actor us_coalition/source"}, nil},
		{"وقال مصدر في الشرطة العسكرية التابعة للجيش الوطني إن الحادثة قيد التحقيق.",
			[]string{"claim statement/opposition", "actor opposition/source"}, nil},
		{"A Russian defence ministry spokesman denied the report.",
			[]string{"claim denial/russia", "actor russia/source"}, []string{"claim statement/russia"}},
		// The head noun of a party's name repeats it.
		{"اعتقلت حركة أحرار الشام ثلاثة ناشطين في إدلب. وقالت الحركة في بيان إنهم متهمون بالتخابر.",
			[]string{"actor opposition/perpetrator", "claim statement/opposition", "actor opposition/source"}, nil},
		// A statement that its forces did not attack is a denial.
		{"وقالت وزارة الدفاع الروسية إن طائراتها لم تقصف أي منشآت مدنية في إدلب.",
			[]string{"claim denial/russia"}, []string{"claim statement/russia"}},
		// Publishing pictures of an operation claims it.
		{"ونشرت هيئة تحرير الشام مقطعاً مصوراً للهجوم على الحاجز.",
			[]string{"claim responsibility_claim/hts", "actor hts/source"}, nil},
		// Holding a place is no part in the attack.
		{"قصفت قوات النظام بلدة كفرنبل الخاضعة لسيطرة هيئة تحرير الشام.",
			[]string{"actor syrian_government/perpetrator", "actor hts/other"}, []string{"actor hts/perpetrator"}},
		{"Syrian government helicopters dropped barrel bombs on the rebel-held town of Kafr Zita, activists said.",
			[]string{"actor syrian_government/perpetrator", "actor opposition/other"}, []string{"actor opposition/perpetrator"}},
		// An unknown author.
		{"انفجرت عبوة ناسفة في سوق المدينة، ولم تعرف الجهة المسؤولة عن التفجير.",
			[]string{"actor unidentified/perpetrator"}, nil},
		{"واقتيد الشاب إلى جهة مجهولة.", nil, []string{"actor unidentified/perpetrator", "actor unidentified/other"}},
		// Both sides of a clash.
		{"قتل ثمانية عناصر من الطرفين في اشتباكات بين قوات النظام وتنظيم داعش في البادية.",
			[]string{"actor syrian_government/perpetrator", "actor syrian_government/victim_side", "actor isis/perpetrator", "actor isis/victim_side"}, nil},
		// The subject of a verb of violence, with its unit between.
		{"اقتحمت دورية تابعة للأمن العسكري منزل الناشط في درعا.",
			[]string{"actor syrian_security_services/perpetrator"}, nil},
		{"Regime forces killed five civilians in Daraa.", []string{"actor syrian_government/perpetrator"}, nil},
		// Fighters killed are their party's losses; militants killing are the killers.
		{"Two SDF fighters were killed in a Turkish drone strike.",
			[]string{"actor sdf/victim_side", "actor turkey/perpetrator"}, nil},
		{"ISIS militants killed three shepherds near Palmyra.",
			[]string{"actor isis/perpetrator"}, []string{"actor isis/victim_side"}},
		// Positions said to be hit are not yet a victim.
		{"وقالت وزارة الدفاع التركية إن طائراتها استهدفت مواقع لقسد في ريف الحسكة.",
			[]string{"actor turkey/source", "actor sdf/other"}, []string{"actor sdf/victim_side"}},
		// "Turkish-backed X": the backer is no author.
		{"Turkish-backed factions shelled the village of Tal Tamr, the SDF said.",
			[]string{"actor opposition/perpetrator", "claim statement/sdf", "actor sdf/source"}, []string{"actor turkey/perpetrator"}},
		{"Clashes between the SDF and Turkish-backed rebels near Manbij killed four fighters on both sides.",
			[]string{"actor sdf/perpetrator", "actor sdf/victim_side", "actor opposition/perpetrator", "actor opposition/victim_side"}, nil},
		// A nationality of a civilian thing; words that only look like a name.
		{"Hundreds of families fled towards the Turkish border after the shelling.", nil, []string{"actor turkey/other"}},
		{"The town is controlled by HTS, and the shelling is continuing.", []string{"actor hts/other"}, []string{"actor isis/other", "actor hts/perpetrator"}},
		{"هجّرت الوحدات الكردية سكان القرى العربية في ريف الرقة.", nil, []string{"claim report_by_outlet/al_arabiya"}},
		{"وهي تحالف من المقاتلين المحليين.", nil, []string{"actor us_coalition/other"}},
		// An outlet named as an employer does not report.
		{"اعتقلت هيئة تحرير الشام صحفيين يعملان لصالح قناة أورينت في إدلب.",
			[]string{"actor hts/perpetrator"}, []string{"claim report_by_outlet/orient"}},
		// "The group" is the armed group named before.
		{"Islamic State beheaded two men in Mayadin. The group later posted pictures of the killings.",
			[]string{"actor isis/perpetrator", "claim responsibility_claim/isis", "actor isis/source"}, nil},
		// A claim word inside a name, an adjective, a noun.
		{"Islamic State fighters shelled the town. The army said it struck 'confirmed terrorist targets'.",
			nil, []string{"claim statement/isis", "claim acknowledgement/isis"}},
		{"Russia's defence ministry dismissed reports of strikes on schools.",
			[]string{"claim denial/russia"}, []string{"claim statement/russia"}},
	} {
		r := x.Extract(c.text, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC))
		got := map[string]bool{}
		for _, f := range r.Facts {
			switch f.Type {
			case extract.TypeActor:
				got["actor "+f.Value+"/"+f.Role] = true
			case extract.TypeClaim:
				got["claim "+f.Claim.Kind+"/"+f.Claim.By] = true
			}
		}
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("%q: no %s (got %v)", c.text, w, keys(got))
			}
		}
		for _, n := range c.not {
			if got[n] {
				t.Errorf("%q: unwanted %s", c.text, n)
			}
		}
	}
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return strings.Join(out, ", ")
}
