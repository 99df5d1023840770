package store

import (
	"context"
	"time"

	"github.com/lead360/lead360/assessment"
)

// The responses table: what the progress page asks of submitted surveys.
// Saving a rater's response is SaveResponse, in queries.go.

// SubmissionTimes lists the submission times of the cycle's submitted
// responses, except those about the leader except.
func (s *Store) SubmissionTimes(ctx context.Context, orgID, cycleID, except string) ([]time.Time, error) {
	assignments := s.cycleAssignments(ctx, orgID, cycleID).Select("id")
	if except != "" {
		assignments = assignments.Where("participant_id <> ?", except)
	}
	var times []time.Time
	err := s.inOrg(ctx, orgID).Model(&responseRow{}).Where("status = ? AND assignment_id IN (?)", string(assessment.ResponseSubmitted), assignments).
		Pluck("submitted_at", &times).Error
	if err != nil {
		return nil, translate(err, "submission times of cycle "+cycleID)
	}
	return times, nil
}
