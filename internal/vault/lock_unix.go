//go:build unix

package vault

import (
	"os"
	"syscall"
)

// locksWork: staging files are locked while written (see Sweep).
const locksWork = true

// lockStaging marks a staging file as in use for as long as f is open: an
// advisory lock the kernel drops when the process ends, however it ends.
// It fails only where the filesystem has no locks (some network mounts);
// the upload is refused then rather than left for Sweep to remove.
func lockStaging(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// abandoned reports whether no process holds the staging file at path: its
// writer died, so it can go now rather than after the age limit.
func abandoned(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
