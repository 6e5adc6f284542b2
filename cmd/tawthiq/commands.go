package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/record"
)

func cmdVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "", "Print the version. / طباعة الإصدار.")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "tawthiq %s\n", version)
	return nil
}

func cmdInit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "init", "[--data DIR]",
		"Create a data folder with an empty database and the parties to the conflict.\nRunning it again on the same folder changes nothing already stored.\n"+
			"إنشاء مجلد بيانات بقاعدة بيانات فارغة وأطراف النزاع. تكرار الأمر لا يغيّر شيئاً مخزّناً.")
	data := dataFlag(fs)
	origin := fs.String("origin", "", "name of the ledger in its checkpoints, e.g. rights-group.example/tawthiq (new folders only) / اسم السجل")
	newKey := fs.Bool("new-ledger-key", false, "make a new ledger key although the ledger has entries (its key is lost; the log gets a new identity) / مفتاح جديد للسجل")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", "وسيط غير متوقع %q", fs.Arg(0))
	}
	a, created, err := app.InitWith(ctx, *data, app.Options{Origin: *origin, NewLedgerKey: *newKey})
	if err != nil {
		return err
	}
	defer a.Close()
	if created {
		fmt.Fprintf(e.stdout, "initialised %s\nتمت تهيئة %s\n", *data, *data)
	}
	if a.KeyCreated {
		fmt.Fprintf(e.stdout, "new ledger key %s; public key (publish it) / مفتاح جديد للسجل؛ المفتاح العام (انشره):\n%s\n", a.Ledger.Origin(), a.Ledger.VerifierKey())
	}
	if !created && !a.KeyCreated {
		fmt.Fprintf(e.stdout, "already initialised, nothing changed: %s\nالمجلد مهيّأ مسبقاً ولم يتغيّر شيء: %s\n", *data, *data)
	}
	return nil
}

// open opens the data folder named by the flag.
func open(ctx context.Context, dir string) (*app.App, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, abs)
}

func cmdReports(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprint(e.stdout, "Usage / الاستخدام: tawthiq reports list [flags]\n  (tawthiq reports list --help)\n")
			return nil
		}
		return usagef("expected: reports list", "المتوقع: reports list")
	}
	fs := newFlags(e, "reports list", "[--data DIR] [--language ar|en] [--limit N] [--json]",
		"List reports, newest first. / عرض التقارير، الأحدث أولاً.")
	data := dataFlag(fs)
	lang := fs.String("language", "", "only reports in this language / لغة التقارير")
	limit := fs.Int("limit", 50, "how many / العدد")
	offset := fs.Int("offset", 0, "skip this many / تخطي هذا العدد")
	asJSON := fs.Bool("json", false, "print JSON / طباعة JSON")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if *limit < 1 || *limit > record.MaxLimit {
		return usagef("--limit must be between 1 and %d", "يجب أن يكون --limit بين 1 و%d", record.MaxLimit)
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	q := record.Query{Type: record.TypeReport, Limit: *limit, Offset: *offset}
	if *lang != "" {
		q.Terms = append(q.Terms, record.Term{Field: "language", Value: *lang})
	}
	recs, total, err := a.Store.List(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, map[string]any{"items": nonNil(recs), "total": total})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPUBLISHED\tLANG\tTITLE")
	for _, r := range recs {
		var rep record.Report
		if err := json.Unmarshal(r.Body, &rep); err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, dash(rep.Published), rep.Language, oneLine(r.Title, 70))
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d of %d reports / %d من أصل %d تقريراً\n", len(recs), total, len(recs), total)
	return nil
}

func cmdHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "history", "[--data DIR] [--json] ID",
		"Show every revision of a record, oldest first: who, when, why.\nعرض كل مراجعات سجل من الأقدم: من ومتى ولماذا.")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON, with each revision's content / طباعة JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("expected one record ID", "المتوقع معرّف سجل واحد")
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	revs, err := a.Store.History(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e, map[string]any{"id": fs.Arg(0), "revisions": revs})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REV\tTIME (UTC)\tAUTHOR\tACTION\tREASON\tCONTENT HASH")
	for _, r := range revs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Revision, r.CreatedAt.Format("2006-01-02 15:04:05"),
			r.Author, r.Action, oneLine(r.Reason, 60), r.ContentHash[:min(len(r.ContentHash), 23)])
	}
	return tw.Flush()
}

func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func nonNil(rs []record.Record) []record.Record {
	if rs == nil {
		return []record.Record{}
	}
	return rs
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine flattens and shortens text for a table cell.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return dash(s)
}

// fileExists reports whether path exists.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
