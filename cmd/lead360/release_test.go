package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// An admin clicks "release" on two real servers sharing one database at
// the same moment: one releases, the other answers 409 saying the results
// were already released, and the database holds one snapshot and one
// release entry in the audit log.
func TestReleaseOnTwoServersAtOnceStoresOneSnapshot(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := buildBinary(t)
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			vars := engineEnv(t, e)
			vars["LEAD360_SECRET_KEY"] = testSecretKey
			vars["LEAD360_LOG_LEVEL"] = "warn"
			vars["LEAD360_ADMIN_PASSWORD"] = "plum tree river lantern"
			if err := run(ctx, []string{"admin", "create", "--email", "hr@acme.example", "--org", "Acme"}, env(vars), io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(ctx, store.Config{DatabaseURL: vars["LEAD360_DATABASE_URL"], DataDir: vars["LEAD360_DATA_DIR"]})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			cycles := closedCycles(t, st, "Acme", 3)
			var admins []*http.Client
			var bases []string
			for range 2 {
				own := map[string]string{}
				for k, v := range vars {
					own[k] = v
				}
				addr := freeLoopbackAddr(t)
				own["LEAD360_ADDR"], own["LEAD360_BASE_URL"] = addr, "http://"+addr
				startServer(t, bin, own, "http://"+addr)
				bases = append(bases, "http://"+addr)
				admins = append(admins, signedInClient(t, "http://"+addr, "hr@acme.example", vars["LEAD360_ADMIN_PASSWORD"]))
			}
			for _, c := range cycles {
				forms := make([]url.Values, 2)
				for i := range forms {
					forms[i] = url.Values{"confirm": {"1"}, "csrf_token": {formToken(t, admins[i], bases[i]+"/cycles/"+c.ID+"/results")}}
				}
				statuses := make([]int, 2)
				bodies := make([]string, 2)
				var ready, done sync.WaitGroup
				start := make(chan struct{})
				for i := range forms {
					ready.Add(1)
					done.Go(func() {
						ready.Done()
						<-start
						resp, err := admins[i].PostForm(bases[i]+"/cycles/"+c.ID+"/release", forms[i])
						if err != nil {
							t.Error(err)
							return
						}
						b, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						statuses[i], bodies[i] = resp.StatusCode, string(b)
					})
				}
				ready.Wait()
				close(start)
				done.Wait()
				slices.Sort(statuses)
				if statuses[0] != http.StatusSeeOther || statuses[1] != http.StatusConflict {
					t.Fatalf("%s: the two releases answered %v, want one 303 and one 409", c.Name, statuses)
				}
				if !strings.Contains(bodies[0]+bodies[1], "have already been released") {
					t.Errorf("%s: the 409 does not say the results were already released", c.Name)
				}
				var snapshots, entries int
				err := st.DB().QueryRow(`SELECT (SELECT count(*) FROM score_snapshots WHERE cycle_id = $1),
(SELECT count(*) FROM audit_log WHERE action = 'cycle.release' AND subject_id = $1)`, c.ID).Scan(&snapshots, &entries)
				if err != nil || snapshots != 1 || entries != 1 {
					t.Errorf("%s: %d snapshots and %d release entries (%v), want 1 and 1", c.Name, snapshots, entries, err)
				}
			}
		})
	}
}

// closedCycles makes n closed cycles in the organisation, each of one
// leader rated by a manager and three peers who all answered.
func closedCycles(t *testing.T, st *store.Store, orgName string, n int) []assessment.Cycle {
	t.Helper()
	ctx := context.Background()
	svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
	org, err := st.OrganizationByName(ctx, orgName)
	if err != nil {
		t.Fatal(err)
	}
	in, _, err := svc.EnsureBuiltinInstruments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var answers []assessment.Answer
	for _, sk := range in.Skills {
		for _, it := range sk.Items {
			answers = append(answers, assessment.Answer{ItemKey: it.Key, Value: 4})
		}
	}
	now := time.Now().UTC()
	var out []assessment.Cycle
	for i := range n {
		c, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: org.ID, InstrumentID: in.ID, Name: fmt.Sprintf("Cycle %d", i+1),
			OpensAt: now.Add(-time.Hour), ClosesAt: now.AddDate(0, 0, 14)})
		if err != nil {
			t.Fatal(err)
		}
		leader, err := svc.AddParticipant(ctx, org.ID, c.ID, assessment.PersonInput{Name: "Ana Lima", Email: "ana@acme.example"})
		if err != nil {
			t.Fatal(err)
		}
		assignments, err := st.Assignments(ctx, org.ID, leader.ID)
		if err != nil {
			t.Fatal(err)
		}
		for j, rel := range []assessment.Relationship{assessment.Manager, assessment.Peer, assessment.Peer, assessment.Peer} {
			a, err := svc.AddRater(ctx, org.ID, leader.ID, assessment.PersonInput{Name: fmt.Sprintf("Rater %d", j), Email: fmt.Sprintf("r%d@acme.example", j)}, rel)
			if err != nil {
				t.Fatal(err)
			}
			assignments = append(assignments, a)
		}
		if _, err := svc.MoveCycle(ctx, org.ID, c.ID, assessment.StatusOpen); err != nil {
			t.Fatal(err)
		}
		for _, a := range assignments {
			r := assessment.Response{AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: answers}
			if err := svc.SaveAnswers(ctx, org.ID, &r); err != nil {
				t.Fatal(err)
			}
		}
		if c, err = svc.MoveCycle(ctx, org.ID, c.ID, assessment.StatusClosed); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// signedInClient is a dashboard session on the server at base: it keeps its
// cookie and does not follow redirects.
func signedInClient(t *testing.T, base, email, password string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in at %s: %d", base, resp.StatusCode)
	}
	return c
}

var formTokenField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// formToken reads the session's form token from a page.
func formToken(t *testing.T, c *http.Client, page string) string {
	t.Helper()
	resp, err := c.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	m := formTokenField.FindStringSubmatch(b.String())
	if m == nil {
		t.Fatalf("GET %s (%d): no form token", page, resp.StatusCode)
	}
	return m[1]
}
