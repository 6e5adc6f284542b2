package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/demo"
	"github.com/tawthiq/tawthiq/internal/sealed"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--data DIR] [--addr HOST:PORT] [--host NAME]... [--tls-cert FILE --tls-key FILE] [--passphrase-file FILE] [--max-upload BYTES] [--demo]",
		"Run the web interface (Arabic and English pages at /) and the JSON API (/api/v1) until interrupted\n"+
			"(Ctrl-C or SIGTERM), then shut down gracefully. Everyone signs in (accounts: tawthiq user add; API tokens:\n"+
			"tawthiq token add); every page and route checks the caller's role on the server.\n"+
			"The organisation key (tawthiq key init) is unlocked at start with its passphrase, from --passphrase-file,\n"+
			"$"+envPassphraseFile+" or a prompt; without it the server does not start.\n"+
			"The server answers only to localhost names and those given with --host; other Host headers get 421. To listen\n"+
			"beyond this machine give --host with the name people use, and serve over HTTPS (--tls-cert and --tls-key, or a\n"+
			"reverse proxy that terminates TLS): session cookies are Secure, and browsers keep them only over HTTPS or on localhost.\n"+
			"--demo starts on a fresh store (a new temporary folder, removed on exit, unless --data names a new one)\n"+
			"preloaded with sample reports, incidents, actors, sources and two sample evidence files, a new organisation key,\n"+
			"and one sample account per role whose passwords are written to DEMO-ACCOUNTS.txt in the data folder.\n"+
			"تشغيل واجهة الويب وواجهة البرمجة حتى الإيقاف. يسجّل الجميع الدخول، ويُفتح مفتاح المنظمة عند البدء بعبارة مروره.\n"+
			"مع --demo يبدأ على مخزن جديد محمّل ببيانات تجريبية وحساب تجريبي لكل دور (كلمات المرور في DEMO-ACCOUNTS.txt).")
	data := fs.String("data", "", "data folder / مجلد البيانات (default: $TAWTHIQ_DATA or "+app.DefaultDataDir()+")")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on / عنوان الاستماع")
	withDemo := fs.Bool("demo", false, "fresh store with sample data / مخزن جديد ببيانات تجريبية")
	var hosts listFlag
	fs.Var(&hosts, "host", "a host name to answer to besides localhost, e.g. a reverse proxy's (repeatable) / اسم مضيف إضافي")
	maxUpload := fs.Int64("max-upload", app.DefaultMaxUpload, "largest evidence file accepted, in bytes / أكبر ملف دليل مقبول بالبايت")
	passFile := fs.String("passphrase-file", "", "file holding the organisation key's passphrase (else $"+envPassphraseFile+" or a prompt) / ملف عبارة المرور")
	tlsCert := fs.String("tls-cert", "", "TLS certificate (PEM) to serve HTTPS with / شهادة TLS")
	tlsKey := fs.String("tls-key", "", "TLS private key (PEM) / المفتاح الخاص لـ TLS")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", "وسيط غير متوقع %q", fs.Arg(0))
	}
	if *maxUpload <= 0 {
		return usagef("--max-upload must be a positive number of bytes", "يجب أن يكون --max-upload عدداً موجباً من البايتات")
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return usagef("--tls-cert and --tls-key go together", "الخياران --tls-cert و--tls-key متلازمان")
	}
	// Beyond this machine, browsers reach the server by a name; without it
	// in --host every request would be refused as misdirected.
	if !loopback(*addr) && len(hosts) == 0 {
		return usagef("--addr %s listens beyond this machine: name the host people reach it by with --host (and serve HTTPS: --tls-cert/--tls-key or a TLS reverse proxy)",
			"العنوان %s يستمع خارج هذا الجهاز: سمِّ المضيف الذي يصل إليه الناس بالخيار --host (واخدم عبر HTTPS)", *addr)
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
		k := a.Keyring()
		if k == nil {
			a.Close()
			return keyError(sealed.ErrNoKey)
		}
		if err := e.unlock(k, *passFile); err != nil {
			a.Close()
			return err
		}
		if us, err := a.Accounts.Users(ctx); err == nil && len(us) == 0 {
			fmt.Fprintf(e.stderr, "no accounts yet: make the first admin with: tawthiq user add NAME --role admin --data %s\n"+
				"لا حسابات بعد: أنشئ أول مدير بالأمر tawthiq user add NAME --role admin\n", a.DataDir)
		}
	}
	defer a.Close()
	a.SetMaxUpload(*maxUpload)
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	return a.ServeWith(ctx, app.ServeOptions{Addr: *addr, Version: version, Hosts: hosts, TLSCert: *tlsCert, TLSKey: *tlsKey}, func(listen string) {
		u := scheme + "://" + listen
		fmt.Fprintf(e.stdout, "Tawthiq is serving on %s (data: %s)\nتوثيق يعمل على %s\nWeb: %s/  ·  API: %s/api/v1/incidents  ·  OpenAPI: %s/api/openapi.json\n",
			u, a.DataDir, u, u, u, u)
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
	// A demo key under a random passphrase nobody needs: the keyring stays
	// unlocked for as long as the demo runs.
	if _, err := a.CreateKey(ctx, []byte(rand.Text())); err != nil {
		a.Close()
		return nil, fmt.Errorf("sample organisation key: %w", err)
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
	path, err := demo.Accounts(ctx, a.Accounts, dir)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("sample accounts: %w", err)
	}
	fmt.Fprintf(e.stdout, "Sample accounts (admin, reviewer, analyst, reporter); their passwords are in %s\nحسابات تجريبية لكل دور؛ كلمات مرورها في %s\n", path, path)
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
