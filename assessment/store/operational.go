package store

import (
	"context"
	"fmt"

	"github.com/lead360/lead360/assessment"
)

// OperationalCounts reads what monitoring shows (assessment.OperationalCounts)
// in three grouped counts; Prometheus asks for it at each scrape.
func (s *Store) OperationalCounts(ctx context.Context) (assessment.OperationalCounts, error) {
	out := assessment.OperationalCounts{Cycles: map[assessment.CycleStatus]int{}}
	db := s.db.WithContext(ctx)
	if err := db.Raw("SELECT kind, state, COUNT(*) AS n FROM river_job GROUP BY kind, state ORDER BY kind, state").Scan(&out.Jobs).Error; err != nil {
		return out, fmt.Errorf("count jobs: %w", err)
	}
	var cycles []struct {
		Status string
		N      int
	}
	if err := db.Raw("SELECT status, COUNT(*) AS n FROM cycles GROUP BY status").Scan(&cycles).Error; err != nil {
		return out, fmt.Errorf("count cycles: %w", err)
	}
	for _, c := range cycles {
		out.Cycles[assessment.CycleStatus(c.Status)] = c.N
	}
	var emails struct{ Sent, Failed int }
	if err := db.Raw("SELECT COUNT(sent_at) AS sent, COUNT(failed_at) AS failed FROM invitations").Scan(&emails).Error; err != nil {
		return out, fmt.Errorf("count emails: %w", err)
	}
	out.EmailsSent, out.EmailsFailed = emails.Sent, emails.Failed
	return out, nil
}
