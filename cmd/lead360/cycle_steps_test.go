package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// Each step refuses a cycle in the wrong state, with the domain's reason
// and exit status 1; a release whose excluded answers push a group below
// the threshold lists what they change and needs the code it printed, as
// the dashboard needs its box ticked.
func TestCycleStepsRefuseTheWrongStateAndConfirmExclusions(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			vars["LEAD360_SECRET_KEY"], vars["LEAD360_LOG_LEVEL"] = testSecretKey, "error"
			st, c := draftCycle(t, vars, 3)
			svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
			tests := []struct {
				name string
				args []string
				code int
				says string
			}{
				{"close a draft", []string{"cycle", "close", "--cycle", c.ID}, exitFailure, `cycle "Spring" is draft`},
				{"release a draft", []string{"cycle", "release", "--cycle", c.ID}, exitFailure, "only a closed cycle can be released"},
				{"open", []string{"cycle", "open", "--cycle", c.ID}, exitOK, ""},
				{"open again", []string{"cycle", "open", "--cycle", c.ID}, exitFailure, `cycle "Spring" is open`},
				{"release an open cycle", []string{"cycle", "release", "--cycle", c.ID}, exitFailure, "only a closed cycle can be released"},
			}
			for _, tc := range tests {
				if _, errOut, code := runCLI(t, vars, tc.args...); code != tc.code || !strings.Contains(errOut, tc.says) {
					t.Fatalf("%s: exit %d, want %d saying %q:\n%s", tc.name, code, tc.code, tc.says, errOut)
				}
			}
			answerAllBut(t, st, svc, c.OrganizationID, c.ID, "")
			if _, errOut, code := runCLI(t, vars, "cycle", "close", "--cycle", c.ID); code != exitOK {
				t.Fatalf("cycle close: %s", errOut)
			}
			excludeOnePeer(t, svc, c)

			_, errOut, code := runCLI(t, vars, "cycle", "release", "--cycle", c.ID)
			m := regexp.MustCompile(`--confirm-exclusions ([0-9a-f]+)`).FindStringSubmatch(errOut)
			if code != exitFailure || m == nil || !strings.Contains(errOut, "Ana Lima: peers fall from 3 to 2 and will be pooled or left out") {
				t.Fatalf("release with an unconfirmed exclusion: exit %d:\n%s", code, errOut)
			}
			if _, errOut, code := runCLI(t, vars, "cycle", "release", "--cycle", c.ID, "--confirm-exclusions", "0123"); code != exitFailure ||
				!strings.Contains(errOut, "that code does not match") || !strings.Contains(errOut, m[0]) {
				t.Fatalf("release with a wrong code: exit %d:\n%s", code, errOut)
			}
			out, errOut, code := runCLI(t, vars, "cycle", "release", "--cycle", c.ID, "--confirm-exclusions", m[1], "--json")
			if got := decode[cycleJSON](t, out); code != exitOK || got.Status != "released" {
				t.Fatalf("release with the code: exit %d, %+v:\n%s", code, got, errOut)
			}
			for _, x := range []struct{ action, command string }{
				{assessment.ActionCycleOpen, "cycle open"}, {"cycle.close_early", "cycle close"},
				{assessment.ActionExclusionsSeen, "cycle release"}, {assessment.ActionCycleRelease, "cycle release"},
			} {
				checkOperatorEntry(t, auditOf(t, st, c.OrganizationID, x.action, c.ID), x.command)
			}
		})
	}
}

// excludeOnePeer excludes the answers of one of the cycle's peers, as HR
// does from the invitations page.
func excludeOnePeer(t *testing.T, svc *assessment.Service, c assessment.Cycle) {
	t.Helper()
	ctx := context.Background()
	_, invs, err := svc.CycleInvitations(ctx, c.OrganizationID, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.Assignment.Relationship == assessment.Peer {
			if err := svc.ExcludeResponse(ctx, c.OrganizationID, c.ID, inv.Invitation.ID, ""); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("no peer to exclude")
}
