package psychometrics

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps the package pure (STYLE.md: scoring imports the standard
// library and gonum's distributions only), so the pipeline can call it from
// anywhere without dragging in I/O or project packages.
func TestImports(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range pkg.Imports {
		first, _, _ := strings.Cut(path, "/")
		if path == "gonum.org/v1/gonum/stat/distuv" || !strings.Contains(first, ".") {
			continue
		}
		t.Errorf("forbidden import %q", path)
	}
}
