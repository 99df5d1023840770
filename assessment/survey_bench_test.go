package assessment_test

import (
	"context"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// BenchmarkSaveSurvey saves one rater's answers again and again, as Next
// does on each step: the survey's rows are read and the response written.
// docs/benchmarks.md compares it before and after the save read its rows
// once, inside its transaction.
func BenchmarkSaveSurvey(b *testing.B) {
	for _, e := range assessmenttest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			m, token := openedSurvey(b, e)
			ctx := context.Background()
			answers := m.FullAnswers(4)
			for i := 0; b.Loop(); i++ {
				if _, err := m.Service.SaveSurvey(ctx, token, assessment.SurveyInput{Version: i, Answers: answers}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenSurvey opens one rater's survey again and again, as every
// survey page does: the link's rows and the saved draft are read.
func BenchmarkOpenSurvey(b *testing.B) {
	for _, e := range assessmenttest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			m, token := openedSurvey(b, e)
			ctx := context.Background()
			if _, err := m.Service.SaveSurvey(ctx, token, assessment.SurveyInput{Answers: m.FullAnswers(4)}); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := m.Service.Survey(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// openedSurvey opens a cycle with one leader and one peer and returns the
// peer's survey token.
func openedSurvey(b *testing.B, e assessmenttest.Engine) (*assessmenttest.Mailer, string) {
	b.Helper()
	m := assessmenttest.NewMailer(b, e, "http://lead360.test")
	c := m.MustCreateCycle(b, "Spring")
	ana, _ := m.MustAddLeader(b, c.ID, "Ana Lima", "ana@example.com")
	m.MustAddRater(b, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
	if _, err := m.Service.OpenCycle(context.Background(), m.Org.ID, c.ID, "", nil); err != nil {
		b.Fatal(err)
	}
	for to, msgs := range assessmenttest.ByRecipient(m.SMTP.WaitFor(2, 30e9)) {
		if to == "cy@example.com" {
			return m, m.SurveyTokens(msgs[0])[0]
		}
	}
	b.Fatal("no survey email for cy@example.com")
	return nil, ""
}
