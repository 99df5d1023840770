package outbox_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// contact is the organisation contact of these tests.
var contact = assessment.OrgContact{Name: "Zoë Martin, People team", Email: "people@example.com"}

const contactLine = "Questions? Contact Zoë Martin, People team (people@example.com)."

// mustContact sets the organisation's contact.
func (e *accountEnv) mustContact(t testing.TB) {
	t.Helper()
	if _, err := e.Service.SetOrgContact(context.Background(), e.Org.ID, contact, ""); err != nil {
		t.Fatal(err)
	}
}

// wantContact checks that a message names the contact in both parts and
// replies to them.
func wantContact(t *testing.T, what string, m assessmenttest.SMTPMessage) {
	t.Helper()
	if !strings.Contains(m.Text, contactLine) || !strings.Contains(m.HTML, "Questions? Contact Zoë Martin, People team (people@example.com).") {
		t.Errorf("%s does not name the contact:\n%s", what, m.Text)
	}
	if r := m.Header.Get("Reply-To"); !strings.Contains(r, "<people@example.com>") {
		t.Errorf("%s replies to %q, want the contact", what, r)
	}
}

// jobsDone waits until no job of the kinds is left to work, then returns
// the messages: an email sent twice would be there.
func (e *accountEnv) jobsDone(t *testing.T, kinds ...string) []assessmenttest.SMTPMessage {
	t.Helper()
	q := "SELECT count(*) FROM river_job WHERE kind IN ('" + strings.Join(kinds, "','") + "') AND state <> 'completed'"
	waitFor(t, "every "+strings.Join(kinds, ", ")+" job to finish", func() bool {
		var n int
		return e.st.DB().QueryRow(q).Scan(&n) == nil && n == 0
	})
	return e.smtp.Messages()
}

// Asking a draft cycle's leaders to nominate mails each once: a leader
// without an account a link that sets a password and the way to their
// nominations, one who can sign in a sign-in link that lands there; a
// second ask mails nobody, and a leader added afterwards is asked when
// added. Every email names the contact and replies to them.
func TestAskingLeadersToNominateMailsEachOnce(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, eng)
			ctx := context.Background()
			e.mustContact(t)
			e.mustUser(t, e.Org.ID, "bo@example.com", assessment.RoleLeader)
			c := e.MustCreateCycle(t, "Spring feedback")
			cs := assessment.DefaultCycleSettings(e.Org.ID, c.ID)
			cs.LeadersNominate = true
			if err := e.Store.SaveCycleSettings(ctx, &cs, e.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			e.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
			for i, want := range []assessment.NominationInvites{{Invited: 2}, {Already: 2}} {
				got, err := e.Service.InviteToNominate(ctx, e.Org.ID, c.ID, "", e.Accounts)
				if err != nil || got != want {
					t.Fatalf("ask %d: %+v, %v; want %+v", i+1, got, err, want)
				}
			}
			e.MustAddLeader(t, c.ID, "Cy Park", "cy@example.com")
			e.smtp.WaitFor(3, 30*time.Second)
			to := byRecipient(e.jobsDone(t, "account_mail", "nomination_invite"))
			for _, addr := range []string{"ana@example.com", "bo@example.com", "cy@example.com"} {
				if len(to[addr]) != 1 {
					t.Fatalf("%s got %d emails, want 1", addr, len(to[addr]))
				}
			}
			page := baseURL + "/me/nominations/" + c.ID
			for _, addr := range []string{"ana@example.com", "cy@example.com"} {
				m := to[addr][0]
				if m.Subject != "Choose who gives you feedback - Spring feedback" || len(passwordTokens([]assessmenttest.SMTPMessage{m})) != 1 ||
					m.URL(page) != page || !strings.Contains(m.Text, "HR reviews the list before anyone is asked") {
					t.Errorf("%s's invitation: %q, links %v\n%s", addr, m.Subject, m.URLs(), m.Text)
				}
				wantContact(t, addr+"'s invitation", m)
			}
			bo := to["bo@example.com"][0]
			signIn := baseURL + "/login?next=" + url.QueryEscape("/me/nominations/"+c.ID)
			if len(passwordTokens([]assessmenttest.SMTPMessage{bo})) != 0 || bo.URL(signIn) != signIn {
				t.Errorf("Bo can sign in: his note must link to sign-in, landing on his nominations: %v", bo.URLs())
			}
			wantContact(t, "Bo's note", bo)
			ana, err := e.Store.UserByEmail(ctx, e.Org.ID, "ana@example.com")
			if err != nil || !ana.Has(assessment.RoleLeader) || ana.PersonID == "" {
				t.Fatalf("Ana's account: %+v, %v", ana, err)
			}
			sheets, err := e.Service.LeaderNominationCycles(ctx, ana)
			if err != nil || len(sheets) != 1 || sheets[0].Cycle.ID != c.ID || !sheets[0].Editable() {
				t.Fatalf("Ana's nominations: %+v, %v", sheets, err)
			}
		})
	}
}

var digit = regexp.MustCompile(`[0-9]`)

// A release mails each leader with an account once, in the release's
// transaction: that their report is ready, with a sign-in link to it, and
// no score, count or rater; a leader whose report shows nobody else's
// answers is told so kindly. A re-release mails nobody.
func TestReleaseMailsEachLeaderOnceWithoutScores(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, eng)
			ctx := context.Background()
			e.mustContact(t)
			c := e.MustCreateCycle(t, "Spring feedback")
			_, mayaSelf := e.MustAddLeader(t, c.ID, "Maya Okafor", "maya@example.com")
			_, boSelf := e.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
			answered := []assessment.Assignment{mayaSelf, boSelf}
			maya, _ := e.Store.ParticipantOfPerson(ctx, e.Org.ID, c.ID, mayaSelf.PersonID)
			for _, p := range []string{"Pat One", "Pia Two", "Pol Three"} {
				email := strings.ToLower(strings.Fields(p)[0]) + "@example.com"
				answered = append(answered, e.MustAddRater(t, maya.ID, p, email, assessment.Peer))
			}
			e.mustUser(t, e.Org.ID, "maya@example.com", assessment.RoleLeader)
			e.mustUser(t, e.Org.ID, "bo@example.com", assessment.RoleLeader)
			if _, err := e.Service.MoveCycle(ctx, e.Org.ID, c.ID, assessment.StatusOpen); err != nil {
				t.Fatal(err)
			}
			for _, a := range answered {
				r := assessment.Response{AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: e.FullAnswers(4)}
				if err := e.Service.SaveAnswers(ctx, e.Org.ID, &r); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := e.Service.MoveCycle(ctx, e.Org.ID, c.ID, assessment.StatusClosed); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Service.ReleaseCycle(ctx, e.Org.ID, c.ID, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Service.ReleaseCycle(ctx, e.Org.ID, c.ID, ""); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("second release: %v", err)
			}
			if _, err := e.Service.ReReleaseCycle(ctx, e.Org.ID, c.ID, "", "a test"); err != nil {
				t.Fatal(err)
			}
			e.smtp.WaitFor(2, 30*time.Second)
			to := byRecipient(e.jobsDone(t, "account_mail"))
			if len(to) != 2 || len(to["maya@example.com"]) != 1 || len(to["bo@example.com"]) != 1 {
				t.Fatalf("release emails by recipient: %v", keys(to))
			}
			results := baseURL + "/login?next=" + url.QueryEscape("/me/cycles/"+c.ID)
			m := to["maya@example.com"][0]
			if m.Subject != "Your feedback report is ready - Spring feedback" || m.URL(results) != results ||
				!strings.Contains(m.Text, "without showing who said what") {
				t.Errorf("Maya's email: %q %v\n%s", m.Subject, m.URLs(), m.Text)
			}
			bo := to["bo@example.com"][0]
			if bo.Subject != "Spring feedback has ended" || bo.URL(results) != results || !strings.Contains(bo.Text, "Not enough people answered about you") {
				t.Errorf("Bo's email: %q %v\n%s", bo.Subject, bo.URLs(), bo.Text)
			}
			for who, m := range map[string]assessmenttest.SMTPMessage{"Maya's": m, "Bo's": bo} {
				wantContact(t, who+" email", m)
				for _, body := range []string{m.Text, m.HTML} {
					for _, u := range m.URLs() {
						body = strings.ReplaceAll(body, u, "")
						body = strings.ReplaceAll(body, strings.ReplaceAll(u, "&", "&amp;"), "")
					}
					body = regexp.MustCompile(`(?s)<head>.*</head>|style="[^"]*"|<[^>]*>`).ReplaceAllString(body, "")
					if d := digit.FindString(body); d != "" {
						t.Errorf("%s email has a number in it (a score or a count?):\n%s", who, body)
					}
					for _, rater := range []string{"Pat", "Pia", "Pol", "pat@", "pia@", "pol@"} {
						if strings.Contains(body, rater) {
							t.Errorf("%s email names rater %q", who, rater)
						}
					}
				}
			}
		})
	}
}

// Every kind of email names the organisation's contact and replies to
// them: the survey invitation and reminder, the leader's invitation to the
// dashboard and the note to one who can sign in, and a password reset (the
// nomination and release emails are checked above).
func TestEveryEmailNamesTheContact(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newAccountEnv(t, eng)
			ctx := context.Background()
			e.mustContact(t)
			e.mustUser(t, e.Org.ID, "bo@example.com", assessment.RoleLeader)
			c := e.mustSmallCycle(t)
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", e.Accounts); err != nil {
				t.Fatal(err)
			}
			// 4 invitations, Ana's account invitation, Bo's note.
			e.smtp.WaitFor(6, 30*time.Second)
			if _, err := e.Service.RemindNow(ctx, e.Org.ID, c.ID, 0, ""); err != nil {
				t.Fatal(err)
			}
			e.smtp.WaitFor(10, 30*time.Second)
			if err := e.Accounts.RequestPasswordReset(ctx, "bo@example.com"); err != nil {
				t.Fatal(err)
			}
			msgs := e.smtp.WaitFor(11, 30*time.Second)
			kinds := map[string]bool{}
			for _, m := range msgs {
				kind := strings.SplitN(strings.Trim(m.MessageID, "<>"), ".", 3)
				name := kind[0]
				if name == "account" {
					name += "." + kind[1]
				}
				kinds[name] = true
				wantContact(t, name+" to "+m.EnvelopeTo[0], m)
			}
			for _, want := range []string{"invitation", "reminder", "account.invite", "account.cycle_opened", "account.reset"} {
				if !kinds[want] {
					t.Errorf("no %s email among %v", want, keys(kinds))
				}
			}
		})
	}
}
