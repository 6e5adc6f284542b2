// Package apptest makes test installations: a data folder with its
// database, an organisation key and one account with an API token per
// role. Only tests import it. Passwords and the key's passphrase are made
// cheap to hash so tests stay fast; everything else is the real thing.
package apptest

import (
	"context"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/sealed"
)

// Passphrase protects test organisation keys.
const Passphrase = "test passphrase, not for real use"

// Cheap lowers the costs of password hashing and of the key's passphrase
// for the rest of the test binary.
func Cheap() {
	app.PasswordParams = auth.Params{Time: 1, MemoryKiB: 8 << 10, Threads: 1}
	sealed.ScryptWorkFactor = 10
}

// Account is a test user.
type Account struct {
	Username, Password, Token string
	Role                      auth.Role
}

// Roles are the account roles, in order.
var Roles = []auth.Role{auth.RoleReporter, auth.RoleAnalyst, auth.RoleReviewer, auth.RoleAdmin}

// New makes an installation in a temporary folder with an unlocked
// organisation key and one account per role; it is closed when the test
// ends.
func New(t testing.TB) (*app.App, map[auth.Role]Account) {
	t.Helper()
	Cheap()
	ctx := context.Background()
	a, _, err := app.Init(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.CreateKey(ctx, []byte(Passphrase)); err != nil {
		t.Fatal(err)
	}
	return a, Accounts(t, a)
}

// Accounts adds one account with a token per role: "reporter-1",
// "analyst-1", "reviewer-1", "admin-1".
func Accounts(t testing.TB, a *app.App) map[auth.Role]Account {
	t.Helper()
	ctx := context.Background()
	out := map[auth.Role]Account{}
	for _, r := range Roles {
		acc := Account{Username: string(r) + "-1", Password: "password of " + string(r) + " 1", Role: r}
		if _, err := a.Accounts.AddUser(ctx, "system", acc.Username, "", r, []byte(acc.Password)); err != nil {
			t.Fatal(err)
		}
		secret, _, err := a.Accounts.AddToken(ctx, "system", acc.Username, "tests", r, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		acc.Token = secret
		out[r] = acc
	}
	return out
}
