package api_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lead360/lead360/assessment"
)

// adminLeaderEmail is the axe world's account with both roles, seen as
// "both".
const adminLeaderEmail = "admin-leader@example.com"

// roleAxePages are the pages of roles and admins, for axeWorld: the choice
// of the role in use after sign-in, a leader's page with the switch back to
// HR admin in the header, and the admins page with and without mistakes in
// its invitation form; the API tokens page with a mistake and with a token
// just made (and the list holding it).
func roleAxePages(t testing.TB, e *dashEnv) []axePage {
	t.Helper()
	u := e.user(t, adminLeaderEmail, assessment.RoleLeader, "")
	if err := e.Store.AddRole(context.Background(), e.Org.ID, u.ID, assessment.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	return []axePage{
		{name: "role-choice", route: "/role", as: "both", path: "/role"},
		{name: "role-leader-switch", route: "/role", as: "both", path: "/role", then: chromedp.Steps(
			chromedp.Click(chromedp.CSS(`button[value="leader"]`)), chromedp.WaitVisible(chromedp.CSS(`nav.account button`)))},
		{name: "admins", route: "/org/admins", as: "admin", path: "/org/admins"},
		{name: "admins-errors", route: "/org/admins", as: "admin", path: "/org/admins",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#email`), "not an address"), submitEmpty(`form.account-form button[type="submit"]`))},
		{name: "api-docs", route: "/api/v1/docs", path: "/api/v1/docs"},
		{name: "tokens-errors", route: "/org/tokens", as: "admin", path: "/org/tokens",
			then: submitEmpty(`form.account-form button[type="submit"]`)},
		{name: "tokens-made", route: "/org/tokens", as: "admin", path: "/org/tokens",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#name`), "HRIS sync"),
				chromedp.Click(chromedp.CSS(`form.account-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`#new-token`)))},
		{name: "webhooks-errors", route: "/org/webhooks", as: "admin", path: "/org/webhooks",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#url`), "http://10.0.0.7/hooks"), submitEmpty(`form.account-form button[type="submit"]`))},
		{name: "webhooks-added", route: "/org/webhooks", as: "admin", path: "/org/webhooks",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#url`), "https://hooks.example.com/lead360"),
				chromedp.Click(chromedp.CSS(`#event-0`)),
				chromedp.Click(chromedp.CSS(`form.account-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`#new-secret`)))},
		{name: "webhooks-rotated", route: "/org/webhooks", as: "admin", path: "/org/webhooks",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#url`), "https://hooks.example.com/rotated"),
				chromedp.Click(chromedp.CSS(`#event-0`)),
				chromedp.Click(chromedp.CSS(`form.account-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`#new-secret`)),
				chromedp.Click(chromedp.CSS(`form[action$="/rotate"] button`)),
				chromedp.WaitVisible(chromedp.CSS(`#secret-rotated`)))},
	}
}
