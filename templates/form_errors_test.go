package templates

import (
	"reflect"
	"testing"
)

func TestSummaryFollowsTheForm(t *testing.T) {
	t.Parallel()
	fields := func(s ErrorSummary) []string {
		var out []string
		for _, p := range s.Problems {
			out = append(out, p.Field)
		}
		return out
	}
	tests := []struct {
		name     string
		problems map[string]string
		order    []string
		want     []string
	}{
		{"the page's order, not the alphabet",
			map[string]string{"closes_at": "x", "name": "x", "anonymity_threshold": "x", "opens_at": "x"},
			[]string{"name", "opens_at", "closes_at", "anonymity_threshold"},
			[]string{"name", "opens_at", "closes_at", "anonymity_threshold"}},
		{"rows top to bottom, fields across each row",
			map[string]string{"email_10": "x", "name_2": "x", "email_2": "x", "relationship_1": "x", "group_peer": "x"},
			[]string{"name", "email", "relationship"},
			[]string{"group_peer", "relationship_1", "name_2", "email_2", "email_10"}},
		{"fields the page does not list come last, by name",
			map[string]string{"zeta": "x", "alpha": "x", "name": "x"},
			[]string{"name"},
			[]string{"name", "alpha", "zeta"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(tc.problems, "", tc.order...)
			if !reflect.DeepEqual(fields(got), tc.want) {
				t.Errorf("order = %v, want %v", fields(got), tc.want)
			}
		})
	}
}
