package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/record"
)

// SessionCookie holds the session's secret. The __Host- prefix makes the
// browser keep it only when Secure, with Path=/ and no Domain, so no other
// host can set or overwrite it; HttpOnly keeps it from scripts; SameSite
// Lax keeps it off cross-site posts (cross-origin protection refuses those
// too).
const SessionCookie = "__Host-tawthiq_session"

// principal is the signed-in user (nil for the public).
func principal(r *http.Request) *auth.Principal { return auth.FromContext(r.Context()) }

// needWho returns the signed-in user's name, or refuses a change from
// nobody (the route guard already refuses it; this is the second lock).
func needWho(r *http.Request) (string, error) {
	if w := who(r); w != "" {
		return w, nil
	}
	return "", &userError{status: http.StatusUnauthorized, field: "session", en: "sign in first: every change is signed",
		ar: "سجّل الدخول أولاً: كل تعديل يُوقَّع باسم صاحبه"}
}

// Fail shows err as an error page (for the layers around the handlers).
func (u *UI) Fail(w http.ResponseWriter, r *http.Request, err error) { u.fail(w, r, err) }

// Unauthorized sends a reader who is not signed in to the sign-in page
// (a page they asked for comes back after it); a form posted without a
// session is refused with 401.
func (u *UI) Unauthorized(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	u.fail(w, r, &userError{status: http.StatusUnauthorized, field: "session", en: "your session has ended: sign in again",
		ar: "انتهت جلستك: سجّل الدخول من جديد"})
}

// Forbidden answers a signed-in reader whose role may not see the page.
func (u *UI) Forbidden(w http.ResponseWriter, r *http.Request) {
	u.fail(w, r, &userError{status: http.StatusForbidden, field: "role", en: "your role may not open this page or do this",
		ar: "دورك لا يسمح بفتح هذه الصفحة أو بهذا الإجراء"})
}

// SignInData is the sign-in form.
type SignInData struct {
	Username, Next string
	Error          string
	SignedOut      bool
}

func (u *UI) signInForm(w http.ResponseWriter, r *http.Request) {
	if principal(r) != nil {
		http.Redirect(w, r, safeBack(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d := SignInData{Next: safeBack(r.URL.Query().Get("next")), SignedOut: r.URL.Query().Has("out")}
	u.render(w, r, http.StatusOK, "signin", u.page(r, "", "signin.title", d))
}

// signIn checks the password and starts a new session. A session the
// browser had before is ended first, and the new one gets a fresh secret:
// nothing a page could have planted in the browser survives sign-in.
func (u *UI) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name := r.PostFormValue("username")
	pw := []byte(r.PostFormValue("password"))
	next := safeBack(r.PostFormValue("next"))
	if old, err := r.Cookie(SessionCookie); err == nil && old.Value != "" {
		_ = u.Accounts.SignOut(r.Context(), old.Value)
	}
	secret, _, err := u.Accounts.SignIn(r.Context(), name, pw, auth.ClientAddress(r))
	clear(pw)
	if err != nil {
		l := lang(r)
		en, ar := auth.Message(err)
		msg := en
		if l == AR {
			msg = ar
		}
		status := http.StatusUnauthorized
		var rl *auth.RateLimitedError
		switch {
		case errors.As(err, &rl):
			status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds()+0.999)))
		case errors.Is(err, auth.ErrLocked):
			status = http.StatusLocked
		case errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrDisabled):
		default:
			var ae *auth.Error
			if !errors.As(err, &ae) {
				u.fail(w, r, err)
				return
			}
			status = http.StatusBadRequest
		}
		expire(w)
		u.render(w, r, status, "signin", u.page(r, "", "signin.title", SignInData{Username: clipName(name), Next: next, Error: msg}))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: int(u.SessionMax / time.Second)})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// clipName keeps what was typed as a username for the form again, unless
// it is long enough to be a password typed in the wrong box.
func clipName(s string) string {
	if len(s) > 64 {
		return ""
	}
	return s
}

func (u *UI) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := u.Accounts.SignOut(r.Context(), c.Value); err != nil && !errors.Is(err, auth.ErrNoSession) {
			u.fail(w, r, err)
			return
		}
	}
	expire(w)
	http.Redirect(w, r, "/signin?out=1", http.StatusSeeOther)
}

// expire tells the browser to drop the session cookie.
func expire(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// SettingsData is the account page.
type SettingsData struct {
	User   *auth.Principal
	Ended  int
	Tokens []auth.Token
}

func (u *UI) settings(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	toks, err := u.Accounts.Tokens(r.Context(), p.Username)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := SettingsData{User: p, Tokens: toks}
	if n, err := strconv.Atoi(r.URL.Query().Get("ended")); err == nil {
		d.Ended = n
	}
	u.render(w, r, http.StatusOK, "settings", u.page(r, "settings", "settings.title", d))
}

// signOutEverywhere ends every session of the signed-in user, this one
// included (a lost phone, a shared computer).
func (u *UI) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if _, err := u.Accounts.SignOutEverywhere(r.Context(), p.Username, p.Username); err != nil {
		u.fail(w, r, err)
		return
	}
	expire(w)
	http.Redirect(w, r, "/signin?out=all", http.StatusSeeOther)
}

// AdminUsersData lists the accounts.
type AdminUsersData struct{ Users []auth.User }

func (u *UI) adminUsers(w http.ResponseWriter, r *http.Request) {
	us, err := u.Accounts.Users(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "users", u.page(r, "admin", "users.title", AdminUsersData{Users: us}))
}

// AdminAuditData is one page of the audit log.
type AdminAuditData struct {
	Entries       []auditlog.Entry
	Actor, Action string
	Older         string
}

func (u *UI) adminAudit(w http.ResponseWriter, r *http.Request) {
	q := auditlog.Query{Actor: r.URL.Query().Get("actor"), Action: r.URL.Query().Get("action"), Limit: 100}
	if s := r.URL.Query().Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			u.fail(w, r, badField("before", "must be a whole number from 1", "يجب أن يكون عدداً صحيحاً من ١"))
			return
		}
		q.Before = n
	}
	es, err := u.AuditLog.List(r.Context(), q)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := AdminAuditData{Entries: es, Actor: q.Actor, Action: q.Action}
	if len(es) == q.Limit {
		d.Older = "?actor=" + url.QueryEscape(q.Actor) + "&action=" + url.QueryEscape(q.Action) +
			"&before=" + strconv.FormatInt(es[len(es)-1].Seq, 10)
	}
	u.render(w, r, http.StatusOK, "audit", u.page(r, "admin", "audit.title", d))
}

// showReporter shows a report's sealed reporter to a cleared role; the
// read is recorded in the audit log before anything is shown.
func (u *UI) showReporter(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := u.reportData(r.Context(), lang(r), id)
	if err == nil && !canSee(r, d.Rec) {
		err = &record.NotFoundError{ID: id}
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if record.HasSealed(d.Rec.Body) {
		if err := u.Audit.Record(r.Context(), nil, auditlog.Event{Action: auditlog.ActionSealedRead, Actor: who(r),
			Role: string(roleOf(r)), SubjectType: string(record.TypeReport), SubjectID: id, Fields: []string{"reporter"},
			Outcome: auditlog.OutcomeOK, Detail: "report page"}); err != nil {
			u.fail(w, r, err)
			return
		}
		body, _, err := u.Service.Unseal(r.Context(), record.TypeReport, id, d.Rec.Body)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		b, err := record.DecodeBody(record.TypeReport, body)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.Reporter = b.(*record.Report).Reporter
	}
	d.Unsealed = true
	p := u.page(r, "reports", "report.title", d)
	u.render(w, r, http.StatusOK, "report", p)
}

// canSee reports whether the reader may see a report: a reporter only
// their own.
func canSee(r *http.Request, rec *record.Record) bool {
	if roleOf(r) == auth.RoleReporter {
		return rec.CreatedBy == who(r)
	}
	return roleOf(r).AtLeast(auth.RoleAnalyst)
}

// who is the signed-in user's name, what changes are signed with.
func who(r *http.Request) string { return auth.Username(r.Context()) }

// roleOf is the reader's role (public when not signed in).
func roleOf(r *http.Request) auth.Role { return auth.RoleOf(r.Context()) }
