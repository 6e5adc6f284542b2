package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tawthiq/tawthiq/internal/pgtest"
	"github.com/tawthiq/tawthiq/internal/search"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// benchDocs is the corpus, repeated up to TAWTHIQ_SEARCH_BENCH_DOCS
// documents when that is set (the scale run uses 1000000).
func benchDocs(b *testing.B) []article {
	arts := loadCorpus(b)
	n := len(arts)
	if s := os.Getenv("TAWTHIQ_SEARCH_BENCH_DOCS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("TAWTHIQ_SEARCH_BENCH_DOCS=%q: want a number of documents", s)
		}
		n = v
	}
	out := make([]article, n)
	for i := range out {
		out[i] = arts[i%len(arts)]
	}
	return out
}

// benchQueries are 100 fixed real queries: the first three words of 100
// titles spread over the corpus, as someone remembering a headline types
// them.
func benchQueries(arts []article) []string {
	var qs []string
	for _, i := range knownItems(arts, 100) {
		w := strings.Fields(titleQuery(arts[i].Title))
		qs = append(qs, strings.Join(w[:min(3, len(w))], " "))
	}
	return qs
}

// engine is one full-text engine under test.
type engine interface {
	load(ctx context.Context, arts []article) error
	// top returns the row numbers (1-based, the article's position) of the
	// best matches of q, best first.
	top(ctx context.Context, q string, n int) ([]int, error)
}

// sqliteEngine is an FTS5 table in a database of its own, with the given
// tokenizer, queried as Search does (words ANDed, bm25 with the title
// weighted, highlight and snippet computed).
type sqliteEngine struct {
	db        *sqldb.DB
	tokenizer string
}

func (e *sqliteEngine) load(ctx context.Context, arts []article) error {
	if _, err := e.db.Exec(ctx, `CREATE VIRTUAL TABLE bench USING fts5(title, body, tokenize='`+e.tokenizer+`')`); err != nil {
		return err
	}
	for i := 0; i < len(arts); i += 1000 {
		err := e.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			for j := i; j < min(i+1000, len(arts)); j++ {
				if _, err := tx.Exec(ctx, `INSERT INTO bench (rowid, title, body) VALUES ($1, $2, $3)`, j+1, arts[j].Title, arts[j].Content); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	_, err := e.db.Exec(ctx, `INSERT INTO bench (bench) VALUES ('optimize')`)
	return err
}

func (e *sqliteEngine) top(ctx context.Context, q string, n int) ([]int, error) {
	p, err := search.Parse(q)
	if err != nil || p.Empty() {
		return nil, err
	}
	expr := search.FTS5(p)
	if e.tokenizer != sqldb.Tokenizer {
		// unicode61 does not understand our analysis: give it the words.
		expr = strings.Join(strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(expr)), " ")
	}
	rows, err := e.db.Query(ctx, `SELECT rowid, highlight(bench, 0, '[', ']'), snippet(bench, 1, '[', ']', '…', 32)
		FROM bench WHERE bench MATCH $1 ORDER BY bm25(bench, 4.0, 1.0) LIMIT $2`, expr, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var id int
		var h, s string
		if err := rows.Scan(&id, &h, &s); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// pgEngine is PostgreSQL's own Arabic full-text search: the "arabic"
// configuration (Snowball stemmer), title weighted A and body B, a GIN
// index, ts_rank_cd — as a PostgreSQL user would set it up.
type pgEngine struct{ conn *pgx.Conn }

func (e *pgEngine) load(ctx context.Context, arts []article) error {
	if _, err := e.conn.Exec(ctx, `CREATE TABLE bench (id int PRIMARY KEY, title text, body text,
		tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('arabic', title), 'A') || setweight(to_tsvector('arabic', body), 'B')) STORED)`); err != nil {
		return err
	}
	_, err := e.conn.CopyFrom(ctx, pgx.Identifier{"bench"}, []string{"id", "title", "body"},
		pgx.CopyFromSlice(len(arts), func(i int) ([]any, error) { return []any{i + 1, arts[i].Title, arts[i].Content}, nil }))
	if err != nil {
		return err
	}
	if _, err := e.conn.Exec(ctx, `CREATE INDEX bench_tsv ON bench USING gin (tsv)`); err != nil {
		return err
	}
	_, err = e.conn.Exec(ctx, `ANALYZE bench`)
	return err
}

func (e *pgEngine) top(ctx context.Context, q string, n int) ([]int, error) {
	rows, err := e.conn.Query(ctx, `SELECT id, ts_headline('arabic', title, query) FROM bench, plainto_tsquery('arabic', $1) query
		WHERE tsv @@ query ORDER BY ts_rank_cd(tsv, query) DESC, id LIMIT $2`, q, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var id int
		var h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// figures measures one engine: load rate, query latency percentiles and,
// when the documents are the corpus itself, the known-item top-3 rate.
type figures struct {
	docsPerSec, p50, p95, top3 float64
}

func measure(b *testing.B, e engine, arts []article, queries []string, knownItem bool) figures {
	ctx := context.Background()
	var f figures
	start := time.Now()
	if err := e.load(ctx, arts); err != nil {
		b.Fatal(err)
	}
	f.docsPerSec = float64(len(arts)) / time.Since(start).Seconds()
	var lat []float64
	for _, q := range queries {
		t0 := time.Now()
		if _, err := e.top(ctx, q, 20); err != nil {
			b.Fatalf("query %q: %v", q, err)
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
	}
	slices.Sort(lat)
	f.p50, f.p95 = lat[len(lat)/2], lat[len(lat)*95/100]
	f.top3 = -1
	if knownItem {
		items := knownItems(arts, 1000)
		hit := 0
		for _, i := range items {
			ids, err := e.top(ctx, titleQuery(arts[i].Title), 3)
			if err != nil {
				b.Fatal(err)
			}
			if slices.Contains(ids, i+1) {
				hit++
			}
		}
		f.top3 = 100 * float64(hit) / float64(len(items))
	}
	return f
}

// BenchmarkSearchEngines loads the real corpus (or TAWTHIQ_SEARCH_BENCH_DOCS
// documents of it, repeated) into three engines in the same run — ours
// (FTS5 with the Go analyser), plain FTS5 unicode61 as the reference, and
// PostgreSQL's "arabic" configuration on a throwaway Debian PostgreSQL —
// and reports documents indexed per second, p50/p95 latency over 100 real
// queries, and each engine's known-item top-3 rate, side by side.
func BenchmarkSearchEngines(b *testing.B) {
	arts := benchDocs(b)
	queries := benchQueries(loadCorpus(b))
	knownItem := len(arts) == len(loadCorpus(b))
	ctx := context.Background()
	for range b.N {
		open := func(name string) *sqldb.DB {
			db, err := sqldb.CreateSQLite(ctx, filepath.Join(b.TempDir(), name+".db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		}
		ours := measure(b, &sqliteEngine{db: open("ours"), tokenizer: sqldb.Tokenizer}, arts, queries, knownItem)
		ref := measure(b, &sqliteEngine{db: open("ref"), tokenizer: "unicode61 remove_diacritics 2"}, arts, queries, knownItem)
		conn, err := pgx.Connect(ctx, pgtest.Start(b))
		if err != nil {
			b.Fatal(err)
		}
		pg := measure(b, &pgEngine{conn: conn}, arts, queries, knownItem)
		conn.Close(ctx)

		b.ReportMetric(ours.docsPerSec, "ours_docs/s")
		b.ReportMetric(ours.docsPerSec/ref.docsPerSec, "ours/unicode61_rate")
		b.ReportMetric(ours.docsPerSec/pg.docsPerSec, "ours/pg_rate")
		b.ReportMetric(ours.p50, "ours_p50_ms")
		b.ReportMetric(ours.p95, "ours_p95_ms")
		b.ReportMetric(pg.p95/ours.p95, "pg/ours_p95")
		if knownItem {
			b.ReportMetric(ours.top3, "ours_top3_%")
			b.ReportMetric(pg.top3, "pg_top3_%")
		}
		fmt.Printf("\nsearch engines over %d documents, 100 queries:\n", len(arts))
		fmt.Printf("  %-32s %12s %9s %9s %9s\n", "engine", "docs/s", "p50 ms", "p95 ms", "top-3 %")
		for _, r := range []struct {
			name string
			f    figures
		}{{"tawthiq (FTS5 + Go analyser)", ours}, {"FTS5 unicode61 (reference)", ref}, {"PostgreSQL arabic", pg}} {
			top := "-"
			if r.f.top3 >= 0 {
				top = fmt.Sprintf("%.1f", r.f.top3)
			}
			fmt.Printf("  %-32s %12.0f %9.2f %9.2f %9s\n", r.name, r.f.docsPerSec, r.f.p50, r.f.p95, top)
		}
	}
}
