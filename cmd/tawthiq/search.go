package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
)

func cmdSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search", "[--data DIR] [filters] QUERY...",
		"Search reports and incidents. QUERY: words (all must match), \"a phrase\", -word (must not match),\n"+
			"a OR b. Words match their other forms: مدني finds المدنيين، قصف finds والقصف، ٧٠ finds 70.\n"+
			"Matches are shown [in brackets]. An exclusion in Latin letters looks like a flag: quote the whole\n"+
			"query (tawthiq search \"shelling -artillery\") or put -- before it.\n"+
			"البحث في التقارير والحوادث: كلمات، \"عبارة\"، -كلمة للاستبعاد، OR بين كلمتين.")
	data := dataFlag(fs)
	var types, kinds listFlag
	fs.Var(&types, "type", "report or incident (repeatable) / نوع السجل")
	fs.Var(&kinds, "kind", "incident kind code (repeatable) / نوع الحادثة")
	actor := fs.String("actor", "", "actor code / الطرف")
	place := fs.String("place", "", "gazetteer id; a governorate includes its towns / المكان")
	grading := fs.String("grading", "", "grading code / درجة التقييم")
	lang := fs.String("language", "", "language code / اللغة")
	from := fs.String("from", "", "from date YYYY-MM-DD / من تاريخ")
	to := fs.String("to", "", "to date YYYY-MM-DD / إلى تاريخ")
	sort := fs.String("sort", "", "relevance or date / الترتيب")
	limit := fs.Int("limit", search.DefaultLimit, "how many / العدد")
	offset := fs.Int("offset", 0, "skip this many / تخطي هذا العدد")
	facets := fs.Bool("facets", false, "count matches by kind, actor, place … / إحصاء النتائج")
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	q := search.Query{Text: strings.Join(fs.Args(), " "), Kinds: kinds, Actor: *actor, Place: *place,
		Grading: *grading, Language: *lang, From: *from, To: *to, Sort: *sort, Limit: *limit, Offset: *offset, Facets: *facets}
	for _, t := range types {
		q.Types = append(q.Types, record.Type(t))
	}
	if q.Text == "" && q.Actor == "" && q.Place == "" && len(q.Kinds) == 0 && q.From == "" && q.To == "" &&
		q.Grading == "" && q.Language == "" && len(q.Types) == 0 {
		return usagef("give words to search for, or a filter", "حدّد كلمات للبحث أو مرشّحاً")
	}
	if *limit < 1 || *limit > search.MaxLimit {
		return usagef("--limit must be between 1 and %d", "يجب أن يكون --limit بين 1 و%d", search.MaxLimit)
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := search.CheckFilters(ctx, q, a.Vocab, a.Store); err != nil {
		return search.Invalid(err)
	}
	res, err := a.Search.Search(ctx, q)
	if err != nil {
		return search.Invalid(err)
	}
	if *asJSON {
		return printJSON(e, res)
	}
	if len(res.Query.Ignored) > 0 {
		fmt.Fprintf(e.stdout, "ignored (too common) / كلمات متجاهلة: %s\n", strings.Join(res.Query.Ignored, " "))
	}
	for _, h := range res.Hits {
		fmt.Fprintf(e.stdout, "%s  %-8s %s  %s\n", h.RecordID, h.Type, dash(h.DateStart), oneLine(marked(h.Title), 120))
		if s := oneLine(marked(h.Snippet), 200); s != "" {
			fmt.Fprintf(e.stdout, "    %s\n", s)
		}
	}
	if len(res.Hits) == 0 {
		fmt.Fprintf(e.stdout, "no matches here, of %d / لا نتائج هنا من أصل %d\n", res.Total, res.Total)
	} else {
		fmt.Fprintf(e.stdout, "%d–%d of %d / %d من أصل %d\n", res.Offset+1, res.Offset+len(res.Hits), res.Total, len(res.Hits), res.Total)
	}
	if f := res.Facets; f != nil {
		for _, g := range []struct {
			name   string
			counts []search.FacetCount
		}{{"kind", f.Kind}, {"actor", f.Actor}, {"place", f.Place}, {"grading", f.Grading}, {"language", f.Language}, {"type", f.Type}} {
			if len(g.counts) == 0 {
				continue
			}
			var parts []string
			for _, c := range g.counts {
				parts = append(parts, fmt.Sprintf("%s %d", c.Value, c.Count))
			}
			fmt.Fprintf(e.stdout, "%s: %s\n", g.name, strings.Join(parts, ", "))
		}
	}
	return nil
}

// marked writes fragments with the matches in brackets.
func marked(fs []search.Fragment) string {
	var b strings.Builder
	for _, f := range fs {
		if f.Match {
			b.WriteString("[" + f.Text + "]")
		} else {
			b.WriteString(f.Text)
		}
	}
	return b.String()
}

func cmdReindex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reindex", "[--data DIR]",
		"Rebuild the search index from the records, in one transaction (searches see the old index until it\n"+
			"is done), and extract the facts of every report again. Needed after an upgrade of the analyser,\n"+
			"the extractor or the gazetteer.\n"+
			"إعادة بناء فهرس البحث من السجلات وإعادة استخراج الوقائع من التقارير.")
	data := dataFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", "وسيط غير متوقع %q", fs.Arg(0))
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	n, x, err := a.Reindex(ctx)
	if err != nil {
		return err
	}
	if err := a.Search.Optimize(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "indexed %d reports and incidents, extracted %d reports / فُهرس %d تقريراً وحادثة واستُخرجت وقائع %d تقريراً\n", n, x, n, x)
	return nil
}
