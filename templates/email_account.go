package templates

// AccountEmail is the view model of the account emails (account_*.tmpl):
// a password reset, a leader's invitation to the dashboard, and the note
// that a cycle opened for a leader who can already sign in.
type AccountEmail struct {
	Name             string // may be "" -> "Hello,"
	OrganizationName string
	SenderName       string // who runs the feedback: the HR contact
	CycleName        string // invitation and note: the cycle that opened
	ClosesAt         string // formatted for people; "" when no cycle
	Link             string // the single-use link that sets a password; "" for the note
	ExpiresIn        string // "30 minutes", "7 days"
	ExpiresAt        string // formatted for people
	// LoginURL signs in, then goes to PageURL when the email is about a
	// page (nominations, results).
	LoginURL  string
	ForgotURL string // where to ask for a new link
	// Contact is who answers questions: the organisation's contact, "Zoë
	// Martin, People team (people@example.com)", or SenderName.
	Contact string
	// PageURL is the dashboard page the email is about: the leader's
	// nominations or results; "" for the others.
	PageURL string
	// OpensAt is when a draft cycle is planned to open, which ends
	// nominations; "" when it is not ahead.
	OpensAt string
	// SelfOnly marks a release email whose report shows nobody else's
	// answers: no group reached the anonymity threshold.
	SelfOnly bool
}

func init() {
	EmailNames = append(EmailNames, "account_reset", "account_invite", "account_cycle_opened",
		"account_nominate_invite", "account_nominate", "account_results_ready")
}
