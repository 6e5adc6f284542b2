package places

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// gazetteer is the loaded data: the places and the name indexes.
type gazetteer struct {
	places []Place // largest level first, then by id
	byID   map[string]int32
	// first indexes the names for Find by the key of their first token;
	// each list is longest name first.
	first map[string][]*entry
	// lookup indexes every place under the Lookup key of each of its names.
	lookup map[string][]int32
	// tier is each place's prominence (see tierOf); gov the index of the
	// governorate that contains it, or -1.
	tier []uint8
	gov  []int32
	// aliases counts the variant names loaded (for the report in tests).
	aliases int
}

// entry is one name as Find matches it: a sequence of token keys and the
// places it may denote.
type entry struct {
	toks   []string // token keys (Latin articles left out)
	name   string   // the name as the gazetteer writes it
	places []int32  // largest first, then by id
	latin  bool
	class  class
	// articled: the entry exists only as the articled form of names the
	// tables write without it (see withArticle).
	articled bool
}

// class says what a name needs around it in a text to count as a place.
type class uint8

const (
	// free names are matched wherever they occur.
	free class = iota
	// needsCue names are also words or people's names (عمر, الخليل,
	// Assad): they count after a cue word (في، من، قرب، in, near ...) or a
	// place word.
	needsCue
	// needsDesignator names are common words (الشعب, الثورة, تشرين): they
	// count only after a place word (حي، قرية، مدينة، ريف، village of ...).
	needsDesignator
	// never names are words that follow place words as adjectives or stand
	// for any town (جديدة, الشمالية, المدينة): Find never reports them;
	// Lookup still knows them.
	never
)

// load reads the gazetteer from its tables (see the files in data/).
func load(table, added, aliases, common string) (*gazetteer, error) {
	var (
		ps    []Place
		names = map[string][]string{}
	)
	for _, src := range []struct{ name, text string }{{"gazetteer.tsv", table}, {"added.tsv", added}} {
		err := eachLine(src.text, func(f []string) error {
			p, alts, err := parsePlace(f)
			if err != nil {
				return err
			}
			if _, dup := names[p.ID]; dup {
				return fmt.Errorf("duplicate id %s", p.ID)
			}
			ps = append(ps, p)
			names[p.ID] = append([]string{p.NameAR, p.NameEN}, alts...)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.name, err)
		}
	}
	err := eachLine(aliases, func(f []string) error {
		if len(f) != 2 || names[f[0]] == nil {
			return fmt.Errorf("want an id of the gazetteer and its aliases: %q", f)
		}
		names[f[0]] = append(names[f[0]], strings.Split(f[1], "|")...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("aliases.tsv: %w", err)
	}
	shareCentreNames(ps, names)
	g := &gazetteer{first: map[string][]*entry{}, lookup: map[string][]int32{}}
	if err := g.setPlaces(ps); err != nil {
		return nil, err
	}
	g.index(names)
	if err := g.setClasses(common); err != nil {
		return nil, fmt.Errorf("common.tsv: %w", err)
	}
	return g, nil
}

// shareCentreNames gives a district's or sub-district's town — the
// community inside it with the same Arabic name (مركز جسر الشغور and جسر
// الشغور) — the unit's other names too. Sources often spell the unit in
// English (Jisr al-Shughur, Maabatli) and the town differently or not at
// all; a text naming the town must find the town, and Resolve's one-place
// rule then prefers it to the unit.
func shareCentreNames(ps []Place, names map[string][]string) {
	norm := func(s string) string {
		s = strings.TrimPrefix(strings.TrimSpace(s), "مركز ")
		s = strings.NewReplacer("أ", "ا", "إ", "ا", "آ", "ا", "ة", "ه", "ى", "ي", " ", "").Replace(s)
		return strings.TrimPrefix(s, "ال") // المعبطلي is معبطلي
	}
	parent := map[string]string{}
	for _, p := range ps {
		parent[p.ID] = p.Parent
	}
	byUnit := map[string]string{} // unit id + name → unit id
	for _, p := range ps {
		if p.Level == District || p.Level == Subdistrict {
			byUnit[p.ID+"|"+norm(p.NameAR)] = p.ID
		}
	}
	for _, p := range ps {
		if p.Level != Community {
			continue
		}
		n := norm(p.NameAR)
		for up := parent[p.ID]; up != ""; up = parent[up] {
			if unit, ok := byUnit[up+"|"+n]; ok {
				for _, name := range names[unit][1:] { // all but the Arabic name, which they share
					if name != "" {
						names[p.ID] = append(names[p.ID], name)
					}
				}
			}
		}
	}
}

// eachLine calls fn with the tab-separated fields of each line that is not
// empty or a comment.
func eachLine(text string, fn func(fields []string) error) error {
	for n, line := range strings.Split(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		if err := fn(strings.Split(line, "\t")); err != nil {
			return fmt.Errorf("line %d: %w", n+1, err)
		}
	}
	return nil
}

// parsePlace reads a line of gazetteer.tsv or added.tsv.
func parsePlace(f []string) (Place, []string, error) {
	if len(f) != 10 {
		return Place{}, nil, fmt.Errorf("%d fields, want 10", len(f))
	}
	lat, err1 := strconv.ParseFloat(f[3], 64)
	lon, err2 := strconv.ParseFloat(f[4], 64)
	if err1 != nil || err2 != nil {
		return Place{}, nil, fmt.Errorf("%s: bad point %q %q", f[0], f[3], f[4])
	}
	p := Place{ID: f[0], Level: Level(f[1]), Parent: f[2], Lat: lat, Lon: lon, Precision: f[5], NameAR: f[6], NameEN: f[7]}
	if p.Level.rank() > 4 || p.ID == "" || p.NameAR == "" && p.NameEN == "" {
		return Place{}, nil, fmt.Errorf("%s: bad level %q or no name", p.ID, p.Level)
	}
	var alts []string
	for _, col := range f[8:] {
		if col != "" {
			alts = append(alts, strings.Split(col, "|")...)
		}
	}
	return p, alts, nil
}

// setPlaces orders the places, checks their parents, and works out each
// one's governorate and tier.
func (g *gazetteer) setPlaces(ps []Place) error {
	sort.Slice(ps, func(i, j int) bool {
		if a, b := ps[i].Level.rank(), ps[j].Level.rank(); a != b {
			return a < b
		}
		return ps[i].ID < ps[j].ID
	})
	g.places = ps
	g.byID = make(map[string]int32, len(ps))
	for i, p := range ps {
		g.byID[p.ID] = int32(i)
	}
	g.gov, g.tier = make([]int32, len(ps)), make([]uint8, len(ps))
	for i, p := range ps {
		if _, ok := g.byID[p.Parent]; p.Parent != "" && !ok {
			return fmt.Errorf("%s: unknown parent %s", p.ID, p.Parent)
		}
		g.gov[i] = -1
		for id := p.ID; id != ""; id = g.parentOf(id) {
			if k := g.byID[id]; g.places[k].Level == Governorate {
				g.gov[i] = k
			}
		}
	}
	city := map[string]bool{}
	for _, p := range ps {
		if p.Level == Neighbourhood {
			city[p.Parent] = true
		}
	}
	for i := range ps {
		g.tier[i] = g.tierOf(int32(i), city)
	}
	return nil
}

func (g *gazetteer) parentOf(id string) string {
	if i, ok := g.byID[id]; ok {
		return g.places[i].Parent
	}
	return ""
}

// The tiers of prominence that Resolve weighs homonyms by.
const (
	tierPlace  = 1 // a village or neighbourhood
	tierCentre = 2 // a community that is the centre of its sub-district or district
	tierMajor  = 3 // an admin unit, or a city (a community with neighbourhoods)
)

// tierOf says how prominent a place is: a name shared by a city and a
// village means the city unless the text says otherwise.
func (g *gazetteer) tierOf(i int32, city map[string]bool) uint8 {
	p := g.places[i]
	switch p.Level {
	case Governorate, District, Subdistrict:
		return tierMajor
	case Neighbourhood:
		return tierPlace
	}
	if city[p.ID] {
		return tierMajor
	}
	own := lookupKey(p.NameAR)
	for id := p.Parent; id != ""; id = g.parentOf(id) {
		q := g.places[g.byID[id]]
		if q.Level == Governorate {
			break
		}
		if lookupKey(strings.TrimPrefix(q.NameAR, "مركز ")) == own {
			return tierCentre
		}
	}
	return tierPlace
}

// index builds the name indexes from each place's names (by id).
func (g *gazetteer) index(names map[string][]string) {
	seqs := map[string]*entry{}
	var tz tokenizer
	type later struct {
		i    int
		name string
		toks []string
	}
	var articled []later // indexed after every name as written, so those name the entries
	add := func(i int, name string, toks []string, lookup bool) {
		seq := strings.Join(toks, " ")
		e := seqs[seq]
		if e == nil {
			e = &entry{toks: toks, name: name, latin: isLatinKey(toks[0]), articled: !lookup}
			seqs[seq] = e
			g.first[toks[0]] = append(g.first[toks[0]], e)
		}
		if n := len(e.places); n == 0 || e.places[n-1] != int32(i) {
			e.places = append(e.places, int32(i))
		}
		if !lookup {
			return // Lookup drops the article itself
		}
		k := lookupKeyOf(toks)
		if l := g.lookup[k]; len(l) == 0 || l[len(l)-1] != int32(i) {
			g.lookup[k] = append(l, int32(i))
		}
	}
	for i, p := range g.places {
		for k, name := range names[p.ID] {
			if name == "" {
				continue
			}
			if k >= 2 { // after NameAR and NameEN
				g.aliases++
			}
			for _, toks := range variants(&tz, name) {
				add(i, name, toks, true)
				if a := withArticle(toks); a != nil {
					articled = append(articled, later{i, name, a})
				}
			}
		}
	}
	for _, l := range articled {
		add(l.i, l.name, l.toks, false)
	}
	// The places of an entry stay in the table's order (largest first, then
	// by id), the articled forms' included.
	for _, e := range seqs {
		slices.Sort(e.places)
		e.places = slices.Compact(e.places)
	}
	for k, l := range g.first {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i].toks) > len(l[j].toks) })
		g.first[k] = l
	}
}

// variants returns the token keys under which Find knows a name: the name
// itself and, for an Arabic name, the forms writers make by dropping the
// space before an article (ديرالزور for دير الزور) or after كفر (village,
// كفرنبل for كفر نبل), or by putting it after كفر (كفر زيتا for كفرزيتا).
func variants(tz *tokenizer, name string) [][]string {
	toks := keyTokens(tz, name)
	if len(toks) == 0 {
		return nil
	}
	out := [][]string{toks}
	for k := 1; k < len(toks); k++ {
		if (strings.HasPrefix(toks[k], "ال") || toks[k-1] == "كفر") && !isLatinKey(toks[k-1]) {
			v := append(append(append([]string{}, toks[:k-1]...), toks[k-1]+toks[k]), toks[k+1:]...)
			out = append(out, v)
		}
	}
	if rest, ok := strings.CutPrefix(toks[0], "كفر"); ok && utf8.RuneCountInString(rest) >= 2 {
		out = append(out, append([]string{"كفر", rest}, toks[1:]...))
	}
	return out
}

// withArticle is the form of an Arabic name with the article the tables
// leave out (Aleppo's كلاسة and مرجة are الكلاسة and المرجة in reports),
// or nil when the name has it or is Latin.
func withArticle(toks []string) []string {
	if isLatinKey(toks[0]) || strings.HasPrefix(toks[0], "ال") || utf8.RuneCountInString(toks[0]) < 3 {
		return nil
	}
	return append([]string{"ال" + toks[0]}, toks[1:]...)
}

// keyTokens returns the keys of a name's tokens, Latin articles left out
// unless the name is nothing else (Iss is "is").
func keyTokens(tz *tokenizer, name string) []string {
	var out, arts []string
	for _, t := range tz.tokenize(arabic.Normalize(name).Text) {
		switch {
		case t.script == scriptOther:
		case t.article:
			arts = append(arts, t.key)
		default:
			out = append(out, t.key)
		}
	}
	if len(out) == 0 {
		return arts
	}
	return out
}

// lookupKey is the key under which Lookup finds a name: its token keys
// with the article of the first Arabic word left out.
func lookupKey(name string) string {
	var tz tokenizer
	return lookupKeyOf(keyTokens(&tz, name))
}

func lookupKeyOf(toks []string) string {
	if len(toks) == 0 {
		return ""
	}
	first := toks[0]
	if rest, ok := strings.CutPrefix(first, "ال"); ok && utf8.RuneCountInString(rest) >= 2 {
		first = rest
	}
	if len(toks) == 1 {
		return first
	}
	return first + " " + strings.Join(toks[1:], " ")
}

func isLatinKey(k string) bool {
	r, _ := utf8.DecodeRuneInString(k)
	return classify(r) == scriptLatin
}

// setClasses marks the names that need a cue (see class). By rule: a
// name of one word that only villages or neighbourhoods bear needs a cue
// word (most such names are also words or people's names: عمر, الخليل,
// Khalil); an Arabic name of one word that is a stop word or has two
// letters, and a name that is a number, need a place word; a name that is
// a place word or a direction (مزرعة, الشمالي) is never reported. Then
// common.tsv sets the class of the names it lists, whatever the rule says.
func (g *gazetteer) setClasses(common string) error {
	for _, l := range g.first {
		for _, e := range l {
			e.class = g.defaultClass(e)
		}
	}
	var tz tokenizer
	defer func() {
		// A one-word name found only with an article the tables leave out
		// (الكلاسة for كلاسة) is often a word with its article too (العمر،
		// المسجد): it counts after a place word only (حي الكلاسة).
		for _, l := range g.first {
			for _, e := range l {
				if e.articled && len(e.toks) == 1 && e.class < needsDesignator {
					e.class = needsDesignator
				}
			}
		}
	}()
	return eachLine(common, func(f []string) error {
		if len(f) != 2 {
			return fmt.Errorf("want a name and a class: %q", f)
		}
		c, ok := map[string]class{"free": free, "cue": needsCue, "designator": needsDesignator, "never": never}[f[1]]
		if !ok {
			return fmt.Errorf("unknown class %q", f[1])
		}
		toks := keyTokens(&tz, f[0])
		if len(toks) == 0 {
			return fmt.Errorf("%q has no words", f[0])
		}
		found := false
		for _, e := range g.first[toks[0]] {
			if strings.Join(e.toks, " ") == strings.Join(toks, " ") {
				e.class, found = c, true
			}
		}
		if !found {
			return fmt.Errorf("%q is no name of the gazetteer", f[0])
		}
		return nil
	})
}

// defaultClass is the class of a name by the rules of setClasses.
func (g *gazetteer) defaultClass(e *entry) class {
	if len(e.toks) != 1 {
		return free
	}
	k := e.toks[0]
	r, _ := utf8.DecodeRuneInString(k)
	if classify(r) == scriptDigit {
		return needsDesignator
	}
	if !e.latin {
		if d, _ := designatorOf(k); d != "" {
			return never
		}
		if _, ok := directionAR[k]; ok {
			return never
		}
		if utf8.RuneCountInString(k) <= 2 || arabic.IsStopWord(k) {
			return needsDesignator
		}
	}
	if e.latin && len(k) <= 3 {
		return needsCue
	}
	top := uint8(0)
	for _, p := range e.places {
		top = max(top, g.tier[p])
	}
	if top == tierPlace {
		return needsCue
	}
	return free
}

// entries counts the names Find knows.
func (g *gazetteer) entries() int {
	n := 0
	for _, l := range g.first {
		n += len(l)
	}
	return n
}
