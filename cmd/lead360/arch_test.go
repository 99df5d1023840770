package main

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/lead360/lead360"

// The dependency arrows of STYLE.md: api and cmd at the edge, the domain and
// the math at the centre. A forbidden import fails here, not in review.
func TestDependenciesPointInward(t *testing.T) {
	t.Parallel()
	rules := []struct {
		dir       string
		forbidden []string
	}{
		{"scoring", []string{module + "/", "gorm.io", "github.com/labstack", "github.com/jung-kurt", "net/http", "database/sql", "time"}},
		{"assessment", []string{module + "/api", module + "/reports", module + "/assessment/store", "gorm.io", "github.com/labstack", "github.com/jung-kurt"}},
		{"reports", []string{module + "/api", module + "/assessment/store", "gorm.io", "github.com/labstack", "net/http"}},
		{"api", []string{module + "/assessment/store", "gorm.io", "database/sql"}},
		{"templates", []string{module + "/"}},
		{"migrations", []string{module + "/"}},
	}
	allowed := map[string][]string{"scoring": {module + "/scoring/psychometrics"}}
	for _, r := range rules {
		root := filepath.Join("..", "..", r.dir)
		pkg, err := build.ImportDir(root, 0)
		if err != nil {
			t.Fatalf("read %s: %v", r.dir, err)
		}
	imports:
		for _, imp := range pkg.Imports {
			for _, ok := range allowed[r.dir] {
				if imp == ok {
					continue imports
				}
			}
			for _, bad := range r.forbidden {
				if imp == bad || strings.HasPrefix(imp, bad) && strings.HasSuffix(bad, "/") || strings.HasPrefix(imp, bad+"/") {
					t.Errorf("%s imports %s, which it must not", r.dir, imp)
				}
			}
		}
	}
}
