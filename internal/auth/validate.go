package auth

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what people type.
const (
	maxUsername    = 64
	minPassword    = 12   // characters (runes)
	maxPassword    = 1024 // bytes
	maxDisplayName = 200  // characters
	maxTokenName   = 100  // characters
)

// normUsername trims and lower-cases a username and checks it: 1–64 of
// a–z, 0–9, '.', '_', '-'.
func normUsername(s string) (string, error) {
	u := strings.ToLower(strings.TrimSpace(s))
	switch {
	case u == "":
		return "", invalid("username", "required")
	case len(u) > maxUsername:
		return "", invalid("username", "too_long")
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return "", invalid("username", "invalid")
		}
	}
	return u, nil
}

// checkPassword applies the policy: 12 characters or more, at most 1024
// bytes, not the username in any case. Length is the only rule on content:
// a long passphrase in any script is what we want people to choose.
func checkPassword(pw []byte, username string) error {
	switch {
	case len(pw) > maxPassword:
		return invalid("password", "too_long")
	case utf8.RuneCount(pw) < minPassword:
		return invalid("password", "too_short")
	case bytes.EqualFold(pw, []byte(username)):
		return invalid("password", "same_as_username")
	}
	return nil
}

// cleanText trims a one-line name and checks it is valid UTF-8 without
// control characters and at most max characters. It returns the code of
// the broken rule, or "".
func cleanText(s string, max int) (string, string) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return "", "invalid"
	}
	if utf8.RuneCountInString(s) > max {
		return "", "too_long"
	}
	return s, ""
}

// cleanDisplayName checks an optional display name.
func cleanDisplayName(s string) (string, error) {
	s, code := cleanText(s, maxDisplayName)
	if code != "" {
		return "", invalid("display_name", code)
	}
	return s, nil
}

// cleanTokenName checks a token's name, which is required.
func cleanTokenName(s string) (string, error) {
	s, code := cleanText(s, maxTokenName)
	if code == "" && s == "" {
		code = "required"
	}
	if code != "" {
		return "", invalid("name", code)
	}
	return s, nil
}
