package assessment

import (
	"context"
	"fmt"
	"sync"
)

// Sign-in and password-reset requests start from an email alone, and an
// email may have an account in several organisations (one each: an
// organisation that lists someone's address makes an account there and
// changes nothing for that person elsewhere). Neither may tell who has an
// account where before the password is proved:
//
//   - sign-in checks the password against every account of the email, and
//     always computes the same number of hashes (signInChecks), so an
//     unknown email, a wrong password and an email with accounts in two
//     organisations take the same time and give the same answer;
//   - a reset request does no work that depends on the address: it seals
//     the address into one job and answers; the job finds the accounts and
//     mails each its own link, later, from the queue.

// signInChecks is how many password hashes every sign-in computes: one per
// account of the email, made up to this number with the dummy hash. An
// email with accounts in more organisations than this takes one hash
// longer per extra account, which tells that the address is in that many
// organisations; that needs three organisations on one server listing one
// person, and every further check costs each sign-in some 50 ms.
const signInChecks = 2

// badCredentials is the one answer to a failed sign-in, whether the account
// exists or not.
func badCredentials() error {
	return Errorf(CodeInvalid, "The email address or password is not right.")
}

// dummyHash stands in for a missing account or an account without a
// password yet, so that every sign-in hashes as often as any other.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("lead360 timing equaliser")
	if err != nil {
		panic(err) // only crypto/rand can fail here, and it does not
	}
	return h
})

// signInHashes is what a sign-in checks the password against, in order:
// each account's hash (the dummy for an account without a password), then
// the dummy up to signInChecks.
func signInHashes(users []User) []string {
	hashes := make([]string, max(len(users), signInChecks))
	for i := range hashes {
		hashes[i] = dummyHash()
		if i < len(users) && canSignIn(users[i]) {
			hashes[i] = users[i].PasswordHash
		}
	}
	return hashes
}

// canSignIn reports whether the account opens with a password: it has one,
// and a role to use (an admin whose role was removed keeps the account for
// the audit log, and signs in nowhere).
func canSignIn(u User) bool { return hasPassword(u) && len(u.Roles) > 0 }

// Authenticate checks an email and password against every account of the
// email and returns the accounts the password opens, oldest first: more
// than one when the person has accounts in several organisations with the
// same password, and they choose. An unknown email, an account without a
// password yet and a wrong password give the same error after the same
// work, and so does an account without a role.
func (a *Accounts) Authenticate(ctx context.Context, email, password string) ([]User, error) {
	var users []User
	if norm, err := NormalizeEmail(email); err == nil {
		if users, err = a.store().UsersByEmail(ctx, norm); err != nil {
			return nil, fmt.Errorf("sign in: %w", err)
		}
	}
	var opened []User
	for i, hash := range signInHashes(users) {
		if CheckPassword(hash, password) && i < len(users) && canSignIn(users[i]) {
			opened = append(opened, users[i])
		}
	}
	if len(opened) == 0 {
		return nil, badCredentials()
	}
	return opened, nil
}

// SignInChoice is one account a person may sign in to after their password
// opened several: the organisation it belongs to and its roles there.
type SignInChoice struct {
	UserID           string
	OrganizationName string
	Roles            []Role
}

// SignInChoices describes the accounts a password just opened (the ids
// Authenticate returned), for the person to choose one.
func (a *Accounts) SignInChoices(ctx context.Context, userIDs []string) ([]SignInChoice, error) {
	choices := make([]SignInChoice, 0, len(userIDs))
	for _, id := range userIDs {
		u, err := a.store().User(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("sign-in choice %s: %w", id, err)
		}
		org, err := a.store().Organization(ctx, u.OrganizationID)
		if err != nil {
			return nil, fmt.Errorf("sign-in choice %s: %w", id, err)
		}
		choices = append(choices, SignInChoice{UserID: u.ID, OrganizationName: org.Name, Roles: u.Roles})
	}
	return choices, nil
}

// PasswordResetJob asks the queue for a reset link to every account of an
// address. The address is sealed with the server's key: the job table keeps
// no typed address, known or not, in clear.
type PasswordResetJob struct {
	SealedEmail string `json:"sealed_email"`
}

// Kind names the job for the queue.
func (PasswordResetJob) Kind() string { return "password_reset_request" }

// resetRequestAD binds a sealed address to reset requests.
var resetRequestAD = []byte("lead360 password reset request")

// RequestPasswordReset answers a "forgot password" form: it records one
// job and nothing else, whether the address has accounts or not, so the
// request takes the same time either way (the page answers the same too).
// The job, SendPasswordResets, mails the links. Only an address that is not
// an address at all is refused, which says nothing about accounts.
func (a *Accounts) RequestPasswordReset(ctx context.Context, email string) error {
	norm, err := NormalizeEmail(email)
	if err != nil {
		return &Error{Code: CodeInvalid, Message: "the email address is not valid",
			Fields: map[string]string{"email": "Enter an email address like name@example.com."}}
	}
	sealed, err := a.svc.tokens.seal([]byte(norm), resetRequestAD)
	if err != nil {
		return fmt.Errorf("password reset request: %w", err)
	}
	err = a.store().InTx(ctx, func(tx Store) error {
		return tx.Enqueue(ctx, Job{Args: PasswordResetJob{SealedEmail: sealed}})
	})
	if err != nil {
		return fmt.Errorf("password reset request: %w", err)
	}
	return nil
}

// SendPasswordResets works a reset request: each account of the address
// gets its own link, valid 30 minutes and bound to that account, so a link
// sent for one organisation's account never sets another's password; each
// account's earlier links stop working. An address without accounts gets
// nothing.
func (a *Accounts) SendPasswordResets(ctx context.Context, job PasswordResetJob) error {
	email, err := a.svc.tokens.unseal(job.SealedEmail, resetRequestAD)
	if err != nil {
		return fmt.Errorf("password reset request: %w", err)
	}
	users, err := a.store().UsersByEmail(ctx, string(email))
	if err != nil {
		return fmt.Errorf("password reset request: %w", err)
	}
	err = a.store().InTx(ctx, func(tx Store) error {
		for _, u := range users {
			if err := a.issuePasswordLink(ctx, tx, u, PurposeReset, ResetLinkLifetime, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("password reset request: %w", err)
	}
	return nil
}
