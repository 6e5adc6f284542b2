package auth

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Sentinel errors. Callers test them with errors.Is and show the person the
// text of Message, never the error's own text. None of them ever holds a
// password, a secret or a hash.
var (
	// ErrBadCredentials: the username names no account or the password is
	// wrong; which of the two is never told. Ask again.
	ErrBadCredentials = errors.New("auth: wrong username or password")
	// ErrLocked: too many wrong passwords in a row. The error is a
	// *LockedError saying until when; wait, or ask an admin to Unlock.
	ErrLocked = errors.New("auth: account locked")
	// ErrRateLimited: too many sign-in attempts from one client. The error
	// is a *RateLimitedError saying how long to wait (Retry-After).
	ErrRateLimited = errors.New("auth: too many sign-in attempts")
	// ErrNoSession: the session or token is unknown, expired, revoked or
	// its account disabled. Treat the request as anonymous or sign in again.
	ErrNoSession = errors.New("auth: no valid session or token")
	// ErrExists: the username is taken. Choose another.
	ErrExists = errors.New("auth: username already taken")
	// ErrNotFound: no account has that username, or no token that id.
	ErrNotFound = errors.New("auth: no such account or token")
	// ErrDisabled: the account is disabled. Only an admin can enable it.
	ErrDisabled = errors.New("auth: account disabled")
)

// Error is input that broke a rule, named by its field ("username",
// "password", "role", "display_name", "name", "expires"), with the message
// in English and Arabic. Messages never repeat what was typed.
type Error struct {
	Field string `json:"field"`
	Code  string `json:"code"`
	EN    string `json:"message"`
	AR    string `json:"message_ar"`
}

// Error returns the English message.
func (e *Error) Error() string { return e.EN }

// messages holds every validation message by field and code.
var messages = map[[2]string][2]string{
	{"username", "required"}: {"Username is required.", "اسم المستخدم مطلوب."},
	{"username", "too_long"}: {
		fmt.Sprintf("Username must be at most %d characters.", maxUsername),
		fmt.Sprintf("يجب ألا يتجاوز اسم المستخدم %d حرفًا.", maxUsername)},
	{"username", "invalid"}: {
		"Username may hold only a–z, 0–9, dot, underscore and hyphen.",
		"لا يقبل اسم المستخدم إلا الحروف اللاتينية الصغيرة a–z والأرقام 0–9 والنقطة والشرطة السفلية والشرطة."},
	{"password", "too_short"}: {
		fmt.Sprintf("Password must be at least %d characters.", minPassword),
		fmt.Sprintf("يجب أن تتكون كلمة المرور من %d حرفًا على الأقل.", minPassword)},
	{"password", "too_long"}: {
		fmt.Sprintf("Password must be at most %d bytes.", maxPassword),
		fmt.Sprintf("يجب ألا تتجاوز كلمة المرور %d بايت.", maxPassword)},
	{"password", "same_as_username"}: {
		"Password must not be the username.",
		"يجب ألا تكون كلمة المرور هي اسم المستخدم نفسه."},
	{"role", "unknown"}: {
		"Role must be one of public, reporter, analyst, reviewer, admin.",
		"يجب أن يكون الدور واحدًا من: public أو reporter أو analyst أو reviewer أو admin."},
	{"role", "not_assignable"}: {
		"Role public cannot be given to an account or a token.",
		"لا يمكن منح الدور public لحساب أو رمز."},
	{"role", "above_owner"}: {
		"Role must not be above the role of the token's owner.",
		"يجب ألا يكون الدور أعلى من دور صاحب الرمز."},
	{"display_name", "too_long"}: {
		fmt.Sprintf("Display name must be at most %d characters.", maxDisplayName),
		fmt.Sprintf("يجب ألا يتجاوز الاسم الظاهر %d حرف.", maxDisplayName)},
	{"display_name", "invalid"}: {
		"Display name must be valid text without control characters.",
		"يجب أن يكون الاسم الظاهر نصًا صالحًا بلا محارف تحكّم."},
	{"name", "required"}: {"Token name is required.", "اسم الرمز مطلوب."},
	{"name", "too_long"}: {
		fmt.Sprintf("Token name must be at most %d characters.", maxTokenName),
		fmt.Sprintf("يجب ألا يتجاوز اسم الرمز %d حرف.", maxTokenName)},
	{"name", "invalid"}: {
		"Token name must be valid text without control characters.",
		"يجب أن يكون اسم الرمز نصًا صالحًا بلا محارف تحكّم."},
	{"expires", "in_past"}: {
		"Expiry must be in the future.",
		"يجب أن يكون تاريخ الانتهاء في المستقبل."},
}

// invalid builds the *Error for a field and code from the table.
func invalid(field, code string) *Error {
	m, ok := messages[[2]string{field, code}]
	if !ok {
		panic("auth: no message for " + field + "/" + code) // a programming error, caught by tests
	}
	return &Error{Field: field, Code: code, EN: m[0], AR: m[1]}
}

// LockedError is ErrLocked with the time the lock ends.
type LockedError struct {
	Until time.Time
}

func (e *LockedError) Error() string {
	return "auth: account locked until " + e.Until.UTC().Format(time.RFC3339)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// RateLimitedError is ErrRateLimited with how long to wait.
type RateLimitedError struct {
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("auth: too many sign-in attempts; retry after %s", e.RetryAfter)
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitedError) Is(target error) bool { return target == ErrRateLimited }

// sentinelMessages are the messages shown for each sentinel.
var sentinelMessages = []struct {
	err    error
	en, ar string
}{
	{ErrBadCredentials, "Wrong username or password.", "اسم المستخدم أو كلمة المرور غير صحيحة."},
	{ErrLocked, "This account is locked after too many failed sign-ins; try again later.",
		"هذا الحساب مقفل بعد محاولات دخول فاشلة كثيرة؛ حاول لاحقًا."},
	{ErrRateLimited, "Too many sign-in attempts; wait a moment and try again.",
		"محاولات دخول كثيرة؛ انتظر قليلًا ثم أعد المحاولة."},
	{ErrNoSession, "You are not signed in, or your session has ended; sign in again.",
		"لست مسجّل الدخول أو انتهت جلستك؛ سجّل الدخول من جديد."},
	{ErrExists, "An account with this username already exists.", "يوجد حساب بهذا الاسم من قبل."},
	{ErrNotFound, "No such account or token.", "لا يوجد حساب أو رمز بهذا الاسم."},
	{ErrDisabled, "This account is disabled; ask an administrator.", "هذا الحساب معطّل؛ راجع المسؤول."},
}

// Message returns what to show a person for err, in English and Arabic:
// the field's message for an *Error, the time or the wait for a lock or a
// rate limit, a fixed text for each sentinel, and a general apology for
// anything else (whose detail belongs in the server's log, not on screen).
func Message(err error) (en, ar string) {
	if err == nil {
		return "", ""
	}
	var fe *Error
	if errors.As(err, &fe) {
		return fe.EN, fe.AR
	}
	var le *LockedError
	if errors.As(err, &le) {
		t := le.Until.UTC().Format("2006-01-02 15:04")
		return fmt.Sprintf("This account is locked after too many failed sign-ins, until %s UTC.", t),
			fmt.Sprintf("هذا الحساب مقفل بعد محاولات دخول فاشلة كثيرة حتى %s بالتوقيت العالمي.", t)
	}
	var re *RateLimitedError
	if errors.As(err, &re) {
		n := int(math.Ceil(re.RetryAfter.Seconds()))
		n = max(n, 1)
		unit := "seconds"
		if n == 1 {
			unit = "second"
		}
		return fmt.Sprintf("Too many sign-in attempts; try again in %d %s.", n, unit),
			"محاولات دخول كثيرة؛ أعد المحاولة بعد " + arabicSeconds(n) + "."
	}
	for _, m := range sentinelMessages {
		if errors.Is(err, m.err) {
			return m.en, m.ar
		}
	}
	return "Something went wrong; try again, or tell an administrator.",
		"حدث خطأ؛ أعد المحاولة أو أبلغ المسؤول."
}

// arabicSeconds counts seconds with the noun in the form Arabic grammar
// wants after the number.
func arabicSeconds(n int) string {
	switch {
	case n == 1:
		return "ثانية واحدة"
	case n == 2:
		return "ثانيتين"
	case n%100 >= 3 && n%100 <= 10:
		return fmt.Sprintf("%d ثوانٍ", n)
	}
	return fmt.Sprintf("%d ثانية", n)
}
