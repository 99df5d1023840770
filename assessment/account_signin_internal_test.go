package assessment

import "testing"

// Every sign-in computes the same number of hashes, whatever the email has:
// no account, an account without a password yet, an account without a
// role (a removed admin's, checked against the dummy), or accounts in two
// organisations. Only a third organisation adds one.
func TestSignInHashesTheSameWhateverTheEmailHas(t *testing.T) {
	t.Parallel()
	withPassword := User{PasswordHash: dummyHash()[:len(dummyHash())-1] + "A", Roles: []Role{RoleAdmin}}
	invited := User{Roles: []Role{RoleLeader}}
	removed := User{PasswordHash: withPassword.PasswordHash}
	for _, tc := range []struct {
		name  string
		users []User
		want  int
	}{
		{"unknown email", nil, signInChecks},
		{"one account", []User{withPassword}, signInChecks},
		{"one invited account", []User{invited}, signInChecks},
		{"one removed admin", []User{removed}, signInChecks},
		{"two organisations", []User{withPassword, invited}, signInChecks},
		{"three organisations", []User{withPassword, withPassword, withPassword}, 3},
	} {
		hashes := signInHashes(tc.users)
		if len(hashes) != tc.want {
			t.Errorf("%s: %d hashes, want %d", tc.name, len(hashes), tc.want)
		}
		for i, h := range hashes {
			want := dummyHash()
			if i < len(tc.users) && canSignIn(tc.users[i]) {
				want = tc.users[i].PasswordHash
			}
			if h != want {
				t.Errorf("%s: hash %d is not the account's (or the dummy)", tc.name, i)
			}
		}
	}
}
