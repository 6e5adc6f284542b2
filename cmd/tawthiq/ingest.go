package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/bundle"
	"github.com/tawthiq/tawthiq/internal/ingest"
	"github.com/tawthiq/tawthiq/internal/sealed"
)

func cmdIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "[--data DIR] [--author NAME] PATH...",
		"Read reports from text (.txt), Markdown (.md), HTML (.html) and JSON (.json, .jsonl, .ndjson, also .gz)\n"+
			"files or folders (recursively) and store each as a report. Running it again on the same files\n"+
			"stores nothing twice: a report is known by the SHA-256 of its original bytes.\n"+
			"A file that cannot be read is reported and the others go on (exit code 3 at the end).\n"+
			"A sealed bundle (tawthiq seal) is opened with the organisation key (passphrase from --passphrase-file,\n"+
			"$"+envPassphraseFile+" or a prompt): its report is stored with the reporter's details sealed and its files as\n"+
			"evidence under the SHA-256 they had when sealed. A bundle altered on the way is refused and nothing is stored.\n"+
			"الحزمة المختومة تُفتح بمفتاح المنظمة وتُحفظ ملفاتها ببصماتها عند الختم؛ الحزمة المعدّلة تُرفض.\n"+
			"استيراد التقارير من ملفات نصية وMarkdown وHTML وJSON أو من مجلدات، دون تكرار ما خُزّن سابقاً.")
	data := dataFlag(fs)
	author := fs.String("author", defaultAuthor(), "who is ingesting (recorded in every revision) / المستورِد")
	quiet := fs.Bool("quiet", false, "no progress bar / دون شريط التقدم")
	passFile := fs.String("passphrase-file", "", "file holding the organisation key's passphrase, for sealed bundles / ملف عبارة المرور")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("name at least one file or folder", "حدّد ملفاً أو مجلداً واحداً على الأقل")
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	var paths, bundles []string
	for _, p := range fs.Args() {
		if app.IsBundle(p) {
			bundles = append(bundles, p)
		} else {
			paths = append(paths, p)
		}
	}
	if len(bundles) > 0 {
		if err := ingestBundles(ctx, e, a, bundles, *author, *passFile); err != nil {
			return err
		}
		if len(paths) == 0 {
			return nil
		}
	}
	bar := newProgress(e.stderr, *quiet)
	in := &ingest.Ingester{Service: a.Service, Store: a.Store, Author: *author, Progress: bar.update}
	res, err := in.Run(ctx, paths)
	bar.finish()
	var re *ingest.ReadError
	if errors.As(err, &re) {
		return fmt.Errorf("%w: %s\n  %s", errInvalidInput, re.Error(), re.Arabic())
	}
	if res != nil {
		fmt.Fprintf(e.stdout, "files: %d, reports added: %d, already stored: %d, files skipped (other types): %d, failed: %d\n",
			res.Files, res.Added, res.Duplicates, res.SkippedFiles, len(res.Failed))
		fmt.Fprintf(e.stdout, "الملفات: %d، تقارير مضافة: %d، مخزّنة مسبقاً: %d، ملفات متجاهلة: %d، إخفاقات: %d\n",
			res.Files, res.Added, res.Duplicates, res.SkippedFiles, len(res.Failed))
		for _, f := range res.Failed {
			fmt.Fprintf(e.stderr, "  failed / فشل: %v\n", f)
			var re *ingest.ReadError
			if errors.As(f, &re) {
				fmt.Fprintf(e.stderr, "    %s\n", re.Arabic())
			}
		}
	}
	if err != nil {
		return err
	}
	if len(res.Failed) > 0 {
		return fmt.Errorf("%w: %d file(s) or item(s) could not be ingested / تعذّر استيراد %d", errInvalidInput, len(res.Failed), len(res.Failed))
	}
	return nil
}

func defaultAuthor() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// progress draws a one-line bar on a terminal, at most ten times a second;
// on anything else it stays silent.
type progress struct {
	w     io.Writer
	on    bool
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: !quiet && ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) update(done, total int64) {
	if !p.on || total <= 0 || time.Since(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := float64(done) / float64(total)
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %s / %s", strings.Repeat("█", n), strings.Repeat("·", width-n), frac*100,
		size(done), size(total))
	p.shown = true
}

func (p *progress) finish() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// ingestBundles opens and stores sealed bundles with the unlocked
// organisation key; the first refused bundle stops the run.
func ingestBundles(ctx context.Context, e *env, a *app.App, paths []string, author, passFile string) error {
	k := a.Keyring()
	if k == nil {
		return keyError(sealed.ErrNoKey)
	}
	if err := e.unlock(k, passFile); err != nil {
		return err
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("%w: %v", errInvalidInput, err)
		}
		res, err := a.IngestBundle(ctx, f, p, author)
		f.Close()
		if err != nil {
			var be *bundle.Error
			if errors.As(err, &be) {
				return fmt.Errorf("%w: %s: %s\n  %s", errInvalidInput, p, be.EN, be.AR)
			}
			return fmt.Errorf("%s: %w", p, err)
		}
		state := "stored / خُزّن"
		if res.ReportExisted {
			state = "already stored / مخزّن مسبقاً"
		}
		fmt.Fprintf(e.stdout, "%s: sealed at %s; report %s %s; reporter's details sealed\n", p, res.SealedAt, res.ReportID, state)
		for _, f := range res.Files {
			fmt.Fprintf(e.stdout, "  %s  %s  %d bytes  evidence %s (SHA-256 as sealed / البصمة كما خُتمت)\n", f.SHA256, f.Name, f.Size, f.EvidenceID)
		}
	}
	return nil
}
