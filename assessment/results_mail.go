package assessment

import (
	"context"

	"github.com/lead360/lead360/scoring"
)

// The email to each leader when results are released (issue #14, item 9),
// recorded in the release's transaction: a release that commits mails every
// leader once, one that fails mails nobody.
//
// Choices: the email holds no score and no count (email is not a secure
// channel): it says the report is ready, links to sign-in, and says in one
// line what the report is. A leader whose report shows nobody else's
// answers (no group reached the threshold) gets a different email, which
// does not promise feedback that is not there and names the contact. A
// re-release sends nothing: it changes how the same answers are computed,
// the leaders already know where their report is, and a second "your
// results are ready" for the same cycle would read as new feedback.

// Account emails of a release.
const (
	PurposeResultsReady    PasswordPurpose = "results_ready"
	PurposeResultsSelfOnly PasswordPurpose = "results_self_only"
)

// resultsMailJobs are the release emails of the leaders of res: one per
// leader with a dashboard account in the organisation (every leader of a
// cycle opened from the dashboard has one). without counts the leaders who
// have none, and so no page to sign in to.
func resultsMailJobs(ctx context.Context, tx Store, c Cycle, res *scoring.Result) (jobs []Job, without int, err error) {
	parts, err := tx.Participants(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return nil, 0, err
	}
	personOf := make(map[string]string, len(parts))
	for _, p := range parts {
		personOf[p.ID] = p.PersonID
	}
	for i := range res.Leaders {
		l := &res.Leaders[i]
		person, err := tx.Person(ctx, c.OrganizationID, personOf[l.ParticipantID])
		if err != nil {
			return nil, 0, err
		}
		u, err := tx.UserByEmail(ctx, c.OrganizationID, person.Email)
		if ErrorCode(err) == CodeNotFound {
			without++
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		mail := PurposeResultsReady
		if !othersShown(l) {
			mail = PurposeResultsSelfOnly
		}
		jobs = append(jobs, Job{Args: AccountMailJob{Mail: mail, OrganizationID: c.OrganizationID, UserID: u.ID, CycleID: c.ID}})
	}
	return jobs, without, nil
}

// othersShown reports whether the leader's report shows anyone's answers
// but their own.
func othersShown(l *scoring.Leader) bool {
	for g, n := range l.MostRaters() {
		if g != scoring.GroupSelf && n > 0 {
			return true
		}
	}
	return false
}
