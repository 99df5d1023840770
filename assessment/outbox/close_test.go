package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// Closing a cycle erases the sealed copies of its survey tokens, whichever
// way it closes (early, on its date, by a direct move as the demo does):
// afterwards no column of any table holds them, while an open cycle's stay
// (the positive control of the search) and its links keep working. An old
// link of a closed cycle still answers like any closed survey.
func TestClosingACycleErasesItsSealedTokens(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng)
			ctx := context.Background()
			now := e.Clock.Now()
			paths := []struct {
				name  string
				close func(c assessment.Cycle) error
			}{
				{"early", func(c assessment.Cycle) error {
					_, err := e.Service.CloseCycleEarly(ctx, e.Org.ID, c.ID, "")
					return err
				}},
				{"moved", func(c assessment.Cycle) error {
					_, err := e.Service.MoveCycle(ctx, e.Org.ID, c.ID, assessment.StatusClosed)
					return err
				}},
				// The periodic close job's use case; TestPeriodicJobClosesDueCycles
				// runs the job itself.
				{"due", func(c assessment.Cycle) error {
					e.Clock.Set(c.ClosesAt.Add(time.Minute))
					_, err := e.Service.CloseDueCycles(ctx)
					return err
				}},
			}
			cycles := make([]assessment.Cycle, len(paths))
			for i, p := range paths {
				cycles[i] = cycleOfTwo(t, e, p.name, now.AddDate(0, 0, 14+i))
			}
			control := cycleOfTwo(t, e, "open", now.AddDate(0, 0, 60))
			e.smtp.WaitFor(2*len(cycles)+2, 30*time.Second)
			links := map[string][]string{}
			for to, msgs := range byRecipient(e.smtp.Messages()) {
				links[to] = e.SurveyTokens(msgs[0])
			}
			sealed := map[string][]string{}
			for _, c := range append(cycles, control) {
				if sealed[c.ID] = sealedTokens(t, e.st, c.ID); len(sealed[c.ID]) != 2 {
					t.Fatalf("%s: %d sealed tokens before close, want 2", c.Name, len(sealed[c.ID]))
				}
			}
			for i, p := range paths {
				if err := p.close(cycles[i]); err != nil {
					t.Fatalf("close %s: %v", p.name, err)
				}
				if where := assessmenttest.FindText(t, e.st, sealed[cycles[i].ID]); len(where) != 0 {
					t.Errorf("closed %s: its sealed tokens are still in %v", p.name, where)
				}
				if _, err := e.Service.Survey(ctx, links[p.name+".peer@example.com"][0]); assessment.ErrorCode(err) != assessment.CodeNotFound {
					t.Errorf("closed %s: the old link answers %v, want the closed survey's not found", p.name, err)
				}
			}
			if where := assessmenttest.FindText(t, e.st, sealed[control.ID]); len(where) != 1 || where[0] != "invitations.token_sealed" {
				t.Errorf("the open cycle's sealed tokens are in %v, want invitations.token_sealed", where)
			}
			if _, err := e.Service.Survey(ctx, links["open.peer@example.com"][0]); err != nil {
				t.Errorf("the open cycle's link: %v", err)
			}
			assertNoRawTokens(t, e.st, tokensIn(e.smtp.Messages()))
		})
	}
}

// cycleOfTwo opens a cycle named name, closing at closesAt, of one leader
// and one peer whose addresses start with name.
func cycleOfTwo(t *testing.T, e *env, name string, closesAt time.Time) assessment.Cycle {
	t.Helper()
	c, err := e.Service.CreateCycle(context.Background(), assessment.CycleDraft{OrganizationID: e.Org.ID, InstrumentID: e.Instrument.ID,
		Name: name, OpensAt: e.Clock.Now(), ClosesAt: closesAt})
	if err != nil {
		t.Fatal(err)
	}
	leader, _ := e.MustAddLeader(t, c.ID, "Leader "+name, name+".leader@example.com")
	e.MustAddRater(t, leader.ID, "Peer "+name, name+".peer@example.com", assessment.Peer)
	if _, err := e.Service.OpenCycle(context.Background(), e.Org.ID, c.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// sealedTokens lists the non-empty sealed tokens of the cycle's invitations.
func sealedTokens(t *testing.T, st *store.Store, cycleID string) []string {
	t.Helper()
	rows, err := st.DB().Query(`SELECT i.token_sealed FROM invitations i
JOIN rater_assignments a ON a.id = i.assignment_id JOIN participants p ON p.id = a.participant_id
WHERE p.cycle_id = $1 AND i.token_sealed <> ''`, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
