package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
)

// The container health check asks the real server, listening on a
// wildcard address as in the image, and fails with a line that says why
// when nothing answers.
func TestHealthcheckAsksTheServerOnThisMachine(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := newTestApp(t, ctx)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.serve(ctx, ln)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	closed := freeLoopbackAddr(t)

	tests := []struct {
		name, addr string
		args       []string
		wantCode   int
		wantOut    string
	}{
		{"ready on a wildcard address", ":" + port, nil, exitOK, "ready"},
		{"alive", "0.0.0.0:" + port, []string{"--path", "/healthz"}, exitOK, "ok"},
		{"nothing listening", closed, nil, exitFailure, "no answer from http://" + closed + "/readyz"},
		{"unknown path", ":" + port, []string{"--path", "/"}, exitUsage, "--path must be /readyz or /healthz"},
		{"malformed address", "8080", nil, exitUsage, `LEAD360_ADDR "8080"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(ctx, append([]string{"healthcheck"}, tt.args...), env(map[string]string{"LEAD360_ADDR": tt.addr}), &out, &errOut)
			if code := exitCode(err); code != tt.wantCode {
				t.Fatalf("exit %d, want %d (%v)", code, tt.wantCode, err)
			}
			got := out.String()
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tt.wantOut) {
				t.Fatalf("said %q, want it to contain %q", got, tt.wantOut)
			}
		})
	}
}
