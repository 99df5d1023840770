package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest/ci"
)

// resultsCycle is a cycle whose leaders are each rated by a manager, three
// peers and one direct report (a group under k: never shown on its own),
// everyone answering. The direct report's comment must never appear.
type resultsCycle struct {
	cycle   assessment.Cycle
	leaders map[string]assessment.Participant // by leader email
}

const hiddenComment = "the only direct report says"

// managerComment is the manager's: shown under the manager's label, apart
// from the anonymous groups' comments.
const managerComment = "the manager says: hand over the release rota"

// leaderSpec is a leader of a resultsCycle and, optionally, the email of a
// person who is their manager (another leader, say).
type leaderSpec struct {
	email, manager string
}

// newResultsCycle builds an open cycle in the organisation, with answers
// from everyone; status moves it on (closed, released) with actor "".
func newResultsCycle(t testing.TB, h *harness, orgID, name string, status assessment.CycleStatus, leaders ...leaderSpec) resultsCycle {
	t.Helper()
	ctx := context.Background()
	svc, now := h.fx.Service, h.fx.Clock.Now()
	c, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: orgID, InstrumentID: h.fx.Instrument.ID, Name: name,
		OpensAt: now, ClosesAt: now.AddDate(0, 0, 21)})
	if err != nil {
		t.Fatalf("create cycle %s: %v", name, err)
	}
	rc := resultsCycle{cycle: c, leaders: map[string]assessment.Participant{}}
	type answer struct {
		a       assessment.Assignment
		value   int
		comment string
	}
	var answers []answer
	add := func(pid, email string, rel assessment.Relationship, value int, comment string) {
		t.Helper()
		a, err := svc.AddRater(ctx, orgID, pid, assessment.PersonInput{Name: "Rater " + email, Email: email}, rel)
		if err != nil {
			t.Fatalf("add rater %s: %v", email, err)
		}
		answers = append(answers, answer{a, value, comment})
	}
	for i, l := range leaders {
		p, err := svc.AddParticipant(ctx, orgID, c.ID, assessment.PersonInput{Name: "Leader " + l.email, Email: l.email})
		if err != nil {
			t.Fatalf("add leader %s: %v", l.email, err)
		}
		rc.leaders[l.email] = p
		self, err := h.fx.Store.Assignments(ctx, orgID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		answers = append(answers, answer{self[0], 5, "I want to grow."})
		manager := l.manager
		if manager == "" {
			manager = "manager" + string(rune('a'+i)) + "@example.com"
		}
		add(p.ID, manager, assessment.Manager, 3, managerComment)
		for j, v := range []int{4, 3, 2} {
			add(p.ID, "peer"+string(rune('a'+j))+string(rune('a'+i))+"@example.com", assessment.Peer, v, map[bool]string{true: "peers say keep going"}[j == 0])
		}
		add(p.ID, "direct"+string(rune('a'+i))+"@example.com", assessment.DirectReport, 1, hiddenComment)
	}
	if _, err := svc.MoveCycle(ctx, orgID, c.ID, assessment.StatusOpen); err != nil {
		t.Fatal(err)
	}
	for _, an := range answers {
		r := assessment.Response{AssignmentID: an.a.ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(an.value)}
		if an.comment != "" {
			r.Comments = []assessment.Comment{{QuestionKey: "delegation.keep_and_change", Body: an.comment}}
		}
		if err := svc.SaveAnswers(ctx, orgID, &r); err != nil {
			t.Fatalf("answers: %v", err)
		}
	}
	if status == assessment.StatusClosed || status == assessment.StatusReleased {
		if _, err := svc.MoveCycle(ctx, orgID, c.ID, assessment.StatusClosed); err != nil {
			t.Fatal(err)
		}
	}
	if status == assessment.StatusReleased {
		if _, err := svc.ReleaseCycle(ctx, orgID, c.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	rc.cycle, _ = h.fx.Store.Cycle(ctx, orgID, c.ID)
	return rc
}

// formWith is a form with the client's form token.
func (c *client) formWith(kv ...string) url.Values {
	f := url.Values{csrfField: {c.csrf()}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func resultsStatus(t *testing.T, what string, rec interface {
	Result() *http.Response
}, want int) string {
	t.Helper()
	res := rec.Result()
	body := new(bytes.Buffer)
	_, _ = body.ReadFrom(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s: %d, want %d\n%.2000s", what, res.StatusCode, want, body)
	}
	return body.String()
}

// Nothing before release, for admins and leaders alike; release only from
// closed, with a confirmation; afterwards each role sees exactly its own.
func TestResultsNotAvailableBeforeReleaseThenScoped(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		y := h.org("Org Y")
		h.user(x, "admin@example.com", assessment.RoleAdmin)
		h.user(y.ID, "admin-y@example.com", assessment.RoleAdmin)
		h.user(x, "ana@example.com", assessment.RoleLeader)
		h.user(x, "ben@example.com", assessment.RoleLeader)
		h.user(x, "cy@example.com", assessment.RoleLeader)
		// Ana is Ben's manager: she rates him, and still never sees his results.
		rc := newResultsCycle(t, h, x, "Spring", assessment.StatusOpen, leaderSpec{email: "ana@example.com"},
			leaderSpec{email: "ben@example.com", manager: "ana@example.com"})
		id, ana, ben := rc.cycle.ID, rc.leaders["ana@example.com"], rc.leaders["ben@example.com"]
		admin, adminY := h.signedIn("admin@example.com"), h.signedIn("admin-y@example.com")
		anaC, benC, cyC := h.signedIn("ana@example.com"), h.signedIn("ben@example.com"), h.signedIn("cy@example.com")

		before := map[string]*client{
			"/cycles/" + id + "/results":                           admin,
			"/cycles/" + id + "/results.csv":                       admin,
			"/cycles/" + id + "/leaders.csv":                       admin,
			"/cycles/" + id + "/results/" + ana.ID:                 admin,
			"/cycles/" + id + "/results/" + ana.ID + "/report.pdf": admin,
			"/me/cycles/" + id:                                     anaC,
			"/me/cycles/" + id + "/report.pdf":                     anaC,
			"/me/cycles/" + id + "/plan":                           anaC,
		}
		check := func(stage string) {
			for path, c := range before {
				body := resultsStatus(t, stage+" "+path, c.get(path), http.StatusConflict)
				if !strings.Contains(body, "not available yet") {
					t.Errorf("%s %s: no 'not available yet' message", stage, path)
				}
			}
		}
		check("open:")
		resultsStatus(t, "release an open cycle", admin.post("/cycles/"+id+"/release", admin.formWith("confirm", "1")), http.StatusConflict)
		if _, err := h.fx.Service.MoveCycle(context.Background(), x, id, assessment.StatusClosed); err != nil {
			t.Fatal(err)
		}
		check("closed:")
		if body := resultsStatus(t, "index of a closed cycle", admin.get("/cycles/"+id+"/results"), http.StatusConflict); !strings.Contains(body, `action="/cycles/`+id+`/release"`) {
			t.Errorf("a closed cycle's results page offers no release form")
		}
		resultsStatus(t, "release by a leader", anaC.post("/cycles/"+id+"/release", anaC.formWith("confirm", "1")), http.StatusForbidden)
		resultsStatus(t, "release by another organisation", adminY.post("/cycles/"+id+"/release", adminY.formWith("confirm", "1")), http.StatusNotFound)
		if body := resultsStatus(t, "release unconfirmed", admin.post("/cycles/"+id+"/release", admin.formWith()), http.StatusUnprocessableEntity); !strings.Contains(body, "Tick the box") {
			t.Errorf("unconfirmed release: no message next to the box")
		}
		rec := admin.post("/cycles/"+id+"/release", admin.formWith("confirm", "1"))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cycles/"+id+"/results" {
			t.Fatalf("release: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		resultsStatus(t, "release twice", admin.post("/cycles/"+id+"/release", admin.formWith("confirm", "1")), http.StatusConflict)

		index := resultsStatus(t, "index", admin.get("/cycles/"+id+"/results"), http.StatusOK)
		for _, p := range []assessment.Participant{ana, ben} {
			if !strings.Contains(index, "/cycles/"+id+"/results/"+p.ID) {
				t.Errorf("index does not link leader %s", p.ID)
			}
		}
		page := resultsStatus(t, "admin report page", admin.get("/cycles/"+id+"/results/"+ben.ID), http.StatusOK)
		if !strings.Contains(page, "Leader ben@example.com") || !strings.Contains(page, "<svg") || strings.Contains(page, hiddenComment) {
			t.Errorf("admin report page: name, chart or suppression wrong")
		}
		if !strings.Contains(page, "peers say keep going") {
			t.Errorf("admin report page: the peers' comment (3 raters) is missing")
		}
		resultsStatus(t, "other organisation's admin", adminY.get("/cycles/"+id+"/results/"+ana.ID), http.StatusNotFound)
		resultsStatus(t, "other organisation's admin, index", adminY.get("/cycles/"+id+"/results"), http.StatusNotFound)
		resultsStatus(t, "other organisation's admin, CSV", adminY.get("/cycles/"+id+"/results.csv"), http.StatusNotFound)
		resultsStatus(t, "other organisation's admin, table CSV", adminY.get("/cycles/"+id+"/leaders.csv"), http.StatusNotFound)
		resultsStatus(t, "leader, table CSV", anaC.get("/cycles/"+id+"/leaders.csv"), http.StatusForbidden)
		resultsStatus(t, "leader on the admin page of another leader", anaC.get("/cycles/"+id+"/results/"+ben.ID), http.StatusForbidden)
		resultsStatus(t, "leader not in the cycle", cyC.get("/me/cycles/"+id), http.StatusNotFound)
		resultsStatus(t, "a participant id of another cycle", admin.get("/cycles/"+id+"/results/"+ana.ID+"x"), http.StatusNotFound)

		own := resultsStatus(t, "Ana's own results", anaC.get("/me/cycles/"+id), http.StatusOK)
		if !strings.Contains(own, "Leader ana@example.com") && !strings.Contains(own, "Your 360") {
			t.Errorf("Ana's page does not show her results")
		}
		if strings.Contains(own, "ben@example.com") || strings.Contains(own, ben.ID) {
			t.Errorf("Ana's page mentions Ben, whom she manages")
		}
		if strings.Contains(own, hiddenComment) {
			t.Errorf("Ana's page shows the lone direct report's comment")
		}
		benOwn := resultsStatus(t, "Ben's own results", benC.get("/me/cycles/"+id), http.StatusOK)
		if strings.Contains(benOwn, ana.ID) {
			t.Errorf("Ben's page mentions Ana's participation")
		}
		home := resultsStatus(t, "Ana's cycles", anaC.get("/me"), http.StatusOK)
		if !strings.Contains(home, "/me/cycles/"+id) {
			t.Errorf("Ana's cycles do not link her results")
		}
	})
}

// The PDF is the command line's report, read back; the CSV never carries a
// figure of a suppressed group; release, views, downloads and exports are
// in the audit log.
func TestResultsPDFCSVAndAudit(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		h.user(x, "admin@example.com", assessment.RoleAdmin)
		h.user(x, "ana@example.com", assessment.RoleLeader)
		rc := newResultsCycle(t, h, x, "Autumn", assessment.StatusClosed, leaderSpec{email: "ana@example.com"}, leaderSpec{email: "ben@example.com"})
		id, ana := rc.cycle.ID, rc.leaders["ana@example.com"]
		admin, anaC := h.signedIn("admin@example.com"), h.signedIn("ana@example.com")
		if rec := admin.post("/cycles/"+id+"/release", admin.formWith("confirm", "1")); rec.Code != http.StatusSeeOther {
			t.Fatalf("release: %d", rec.Code)
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
		if focus == "" {
			t.Fatalf("no focus skill in the report: %+v", report.Leader.Focus)
		}
		for who, c := range map[string]*client{"admin": admin, "leader": anaC} {
			path := "/me/cycles/" + id + "/report.pdf"
			if who == "admin" {
				path = "/cycles/" + id + "/results/" + ana.ID + "/report.pdf"
			}
			rec := c.get(path)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s PDF: %d %s", who, rec.Code, rec.Header().Get("Content-Type"))
			}
			text := pdfText(t, rec.Body.Bytes())
			for _, want := range []string{"Leader ana@example.com", focus} {
				if !strings.Contains(text, want) {
					t.Errorf("%s PDF text lacks %q", who, want)
				}
			}
			if strings.Contains(text, hiddenComment) {
				t.Errorf("%s PDF shows the lone direct report's comment", who)
			}
			at := strings.LastIndex(text, "Your manager's comments")
			if at < 0 || !strings.Contains(text[at:], managerComment) || strings.Contains(text[:at], managerComment) {
				t.Errorf("%s PDF: the manager's comment is not (only) under the manager's label", who)
			}
		}
		rec := admin.get("/cycles/" + id + "/results.csv")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("CSV: %v (%d rows)", err, len(rows))
		}
		head := rows[0]
		col := func(name string) int {
			for i, h := range head {
				if h == name {
					return i
				}
			}
			t.Fatalf("CSV has no column %q: %v", name, head)
			return -1
		}
		group, n, mean := col("group"), col("n"), col("mean")
		sawDirect := false
		for _, r := range rows[1:] {
			if r[group] == "direct_report" {
				sawDirect = true
				if r[n] != "" || r[mean] != "" {
					t.Errorf("CSV shows a figure of a one-rater group: %v", r)
				}
			}
		}
		if !sawDirect {
			t.Errorf("CSV has no direct_report rows to check")
		}
		own := resultsStatus(t, "Ana's page", anaC.get("/me/cycles/"+id), http.StatusOK)
		label, peers, mgr := strings.Index(own, "<h3>Your manager</h3>"), strings.Index(own, "peers say keep going"), strings.Index(own, managerComment)
		if label < 0 || peers < 0 || peers > label || mgr < label || strings.Count(own, managerComment) != 1 {
			t.Errorf("Ana's page: the manager's comment is not apart under %q (label at %d, peers' comment at %d, manager's at %d)", "Your manager", label, peers, mgr)
		}

		entries, _, _, err := h.fx.Service.AuditPage(context.Background(), x, 1, 50)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		want := map[string]int{assessment.ActionCycleRelease: 1, assessment.ActionReportDownload: 2,
			assessment.ActionResultsExport: 1, assessment.ActionReportView: 1}
		for action, n := range want {
			if count[action] != n {
				t.Errorf("audit %s: %d entries, want %d (all: %v)", action, count[action], n, count)
			}
		}
		page := resultsStatus(t, "audit page", admin.get("/audit"), http.StatusOK)
		for _, words := range []string{"Released results", "Downloaded a report (PDF)", "Exported results", "Viewed a report", "<time datetime="} {
			if !strings.Contains(page, words) {
				t.Errorf("audit page lacks %q", words)
			}
		}
		for _, odd := range []string{"0", "abc", "-3", "99999999999999999999", "500"} {
			if body := resultsStatus(t, "audit page "+odd, admin.get("/audit?page="+odd), http.StatusOK); !strings.Contains(body, "Released results") {
				t.Errorf("audit page %s does not show the nearest page", odd)
			}
		}
		if body := resultsStatus(t, "audit page 2 of one", admin.get("/audit?page=2"), http.StatusOK); strings.Contains(body, "Newer entries") {
			t.Errorf("page 2 of a one-page log is not clamped to page 1")
		}
		for i := range auditPageSize {
			if err := h.fx.Service.Record(context.Background(), x, "", "test.entry", "", "", strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
		}
		if body := resultsStatus(t, "audit page 2", admin.get("/audit?page=2"), http.StatusOK); !strings.Contains(body, "Newer entries") || strings.Contains(body, "Older entries") {
			t.Errorf("page 2 of two links no newer page, or an older one")
		}
		if body := resultsStatus(t, "audit page 9", admin.get("/audit?page=9"), http.StatusOK); !strings.Contains(body, "Newer entries") {
			t.Errorf("page 9 of two does not show the last page")
		}
	})
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		ci.Missing(t, "pdftotext is not installed (apt-get install -y poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// The action plan: the focus skill preselected, input kept on errors,
// saved, and edited in place.
func TestActionPlan(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		h.user(x, "ana@example.com", assessment.RoleLeader)
		rc := newResultsCycle(t, h, x, "Plan", assessment.StatusReleased, leaderSpec{email: "ana@example.com"})
		id := rc.cycle.ID
		ana := h.signedIn("ana@example.com")
		report, err := h.fx.Service.ParticipantReport(context.Background(), x, id, rc.leaders["ana@example.com"].ID)
		if err != nil {
			t.Fatal(err)
		}
		path := "/me/cycles/" + id + "/plan"
		page := resultsStatus(t, "plan form", ana.get(path), http.StatusOK)
		if !strings.Contains(page, `value="`+report.Leader.Focus.Skill+`" selected`) {
			t.Errorf("the focus skill %q is not preselected", report.Leader.Focus.Skill)
		}
		results := resultsStatus(t, "results page", ana.get("/me/cycles/"+id), http.StatusOK)
		if !strings.Contains(results, html.EscapeString(report.Leader.Focus.Evidence)) {
			t.Errorf("the results page lacks the focus's evidence %q", report.Leader.Focus.Evidence)
		}
		checkIdeas(t, "plan form", page, report)
		checkIdeas(t, "results page", results, report)
		bad := resultsStatus(t, "incomplete plan", ana.post(path, ana.formWith("skill", "delegation", "behaviour", "Ask before I answer",
			"check_in_date", "2020-01-01")), http.StatusUnprocessableEntity)
		for _, want := range []string{"Ask before I answer", "Enter the next situation", "Choose today or a later date", `value="2020-01-01"`} {
			if !strings.Contains(bad, want) {
				t.Errorf("incomplete plan page lacks %q", want)
			}
		}
		resultsStatus(t, "unknown skill", ana.post(path, ana.formWith("skill", "juggling", "behaviour", "b", "situation", "s",
			"feedback_from", "f", "check_in_date", "2026-04-20")), http.StatusUnprocessableEntity)
		save := func(behaviour string) {
			t.Helper()
			rec := ana.post(path, ana.formWith("skill", "coaching", "behaviour", behaviour, "situation", "Monday's planning",
				"feedback_from", "Sam: did I ask before telling?", "check_in_date", "2026-04-20"))
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("save plan: %d\n%s", rec.Code, rec.Body)
			}
		}
		save("Ask a question before giving advice")
		saved := resultsStatus(t, "saved plan", ana.get(path+"?saved=1"), http.StatusOK)
		for _, want := range []string{"Ask a question before giving advice", `value="coaching" selected`, `value="2026-04-20"`, "is saved"} {
			if !strings.Contains(saved, want) {
				t.Errorf("saved plan page lacks %q", want)
			}
		}
		save("Ask two questions before giving advice")
		plan, found, err := h.fx.Service.ActionPlanOf(context.Background(), x, rc.leaders["ana@example.com"].ID)
		if err != nil || !found || plan.Behaviour != "Ask two questions before giving advice" || plan.CheckInDate.Format("2006-01-02") != "2026-04-20" {
			t.Fatalf("edited plan = %+v, %v, %v", plan, found, err)
		}
	})
}

// checkIdeas: a page offers the focus skill's ideas aimed at the leader's
// lowest-rated behaviours first, and none for a behaviour among their
// highest-rated items.
func checkIdeas(t *testing.T, what, page string, r assessment.LeaderReport) {
	t.Helper()
	sg, ok := r.Suggestions.For(r.Leader.Focus.Skill)
	if !ok {
		t.Fatalf("no suggestions for the focus skill %q", r.Leader.Focus.Skill)
	}
	ideas := sg.IdeasFor(&r.Leader)
	if len(ideas) == 0 {
		t.Fatalf("%s: no ideas for the focus skill", what)
	}
	offered := map[string]bool{}
	at := 0
	for _, idea := range ideas {
		offered[idea.Title] = true
		i := strings.Index(page[at:], html.EscapeString(idea.Title))
		if i < 0 {
			t.Fatalf("%s: idea %q missing or out of order", what, idea.Title)
		}
		at += i
	}
	for _, b := range sg.Behaviours {
		if !offered[b.Title] && strings.Contains(page, html.EscapeString(b.Title)) {
			t.Errorf("%s offers %q, an idea for a behaviour colleagues rate among the highest", what, b.Title)
		}
	}
}

// The organisation view shows the reports' own figures: every heatmap cell
// is the leader's all-colleagues mean as their report shows it, or "not
// shown"; with nothing released it says what to do.
func TestOrganisationView(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		h.user(x, "admin@example.com", assessment.RoleAdmin)
		admin := h.signedIn("admin@example.com")
		if body := resultsStatus(t, "empty org view", admin.get("/org"), http.StatusOK); !strings.Contains(body, "No released results yet") {
			t.Errorf("empty org view has no empty state")
		}
		rc := newResultsCycle(t, h, x, "Org", assessment.StatusReleased, leaderSpec{email: "ana@example.com"}, leaderSpec{email: "ben@example.com"})
		ov, err := h.fx.Service.OrganizationView(context.Background(), x, assessment.OrgQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if ov.Cycle.ID != rc.cycle.ID || len(ov.Rows) != 2 || len(ov.Skills) != 5 {
			t.Fatalf("org view: cycle %s, %d rows, %d skills", ov.Cycle.ID, len(ov.Rows), len(ov.Skills))
		}
		focusTotal := ov.NoFocus
		for _, f := range ov.Focus {
			focusTotal += f.Count
		}
		if focusTotal != 2 {
			t.Errorf("focus counts add up to %d leaders, want 2", focusTotal)
		}
		for _, row := range ov.Rows {
			r, err := h.fx.Service.ParticipantReport(context.Background(), x, rc.cycle.ID, row.ParticipantID)
			if err != nil {
				t.Fatal(err)
			}
			for j, sk := range r.Leader.Skills {
				if got, want := row.Others[j], sk.AllOthers.Mean; got.Available() != want.Available() || (got.Available() && got.Value != want.Value) {
					t.Errorf("%s %s: heatmap %+v, report %+v", row.Name, sk.Skill, got, want)
				}
			}
		}
		body := resultsStatus(t, "org view", admin.get("/org"), http.StatusOK)
		for _, want := range []string{"Leader ana@example.com", "Most common focus skills", `<table class="data heatmap">`} {
			if !strings.Contains(body, want) {
				t.Errorf("org view lacks %q", want)
			}
		}
		resultsStatus(t, "org view of an unknown cycle", admin.get("/org?cycle=nope"), http.StatusNotFound)
	})
}
