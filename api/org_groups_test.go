package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// The organisation view grouped by department shows each department of at
// least three leaders with its averages and focus skills, says how many
// smaller ones it leaves out, and a filter to a department of one leader
// shows no figure at all; sorting keeps the grouping and the filter.
func TestOrgPageGroupsAndFilters(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		departments := []string{"Platform", "Platform", "Platform", "Data", "Data", "Data", "Data", "Tiny"}
		cohort := h.fx.ReleasedCohort(t, assessmenttest.Cohort{Leaders: len(departments), Place: func(i int) assessment.Placement {
			return assessment.Placement{Department: departments[i], ManagerEmail: fmt.Sprintf("head%d@example.com", i%2)}
		}})
		h.user(h.fx.Org.ID, "hr@example.com", assessment.RoleAdmin)
		admin := h.signedIn("hr@example.com")

		grouped := resultsStatus(t, "grouped", admin.get("/org?group=department&cycle="+cohort.ID), http.StatusOK)
		for _, want := range []string{
			`<h2 id="groups-title">By department</h2>`,
			`<th scope="row">Data</th><td class="num">4</td>`,
			`<th scope="row">Platform</th><td class="num">3</td>`,
			"1 department with fewer than 3 leaders is not shown on its own",
			`<option value="Data">Data (4 leaders)</option>`,
			`href="?cycle=` + cohort.ID + `&amp;group=department&amp;sort=delegation"`,
		} {
			if !strings.Contains(grouped, want) {
				t.Errorf("grouped page lacks %q", want)
			}
		}
		if strings.Contains(grouped, `<th scope="row">Tiny</th>`) || strings.Contains(grouped, `value="Tiny"`) {
			t.Error("a department of one leader is shown or offered")
		}

		tiny := resultsStatus(t, "too few", admin.get("/org?department=Tiny&cycle="+cohort.ID), http.StatusOK)
		if !strings.Contains(tiny, "Fewer than 3 leaders match this selection") || strings.Contains(tiny, "Leader 0007") {
			t.Errorf("a filter to one leader shows their figures:\n%s", tiny)
		}
		data := resultsStatus(t, "one department", admin.get("/org?department=Data&cycle="+cohort.ID), http.StatusOK)
		if !strings.Contains(data, "Average of these 4 leaders") || strings.Contains(data, "Leader 0000") || !strings.Contains(data, "Leader 0003") {
			t.Errorf("the Data department's page shows other leaders or no average")
		}
	})
}
