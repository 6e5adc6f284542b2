//go:build !unix

package vault

import "os"

// lockStaging does nothing where advisory locks are not available; Sweep
// then goes by age alone.
func lockStaging(*os.File) error { return nil }

// locksWork: no locks here; Sweep goes by age.
const locksWork = false

func abandoned(string) bool { return false }
