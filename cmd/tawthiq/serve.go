package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/demo"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--data DIR] [--addr HOST:PORT] [--host NAME]... [--max-upload BYTES] [--demo]",
		"Run the web interface (Arabic and English pages at /) and the JSON API (/api/v1) until interrupted\n"+
			"(Ctrl-C or SIGTERM), then shut down gracefully.\n"+
			"--demo starts on a fresh store (a new temporary folder, removed on exit, unless --data names a new one)\n"+
			"preloaded with sample reports, incidents, actors, sources and two sample evidence files.\n"+
			"Until sign-in exists the server listens on loopback only and answers only to localhost names and\n"+
			"those given with --host (a reverse proxy's name); other Host headers get 421.\n"+
			"تشغيل واجهة الويب وواجهة البرمجة حتى الإيقاف. مع --demo يبدأ على مخزن جديد محمّل ببيانات تجريبية.")
	data := fs.String("data", "", "data folder / مجلد البيانات (default: $TAWTHIQ_DATA or "+app.DefaultDataDir()+")")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on / عنوان الاستماع")
	withDemo := fs.Bool("demo", false, "fresh store with sample data / مخزن جديد ببيانات تجريبية")
	var hosts listFlag
	fs.Var(&hosts, "host", "a host name to answer to besides localhost, e.g. a reverse proxy's (repeatable) / اسم مضيف إضافي")
	maxUpload := fs.Int64("max-upload", app.DefaultMaxUpload, "largest evidence file accepted, in bytes / أكبر ملف دليل مقبول بالبايت")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", "وسيط غير متوقع %q", fs.Arg(0))
	}
	if *maxUpload <= 0 {
		return usagef("--max-upload must be a positive number of bytes", "يجب أن يكون --max-upload عدداً موجباً من البايتات")
	}
	// Until sign-in exists, anyone who reaches the port can read originals
	// and write records: the server listens on this machine only.
	if !loopback(*addr) {
		return usagef("--addr %s is not a loopback address: until sign-in exists the server listens on this machine only (127.0.0.1); reach it through an authenticating reverse proxy or an SSH tunnel",
			"العنوان %s ليس محلياً: إلى أن يتوفر تسجيل الدخول يستمع الخادم على هذا الجهاز فقط (127.0.0.1)؛ استخدم وكيلاً عكسياً يتحقق من الهوية أو نفق SSH", *addr)
	}
	var a *app.App
	var err error
	switch {
	case *withDemo:
		a, err = openDemo(ctx, e, *data)
		if err != nil {
			return err
		}
		if *data == "" {
			defer os.RemoveAll(a.DataDir)
		}
	default:
		dir := *data
		if dir == "" {
			dir = app.DefaultDataDir()
		}
		if a, err = open(ctx, dir); err != nil {
			return err
		}
	}
	defer a.Close()
	a.SetMaxUpload(*maxUpload)
	return a.ServeWith(ctx, app.ServeOptions{Addr: *addr, Version: version, Hosts: hosts}, func(listen string) {
		fmt.Fprintf(e.stdout, "Tawthiq is serving on http://%s (data: %s)\nتوثيق يعمل على http://%s\nWeb: http://%s/  ·  API: http://%s/api/v1/incidents  ·  OpenAPI: http://%s/api/openapi.json\n",
			listen, a.DataDir, listen, listen, listen, listen)
	})
}

// openDemo makes a fresh store and loads the sample data into it. A named
// folder must not hold a database already: sample data never mixes with
// real records.
func openDemo(ctx context.Context, e *env, dir string) (*app.App, error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "tawthiq-demo-")
		if err != nil {
			return nil, err
		}
		dir = tmp
	} else if fileExists(filepath.Join(dir, app.DBFile)) {
		return nil, usagef("--demo needs a new data folder, and %s already has a database", "يحتاج --demo مجلد بيانات جديداً، والمجلد %s فيه قاعدة بيانات", dir)
	}
	a, _, err := app.Init(ctx, dir)
	if err != nil {
		return nil, err
	}
	n, err := demo.Load(ctx, a.Service)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("load sample data: %w", err)
	}
	files, err := demo.LoadEvidence(ctx, a.Evidence, a.Store)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("load sample evidence: %w", err)
	}
	fmt.Fprintf(e.stdout, "Loaded %d sample records and %d sample files (marked as sample data) / تم تحميل %d سجلاً و%d ملفاً تجريبياً\n", n, files, n, files)
	return a, nil
}

// loopback reports whether addr (host:port) names only this machine.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, "/: ") {
		return fmt.Errorf("%q is not a valid value / قيمة غير صالحة", v)
	}
	*l = append(*l, strings.TrimSuffix(strings.ToLower(v), "."))
	return nil
}
