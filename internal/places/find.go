package places

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// Mention is a place name found in a text.
type Mention struct {
	// Start and End are the byte span in the original text. The span
	// covers the name and what Find read with it: a place word before it
	// (حي، مدينة، village of), quotes around it, and the countryside words
	// of a Part ("ريف حمص الشرقي", "eastern countryside of Homs"); not an
	// attached preposition or conjunction (بالرقة spans الرقة).
	Start, End int
	Text       string // the original text[Start:End]
	// Name is the name matched, as the gazetteer writes it (دير الزور for
	// ديرالزور, Ar-Raqqa for al-Raqqah).
	Name string
	// Candidates are every place the name may denote, largest first, then
	// by id (see Resolve).
	Candidates []Place
	// Part is "" or, when the text speaks of the countryside of the place
	// (ريف حمص الشرقي, the eastern countryside of Homs), one of
	// countryside, countryside_north, countryside_south, countryside_east,
	// countryside_west.
	Part string
	// Designator is the place word read with the name, or "": Arabic حي،
	// حارة، قرية، بلدة، مدينة، مزرعة، مخيم، ناحية، منطقة، محافظة، ريف, English
	// neighbourhood, village, town, city, camp, subdistrict, district,
	// governorate, countryside. Resolve prefers the candidates of the level
	// it names.
	Designator string
}

// Find returns the place names in text, in order, without overlaps. At each
// word the longest name that starts there wins. Arabic names are found
// behind attached conjunctions and prepositions (و ف ب ك ل and their
// combinations: وبالرقة، للرقة، وحلب), English names only when capitalised,
// with or without an article (al-Raqqah, Ar-Raqqa, Raqqa). Names that are
// also common words (see class and data/common.tsv) count only after a cue
// or a place word. A name's Candidates are copies; changing them changes
// nothing else.
//
// Find is meant to run on every report: it normalises the text once and
// looks each word up in an index by first word, with one map lookup per
// word and one per attached prefix it might carry.
func Find(text string) []Mention {
	g := get()
	n := arabic.Normalize(text)
	tz := tokenizers.Get().(*tokenizer)
	defer tokenizers.Put(tz)
	f := finder{g: g, text: text, norm: n.Text, off: n.Offsets, toks: tz.tokenize(n.Text)}
	return f.run()
}

var tokenizers = sync.Pool{New: func() any { return new(tokenizer) }}

// finder holds the state of one Find.
type finder struct {
	g    *gazetteer
	text string
	norm string
	off  []int
	toks []token
	buf  [64]byte
	last ctx // the context of the last mention
	cs   [maxCands]cand
	n    int
}

// cand is a name that matches at a token.
type cand struct {
	e   *entry
	end int // the token after the name
	cut int // bytes of the first token before the name (an attached و ب ...)
	// lam is set when the first token is ل + ال written لل (للرقة): the
	// name is then read from the whole token.
	lam bool
}

// maxCands bounds the names tried at one token.
const maxCands = 12

func (f *finder) run() []Mention {
	var out []Mention
	floor := 0 // the first token not inside an earlier mention
	for i := 0; i < len(f.toks); i++ {
		if m, end, ok := f.matchAt(i, floor); ok {
			out = append(out, m)
			floor, i = end, end-1
		}
	}
	return out
}

// matchAt finds the best name that starts at token i, with its context.
func (f *finder) matchAt(i, floor int) (Mention, int, bool) {
	t := f.toks[i]
	if t.script == scriptOther || t.article {
		return Mention{}, 0, false
	}
	f.n = 0
	f.collect(f.g.first[t.key], i, 0, false)
	if t.script == scriptArabic {
		f.proclitics(i)
	}
	// Longest first; at one length, the name that needs no prefix cut.
	cs := f.cs[:f.n]
	for a := 1; a < len(cs); a++ {
		for b := a; b > 0 && better(cs[b], cs[b-1]); b-- {
			cs[b], cs[b-1] = cs[b-1], cs[b]
		}
	}
	for _, c := range cs {
		if c.e.class == never {
			continue
		}
		if m, end, ok := f.mention(i, floor, c); ok {
			return m, end, true
		}
	}
	return Mention{}, 0, false
}

func better(a, b cand) bool {
	if a.end != b.end {
		return a.end > b.end
	}
	return a.cut == 0 && !a.lam && (b.cut > 0 || b.lam)
}

// collect adds the entries of es that match at token i to f.cs.
func (f *finder) collect(es []*entry, i, cut int, lam bool) {
	for _, e := range es {
		if f.n == maxCands {
			return
		}
		if end, ok := f.matchRest(e, i); ok {
			f.cs[f.n] = cand{e: e, end: end, cut: cut, lam: lam}
			f.n++
		}
	}
}

// procliticsAR are the conjunctions and prepositions written joined to the
// next word, alone and combined, longest first.
var procliticsAR = [...]string{"وب", "وك", "ول", "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل"}

// proclitics looks up the forms of an Arabic word without an attached
// conjunction or preposition: وحلب → حلب, بالرقة → الرقة, and ل + ال, which
// is written لل: للرقة → الرقة.
func (f *finder) proclitics(i int) {
	k := f.toks[i].key
	for _, p := range procliticsAR {
		rest, ok := strings.CutPrefix(k, p)
		if !ok || utf8.RuneCountInString(rest) < 2 {
			continue
		}
		f.collect(f.g.first[rest], i, len(p), false)
		if strings.HasSuffix(p, "ل") && strings.HasPrefix(rest, "ل") && len(rest)+2 <= len(f.buf) {
			b := append(append(f.buf[:0], "ا"...), rest...)
			f.collect(f.g.first[string(b)], i, 0, true)
		}
	}
}

// matchRest reports whether the tokens after i go on as e's, and where the
// name ends. The words of a name are joined by spaces or hyphens only, and
// a Latin name may have articles between them that its key leaves out.
func (f *finder) matchRest(e *entry, i int) (int, bool) {
	j := i + 1
	for k := 1; k < len(e.toks); k++ {
		for e.latin && j < len(f.toks) && f.toks[j].article && f.joined(j-1, j, "- ") {
			j++
		}
		if j >= len(f.toks) || f.toks[j].key != e.toks[k] || !f.joined(j-1, j, "- ") {
			return 0, false
		}
		j++
	}
	return j, true
}

// joined reports whether only the given separators (and spaces) stand
// between tokens a and b.
func (f *finder) joined(a, b int, seps string) bool {
	return onlyOf(f.norm[f.toks[a].end:f.toks[b].start], seps)
}

// onlyOf reports whether s is non-empty and made only of spaces and the
// runes of seps.
func onlyOf(s, seps string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r != ' ' && r != '\u00a0' && r != '\t' && !strings.ContainsRune(seps, r) {
			return false
		}
	}
	return true
}

// Quotes that may stand around a name or between a place word and a name.
const (
	openQuotes  = "\"“«„‘'("
	closeQuotes = "\"”»“’')"
	quotes      = openQuotes + closeQuotes
)

// ctx is what the words around a name say.
type ctx struct {
	start, end int // span in the normalised text
	next       int // the first token after the mention
	designator string
	cue        bool
	part       string
	foreign    bool // the words around say the place is abroad
}

// strong reports whether the place word is one that only Syrian places of
// the gazetteer's kind follow in reports: محافظة، منطقة and their English
// kin also name the provinces and regions of other countries (منطقة
// الرياض, Anbar province), so they count as cue words only.
func (x *ctx) strong() bool {
	switch x.designator {
	case "", "محافظة", "منطقة", "governorate", "district":
		return x.part != ""
	}
	return true
}

// mention checks the context of a candidate and builds its Mention.
func (f *finder) mention(i, floor int, c cand) (Mention, int, bool) {
	x := ctx{start: f.toks[i].start + c.cut, end: f.toks[c.end-1].end, next: c.end}
	if c.e.latin {
		if !f.capitalised(i) || f.partOfLongerName(c.end) {
			return Mention{}, 0, false
		}
		f.contextEN(&x, i, floor)
	} else {
		f.contextAR(&x, i, floor, c)
	}
	if x.foreign {
		return Mention{}, 0, false
	}
	f.listed(&x, i, c)
	switch c.e.class {
	case needsCue:
		if !x.cue && x.designator == "" && x.part == "" {
			return Mention{}, 0, false
		}
	case needsDesignator:
		if !x.strong() {
			return Mention{}, 0, false
		}
	}
	m := Mention{Start: f.off[x.start], End: f.off[x.end], Name: c.e.name, Part: x.part, Designator: x.designator}
	m.Text = f.text[m.Start:m.End]
	m.Candidates = make([]Place, len(c.e.places))
	for k, p := range c.e.places {
		m.Candidates[k] = f.g.places[p]
	}
	f.last = x
	return m, x.next, true
}

// listed lets a name that continues a list of places (قرى الحمرات والسحل،
// حيي المشلب والرميلة, the villages of X, Y and Z) share the context of the
// name before it: it follows that mention directly, joined by an attached
// و or by a comma or "and".
func (f *finder) listed(x *ctx, i int, c cand) {
	if i == 0 || f.last.next == 0 || x.designator != "" || x.part != "" {
		return
	}
	joined := false
	switch gap := f.norm[f.toks[i-1].end:f.toks[i].start]; {
	case f.last.next == i: // الحمرات والسحل، الحمرات، السحل
		joined = onlyOf(gap, quotes+"،,") && (strings.ContainsAny(gap, "،,") || c.cut > 0 && strings.HasPrefix(f.toks[i].key, "و"))
	case f.last.next == i-1: // Hamra and Sahl, الحمرات و السحل
		w := f.word(i - 1)
		joined = (w == "and" || w == "or" || w == "و" || w == "او") && f.joined(i-2, i-1, ",") && onlyOf(gap, quotes)
	}
	if joined {
		x.cue = x.cue || f.last.cue || f.last.designator != "" || f.last.part != ""
		if d, _ := designatorOf(c.e.toks[0]); d == "" && f.last.designator != "ريف" && f.last.designator != "countryside" {
			x.designator = f.last.designator // unless the name has its own (ومدينة الثورة)
		}
	}
}

// quoted widens the span over quotes that stand right around the name.
func (f *finder) quoted(x *ctx) {
	before, wb := utf8.DecodeLastRuneInString(f.norm[:x.start])
	after, wa := utf8.DecodeRuneInString(f.norm[x.end:])
	if strings.ContainsRune(openQuotes, before) && strings.ContainsRune(closeQuotes, after) {
		x.start, x.end = x.start-wb, x.end+wa
	}
}

// partOfLongerName: the token after an English name is another
// capitalised word, not a place word, so the name is part of a longer one
// the gazetteer does not know ("Beit Jinn", "Yarmouk Basin", "Hayat Tahrir
// al-Sham", "Deir ez-Zor Military Council").
func (f *finder) partOfLongerName(next int) bool {
	if next >= len(f.toks) || !f.joined(next-1, next, "") || f.toks[next].script != scriptLatin {
		return false
	}
	if f.toks[next].article && next+1 < len(f.toks) && f.joined(next, next+1, "-") && f.capitalised(next+1) {
		return true // "Nabaa al-Sakhr"
	}
	if !f.capitalised(next) {
		return false
	}
	w := f.word(next)
	return designatorEN[w] == "" && directionEN[w] == "" && !notNamePart[w]
}

// notNamePart are capitalised words that may follow a place name without
// being part of it.
var notNamePart = map[string]bool{"on": true, "in": true, "and": true, "the": true, "city": true, "governorate": true,
	"province": true, "countryside": true, "s": true,
	// people's adjectives: "the Yarmouk Palestinian camp", "Afrin Kurdish residents"
	"palestinian": true, "kurdish": true, "syrian": true, "iraqi": true, "turkish": true, "arab": true, "armenian": true,
	"christian": true, "druze": true, "assyrian": true, "alawite": true, "sunni": true, "shia": true, "yazidi": true}

// capitalised reports whether token i starts with a capital letter in the
// original text.
func (f *finder) capitalised(i int) bool {
	r, _ := utf8.DecodeRuneInString(f.text[f.off[f.toks[i].start]:])
	return unicode.IsUpper(r)
}

// word is token i as normalised text (lower case for Latin).
func (f *finder) word(i int) string { return f.norm[f.toks[i].start:f.toks[i].end] }
