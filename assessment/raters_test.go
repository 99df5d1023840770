package assessment_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/scoring"
)

// Raters HR can vouch for (issue #10, items 2 and 8): addresses normalised
// wherever a person is added, a leader's nominations limited to people and
// domains HR vouches for, the leader's own addresses refused everywhere,
// and submitted answers HR can exclude from every figure before release.

// raterWorld is an organisation whose domain is acme.test, with a draft
// cycle led by Lea Stone.
type raterWorld struct {
	f      *assessmenttest.Fixture
	cycle  assessment.Cycle
	leader assessment.Participant
	self   assessment.Assignment
}

func newRaterWorld(t *testing.T, e assessmenttest.Engine) *raterWorld {
	t.Helper()
	f := assessmenttest.NewFixture(t, e)
	if _, err := f.Service.SetEmailDomains(context.Background(), f.Org.ID, "acme.test", ""); err != nil {
		t.Fatal(err)
	}
	w := &raterWorld{f: f, cycle: f.MustCreateCycle(t, "Spring")}
	w.leader, w.self = f.MustAddLeader(t, w.cycle.ID, "Lea Stone", "lea.stone@acme.test")
	return w
}

// forRaterWorlds runs test on a fresh raterWorld of every engine.
func forRaterWorlds(t *testing.T, test func(t *testing.T, w *raterWorld)) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			test(t, newRaterWorld(t, e))
		})
	}
}

// wantInvalid checks that err refuses field with a message containing want.
func wantInvalid(t *testing.T, what string, err error, field, want string) {
	t.Helper()
	var de *assessment.Error
	if !errors.As(err, &de) || de.Code != assessment.CodeInvalid || !strings.Contains(de.Fields[field], want) {
		t.Errorf("%s: %v, want %s: %q", what, err, field, want)
	}
}

func (w *raterWorld) raterEmails(t *testing.T) map[string]bool {
	t.Helper()
	ctx := context.Background()
	as, err := w.f.Store.Assignments(ctx, w.f.Org.ID, w.leader.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, a := range as {
		p, err := w.f.Store.Person(ctx, w.f.Org.ID, a.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		out[p.Email] = true
	}
	return out
}

func TestAddressesAreNormalisedWhereverARaterIsAdded(t *testing.T) {
	forRaterWorlds(t, func(t *testing.T, w *raterWorld) {
		f, ctx, org := w.f, context.Background(), w.f.Org.ID
		// Another address of Lea's: her dashboard account.
		if err := f.Store.CreateUser(ctx, &assessment.User{OrganizationID: org, Email: "l.stone@acme.test", Roles: []assessment.Role{assessment.RoleLeader},
			PasswordHash: "x", PersonID: w.leader.PersonID}); err != nil {
			t.Fatal(err)
		}
		add := func(email string) error {
			_, err := f.Service.AddCycleRater(ctx, org, w.cycle.ID, w.leader.ID, assessment.PersonInput{Name: "Someone", Email: email}, assessment.Peer, "")
			return err
		}
		for _, email := range []string{"Pat+360@ACME.test", "out+x@gmail.test", "ana@xn--bcher-kva.test"} {
			if err := add(email); err != nil {
				t.Fatalf("add %s: %v", email, err)
			}
		}
		for email, want := range map[string]string{
			"p2@acmе.test":           "mixes alphabets (Cyrillic е in 'acmе.test'); type it again with Latin letters",
			"ра@acme.test":           "look like plain ones (Cyrillic р",
			"lea.stone+p3@acme.test": "leader's own address",
			"LEA.STONE@acme.test":    "leader's own address",
			"l.stone+x@acme.test":    "leader's own address",
			"lea.stone@acrne.test":   "'acrne.test' looks like acme.test but is a different one",
			"not an address":         "Enter an email address",
		} {
			wantInvalid(t, "add "+email, add(email), "email", want)
		}
		got := w.raterEmails(t)
		for _, want := range []string{"lea.stone@acme.test", "pat@acme.test", "out+x@gmail.test", "ana@bücher.test"} {
			if !got[want] {
				t.Errorf("stored raters %v, want %s among them", got, want)
			}
		}
		if len(got) != 4 {
			t.Errorf("stored raters %v, want self and three", got)
		}
		// A leader's tag goes too.
		p, err := f.Service.AddCycleLeader(ctx, org, w.cycle.ID, assessment.PersonInput{Name: "Bo", Email: "Bo+Lead@acme.test"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if bo, _ := f.Store.Person(ctx, org, p.PersonID); bo.Email != "bo@acme.test" {
			t.Errorf("leader stored as %q", bo.Email)
		}
	})
}

// Until HR saves its domains, they are those of the admins and of the
// leaders HR put in cycles: never those of raters, never "any".
func TestEmailDomainsAreSeededFromAdminsAndLeaders(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx, org := context.Background(), f.Org.ID
			if err := f.Store.CreateUser(ctx, &assessment.User{OrganizationID: org, Email: "hr@acme.test", Roles: []assessment.Role{assessment.RoleAdmin}, PasswordHash: "x"}); err != nil {
				t.Fatal(err)
			}
			c := f.MustCreateCycle(t, "Spring")
			lea, _ := f.MustAddLeader(t, c.ID, "Lea", "lea@acme.example")
			f.MustAddRater(t, lea.ID, "Bo", "bo@gmail.test", assessment.Peer)
			d, err := f.Service.EmailDomains(ctx, org)
			if err != nil || !d.Seeded || strings.Join(d.Domains, " ") != "acme.example acme.test" {
				t.Fatalf("seeded domains %+v, %v", d, err)
			}
			if _, err := f.Service.SetEmailDomains(ctx, org, "acme.test", ""); err != nil {
				t.Fatal(err)
			}
			if d, err = f.Service.EmailDomains(ctx, org); err != nil || d.Seeded || strings.Join(d.Domains, " ") != "acme.test" {
				t.Fatalf("saved domains %+v, %v", d, err)
			}
			entries, _, _, err := f.Service.AuditPage(ctx, org, 1, 10)
			if err != nil || len(entries) != 1 || entries[0].Action != assessment.ActionEmailDomains || !strings.Contains(entries[0].Detail, "acme.test") {
				t.Errorf("audit: %+v, %v", entries, err)
			}
		})
	}
}

// The attack of issue #10 item 2: a leader nominates addresses that reach
// her (a tag on her own address), an outside address and a look-alike one.
// Each is refused with its reason next to the field; what HR may still add
// is flagged on the review in words.
func TestFakeRatersAreRefusedOrFlagged(t *testing.T) {
	forRaterWorlds(t, func(t *testing.T, w *raterWorld) {
		f, ctx, org := w.f, context.Background(), w.f.Org.ID
		cs := assessment.DefaultCycleSettings(org, w.cycle.ID)
		cs.LeadersNominate, cs.GroupLimits = true, []assessment.GroupLimit{{Relationship: assessment.Peer, Min: 2, Max: 5}}
		if err := f.Store.SaveCycleSettings(ctx, &cs, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		// A partner HR added earlier: known, at an outside domain.
		sam := assessment.Person{OrganizationID: org, Name: "Sam Partner", Email: "sam@partner.test", CreatedAt: f.Clock.Now().Add(-1)}
		if err := f.Store.SavePerson(ctx, &sam); err != nil {
			t.Fatal(err)
		}
		lea := assessment.User{OrganizationID: org, Roles: []assessment.Role{assessment.RoleLeader}, PersonID: w.leader.PersonID}
		row := func(name, email string) assessment.NominationInput {
			return assessment.NominationInput{Name: name, Email: email, Relationship: "peer"}
		}
		err := f.Service.ProposeNominations(ctx, lea, w.cycle.ID, []assessment.NominationInput{
			row("Pia One", "p1@acme.test"),
			row("Me Again", "lea.stone+p3@acme.test"),
			row("Outside", "p3@gmail.test"),
			row("Look Alike", "p2@acmе.test"),
			row("Sam Partner", "sam@partner.test"),
			row("Typo Domain", "p4@acrne.test"),
		})
		for field, want := range map[string]string{
			"email_1": "This is one of your own addresses",
			"email_2": "Addresses at gmail.test are not your organisation's (acme.test)",
			"email_3": "mixes alphabets (Cyrillic е in 'acmе.test'); type it again with Latin letters",
			"email_5": "looks like acme.test",
		} {
			wantInvalid(t, "attack "+field, err, field, want)
		}
		var de *assessment.Error
		if !errors.As(err, &de) {
			t.Fatalf("attack: %v", err)
		}
		if _, bad := de.Fields["email_0"]; bad || de.Fields["email_4"] != "" {
			t.Errorf("good rows refused: %v", de.Fields)
		}
		if ns, _ := f.Store.Nominations(ctx, org, w.leader.ID); len(ns) != 0 {
			t.Fatalf("a refused list was saved: %v", ns)
		}
		if err := f.Service.ProposeNominations(ctx, lea, w.cycle.ID, []assessment.NominationInput{
			row("Pia One", "p1@acme.test"), row("Sam Partner", "sam@partner.test"), row("Lea Stoner", "lea.stoner@acme.test"),
		}); err != nil {
			t.Fatal(err)
		}
		// HR vouches for an outside address by adding it, never for
		// one of Lea's.
		if err := f.Service.AddNomination(ctx, org, w.cycle.ID, w.leader.ID, row("Gus Out", "p3@gmail.test"), ""); err != nil {
			t.Fatal(err)
		}
		err = f.Service.AddNomination(ctx, org, w.cycle.ID, w.leader.ID, row("Lea", "lea.stone+hr@acme.test"), "")
		wantInvalid(t, "HR adds Lea's own", err, "email", "leader's own address")

		r, err := f.Service.NominationReview(ctx, org, w.cycle.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Domains.Seeded || r.Domains.String() != "acme.test" {
			t.Errorf("review domains %+v", r.Domains)
		}
		flags := map[string]assessment.NominationFlags{}
		for _, n := range r.Leaders[0].Nominations {
			flags[n.Email] = r.Leaders[0].Flags[n.ID]
		}
		want := map[string]assessment.NominationFlags{
			"p1@acme.test":         {New: true},
			"sam@partner.test":     {External: true},
			"p3@gmail.test":        {External: true, New: true},
			"lea.stoner@acme.test": {New: true, LooksLike: []assessment.Resemblance{{Email: "lea.stone@acme.test", OfLeader: true}}},
		}
		if len(flags) != len(want) {
			t.Fatalf("flags %+v", flags)
		}
		for email, w := range want {
			g := flags[email]
			if g.External != w.External || g.New != w.New || len(g.LooksLike) != len(w.LooksLike) ||
				(len(w.LooksLike) > 0 && g.LooksLike[0] != w.LooksLike[0]) {
				t.Errorf("%s flagged %+v, want %+v", email, g, w)
			}
		}
	})
}

// A CSV import that names the leader under another address is refused as a
// whole, with the row's problem, and saves nothing.
func TestImportRefusesTheLeadersOwnAddresses(t *testing.T) {
	forRaterWorlds(t, func(t *testing.T, w *raterWorld) {
		f, ctx, org := w.f, context.Background(), w.f.Org.ID
		c := f.MustCreateCycle(t, "Import")
		if err := f.Store.CreateUser(ctx, &assessment.User{OrganizationID: org, Email: "l.stone@acme.test", Roles: []assessment.Role{assessment.RoleLeader},
			PasswordHash: "x", PersonID: w.leader.PersonID}); err != nil {
			t.Fatal(err)
		}
		csv := "leader_email,leader_name,rater_email,rater_name,relationship\n" +
			"lea.stone@acme.test,Lea Stone,ana@acme.test,Ana,peer\n" + // 2: fine
			"lea.stone@acme.test,Lea Stone,Lea.Stone+alt@acme.test,Lea,peer\n" + // 3: Lea, tagged
			"lea.stone@acme.test,Lea Stone,l.stone@acme.test,Lea,other\n" + // 4: Lea's account
			"lea.stone@acme.test,Lea Stone,p2@acmе.test,Pat,peer\n" + // 5: look-alike
			"lea.stone@acme.test,Lea Stone,ana+2@acme.test,Ana,peer\n" // 6: ana again
		_, imp, err := f.Service.ImportRaters(ctx, org, c.ID, csv, "")
		if !errors.Is(err, assessment.ErrImportNotReady) {
			t.Fatalf("import: %v", err)
		}
		got := rowProblems(imp)
		for line, want := range map[int]string{
			2: "",
			3: "lea.stone@acme.test is an address of the leader lea.stone@acme.test, who cannot rate themself",
			4: "l.stone@acme.test is an address of the leader",
			5: "The rater's email: This address mixes alphabets (Cyrillic е in 'acmе.test')",
			6: "Duplicate: line 2",
		} {
			if g := got[line]; (want == "" && g != "") || !strings.Contains(g, want) {
				t.Errorf("line %d: %q, want %q", line, g, want)
			}
		}
		if leaders, err := f.Store.CycleLeaders(ctx, org, c.ID); err != nil || len(leaders) != 0 {
			t.Errorf("a refused import saved leaders: %v, %v", leaders, err)
		}
	})
}

// openWithAnswers opens the world's cycle with a manager and peers, and
// submits everyone's answers (self 5, others 4, each peer with a comment).
// It returns the peers' invitation ids by email.
func (w *raterWorld) openWithAnswers(t *testing.T, peers ...string) map[string]string {
	t.Helper()
	f, ctx, org := w.f, context.Background(), w.f.Org.ID
	f.MustAddRater(t, w.leader.ID, "Manon Manager", "manon@acme.test", assessment.Manager)
	for _, p := range peers {
		f.MustAddRater(t, w.leader.ID, "Peer "+p, p, assessment.Peer)
	}
	if _, err := f.Service.OpenCycle(ctx, org, w.cycle.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	_, list, err := f.Service.CycleInvitations(ctx, org, w.cycle.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, st := range list {
		v := 4
		var comments []assessment.Comment
		if st.Assignment.Relationship == assessment.Self {
			v = 5
		}
		if st.Assignment.Relationship == assessment.Peer {
			out[st.Rater.Email] = st.Invitation.ID
			comments = []assessment.Comment{{QuestionKey: "overall", Body: "comment of " + st.Rater.Email}}
		}
		r := assessment.Response{AssignmentID: st.Assignment.ID, Status: assessment.ResponseSubmitted, Answers: f.FullAnswers(v), Comments: comments}
		if err := f.Service.SaveAnswers(ctx, org, &r); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// peerN is the number of peers the scored cycle counts for delegation.
func (w *raterWorld) peerN(t *testing.T) int {
	t.Helper()
	snap, err := w.f.Service.ScoreCycle(context.Background(), w.f.Org.ID, w.cycle.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range skillOf(t, &snap.Result.Leaders[0], "delegation").Groups {
		if g.Group == scoring.GroupPeer {
			return g.N
		}
	}
	return 0
}

// Issue #10 item 8: revoking a peer who submitted used to leave "Peers 4".
// Now the revoke is refused (it would leave the answers counted) and the
// exclusion removes them from every figure, with an audit entry.
func TestExcludedAnswersCountNowhere(t *testing.T) {
	forRaterWorlds(t, func(t *testing.T, w *raterWorld) {
		f, ctx, org := w.f, context.Background(), w.f.Org.ID
		inv := w.openWithAnswers(t, "p1@acme.test", "p2@acme.test", "p3@acme.test", "p4@acme.test")
		planted := inv["p4@acme.test"]
		if err := f.Service.RevokeInvitation(ctx, org, w.cycle.ID, planted, ""); !errors.Is(err, assessment.ErrRevokeSubmitted) {
			t.Fatalf("revoke after submit: %v, want ErrRevokeSubmitted", err)
		}
		p, err := f.Service.ExclusionPreview(ctx, org, w.cycle.ID, planted)
		if err != nil || p.Problem() != "" || p.Counted != 4 || p.After() != 3 || p.FallsBelow() || p.Status.Rater.Email != "p4@acme.test" {
			t.Fatalf("preview %+v (%q), %v", p, p.Problem(), err)
		}
		if err := f.Service.ExcludeResponse(ctx, org, w.cycle.ID, planted, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.Service.ExcludeResponse(ctx, org, w.cycle.ID, planted, ""); assessment.ErrorCode(err) != assessment.CodeConflict ||
			!strings.Contains(err.Error(), "already excluded") {
			t.Errorf("exclude twice: %v", err)
		}
		if _, err := f.Service.ResendInvitation(ctx, org, w.cycle.ID, planted, ""); assessment.ErrorCode(err) != assessment.CodeConflict {
			t.Errorf("resend to an excluded rater: %v", err)
		}
		_, list, err := f.Service.CycleInvitations(ctx, org, w.cycle.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range list {
			if st.Invitation.ID == planted && (!st.Excluded || st.State() != assessment.InvitationRevoked) {
				t.Errorf("excluded invitation listed as %+v", st)
			}
		}
		progress, err := f.Service.CycleProgress(ctx, org, w.cycle.ID, assessment.ProgressQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range progress.Groups {
			if g.Relationship == assessment.Peer && g.Submitted != 3 {
				t.Errorf("progress counts %d peers' answers, want 3", g.Submitted)
			}
		}
		closeCycle(t, f, w.cycle.ID)
		if n := w.peerN(t); n != 3 {
			t.Errorf("scored peers: %d, want 3 (\"Peers 4\" after a revoke)", n)
		}
		comments, err := f.Service.CycleComments(ctx, org, w.cycle.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range comments {
			if strings.Contains(c.Body, "p4@") {
				t.Errorf("the excluded rater's comment is still there: %q", c.Body)
			}
		}
		if len(comments) != 3 {
			t.Errorf("%d comments, want the three counted peers'", len(comments))
		}
		entries, _, _, err := f.Service.AuditPage(ctx, org, 1, 10)
		if err != nil || len(entries) == 0 || entries[0].Action != assessment.ActionResponseExclude ||
			!strings.Contains(entries[0].Detail, "Peer p4@acme.test (p4@acme.test) about Lea Stone as peer: peers now count 3") {
			t.Errorf("audit: %+v, %v", entries, err)
		}
	})
}

// An exclusion that pushes a group below k holds the release until HR has
// read, per leader, what it changes; the confirmation covers exactly what
// was read, and a released cycle's answers can no longer be excluded.
func TestReleaseWaitsUntilHRHasSeenWhatExclusionsChange(t *testing.T) {
	forRaterWorlds(t, func(t *testing.T, w *raterWorld) {
		f, ctx, org := w.f, context.Background(), w.f.Org.ID
		inv := w.openWithAnswers(t, "p1@acme.test", "p2@acme.test", "p3@acme.test")
		closeCycle(t, f, w.cycle.ID)
		p, err := f.Service.ExclusionPreview(ctx, org, w.cycle.ID, inv["p3@acme.test"])
		if err != nil || !p.FallsBelow() {
			t.Fatalf("preview of a group of three: %+v, %v", p, err)
		}
		if err := f.Service.ExcludeResponse(ctx, org, w.cycle.ID, inv["p3@acme.test"], ""); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Service.ReleaseCheck(ctx, org, w.cycle.ID)
		if err != nil || !rc.NeedsConfirmation() || len(rc.Consequences) != 1 ||
			rc.Consequences[0].String() != "Lea Stone: peers fall from 3 to 2 and will be pooled or left out" {
			t.Fatalf("release check %+v, %v", rc, err)
		}
		if _, err := f.Service.ReleaseCycle(ctx, org, w.cycle.ID, ""); !errors.Is(err, assessment.ErrExclusionsNotSeen) {
			t.Fatalf("release without confirmation: %v", err)
		}
		if err := f.Service.ConfirmExclusions(ctx, org, w.cycle.ID, "an older page", ""); assessment.ErrorCode(err) != assessment.CodeConflict {
			t.Fatalf("confirmation of another list: %v", err)
		}
		if err := f.Service.ConfirmExclusions(ctx, org, w.cycle.ID, rc.Digest, ""); err != nil {
			t.Fatal(err)
		}
		if rc, err := f.Service.ReleaseCheck(ctx, org, w.cycle.ID); err != nil || rc.NeedsConfirmation() || len(rc.Consequences) != 1 {
			t.Fatalf("after confirmation: %+v, %v", rc, err)
		}
		if _, err := f.Service.ReleaseCycle(ctx, org, w.cycle.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n := w.peerN(t); n != 0 {
			t.Errorf("two peers shown on their own: n %d", n)
		}
		err = f.Service.ExcludeResponse(ctx, org, w.cycle.ID, inv["p2@acme.test"], "")
		if assessment.ErrorCode(err) != assessment.CodeConflict || !strings.Contains(err.Error(), "released") {
			t.Errorf("exclude after release: %v", err)
		}
		entries, _, _, err := f.Service.AuditPage(ctx, org, 1, 10)
		if err != nil || len(entries) < 3 || entries[1].Action != assessment.ActionExclusionsSeen ||
			!strings.Contains(entries[1].Detail, "peers fall from 3 to 2") {
			t.Errorf("audit: %+v, %v", entries, err)
		}
	})
}

// An exclusion racing a release never leaves released results that count
// excluded answers: whichever commits second sees the other (the exclusion
// finds the cycle released, or the release finds a new exclusion and is
// asked again). The race is run several times per engine; each round checks
// the invariant on the released version, whoever won.
func TestExclusionRacingAReleaseNeverLeavesItCounted(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			for round := range 4 {
				w := newRaterWorld(t, e)
				f, ctx, org := w.f, context.Background(), w.f.Org.ID
				inv := w.openWithAnswers(t, "p1@acme.test", "p2@acme.test", "p3@acme.test", "p4@acme.test", "p5@acme.test")
				closeCycle(t, f, w.cycle.ID)
				var wg sync.WaitGroup
				var releaseErr, excludeErr error
				wg.Add(2)
				go func() { defer wg.Done(); _, releaseErr = f.Service.ReleaseCycle(ctx, org, w.cycle.ID, "") }()
				go func() {
					defer wg.Done()
					excludeErr = f.Service.ExcludeResponse(ctx, org, w.cycle.ID, inv["p5@acme.test"], "")
				}()
				wg.Wait()
				for _, err := range []error{releaseErr, excludeErr} {
					if err != nil && assessment.ErrorCode(err) != assessment.CodeConflict {
						t.Fatalf("round %d: %v", round, err)
					}
				}
				if releaseErr != nil {
					if excludeErr != nil {
						t.Fatalf("round %d: both refused: %v; %v", round, releaseErr, excludeErr)
					}
					if _, err := f.Service.ReleaseCycle(ctx, org, w.cycle.ID, ""); err != nil {
						t.Fatalf("round %d: release again: %v", round, err)
					}
				}
				t.Logf("round %d: release: %v; exclusion: %v", round, releaseErr, excludeErr)
				snap, err := f.Service.LatestSnapshot(ctx, org, w.cycle.ID)
				if err != nil {
					t.Fatal(err)
				}
				want := 5
				if excludeErr == nil {
					want = 4
				}
				for _, g := range skillOf(t, &snap.Result.Leaders[0], "delegation").Groups {
					if g.Group == scoring.GroupPeer && g.N != want {
						t.Errorf("round %d: released peers n %d, want %d (release: %v; exclusion: %v)", round, g.N, want, releaseErr, excludeErr)
					}
				}
			}
		})
	}
}

// beforeTx is the store with a hook run once, just before the next
// transaction starts: a way to land another use case in the gap between a
// use case's reads and its transaction.
type beforeTx struct {
	assessment.Store
	hook func()
}

func (b *beforeTx) InTx(ctx context.Context, fn func(tx assessment.Store) error) error {
	if h := b.hook; h != nil {
		b.hook = nil
		h()
	}
	return b.Store.InTx(ctx, fn)
}

// The worst moment for an exclusion: after the release scored the cycle
// and before it stores the release. The release must not publish the
// answers just excluded; it is refused, and released again it leaves them
// out.
func TestExclusionBetweenScoringAndReleaseIsSeen(t *testing.T) {
	forRaterWorlds(t, func(t *testing.T, w *raterWorld) {
		f, ctx, org := w.f, context.Background(), w.f.Org.ID
		inv := w.openWithAnswers(t, "p1@acme.test", "p2@acme.test", "p3@acme.test", "p4@acme.test", "p5@acme.test")
		closeCycle(t, f, w.cycle.ID)
		gap := &beforeTx{Store: f.Store, hook: func() {
			if err := f.Service.ExcludeResponse(ctx, org, w.cycle.ID, inv["p5@acme.test"], ""); err != nil {
				t.Errorf("exclude in the gap: %v", err)
			}
		}}
		releasing := assessment.NewService(gap, assessmenttest.Tokens(), nil).WithClock(f.Clock.Now)
		if _, err := releasing.ReleaseCycle(ctx, org, w.cycle.ID, ""); assessment.ErrorCode(err) != assessment.CodeConflict ||
			!strings.Contains(err.Error(), "excluded while the results were being released") {
			t.Fatalf("release with an exclusion in its gap: %v", err)
		}
		if _, err := f.Service.ReleaseCycle(ctx, org, w.cycle.ID, ""); err != nil {
			t.Fatal(err)
		}
		snap, err := f.Service.LatestSnapshot(ctx, org, w.cycle.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range skillOf(t, &snap.Result.Leaders[0], "delegation").Groups {
			if g.Group == scoring.GroupPeer && g.N != 4 {
				t.Errorf("released peers n %d, want 4: the excluded answers were published", g.N)
			}
		}
	})
}
