package assessment

import "testing"

// A small cycle is one job per leader, so every worker takes a share; a
// large one puts a fiftieth of the cycle in a job, at most twenty, so the
// cohort's statistics are decoded once for several leaders.
func TestLeadersPerJob(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ total, want int }{
		{0, 1}, {1, 1}, {12, 1}, {99, 1}, {100, 2}, {120, 2}, {1000, 20}, {5000, 20},
	} {
		if got := leadersPerJob(tc.total); got != tc.want {
			t.Errorf("leadersPerJob(%d) = %d, want %d", tc.total, got, tc.want)
		}
	}
}
