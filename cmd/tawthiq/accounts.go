package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/sealed"
)

// Secrets come from a file named by a *_FILE variable (or a flag), or are
// typed at a terminal without echo; never from a command-line argument,
// which other users of the machine can read.
const (
	envPassphraseFile    = "TAWTHIQ_KEY_PASSPHRASE_FILE"     // the organisation key's passphrase
	envNewPassphraseFile = "TAWTHIQ_NEW_KEY_PASSPHRASE_FILE" // a new one (key rotate, recover, passphrase)
	envPasswordFile      = "TAWTHIQ_PASSWORD_FILE"           // a user's password (user add, user password)
)

// secretSource says where a secret is read from.
type secretSource struct {
	file           string // a flag's value, else the variable's
	envVar         string
	promptEN       string
	promptAR       string
	confirm        bool // ask twice at a terminal
	flagName       string
	what, whatAR   string
	minLen         int
	minLenMessage  string
	minLenMessageA string
}

// readSecret reads a secret from the file, else the terminal.
func (e *env) readSecret(s secretSource) ([]byte, error) {
	path := s.file
	if path == "" {
		path = os.Getenv(s.envVar)
	}
	if path != "" {
		b, err := sealed.ReadPassphraseFile(path)
		if err != nil {
			en, ar := sealed.Message(err)
			return nil, fmt.Errorf("%w: %s (%s): %s / %s", errInvalidInput, s.what, path, en, ar)
		}
		return b, nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, usagef("%[1]s is needed: name a file holding it with --%[3]s or $%[4]s (this is not a terminal to type it at)",
			"يلزم %[2]s: سمِّ ملفاً يحويه بالخيار --%[3]s أو بالمتغير $%[4]s (لا توجد طرفية لكتابته)", s.what, s.whatAR, s.flagName, s.envVar)
	}
	fmt.Fprintf(e.stderr, "%s / %s: ", s.promptEN, s.promptAR)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return nil, err
	}
	if s.confirm {
		fmt.Fprintf(e.stderr, "again / مرة أخرى: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return nil, err
		}
		if string(again) != string(b) {
			return nil, usagef("the two entries differ", "الإدخالان مختلفان")
		}
	}
	if len(b) == 0 {
		return nil, usagef("%[1]s is empty", "%[2]s فارغ", s.what, s.whatAR)
	}
	return b, nil
}

func passphraseSource(file string) secretSource {
	return secretSource{file: file, envVar: envPassphraseFile, flagName: "passphrase-file",
		promptEN: "Organisation key passphrase", promptAR: "عبارة مرور مفتاح المنظمة",
		what: "the organisation key's passphrase", whatAR: "عبارة مرور مفتاح المنظمة"}
}

func newPassphraseSource(file string) secretSource {
	return secretSource{file: file, envVar: envNewPassphraseFile, flagName: "new-passphrase-file", confirm: true,
		promptEN: "New passphrase (12 characters or more)", promptAR: "عبارة مرور جديدة (١٢ حرفاً أو أكثر)",
		what: "a new passphrase", whatAR: "عبارة مرور جديدة"}
}

// unlock unlocks the data folder's organisation key with its passphrase.
func (e *env) unlock(k interface{ Unlock([]byte) error }, file string) error {
	pass, err := e.readSecret(passphraseSource(file))
	if err != nil {
		return err
	}
	defer clear(pass)
	if err := k.Unlock(pass); err != nil {
		return keyError(err)
	}
	return nil
}

// keyError gives a keyring failure its two messages and an exit code.
func keyError(err error) error {
	en, ar := sealed.Message(err)
	switch {
	case errors.Is(err, sealed.ErrWrongPassphrase), errors.Is(err, sealed.ErrShortPassphrase),
		errors.Is(err, sealed.ErrWrongRecoveryKey), errors.Is(err, sealed.ErrEmptyPassphrase):
		return fmt.Errorf("%w: %s / %s", errInvalidInput, en, ar)
	case errors.Is(err, sealed.ErrNoKey):
		return usagef("%[1]s Make one with: tawthiq key init", "%[2]s أنشئه بالأمر: tawthiq key init", en, ar)
	}
	return fmt.Errorf("%s / %s: %w", en, ar, err)
}

// authError gives an account failure its two messages and an exit code.
func authError(err error) error {
	var ae *auth.Error
	if errors.As(err, &ae) {
		return fmt.Errorf("%w: %s: %s / %s", errInvalidInput, ae.Field, ae.EN, ae.AR)
	}
	en, ar := auth.Message(err)
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return fmt.Errorf("%w: %s / %s", errNotFoundInput, en, ar)
	case errors.Is(err, auth.ErrExists):
		return fmt.Errorf("%w: %s / %s", errConflictInput, en, ar)
	}
	return err
}

// Exit-code markers for account and key errors.
var (
	errNotFoundInput = errors.New("not found")
	errConflictInput = errors.New("conflict")
)

func cmdUser(ctx context.Context, e *env, args []string) error {
	const usage = "add USERNAME --role ROLE [--name NAME] | role USERNAME ROLE | password USERNAME | disable USERNAME | enable USERNAME | unlock USERNAME | signout USERNAME | list   [--data DIR]"
	help := "Manage accounts. Roles: reporter (submits, sees only their own submissions), analyst, reviewer (also reads sealed\n" +
		"fields), admin (also accounts and the audit log). Passwords (12 characters or more) come from --password-file or\n" +
		"$" + envPasswordFile + ", or are typed at the terminal twice. Every change is written to the audit log; a role or password\n" +
		"change and disabling end the user's sessions. The first admin: tawthiq user add NAME --role admin.\n" +
		"إدارة الحسابات. الأدوار: reporter (يرسل ويرى ما أرسله فقط)، analyst، reviewer (يقرأ الحقول المختومة أيضاً)، admin (والحسابات وسجل التدقيق).\n" +
		"كلمات المرور (١٢ حرفاً أو أكثر) من ملف أو تُكتب في الطرفية مرتين. كل تغيير يُسجَّل في سجل التدقيق."
	fs := newFlags(e, "user", usage, help)
	data := dataFlag(fs)
	role := fs.String("role", "", "role of a new account: reporter, analyst, reviewer, admin / الدور")
	name := fs.String("name", "", "display name of a new account / الاسم المعروض")
	pwFile := fs.String("password-file", "", "file holding the password (else $"+envPasswordFile+" or a prompt) / ملف كلمة المرور")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usagef("which action? %s", "أي إجراء؟ %s", usage)
	}
	need := func(n int) error {
		if len(rest) != n {
			return usagef("user %s takes %d argument(s)", "الأمر user %s يأخذ %d وسيطاً", rest[0], n-1)
		}
		return nil
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	svc := a.Accounts
	password := func() ([]byte, error) {
		return e.readSecret(secretSource{file: *pwFile, envVar: envPasswordFile, flagName: "password-file", confirm: true,
			promptEN: "Password for " + rest[1], promptAR: "كلمة مرور " + rest[1], what: "a password", whatAR: "كلمة مرور"})
	}
	const actor = "system"
	switch rest[0] {
	case "add":
		if err := need(2); err != nil {
			return err
		}
		r, err := auth.ParseAccountRole(*role)
		if err != nil {
			return usagef("--role must be reporter, analyst, reviewer or admin", "يجب أن يكون --role أحد: reporter أو analyst أو reviewer أو admin")
		}
		pw, err := password()
		if err != nil {
			return err
		}
		defer clear(pw)
		u, err := svc.AddUser(ctx, actor, rest[1], *name, r, pw)
		if err != nil {
			return authError(err)
		}
		fmt.Fprintf(e.stdout, "added %s (%s) / أُضيف الحساب %s (%s)\n", u.Username, u.Role, u.Username, u.Role)
	case "role":
		if err := need(3); err != nil {
			return err
		}
		r, err := auth.ParseAccountRole(rest[2])
		if err != nil {
			return usagef("the role must be reporter, analyst, reviewer or admin", "يجب أن يكون الدور أحد: reporter أو analyst أو reviewer أو admin")
		}
		if err := svc.SetRole(ctx, actor, rest[1], r); err != nil {
			return authError(err)
		}
		fmt.Fprintf(e.stdout, "%s is now %s; their sessions ended / أصبح %s بدور %s وانتهت جلساته\n", rest[1], r, rest[1], r)
	case "password":
		if err := need(2); err != nil {
			return err
		}
		if _, err := svc.User(ctx, rest[1]); err != nil {
			return authError(err)
		}
		pw, err := password()
		if err != nil {
			return err
		}
		defer clear(pw)
		if err := svc.SetPassword(ctx, actor, rest[1], pw); err != nil {
			return authError(err)
		}
		fmt.Fprintf(e.stdout, "password of %s changed; their sessions ended / تغيّرت كلمة مرور %s وانتهت جلساته\n", rest[1], rest[1])
	case "disable", "enable", "unlock":
		if err := need(2); err != nil {
			return err
		}
		f := map[string]func(context.Context, string, string) error{"disable": svc.Disable, "enable": svc.Enable, "unlock": svc.Unlock}[rest[0]]
		if err := f(ctx, actor, rest[1]); err != nil {
			return authError(err)
		}
		fmt.Fprintf(e.stdout, "%s: %s / تم\n", rest[0], rest[1])
	case "signout":
		if err := need(2); err != nil {
			return err
		}
		n, err := svc.SignOutEverywhere(ctx, actor, rest[1])
		if err != nil {
			return authError(err)
		}
		fmt.Fprintf(e.stdout, "ended %d session(s) of %s / أُنهيت %d جلسة\n", n, rest[1], n)
	case "list":
		if err := need(1); err != nil {
			return err
		}
		us, err := svc.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tSTATE\tNAME")
		for _, u := range us {
			state := "active"
			switch {
			case u.Disabled:
				state = "disabled"
			case u.LockedUntil.After(time.Now()):
				state = "locked until " + u.LockedUntil.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Role, state, u.DisplayName)
		}
		return tw.Flush()
	default:
		return usagef("unknown action %q: %s", "إجراء غير معروف %q: %s", rest[0], usage)
	}
	return nil
}

func cmdToken(ctx context.Context, e *env, args []string) error {
	const usage = "add --user USERNAME --role ROLE --name NAME [--expires DAYS] | list --user USERNAME | revoke ID   [--data DIR]"
	fs := newFlags(e, "token", usage,
		"API tokens for scripts and field tools (Authorization: Bearer TOKEN). A token's role is at most its owner's; the\n"+
			"secret is printed once and stored only as a hash. Every token made or revoked is in the audit log.\n"+
			"رموز الوصول للواجهة البرمجية. دور الرمز لا يتجاوز دور صاحبه؛ يُطبع الرمز مرة واحدة ويُخزَّن مجزّأً فقط.")
	data := dataFlag(fs)
	user := fs.String("user", "", "owner of the token / صاحب الرمز")
	role := fs.String("role", "", "role of the token / دور الرمز")
	name := fs.String("name", "", "what the token is for / غرض الرمز")
	days := fs.Int("expires", 0, "days until it expires (0: never) / أيام حتى انتهاء صلاحيته")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usagef("which action? %s", "أي إجراء؟ %s", usage)
	}
	if *days < 0 {
		return usagef("--expires must be 0 or more days", "يجب أن يكون --expires صفراً أو أكثر")
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	switch rest[0] {
	case "add":
		r, err := auth.ParseAccountRole(*role)
		if err != nil {
			return usagef("--role must be reporter, analyst, reviewer or admin", "يجب أن يكون --role أحد: reporter أو analyst أو reviewer أو admin")
		}
		if *user == "" {
			return usagef("--user is required", "الخيار --user مطلوب")
		}
		var exp time.Time
		if *days > 0 {
			exp = time.Now().Add(time.Duration(*days) * 24 * time.Hour)
		}
		secret, tok, err := a.Accounts.AddToken(ctx, "system", *user, *name, r, exp)
		if err != nil {
			return authError(err)
		}
		fmt.Fprintf(e.stderr, "token %s for %s (%s); shown once, keep it secret / رمز لـ %s يظهر مرة واحدة فاحفظه سراً:\n", tok.ID, tok.Owner, tok.Role, tok.Owner)
		fmt.Fprintln(e.stdout, secret)
	case "list":
		if *user == "" {
			return usagef("--user is required", "الخيار --user مطلوب")
		}
		toks, err := a.Accounts.Tokens(ctx, *user)
		if err != nil {
			return authError(err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tNAME\tCREATED\tSTATE")
		for _, t := range toks {
			state := "active"
			switch {
			case t.RevokedAt != nil:
				state = "revoked"
			case t.ExpiresAt != nil && t.ExpiresAt.Before(time.Now()):
				state = "expired"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Name, t.CreatedAt.UTC().Format(time.DateOnly), state)
		}
		return tw.Flush()
	case "revoke":
		if len(rest) != 2 {
			return usagef("token revoke takes the token's id", "الأمر token revoke يأخذ معرّف الرمز")
		}
		if err := a.Accounts.RevokeToken(ctx, "system", rest[1]); err != nil {
			return authError(err)
		}
		fmt.Fprintf(e.stdout, "revoked %s / أُلغي الرمز\n", rest[1])
	default:
		return usagef("unknown action %q: %s", "إجراء غير معروف %q: %s", rest[0], usage)
	}
	return nil
}

func cmdKey(ctx context.Context, e *env, args []string) error {
	const usage = "init | show | rotate | recovery -o FILE | recover --recovery-file FILE | passphrase   [--data DIR]"
	fs := newFlags(e, "key", usage,
		"The organisation key seals sources' identities, victims' details and reporters' positions and addresses: each\n"+
			"record's data key is wrapped with it (age, X25519). Its secret is kept in DATA/keys, encrypted with a passphrase\n"+
			"(from --passphrase-file, $"+envPassphraseFile+" or a prompt; new ones from --new-passphrase-file or $"+envNewPassphraseFile+").\n"+
			"  init        make the key; print its public key (reporters seal bundles to it)\n"+
			"  show        print the public key and whether a recovery key exists\n"+
			"  rotate      make a new key and re-wrap every data key to it; the old key file is removed\n"+
			"  recovery    make a recovery key, written once to -o FILE; keep it offline: it opens everything\n"+
			"  recover     lost passphrase: replace the key using the recovery key, under a new passphrase\n"+
			"  passphrase  change the passphrase\n"+
			"مفتاح المنظمة يختم هويات المصادر وبيانات الضحايا ومواقع المبلّغين. يُحفظ سرّه مشفّراً بعبارة مرور.")
	data := dataFlag(fs)
	passFile := fs.String("passphrase-file", "", "file holding the passphrase / ملف عبارة المرور")
	newPassFile := fs.String("new-passphrase-file", "", "file holding a new passphrase / ملف عبارة المرور الجديدة")
	out := fs.String("o", "", "file to write the recovery key to (must not exist) / ملف مفتاح الاسترداد")
	recFile := fs.String("recovery-file", "", "file holding the recovery key / ملف مفتاح الاسترداد")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("one action: %s", "إجراء واحد: %s", usage)
	}
	a, err := open(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	audit := func(action, subject, detail string) error {
		return a.AuditSystem(ctx, auditlog.Event{Action: action, SubjectType: "key", SubjectID: subject, Detail: detail})
	}
	switch fs.Arg(0) {
	case "init":
		pass, err := e.readSecret(newPassphraseSource(firstNonEmpty(*newPassFile, *passFile)))
		if err != nil {
			return err
		}
		defer clear(pass)
		k, err := a.CreateKey(ctx, pass)
		if err != nil {
			return keyError(err)
		}
		fmt.Fprintf(e.stdout, "organisation key %s made; its secret is in %s, encrypted with the passphrase.\n"+
			"مفتاح المنظمة أُنشئ؛ سرّه في %s مشفّراً بعبارة المرور.\n"+
			"Back up that folder apart from the data, and make a recovery key: tawthiq key recovery -o FILE\n"+
			"Public key (reporters seal bundles to it: tawthiq seal --to …) / المفتاح العام:\n%s\n",
			k.KeyID(), a.KeyDir(), a.KeyDir(), k.PublicKey())
	case "show":
		k := a.Keyring()
		if k == nil {
			return keyError(sealed.ErrNoKey)
		}
		fmt.Fprintf(e.stdout, "key id / معرّف المفتاح: %s\npublic key / المفتاح العام: %s\nrecipients / المستلمون: %d (%s)\n",
			k.KeyID(), k.PublicKey(), len(k.Recipients()), recoveryState(len(k.Recipients())))
	case "rotate":
		k := a.Keyring()
		if k == nil {
			return keyError(sealed.ErrNoKey)
		}
		if err := e.unlock(k, *passFile); err != nil {
			return err
		}
		pass, err := e.readSecret(newPassphraseSource(*newPassFile))
		if err != nil {
			return err
		}
		defer clear(pass)
		id, n, err := k.Rotate(ctx, a.DB, pass)
		if err != nil && id == "" {
			return keyError(err)
		}
		if aerr := audit(auditlog.ActionKeyRotate, id, fmt.Sprintf("%d data keys re-wrapped", n)); aerr != nil {
			return aerr
		}
		if err != nil {
			return fmt.Errorf("the key was rotated, but the old key file could not be removed: remove it by hand: %w", err)
		}
		fmt.Fprintf(e.stdout, "new organisation key %s; %d data keys re-wrapped; the old key file is removed.\n"+
			"مفتاح جديد للمنظمة؛ أُعيد تغليف %d مفتاحاً. المفتاح العام الجديد:\n%s\n", id, n, n, k.PublicKey())
	case "recovery":
		if *out == "" {
			return usagef("-o FILE is required: where to write the recovery key", "الخيار -o مطلوب: أين يُكتب مفتاح الاسترداد")
		}
		k := a.Keyring()
		if k == nil {
			return keyError(sealed.ErrNoKey)
		}
		if err := e.unlock(k, *passFile); err != nil {
			return err
		}
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", errInvalidInput, *out, err)
		}
		id, err := k.AddRecovery(ctx, a.DB)
		if err != nil {
			f.Close()
			os.Remove(*out)
			return keyError(err)
		}
		_, werr := io.WriteString(f, "# Tawthiq recovery key: it opens every sealed field. Keep it offline, apart from the data.\n"+
			"# مفتاح استرداد توثيق: يفتح كل الحقول المختومة. احفظه بعيداً عن الشبكة وعن البيانات.\n"+id+"\n")
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr); err != nil {
			return fmt.Errorf("the recovery key was made but not written to %s: make another one: %w", *out, err)
		}
		if err := audit(auditlog.ActionRecoveryKey, k.KeyID(), ""); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "recovery key written to %s; every data key is wrapped for it too. Keep it offline.\n"+
			"كُتب مفتاح الاسترداد في %s. احفظه بعيداً عن الشبكة.\n", *out, *out)
	case "recover":
		if *recFile == "" {
			return usagef("--recovery-file FILE is required", "الخيار --recovery-file مطلوب")
		}
		raw, err := os.ReadFile(*recFile)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", errInvalidInput, *recFile, err)
		}
		var id string
		for _, line := range strings.Split(string(raw), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				id = line
				break
			}
		}
		clear(raw)
		pass, err := e.readSecret(newPassphraseSource(*newPassFile))
		if err != nil {
			return err
		}
		defer clear(pass)
		k, err := a.RecoverKey(ctx, id, pass)
		if err != nil && k == nil {
			return keyError(err)
		}
		if aerr := audit(auditlog.ActionKeyRecover, k.KeyID(), ""); aerr != nil {
			return aerr
		}
		if err != nil {
			return fmt.Errorf("the key was replaced, but the old key file could not be removed: remove it by hand: %w", err)
		}
		fmt.Fprintf(e.stdout, "organisation key replaced with %s under the new passphrase; every sealed field opens with it.\n"+
			"استُبدل مفتاح المنظمة بعبارة المرور الجديدة. المفتاح العام:\n%s\n", k.KeyID(), k.PublicKey())
	case "passphrase":
		k := a.Keyring()
		if k == nil {
			return keyError(sealed.ErrNoKey)
		}
		old, err := e.readSecret(passphraseSource(*passFile))
		if err != nil {
			return err
		}
		defer clear(old)
		pass, err := e.readSecret(newPassphraseSource(*newPassFile))
		if err != nil {
			return err
		}
		defer clear(pass)
		if err := k.ChangePassphrase(old, pass); err != nil {
			return keyError(err)
		}
		if err := audit(auditlog.ActionPassphraseEdit, k.KeyID(), ""); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "passphrase changed / تغيّرت عبارة المرور")
	default:
		return usagef("unknown action %q: %s", "إجراء غير معروف %q: %s", fs.Arg(0), usage)
	}
	return nil
}

func recoveryState(recipients int) string {
	if recipients > 1 {
		return "with a recovery key / مع مفتاح استرداد"
	}
	return "no recovery key yet: tawthiq key recovery -o FILE / لا مفتاح استرداد بعد"
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
