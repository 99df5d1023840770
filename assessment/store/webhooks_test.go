package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// countedKey marks the context whose statements countStatements counts,
// so the queue's own work in the background is left out.
type countedKey struct{}

// countStatements counts the SQL statements GORM runs for contexts made by
// the returned function.
func countStatements(t *testing.T, st *store.Store) (*atomic.Int64, func() context.Context) {
	t.Helper()
	var n atomic.Int64
	count := func(db *gorm.DB) {
		if db.Statement.Context.Value(countedKey{}) != nil {
			n.Add(1)
		}
	}
	cb := st.Gorm().Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:count", count),
		"create": cb.Create().After("gorm:create").Register("test:count", count),
		"update": cb.Update().After("gorm:update").Register("test:count", count),
		"delete": cb.Delete().After("gorm:delete").Register("test:count", count),
		"row":    cb.Row().After("gorm:row").Register("test:count", count),
		"raw":    cb.Raw().After("gorm:raw").Register("test:count", count),
	} {
		if err != nil {
			t.Fatalf("count %s statements: %v", name, err)
		}
	}
	return &n, func() context.Context { return context.WithValue(context.Background(), countedKey{}, true) }
}

// surveyTokens reads the survey links of the emails the fixture's use
// cases enqueued, as the queue would send them.
func surveyTokens(t *testing.T, f *assessmenttest.Fixture) []string {
	t.Helper()
	var tokens []string
	for _, job := range f.JobTable().Take(t) {
		args, ok := job.Args.(assessment.SurveyMailJob)
		if !ok {
			continue
		}
		m, err := f.Service.SurveyMailFor(context.Background(), args)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range m.Lines {
			tokens = append(tokens, l.Token)
		}
	}
	return tokens
}

// The submission is the hot path of a rater's visit. Unless an endpoint
// subscribes to response_rate.reached, a submission costs at most one
// statement more than saving a draft (the read of the organisation's
// endpoints); the numbers are logged for docs/webhooks.md.
func TestSubmissionCostWithoutResponseRateSubscribers(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			// No queue runs: the counting callbacks are registered before
			// any other goroutine uses the store.
			f := assessmenttest.NewFixture(t, eng)
			st := f.Store.(*store.Store)
			n, counted := countStatements(t, st)
			f.Service.AllowPrivateWebhooks = true
			c := f.MustCreateCycle(t, "Spring")
			ana, _ := f.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			for _, email := range []string{"cy@example.com", "dee@example.com", "eve@example.com", "fay@example.com"} {
				f.MustAddRater(t, ana.ID, "Rater "+email, email, assessment.Peer)
			}
			if _, err := f.Service.OpenCycle(context.Background(), f.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			tokens := surveyTokens(t, f)
			save := func(token string, submit bool) int64 {
				t.Helper()
				before := n.Load()
				if _, err := f.Service.SaveSurvey(counted(), token, assessment.SurveyInput{Answers: f.FullAnswers(4), Submit: submit}); err != nil {
					t.Fatal(err)
				}
				return n.Load() - before
			}
			draft := save(tokens[0], false)
			unsubscribed := save(tokens[1], true)
			if _, _, err := f.Service.CreateWebhook(context.Background(), f.Org.ID, "", assessment.NewWebhook{
				URL: "https://127.0.0.1:9/hooks", Events: []string{string(assessment.EventCycleClosed)}}); err != nil {
				t.Fatal(err)
			}
			otherEvent := save(tokens[2], true)
			if _, _, err := f.Service.CreateWebhook(context.Background(), f.Org.ID, "", assessment.NewWebhook{
				URL: "https://127.0.0.1:9/hooks", Events: []string{string(assessment.EventResponseRateReached)}}); err != nil {
				t.Fatal(err)
			}
			subscribed := save(tokens[3], true)
			t.Logf("statements: draft save %d; submission with no endpoint %d, with an endpoint of another event %d, "+
				"with a response_rate.reached subscriber (50 %% reached) %d", draft, unsubscribed, otherEvent, subscribed)
			if unsubscribed > draft+1 || otherEvent > draft+1 {
				t.Fatalf("a submission without subscribers ran %d and %d statements, a draft save %d: want at most one more",
					unsubscribed, otherEvent, draft)
			}
		})
	}
}
