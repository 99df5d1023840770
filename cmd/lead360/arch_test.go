package main

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/lead360/lead360"

// layer is one package's place in the dependency arrows of STYLE.md: which
// of our packages it may import, and which outside ones it must not.
type layer struct {
	ours      []string
	forbidden []string
}

// layers has every package of the module: the edge (cmd, api) imports
// inward, the domain and the math import nothing above them. A package
// missing here fails the test, so a new one gets its arrows when it is made.
var layers = map[string]layer{
	"cmd/lead360": {ours: []string{"api", "assessment", "assessment/mail", "assessment/outbox", "assessment/store", "assessment/webhook", "reports", "scoring"}},
	// The load harness drives real servers over HTTP and the CLI, answering
	// surveys as phones do (surveyclient).
	"cmd/loadtest": {ours: []string{"assessment", "assessment/assessmenttest/surveyclient"},
		forbidden: []string{"gorm.io", "database/sql", "github.com/labstack", "github.com/riverqueue"}},
	"api": {ours: []string{"api/openapi", "assessment", "reports", "scoring", "templates"},
		forbidden: []string{"gorm.io", "database/sql", "github.com/riverqueue"}},
	// The API's contract and the code generated from it: Echo types only.
	"api/openapi": {forbidden: []string{"gorm.io", "database/sql", "github.com/riverqueue"}},
	"assessment": {ours: []string{"scoring"},
		forbidden: []string{"gorm.io", "database/sql", "github.com/labstack", "github.com/jung-kurt", "github.com/riverqueue", "net/http"}},
	"assessment/store": {ours: []string{"assessment", "migrations", "scoring"},
		forbidden: []string{"github.com/labstack", "github.com/jung-kurt", "net/http"}},
	"assessment/outbox": {ours: []string{"assessment", "assessment/mail", "templates"},
		forbidden: []string{"gorm.io", "github.com/labstack", "github.com/jung-kurt", "net/http"}},
	// Webhook deliveries: an HTTP client and a queue worker, nothing more.
	"assessment/webhook": {ours: []string{"assessment"},
		forbidden: []string{"gorm.io", "database/sql", "github.com/labstack", "github.com/jung-kurt"}},
	"assessment/mail": {forbidden: []string{"gorm.io", "database/sql", "github.com/labstack", "net/http"}},
	"assessment/assessmenttest": {ours: []string{"assessment", "assessment/assessmenttest/ci", "assessment/mail", "assessment/outbox", "assessment/store", "scoring"},
		forbidden: []string{"github.com/labstack"}},
	"assessment/assessmenttest/ci": {},
	// A rater's phone over HTTP: it reads the built-in questionnaire's
	// item keys and nothing of the server's insides.
	"assessment/assessmenttest/surveyclient": {ours: []string{"assessment"},
		forbidden: []string{"gorm.io", "database/sql", "github.com/labstack", "github.com/riverqueue"}},
	"reports": {ours: []string{"assessment", "scoring"},
		forbidden: []string{"gorm.io", "database/sql", "github.com/labstack", "net/http"}},
	"scoring": {ours: []string{"scoring/psychometrics"},
		forbidden: []string{"gorm.io", "database/sql", "github.com/labstack", "github.com/jung-kurt", "net/http", "time"}},
	"scoring/psychometrics": {forbidden: []string{"gorm.io", "database/sql", "net/http", "time"}},
	"templates":             {},
	"migrations":            {},
}

// The dependency arrows of STYLE.md: a forbidden import fails here, not in
// review.
func TestDependenciesPointInward(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	for _, dir := range packageDirs(t, root) {
		l, ok := layers[dir]
		if !ok {
			t.Errorf("package %s has no place in the dependency arrows: add it to layers", dir)
			continue
		}
		pkg, err := build.ImportDir(filepath.Join(root, dir), 0)
		if err != nil {
			t.Fatalf("read %s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if own, ok := strings.CutPrefix(imp, module+"/"); ok {
				if !slices.Contains(l.ours, own) {
					t.Errorf("%s imports %s, which it must not", dir, own)
				}
				continue
			}
			for _, bad := range l.forbidden {
				if imp == bad || strings.HasPrefix(imp, bad+"/") {
					t.Errorf("%s imports %s, which it must not", dir, imp)
				}
			}
		}
	}
}

// packageDirs lists the module's directories that hold Go code outside
// tests, relative to root.
func packageDirs(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list packages: %v", err)
	}
	dirs := make([]string, 0, len(seen))
	for d := range seen {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	return dirs
}
