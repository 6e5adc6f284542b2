package places

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// brief writes a mention as text|name|part|designator.
func brief(ms []Mention) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Text+"|"+m.Name+"|"+m.Part+"|"+m.Designator)
	}
	return out
}

// Sample sentences in the style of the reports, Arabic and English, with
// the traps: common words that are also village names, people's names,
// places abroad, lower case.
func TestFind(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		// Attached conjunctions and prepositions; a place word with its own.
		{"قصف على وبالرقة وللرقة وحلب بحلب ولحمص بمدينة الرقة",
			[]string{"الرقة|الرقة||", "وللرقة|الرقة||", "حلب|حلب||", "حلب|حلب||", "حمص|حمص||", "مدينة الرقة|الرقة||مدينة"}},
		// Quotes, and names written without the space before the article.
		{`أهالي حي "المشلب" وحي «الرميلة» في ديرالزور`,
			[]string{`حي "المشلب"|المشلب||حي`, "حي «الرميلة»|الرميلة||حي", "ديرالزور|دير الزور||"}},
		{"نزح الأهالي من “الرميلة” إلى تل أبيض وعين عيسى ثم إلى معرة النعمان",
			[]string{"“الرميلة”|الرميلة||", "تل أبيض|تل أبيض||", "عين عيسى|عين عيسى||", "معرة النعمان|معرة النعمان||"}},
		// The countryside, with and without a direction, and ريف دمشق, a
		// governorate by name.
		{"اشتباكات في ريف حلب الشمالي الغربي و الريف الشرقي لحمص وريف دمشق الغربي والريف الجنوبي للرقة",
			[]string{"ريف حلب الشمالي الغربي|حلب|countryside|ريف", "الريف الشرقي لحمص|حمص|countryside_east|ريف",
				"ريف دمشق الغربي|ريف دمشق|countryside_west|", "الريف الجنوبي للرقة|الرقة|countryside_south|ريف"}},
		{"قتل 5 مدنيين في غارة على كفرنبل بريف إدلب الجنوبي وكفر زيتا",
			[]string{"كفرنبل|كفر نبل||", "ريف إدلب الجنوبي|إدلب|countryside_south|ريف", "كفر زيتا|كفرزيتا||"}},
		// Common words that are village or neighbourhood names count only
		// after a place word; a list shares it.
		{"وحدات حماية الشعب احتفلت بعيد النصر في الثورة السورية في شهر تشرين الأول وقال عمر إن المدينة الجديدة كبيرة",
			[]string{}},
		{"قصفت الطائرات حي النصر ومدينة الثورة وقرى الطيبة والناصرية، والسكرية",
			[]string{"حي النصر|النصر||حي", "مدينة الثورة|مدينة الثورة||", "قرى الطيبة|الطيبة||قرية",
				"الناصرية|الناصرية||قرية", "السكرية|السكرية||قرية"}},
		{"مدينة سروج التركية وبلدة سروج", []string{"بلدة سروج|سروج||بلدة"}},
		// English: articles, spellings, capitals.
		{"Clashes in Ar-Raqqa, al-Raqqah and Deir ez-Zor and Deir-ez-Zor; Hamas said Hama and Hamah were calm.",
			[]string{"Ar-Raqqa|Ar-Raqqa||", "al-Raqqah|Ar-Raqqa||", "Deir ez-Zor|Deir-ez-Zor||", "Deir-ez-Zor|Deir-ez-Zor||",
				"Hama|Hama||", "Hamah|Hama||"}},
		{"the eastern countryside of Homs, Homs's eastern countryside, rural Idlib, eastern rural Hama, Raqqa city, the village of Hass",
			[]string{"eastern countryside of Homs|Homs|countryside_east|countryside",
				"Homs's eastern countryside|Homs|countryside_east|countryside", "rural Idlib|Idleb|countryside|countryside",
				"eastern rural Hama|Hama|countryside_east|countryside", "Raqqa city|Ar-Raqqa||city", "village of Hass|Has||village"}},
		{"Yarmouk camp and the Yarmouk neighbourhood of Raqqa, Hama's northern countryside",
			[]string{"Yarmouk camp|Yarmuk||camp", "Yarmouk neighbourhood|Yarmuk||neighbourhood", "Raqqa|Ar-Raqqa||",
				"Hama's northern countryside|Hama|countryside_north|countryside"}},
		{"SANA reported that Bashar al-Assad and the US met Khalil in aleppo. Tell me. Omar spoke; Hamas and Homsi did not.",
			[]string{}},
		// An English name that goes on with capitalised words the
		// gazetteer lacks is another name.
		{"the village of Beit Jinn, the Yarmouk Basin and the Deir ez-Zor Military Council", []string{}},
		{"the besieged Yarmouk Palestinian camp", []string{"Yarmouk|Yarmuk||"}},
		{"", []string{}},
	} {
		if got := brief(Find(tt.text)); !slices.Equal(got, tt.want) {
			t.Errorf("Find(%q)\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

// The reports of ../shared/data/seeds, read at test time.
func TestFindSeeds(t *testing.T) {
	texts := seeds(t)
	musts := map[string][]string{
		"004": {"الرقة|الرقة||", "مدينة الرقة|الرقة||مدينة", "حي “المشلب”|المشلب||حي", "“الرميلة”|الرميلة||",
			"الرقة السمرا|الرقة السمرا||", "حي الدرعية|الدرعية||حي", "مدينة تدمر|تدمر||مدينة",
			"ريف حمص الشرقي|حمص|countryside_east|ريف", "Raqqa|Ar-Raqqa||"},
		"000": {"مدينة الرقة|الرقة||مدينة", "ديرالزور|دير الزور||", "ريف ديرالزور الشرقي|دير الزور|countryside_east|ريف",
			"محافظة ديرالزور|دير الزور||محافظة"},
		"002": {"الرقة|الرقة||", "محافظة دير الزور|دير الزور||محافظة", "مقاطعة دير الزور|دير الزور||محافظة",
			"مدينة الميادين|الميادين||مدينة", "دير الزور|دير الزور||"},
	}
	// Words of the reports that are also place names but are not places
	// there: the YPG (وحدات حماية الشعب), the Euphrates (سد الفرات), the
	// reporter al-Khodr (أغيد الخضر), "the city" (المدينة), Syria.
	nots := []string{"الشعب", "الفرات", "الخضر", "المدينة", "سورية", "سوريا", "الثورة", "الأسد", "علماً", "جديدة"}
	for name, text := range texts {
		ms := Find(text)
		checkMentions(t, text, ms)
		got := brief(ms)
		for _, want := range musts[name[:3]] {
			if !slices.Contains(got, want) {
				t.Errorf("%s: no %q in %q", name, want, got)
			}
		}
		for _, m := range ms {
			for _, w := range nots {
				if m.Name == w || strings.Contains(m.Text, w) {
					t.Errorf("%s: found %q (%s)", name, m.Text, m.Name)
				}
			}
		}
		t.Logf("%s: %d mentions", name, len(ms))
	}
}

// checkMentions checks what every Find must give: spans in order, without
// overlaps, on rune boundaries, Text the text they cover, and candidates.
func checkMentions(t *testing.T, text string, ms []Mention) {
	t.Helper()
	bounds := map[int]bool{len(text): true}
	for i := 0; i < len(text); {
		bounds[i] = true
		_, w := utf8.DecodeRuneInString(text[i:])
		i += w
	}
	end := 0
	for _, m := range ms {
		if m.Start < end || m.End <= m.Start || m.End > len(text) {
			t.Fatalf("span %d-%d after %d in %d bytes", m.Start, m.End, end, len(text))
		}
		end = m.End
		if m.Text != text[m.Start:m.End] || !bounds[m.Start] || !bounds[m.End] {
			t.Fatalf("Text %q, span %q", m.Text, text[m.Start:m.End])
		}
		if m.Name == "" || len(m.Candidates) == 0 {
			t.Fatalf("%q: name %q, %d candidates", m.Text, m.Name, len(m.Candidates))
		}
		for i := 1; i < len(m.Candidates); i++ {
			a, b := m.Candidates[i-1], m.Candidates[i]
			if a.Level.rank() > b.Level.rank() || a.Level == b.Level && a.ID >= b.ID {
				t.Fatalf("%q: candidates out of order: %s before %s", m.Text, a.ID, b.ID)
			}
		}
	}
}

// Changing a mention's candidates changes nothing else.
func TestFindCopies(t *testing.T) {
	m := Find("الرقة")[0]
	m.Candidates[0].NameAR = "x"
	if p, _ := Get(m.Candidates[0].ID); p.NameAR == "x" || Find("الرقة")[0].Candidates[0].NameAR == "x" {
		t.Error("a mention's candidate is shared")
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"قصف على وبالرقة وللرقة", `حي "المشلب"`, "ريف حمص الشرقي", "الريف الشرقي لـ”حمص”", "Ar-Raqqa's eastern countryside",
		"ديرالزور", "قرى الطيبة والناصرية، والسكرية", "Dar'a", "الرَّقَّة", "\xff\xfeالرقة", "ﺍﻟﺮﻗﺔ", "al-", "ريف", "و",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms := Find(s)
		checkMentions(t, s, ms)
		for _, r := range Resolve(ms) {
			if r.Place != nil && !slices.ContainsFunc(r.Candidates, func(p Place) bool { return p.ID == r.Place.ID }) {
				t.Fatalf("%q resolved to %s, not a candidate", r.Text, r.Place.ID)
			}
			if r.Ambiguous == (r.Place != nil) && len(r.Candidates) > 0 {
				t.Fatalf("%q: ambiguous %v with place %v", r.Text, r.Ambiguous, r.Place)
			}
		}
	})
}

// Find and Resolve are safe for concurrent use (run with -race).
func TestFindConcurrent(t *testing.T) {
	texts := []string{"قرية الطيبة في ريف درعا الشرقي", "Clashes in Ar-Raqqa and rural Idlib", `حي "المشلب" في الرقة`}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = brief(Find(s))
	}
	done := make(chan bool)
	for w := 0; w < 8; w++ {
		go func() {
			defer func() { done <- true }()
			for k := 0; k < 50; k++ {
				i := k % len(texts)
				if got := brief(Find(texts[i])); !slices.Equal(got, want[i]) {
					t.Errorf("Find(%q) = %q, want %q", texts[i], got, want[i])
				}
				Resolve(Find(texts[i]))
			}
		}()
	}
	for w := 0; w < 8; w++ {
		<-done
	}
}
