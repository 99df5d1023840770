package assessment_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// copySource is a cycle to copy: a short-form cycle with its own threshold,
// reminders and nomination limits, Ana rated by two peers and a manager,
// and Bo by one direct report.
func copySource(t *testing.T, f *assessmenttest.Fixture, reminders []int, open bool) assessment.Cycle {
	t.Helper()
	ctx := context.Background()
	now := f.Clock.Now()
	settings := assessment.DefaultCycleSettings(f.Org.ID, "")
	settings.LeadersNominate, settings.RaterCap = true, 6
	settings.GroupLimits = []assessment.GroupLimit{{Relationship: assessment.Peer, Min: 2, Max: 5}}
	c, err := f.Service.CreateCycleWithSettings(ctx, assessment.CycleInput{Settings: settings, Draft: assessment.CycleDraft{
		OrganizationID: f.Org.ID, InstrumentID: f.ShortForm.ID, Name: "Spring leads", OpensAt: now, ClosesAt: now.AddDate(0, 0, 14),
		AnonymityThreshold: 4, ReminderDays: reminders}})
	if err != nil {
		t.Fatalf("create the source: %v", err)
	}
	ana, _ := f.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
	f.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
	f.MustAddRater(t, ana.ID, "Eli Roth", "eli@example.com", assessment.Peer)
	f.MustAddRater(t, ana.ID, "Dee Ray", "dee@example.com", assessment.Manager)
	bo, _ := f.MustAddLeader(t, c.ID, "Bo Ek", "bo@example.com")
	f.MustAddRater(t, bo.ID, "Gus Lee", "gus@example.com", assessment.DirectReport)
	if open {
		if _, err := f.Service.OpenCycle(ctx, f.Org.ID, c.ID, "", nil); err != nil {
			t.Fatalf("open the source: %v", err)
		}
	}
	return c
}

// rosterLines is a roster as "leader: rater (relationship)" lines, by
// person, so two cycles of the same people compare equal.
func rosterLines(t *testing.T, f *assessmenttest.Fixture, cycleID string) []string {
	t.Helper()
	roster, err := f.Store.CycleRoster(context.Background(), f.Org.ID, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range roster {
		for _, r := range l.Raters {
			out = append(out, l.Leader.ID+": "+r.Person.ID+" ("+string(r.Assignment.Relationship)+")")
		}
	}
	slices.Sort(out)
	return out
}

// A copy is a new draft with the source's settings, questionnaire, leaders
// and raters, whatever the source's status, and none of its invitations;
// the source is left as it was.
func TestCopyCycleKeepsSettingsAndPeopleNotInvitations(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		reminders []int
		open      bool
	}{
		{name: "open source", reminders: []int{2, -1}, open: true},
		// No reminders stay none: not the default schedule.
		{name: "draft without reminders", reminders: []int{}},
	}
	for _, e := range assessmenttest.Engines(t) {
		for _, tc := range cases {
			t.Run(string(e.Name)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				f := assessmenttest.NewFixture(t, e)
				ctx := context.Background()
				src := copySource(t, f, tc.reminders, tc.open)
				opens := f.Clock.Now().AddDate(0, 6, 0)
				admin := assessment.User{OrganizationID: f.Org.ID, Email: "hr@example.com", Roles: []assessment.Role{assessment.RoleAdmin}, PasswordHash: "x", CreatedAt: f.Clock.Now()}
				if err := f.Store.CreateUser(ctx, &admin); err != nil {
					t.Fatal(err)
				}
				got, err := f.Service.CopyCycle(ctx, f.Org.ID, src.ID, assessment.CycleCopy{Name: "  Autumn leads ",
					OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 21), ActorUserID: admin.ID})
				if err != nil {
					t.Fatalf("copy: %v", err)
				}
				if got.Leaders != 2 || got.Raters != 4 {
					t.Errorf("copied %d leaders and %d raters, want 2 and 4", got.Leaders, got.Raters)
				}
				cp, cs, err := f.Service.CycleWithSettings(ctx, f.Org.ID, got.Cycle.ID)
				if err != nil {
					t.Fatal(err)
				}
				if cp.Name != "Autumn leads" || cp.Status != assessment.StatusDraft || !cp.OpensAt.Equal(opens) ||
					!cp.ClosesAt.Equal(opens.AddDate(0, 0, 21)) || cp.InstrumentID != f.ShortForm.ID ||
					cp.AnonymityThreshold != 4 || !slices.Equal(cp.ReminderDays, tc.reminders) {
					t.Errorf("copy %+v: want a draft of the short form, threshold 4, reminders %v, on the new dates", cp, tc.reminders)
				}
				if l, ok := cs.Limit(assessment.Peer); !cs.LeadersNominate || cs.RaterCap != 6 || !ok || l.Min != 2 || l.Max != 5 || cs.ReminderRounds != 0 {
					t.Errorf("copy's settings %+v, want the source's", cs)
				}
				if want, have := rosterLines(t, f, src.ID), rosterLines(t, f, cp.ID); !slices.Equal(want, have) {
					t.Errorf("copy's roster:\n%v\nwant the source's:\n%v", have, want)
				}
				invs, err := f.Store.CycleInvitations(ctx, f.Org.ID, cp.ID)
				if err != nil || len(invs) != 0 {
					t.Errorf("the copy has %d invitations (%v), want none", len(invs), err)
				}
				still, err := f.Store.Cycle(ctx, f.Org.ID, src.ID)
				if err != nil || still.Name != src.Name || (tc.open && still.Status != assessment.StatusOpen) {
					t.Errorf("source after the copy: %+v (%v)", still, err)
				}
				entries, err := f.Store.AuditEntries(ctx, f.Org.ID, 0, 10)
				if err != nil {
					t.Fatal(err)
				}
				var actions []string
				for _, en := range entries {
					if en.SubjectID == cp.ID && en.ActorUserID == admin.ID {
						actions = append(actions, en.Action+": "+en.Detail)
					}
				}
				wantCopy := `cycle.copy: "Autumn leads" copied from "Spring leads": 2 leaders and 4 raters, nobody invited yet`
				if !slices.Contains(actions, wantCopy) || len(actions) != 2 {
					t.Errorf("audit of the copy: %q, want its creation and %q", actions, wantCopy)
				}
			})
		}
	}
}

// failingAssignments is the store, failing the nth rater assignment added
// in any of its transactions.
type failingAssignments struct {
	assessment.Store
	left *int
}

func (s failingAssignments) InTx(ctx context.Context, fn func(tx assessment.Store) error) error {
	return s.Store.InTx(ctx, func(tx assessment.Store) error { return fn(failingAssignments{Store: tx, left: s.left}) })
}

func (s failingAssignments) AddAssignment(ctx context.Context, a *assessment.Assignment) error {
	if *s.left--; *s.left == 0 {
		return errors.New("disk full")
	}
	return s.Store.AddAssignment(ctx, a)
}

// A copy that cannot be made leaves nothing behind: no cycle, no leader,
// no audit entry. Names and dates are checked as on the create form.
func TestCopyCycleIsAllOrNothing(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			src := copySource(t, f, []int{2}, false)
			other, err := f.Service.CreateOrganization(ctx, "Globex")
			if err != nil {
				t.Fatal(err)
			}
			opens := f.Clock.Now().AddDate(0, 1, 0)
			good := assessment.CycleCopy{Name: "Autumn", OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 14)}
			third := 3
			failing := assessment.NewService(failingAssignments{Store: f.Store, left: &third}, assessmenttest.Tokens(), nil).WithClock(f.Clock.Now)
			cases := []struct {
				name   string
				svc    *assessment.Service
				org    string
				in     assessment.CycleCopy
				code   assessment.Code
				fields []string
			}{
				{name: "no name", org: f.Org.ID, in: assessment.CycleCopy{Name: " ", OpensAt: good.OpensAt, ClosesAt: good.ClosesAt},
					code: assessment.CodeInvalid, fields: []string{"name"}},
				{name: "closes before it opens", org: f.Org.ID, in: assessment.CycleCopy{Name: "Autumn", OpensAt: good.ClosesAt, ClosesAt: good.OpensAt},
					code: assessment.CodeInvalid, fields: []string{"closes_at"}},
				{name: "no dates", org: f.Org.ID, in: assessment.CycleCopy{Name: "Autumn"},
					code: assessment.CodeInvalid, fields: []string{"opens_at", "closes_at"}},
				{name: "another organisation's cycle", org: other.ID, in: good, code: assessment.CodeNotFound},
				{name: "a rater fails halfway", svc: failing, org: f.Org.ID, in: good},
			}
			before := cycleCount(t, f)
			audits, err := f.Store.AuditCount(ctx, f.Org.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range cases {
				svc := cmpOr(tc.svc, f.Service)
				_, err := svc.CopyCycle(ctx, tc.org, src.ID, tc.in)
				if err == nil || assessment.ErrorCode(err) != tc.code {
					t.Errorf("%s: %v, want an error coded %q", tc.name, err, tc.code)
					continue
				}
				var de *assessment.Error
				for _, field := range tc.fields {
					if !errors.As(err, &de) || de.Fields[field] == "" {
						t.Errorf("%s: %v has no message for %s", tc.name, err, field)
					}
				}
			}
			if n := cycleCount(t, f); n != before {
				t.Errorf("%d cycles after the failed copies, want %d", n, before)
			}
			if n, err := f.Store.AuditCount(ctx, f.Org.ID); err != nil || n != audits {
				t.Errorf("%d audit entries after the failed copies, want %d (%v)", n, audits, err)
			}
		})
	}
}

func cmpOr(s, fallback *assessment.Service) *assessment.Service {
	if s != nil {
		return s
	}
	return fallback
}

func cycleCount(t *testing.T, f *assessmenttest.Fixture) int {
	t.Helper()
	cs, err := f.Store.Cycles(context.Background(), f.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

// The name a copy is offered fits the form's 200 characters.
func TestCopyName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 200)
	for name, want := range map[string]string{
		"Spring leads": "Spring leads (copy)",
		long:           strings.Repeat("é", 193) + " (copy)",
	} {
		got := assessment.CopyName(name)
		if got != want || utf8.RuneCountInString(got) > 200 {
			t.Errorf("CopyName(%.20q…) = %.20q… (%d characters), want %.20q…", name, got, utf8.RuneCountInString(got), want)
		}
	}
}
