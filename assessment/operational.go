package assessment

// OperationalCounts is how the installation stands, for monitoring: the
// job queue by job kind and state, cycles by status, and the survey emails
// sent and failed. Counts only, across organisations: nothing in it names a
// person or an answer.
type OperationalCounts struct {
	Jobs   []JobCount
	Cycles map[CycleStatus]int
	// EmailsSent and EmailsFailed count survey invitations whose last email
	// went out, or failed for good.
	EmailsSent, EmailsFailed int
}

// JobCount is how many jobs of one kind are in one state of the queue
// (available, scheduled, running, retryable, completed, discarded...).
type JobCount struct {
	Kind, State string
	N           int
}
