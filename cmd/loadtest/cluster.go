package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cluster is the replicas of one run and the survey links they emailed.
type cluster struct {
	bases  []string // http://127.0.0.1:port of each replica
	tokens []string
	procs  []*exec.Cmd
	logs   sync.WaitGroup
}

// buildServer builds lead360 into dir.
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "lead360")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/lead360/lead360/cmd/lead360").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build lead360: %v\n%s", err, out)
	}
	return bin, nil
}

// startCluster opens a cycle of o.raters surveys with the CLI, starts the
// replicas and waits until every survey link has been "emailed": with no
// mail server and a loopback base URL, the servers write each email, link
// included, to their log (development mode), which is where the links are
// read from.
func startCluster(ctx context.Context, o options, dir string, stderr io.Writer) (*cluster, error) {
	key := make([]byte, 32)
	rand.Read(key)
	vars := []string{"LEAD360_DATA_DIR=" + dir, "LEAD360_DATABASE_URL=" + o.db, "LEAD360_DEV_MODE=true",
		"LEAD360_SECRET_KEY=" + base64.StdEncoding.EncodeToString(key), "LEAD360_LOG_LEVEL=info"}
	cl := &cluster{}
	for range o.replicas {
		addr, err := freeLoopbackAddr()
		if err != nil {
			return nil, err
		}
		cl.bases = append(cl.bases, "http://"+addr)
	}
	vars = append(vars, "LEAD360_BASE_URL="+cl.bases[0])
	if err := openCycle(ctx, o, dir, vars); err != nil {
		return nil, err
	}
	found := make(chan string, o.raters)
	for i, base := range cl.bases {
		if err := cl.start(o.bin, append(vars, "LEAD360_ADDR="+strings.TrimPrefix(base, "http://")), found, stderr); err != nil {
			cl.stop()
			return nil, fmt.Errorf("replica %d: %w", i, err)
		}
	}
	seen := map[string]bool{}
	deadline := time.After(3 * time.Minute)
	for len(cl.tokens) < o.raters {
		select {
		case tok := <-found:
			if !seen[tok] {
				seen[tok] = true
				cl.tokens = append(cl.tokens, tok)
			}
		case <-deadline:
			cl.stop()
			return nil, fmt.Errorf("%d of %d survey links emailed after 3 minutes", len(cl.tokens), o.raters)
		case <-ctx.Done():
			cl.stop()
			return nil, ctx.Err()
		}
	}
	return cl, nil
}

// openCycle creates an organisation, a cycle on the full form and
// o.raters surveys (leaders with themselves and nine peers each) with the
// same CLI commands HR would use, and opens it.
func openCycle(ctx context.Context, o options, dir string, vars []string) error {
	org := fmt.Sprintf("Load test %d", time.Now().UnixNano())
	if _, err := cli(ctx, o.bin, vars, "admin", "create", "--email", "hr@loadtest.example", "--org", org); err != nil {
		return err
	}
	today := time.Now().UTC()
	out, err := cli(ctx, o.bin, vars, "cycle", "create", "--org", org, "--name", "Load", "--form", "full", "--json",
		"--opens", today.Format(time.DateOnly), "--closes", today.AddDate(0, 0, 14).Format(time.DateOnly))
	if err != nil {
		return err
	}
	var c struct{ ID string }
	if err := json.Unmarshal(out, &c); err != nil {
		return fmt.Errorf("cycle create --json: %w", err)
	}
	var csv bytes.Buffer
	csv.WriteString("leader_email,leader_name,rater_email,rater_name,relationship\n")
	for i := 0; i*10 < o.raters; i++ {
		for p := 1; p < 10; p++ {
			fmt.Fprintf(&csv, "lead%d@loadtest.example,Lead %d,peer%d.%d@loadtest.example,Peer %d.%d,peer\n", i, i, i, p, i, p)
		}
	}
	file := filepath.Join(dir, "raters.csv")
	if err := os.WriteFile(file, csv.Bytes(), 0o600); err != nil {
		return err
	}
	if _, err := cli(ctx, o.bin, vars, "cycle", "import", "--cycle", c.ID, file); err != nil {
		return err
	}
	_, err = cli(ctx, o.bin, vars, "cycle", "open", "--cycle", c.ID)
	return err
}

// cli runs one lead360 command and returns its standard output.
func cli(ctx context.Context, bin string, vars []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = vars
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("lead360 %s: %v\n%s", strings.Join(args[:2], " "), err, stderr.String())
	}
	return out, nil
}

// surveyLink finds a survey token in a line of a server's log.
var surveyLink = regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})`)

// start runs one replica, sends every survey token its log shows to
// found, and waits until it is ready.
func (cl *cluster) start(bin string, vars []string, found chan<- string, stderr io.Writer) error {
	cmd := exec.Command(bin, "serve")
	cmd.Env = vars
	logs, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	cl.procs = append(cl.procs, cmd)
	cl.logs.Go(func() {
		sc := bufio.NewScanner(logs)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			for _, m := range surveyLink.FindAllStringSubmatch(sc.Text(), -1) {
				select {
				case found <- m[1]:
				default: // every link is in already
				}
			}
			if strings.Contains(sc.Text(), "level=ERROR") {
				fmt.Fprintln(stderr, sc.Text())
			}
		}
	})
	base := "http://" + strings.TrimPrefix(vars[len(vars)-1], "LEAD360_ADDR=")
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("not ready after 30 s")
}

// stop ends every replica as an orchestrator would (SIGTERM) and waits.
func (cl *cluster) stop() {
	for _, p := range cl.procs {
		p.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range cl.procs {
		p.Wait()
	}
	cl.logs.Wait()
	cl.procs = nil
}

// freeLoopbackAddr is a loopback address with a port free right now.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
