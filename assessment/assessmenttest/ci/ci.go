// Package ci decides what a test does when a component it needs (a tool,
// a browser, a database) is missing: under CI, where `make test` has set
// everything up, that is a broken set-up and fails; elsewhere the test is
// skipped with a message naming the component. It is the one reading of the
// CI variable for every test in the repository, and has no dependencies so
// that any package's tests may use it.
package ci

import (
	"os"
	"testing"
)

// Enabled reports whether the tests run under CI: CI set to anything but
// empty, "false" or "0" (CI systems set CI=true; .ci/run does too).
func Enabled() bool {
	switch os.Getenv("CI") {
	case "", "false", "0":
		return false
	}
	return true
}

// Missing stops the test because a component is not there: a failure under
// CI, a skip elsewhere. The message names the component and how to install it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Enabled() {
		t.Fatalf("missing under CI: "+format, args...)
	}
	t.Skipf("skipping: "+format, args...)
}
