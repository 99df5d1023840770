package api

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// cycleAdmin is an admin of the harness's organisation, signed in, with a
// job recorder on the store.
type cycleAdminSetup struct {
	h    *harness
	c    *client
	jobs *assessmenttest.JobTable
	csrf string
}

func newCycleAdmin(t *testing.T, h *harness) *cycleAdminSetup {
	t.Helper()
	jobs := h.fx.JobTable()
	h.user(h.fx.Org.ID, "hr@example.com", assessment.RoleAdmin)
	c := h.signedIn("hr@example.com")
	return &cycleAdminSetup{h: h, c: c, jobs: jobs, csrf: c.csrf()}
}

// post sends a form with the session's form token.
func (a *cycleAdminSetup) post(path string, form url.Values) *httptest.ResponseRecorder {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set(csrfField, a.csrf)
	return a.c.post(path, f)
}

// upload sends a multipart form with a CSV file.
func (a *cycleAdminSetup) upload(path, csv string) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField(csrfField, a.csrf)
	fw, _ := mw.CreateFormFile("file", "raters.csv")
	_, _ = fw.Write([]byte(csv))
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return a.c.send(req)
}

func wantStatus(t *testing.T, what string, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, rec.Code, want, rec.Body.String())
	}
}

func wantBody(t *testing.T, what string, rec *httptest.ResponseRecorder, parts ...string) {
	t.Helper()
	body := rec.Body.String()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s: the page does not say %q", what, p)
		}
	}
}

func validCycleForm(name string) url.Values {
	return url.Values{"name": {name}, "instrument": {""}, "opens_at": {"2026-03-02T10:00"}, "closes_at": {"2026-03-23T17:00"},
		"tz": {"Europe/Paris"}, "anonymity_threshold": {"3"}, "reminders": {"3, -2, -1"}, "rater_cap": {"8"}}
}

func TestCycleCreateAndEditKeepInputAndExplain(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		wantBody(t, "empty list", a.c.get("/cycles"), "No cycles yet — create one", `href="/cycles/new"`)
		// A new cycle starts on the short form; the full form is offered.
		wantBody(t, "new form", a.c.get("/cycles/new"),
			fmt.Sprintf(`<option value="%s" selected>Technical Leadership 360, short form: 20 behaviours, about 4 minutes (version 1)</option>`, h.fx.ShortForm.ID),
			fmt.Sprintf(`<option value="%s">Technical Leadership 360: 40 behaviours, about 10 minutes (version 1)</option>`, h.fx.Instrument.ID))

		bad := validCycleForm("")
		bad.Set("instrument", h.fx.Instrument.ID)
		bad.Set("anonymity_threshold", "2")
		bad.Set("closes_at", "2026-03-01T10:00")
		bad.Set("reminders", "3, soon")
		bad.Set("rater_cap", "0")
		bad.Set("leaders_nominate", "1")
		bad.Set("limit_peer_min", "5")
		bad.Set("limit_peer_max", "2")
		rec := a.post("/cycles/new", bad)
		wantStatus(t, "invalid cycle", rec, http.StatusUnprocessableEntity)
		wantBody(t, "invalid cycle", rec, "Enter a name for the cycle.", "List whole numbers of days", "3, soon",
			`value="2026-03-01T10:00"`, `value="Europe/Paris"`, `value="5"`)
		// The threshold and dates are checked by the domain once the
		// form's own problems are fixed.
		bad = validCycleForm("Spring")
		bad.Set("instrument", h.fx.Instrument.ID)
		bad.Set("anonymity_threshold", "2")
		bad.Set("closes_at", "2026-03-01T10:00")
		bad.Set("rater_cap", "0")
		bad.Set("leaders_nominate", "1")
		bad.Set("limit_peer_min", "5")
		bad.Set("limit_peer_max", "2")
		rec = a.post("/cycles/new", bad)
		wantStatus(t, "domain-invalid cycle", rec, http.StatusUnprocessableEntity)
		wantBody(t, "domain-invalid cycle", rec, "at least 3", "must close after it opens", "cannot be more than the maximum",
			"Enter a number from 1 to 100.", `value="Spring"`)
		// The summary lists the problems in the form's order, not by name.
		summary := rec.Body.String()
		var at []int
		for _, field := range []string{"closes_at", "anonymity_threshold", "rater_cap", "limit_peer"} {
			at = append(at, strings.Index(summary, `<a href="#`+field+`">`))
		}
		if !slices.IsSorted(at) || slices.Min(at) < 0 {
			t.Errorf("the error summary is not in the form's order (positions %v):\n%s", at, summary)
		}

		good := validCycleForm("Spring leads")
		good.Set("instrument", h.fx.Instrument.ID)
		rec = a.post("/cycles/new", good)
		wantStatus(t, "create", rec, http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cycles/")
		cy, err := h.fx.Store.Cycle(context.Background(), h.fx.Org.ID, id)
		if err != nil {
			t.Fatalf("created cycle %q: %v", loc, err)
		}
		// 10:00 in Paris in March is 09:00 UTC.
		if want := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC); !cy.OpensAt.Equal(want) {
			t.Errorf("opens at %v, want %v", cy.OpensAt, want)
		}
		wantBody(t, "list", a.c.get("/cycles"), "Spring leads", "Draft")
		// Creating a cycle is in the audit log under the admin's name, as
		// `lead360 cycle create` is under the operator's.
		wantBody(t, "audit", a.c.get("/audit"), "Created a cycle", `Created &#34;Spring leads&#34;: threshold 3`)
		wantBody(t, "cycle page", a.c.get(loc), "The cycle is created", "No leaders yet",
			"<dt>Questionnaire</dt><dd>Technical Leadership 360: 40 behaviours, about 10 minutes (version 1)</dd>")

		edit := good
		edit.Set("anonymity_threshold", "2")
		rec = a.post("/cycles/"+id+"/edit", edit)
		wantStatus(t, "invalid edit", rec, http.StatusUnprocessableEntity)
		wantBody(t, "invalid edit", rec, "The anonymity threshold must be at least 3.", `value="2"`)
		edit.Set("anonymity_threshold", "5")
		edit.Set("rater_cap", "4")
		edit.Set("leaders_nominate", "1")
		edit.Set("limit_peer_min", "3")
		edit.Set("limit_peer_max", "6")
		wantStatus(t, "edit", a.post("/cycles/"+id+"/edit", edit), http.StatusSeeOther)
		cy, cs, err := h.fx.Service.CycleWithSettings(context.Background(), h.fx.Org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if l, ok := cs.Limit(assessment.Peer); cy.AnonymityThreshold != 5 || cs.RaterCap != 4 || !cs.LeadersNominate || !ok || l.Min != 3 || l.Max != 6 {
			t.Errorf("after edit: threshold %d, settings %+v", cy.AnonymityThreshold, cs)
		}
		wantBody(t, "edit form", a.c.get("/cycles/"+id+"/edit"), `value="5"`, `value="6"`, "checked")
	})
}

const goodCSV = "\ufeffLeader_Email, leader_name ,rater_email,rater_name,relationship\r\n" +
	"ana@example.com,Ana Lima,ben@example.com,Ben Ode,direct report\r\n" +
	"ana@example.com,Ana Lima,cy@example.com,Cy Pan,Peer\r\n" +
	"ana@example.com,Ana Lima,dee@example.com,Dee Ray,manager\r\n" +
	"bo@example.com,Bo Ek,ben@example.com,Ben Ode,peer\r\n"

func TestCycleImportPreviewsThenSavesAllOrNothing(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		cy := h.fx.MustCreateCycle(t, "Import")
		path := "/cycles/" + cy.ID + "/import"
		wantStatus(t, "import page", a.c.get(path), http.StatusOK)

		bad := goodCSV + "bo@example.com,Bo Ek,bo@example.com,Bo Ek,peer\r\n"
		rec := a.upload(path, bad)
		wantStatus(t, "preview with a bad row", rec, http.StatusUnprocessableEntity)
		wantBody(t, "preview with a bad row", rec, "1 of 5 rows have problems", "A leader cannot rate themself as a peer")
		rec = a.post(path+"/confirm", url.Values{"csv": {bad}})
		wantStatus(t, "confirming a bad file", rec, http.StatusUnprocessableEntity)
		if o, _ := h.fx.Service.CycleOverview(context.Background(), h.fx.Org.ID, cy.ID); len(o.Leaders) != 0 {
			t.Fatalf("a file with a bad row saved %d leaders", len(o.Leaders))
		}

		rec = a.post(path, url.Values{"csv": {goodCSV}})
		wantStatus(t, "preview", rec, http.StatusOK)
		wantBody(t, "preview", rec, "All 4 rows can be imported, adding 2 new leaders", "Import all 4 rows",
			"2 leaders are invited with a group too small to show", "Bo Ek: peers 1 invited, fewer than 3 and too few to combine")
		rec = a.post(path+"/confirm", url.Values{"csv": {goodCSV}})
		wantStatus(t, "confirm", rec, http.StatusSeeOther)
		o, err := h.fx.Service.CycleOverview(context.Background(), h.fx.Org.ID, cy.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, l := range o.Leaders {
			got[l.Leader.Email] = len(l.Raters)
		}
		if got["ana@example.com"] != 4 || got["bo@example.com"] != 2 || len(got) != 2 {
			t.Errorf("imported raters per leader (self included): %v", got)
		}
		wantBody(t, "cycle page", a.c.get(rec.Header().Get("Location")), "Imported 2 new leaders and 4 raters.", "Ana Lima", "Direct reports")

		// The same file again: every rater is already assigned.
		rec = a.post(path, url.Values{"csv": {goodCSV}})
		wantStatus(t, "re-import", rec, http.StatusUnprocessableEntity)
		wantBody(t, "re-import", rec, "already rates this leader")

		// Over the cap: a warning, not a refusal.
		cs := assessment.DefaultCycleSettings(h.fx.Org.ID, cy.ID)
		cs.RaterCap = 2
		if err := h.fx.Store.SaveCycleSettings(context.Background(), &cs, h.fx.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		more := "leader_email,leader_name,rater_email,rater_name,relationship\ncat@example.com,Cat Ho,ben@example.com,Ben Ode,peer\n"
		rec = a.post(path, url.Values{"csv": {more}})
		wantStatus(t, "over the cap", rec, http.StatusOK)
		wantBody(t, "over the cap", rec, "Warning:", "ben@example.com (3)", "Import the row")
	})
}

// openedCycle is a cycle with two leaders, opened through the page.
func openedCycle(t *testing.T, h *harness, a *cycleAdminSetup) (assessment.Cycle, map[string]assessment.Assignment) {
	t.Helper()
	cy := h.fx.MustCreateCycle(t, "Run")
	ana, anaSelf := h.fx.MustAddLeader(t, cy.ID, "Ana Lima", "ana@example.com")
	bo, _ := h.fx.MustAddLeader(t, cy.ID, "Bo Ek", "bo@example.com")
	as := map[string]assessment.Assignment{"ana self": anaSelf,
		"ben->ana": h.fx.MustAddRater(t, ana.ID, "Ben Ode", "ben@example.com", assessment.Peer),
		"cy->ana":  h.fx.MustAddRater(t, ana.ID, "Cy Pan", "cy@example.com", assessment.Peer),
		"ben->bo":  h.fx.MustAddRater(t, bo.ID, "Ben Ode", "ben@example.com", assessment.DirectReport),
	}
	rec := a.post("/cycles/"+cy.ID+"/open", nil)
	wantStatus(t, "open, first step", rec, http.StatusOK)
	wantBody(t, "open, first step", rec, "Open Run now?", "5 surveys", "2 leaders are invited with a group too small to show",
		"Ana Lima: peers 2 invited, fewer than 3 and too few to combine: left out of every figure; fewer than 3 colleagues in all",
		"Bo Ek: direct reports 1 invited")
	if jobs := a.jobs.Take(a.h.t); len(jobs) != 0 {
		t.Fatalf("asking to confirm enqueued %d jobs", len(jobs))
	}
	wantStatus(t, "open", a.post("/cycles/"+cy.ID+"/open", url.Values{"confirm": {"1"}}), http.StatusSeeOther)
	return cy, as
}

func TestCycleOpenProgressRemindExtendClose(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		ctx := context.Background()
		cy, as := openedCycle(t, h, a)
		invites := 0
		for _, j := range a.jobs.Take(a.h.t) {
			if j.Args.(assessment.SurveyMailJob).Mail == assessment.MailInvitation {
				invites++
			}
		}
		// ana, bo, ben and cy: one email per person.
		if invites != 4 {
			t.Errorf("open queued %d invitation emails, want 4", invites)
		}

		// Cy submits; Ben's invitation email to Ana's survey bounces.
		r := &assessment.Response{AssignmentID: as["cy->ana"].ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(4)}
		if err := h.fx.Service.SaveAnswers(ctx, h.fx.Org.ID, r); err != nil {
			t.Fatal(err)
		}
		invs, err := h.fx.Store.RaterInvitations(ctx, h.fx.Org.ID, cy.ID, as["ben->ana"].PersonID)
		if err != nil || len(invs) != 2 {
			t.Fatalf("ben's invitations: %v (%d)", err, len(invs))
		}
		mark := assessment.InvitationMark{At: h.fx.Clock.Now(), Mail: assessment.MailInvitation, Failure: "550 no such mailbox"}
		if err := h.fx.Store.MarkInvitations(ctx, h.fx.Org.ID, []string{invs[0].Invitation.ID, invs[1].Invitation.ID}, mark); err != nil {
			t.Fatal(err)
		}

		rec := a.c.get("/cycles/" + cy.ID + "/progress")
		wantStatus(t, "progress", rec, http.StatusOK)
		// 5 invitations, 1 submitted; Ana's peers 1 of 2 with 1 failed.
		wantBody(t, "progress", rec, "20% (1 of 5)", "1 of 2 <span class=\"flag\">(1 failed)</span>", "550 no such mailbox", "Emails that failed",
			"Surveys submitted per day", "1 submitted over 1 day; the most on")
		if strings.Contains(rec.Body.String(), "Raters of Ana") {
			t.Error("the progress page lists raters one by one without being asked")
		}
		p, _ := h.fx.Store.Participant(ctx, h.fx.Org.ID, as["ana self"].ParticipantID)
		rec = a.c.get("/cycles/" + cy.ID + "/progress?leader=" + p.ID)
		wantBody(t, "raters of a leader", rec, "Raters of Ana Lima", "Cy Pan", "Submitted", "Email failed")

		// Remind now: everyone with a survey to submit, Cy (done) not.
		rec = a.post("/cycles/"+cy.ID+"/remind", url.Values{"round": {"0"}})
		wantStatus(t, "remind", rec, http.StatusSeeOther)
		people := map[string]bool{}
		for _, j := range a.jobs.Take(a.h.t) {
			args := j.Args.(assessment.SurveyMailJob)
			if args.Mail != assessment.MailReminder || args.Reminder != assessment.ManualReminderBase || !j.At.IsZero() {
				t.Errorf("remind now queued %+v", j)
			}
			people[args.PersonID] = true
		}
		if len(people) != 3 || people[as["cy->ana"].PersonID] {
			t.Errorf("reminded %d people (Cy among them: %v), want Ana, Bo and Ben", len(people), people[as["cy->ana"].PersonID])
		}
		// Ben's reminder lists his two surveys; a submitted one would drop out.
		m, err := h.fx.Service.SurveyMailFor(ctx, assessment.SurveyMailJob{Mail: assessment.MailReminder, OrganizationID: h.fx.Org.ID,
			CycleID: cy.ID, PersonID: as["cy->ana"].PersonID, Reminder: assessment.ManualReminderBase})
		if err != nil || len(m.Lines) != 0 {
			t.Errorf("Cy's reminder has %d lines (%v), want none", len(m.Lines), err)
		}
		wantStatus(t, "the same reminder again", a.post("/cycles/"+cy.ID+"/remind", url.Values{"round": {"0"}}), http.StatusConflict)
		if jobs := a.jobs.Take(a.h.t); len(jobs) != 0 {
			t.Errorf("a second click queued %d reminders", len(jobs))
		}

		// One leader's raters: Ana's, from the home page, without Cy (done)
		// and without Bo's raters; the same click again sends nothing.
		ana := as["ana self"].ParticipantID
		rec = a.post("/cycles/"+cy.ID+"/leaders/"+ana+"/remind", url.Values{"round": {"1"}, "from": {"home"}})
		wantStatus(t, "remind Ana's raters", rec, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != "/dashboard?n0=2&notice=reminded" {
			t.Errorf("remind Ana's raters went to %q", loc)
		}
		people = map[string]bool{}
		for _, j := range a.jobs.Take(a.h.t) {
			people[j.Args.(assessment.SurveyMailJob).PersonID] = true
		}
		if len(people) != 2 || !people[as["ana self"].PersonID] || !people[as["ben->ana"].PersonID] {
			t.Errorf("reminded %v, want Ana and Ben", people)
		}
		wantStatus(t, "Ana's reminder again", a.post("/cycles/"+cy.ID+"/leaders/"+ana+"/remind", url.Values{"round": {"1"}}), http.StatusConflict)
		other := h.fx.MustCreateCycle(t, "Other")
		stranger, _ := h.fx.MustAddLeader(t, other.ID, "Sam Else", "sam@example.com")
		wantStatus(t, "a leader of another cycle", a.post("/cycles/"+cy.ID+"/leaders/"+stranger.ID+"/remind", url.Values{"round": {"2"}}), http.StatusNotFound)
		rec = a.post("/cycles/"+cy.ID+"/leaders/"+ana+"/remind", url.Values{"round": {"2"}})
		if loc := rec.Header().Get("Location"); loc != "/cycles/"+cy.ID+"/progress?leader="+ana+"&n0=2&notice=reminded#raters" {
			t.Errorf("remind from the progress page went to %q", loc)
		}
		a.jobs.Take(a.h.t)

		// Extend: not earlier, then a week later.
		rec = a.post("/cycles/"+cy.ID+"/extend", url.Values{"closes_at": {"2026-03-10T12:00"}, "tz": {"UTC"}})
		wantStatus(t, "earlier close date", rec, http.StatusUnprocessableEntity)
		wantBody(t, "earlier close date", rec, "Choose a date after the current close date", `value="2026-03-10T12:00"`)
		newClose := cy.ClosesAt.AddDate(0, 0, 7)
		rec = a.post("/cycles/"+cy.ID+"/extend", url.Values{"closes_at": {newClose.Format("2006-01-02T15:04")}, "tz": {"UTC"}})
		wantStatus(t, "extend", rec, http.StatusSeeOther)
		got, _ := h.fx.Store.Cycle(ctx, h.fx.Org.ID, cy.ID)
		if !got.ClosesAt.Equal(newClose) {
			t.Errorf("closes at %v, want %v", got.ClosesAt, newClose)
		}
		// Days -2 and -1 before the new date, for the three people left.
		if jobs := a.jobs.Take(a.h.t); len(jobs) != 6 {
			t.Errorf("extension scheduled %d reminders, want 6", len(jobs))
		}

		// Close early: asked first, then closed, with the close date now.
		wantBody(t, "close, first step", a.post("/cycles/"+cy.ID+"/close", nil), "Close Run now?")
		h.fx.Clock.Set(h.fx.Clock.Now().Add(time.Hour))
		wantStatus(t, "close", a.post("/cycles/"+cy.ID+"/close", url.Values{"confirm": {"1"}}), http.StatusSeeOther)
		got, _ = h.fx.Store.Cycle(ctx, h.fx.Org.ID, cy.ID)
		if got.Status != assessment.StatusClosed || !got.ClosesAt.Equal(h.fx.Clock.Now()) {
			t.Errorf("after closing: %s, closes at %v", got.Status, got.ClosesAt)
		}
		wantStatus(t, "remind a closed cycle", a.post("/cycles/"+cy.ID+"/remind", url.Values{"round": {"1"}}), http.StatusConflict)
		wantStatus(t, "edit an open cycle", a.c.get("/cycles/"+cy.ID+"/edit"), http.StatusConflict)
	})
}

// The progress page lists 50 leaders a page, in the order of the whole
// list, while its cycle-wide figures cover every leader; a page number out
// of range or not a number shows the nearest page, never an error; a
// selected leader stays selected across pages and shows off their page.
func TestProgressPagesLeaders(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		ctx := context.Background()
		cy := h.fx.MustCreateCycle(t, "Large")
		leaders := map[string]assessment.Participant{}
		self := map[string]assessment.Assignment{}
		for i := 1; i <= 53; i++ {
			name := fmt.Sprintf("Leader %02d", i)
			leaders[name], self[name] = h.fx.MustAddLeader(t, cy.ID, name, fmt.Sprintf("l%02d@example.com", i))
		}
		h.fx.MustAddRater(t, leaders["Leader 53"].ID, "Pat Peer", "pat@example.com", assessment.Peer)
		if _, err := h.fx.Service.OpenCycle(ctx, h.fx.Org.ID, cy.ID, "", nil); err != nil {
			t.Fatal(err)
		}
		// Leaders 01 and 53 submit their self-assessment; Leader 52's
		// email bounces. Both of page 2's facts must show on page 1.
		for _, name := range []string{"Leader 01", "Leader 53"} {
			r := &assessment.Response{AssignmentID: self[name].ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(4)}
			if err := h.fx.Service.SaveAnswers(ctx, h.fx.Org.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		invs, err := h.fx.Store.RaterInvitations(ctx, h.fx.Org.ID, cy.ID, self["Leader 52"].PersonID)
		if err != nil || len(invs) != 1 {
			t.Fatalf("Leader 52's invitations: %v (%d)", err, len(invs))
		}
		mark := assessment.InvitationMark{At: h.fx.Clock.Now(), Mail: assessment.MailInvitation, Failure: "550 no such mailbox"}
		if err := h.fx.Store.MarkInvitations(ctx, h.fx.Org.ID, []string{invs[0].Invitation.ID}, mark); err != nil {
			t.Fatal(err)
		}

		base := "/cycles/" + cy.ID + "/progress"
		rows := func(rec *httptest.ResponseRecorder) []string {
			var names []string
			for _, part := range strings.Split(rec.Body.String(), `<th scope="row"><a href=`)[1:] {
				names = append(names, part[strings.Index(part, ">")+1:strings.Index(part, "</a>")])
			}
			return names
		}
		leaderRange := func(from, to int) []string {
			var out []string
			for i := from; i <= to; i++ {
				out = append(out, fmt.Sprintf("Leader %02d", i))
			}
			return out
		}
		// Whatever the page: 54 invitations, 2 submitted; self 2 of 53,
		// peers 0 of 1; Leader 52's failed email.
		cycleWide := []string{"3% (2 of 54)", "1</strong> email failed", "over all 53 leaders", `<th scope="row">All 53</th>`,
			"2 of 53 <span class=\"flag\">(1 failed)</span>", "0 of 1", "Emails that failed", "550 no such mailbox"}
		first := append([]string{`<nav class="pager" aria-label="Pages of leaders">`, "Page 1 of 2", "leaders 1 to 50 of 53",
			`<a href="` + base + `?page=2" rel="next">Next<span class="visually-hidden"> page of leaders</span></a>`}, cycleWide...)
		second := append([]string{`<nav class="pager" aria-label="Pages of leaders">`, "Page 2 of 2", "leaders 51 to 53 of 53",
			`<a href="` + base + `?page=1" rel="prev">Previous<span class="visually-hidden"> page of leaders</span></a>`}, cycleWide...)
		for _, tc := range []struct {
			query string
			want  []string
			names []string
		}{
			{"", first, leaderRange(1, 50)},
			{"?page=1", first, leaderRange(1, 50)},
			{"?page=2", second, leaderRange(51, 53)},
			{"?page=0", first, leaderRange(1, 50)},
			{"?page=-3", first, leaderRange(1, 50)},
			{"?page=999", second, leaderRange(51, 53)},
			{"?page=99999999999999999999999", second, leaderRange(51, 53)},
			{"?page=abc", first, leaderRange(1, 50)},
			{"?page=2.5", first, leaderRange(1, 50)},
		} {
			rec := a.c.get(base + tc.query)
			wantStatus(t, "progress"+tc.query, rec, http.StatusOK)
			wantBody(t, "progress"+tc.query, rec, tc.want...)
			if got := rows(rec); !slices.Equal(got, tc.names) {
				t.Errorf("progress%s lists %v, want %v", tc.query, got, tc.names)
			}
			if strings.Contains(rec.Body.String(), "Raters of") {
				t.Errorf("progress%s lists raters one by one without being asked", tc.query)
			}
		}
		rec := a.c.get(base + "?page=2")
		if body := rec.Body.String(); strings.Contains(body, `rel="next"`) || !strings.Contains(body, `href="`+base+`?leader=`+leaders["Leader 52"].ID+`&amp;page=2#raters"`) {
			t.Errorf("the last page links to a next page, or its leaders' links leave it:\n%s", body)
		}
		if strings.Contains(a.c.get(base).Body.String(), `rel="prev"`) {
			t.Error("the first page links to a previous page")
		}

		// A leader selected on page 2 keeps page 2, and paging keeps them.
		p52 := leaders["Leader 52"].ID
		rec = a.c.get(base + "?page=2&leader=" + p52)
		wantStatus(t, "leader on page 2", rec, http.StatusOK)
		wantBody(t, "leader on page 2", rec, "Raters of Leader 52", "Email failed: 550 no such mailbox", "Page 2 of 2",
			`<a href="`+base+`?leader=`+p52+`&amp;page=1" rel="prev">`)
		if got := rows(rec); !slices.Equal(got, leaderRange(51, 53)) {
			t.Errorf("leader on page 2 lists %v", got)
		}
		// Off the page asked for, the leader still shows.
		p53 := leaders["Leader 53"].ID
		rec = a.c.get(base + "?page=1&leader=" + p53)
		wantStatus(t, "leader off the page", rec, http.StatusOK)
		wantBody(t, "leader off the page", rec, "Raters of Leader 53", "Pat Peer", "Submitted", "Page 1 of 2",
			`<a href="`+base+`?leader=`+p53+`&amp;page=2" rel="next">`)
		if got := rows(rec); !slices.Equal(got, leaderRange(1, 50)) {
			t.Errorf("leader off the page lists %v", got)
		}
		// A leader of another cycle is not one of this cycle's.
		other := h.fx.MustCreateCycle(t, "Other")
		stranger, _ := h.fx.MustAddLeader(t, other.ID, "Sam Else", "sam@example.com")
		wantStatus(t, "leader of another cycle", a.c.get(base+"?leader="+stranger.ID), http.StatusNotFound)

		// Remind now comes back to the progress page.
		rec = a.post("/cycles/"+cy.ID+"/remind", url.Values{"round": {"0"}})
		wantStatus(t, "remind", rec, http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		if !strings.HasPrefix(loc, base+"?") {
			t.Fatalf("remind went to %q", loc)
		}
		wantStatus(t, "after remind", a.c.get(loc), http.StatusOK)
	})
}

func TestCycleRosterByHand(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		cy := h.fx.MustCreateCycle(t, "By hand")
		base := "/cycles/" + cy.ID
		rec := a.post(base+"/participants", url.Values{"name": {"Ana"}, "email": {"not an address"}})
		wantStatus(t, "bad leader", rec, http.StatusUnprocessableEntity)
		wantBody(t, "bad leader", rec, "Enter an email address like name@example.com.", `value="not an address"`)
		wantStatus(t, "leader", a.post(base+"/participants", url.Values{"name": {"Ana"}, "email": {"ana@example.com"}}), http.StatusSeeOther)
		rec = a.post(base+"/participants", url.Values{"name": {"Ana"}, "email": {"ana@example.com"}})
		wantStatus(t, "the same leader", rec, http.StatusConflict)
		wantBody(t, "the same leader", rec, "already a leader in this cycle")

		o, _ := h.fx.Service.CycleOverview(context.Background(), h.fx.Org.ID, cy.ID)
		pid := o.Leaders[0].Participant.ID
		rec = a.post(base+"/participants/"+pid+"/raters", url.Values{"name": {"Ana"}, "email": {"ana@example.com"}, "relationship": {"peer"}})
		wantStatus(t, "self as peer", rec, http.StatusUnprocessableEntity)
		wantBody(t, "self as peer", rec, "the leader&#39;s own address", "<details class=\"add-rater\" open>")
		wantStatus(t, "rater", a.post(base+"/participants/"+pid+"/raters", url.Values{"name": {"Ben"}, "email": {"ben@example.com"}, "relationship": {"peer"}}), http.StatusSeeOther)
		o, _ = h.fx.Service.CycleOverview(context.Background(), h.fx.Org.ID, cy.ID)
		if len(o.Leaders[0].Raters) != 2 {
			t.Fatalf("raters: %+v", o.Leaders[0].Raters)
		}
		self, peer := o.Leaders[0].Raters[0], o.Leaders[0].Raters[1]
		wantStatus(t, "remove self", a.post(base+"/participants/"+pid+"/raters/"+self.Assignment.ID+"/remove", nil), http.StatusConflict)
		wantStatus(t, "remove rater", a.post(base+"/participants/"+pid+"/raters/"+peer.Assignment.ID+"/remove", nil), http.StatusSeeOther)
		wantStatus(t, "remove leader", a.post(base+"/participants/"+pid+"/remove", nil), http.StatusSeeOther)
		o, _ = h.fx.Service.CycleOverview(context.Background(), h.fx.Org.ID, cy.ID)
		if len(o.Leaders) != 0 {
			t.Errorf("leaders left: %d", len(o.Leaders))
		}
		rec = a.post(base+"/open", url.Values{"confirm": {"1"}})
		wantStatus(t, "open without leaders", rec, http.StatusConflict)
		wantBody(t, "open without leaders", rec, "has no leaders yet")
	})
}

// The cycle page words its reminder schedule as people say it, with no
// minus signs and "1 day" in the singular.
func TestReminderScheduleWords(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		days []int
		want string
	}{
		{nil, "None"},
		{[]int{3, -2, -1}, "3 days after opening, 2 days before closing, 1 day before closing"},
		{[]int{1}, "1 day after opening"},
	} {
		if got := reminderSchedule(c.days); got != c.want {
			t.Errorf("reminderSchedule(%v) = %q, want %q", c.days, got, c.want)
		}
	}
}

// A draft can be deleted after a confirmation, with its leaders and raters,
// and the audit log keeps its name; an opened cycle cannot be deleted.
func TestDeleteDraftCycle(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		ctx := context.Background()
		cy := h.fx.MustCreateCycle(t, "Mistake")
		ana, _ := h.fx.MustAddLeader(t, cy.ID, "Ana Lima", "ana@example.com")
		h.fx.MustAddRater(t, ana.ID, "Ben Ode", "ben@example.com", assessment.Peer)
		rec := a.post("/cycles/"+cy.ID+"/delete", nil)
		wantStatus(t, "delete, first step", rec, http.StatusOK)
		wantBody(t, "delete, first step", rec, "Delete Mistake?", "1 leader and their raters")
		if _, err := h.fx.Store.Cycle(ctx, h.fx.Org.ID, cy.ID); err != nil {
			t.Fatalf("asking to confirm deleted the cycle: %v", err)
		}
		rec = a.post("/cycles/"+cy.ID+"/delete", url.Values{"confirm": {"1"}})
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/cycles?notice=deleted") {
			t.Fatalf("delete: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if _, err := h.fx.Store.Cycle(ctx, h.fx.Org.ID, cy.ID); assessment.ErrorCode(err) != assessment.CodeNotFound {
			t.Errorf("the deleted cycle is still there: %v", err)
		}
		if _, err := h.fx.Store.Participant(ctx, h.fx.Org.ID, ana.ID); assessment.ErrorCode(err) != assessment.CodeNotFound {
			t.Errorf("the deleted cycle's leader is still there: %v", err)
		}
		wantBody(t, "audit", a.c.get("/audit"), "Deleted a draft cycle", "Mistake")

		open, _ := openedCycle(t, h, a)
		rec = a.post("/cycles/"+open.ID+"/delete", url.Values{"confirm": {"1"}})
		wantStatus(t, "delete an open cycle", rec, http.StatusConflict)
		wantBody(t, "delete an open cycle", rec, "cannot be deleted")
	})
}
