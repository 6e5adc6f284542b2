package ui

import (
	"net/http"
	"net/url"
	"time"
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
