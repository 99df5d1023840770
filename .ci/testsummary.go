//go:build ignore

// testsummary reads `go test -json` on standard input and prints what a person
// needs from it: each package's result line, the whole output of every test
// that failed, a line for every skipped test, then a count of the tests that
// ran on each database engine and one closing line "N passed, N failed,
// N skipped", after the slowest tests, so a slow suite shows where its time
// goes. It exits 1 when any test or package failed, so a skipped
// PostgreSQL case or a silent package can never pass unnoticed.
//
//	go test -json ./... | go run .ci/testsummary.go
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64 // seconds, on pass, fail and skip
}

// slowestShown is how many of the slowest tests the summary names.
const slowestShown = 15

type result struct{ pass, fail, skip int }

func main() {
	failed, err := summarise(bufio.NewScanner(os.Stdin), os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

func summarise(in *bufio.Scanner, out *os.File) (failed bool, err error) {
	in.Buffer(make([]byte, 1<<20), 16<<20)
	output := map[string][]string{} // package + test -> its output lines
	parents := map[string]bool{}    // tests that have subtests
	final := map[string]string{}    // package + test -> pass, fail or skip
	var order []string
	var timed []event // tests and their engine subtests, with their time
	for in.Scan() {
		var e event
		if err := json.Unmarshal(in.Bytes(), &e); err != nil {
			// A build failure prints plain text before the JSON starts.
			fmt.Fprintln(out, in.Text())
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if e.Test == "" {
				fmt.Fprint(out, e.Output) // ok/FAIL lines, build errors, panics
				continue
			}
			output[key] = append(output[key], e.Output)
		case "run":
			order = append(order, key)
			if i := strings.LastIndexByte(e.Test, '/'); i > 0 {
				parents[e.Package+" "+e.Test[:i]] = true
			}
		case "pass", "fail", "skip":
			if e.Test == "" {
				if e.Action == "fail" {
					failed = true
				}
				continue
			}
			final[key] = e.Action
			if strings.Count(e.Test, "/") <= 1 {
				timed = append(timed, e)
			}
			switch e.Action {
			case "fail":
				failed = true
				fmt.Fprint(out, strings.Join(output[key], ""))
			case "skip":
				fmt.Fprintf(out, "--- SKIP: %s (%s)\n", e.Test, e.Package)
			}
			delete(output, key)
		}
	}
	if err := in.Err(); err != nil {
		return true, err
	}
	engines := map[string]*result{}
	var all result
	for _, key := range order {
		if parents[key] {
			continue // count the cases, not the groups that hold them
		}
		r := engineOf(key, engines)
		switch final[key] {
		case "pass":
			r.pass++
			all.pass++
		case "skip":
			r.skip++
			all.skip++
		default: // failed, or never finished (a panic or a timeout)
			r.fail++
			all.fail++
			failed = true
		}
	}
	names := make([]string, 0, len(engines))
	for name := range engines {
		names = append(names, name)
	}
	slices.Sort(names)
	slices.SortFunc(timed, func(a, b event) int { return cmp.Compare(b.Elapsed, a.Elapsed) })
	fmt.Fprintf(out, "\nslowest tests (seconds; parallel tests share the CPU):\n")
	for _, e := range timed[:min(slowestShown, len(timed))] {
		fmt.Fprintf(out, "%8.1f  %s (%s)\n", e.Elapsed, e.Test, e.Package)
	}
	fmt.Fprintln(out)
	for _, name := range names {
		r := engines[name]
		fmt.Fprintf(out, "%-12s %d passed, %d failed, %d skipped\n", name+":", r.pass, r.fail, r.skip)
	}
	fmt.Fprintf(out, "summary: %d passed, %d failed, %d skipped\n", all.pass, all.fail, all.skip)
	return failed, nil
}

// engineOf files a test case under the database it ran on, read from its
// name (the suite names engine subtests "sqlite" and "postgres").
func engineOf(key string, engines map[string]*result) *result {
	name := "no database"
	for _, part := range strings.Split(key, "/") {
		if part == "sqlite" || part == "postgres" {
			name = part
			break
		}
	}
	if engines[name] == nil {
		engines[name] = &result{}
	}
	return engines[name]
}
