package auth

import "strings"

// Role is what a person may do. Roles are ordered: each may do everything
// the ones below it may.
type Role string

// The roles, lowest first. RolePublic is anyone without an account; it is
// never given to an account or a token.
const (
	RolePublic   Role = "public"   // reads published incidents
	RoleReporter Role = "reporter" // submits reports
	RoleAnalyst  Role = "analyst"  // reviews extractions, edits records
	RoleReviewer Role = "reviewer" // also reads sealed fields
	RoleAdmin    Role = "admin"    // also manages accounts and keys
)

// Roles lists every role, lowest first.
func Roles() []Role {
	return []Role{RolePublic, RoleReporter, RoleAnalyst, RoleReviewer, RoleAdmin}
}

// ParseRole reads a role name (any case, spaces trimmed). An unknown name is
// an *Error on the field "role".
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.Rank() < 0 {
		return "", invalid("role", "unknown")
	}
	return r, nil
}

// ParseAccountRole is ParseRole for a role given to an account or a token:
// "public" is refused.
func ParseAccountRole(s string) (Role, error) {
	r, err := ParseRole(s)
	if err != nil {
		return "", err
	}
	if r == RolePublic {
		return "", invalid("role", "not_assignable")
	}
	return r, nil
}

// Rank is the role's place in the order: 0 for public up to 4 for admin,
// -1 for a string that is no role.
func (r Role) Rank() int {
	switch r {
	case RolePublic:
		return 0
	case RoleReporter:
		return 1
	case RoleAnalyst:
		return 2
	case RoleReviewer:
		return 3
	case RoleAdmin:
		return 4
	}
	return -1
}

// AtLeast reports whether r may do what min may. An unknown role is at
// least nothing, and nothing is at least an unknown role.
func (r Role) AtLeast(min Role) bool {
	return r.Rank() >= 0 && min.Rank() >= 0 && r.Rank() >= min.Rank()
}

// CanReadSealed reports whether the role may see sealed fields in clear.
func (r Role) CanReadSealed() bool { return r.AtLeast(RoleReviewer) }

// String returns the role's name.
func (r Role) String() string { return string(r) }

// account reports whether r may be stored on an account or a token.
func (r Role) account() bool { return r.Rank() > 0 }

// lower returns the lesser of two roles.
func lower(a, b Role) Role {
	if a.Rank() <= b.Rank() {
		return a
	}
	return b
}
