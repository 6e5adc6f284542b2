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

func (analyser) Tokenize(_ fts5.TokenizeFlag, text, _ string, emit fts5.TokenCallback) error {
	for _, t := range arabic.Analyze(text) {
		if err := emit(0, t.Text, t.Start, t.End); err != nil {
			return err
		}
	}
	return nil
}
