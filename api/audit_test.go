package api

import (
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
