package arabic

import (
	"fmt"
	"testing"
)

// TestStemClasses checks that the spellings and inflections of one word
// share one stem, and that different words do not.
func TestStemClasses(t *testing.T) {
	classes := []struct {
		name  string
		words []string
	}{
		{"civilian", []string{"مدني", "المدنيين", "مدنيون", "والمدنيين", "للمدنيين", "المدنيّون", "مدنياً", "مدنية"}},
		{"shelling", []string{"قصف", "والقصف", "بقصف", "قَصْف", "بالقصف", "وبقصف", "فالقصف"}},
		{"children", []string{"الاطفال", "الأطفالُ", "والأطفال", "أطفال", "للأطفال", "أطفالهم"}},
		{"hospital", []string{"مستشفى", "المستشفى", "مستشفي", "المستشفيات", "بالمستشفى"}},
		{"cars", []string{"سيارات", "السيارات", "سيارة", "بسيارة", "سيارتين"}},
		{"town", []string{"بلدة", "البلدة", "بلدات", "ببلدة", "وبلدة"}},
		{"units", []string{"وحدات", "الوحدات", "وحدة", "ووحدات"}},
		{"province", []string{"ولاية", "الولاية", "الولايات", "بولاية"}},
		{"ministry", []string{"وزارة", "الوزارة", "بوزارة", "للوزارة"}},
		{"britain", []string{"بريطانيا", "البريطانية", "لبريطانيا", "البريطاني"}},
		{"refugees", []string{"لاجئين", "اللاجئين", "للاجئين", "لاجئ"}},
		{"air raid", []string{"غارة", "الغارة", "غارات", "الغارات", "بغارتين", "غارتين"}},
		{"aircraft", []string{"طائرة", "الطائرة", "طائرات", "طائرتين", "الطائرات"}},
		{"syria", []string{"سوريا", "سورية", "السوري", "السورية", "لسوريا"}},
		{"russia", []string{"روسيا", "الروسية", "الروسي", "وروسيا"}},
		{"unlisted radical-initial name", []string{"بنغازي", "لبنغازي", "وبنغازي", "البنغازي"}},
		{"listed radical-initial name", []string{"بوتين", "لبوتين", "وبوتين"}},
		{"village name", []string{"كفرنبل", "بكفرنبل", "وكفرنبل", "لكفرنبل"}},
		{"radical alef-lam", []string{"التزام", "الالتزام", "بالتزام"}},
		{"kurdish", []string{"كردي", "الكردية", "الكرد", "والكردي"}},
		{"chemical", []string{"الكيميائي", "الكيميائية", "كيميائي", "بالكيميائي"}},
		{"said (plural)", []string{"قالوا", "قال"}},
	}
	stems := map[string]string{}
	for _, c := range classes {
		t.Run(c.name, func(t *testing.T) {
			want := Stem(c.words[0])
			for _, w := range c.words[1:] {
				if got := Stem(w); got != want {
					t.Errorf("Stem(%q) = %q, Stem(%q) = %q", w, got, c.words[0], want)
				}
			}
			if other, ok := stems[want]; ok {
				t.Errorf("classes %q and %q share the stem %q", c.name, other, want)
			}
			stems[want] = c.name
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"سيارات", "سيار"}, // not يارا
		{"المدنيين", "مدن"},
		{"مستشفى", "مستشف"},
		{"والأطفال", "اطفال"},
		{"طائرتين", "طاير"},
		// short words are only normalised
		{"أدى", "ادي"}, {"على", "علي"}, {"عن", "عن"}, {"ضد", "ضد"}, {"دم", "دم"},
		{"قصف", "قصف"}, {"بلد", "بلد"}, {"الف", "الف"},
		// the article stays on a word of two letters, and so does the word
		{"الحي", "الحي"}, {"والحي", "الحي"}, {"الله", "الله"}, {"الدم", "الدم"},
		// ... and the proclitic on a root of three
		{"كتبه", "كتب"}, {"بيته", "بيت"}, {"وقته", "وقت"},
		// never fewer than three letters
		{"بها", "بها"}, {"ولد", "ولد"}, {"مكان", "مكان"}, {"عمان", "عمان"}, {"ستين", "ستين"},
		// radical-initial words keep their first letter
		{"كبير", "كبير"}, {"وزير", "وزير"}, {"لجنة", "لجن"}, {"فريق", "فريق"}, {"بيان", "بيان"},
		// not Arabic: normalised only
		{"Civilians", "civilians"}, {"2017", "2017"}, {"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Stem(tt.in); got != tt.want {
				t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestRadicalInitial checks the table: every entry starts with a letter
// that could be a proclitic, and is a normalised stem.
func TestRadicalInitial(t *testing.T) {
	for w := range radicalInitial {
		if fold(w) != w || letters(w) < minStem {
			t.Errorf("%q is not a normalised stem", w)
		}
		switch []rune(w)[0] {
		case 'و', 'ف', 'ب', 'ك', 'ل':
		default:
			t.Errorf("%q does not start with و ف ب ك or ل", w)
		}
	}
}

func TestIsStopWord(t *testing.T) {
	for _, w := range []string{"في", "من", "علي", "الي", "عن", "ان", "التي", "الذي", "هذا", "هذه",
		"كان", "قد", "مع", "بعد", "قبل", "حيث", "كما", "وفي", "ومن", "فان", "وقد", "هولاء",
		"the", "in", "on", "from", "to", "that", "this"} {
		if !IsStopWord(w) {
			t.Errorf("IsStopWord(%q) = false", w)
		}
	}
	for _, w := range []string{"قصف", "مدنيين", "داعش", "ضد", "و1", "us", "who", "may", "civilians", ""} {
		if IsStopWord(w) {
			t.Errorf("IsStopWord(%q) = true", w)
		}
	}
	for w := range stopWords {
		if fold(w) != w {
			t.Errorf("stop word %q is not normalised", w)
		}
	}
}

func TestStemEnglish(t *testing.T) {
	classes := [][]string{
		{"civilian", "civilians", "Civilians"},
		{"strike", "strikes", "striking", "airstrike"[3:]},
		{"kill", "kills", "killed", "killing"},
		{"shell", "shells", "shelled", "shelling"},
		{"bomb", "bombs", "bombed", "bombing", "bombings"},
		{"casualty", "casualties"},
		{"displace", "displaced", "displaces"},
		{"stop", "stopped", "stopping"},
		{"flee", "fleeing"},
	}
	for _, c := range classes {
		t.Run(c[0], func(t *testing.T) {
			want := StemEnglish(c[0])
			for _, w := range c[1:] {
				if got := StemEnglish(w); got != want {
					t.Errorf("StemEnglish(%q) = %q, StemEnglish(%q) = %q", w, got, c[0], want)
				}
			}
		})
	}
	for in, want := range map[string]string{"isis": "isis", "status": "status", "analysis": "analysis",
		"class": "class", "us": "us", "f16": "f16", "raqqa": "raqqa", "shelling": "shell", "used": "used"} {
		if got := StemEnglish(in); got != want {
			t.Errorf("StemEnglish(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // Text@Position:surface …
	}{
		{"arabic", "قُتل 3 من المدنيين في قصفٍ على الرقة",
			`[قتل@0:قُتل 3@1:3 مدن@3:المدنيين قصف@5:قصفٍ رقه@7:الرقة]`},
		{"english", "Airstrikes killed civilians in Raqqa on Tuesday",
			`[airstrik@0:Airstrikes kill@1:killed civilian@2:civilians raqqa@4:Raqqa tuesday@6:Tuesday]`},
		{"mixed", "طائرات F-16 قصفت Raqqa",
			`[طاير@0:طائرات f16@1:F-16 قصفت@2:قصفت raqqa@3:Raqqa]`},
		{"only stop words", "في من على the of", `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, term := range Analyze(tt.in) {
				got = append(got, fmt.Sprintf("%s@%d:%s", term.Text, term.Position, tt.in[term.Start:term.End]))
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("Analyze(%q)\n got %v\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestAnalyzeEnglish(t *testing.T) {
	var got []string
	for _, term := range AnalyzeEnglish("Civilians fled الأطفال في Raqqa") {
		got = append(got, term.Text)
	}
	if want := "[civilian fled الاطفال في raqqa]"; fmt.Sprint(got) != want {
		t.Errorf("AnalyzeEnglish = %v, want %s", got, want)
	}
}

func TestLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"قصف جوي على الرقة":              "ar",
		"An air strike on Raqqa":         "en",
		"قصف جوي Raqqa":                  "ar",
		"Raqqa قصف is being slaughtered": "en",
		"Москва":                         "other",
		"2017 - 12, 300!":                "other",
		"":                               "other",
		"الرقة تذبح بصمت Raqqa is silent": "ar",
	} {
		if got := Language(in); got != want {
			t.Errorf("Language(%q) = %q, want %q", in, got, want)
		}
	}
}
