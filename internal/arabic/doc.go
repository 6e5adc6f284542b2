// Package arabic reads report text the way Syrian documentation groups write
// it, Arabic first and English too: it normalises letters for matching,
// splits text into tokens, light-stems Arabic and English words, and finds
// counts ("أكثر من 70 مدنياً", "عشرات المقاتلين", "at least 12") and dates
// ("25 الشهر الجاري", "5 حزيران 2017", "اليومين الماضيين", "on Tuesday").
//
// It is the one analyser every search engine and extractor uses (design §2,
// principle 7), so the same spelling rules hold for a report when it is
// indexed, for a query when it is typed and for a fact when it is extracted.
//
// The invariant: the original text is never changed. Every result carries the
// byte span of the original it came from — Normalized.Offsets for each byte of
// the normalised text, Start and End on every Token, Term, Number and Date —
// so s[Start:End] is always the text the user wrote, and a search highlight or
// an extracted claim lands on it, harakat, tatweel and all.
//
// Everything here is a pure function of its arguments: no I/O, no state, and
// no package variables other than tables that are never written to.
package arabic
