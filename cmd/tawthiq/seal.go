package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/tawthiq/tawthiq/internal/arabic"
	"github.com/tawthiq/tawthiq/internal/bundle"
)

const sealHelp = "Seal a report, who you are, and its files into one encrypted file (a sealed bundle) that only\n" +
	"the organisation can open: carry it by USB stick or send it by messenger. REPORT.txt is the report\n" +
	"text (UTF-8); the other files are attached byte for byte with their SHA-256, computed here. No\n" +
	"data folder is needed. Keep your originals until the organisation confirms the hashes it received.\n" +
	"ختم تقرير وهويتك وملفاته في ملف مشفّر واحد لا تفتحه إلا المنظمة، يُنقل بذاكرة USB أو عبر تطبيق مراسلة.\n" +
	"REPORT.txt نص التقرير (UTF-8) والملفات الأخرى مرفقات تُحفظ كما هي مع بصماتها. احتفظ بالأصول حتى تؤكد المنظمة الاستلام."

// stringList is a flag that may be given more than once.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// sealFlagOf names the flag behind a manifest field, for usage errors.
var sealFlagOf = map[string]string{
	"report.title": "--title", "report.text": "REPORT", "report.language": "--language",
	"report.published": "--published", "report.outlet": "--outlet", "report.url": "--url",
	"reporter.latitude": "--lat/--lon", "reporter.longitude": "--lon",
}

func cmdSeal(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "seal", "--to ORG_PUBLIC_KEY [--to …] -o FILE [--title T] [--language ar|en] [--published YYYY-MM-DD]\n"+
		"  [--outlet O] [--url U] [--name N] [--contact C] [--lat LAT --lon LON] [--note N] [--force] REPORT.txt [FILE…]", sealHelp)
	var to stringList
	fs.Var(&to, "to", "the organisation's age public key (age1…), or @FILE holding it; repeatable / المفتاح العام للمنظمة")
	out := fs.String("o", "", "the bundle file to write / ملف الحزمة")
	force := fs.Bool("force", false, "replace an existing -o file / استبدال ملف موجود")
	var m bundle.Manifest
	fs.StringVar(&m.Report.Title, "title", "", "report title / عنوان التقرير")
	fs.StringVar(&m.Report.Language, "language", "", "language of the text, ar or en (default: guessed) / لغة النص")
	fs.StringVar(&m.Report.Published, "published", "", "date published, YYYY-MM-DD / تاريخ النشر")
	fs.StringVar(&m.Report.Outlet, "outlet", "", "where it was published / جهة النشر")
	fs.StringVar(&m.Report.URL, "url", "", "address of the publication / رابط النشر")
	fs.StringVar(&m.Reporter.Name, "name", "", "your name (sealed, never published) / اسمك (مختوم لا يُنشر)")
	fs.StringVar(&m.Reporter.Contact, "contact", "", "how to reach you (sealed) / وسيلة التواصل معك (مختومة)")
	lat := fs.String("lat", "", "latitude where you are or were (sealed) / خط العرض (مختوم)")
	lon := fs.String("lon", "", "longitude (sealed) / خط الطول (مختوم)")
	fs.StringVar(&m.Reporter.Note, "note", "", "a note for the organisation only (sealed) / ملاحظة للمنظمة فقط (مختومة)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	switch {
	case len(to) == 0:
		return usagef("--to is required: the organisation's public key (age1…)", "الخيار --to مطلوب: المفتاح العام للمنظمة (age1…)")
	case *out == "":
		return usagef("-o FILE is required: where to write the bundle", "الخيار -o مطلوب: أين تُكتب الحزمة")
	case fs.NArg() == 0:
		return usagef("name the report text file, then any files to attach", "حدّد ملف نص التقرير ثم الملفات المرفقة")
	}
	recipients, err := sealRecipients(to)
	if err != nil {
		return err
	}
	if m.Reporter.Latitude, err = coordinate("--lat", *lat); err != nil {
		return err
	}
	if m.Reporter.Longitude, err = coordinate("--lon", *lon); err != nil {
		return err
	}
	if m.Report.Text, err = reportText(fs.Arg(0)); err != nil {
		return err
	}
	if m.Report.Language == "" {
		m.Report.Language = "en"
		if arabic.Language(m.Report.Text) == "ar" {
			m.Report.Language = "ar"
		}
	}
	files := fs.Args()[1:]
	if err := checkSealPaths(*out, *force, fs.Args()); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.Tool = "tawthiq " + version
	sealed, err := bundle.SealFile(*out, recipients, m, files)
	if err != nil {
		return sealError(err)
	}
	return printSealed(e, *out, sealed, m.Reporter != bundle.Reporter{})
}

// sealRecipients parses the --to values: an age public key, or @FILE with
// one key a line. A value is never echoed: it may be a secret key pasted by
// mistake.
func sealRecipients(values []string) ([]age.Recipient, error) {
	var all []age.Recipient
	for _, v := range values {
		key, what := v, "--to"
		if path, ok := strings.CutPrefix(v, "@"); ok {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, usagef("--to %s: cannot read the key file: %v", "--to %s: تعذّرت قراءة ملف المفتاح: %v", v, err)
			}
			key, what = string(data), "--to "+v
		}
		if strings.Contains(strings.ToUpper(key), "AGE-SECRET-KEY-") {
			return nil, usagef("%s: this is a secret key — keep it hidden; give the organisation's public key (age1…)",
				"%s: هذا مفتاح سرّي فلا تكشفه؛ أعطِ المفتاح العام للمنظمة (age1…)", what)
		}
		rs, err := age.ParseRecipients(strings.NewReader(key))
		if err != nil {
			return nil, usagef("%s: not an age public key (age1…): %v", "%s: ليس مفتاح age عاماً (age1…): %v", what, err)
		}
		all = append(all, rs...)
	}
	return all, nil
}

func coordinate(flag, s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return nil, usagef("%s: not a number (decimal degrees, e.g. 36.2021)", "%s: ليس رقماً (درجات عشرية مثل 36.2021)", flag)
	}
	return &v, nil
}

// reportText reads the report: UTF-8 text, not empty, small enough for the
// manifest (a longer text can be attached as a file).
func reportText(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%w: report text: %v / تعذّرت قراءة نص التقرير", errInvalidInput, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, bundle.MaxManifest/2+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: report text %s: %v / تعذّرت قراءة نص التقرير", errInvalidInput, path, err)
	case len(data) > bundle.MaxManifest/2:
		return "", fmt.Errorf("%w: %s is over 512 KiB: give a short text and attach this file / النص أطول من 512 كيلوبايت: أرفقه كملف", errInvalidInput, path)
	case !utf8.Valid(data):
		return "", fmt.Errorf("%w: %s is not UTF-8 text: save it as UTF-8 / الملف ليس نصاً بترميز UTF-8", errInvalidInput, path)
	case strings.TrimSpace(string(data)) == "":
		return "", fmt.Errorf("%w: %s is empty: the report needs its text / الملف فارغ: التقرير يحتاج نصه", errInvalidInput, path)
	}
	return string(data), nil
}

// checkSealPaths refuses a missing input before any hashing, and an -o
// that exists (unless --force) or that is one of the inputs: sealing must
// never overwrite the evidence it seals.
func checkSealPaths(out string, force bool, inputs []string) error {
	outInfo, err := os.Stat(out)
	if err == nil && !force {
		return usagef("%s already exists: choose another -o or add --force", "%s موجود مسبقاً: اختر ملفاً آخر أو أضف --force", out)
	}
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			return fmt.Errorf("%w: %v / تعذّرت قراءة الملف %s", errInvalidInput, err, in)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%w: %s is not a regular file / ليس ملفاً عادياً", errInvalidInput, in)
		}
		if outInfo != nil && os.SameFile(st, outInfo) {
			return usagef("-o %s is one of the files to seal", "-o %s من الملفات المراد ختمها", out)
		}
	}
	return nil
}

// sealError maps the bundle's refusals to this command's exit codes.
func sealError(err error) error {
	var be *bundle.Error
	switch {
	case errors.As(err, &be) && be.Field != "":
		name := sealFlagOf[be.Field]
		if name == "" {
			name = be.Field
		}
		return &usageError{en: name + ": " + strings.TrimPrefix(be.EN, be.Field+": "), ar: name + ": " + strings.TrimPrefix(be.AR, be.Field+": ")}
	case errors.Is(err, bundle.ErrUnreadable), errors.Is(err, bundle.ErrChanged):
		return fmt.Errorf("%w: %w", errInvalidInput, err)
	}
	return err
}

func printSealed(e *env, out string, m *bundle.Manifest, withReporter bool) error {
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sealed / خُتمت الحزمة: %s (%s, %d bytes)\n", out, size(st.Size()), st.Size())
	fmt.Fprintf(e.stdout, "report text / نص التقرير: %d characters, language %s\n", utf8.RuneCountInString(m.Report.Text), m.Report.Language)
	if withReporter {
		fmt.Fprintf(e.stdout, "your details are sealed inside, not shown / بياناتك مختومة في الداخل ولا تُعرض\n")
	}
	fmt.Fprintf(e.stdout, "files / الملفات: %d\n", len(m.Files))
	for _, f := range m.Files {
		fmt.Fprintf(e.stdout, "  %s  %12d  %s\n", f.SHA256, f.Size, f.Name)
	}
	fmt.Fprintf(e.stdout, "Keep the originals until the organisation confirms these SHA-256 values.\n"+
		"احتفظ بالأصول حتى تؤكد المنظمة استلام هذه البصمات.\n")
	return nil
}
