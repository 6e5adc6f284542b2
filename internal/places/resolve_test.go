package places

import (
	"slices"
	"testing"
)

// resolved writes each resolution as text=id/reason, or text=? when
// ambiguous.
func resolved(rs []Resolved) []string {
	out := []string{}
	for _, r := range rs {
		switch {
		case r.Place != nil:
			out = append(out, r.Text+"="+r.Place.ID+"/"+r.Reason)
		case r.Ambiguous:
			out = append(out, r.Text+"=?")
		default:
			out = append(out, r.Text+"=")
		}
	}
	return out
}

func TestResolve(t *testing.T) {
	// الطيبة is a village in seven governorates (C2281 Rural Damascus,
	// C2896 Homs, C4264 Idleb, C5193 Deir-ez-Zor, C5849 Ar-Raqqa, C5992
	// Dar'a, C6170 As-Sweida), none a town: only the text can tell which.
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"قصفت الطائرات قرية الطيبة", []string{"قرية الطيبة=?"}},
		{"قصفت الطائرات قرية الطيبة في ريف درعا الشرقي",
			[]string{"قرية الطيبة=C5992/contains", "ريف درعا الشرقي=SY12/only"}},
		{"قصفت الطائرات قرية الطيبة قرب مدينة السويداء",
			[]string{"قرية الطيبة=C6170/governorate", "مدينة السويداء=C6147/designator"}},
		{"نزح أهالي قرية الطيبة إلى الرقة، ثم عادوا إلى قرية الطيبة",
			[]string{"قرية الطيبة=C5849/governorate", "الرقة=C5710/only", "قرية الطيبة=C5849/governorate"}},
		// Two governorates named: the text does not decide.
		{"قرية الطيبة بين درعا والسويداء", []string{"قرية الطيبة=?", "درعا=C5993/only", "السويداء=C6147/only"}},
		// One place at several levels: the city, unless a place word or the
		// countryside says otherwise.
		{"الرقة", []string{"الرقة=C5710/only"}},
		{"محافظة الرقة", []string{"محافظة الرقة=SY11/designator"}},
		{"ريف حمص الشرقي", []string{"ريف حمص الشرقي=SY04/only"}},
		{"ريف دمشق", []string{"ريف دمشق=SY03/only"}},
		// A city beats its homonym villages (al-Hama), and the camp its
		// homonyms; a neighbourhood is found by its city.
		{"Hama and Hamah", []string{"Hama=C2987/size", "Hamah=C2987/size"}},
		{"مخيم اليرموك", []string{"مخيم اليرموك=C1002/size"}},
		{"حي الحميدية في حماة", []string{"حي الحميدية=N0292/contains", "حماة=C2987/only"}},
		{"حي اليرموك في الرقة", []string{"حي اليرموك=N0480/contains", "الرقة=C5710/only"}},
		{"حي اليرموك", []string{"حي اليرموك=?"}},
		// The tables write Aleppo's كلاسة and مرجة without the article.
		{"مستشفى في حي الكلاسة بمدينة حلب", []string{"حي الكلاسة=N0197/contains", "مدينة حلب=C1007/designator"}},
		{"أمام فرن في حي المرجة في حلب", []string{"حي المرجة=N0213/designator", "حلب=C1007/only"}},
		{"أصيبت بطلق ناري في الساق", []string{}},
		// English: a city's district is a neighbourhood when it has one of
		// that name; a place word after a list.
		{"executions in Deir ez-Zor's al-Hamidiya neighbourhood", []string{"Deir ez-Zor=C5086/only", "al-Hamidiya neighbourhood=N0425/contains"}},
		{"shelling of the Hamidiyeh district of Homs", []string{"Hamidiyeh district=N0249/contains", "Homs=C2528/only"}},
		{"bombs on the opposition-held al-Sukkari and Bustan al-Qasr districts of Aleppo",
			[]string{"al-Sukkari=N0219/only", "Bustan al-Qasr districts=N0204/only", "Aleppo=C1007/only"}},
		{"", []string{}},
	} {
		if got := resolved(Resolve(Find(tt.text))); !slices.Equal(got, tt.want) {
			t.Errorf("Resolve(Find(%q))\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// Candidates are kept when a mention is ambiguous, and a mention without
// known candidates is neither resolved nor ambiguous.
func TestResolveKeeps(t *testing.T) {
	rs := Resolve(Find("قرية الطيبة"))
	if len(rs) != 1 || len(rs[0].Candidates) != 7 || rs[0].Place != nil || !rs[0].Ambiguous {
		t.Fatalf("Resolve = %+v", rs)
	}
	rs = Resolve([]Mention{{Text: "x", Candidates: []Place{{ID: "C0000"}}}, {Text: "y"}})
	if rs[0].Place != nil || rs[0].Ambiguous || rs[1].Place != nil || rs[1].Ambiguous {
		t.Fatalf("Resolve of unknown places = %+v", rs)
	}
}

// Every place named in the seed reports is decided.
func TestResolveSeeds(t *testing.T) {
	for name, text := range seeds(t) {
		n := 0
		for _, r := range Resolve(Find(text)) {
			if r.Place == nil {
				t.Errorf("%s: %q is ambiguous: %v", name, r.Text, ids(r.Candidates))
				continue
			}
			n++
			if r.Name == "الرقة" && r.Part == "" && r.Designator != "محافظة" && r.Place.ID != "C5710" {
				t.Errorf("%s: %q = %s", name, r.Text, r.Place.ID)
			}
		}
		t.Logf("%s: %d resolved", name, n)
	}
}
