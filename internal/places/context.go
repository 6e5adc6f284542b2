package places

import (
	"strings"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// The words around a name that Find reads. Arabic words are keys
// (normalised: ة is ه, أ is ا); English words are lower case.

// designatorAR maps the Arabic place words to the form Mention.Designator
// gives.
var designatorAR = map[string]string{
	"حي": "حي", "احياء": "حي", "حيي": "حي", "حاره": "حارة", "ضاحيه": "حي",
	"قريه": "قرية", "قري": "قرية", "قريتي": "قرية", "بلده": "بلدة", "بلدات": "بلدة", "بلدتي": "بلدة",
	"مدينه": "مدينة", "مدينتي": "مدينة", "مزرعه": "مزرعة", "مخيم": "مخيم",
	"ناحيه": "ناحية", "منطقه": "منطقة", "محافظه": "محافظة", "مقاطعه": "محافظة", "محافظات": "محافظة",
	"ريف": "ريف", "ريفي": "ريف", "ارياف": "ريف",
}

// cueAR are the Arabic words after which a name that is also a word
// (needsCue) is a place: prepositions of place and the directions.
var cueAR = map[string]bool{
	"في": true, "من": true, "الي": true, "قرب": true, "نحو": true, "باتجاه": true, "اتجاه": true,
	"شمال": true, "جنوب": true, "شرق": true, "غرب": true, "شمالي": true, "جنوبي": true, "شرقي": true, "غربي": true,
	"محيط": true, "اطراف": true, "داخل": true, "حول": true, "عند": true, "علي": true, "بين": true,
	"مدخل": true, "ضواحي": true, "وسط": true, "جوار": true, "مشارف": true,
}

// directionAR are the adjectives of ريف X الشرقي.
var directionAR = map[string]string{"الشمالي": "north", "الجنوبي": "south", "الشرقي": "east", "الغربي": "west"}

// designatorEN maps the English place words to the form
// Mention.Designator gives.
var designatorEN = map[string]string{
	"neighbourhood": "neighbourhood", "neighborhood": "neighbourhood", "quarter": "neighbourhood", "suburb": "neighbourhood",
	"village": "village", "town": "town", "city": "city", "camp": "camp",
	"subdistrict": "subdistrict", "nahiya": "subdistrict", "district": "district",
	"governorate": "governorate", "province": "governorate", "countryside": "countryside",
	// After a list: "the al-Sukkari and Bustan al-Qasr districts".
	"neighbourhoods": "neighbourhood", "neighborhoods": "neighbourhood", "quarters": "neighbourhood",
	"villages": "village", "towns": "town", "governorates": "governorate", "provinces": "governorate",
	"districts": "district",
}

// cueEN are the English words after which a capitalised name that is also a
// word (needsCue) is a place.
var cueEN = map[string]bool{
	"in": true, "near": true, "from": true, "to": true, "into": true, "at": true, "outside": true,
	"around": true, "towards": true, "toward": true, "across": true, "through": true,
	"between": true, "besieged": true, "reached": true, "entered": true, "outskirts": true,
	// "the opposition-held al-Sukkari", "IS-controlled Tabqa", "shelled Kafr Zita"
	"held": true, "controlled": true, "shelled": true, "struck": true, "bombed": true, "stormed": true,
	"captured": true, "seized": true, "hit": true, "targeted": true,
}

// directionEN are the adjectives of "the eastern countryside of X".
var directionEN = map[string]string{
	"north": "north", "northern": "north", "south": "south", "southern": "south",
	"east": "east", "eastern": "east", "west": "west", "western": "west",
	"northeastern": "", "northwestern": "", "southeastern": "", "southwestern": "",
}

// foreignAR and foreignEN are the adjectives of other countries: a name
// followed by one (مدينة سروج التركية) or a place word preceded by one (the
// Turkish town of Suruc) is a place abroad, whatever Syrian village shares
// its name.
var (
	foreignAR = wordSet("التركيه التركي العراقيه العراقي اللبنانيه اللبناني الاردنيه الاردني الايرانيه الايراني " +
		"المصريه المصري السعوديه السعودي اليمنيه اليمني الليبيه الليبي التونسيه التونسي الفلسطينيه الفلسطيني " +
		"الاسرائيليه الاسرائيلي الروسيه الروسي الامريكيه الامريكي الاميركيه الاميركي الفرنسيه الفرنسي البريطانيه " +
		"البريطاني الالمانيه الالماني السويسريه الكويتيه الكويتي الاماراتيه القطريه البحرينيه المغربيه الجزائريه " +
		"السودانيه الافغانيه الباكستانيه")
	foreignEN = wordSet("turkish iraqi lebanese jordanian iranian egyptian saudi yemeni libyan tunisian palestinian " +
		"israeli russian american french british german swiss kuwaiti")
)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// foldWord normalises a word the way Find sees it.
func foldWord(w string) string { return arabic.Normalize(w).Text }

// contextAR reads the words around an Arabic name: a place word before it
// (with its own attached prefix: وبمدينة، لحي), a cue word, the countryside
// of ريف X الشرقي or of الريف الشرقي لـX, and quotes.
func (f *finder) contextAR(x *ctx, i, floor int, c cand) {
	if c.cut == 0 && !c.lam {
		f.quoted(x)
	}
	if k := x.next; k < len(f.toks) && foreignAR[f.toks[k].key] && f.joined(k-1, k, "") {
		x.foreign = true
		return
	}
	if c.e.toks[0] == "ريف" { // ريف دمشق الغربي: the name is a countryside
		if d, ok := f.directionAfter(x); ok {
			x.part = countryside(d)
		}
	}
	j := i - 1
	if j < floor || !onlyOf(f.norm[f.toks[j].end:f.toks[i].start], quotes) {
		return
	}
	w := f.toks[j].key
	if d, cut := designatorOf(w); d != "" {
		x.designator, x.start = d, f.toks[j].start+cut
		if d == "ريف" {
			dir, _ := f.directionAfter(x)
			x.part = countryside(dir)
		}
		return
	}
	if cueAR[w] || cueAR[strings.TrimPrefix(strings.TrimPrefix(w, "و"), "ف")] {
		x.cue = true
	}
	// الريف الشرقي لحلب: the name carries the ل.
	if c.cut > 0 && strings.HasSuffix(f.toks[i].key[:c.cut], "ل") || c.lam {
		dir, k := "", j
		if d, ok := directionAR[w]; ok && j-1 >= floor && f.joined(j-1, j, "") {
			dir, k = d, j-1
		}
		if rest := strings.TrimLeft(f.toks[k].key, "وفب"); rest == "الريف" || f.toks[k].key == "الريف" {
			x.designator, x.part = "ريف", countryside(dir)
			x.start = f.toks[k].end - len(rest) // والريف spans الريف
		}
	}
}

// designatorOf returns the place word w is, behind any attached prefix, and
// the length of that prefix.
func designatorOf(w string) (string, int) {
	for _, p := range [...]string{"", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"} {
		if rest, ok := strings.CutPrefix(w, p); ok {
			if d, ok := designatorAR[rest]; ok {
				return d, len(p)
			}
		}
	}
	return "", 0
}

// directionAfter reads the adjective of ريف X الشرقي into the mention and
// returns its direction; two of them (الشمالي الغربي) give "".
func (f *finder) directionAfter(x *ctx) (string, bool) {
	k := x.next
	if k >= len(f.toks) || !f.joined(k-1, k, "") {
		return "", false
	}
	d, ok := directionAR[f.toks[k].key]
	if !ok {
		return "", false
	}
	x.next, x.end = k+1, f.toks[k].end
	if k+1 < len(f.toks) && f.joined(k, k+1, "") {
		if _, ok := directionAR[f.toks[k+1].key]; ok {
			x.next, x.end = k+2, f.toks[k+1].end
			return "", true
		}
	}
	return d, true
}

// countryside is the Part for a direction ("" for none).
func countryside(dir string) string {
	if dir == "" {
		return "countryside"
	}
	return "countryside_" + dir
}

// contextEN reads the words around an English name: an article before it
// (al-, Ar-), "village of", "countryside of", "rural", a cue word, and after
// it a possessive, a direction and "countryside", or a place word (Raqqa
// city, Yarmouk camp).
func (f *finder) contextEN(x *ctx, i, floor int) {
	f.quoted(x)
	j := i - 1
	if j >= floor && f.toks[j].article && (f.joined(j, i, "-") ||
		(f.toks[j].key == "al" || f.toks[j].key == "il") && f.joined(j, i, "")) {
		x.start, j = f.toks[j].start, j-1
	}
	dirBefore, dirTok := "", -1
	if j >= floor && f.joined(j, j+1, quotes) {
		switch w := f.word(j); {
		case w == "of" && j-1 >= floor && designatorEN[f.word(j-1)] != "":
			x.designator, x.start = designatorEN[f.word(j-1)], f.toks[j-1].start
			x.foreign = j-2 >= 0 && foreignEN[f.word(j-2)]
			if x.designator == "countryside" {
				x.part = "countryside"
				if j-2 >= floor && directionEN[f.word(j-2)] != "" {
					x.part, x.start = countryside(directionEN[f.word(j-2)]), f.toks[j-2].start
				}
			}
		case w == "rural":
			x.designator, x.part, x.start = "countryside", "countryside", f.toks[j].start
			if j-1 >= floor && directionEN[f.word(j-1)] != "" {
				x.part, x.start = countryside(directionEN[f.word(j-1)]), f.toks[j-1].start
			}
		case directionEN[w] != "" && j-1 >= floor && f.word(j-1) == "rural":
			x.designator, x.part, x.start = "countryside", countryside(directionEN[w]), f.toks[j-1].start
		case cueEN[w]:
			x.cue = true
		case directionEN[w] != "":
			dirBefore, dirTok = directionEN[w], j
		}
	}
	f.afterEN(x, dirBefore, dirTok)
}

// afterEN reads what follows an English name: "'s", a direction and
// "countryside" (Homs's eastern countryside, the eastern Homs countryside),
// or a place word.
func (f *finder) afterEN(x *ctx, dirBefore string, dirTok int) {
	k := x.next
	if k < len(f.toks) && f.word(k) == "s" && f.joined(k-1, k, "'’") {
		k++
	}
	dir := ""
	if k < len(f.toks) && f.joined(k-1, k, "'’") {
		if d, ok := directionEN[f.word(k)]; ok {
			dir, k = d, k+1
		}
	}
	if k >= len(f.toks) || !f.joined(k-1, k, "'’") || x.part != "" {
		return
	}
	d := designatorEN[f.word(k)]
	switch {
	case d == "countryside":
		if dir == "" && dirBefore != "" {
			dir, x.start = dirBefore, f.toks[dirTok].start
		}
		x.designator, x.part = d, countryside(dir)
	case d != "" && dir == "" && k == x.next:
		x.designator = d
	default:
		return
	}
	x.next, x.end = k+1, f.toks[k].end
}
