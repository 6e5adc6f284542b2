package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

const cookieAge = 365 * 24 * time.Hour

func setCookie(w http.ResponseWriter, r *http.Request, name, value string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(cookieAge.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}

// switchLang remembers the other language and goes back to the page.
func (u *UI) switchLang(w http.ResponseWriter, r *http.Request) {
	l := parseLang(r.PostFormValue("to"))
	setCookie(w, r, langCookie, string(l))
	back := safeBack(r.PostFormValue("back"))
	// The page may carry ?lang= of its own; the cookie decides from now on.
	if p, err := url.Parse(back); err == nil {
		q := p.Query()
		q.Del("lang")
		p.RawQuery = q.Encode()
		back = p.RequestURI()
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// SettingsData is the settings form.
type SettingsData struct {
	Saved bool
}

func (u *UI) settings(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "settings", u.page(r, "settings", "settings.title", SettingsData{Saved: r.URL.Query().Has("saved")}))
}

// saveSettings keeps the reader's name (what their changes are signed
// with) and language in cookies.
func (u *UI) saveSettings(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("who"))
	switch {
	case name == "":
		u.fail(w, r, badField("who", "is required: every change is signed with a name", "مطلوب: كل تعديل يُوقَّع باسم"))
		return
	case utf8.RuneCountInString(name) > 100 || strings.ContainsFunc(name, func(c rune) bool { return c < ' ' }):
		u.fail(w, r, badField("who", "must be at most 100 characters, with no control characters", "يجب ألا يزيد على ١٠٠ حرف وألا يحوي محارف تحكّم"))
		return
	}
	setCookie(w, r, whoCookie, url.QueryEscape(name))
	l := parseLang(r.PostFormValue("lang"))
	setCookie(w, r, langCookie, string(l))
	http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
}
