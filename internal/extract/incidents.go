package extract

import (
	"sort"
)

// group puts the facts into incidents: each incident kind opens one, and
// the facts of its sentence and of the sentences up to the next kind join
// it. Facts before the first kind join the first incident.
func (d *doc) group(facts []Fact) []Incident {
	var out []Incident
	var sentences []int
	for _, f := range facts {
		if f.Type == TypeIncidentKind {
			s := d.sentenceAt(f.Span[0])
			if len(out) > 0 && sentences[len(sentences)-1] == s {
				continue // several kinds in one sentence: one incident
			}
			out = append(out, Incident{Kind: f.Value})
			sentences = append(sentences, s)
		}
	}
	if len(out) == 0 {
		return []Incident{}
	}
	for i, f := range facts {
		s := d.sentenceAt(f.Span[0])
		k := sort.SearchInts(sentences, s+1) - 1
		if k < 0 {
			k = 0
		}
		out[k].Facts = append(out[k].Facts, i)
	}
	return out
}
