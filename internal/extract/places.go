package extract

import (
	"strings"

	"github.com/tawthiq/tawthiq/internal/places"
)

// places are the gazetteer's places named in the text, resolved by
// context or marked ambiguous.
func (d *doc) places() []Fact {
	var out []Fact
	resolved := places.Resolve(places.Find(d.text))
	// An outlet's name is not a place: "شبكة دير الزور 24", "Furat Post".
	var names [][2]int
	for _, o := range outlets.find(d.terms) {
		names = append(names, [2]int{d.terms[o.i].Start, d.terms[o.j-1].End})
	}
	// Nor is a party's: "Hayat Tahrir al-Sham", "جيش إدلب الحر".
	for _, p := range d.parties {
		names = append(names, [2]int{d.terms[p.i].Start, d.terms[p.j-1].End})
	}
	// A governorate, district or sub-district that holds another place the
	// text names only says where that place is ("بلدة معدان … ريف الرقة
	// الشرقي", "Tafas … Daraa province").
	inner := map[string]bool{}
	for _, r := range resolved {
		if r.Place != nil && !r.Ambiguous && !d.inName(r) {
			for _, a := range places.Ancestors(r.Place.ID) {
				inner[a] = true
			}
		}
	}
	// Another place the text resolves, for landmarks to point from.
	others := 0
	for _, r := range resolved {
		if r.Place != nil && !r.Ambiguous && !d.inName(r) && !inSpans(names, r.Start, r.End) {
			others++
		}
	}
	seen := map[string]bool{}
	for k, r := range resolved {
		if k > 0 && d.locates(resolved[k-1], r) {
			continue // "كفرنبل في ريف إدلب", "al-Sakhour in Aleppo": the smaller place says it
		}
		if r.Part == "" && others > 1 && d.afterDirection(r) {
			continue // "تلدو بمنطقة الحولة شمال غربي حمص", "Tremseh, north-west of Hama": a landmark
		}
		if d.inName(r) || inSpans(names, r.Start, r.End) {
			continue
		}
		if r.Place != nil && !r.Ambiguous && inner[r.Place.ID] && r.Place.Level.Admin() {
			continue
		}
		if r.Place != nil && !r.Ambiguous {
			if seen[r.Place.ID+"/"+r.Part] {
				continue // one fact per place: its first mention
			}
			seen[r.Place.ID+"/"+r.Part] = true
		}
		f := Fact{Type: TypePlace, Span: [2]int{r.Start, r.End}, Text: r.Text, Confidence: 0.7}
		p := &Place{Part: r.Part}
		if r.Place != nil && !r.Ambiguous {
			pl := *r.Place
			p.ID, p.NameAR, p.NameEN, p.Lat, p.Lon, p.Precision = pl.ID, pl.NameAR, pl.NameEN, pl.Lat, pl.Lon, pl.Precision
			if len(r.Candidates) > 1 {
				f.Confidence = 0.55
			}
		} else {
			p.Ambiguous = true
			f.Confidence = 0.3
			for _, c := range r.Candidates {
				p.Candidates = append(p.Candidates, c.ID)
			}
		}
		f.Place = p
		out = append(out, f)
	}
	return out
}

// locates: mention q, right before p ("Q في P", "Q in P", "Q، P"), is a
// place inside p, so p only says where q is.
func (d *doc) locates(q, p places.Resolved) bool {
	if p.Place == nil || p.Start < q.End || p.Start-q.End > 40 {
		return false
	}
	direction := false
	for _, w := range strings.Fields(strings.NewReplacer("،", " ", ",", " ", "-", " ").Replace(d.text[q.End:p.Start])) {
		bare := strings.TrimPrefix(strings.TrimPrefix(w, "و"), "ب")
		if bare != "" && !locatingWord[bare] && !locatingWord[strings.ToLower(w)] {
			return false
		}
		direction = direction || directionWord[bare] || directionWord[strings.ToLower(w)]
	}
	if direction {
		return true // "جنديرس جنوب غربي عفرين": the second place is a landmark
	}
	if q.Place == nil {
		return false
	}
	for _, a := range places.Ancestors(q.Place.ID) {
		if a == p.Place.ID {
			return true
		}
	}
	return false
}

// afterDirection: the mention follows a direction that points from it
// ("شمال غربي حمص", "جنوبي مدينة الرقة", "north-west of Hama", "in
// southern Damascus").
func (d *doc) afterDirection(r places.Resolved) bool {
	before := strings.Fields(strings.NewReplacer("،", " ", ",", " ", "-", " ").Replace(d.text[max(0, r.Start-40):r.Start]))
	for n := len(before) - 1; n >= 0 && n >= len(before)-3; n-- {
		w := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(before[n], "و"), "ب"))
		switch {
		case directionWord[w] && w != "قرب" && w != "بالقرب" && w != "near":
			return true
		case w == "of" || w == "the" || w == "مدينة" || w == "مدينه":
			continue
		default:
			return false
		}
	}
	return false
}

// locatingWord are the words that may stand between a place and the
// larger place that says where it is: "حي المنصور وسط الرقة", "بلدة
// جنديرس جنوب غربي عفرين", "al-Sukkari, south of Aleppo".
var locatingWord = map[string]bool{
	"في": true, "من": true, "قرب": true, "بالقرب": true, "مدينة": true, "مدينه": true, "ريف": true, "محافظة": true,
	"شمال": true, "جنوب": true, "شرق": true, "غرب": true, "شمالي": true, "جنوبي": true, "شرقي": true, "غربي": true,
	"وسط": true, "أطراف": true, "اطراف": true, "ضواحي": true, "محيط": true,
	"in": true, "of": true, "near": true, "north": true, "south": true, "east": true, "west": true, "northern": true,
	"southern": true, "eastern": true, "western": true, "central": true, "outskirts": true, "city": true, "province": true,
	"the": true, "countryside": true, "coastal": true, "town": true, "village": true, "بلدة": true, "قرية": true,
	"بمنطقة": true, "منطقة": true, "بريف": true, "بمدينة": true,
}

// directionWord say where a place lies from a landmark.
var directionWord = map[string]bool{
	"شمال": true, "جنوب": true, "شرق": true, "غرب": true, "شمالي": true, "جنوبي": true, "شرقي": true, "غربي": true,
	"north": true, "south": true, "east": true, "west": true, "northern": true, "southern": true, "eastern": true,
	"western": true, "قرب": true, "بالقرب": true, "near": true,
}

// inName: the mention is part of an organisation's name — "مجلس الرقة
// المدني", "غرفة عمليات فتح حلب", «الرقة تذبح بصمت», "Deir Ezzor 24" — not
// a place where something happened.
func (d *doc) inName(r places.Resolved) bool {
	before := strings.Fields(d.text[max(0, r.Start-30):r.Start])
	if n := len(before); n > 0 {
		switch strings.TrimLeft(before[n-1], "«\"“(") {
		case "مجلس", "لمجلس", "ومجلس", "بمجلس", "غرفة", "شبكة", "لشبكة", "عمليات", "تجمع", "لواء", "تنسيقية", "جامعة", "Council", "council",
			// a title or an office: "محافظ حمص", "مديرية صحة حماة", "governor of Homs"
			"محافظ", "لمحافظ", "ومحافظ", "صحة", "مديرية", "governor", "Governor":
			return true
		}
	}
	// A road's name: "طريق دمشق – السويداء", "the Damascus-Homs highway".
	for k := len(before) - 1; k >= 0 && k >= len(before)-3; k-- {
		switch strings.TrimLeft(before[k], "«\"“(و") {
		case "طريق", "الطريق", "أوتوستراد", "اوتوستراد", "road", "Road", "highway", "Highway":
			return true
		}
	}
	// "governor of Suwayda", "the University of Aleppo".
	if n := len(before); n > 1 && strings.EqualFold(before[n-1], "of") {
		switch strings.ToLower(before[n-2]) {
		case "governor", "university", "council", "mayor", "directorate", "bar":
			return true
		}
	}
	// A name followed by what makes it an organisation's: "Deir ez-Zor
	// Military Council", "مجلس دير الزور العسكري".
	if after := strings.Fields(d.text[r.End:min(len(d.text), r.End+30)]); len(after) > 0 {
		switch strings.Trim(after[0], "«»\"“”'’,.،") {
		case "Military", "Civil", "Council", "العسكري", "المدني":
			return true
		}
	}
	// Inside «…» or “…” that hold more than the name: a title.
	open := strings.LastIndexAny(d.text[:r.Start], "«“")
	if open >= 0 && !strings.ContainsAny(d.text[open:r.Start], "»”") {
		end := strings.IndexAny(d.text[r.End:], "»”")
		if end >= 0 && (strings.TrimSpace(d.text[open+len("«"):r.Start]) != "" || strings.TrimSpace(d.text[r.End:r.End+end]) != "") {
			return true
		}
	}
	return false
}

func inSpans(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if start < s[1] && s[0] < end {
			return true
		}
	}
	return false
}
