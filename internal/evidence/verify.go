package evidence

import (
	"io"

	"github.com/tawthiq/tawthiq/internal/evidence/bundle"
)

// ErrPackage: the package cannot be read as an evidence package.
var ErrPackage = bundle.ErrPackage

// Verification is what VerifyPackage found.
type Verification = bundle.Verification

// VerifyPackage checks an evidence package with no server and no database;
// see bundle.Verify.
func VerifyPackage(r io.ReaderAt, size int64, trustedKey string) (*Verification, error) {
	return bundle.Verify(r, size, trustedKey)
}
