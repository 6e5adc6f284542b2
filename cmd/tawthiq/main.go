// Command tawthiq is the one binary of Tawthiq (توثيق): it creates a data
// folder, serves the web API, ingests reports and shows records.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vault"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes, documented in --help and the README.
const (
	exitOK          = 0
	exitError       = 1 // unexpected failure (disk, database …)
	exitUsage       = 2 // wrong command, flag or argument
	exitInvalid     = 3 // input refused: invalid record, unreadable file
	exitNotFound    = 4 // no such record
	exitConflict    = 5 // stale revision or duplicate
	exitNotInitData = 6 // the data folder has not been initialised
	exitUnverified  = 7 // audit or verify found something wrong
	exitTooLarge    = 8 // the file is over the size limit
)

const exitCodesHelp = `Exit codes / رموز الخروج:
  0  success / نجاح
  1  unexpected failure / خطأ غير متوقع
  2  wrong command, flag or argument / أمر أو خيار أو وسيط خاطئ
  3  input refused (invalid record, unreadable file) / مُدخل مرفوض
  4  no such record / السجل غير موجود
  5  conflict: stale revision or duplicate / تعارض: مراجعة قديمة أو تكرار
  6  data folder not initialised (run init) / مجلد البيانات غير مهيّأ
  7  audit or verify found something wrong / وجد التدقيق أو التحقق خللاً
  8  file over the size limit / الملف أكبر من الحد المسموح
`

// usageError is a mistake in how the command was called.
type usageError struct{ en, ar string }

func (e *usageError) Error() string { return e.en }

func usagef(en, ar string, args ...any) error {
	return &usageError{en: fmt.Sprintf(en, args...), ar: fmt.Sprintf(ar, args...)}
}

// command is one subcommand.
type command struct {
	name    string
	summary string // English / Arabic
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what commands write to.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
}

func commands() []command {
	return []command{
		{"init", "create a data folder / إنشاء مجلد البيانات", cmdInit},
		{"serve", "run the web API (--demo: sample data) / تشغيل الخادم", cmdServe},
		{"ingest", "read reports from files or folders / استيراد التقارير من ملفات أو مجلدات", cmdIngest},
		{"incidents", "list or show incidents / عرض الحوادث", cmdIncidents},
		{"reports", "list reports / عرض التقارير", cmdReports},
		{"history", "show every revision of a record / عرض مراجعات سجل", cmdHistory},
		{"search", "search reports and incidents / البحث في التقارير والحوادث", cmdSearch},
		{"reindex", "rebuild the search index and extractions / إعادة بناء الفهرس والاستخراج", cmdReindex},
		{"extract", "propose the facts of a report (JSON) / استخراج وقائع تقرير", cmdExtract},
		{"evidence", "add, get, check evidence files and their custody / إدارة ملفات الأدلة وسلسلة عهدتها", cmdEvidence},
		{"export-evidence", "write an evidence package anyone can verify / تصدير حزمة دليل قابلة للتحقق", cmdExportEvidence},
		{"verify", "check an evidence package offline / التحقق من حزمة دليل دون خادم", cmdVerify},
		{"audit", "recompute and check everything stored / تدقيق كل ما هو مخزّن", cmdAudit},
		{"user", "manage accounts and roles / إدارة الحسابات والأدوار", cmdUser},
		{"token", "make, list, revoke API tokens / رموز الوصول للواجهة البرمجية", cmdToken},
		{"key", "the organisation key that seals identities / مفتاح المنظمة الذي يختم الهويات", cmdKey},
		{"seal", "seal a report and its files into one bundle for the organisation / ختم تقرير وملفاته في حزمة واحدة", cmdSeal},
		{"config", "print the configuration, secrets redacted / عرض الإعدادات مع حجب الأسرار", cmdConfig},
		{"version", "print the version / طباعة الإصدار", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		mainUsage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return report(e, c.name, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.stderr, "tawthiq: unknown command %q / أمر غير معروف\n\n", args[0])
	mainUsage(e.stderr)
	return exitUsage
}

func mainUsage(w io.Writer) {
	fmt.Fprint(w, `tawthiq — documentation of violations against civilians / توثيق الانتهاكات بحق المدنيين

Usage / الاستخدام:
  tawthiq <command> [flags] [arguments]
  tawthiq <command> --help

Commands / الأوامر:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nData folder / مجلد البيانات: --data DIR, else $TAWTHIQ_DATA, else %s\n\n%s", app.DefaultDataDir(), exitCodesHelp)
}

// report prints err for a person and returns the exit code: the one place
// that maps error kinds to exit codes.
func report(e *env, cmd string, err error) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	var ve *record.ValidationError
	var ce *record.ConflictError
	var ar interface{ Arabic() string }
	code := exitError
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "tawthiq %s: %s\n  %s\n  (tawthiq %s --help)\n", cmd, ue.en, ue.ar, cmd)
		return exitUsage
	case errors.As(err, &ve):
		fmt.Fprintf(e.stderr, "tawthiq %s: invalid input / مُدخل غير صالح:\n", cmd)
		for _, f := range ve.Errors {
			fmt.Fprintf(e.stderr, "  %s: %s / %s\n", f.Field, f.Message, f.MessageAR)
		}
		return exitInvalid
	case errors.Is(err, app.ErrNotInitialised):
		code = exitNotInitData
	case errors.Is(err, app.ErrKeyLost):
		code = exitUnverified
	case errors.As(err, &ce), errors.Is(err, record.ErrDuplicate):
		code = exitConflict
	case errors.Is(err, record.ErrNotFound), errors.Is(err, errNotFoundInput):
		code = exitNotFound
	case errors.Is(err, errConflictInput):
		code = exitConflict
	case errors.Is(err, errInvalidInput):
		code = exitInvalid
	case errors.Is(err, errUnverified):
		code = exitUnverified
	case errors.As(err, new(*evidence.TooLargeError)):
		code = exitTooLarge
	case errors.Is(err, evidence.ErrLost):
		code = exitUnverified
	case errors.Is(err, vault.ErrNotFound):
		code = exitNotFound
	case errors.Is(err, vault.ErrCorrupt):
		code = exitUnverified
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(e.stderr, "tawthiq %s: interrupted / توقف بطلب المستخدم\n", cmd)
		return exitError
	}
	fmt.Fprintf(e.stderr, "tawthiq %s: %v\n", cmd, err)
	if errors.As(err, &ar) {
		fmt.Fprintf(e.stderr, "  %s\n", ar.Arabic())
	}
	return code
}

// errUnverified marks a failed audit or verification, already reported.
var errUnverified = errors.New("verification failed / لم يتم التحقق")

// errInvalidInput marks input refused for a reason other than record
// validation (an unreadable file).
var errInvalidInput = errors.New("input refused")

// newFlags makes a flag set for a command with bilingual help.
func newFlags(e *env, name, usage, description string) *flag.FlagSet {
	fs := flag.NewFlagSet("tawthiq "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage / الاستخدام: tawthiq %s %s\n\n%s\n\nFlags / الخيارات:\n", name, usage, description)
		fs.PrintDefaults()
		fmt.Fprintf(w, "\n%s", exitCodesHelp)
	}
	return fs
}

// parse parses flags: wrong flags are usage errors; --help prints the
// command's help on stdout and is not an error.
//
// Flags may come before or after the arguments ("evidence add REPORT FILE
// --data DIR"); "--" ends the flags.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(interspersed(fs, args))
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return flag.ErrHelp
	}
	if err != nil {
		return usagef("%v", "خيار غير صالح: %v", err)
	}
	return nil
}

// interspersed moves the flags in args ahead of the positional arguments,
// which the flag package would otherwise stop at.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		// Not a flag: "-", and "-" before anything but an ASCII letter or
		// dash — a search exclusion such as -قصف or -"a phrase".
		if len(a) < 2 || a[0] != '-' || !(a[1] == '-' || 'a' <= a[1]|0x20 && a[1]|0x20 <= 'z') {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // unknown: Parse names it
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if len(positional) == 0 {
		return flags
	}
	return append(append(flags, "--"), positional...)
}

func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", app.DefaultDataDir(), "data folder / مجلد البيانات (env TAWTHIQ_DATA)")
}
