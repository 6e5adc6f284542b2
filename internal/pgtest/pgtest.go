// Package pgtest starts a throwaway PostgreSQL server for tests and
// benchmarks: Debian's PostgreSQL binaries, a new cluster in a temporary
// folder, listening on 127.0.0.1 and a Unix socket in that folder, with
// fsync off, stopped and removed when the test ends. .ci/run installs the
// binaries (Debian package postgresql); without them Start skips on a
// developer machine and fails in CI.
package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// binDir finds the newest installed PostgreSQL's bin folder.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("PostgreSQL is not installed (apt-get install postgresql)")
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start runs a new PostgreSQL server and returns a connection string for
// its database "postgres" as user "app" (trust authentication: it listens
// on this machine only).
func Start(tb testing.TB) string {
	tb.Helper()
	bin, err := binDir()
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("pgtest: %v; .ci/run installs it", err)
		}
		tb.Skipf("pgtest: %v", err)
	}
	dir, err := os.MkdirTemp("", "tawthiq-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	// PostgreSQL refuses to run as root: run it as the postgres user then.
	var asUser []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Fatalf("pgtest: running as root and there is no postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
		asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(name string, args ...string) error {
		argv := append(append(append([]string(nil), asUser...), filepath.Join(bin, name)), args...)
		out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", name, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "app", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	port, err := freePort()
	if err != nil {
		tb.Fatal(err)
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off", port, dir)
	if err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		tb.Fatalf("pgtest: %v\n%s", err, log)
	}
	tb.Cleanup(func() {
		if err := run("pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "30", "stop"); err != nil {
			tb.Logf("pgtest: stop: %v", err)
		}
	})
	dsn := fmt.Sprintf("postgres://app@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=10", port)
	// pg_ctl -w waits for the server; give the TCP listener a moment too.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return dsn
		}
		if time.Now().After(deadline) {
			tb.Fatalf("pgtest: server not reachable: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
