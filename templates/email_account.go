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
	LoginURL         string
	ForgotURL        string // where to ask for a new link
}

func init() {
	EmailNames = append(EmailNames, "account_reset", "account_invite", "account_cycle_opened")
}
