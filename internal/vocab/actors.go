package vocab

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Actor is a party to the conflict: a state's forces, an armed group, or the
// catch-all for unidentified perpetrators. Aliases are the other names
// sources use for it, for matching text to an actor; no name (label or
// alias, compared trimmed and case-folded) belongs to two actors. External
// holds ACLED's actor name and inter code where known; an actor without
// acled_inter takes the one of its category.
type Actor struct {
	Code     string `json:"code"`
	Category string `json:"category"` // a code of the actor_category list
	Parent   string `json:"parent,omitempty"`
	Labels   Labels `json:"labels"`
	Aliases  struct {
		AR []string `json:"ar"`
		EN []string `json:"en"`
	} `json:"aliases"`
	External map[string]string `json:"external,omitempty"`
}

// actorsDoc is the layout of actors.json.
type actorsDoc struct {
	Version     int     `json:"version"`
	Attribution string  `json:"attribution"`
	Actors      []Actor `json:"actors"`
}

// Actors returns every actor in file order. The slice is the caller's; the
// aliases and external codes inside it are shared and must not be modified.
func (s *Set) Actors() []Actor { return slices.Clone(s.actors) }

// Actor returns the actor with the given code.
func (s *Set) Actor(code string) (Actor, bool) {
	i, ok := s.actorIndex[code]
	if !ok {
		return Actor{}, false
	}
	return s.actors[i], true
}

// readActors decodes and validates actors.json into s, whose lists must
// already be loaded: categories are checked against the actor_category list.
func readActors(fsys fs.FS, s *Set) error {
	var doc actorsDoc
	if err := decodeFile(fsys, actorsFile, &doc); err != nil {
		return err
	}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("vocab: %s: "+format, append([]any{actorsFile}, args...)...))
	}
	checkHeader(doc.Version, doc.Attribution, fail)
	if len(doc.Actors) == 0 {
		fail("no actors")
	}
	categories, ok := s.lists[ActorCategory]
	if !ok {
		fail("list %s missing, so no category can be checked", ActorCategory)
	}
	index := make(map[string]int, len(doc.Actors))
	owner := make(map[string]string) // folded name → actor code
	nodes := make([]node, 0, len(doc.Actors))
	for i, a := range doc.Actors {
		where := fmt.Sprintf("actor %q", a.Code)
		if _, dup := index[a.Code]; dup {
			fail("%s: duplicate actor code", where)
			continue
		}
		index[a.Code] = i
		nodes = append(nodes, node{a.Code, a.Parent})
		if !isCode(a.Code) {
			fail("%s: not a code (lower-case ASCII letters, digits and _, starting with a letter)", where)
		}
		if ok && !categories.Has(a.Category) {
			fail("%s: category %q is not an %s code", where, a.Category, ActorCategory)
		}
		checkLabels(where, a.Labels, fail)
		checkExternal(where, a.External, fail)
		checkNames(where, a, owner, fail)
	}
	checkParents("actor", nodes, fail)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	s.actors = doc.Actors
	s.actorIndex = index
	s.actorsVersion = doc.Version
	return nil
}

// checkNames checks a's aliases and claims its labels and aliases in owner,
// failing on a name another actor already has.
func checkNames(where string, a Actor, owner map[string]string, fail failFunc) {
	names := []string{a.Labels.AR, a.Labels.EN}
	for _, x := range []struct {
		lang    string
		aliases []string
	}{{"ar", a.Aliases.AR}, {"en", a.Aliases.EN}} {
		if len(x.aliases) == 0 {
			fail("%s: no %s aliases", where, x.lang)
		}
		for _, alias := range x.aliases {
			if strings.TrimSpace(alias) == "" || strings.TrimSpace(alias) != alias {
				fail("%s: empty or untrimmed %s alias %q", where, x.lang, alias)
			}
			if x.lang == "ar" && alias != "" && !hasArabic(alias) {
				fail("%s: ar alias %q has no Arabic letter", where, alias)
			}
		}
		names = append(names, x.aliases...)
	}
	for _, n := range names {
		key := foldName(n)
		if key == "" {
			continue
		}
		if other, taken := owner[key]; taken && other != a.Code {
			fail("%s: name %q also belongs to actor %q", where, n, other)
			continue
		}
		owner[key] = a.Code
	}
}

// foldName is the form in which two actor names count as the same.
func foldName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
