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
	seen := map[string]bool{}
	for k, r := range resolved {
		if k > 0 && d.locates(resolved[k-1], r) {
			continue // "كفرنبل في ريف إدلب", "al-Sakhour in Aleppo": the smaller place says it
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
	if q.Place == nil || p.Place == nil || p.Start < q.End || p.Start-q.End > 24 {
		return false
	}
	gap := strings.TrimSpace(d.text[q.End:p.Start])
	switch gap {
	case "", "في", "ب", "من", "،", ",", "-", "in", "of", "near", "قرب", "بالقرب من", "شمال", "جنوب", "شرق", "غرب", "شرقي", "غربي", "شمالي", "جنوبي":
	default:
		return false
	}
	for _, a := range places.Ancestors(q.Place.ID) {
		if a == p.Place.ID {
			return true
		}
	}
	return false
}
