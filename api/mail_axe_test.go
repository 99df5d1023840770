package api_test

import (
	"github.com/chromedp/chromedp"

	"github.com/lead360/lead360/assessment"
)

// mailAxePages are the pages of issue #14's emails, for axeWorld: the
// organisation's contact with its problems, and the confirmation before
// leaders of a draft cycle that lets them nominate are asked to.
func mailAxePages(nominating assessment.Cycle) []axePage {
	return []axePage{
		{name: "org-contact", route: "/org/contact", as: "admin", path: "/org/contact"},
		{name: "org-contact-errors", route: "/org/contact", as: "admin", path: "/org/contact",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#contact_name`), "Zoë Martin, People team"),
				chromedp.SetValue(chromedp.CSS(`#contact_email`), "people at example"), submitEmpty(`form.account-form button[type="submit"]`))},
		{name: "cycle-invite-nominate-confirm", route: "/cycles/:id", as: "admin", path: "/cycles/" + nominating.ID,
			then: chromedp.Steps(chromedp.Click(chromedp.CSS(`form[action$="/nominations/invite"] button`)), chromedp.WaitVisible(chromedp.CSS(`section.confirm`)))},
	}
}
