// Package bundle makes and opens sealed field bundles (format
// "tawthiq-bundle/1", docs/spec/sealed-bundle.md): one file a reporter seals
// on their own machine — the report, who they are, and their photos and
// videos — encrypted with age to the organisation's public key, carried by
// USB stick or messenger and opened on the server.
//
// The invariant: Extract returns success only when the whole file was
// decrypted and authenticated to its last byte and every file it wrote
// matches the size and SHA-256 the reporter's machine recorded at sealing.
// On any failure it leaves nothing behind. Errors never quote the report or
// the reporter: they are safe to log and to show.
package bundle

import (
	"errors"
)

// Format is the value of Manifest.Format this package writes and reads.
const Format = "tawthiq-bundle/1"

// Limits of the format.
const (
	MaxManifest     = 1 << 20 // bytes of manifest.json
	MaxFiles        = 9999    // attachments: their entry names carry a 4-digit number
	DefaultMaxTotal = 8 << 30 // bytes of attachments Extract accepts unless told otherwise
)

// Manifest is manifest.json, the first entry of a bundle.
type Manifest struct {
	Format   string   `json:"format"`
	SealedAt string   `json:"sealed_at"` // RFC 3339, UTC ("Z"), whole seconds
	Tool     string   `json:"tool"`      // "tawthiq <version>"
	Report   Report   `json:"report"`
	Reporter Reporter `json:"reporter"`
	Files    []File   `json:"files"`
}

// Report is what was seen, in the reporter's words.
type Report struct {
	Title     string `json:"title,omitempty"`
	Text      string `json:"text"`
	Language  string `json:"language,omitempty"`  // BCP 47: "ar", "en", …
	Published string `json:"published,omitempty"` // YYYY-MM-DD, if already published
	Outlet    string `json:"outlet,omitempty"`
	URL       string `json:"url,omitempty"`
}

// Reporter is who sent the report and where from. Every field is optional.
// It is the source's identity: the server keeps it sealed and never shows
// it with the report.
type Reporter struct {
	Name      string   `json:"name,omitempty"`
	Contact   string   `json:"contact,omitempty"`
	Latitude  *float64 `json:"latitude,omitempty"`
	Longitude *float64 `json:"longitude,omitempty"`
	Note      string   `json:"note,omitempty"`
}

// File is one attachment as the reporter's machine saw it at sealing.
type File struct {
	Path   string `json:"path"`   // entry name in the bundle: files/NNNN-<safe name>
	Name   string `json:"name"`   // the file's own base name, for people
	Size   int64  `json:"size"`   // bytes
	SHA256 string `json:"sha256"` // lower-case hex
}

// The kinds of failure; test with errors.Is. Every error this package
// returns is an *Error carrying an English and an Arabic message.
var (
	// ErrNotForUs: none of the identities opens the bundle. It was sealed
	// to another key — or its recipient lines were damaged, which age
	// cannot tell apart. Ask the reporter which key they used.
	ErrNotForUs = errors.New("bundle: not sealed to our key")
	// ErrAltered: the bundle was changed or cut short after sealing, or
	// its contents disagree with its manifest. Do not use any of it; ask
	// for the bundle again.
	ErrAltered = errors.New("bundle: altered or incomplete")
	// ErrMalformed: not a bundle, or one that breaks the format (wrong
	// version, bad manifest, an entry that is not a plain file). Also the
	// kind of an invalid manifest given to Write; Error.Field names the field.
	ErrMalformed = errors.New("bundle: not a valid bundle")
	// ErrTooLarge: more bytes than the limit given to Extract.
	ErrTooLarge = errors.New("bundle: over the size limit")
	// ErrUnreadable: a file given to Write cannot be read or is not a
	// regular file.
	ErrUnreadable = errors.New("bundle: file cannot be read")
	// ErrChanged: a file given to Write changed between being hashed and
	// being written. Close whatever is writing it and seal again.
	ErrChanged = errors.New("bundle: file changed while being sealed")
)

// Error is a failure explained for a person, in English and Arabic. EN and
// AR never contain the report or the reporter; Err is the underlying cause,
// for logs.
type Error struct {
	Kind   error  // one of the Err… values above, or nil for a plain I/O failure
	Field  string // the manifest field at fault ("report.published"), if any
	EN, AR string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.EN + ": " + e.Err.Error()
	}
	return e.EN
}

// Arabic is the message in Arabic.
func (e *Error) Arabic() string { return e.AR }

func (e *Error) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.Kind, e.Err} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func fail(kind error, en, ar string, cause error) *Error {
	return &Error{Kind: kind, EN: en, AR: ar, Err: cause}
}
