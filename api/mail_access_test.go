package api

import (
	"net/http"
	"net/url"
)

// Access rows of issue #14's routes: the organisation's contact (an admin
// sets their own organisation's; the form has no organisation to name) and
// asking a draft cycle's leaders to nominate (the world's nominating cycle;
// without "confirm" the admin gets the confirmation, so the row changes
// nothing another row relies on).
var mailAccessRows = []accessRow{
	{method: http.MethodGet, route: "/org/contact", allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/org/contact", allowed: []actor{adminX, adminY},
		form: url.Values{"contact_name": {"Zoë Martin, People team"}, "contact_email": {"people@example.com"}}},
	{method: http.MethodPost, route: "/cycles/:id/nominations/invite", path: cyclePath("/nominations/invite"), allowed: []actor{adminX, adminY}},
}

func init() { accessRows = append(accessRows, mailAccessRows...) }
