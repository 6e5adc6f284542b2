package sqldb

import (
	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/ext/fts5"

	"github.com/tawthiq/tawthiq/internal/arabic"
)

// Tokenizer is the name of the FTS5 tokenizer every SQLite connection
// has: the Go analyser of internal/arabic (normalisation, stop words,
// light stemming of Arabic and English words), so the index and every
// query agree with the rest of the program. Tokens carry their byte span
// in the original text, so highlight() and snippet() mark the original,
// vowelled text.
const Tokenizer = "tawthiq"

// initConn readies a new SQLite connection: FTS5 with the analyser.
func initConn(c *sqlite3.Conn) error {
	return fts5.RegisterCustom(c, func(api *fts5.API) error {
		return api.CreateTokenizer(Tokenizer, func([]string) (fts5.Tokenizer, error) { return analyser{}, nil })
	})
}

type analyser struct{}

// StopToken stands in the index for every stop word, so stop words keep
// their places: the phrase «الجيش الحر» does not match "الجيش أن الحر",
// and «قصف على الحي» needs a stop word between its words. It is no word
// of any language and the analyser never makes it from text.
const StopToken = "\x01"

// Tokenize emits the analyser's terms, and StopToken for each stop word.
// A query string (one word or phrase of a query) drops its leading and
// trailing stop words: "al-Raqqa" looks for Raqqa.
func (analyser) Tokenize(flags fts5.TokenizeFlag, text, _ string, emit fts5.TokenCallback) error {
	terms := arabic.AnalyzeKeepingStops(text)
	if flags&fts5.TOKENIZE_QUERY != 0 {
		for len(terms) > 0 && terms[0].Stop {
			terms = terms[1:]
		}
		for len(terms) > 0 && terms[len(terms)-1].Stop {
			terms = terms[:len(terms)-1]
		}
	}
	for _, t := range terms {
		tok := t.Text
		if t.Stop {
			tok = StopToken
		}
		if err := emit(0, tok, t.Start, t.End); err != nil {
			return err
		}
	}
	return nil
}
