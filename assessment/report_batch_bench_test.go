package assessment_test

import (
	"context"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// BenchmarkReportBatchJobs works every job of a 400-leader batch in one
// goroutine with a renderer that draws nothing (drawing costs the same
// however the jobs are cut): what a batch reads and writes per leader. As
// queued, a job holds eight leaders (leadersPerJob) and decodes the
// cohort's statistics once for them; "one leader a job" splits the same
// jobs, as the first cut of per-leader jobs did. One op is a whole batch.
// docs/benchmarks.md has the figures.
func BenchmarkReportBatchJobs(b *testing.B) {
	const leaders = 400
	for _, e := range assessmenttest.Engines(b) {
		f := assessmenttest.NewFixture(b, e)
		cy := f.ReleasedCohort(b, assessmenttest.Cohort{Leaders: leaders})
		for _, split := range []bool{false, true} {
			name := string(e.Name) + "/as queued"
			if split {
				name = string(e.Name) + "/one leader a job"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					for _, job := range queueJobs(b, f, cy.ID, split) {
						if err := f.Service.RenderBatchReport(context.Background(), job, "bench", noPDF); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// queueJobs queues a batch of the cycle and takes its jobs, each split
// into jobs of one leader when split is set.
func queueJobs(b *testing.B, f *assessmenttest.Fixture, cycleID string, split bool) []assessment.ReportJob {
	b.StopTimer()
	defer b.StartTimer()
	if _, err := f.Service.QueueReportBatch(context.Background(), f.Org.ID, cycleID); err != nil {
		b.Fatal(err)
	}
	var jobs []assessment.ReportJob
	for _, j := range f.JobTable().Take(b) {
		rj := j.Args.(assessment.ReportJob)
		if !split {
			jobs = append(jobs, rj)
			continue
		}
		for _, id := range rj.ParticipantIDs {
			jobs = append(jobs, assessment.ReportJob{OrganizationID: rj.OrganizationID, BatchID: rj.BatchID, ParticipantIDs: []string{id}})
		}
	}
	return jobs
}

func noPDF(in assessment.LeaderReport) (assessment.ReportFile, error) {
	return assessment.ReportFile{FileName: in.Leader.ParticipantID + ".pdf", PDF: []byte("%PDF-")}, nil
}
