package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheckTimeout bounds one check, below Docker's default
// HEALTHCHECK timeout of 30 s so a hung server counts as a failed check,
// not as a check that never ends.
const healthcheckTimeout = 5 * time.Second

// runHealthcheck asks the server on this machine whether it is ready and
// exits 0 when it is. Container images without a shell or curl
// (distroless) run it as their HEALTHCHECK.
func runHealthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := cfg.flagSet("healthcheck", "", getenv, stderr, "addr")
	path := fs.String("path", "/readyz", "/readyz (the database answers and the server is not shutting down) or /healthz (the process answers)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *path != "/readyz" && *path != "/healthz" {
		return usagef("healthcheck: --path must be /readyz or /healthz, not %q", *path)
	}
	url, err := localURL(cfg.Addr, *path)
	if err != nil {
		return usagef("healthcheck: LEAD360_ADDR %q: %v", cfg.Addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: no answer from %s: %w", url, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	answer := strings.TrimSpace(string(body))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d: %s", url, res.StatusCode, answer)
	}
	fmt.Fprintln(stdout, answer)
	return nil
}

// localURL is the address of path on the server listening on addr, reached
// from the same machine: a wildcard host (":8080", "0.0.0.0:8080",
// "[::]:8080") is reached on loopback.
func localURL(addr, path string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + path, nil
}
