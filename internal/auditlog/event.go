// Package auditlog keeps the audit log: every read of a sealed field, every
// export, every sign-in (success and failure) and every change to an
// account or a key. Entries are append-only (triggers refuse UPDATE and
// DELETE) and each is anchored in the ledger as an audit leaf that holds
// the SHA-256 of the entry and no plaintext.
package auditlog

import (
	"context"

	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Actions recorded in the log.
const (
	ActionSignIn         = "signin"          // outcome ok, bad_credentials, locked, rate_limited, disabled
	ActionSignOut        = "signout"         // one session ended
	ActionSignOutAll     = "signout_all"     // every session of a user ended
	ActionUserAdd        = "user_add"        // an account made
	ActionRoleChange     = "role_change"     // detail "old→new"
	ActionPasswordChange = "password_change" // a password set
	ActionUserDisable    = "user_disable"
	ActionUserEnable     = "user_enable"
	ActionUserUnlock     = "user_unlock" // a lockout lifted by an admin
	ActionTokenAdd       = "token_add"   // an API token made (detail: its role)
	ActionTokenRevoke    = "token_revoke"
	ActionSealedRead     = "sealed_read"     // sealed fields shown in clear
	ActionSealedDenied   = "sealed_denied"   // a request for sealed fields refused
	ActionExport         = "export"          // an export or evidence package
	ActionKeyRotate      = "key_rotate"      // the organisation key replaced
	ActionRecoveryKey    = "recovery_key"    // a recovery key made
	ActionKeyRecover     = "key_recover"     // the org key replaced with the recovery key
	ActionBundleIngest   = "bundle_ingest"   // a sealed bundle opened
	ActionBundleRefused  = "bundle_refused"  // a sealed bundle refused (altered, not for us)
	ActionPassphraseEdit = "passphrase_edit" // the org key's passphrase changed
)

// Outcomes.
const (
	OutcomeOK             = "ok"
	OutcomeDenied         = "denied"
	OutcomeBadCredentials = "bad_credentials"
	OutcomeLocked         = "locked"
	OutcomeRateLimited    = "rate_limited"
	OutcomeDisabled       = "disabled"
	OutcomeRefused        = "refused"
)

// Event is one audited action. Nothing in it may be sealed data: no
// passwords, tokens, keys, source identities, victims' details or network
// addresses. Usernames of accounts are not sealed; a username typed at
// sign-in that names no account is recorded as "" (it may be a password
// typed in the wrong box).
type Event struct {
	Action string `json:"action"`
	// Actor is the username who acted ("" for anonymous, "system" for the
	// server or a command run on it).
	Actor string `json:"actor"`
	// Role is the actor's role at the time.
	Role string `json:"role,omitempty"`
	// SubjectType and SubjectID name what was acted on: "user" and a
	// username, "token" and a token id, a record type and id, "key" and a
	// key id.
	SubjectType string `json:"subject_type,omitempty"`
	SubjectID   string `json:"subject_id,omitempty"`
	// Fields are the sealed fields read or refused.
	Fields []string `json:"fields,omitempty"`
	// Outcome is one of the Outcome constants.
	Outcome string `json:"outcome"`
	// Detail is short and never sensitive ("analyst→reviewer", a purpose).
	Detail string `json:"detail,omitempty"`
}

// Recorder appends events. With a non-nil tx the event commits or rolls
// back with that transaction; with nil it is written in its own.
type Recorder interface {
	Record(ctx context.Context, tx *sqldb.Tx, e Event) error
}

// Discard is a Recorder that keeps nothing (tests of other packages).
type Discard struct{}

// Record implements Recorder.
func (Discard) Record(context.Context, *sqldb.Tx, Event) error { return nil }
