package api

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// The results index is a table of every leader: raters per group as their
// report counts them, the focus skill, blind spots, and whether the leader
// opened the report (an admin opening it does not count) and started an
// action plan; every column sorts both ways, and the CSV holds the same
// cells and is recorded in the audit log.
func TestResultsTable(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		h.user(x, "admin@example.com", assessment.RoleAdmin)
		h.user(x, "ana@example.com", assessment.RoleLeader)
		h.user(x, "ben@example.com", assessment.RoleLeader)
		rc := newResultsCycle(t, h, x, "Summer", assessment.StatusReleased, leaderSpec{email: "ana@example.com"}, leaderSpec{email: "ben@example.com"})
		id, ana, ben := rc.cycle.ID, rc.leaders["ana@example.com"], rc.leaders["ben@example.com"]
		admin, anaC := h.signedIn("admin@example.com"), h.signedIn("ana@example.com")
		resultsStatus(t, "Ana opens her report", anaC.get("/me/cycles/"+id), http.StatusOK)
		resultsStatus(t, "the admin opens Ben's", admin.get("/cycles/"+id+"/results/"+ben.ID), http.StatusOK)
		if rec := anaC.post("/me/cycles/"+id+"/plan", anaC.formWith("skill", "coaching", "behaviour", "Ask first", "situation", "Planning",
			"feedback_from", "Sam", "check_in_date", "2026-04-20")); rec.Code != http.StatusSeeOther {
			t.Fatalf("save plan: %d", rec.Code)
		}
		report, err := h.fx.Service.ParticipantReport(context.Background(), x, id, ana.ID)
		if err != nil {
			t.Fatal(err)
		}
		focus := ""
		for _, s := range report.Instrument.Skills {
			if s.Key == report.Leader.Focus.Skill {
				focus = s.Name
			}
		}

		// Her home says the same: the focus skill and that her plan is started.
		home := visibleText(resultsStatus(t, "Ana's home", anaC.get("/dashboard"), http.StatusOK))
		if !strings.Contains(home, "Your report suggests "+focus+" as the skill to work on first. Action plan: started.") {
			t.Errorf("Ana's home lacks her focus and plan:\n%s", home)
		}

		// Each leader: a manager, 3 peers shown, one direct report too few
		// to show (no report shows direct reports, so no column), 4
		// colleagues in all.
		page := resultsStatus(t, "index", admin.get("/cycles/"+id+"/results"), http.StatusOK)
		cells := regexp.MustCompile(`(?s)<th scope="row">Leader (\w+)@example.com</th>(.*?)</tr>`)
		rows := map[string]string{}
		for _, m := range cells.FindAllStringSubmatch(page, -1) {
			rows[m[1]] = visibleText(m[2])
		}
		wantAna := "1 3 4 " + focus + " "
		if !strings.HasPrefix(rows["ana"], wantAna) || !strings.Contains(rows["ana"], "Yes Started") {
			t.Errorf("Ana's row is %q, want it to start %q and say she viewed it and started a plan", rows["ana"], wantAna)
		}
		if !strings.Contains(rows["ben"], "No No") {
			t.Errorf("Ben's row is %q: only his own view counts as viewed, and he has no plan", rows["ben"])
		}
		order := func(query string) []string {
			t.Helper()
			var names []string
			for _, m := range cells.FindAllStringSubmatch(resultsStatus(t, query, admin.get("/cycles/"+id+"/results"+query), http.StatusOK), -1) {
				names = append(names, m[1])
			}
			return names
		}
		if got := strings.Join(order("?sort=viewed&order=desc"), ","); got != "ana,ben" {
			t.Errorf("sorted by viewed, descending: %s", got)
		}
		if got := strings.Join(order("?sort=leader&order=desc"), ","); got != "ben,ana" {
			t.Errorf("sorted by name, descending: %s", got)
		}
		if got := strings.Join(order("?sort=nonsense"), ","); got != "ana,ben" {
			t.Errorf("an unknown column sorts by name: %s", got)
		}
		if !strings.Contains(page, `aria-sort="ascending"`) {
			t.Errorf("the sorted column is not marked for screen readers")
		}

		rec := admin.get("/cycles/" + id + "/leaders.csv")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("table CSV: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		recs, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil || len(recs) != 3 {
			t.Fatalf("table CSV: %v, %d records", err, len(recs))
		}
		if got := strings.Join(recs[0], "|"); got != "Leader|Manager|Peers|All colleagues|Focus skill|Blind spots|Viewed by the leader|Action plan" {
			t.Errorf("table CSV header: %s", got)
		}
		if got := strings.Join(recs[1], "|"); !strings.HasPrefix(got, "Leader ana@example.com|1|3|4|"+focus+"|") || !strings.HasSuffix(got, "|Yes|Started") {
			t.Errorf("table CSV, Ana: %s", got)
		}
		entries, _, _, err := h.fx.Service.AuditPage(context.Background(), x, 1, 50)
		if err != nil {
			t.Fatal(err)
		}
		exported := 0
		for _, e := range entries {
			if e.Action == assessment.ActionResultsExport && strings.Contains(e.Detail, "results table") {
				exported++
			}
		}
		if exported != 1 {
			t.Errorf("%d audit entries for the table CSV, want 1", exported)
		}
	})
}
