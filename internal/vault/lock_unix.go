//go:build unix

package vault

import (
	"os"
	"syscall"
)

// lockStaging marks a staging file as in use for as long as f is open: an
// advisory lock the kernel drops when the process ends, however it ends.
func lockStaging(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) // best effort: Sweep falls back to age
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
