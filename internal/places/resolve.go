package places

// Resolved is a mention with the place the text means by it, when the text
// says.
type Resolved struct {
	Mention
	// Place is the place the mention denotes, or nil when the candidates
	// are several and nothing in the text decides between them
	// (Ambiguous), or when there are none.
	Place *Place
	// Ambiguous is true when Place is nil although there are candidates;
	// they stay in Mention.Candidates for a person to choose from.
	Ambiguous bool
	// Reason says which rule chose Place (see Resolve): only, designator,
	// contains, size, governorate or same name; "" when Place is nil.
	Reason string
}

// Resolve picks the place each mention of one text denotes, using the other
// mentions of the same text, and never guesses: when the rules below do not
// single out one place, the mention is Ambiguous.
//
// First, a name often denotes one place at several levels: الرقة is the
// governorate, its district and the city, each inside the next. Such a line
// of candidates counts as one place, its smallest (the city), unless the
// text speaks of its countryside (ريف حمص: the largest, the governorate) or
// a place word names a level (محافظة، ناحية، مدينة، حي, governorate,
// village ...; Mention.Designator), which keeps only the candidates of that
// level when there are any. A mention left with one place is resolved
// ("only", "designator").
//
// Then, between homonyms (قرية الحميدية, in five governorates), in this
// order and again after every mention these rules resolve, since a
// resolved mention is context for the others:
//
//  1. contains: the one candidate inside, containing or equal to a place
//     another mention (of another name) resolved to wins (حي الدرعية and
//     الرقة);
//  2. size: the one candidate that is an admin unit or a city (a community
//     with neighbourhoods) wins over villages and neighbourhoods: a
//     report's حماة is the city, not the village al-Hama;
//  3. governorate: the one candidate in the governorate of a place another
//     mention resolved to wins;
//  4. size: the one candidate that is the centre of its sub-district or
//     district wins over plain villages and neighbourhoods;
//  5. same name: a mention unresolved takes the place another mention of
//     the same name in the text resolved to.
func Resolve(ms []Mention) []Resolved {
	r := resolver{g: get(), out: make([]Resolved, len(ms)), reps: make([][]int32, len(ms))}
	for i, m := range ms {
		r.out[i].Mention = m
		r.reps[i] = r.candidates(m)
		switch len(r.reps[i]) {
		case 0:
		case 1:
			reason := "only"
			if r.filtered(m) {
				reason = "designator"
			}
			r.pick(i, r.reps[i][0], reason)
		default:
			r.out[i].Ambiguous = true
		}
	}
	rules := []func(i int) (int32, bool){r.contains, r.size(tierMajor), r.sameGovernorate, r.size(tierCentre), r.sameName}
	names := []string{"contains", "size", "governorate", "size", "same name"}
	for changed := true; changed; {
		changed = false
		for k, rule := range rules {
			for i := range r.out {
				if r.out[i].Ambiguous {
					if p, ok := rule(i); ok {
						r.pick(i, p, names[k])
						changed = true
					}
				}
			}
			if changed {
				break // start again with the strongest rule
			}
		}
	}
	return r.out
}

// resolver holds the state of one Resolve.
type resolver struct {
	g    *gazetteer
	out  []Resolved
	reps [][]int32 // the places each mention may still denote
}

func (r *resolver) pick(i int, p int32, reason string) {
	pl := r.g.places[p]
	r.out[i].Place, r.out[i].Ambiguous, r.out[i].Reason = &pl, false, reason
	r.reps[i] = []int32{p}
}

// candidates returns the distinct places a mention may denote once lines of
// one place at several levels count as one (see Resolve), largest first.
func (r *resolver) candidates(m Mention) []int32 {
	var all []int32
	for _, c := range m.Candidates {
		if k, ok := r.g.byID[c.ID]; ok {
			all = append(all, k)
		}
	}
	if levels := designatorLevels[m.Designator]; levels != nil {
		var kept []int32
		for _, k := range all {
			if levels[r.g.places[k].Level] {
				kept = append(kept, k)
			}
		}
		if len(kept) > 0 {
			all = kept
		}
	}
	var reps []int32
	for _, leaf := range all {
		if r.hasDescendantIn(leaf, all) {
			continue // not the end of a line
		}
		// A line ending in a community or neighbourhood means it, unless
		// the text speaks of the countryside; a line of admin units alone
		// (ريف دمشق: the governorate and its central district) means the
		// largest.
		rep := leaf
		if m.Part != "" || r.g.places[leaf].Level.rank() < Community.rank() {
			for _, k := range all { // largest first: the first on the line is its top
				if k == leaf || r.g.isAncestor(k, leaf) {
					rep = k
					break
				}
			}
		}
		if !contains32(reps, rep) {
			reps = append(reps, rep)
		}
	}
	return reps
}

// filtered reports whether the mention's designator kept some candidates
// and dropped others.
func (r *resolver) filtered(m Mention) bool {
	levels := designatorLevels[m.Designator]
	in, out := false, false
	for _, c := range m.Candidates {
		if levels[c.Level] {
			in = true
		} else {
			out = true
		}
	}
	return in && out
}

func (r *resolver) hasDescendantIn(k int32, set []int32) bool {
	for _, d := range set {
		if d != k && r.g.isAncestor(k, d) {
			return true
		}
	}
	return false
}

// designatorLevels are the levels a place word names.
var designatorLevels = map[string]map[Level]bool{
	"محافظة": {Governorate: true}, "governorate": {Governorate: true},
	"ناحية": {Subdistrict: true}, "subdistrict": {Subdistrict: true},
	"مدينة": {Community: true}, "بلدة": {Community: true}, "قرية": {Community: true}, "مزرعة": {Community: true},
	"مخيم": {Community: true}, "city": {Community: true}, "town": {Community: true}, "village": {Community: true},
	"camp": {Community: true},
	"حي":   {Neighbourhood: true}, "حارة": {Neighbourhood: true}, "neighbourhood": {Neighbourhood: true},
	// In English reports a city's "district" is a neighbourhood as often as
	// an admin district.
	"district": {District: true, Neighbourhood: true},
}

// anchors are the places the other mentions resolved to, leaving out
// mentions of the same name.
func (r *resolver) anchors(i int) []int32 {
	var out []int32
	for j := range r.out {
		if j != i && r.out[j].Place != nil && r.out[j].Name != r.out[i].Name {
			out = append(out, r.g.byID[r.out[j].Place.ID])
		}
	}
	return out
}

// only returns the one candidate of mention i for which ok holds.
func (r *resolver) only(i int, ok func(int32) bool) (int32, bool) {
	found, n := int32(-1), 0
	for _, k := range r.reps[i] {
		if ok(k) {
			found, n = k, n+1
		}
	}
	return found, n == 1
}

func (r *resolver) contains(i int) (int32, bool) {
	as := r.anchors(i)
	if len(as) == 0 {
		return 0, false
	}
	return r.only(i, func(k int32) bool {
		for _, a := range as {
			if a == k || r.g.isAncestor(a, k) || r.g.isAncestor(k, a) {
				return true
			}
		}
		return false
	})
}

func (r *resolver) sameGovernorate(i int) (int32, bool) {
	as := r.anchors(i)
	if len(as) == 0 {
		return 0, false
	}
	return r.only(i, func(k int32) bool {
		for _, a := range as {
			if g := r.g.gov[k]; g >= 0 && g == r.g.gov[a] {
				return true
			}
		}
		return false
	})
}

// size returns the rule that picks the one candidate of tier t or above
// when all the others are below t.
func (r *resolver) size(t uint8) func(i int) (int32, bool) {
	return func(i int) (int32, bool) {
		return r.only(i, func(k int32) bool { return r.g.tier[k] >= t })
	}
}

func (r *resolver) sameName(i int) (int32, bool) {
	for j := range r.out {
		if j != i && r.out[j].Place != nil && r.out[j].Name == r.out[i].Name {
			k := r.g.byID[r.out[j].Place.ID]
			if contains32(r.reps[i], k) {
				return k, true
			}
		}
	}
	return 0, false
}

// isAncestor reports whether place a contains place k.
func (g *gazetteer) isAncestor(a, k int32) bool {
	target := g.places[a].ID
	for id := g.places[k].Parent; id != ""; id = g.parentOf(id) {
		if id == target {
			return true
		}
	}
	return false
}

func contains32(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
