package store_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm/schema"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// The GORM row structs must match the tables the migrations build, column for
// column, on both engines: a drift would fail at run time otherwise.
func TestRowStructsMatchMigratedSchema(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			s := assessmenttest.NewStore(t, e)
			db := s.Gorm()
			for _, row := range store.RowStructs {
				sch, err := schema.Parse(row, &sync.Map{}, db.NamingStrategy)
				if err != nil {
					t.Fatalf("parse %T: %v", row, err)
				}
				var fields []string
				for _, f := range sch.Fields {
					if f.DBName != "" {
						fields = append(fields, f.DBName)
					}
				}
				cols, err := db.Migrator().ColumnTypes(sch.Table)
				if err != nil {
					t.Fatalf("columns of %s: %v", sch.Table, err)
				}
				var columns []string
				for _, c := range cols {
					columns = append(columns, c.Name())
				}
				sort.Strings(fields)
				sort.Strings(columns)
				if !slices.Equal(fields, columns) {
					t.Errorf("%s: struct %T has %v, table has %v", sch.Table, row, fields, columns)
				}
			}
		})
	}
}

func TestOpenRefusesABadURL(t *testing.T) {
	t.Parallel()
	_, err := store.Open(context.Background(), store.Config{DatabaseURL: "mysql://nope"})
	if err == nil || !strings.Contains(err.Error(), "LEAD360_DATABASE_URL") {
		t.Fatalf("err = %v, want one naming LEAD360_DATABASE_URL", err)
	}
}

// The domain and the schema both refuse invalid states, with clear errors, on
// both engines.
func TestInvalidStatesAreRefused(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			svc := f.Service
			base := assessment.CycleDraft{OrganizationID: f.Org.ID, InstrumentID: f.Instrument.ID, Name: "Q1",
				OpensAt: f.Clock.Now(), ClosesAt: f.Clock.Now().AddDate(0, 0, 14)}

			bad := base
			bad.ClosesAt = base.OpensAt.Add(-time.Hour)
			_, err := svc.CreateCycle(ctx, bad)
			wantField(t, err, "closes_at", "close after it opens")

			bad = base
			bad.AnonymityThreshold = 2
			_, err = svc.CreateCycle(ctx, bad)
			wantField(t, err, "anonymity_threshold", "at least 3")

			// The schema refuses the same states when the domain is bypassed.
			st := f.Store
			raw := assessment.Cycle{OrganizationID: f.Org.ID, InstrumentID: f.Instrument.ID, Name: "raw",
				OpensAt: base.OpensAt, ClosesAt: base.OpensAt.Add(-time.Hour), AnonymityThreshold: 3, Status: assessment.StatusDraft}
			if err := st.CreateCycle(ctx, &raw); assessment.ErrorCode(err) != assessment.CodeInvalid {
				t.Errorf("schema accepted a cycle closing before it opens: %v", err)
			}
			raw = assessment.Cycle{OrganizationID: f.Org.ID, InstrumentID: f.Instrument.ID, Name: "raw2",
				OpensAt: base.OpensAt, ClosesAt: base.ClosesAt, AnonymityThreshold: 2, Status: assessment.StatusDraft}
			if err := st.CreateCycle(ctx, &raw); assessment.ErrorCode(err) != assessment.CodeInvalid {
				t.Errorf("schema accepted threshold 2: %v", err)
			}

			c := f.MustCreateCycle(t, "Spring")
			p, self := f.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			peer := f.MustAddRater(t, p.ID, "Ben Cho", "ben@example.com", assessment.Peer)

			_, err = svc.AddRater(ctx, f.Org.ID, p.ID, assessment.PersonInput{Name: "Ana", Email: "ANA@example.com"}, assessment.Peer)
			wantField(t, err, "email", "leader's own address")

			// Answers are refused before the cycle opens.
			r := assessment.Response{AssignmentID: peer.ID, Status: assessment.ResponseDraft, Answers: f.FullAnswers(4)}
			if err := svc.SaveAnswers(ctx, f.Org.ID, &r); assessment.ErrorCode(err) != assessment.CodeGone {
				t.Errorf("answers to a draft cycle: %v, want gone", err)
			}
			if _, err := svc.MoveCycle(ctx, f.Org.ID, c.ID, assessment.StatusReleased); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Errorf("draft -> released: %v, want conflict", err)
			}
			if _, err := svc.MoveCycle(ctx, f.Org.ID, c.ID, assessment.StatusOpen); err != nil {
				t.Fatal(err)
			}

			r = assessment.Response{AssignmentID: peer.ID, Status: assessment.ResponseSubmitted, Answers: f.FullAnswers(4)}
			r.Answers[0].Value = 6
			wantField(t, svc.SaveAnswers(ctx, f.Org.ID, &r), r.Answers[0].ItemKey, "from 1 to 5")

			r = assessment.Response{AssignmentID: peer.ID, Status: assessment.ResponseSubmitted, Answers: f.FullAnswers(4)[:3]}
			wantField(t, svc.SaveAnswers(ctx, f.Org.ID, &r), f.Instrument.Skills[0].Items[3].Key, "Choose an answer")

			// The schema refuses a value of 6 too.
			six := assessment.Response{OrganizationID: f.Org.ID, AssignmentID: self.ID, Status: assessment.ResponseDraft,
				Answers: []assessment.Answer{{ItemKey: "delegation.states_constraints", Value: 6}}}
			if err := st.SaveResponse(ctx, &six); assessment.ErrorCode(err) != assessment.CodeInvalid {
				t.Errorf("schema accepted a value of 6: %v", err)
			}

			first := assessment.Response{AssignmentID: peer.ID, Status: assessment.ResponseDraft, Answers: f.FullAnswers(4)}
			if err := svc.SaveAnswers(ctx, f.Org.ID, &first); err != nil {
				t.Fatal(err)
			}
			second := assessment.Response{AssignmentID: peer.ID, Status: assessment.ResponseDraft, Answers: f.FullAnswers(2)}
			if err := svc.SaveAnswers(ctx, f.Org.ID, &second); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Errorf("a second response for one assignment: %v, want conflict", err)
			}
			stale := first
			stale.Version = 1
			if err := svc.SaveAnswers(ctx, f.Org.ID, &first); err != nil {
				t.Fatalf("save with current version: %v", err)
			}
			if err := svc.SaveAnswers(ctx, f.Org.ID, &stale); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Errorf("stale version: %v, want conflict", err)
			}
			got, err := st.ResponseByAssignment(ctx, f.Org.ID, peer.ID)
			if err != nil || got.Version != 2 || len(got.Answers) != f.Instrument.ItemCount() {
				t.Fatalf("stored response: version %d, %d answers, err %v", got.Version, len(got.Answers), err)
			}
		})
	}
}

// A query with another organisation's id finds nothing: tenant scoping lives
// in the store, not in callers.
func TestOtherOrganisationsDataIsNotFound(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			c := f.MustCreateCycle(t, "Spring")
			other, err := f.Service.CreateOrganization(ctx, "Someone else")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Store.Cycle(ctx, other.ID, c.ID); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("cycle through another organisation: %v, want not found", err)
			}
			var de *assessment.Error
			if _, err := f.Service.MoveCycle(ctx, other.ID, c.ID, assessment.StatusOpen); !errors.As(err, &de) || de.Code != assessment.CodeNotFound {
				t.Fatalf("move through another organisation: %v", err)
			}
		})
	}
}

func TestDemoLoadsOnceWithTheStory(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			st := assessmenttest.NewStore(t, e)
			svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
			ctx := context.Background()
			first, err := svc.LoadDemo(ctx, "admin@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if first.AlreadyLoaded || first.AdminPassword == "" || first.Leaders != 12 {
				t.Fatalf("first load: %+v", first)
			}
			second, err := svc.LoadDemo(ctx, "admin@example.com")
			if err != nil || !second.AlreadyLoaded || second.CycleID != first.CycleID || second.OpenCycleID != first.OpenCycleID {
				t.Fatalf("second load: %+v, %v", second, err)
			}
			c, err := st.Cycle(ctx, first.OrganizationID, first.CycleID)
			if err != nil || c.Status != assessment.StatusClosed {
				t.Fatalf("demo cycle: %+v, %v", c, err)
			}
			ps, err := st.Participants(ctx, first.OrganizationID, c.ID)
			if err != nil || len(ps) != 12 {
				t.Fatalf("participants: %d, %v", len(ps), err)
			}
			// Every rater of both cycles was invited, as opening a cycle does,
			// so progress pages count answers of invitations: the closed cycle
			// all answered, the open one part way with two emails bounced.
			for _, want := range []struct {
				cycleID                    string
				status                     assessment.CycleStatus
				invited, submitted, failed int
			}{{first.CycleID, assessment.StatusClosed, 125, 125, 0}, {first.OpenCycleID, assessment.StatusOpen, 54, 35, 2}} {
				c, err := st.Cycle(ctx, first.OrganizationID, want.cycleID)
				if err != nil || c.Status != want.status {
					t.Fatalf("demo cycle %s: %+v, %v", want.cycleID, c, err)
				}
				counts, err := st.CycleGroupProgress(ctx, first.OrganizationID, want.cycleID)
				if err != nil {
					t.Fatal(err)
				}
				var got assessment.GroupCount
				for _, g := range counts {
					got.Assigned += g.Assigned
					got.Invited += g.Invited
					got.Submitted += g.Submitted
					got.Failed += g.Failed
				}
				if got.Assigned != want.invited || got.Invited != want.invited || got.Submitted != want.submitted || got.Failed != want.failed {
					t.Errorf("%s: %d assigned, %d invited, %d submitted, %d failed; want %d invited, %d submitted, %d failed",
						c.Name, got.Assigned, got.Invited, got.Submitted, got.Failed, want.invited, want.submitted, want.failed)
				}
			}
			u, err := st.UserByEmail(ctx, first.OrganizationID, "admin@example.com")
			if err != nil || !assessment.CheckPassword(u.PasswordHash, first.AdminPassword) {
				t.Fatalf("admin login does not match the printed password: %v", err)
			}
		})
	}
}

func wantField(t *testing.T, err error, field, fragment string) {
	t.Helper()
	var de *assessment.Error
	if !errors.As(err, &de) || de.Code != assessment.CodeInvalid {
		t.Errorf("err = %v, want an invalid error on %s", err, field)
		return
	}
	if msg := de.Fields[field]; !strings.Contains(msg, fragment) {
		t.Errorf("field %s: %q, want it to mention %q (all: %v)", field, msg, fragment, de.Fields)
	}
}
