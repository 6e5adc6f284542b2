package search_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
)

// article is one line of the shared news corpus.
type article struct {
	Title   string `json:"title"`
	Content string `json:"content"`
	Date    string `json:"date_extracted"`
	Source  string `json:"source"`
}

// corpusPath is the real corpus of 31,030 Arabic news articles (2015)
// beside the repository: read at test time, never copied here.
var corpusPath = filepath.Join("..", "..", "..", "shared", "data", "corpus", "saudinewsnet.jsonl.gz")

var (
	corpusOnce sync.Once
	corpus     []article
	corpusErr  error
)

// loadCorpus reads the corpus once per test binary. Without it the test is
// skipped on a developer machine and fails in CI.
func loadCorpus(tb testing.TB) []article {
	tb.Helper()
	corpusOnce.Do(func() {
		f, err := os.Open(corpusPath)
		if err != nil {
			corpusErr = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			corpusErr = err
			return
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var a article
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
				corpusErr = err
				return
			}
			if strings.TrimSpace(a.Content) != "" && strings.TrimSpace(a.Title) != "" {
				corpus = append(corpus, a)
			}
		}
		corpusErr = sc.Err()
	})
	if corpusErr != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI needs ../shared beside the repository: %v", corpusErr)
		}
		tb.Skipf("no corpus at %s: %v", corpusPath, corpusErr)
	}
	return corpus
}

// indexCorpus stores the articles as reports through the record service
// (so each is indexed as in production: in its revision's transaction,
// with its ledger leaf) and returns the app and the report id of each
// article.
func indexCorpus(tb testing.TB, arts []article) (*app.App, []string) {
	tb.Helper()
	ctx := context.Background()
	a, _, err := app.Init(ctx, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	ids := make([]string, 0, len(arts))
	const batch = 500
	for i := 0; i < len(arts); i += batch {
		var changes []record.Change
		for _, art := range arts[i:min(i+batch, len(arts))] {
			changes = append(changes, record.Change{Action: record.ActionCreate, Body: reportOf(art)})
		}
		recs, err := a.Service.Apply(ctx, record.Meta{Author: "corpus-test", Reason: "search quality test"}, changes)
		if err != nil {
			tb.Fatalf("store articles %d…: %v", i, err)
		}
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
	}
	return a, ids
}

func reportOf(art article) *record.Report {
	r := &record.Report{Title: art.Title, Text: art.Content, Language: "ar", Outlet: art.Source}
	if len(art.Date) >= 10 {
		r.Published = art.Date[:10]
	}
	return r
}

// titleQuery is what a person types to find an article by its title: the
// title's words, without the quote marks and dashes that are query syntax.
func titleQuery(title string) string {
	title = strings.NewReplacer(`"`, " ", "«", " ", "»", " ", "“", " ", "”", " ").Replace(title)
	var words []string
	for _, w := range strings.Fields(title) {
		w = strings.TrimLeft(w, "-")
		if w != "" && w != "OR" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// knownItems picks n articles spread evenly over the corpus among those
// whose title no other article shares (an article that cannot be told
// apart by its title is not a known item).
func knownItems(arts []article, n int) []int {
	count := map[string]int{}
	for _, a := range arts {
		count[titleQuery(a.Title)]++
	}
	var unique []int
	for i, a := range arts {
		if count[titleQuery(a.Title)] == 1 {
			unique = append(unique, i)
		}
	}
	step := max(len(unique)/n, 1)
	var out []int
	for i := 0; i < len(unique) && len(out) < n; i += step {
		out = append(out, unique[i])
	}
	return out
}

// TestKnownItemQuality: for 1,000 real articles, searching the article's
// title finds it in the top 3 at least 95% of the time over the whole
// corpus of ~31,000. It prints the rate and MRR@10.
func TestKnownItemQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 31,000 articles; run without -short")
	}
	arts := loadCorpus(t)
	a, ids := indexCorpus(t, arts)
	ctx := context.Background()
	items := knownItems(arts, 1000)
	if len(items) < 1000 {
		t.Fatalf("only %d known items in the corpus", len(items))
	}
	top3, mrr := 0, 0.0
	var misses []string
	for _, i := range items {
		res, err := a.Search.Search(ctx, search.Query{Text: titleQuery(arts[i].Title), Limit: 10})
		if err != nil {
			t.Fatalf("search %q: %v", arts[i].Title, err)
		}
		rank := 0
		for r, h := range res.Hits {
			if h.RecordID == ids[i] {
				rank = r + 1
				break
			}
		}
		if rank >= 1 && rank <= 3 {
			top3++
		} else if len(misses) < 10 {
			misses = append(misses, fmt.Sprintf("rank %d of %d: %s", rank, res.Total, arts[i].Title))
		}
		if rank > 0 {
			mrr += 1 / float64(rank)
		}
	}
	rate := float64(top3) / float64(len(items))
	mrr /= float64(len(items))
	t.Logf("known-item search over %d articles: %d queries, top-3 %.1f%%, MRR@10 %.3f", len(arts), len(items), 100*rate, mrr)
	fmt.Printf("known-item: corpus %d, queries %d, top3 %.1f%%, MRR@10 %.3f\n", len(arts), len(items), 100*rate, mrr)
	if rate < 0.95 {
		t.Errorf("top-3 rate %.1f%% is under 95%%; some misses:\n%s", 100*rate, strings.Join(misses, "\n"))
	}
}
