package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tawthiq/tawthiq/internal/auth"
)

// AccountsFile, in a demo's data folder, lists the sample accounts and
// their passwords, readable by the folder's owner only.
const AccountsFile = "DEMO-ACCOUNTS.txt"

// Accounts makes one sample account per role with a random password and
// writes them to AccountsFile in dir; it returns the file's path. The
// passwords are never printed: whoever runs the demo reads the file.
func Accounts(ctx context.Context, svc *auth.Service, dir string) (string, error) {
	var b strings.Builder
	b.WriteString("# Sample accounts of this demo (sample data; not for real use).\n" +
		"# حسابات تجريبية لهذا العرض (بيانات تجريبية، لا للاستخدام الحقيقي).\n" +
		"# username  role  password\n")
	for _, r := range []auth.Role{auth.RoleAdmin, auth.RoleReviewer, auth.RoleAnalyst, auth.RoleReporter} {
		name := "demo-" + string(r)
		pw := rand.Text()
		if _, err := svc.AddUser(ctx, "system", name, "Demo "+string(r), r, []byte(pw)); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s  %s  %s\n", name, r, pw)
	}
	path := filepath.Join(dir, AccountsFile)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return "", err
	}
	return path, nil
}
