package mail_test

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps mail a leaf: it sends bytes, it knows no database, web
// framework or domain package (the outbox depends on mail, not the reverse).
func TestImports(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"gorm.io/", "github.com/labstack/echo", "github.com/riverqueue/", "github.com/lead360/lead360/"}
	for _, imp := range pkg.Imports {
		for _, f := range forbidden {
			if strings.HasPrefix(imp, f) {
				t.Errorf("package mail imports %s", imp)
			}
		}
	}
}
