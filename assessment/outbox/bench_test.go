package outbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// BenchmarkSendInvitations measures opening a cycle with 1,000 rater
// assignments (100 leaders, each with themself and 9 raters, 1,000 different
// people) until the local SMTP server has accepted all 1,000 emails:
// invitations and tokens minted, jobs inserted in the same transaction, then
// rendered and sent by the queue's workers, one SMTP connection each.
//
//	go test -run '^$' -bench SendInvitations -benchtime 3x ./assessment/outbox/
func BenchmarkSendInvitations(b *testing.B) {
	for _, eng := range assessmenttest.Engines(b) {
		b.Run(string(eng.Name), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				e := assessmenttest.NewMailer(b, eng, baseURL)
				c := e.MustCreateCycle(b, "Benchmark")
				for l := range 100 {
					p, _ := e.MustAddLeader(b, c.ID, fmt.Sprintf("Leader %03d", l), fmt.Sprintf("leader%03d@example.com", l))
					for r := range 9 {
						e.MustAddRater(b, p.ID, fmt.Sprintf("Rater %03d-%d", l, r), fmt.Sprintf("rater%03d-%d@example.com", l, r), assessment.Peer)
					}
				}
				b.StartTimer()
				start := time.Now()
				if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
					b.Fatal(err)
				}
				opened := time.Since(start)
				e.SMTP.WaitFor(1000, 5*time.Minute)
				b.ReportMetric(opened.Seconds(), "open-s")
				b.StopTimer()
				ctxStop, cancel := context.WithTimeout(ctx, 10*time.Second)
				_ = e.Queue.Stop(ctxStop)
				cancel()
				b.StartTimer()
			}
		})
	}
}
