package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
)

// "Copy this cycle", from an open cycle's page: the form offers the name
// with "(copy)", sends back what was typed with each problem next to its
// field, and makes a draft of the same leaders and raters, audited.
func TestCycleCopyFromTheCyclePage(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		src := h.fx.MustCreateCycle(t, "Spring leads")
		ana, _ := h.fx.MustAddLeader(t, src.ID, "Ana Lima", "ana@example.com")
		h.fx.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
		h.fx.MustAddRater(t, ana.ID, "Dee Ray", "dee@example.com", assessment.Manager)
		if _, err := h.fx.Service.OpenCycle(context.Background(), h.fx.Org.ID, src.ID, "", nil); err != nil {
			t.Fatal(err)
		}
		path := "/cycles/" + src.ID + "/copy"
		wantBody(t, "cycle page", a.c.get("/cycles/"+src.ID), `href="`+path+`">Copy this cycle</a>`)
		wantBody(t, "copy form", a.c.get(path), "Copy Spring leads", `value="Spring leads (copy)"`,
			"1 leader and 2 raters, self-assessments apart", "Nobody is invited until you open it")

		cases := []struct {
			name  string
			form  url.Values
			wants []string
		}{
			{name: "no name", form: url.Values{"name": {""}, "opens_at": {"2026-09-01T09:00"}, "closes_at": {"2026-09-20T17:00"}, "tz": {"Europe/Paris"}},
				wants: []string{"Enter a name for the copy.", `value="2026-09-01T09:00"`, `value="Europe/Paris"`}},
			{name: "not a date", form: url.Values{"name": {"Autumn"}, "opens_at": {"soon"}, "closes_at": {"2026-09-20T17:00"}},
				wants: []string{"Enter a date and time like 2026-03-31 17:00.", `value="soon"`, `value="Autumn"`}},
			{name: "closes before it opens", form: url.Values{"name": {"Autumn"}, "opens_at": {"2026-09-20T09:00"}, "closes_at": {"2026-09-01T17:00"}},
				wants: []string{"The cycle must close after it opens.", `value="2026-09-01T17:00"`, `aria-invalid="true"`}},
		}
		for _, tc := range cases {
			rec := a.post(path, tc.form)
			wantStatus(t, tc.name, rec, http.StatusUnprocessableEntity)
			wantBody(t, tc.name, rec, tc.wants...)
		}

		rec := a.post(path, url.Values{"name": {"Autumn leads"}, "opens_at": {"2026-09-01T09:00"}, "closes_at": {"2026-09-20T17:00"}, "tz": {"Europe/Paris"}})
		wantStatus(t, "copy", rec, http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cycles/")
		if id == src.ID {
			t.Fatalf("the copy went to the source's page %q", loc)
		}
		wantBody(t, "copy's page", a.c.get(loc), "Autumn leads", "Draft", "Leaders copied: 1; raters: 2.", "Ana Lima", "Cy Park", "Dee Ray")
		cy, err := h.fx.Store.Cycle(context.Background(), h.fx.Org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		// 09:00 in Paris in September is 07:00 UTC.
		if want := time.Date(2026, 9, 1, 7, 0, 0, 0, time.UTC); !cy.OpensAt.Equal(want) || cy.Status != assessment.StatusDraft {
			t.Errorf("copy opens at %v (%s), want %v, a draft", cy.OpensAt, cy.Status, want)
		}
		wantBody(t, "audit", a.c.get("/audit"), "Copied a cycle&#39;s leaders and raters",
			"&#34;Autumn leads&#34; copied from &#34;Spring leads&#34;: 1 leaders and 2 raters, nobody invited yet")
		// Another organisation's cycle is not found, and nothing is made.
		other := h.org("Globex of " + t.Name())
		theirs, err := h.fx.Service.CreateCycle(context.Background(), assessment.CycleDraft{OrganizationID: other.ID, InstrumentID: h.fx.Instrument.ID,
			Name: "Theirs", OpensAt: h.fx.Clock.Now(), ClosesAt: h.fx.Clock.Now().AddDate(0, 0, 21)})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "their copy form", a.c.get("/cycles/"+theirs.ID+"/copy"), http.StatusNotFound)
		wantStatus(t, "their copy", a.post("/cycles/"+theirs.ID+"/copy", url.Values{"name": {"Mine now"},
			"opens_at": {"2026-09-01T09:00"}, "closes_at": {"2026-09-20T17:00"}}), http.StatusNotFound)
		if cs, err := h.fx.Store.Cycles(context.Background(), h.fx.Org.ID); err != nil || len(cs) != 2 {
			t.Errorf("%d cycles after copying once (%v), want 2", len(cs), err)
		}
	})
}

// Copying says nothing about answers (TRUST.md rules 3 and 7): the copy
// form of an open cycle reads the same before and after a rater submits,
// whoever it is, and the copy made afterwards has nothing submitted and no
// results, so no view of the copy differs by one rater's answers.
func TestCycleCopyShowsNothingOfTheAnswers(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		ctx, org := context.Background(), h.fx.Org.ID
		a := newCycleAdmin(t, h)
		src := h.fx.MustCreateCycle(t, "Spring leads")
		ana, _ := h.fx.MustAddLeader(t, src.ID, "Ana Lima", "ana@example.com")
		cy := h.fx.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
		h.fx.MustAddRater(t, ana.ID, "Eli Roth", "eli@example.com", assessment.Peer)
		h.fx.MustAddRater(t, ana.ID, "Fay Wong", "fay@example.com", assessment.Peer)
		if _, err := h.fx.Service.OpenCycle(ctx, org, src.ID, "", nil); err != nil {
			t.Fatal(err)
		}
		path := "/cycles/" + src.ID + "/copy"
		before := a.c.get(path).Body.String()
		if err := h.fx.Service.SaveAnswers(ctx, org, &assessment.Response{AssignmentID: cy.ID, Status: assessment.ResponseSubmitted,
			Answers: h.fx.FullAnswers(2)}); err != nil {
			t.Fatalf("Cy submits: %v", err)
		}
		if after := a.c.get(path).Body.String(); after != before {
			t.Errorf("the copy form changed when one rater submitted:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		rec := a.post(path, url.Values{"name": {"Autumn leads"}, "opens_at": {"2026-09-01T09:00"}, "closes_at": {"2026-09-20T17:00"}})
		wantStatus(t, "copy", rec, http.StatusSeeOther)
		id := strings.TrimPrefix(strings.SplitN(rec.Header().Get("Location"), "?", 2)[0], "/cycles/")
		totals, err := h.fx.Store.GroupTotals(ctx, org, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range totals {
			if g.Invited != 0 || g.Submitted != 0 {
				t.Errorf("the copy's %s: %d invited, %d submitted; want none", g.Relationship, g.Invited, g.Submitted)
			}
		}
		wantStatus(t, "the copy's results", a.c.get("/cycles/"+id+"/results"), http.StatusConflict)
	})
}
