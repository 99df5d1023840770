package api

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// The Who column names an account, then an API token or an operator by its
// label, and otherwise the system; an account since deleted says so.
func TestAuditLineNamesWhoActed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rec  assessment.AuditRecord
		want string
	}{
		{"account", assessment.AuditRecord{AuditEntry: assessment.AuditEntry{ActorUserID: "u1"}, ActorName: "Ana Ruiz", ActorEmail: "ana@example.com"}, "Ana Ruiz"},
		{"account without a name", assessment.AuditRecord{AuditEntry: assessment.AuditEntry{ActorUserID: "u1"}, ActorEmail: "ana@example.com"}, "ana@example.com"},
		{"deleted account", assessment.AuditRecord{AuditEntry: assessment.AuditEntry{ActorUserID: "u1"}}, "A deleted account"},
		{"API token", assessment.AuditRecord{AuditEntry: assessment.AuditEntry{ActorLabel: `API token "HRIS sync"`}}, `API token "HRIS sync"`},
		{"system", assessment.AuditRecord{}, "System"},
	}
	for _, tc := range tests {
		if got := auditLineOf(tc.rec).Who; got != tc.want {
			t.Errorf("%s: Who %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Every action the domain records has words on the audit page: an action
// without them showed its code ("cycle.extend") to HR. The actions are read
// from the source, where they are written as constants or literals.
func TestEveryAuditActionHasWords(t *testing.T) {
	t.Parallel()
	recorded := regexp.MustCompile(`Action(?:[A-Z]\w*\s*=|:)\s*"([a-z_]+\.[a-z_]+)"|"(password\.[a-z_]+)"`)
	seen := 0
	err := filepath.WalkDir(filepath.Join("..", "assessment"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range recorded.FindAllStringSubmatch(string(src), -1) {
			action := m[1] + m[2]
			seen++
			if auditActions[action] == "" {
				t.Errorf("%s records %q, which the audit page has no words for", path, action)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 40 {
		t.Fatalf("found %d recorded actions in the source; the pattern no longer matches how they are written", seen)
	}
}
