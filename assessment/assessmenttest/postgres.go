package assessmenttest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment/assessmenttest/ci"
)

// PrivatePostgres is a PostgreSQL cluster of one test's own, for a test
// that stops and starts the database server (TRUST.md R4) without touching
// the shared cluster every other test uses.
type PrivatePostgres struct {
	dir, bin string
	port     int
	asUser   []string // runs a server command as the postgres user when we are root
}

// StartPrivatePostgres creates a cluster in a temporary directory (trust
// authentication, loopback only, a free port) from the installed PostgreSQL
// server binaries, starts it, and stops and removes it at cleanup. It
// fails under CI and skips elsewhere when the binaries are not installed.
func StartPrivatePostgres(t testing.TB) *PrivatePostgres {
	t.Helper()
	bin := postgresBinDir()
	if bin == "" {
		ci.Missing(t, "the PostgreSQL server binaries (initdb, pg_ctl) are not installed: the restart test cannot run (apt-get install -y postgresql)")
	}
	dir, err := os.MkdirTemp("", "lead360-pg-")
	if err != nil {
		t.Fatal(err)
	}
	p := &PrivatePostgres{dir: dir, bin: bin, port: freePort(t)}
	// initdb refuses to run as root: run the server as the postgres user.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user for the private cluster: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		p.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	t.Cleanup(func() {
		p.pgCtl("stop", "-m", "immediate") // already stopped is fine
		os.RemoveAll(dir)
	})
	if out, err := p.command(filepath.Join(bin, "initdb"), "-D", p.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	p.Start(t)
	return p
}

// URL is the cluster's connection URL (database postgres).
func (p *PrivatePostgres) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
}

// Start starts the server and waits until it accepts connections.
func (p *PrivatePostgres) Start(t testing.TB) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", p.port, p.dir)
	if out, err := p.pgCtl("start", "-w", "-t", "60", "-l", filepath.Join(p.dir, "server.log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.dir, "server.log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the server the way an operator's restart does: active
// connections are cut and open transactions rolled back.
func (p *PrivatePostgres) Stop(t testing.TB) {
	t.Helper()
	if out, err := p.pgCtl("stop", "-w", "-m", "fast"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

func (p *PrivatePostgres) data() string { return filepath.Join(p.dir, "data") }

func (p *PrivatePostgres) pgCtl(args ...string) ([]byte, error) {
	return p.command(filepath.Join(p.bin, "pg_ctl"), append([]string{"-D", p.data()}, args...)...).CombinedOutput()
}

func (p *PrivatePostgres) command(name string, args ...string) *exec.Cmd {
	argv := append(append(append([]string{}, p.asUser...), name), args...)
	return exec.Command(argv[0], argv[1:]...)
}

// postgresBinDir finds initdb and pg_ctl: on PATH, or in Debian's versioned
// directory (the newest one).
func postgresBinDir() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestVersion := "", 0
	for _, d := range dirs {
		v, err := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(d)), ".")[0])
		if err != nil || v <= bestVersion {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			best, bestVersion = d, v
		}
	}
	return best
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
