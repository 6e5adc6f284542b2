package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/tawthiq/tawthiq/internal/app"
)

// cmdConfig prints what the program would run with: the data folder and
// its files, the organisation and ledger public keys, the accounts, and
// every TAWTHIQ_ variable. Secrets never appear: a *_FILE variable shows
// its path (never the file), any other variable whose name suggests a
// secret shows [redacted].
func cmdConfig(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "config", "[--data DIR]",
		"Print the configuration: data folder, database, key files, public keys, accounts by role and the TAWTHIQ_\n"+
			"variables. Passwords, passphrases, tokens and secret keys are never printed; secret files are named, not read.\n"+
			"عرض الإعدادات دون أي سر: لا كلمات مرور ولا عبارات مرور ولا رموز ولا مفاتيح سرية.")
	data := dataFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", "وسيط غير متوقع %q", fs.Arg(0))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("version", version)
	abs, _ := filepath.Abs(*data)
	row("data", abs)
	row("database", filepath.Join(abs, app.DBFile))
	row("ledger key (secret)", filepath.Join(abs, app.KeyFile)+" [file, not shown]")
	row("organisation key (secret)", filepath.Join(abs, app.KeysDir)+" [encrypted with its passphrase, not shown]")
	a, err := open(ctx, *data)
	if err == nil {
		defer a.Close()
		row("ledger origin", a.Ledger.Origin())
		row("ledger public key", a.Ledger.VerifierKey())
		if k := a.Keyring(); k != nil {
			row("organisation key id", k.KeyID())
			row("organisation public key", k.PublicKey())
			row("recovery key", recoveryState(len(k.Recipients())))
		} else {
			row("organisation key", "none: tawthiq key init")
		}
		if us, err := a.Accounts.Users(ctx); err == nil {
			byRole := map[string]int{}
			for _, u := range us {
				byRole[string(u.Role)]++
			}
			row("accounts", fmt.Sprintf("%d %v", len(us), byRole))
		}
	} else {
		row("state", "not initialised: tawthiq init")
	}
	var names []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "TAWTHIQ_") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		row("$"+k, redactEnv(k, os.Getenv(k)))
	}
	return tw.Flush()
}

// redactEnv shows a variable's value unless it could be a secret.
func redactEnv(name, value string) string {
	if strings.HasSuffix(name, "_FILE") {
		return value + " [file, not read]"
	}
	for _, s := range []string{"PASS", "SECRET", "TOKEN", "KEY", "PASSWORD", "DSN", "URL"} {
		if strings.Contains(name, s) {
			return "[redacted]"
		}
	}
	return value
}
