package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// arabicField is how each field is named in the Arabic messages.
var arabicField = map[string]string{
	"username":     "اسم المستخدم",
	"password":     "كلمة المرور",
	"role":         "الدور",
	"display_name": "الاسم الظاهر",
	"name":         "اسم الرمز",
	"expires":      "تاريخ الانتهاء",
}

// englishField is how each field is named in the English messages.
var englishField = map[string]string{
	"username":     "Username",
	"password":     "Password",
	"role":         "Role",
	"display_name": "Display name",
	"name":         "Token name",
	"expires":      "Expiry",
}

func TestValidationErrorsNameTheField(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "owner", RoleAnalyst)
	add := func(username, display string, role Role, password string) error {
		_, err := e.svc.AddUser(ctx, "system", username, display, role, []byte(password))
		return err
	}
	token := func(name string, expires time.Time) error {
		_, _, err := e.svc.AddToken(ctx, "system", "owner", name, RoleReporter, expires)
		return err
	}
	cases := []struct {
		name, field, code string
		err               error
	}{
		{"empty username", "username", "required", add("  ", "", RoleReporter, pw)},
		{"username with space", "username", "invalid", add("a b", "", RoleReporter, pw)},
		{"arabic username", "username", "invalid", add("سامي", "", RoleReporter, pw)},
		{"long username", "username", "too_long", add(strings.Repeat("a", 65), "", RoleReporter, pw)},
		{"short password", "password", "too_short", add("sami", "", RoleReporter, "كلمة قصيرة")},
		{"long password", "password", "too_long", add("sami", "", RoleReporter, strings.Repeat("x", 1025))},
		{"password is username", "password", "same_as_username", add("sami.alhasan", "", RoleReporter, "Sami.AlHasan")},
		{"public role", "role", "not_assignable", add("sami", "", RolePublic, pw)},
		{"unknown role", "role", "unknown", add("sami", "", Role("boss"), pw)},
		{"long display name", "display_name", "too_long", add("sami", strings.Repeat("س", 201), RoleReporter, pw)},
		{"control in display name", "display_name", "invalid", add("sami", "Sami\x00", RoleReporter, pw)},
		{"empty token name", "name", "required", token(" ", time.Time{})},
		{"long token name", "name", "too_long", token(strings.Repeat("n", 101), time.Time{})},
		{"token expired", "expires", "in_past", token("job", e.clock.Now())},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fe := wantField(t, c.err, c.field, c.code)
			if !strings.HasPrefix(fe.EN, englishField[c.field]) || fe.Error() != fe.EN {
				t.Errorf("English %q does not name %s", fe.EN, c.field)
			}
			if !strings.Contains(fe.AR, arabicField[c.field]) {
				t.Errorf("Arabic %q does not name %s", fe.AR, c.field)
			}
			if en, ar := Message(c.err); en != fe.EN || ar != fe.AR {
				t.Errorf("Message %q %q", en, ar)
			}
		})
	}
	// Exactly at the limits is fine.
	if err := add(strings.Repeat("a", 64), strings.Repeat("س", 200), RoleReporter, "١٢٣٤٥٦٧٨٩٠١٢"); err != nil {
		t.Fatal(err)
	}
	// ParseRole's errors name the field too.
	_, err := ParseAccountRole("public")
	wantField(t, err, "role", "not_assignable")
	_, err = ParseRole("root")
	wantField(t, err, "role", "unknown")
}

// Every message in the table names its field in both languages.
func TestMessageTable(t *testing.T) {
	for k := range messages {
		fe := invalid(k[0], k[1])
		if !strings.HasPrefix(fe.EN, englishField[k[0]]) || !strings.Contains(fe.AR, arabicField[k[0]]) {
			t.Errorf("%v: %q / %q", k, fe.EN, fe.AR)
		}
	}
}

func TestSentinelMessages(t *testing.T) {
	errs := []error{ErrBadCredentials, ErrLocked, ErrRateLimited, ErrNoSession, ErrExists, ErrNotFound, ErrDisabled}
	seen := map[string]bool{}
	for _, err := range errs {
		en, ar := Message(errorsWrap(err))
		if en == "" || ar == "" || seen[en] || !strings.ContainsFunc(ar, func(r rune) bool { return r >= 0x600 && r <= 0x6FF }) {
			t.Errorf("%v: %q %q", err, en, ar)
		}
		seen[en] = true
	}
	en, ar := Message(errors.New("disk full at /var/lib/tawthiq"))
	if strings.Contains(en, "disk") || ar == "" {
		t.Errorf("internal detail shown: %q", en)
	}
	if en, ar := Message(nil); en != "" || ar != "" {
		t.Error("message for nil")
	}
}

func errorsWrap(err error) error { return errors.Join(errors.New("context"), err) }

func TestArabicSeconds(t *testing.T) {
	for n, want := range map[int]string{
		1: "ثانية واحدة", 2: "ثانيتين", 3: "3 ثوانٍ", 10: "10 ثوانٍ", 11: "11 ثانية",
		59: "59 ثانية", 100: "100 ثانية", 103: "103 ثوانٍ", 111: "111 ثانية",
	} {
		if got := arabicSeconds(n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

func TestRoles(t *testing.T) {
	rs := Roles()
	for i, r := range rs {
		if r.Rank() != i {
			t.Errorf("%s rank %d, want %d", r, r.Rank(), i)
		}
		got, err := ParseRole(" " + strings.ToUpper(string(r)) + " ")
		if err != nil || got != r {
			t.Errorf("ParseRole(%s) = %s, %v", r, got, err)
		}
	}
	if rs[0] != RolePublic || rs[4] != RoleAdmin {
		t.Fatalf("order %v", rs)
	}
	sealed := map[Role]bool{RoleReviewer: true, RoleAdmin: true}
	for _, r := range rs {
		if r.CanReadSealed() != sealed[r] {
			t.Errorf("%s CanReadSealed %v", r, r.CanReadSealed())
		}
	}
	if !RoleAdmin.AtLeast(RoleAnalyst) || RoleAnalyst.AtLeast(RoleReviewer) || !RoleAnalyst.AtLeast(RoleAnalyst) {
		t.Error("AtLeast")
	}
	if Role("root").AtLeast(RolePublic) || RoleAdmin.AtLeast(Role("root")) || Role("x").CanReadSealed() {
		t.Error("unknown role passes a check")
	}
	if r, err := ParseAccountRole("Reviewer"); err != nil || r != RoleReviewer {
		t.Errorf("ParseAccountRole: %s %v", r, err)
	}
}

func TestPrincipalContext(t *testing.T) {
	if FromContext(context.Background()) != nil {
		t.Fatal("principal from empty context")
	}
	p := &Principal{Username: "sami", Role: RoleAnalyst}
	if got := FromContext(WithPrincipal(context.Background(), p)); got != p {
		t.Fatal("principal lost")
	}
	if p.Name() != "sami" {
		t.Error(p.Name())
	}
	p.DisplayName = "سامي"
	if p.Name() != "سامي" {
		t.Error(p.Name())
	}
	var none *Principal
	if none.Name() != "" {
		t.Error("nil principal has a name")
	}
}
