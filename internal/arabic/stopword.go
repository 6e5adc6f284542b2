package arabic

import "strings"

// IsStopWord reports whether a normalised word is a function word that
// search leaves out: Arabic prepositions, conjunctions, pronouns,
// demonstratives, relatives and the auxiliaries of news prose (في من على إلى
// عن أن إن التي الذي هذا هذه كان قد مع بعد قبل حيث كما …), also with a
// leading و or ف (وفي, ومن, فإن, وقد), and English ones (the, in, on, from,
// to, that, this …). A few short English words that are also names are kept:
// "us" (the US), "who" (WHO), "may" (the month).
//
// The word must be normalised (Normalize or a Token's Text): على is علي,
// إلى is الي, هؤلاء is هولاء.
func IsStopWord(normalised string) bool {
	if _, ok := stopWords[normalised]; ok {
		return true
	}
	for _, conj := range [...]string{"و", "ف"} {
		if rest, ok := strings.CutPrefix(normalised, conj); ok {
			if _, ok := stopWords[rest]; ok && rest != "" {
				return true
			}
		}
	}
	return false
}

// stopWords holds the normalised Arabic and English stop words. It is never
// written to.
var stopWords = map[string]struct{}{
	// single letters written apart, and the bare article (الـ)
	"و": {}, "ف": {}, "ب": {}, "ل": {}, "ك": {}, "ال": {},
	// prepositions and particles
	"في": {}, "من": {}, "علي": {}, "الي": {}, "عن": {}, "مع": {}, "منذ": {}, "حتي": {},
	"عند": {}, "لدي": {}, "بين": {}, "خلال": {}, "ضمن": {}, "حول": {}, "نحو": {},
	"دون": {}, "عبر": {}, "تحت": {}, "فوق": {}, "امام": {}, "وراء": {}, "لدن": {},
	"وفق": {}, "وفقا": {}, "ازاء": {}, "لصالح": {}, "بسبب": {}, "رغم": {}, "بالرغم": {},
	// conjunctions and complementisers
	"ان": {}, "بان": {}, "لان": {}, "كان": {}, "او": {}, "ام": {}, "ثم": {}, "بل": {},
	"لكن": {}, "لكنه": {}, "لكنها": {}, "اما": {}, "اذا": {}, "اذ": {}, "لو": {},
	"كما": {}, "حيث": {}, "حين": {}, "عندما": {}, "بينما": {}, "فيما": {}, "بعدما": {},
	"كي": {}, "لكي": {}, "الا": {}, "سوي": {}, "انما": {}, "لما": {}, "كلما": {},
	// negation, questions, auxiliaries
	"لا": {}, "لم": {}, "لن": {}, "ليس": {}, "ليست": {}, "ما": {}, "ماذا": {}, "هل": {},
	"متي": {}, "اين": {}, "كيف": {}, "قد": {}, "لقد": {}, "سوف": {}, "تم": {}, "يتم": {},
	"كانت": {}, "كانوا": {}, "يكون": {}, "تكون": {}, "يكونوا": {}, "كنت": {}, "كنا": {},
	"اصبح": {}, "اصبحت": {}, "ظل": {}, "مازال": {}, "لازال": {}, "زال": {}, "يزال": {},
	// time adverbs that are function words
	"بعد": {}, "قبل": {}, "الان": {}, "ايضا": {}, "كذلك": {}, "فقط": {}, "جدا": {},
	// pronouns and pronoun-bearing particles
	"هو": {}, "هي": {}, "هم": {}, "هن": {}, "هما": {}, "نحن": {}, "انا": {}, "انت": {},
	"انتم": {}, "انه": {}, "انها": {}, "انهم": {}, "بانه": {}, "بانها": {}, "لانه": {},
	"له": {}, "لها": {}, "لهم": {}, "به": {}, "بها": {}, "بهم": {}, "فيه": {}, "فيها": {},
	"فيهم": {}, "منه": {}, "منها": {}, "منهم": {}, "عنه": {}, "عنها": {}, "عنهم": {},
	"عليه": {}, "عليها": {}, "عليهم": {}, "اليه": {}, "اليها": {}, "اليهم": {}, "معه": {},
	"معها": {}, "معهم": {}, "لديه": {}, "لديها": {}, "لديهم": {}, "لدينا": {}, "بينهم": {},
	// demonstratives and relatives
	"هذا": {}, "هذه": {}, "هذان": {}, "هذين": {}, "هاتان": {}, "هاتين": {}, "هولاء": {},
	"ذلك": {}, "تلك": {}, "ذاك": {}, "اوليك": {}, "هنا": {}, "هناك": {}, "هنالك": {},
	"الذي": {}, "التي": {}, "الذين": {}, "اللذين": {}, "اللذان": {}, "اللتين": {},
	"اللتان": {}, "اللاتي": {}, "اللواتي": {}, "اللايي": {},
	// quantifiers and others
	"كل": {}, "بعض": {}, "اي": {}, "ايه": {}, "غير": {}, "جميع": {}, "كلا": {}, "ذات": {},

	// English
	"a": {}, "an": {}, "the": {}, "and": {}, "or": {}, "but": {}, "nor": {}, "if": {},
	"of": {}, "in": {}, "on": {}, "at": {}, "to": {}, "from": {}, "by": {}, "for": {},
	"with": {}, "as": {}, "into": {}, "onto": {}, "than": {}, "then": {}, "so": {},
	"is": {}, "are": {}, "was": {}, "were": {}, "be": {}, "been": {}, "being": {}, "am": {},
	"has": {}, "have": {}, "had": {}, "do": {}, "does": {}, "did": {}, "will": {},
	"would": {}, "shall": {}, "should": {}, "can": {}, "could": {}, "might": {}, "must": {},
	"not": {}, "no": {}, "that": {}, "this": {}, "these": {}, "those": {}, "there": {},
	"here": {}, "it": {}, "its": {}, "he": {}, "she": {}, "they": {}, "them": {}, "his": {},
	"her": {}, "him": {}, "their": {}, "we": {}, "our": {}, "you": {}, "your": {}, "i": {},
	"me": {}, "my": {}, "which": {}, "whom": {}, "whose": {}, "what": {}, "when": {},
	"where": {}, "why": {}, "how": {}, "all": {}, "any": {}, "both": {}, "each": {},
	"such": {}, "also": {}, "about": {}, "over": {}, "after": {}, "before": {}, "s": {},
	"t": {}, "while": {}, "during": {}, "between": {}, "through": {}, "because": {},
	"until": {}, "against": {}, "very": {}, "just": {}, "only": {}, "other": {}, "own": {},
	"same": {}, "some": {}, "more": {}, "most": {}, "up": {}, "out": {}, "said": {},
}
