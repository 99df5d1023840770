package scoring

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps scoring pure: the standard library, gonum and
// scoring/psychometrics only.
func TestImports(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		switch {
		case !strings.Contains(strings.Split(imp, "/")[0], "."):
		case imp == "github.com/lead360/lead360/scoring/psychometrics":
		case strings.HasPrefix(imp, "gonum.org/v1/gonum/"):
		default:
			t.Errorf("scoring imports %s", imp)
		}
	}
}
