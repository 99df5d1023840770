package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/assessmenttest/surveyclient"
	"github.com/lead360/lead360/assessment/store"
)

// Sizes and counts are bounded, and a run of several replicas needs
// PostgreSQL.
func TestOptionsAreBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-replicas", "3"}, "needs -db"},
		{[]string{"-replicas", "9", "-db", "postgres://x"}, "-replicas must be 1 to 8"},
		{[]string{"-raters", "15"}, "multiple of 10"},
		{[]string{"-raters", "6000"}, "multiple of 10"},
		{[]string{"-clients", "0"}, "-clients must be"},
		{[]string{"-duration", "1h"}, "-duration must be"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		_, err := parseOptions(tt.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.want)
		}
	}
}

// The harness runs end to end at a small size on each engine: two replicas
// on PostgreSQL, one on SQLite. Every survey is opened, autosaved and
// submitted, and the table names each kind of request; with -submit-only
// it names the submits alone.
func TestLoadHarnessAnswersEverySurvey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin, err := buildServer(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			args := []string{"-bin", bin, "-raters", "30", "-clients", "4"}
			if e.Name == store.Postgres {
				args = append(args, "-db", assessmenttest.DatabaseURL(t, e).DatabaseURL, "-replicas", "2")
			}
			var out, errOut bytes.Buffer
			if err := run(context.Background(), args, &out, &errOut); err != nil {
				t.Fatalf("%v\n%s\n%s", err, out.String(), errOut.String())
			}
			checkTable(t, out.String(), surveyclient.Kinds...)
		})
	}
	t.Run("submit only", func(t *testing.T) {
		t.Parallel()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"-bin", bin, "-raters", "30", "-clients", "4", "-submit-only"}, &out, &errOut); err != nil {
			t.Fatalf("%v\n%s\n%s", err, out.String(), errOut.String())
		}
		checkTable(t, out.String(), surveyclient.Submit)
		if strings.Contains(out.String(), surveyclient.Open) || strings.Contains(out.String(), surveyclient.Autosave) {
			t.Errorf("the table times more than the submits:\n%s", out.String())
		}
	})
}

// checkTable checks that the harness's table says 30 done and 0 failed for
// each of kinds.
func checkTable(t *testing.T, table string, kinds ...string) {
	t.Helper()
	for _, k := range kinds {
		if !strings.Contains(table, k+"    30       0") {
			t.Errorf("the table lacks 30 done, 0 failed for %q:\n%s", k, table)
		}
	}
}
