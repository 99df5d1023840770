package api

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TRUST.md bar S5: malformed input on every route of the access matrix gets
// a 4xx (or is accepted as text), never a 5xx, a panic or an internal
// error message. Survey links have their own sweep
// (survey_malformed_test.go).

// hostileValues are what a field of any form is replaced with, one at a
// time.
var hostileValues = map[string]string{
	"1 MB":          strings.Repeat("a", 1<<20),
	"invalid UTF-8": "caf\xe9 \xff\xfe",
	"NUL":           "a\x00b",
	"CRLF":          "a\r\nBcc: victim@example.com",
	"script":        `<script>alert(1)</script>`,
	"formula":       `=cmd|' /C calc'!A0`,
	"negative":      "-1",
	"huge number":   "99999999999999999999999999",
}

// hostileIDs replace every id in a path.
var hostileIDs = map[string]string{
	"10k id":      strings.Repeat("9", 10_000),
	"negative id": "-1",
	"NUL id":      "%00",
	"bad escape":  "%ff%fe",
	"traversal":   "..%2F..%2Fetc%2Fpasswd",
}

// bigBody is over net/http's 10 MB limit for a parsed form.
var bigBody = "name=" + strings.Repeat("a", 12<<20)

var idSegment = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// leakedInternals are signs of an error message written for programmers.
var leakedInternals = regexp.MustCompile(`runtime error|goroutine \d+ \[|panic:|SQLSTATE|sql: |gorm\.|\.go:\d+`)

func TestMalformedInputGetsClearRefusals(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		examplePersonRoute(h)
		w := newAccessWorld(t, h)
		check := func(what string, rec *httptest.ResponseRecorder) {
			t.Helper()
			body := rec.Body.String()
			switch {
			case rec.Code >= 500:
				t.Errorf("%s: %d\n%.300s", what, rec.Code, body)
			case leakedInternals.MatchString(body):
				t.Errorf("%s: %d answers with an internal message: %q", what, rec.Code, leakedInternals.FindString(body))
			case rec.Code >= 400 && rec.Code != http.StatusTooManyRequests && strings.TrimSpace(body) == "":
				t.Errorf("%s: %d with an empty body", what, rec.Code)
			}
		}
		for _, a := range []actor{adminX, leaderA, anonymous} {
			for _, row := range accessRows {
				if row.signsOut {
					continue // it would sign the actor out for the rows after it
				}
				c := w.clients[a]
				path := row.route
				if row.path != nil {
					path = row.path(w, a, true)
				}
				name := row.method + " " + row.route + " as " + string(a)
				send := func(what string, req *http.Request) {
					check(name+", "+what, c.send(req))
				}
				for what, id := range hostileIDs {
					if bad := idSegment.ReplaceAllString(path, id); bad != path {
						send(what, httptest.NewRequest(row.method, bad, nil))
					}
				}
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				send("repeated and broken query parameters", httptest.NewRequest(row.method,
					path+sep+"leader=%00&leader=x&page=-1&page=abc&id=%ff", nil))
				if row.method != http.MethodPost {
					continue
				}
				token := ""
				if c.cookie != "" {
					token = c.csrf()
				}
				post := func(what string, form url.Values) {
					if token != "" {
						form.Set(csrfField, token)
					}
					req := formRequest(path, form)
					req.Header.Set("Sec-Fetch-Site", "same-origin")
					send(what, req)
				}
				// Every field gets every hostile value but the 1 MB one,
				// which one field per form carries, as the admin (the only
				// actor whose forms are read): echoing 1 MB back into each
				// re-rendered form costs seconds under -race.
				fields := slices.Sorted(maps.Keys(row.form))
				for i, field := range fields {
					for what, v := range hostileValues {
						if what == "1 MB" && (i > 0 || a != adminX) {
							continue
						}
						form := url.Values{}
						for k, vs := range row.form {
							form[k] = vs
						}
						form.Set(field, v)
						post(field+" "+what, form)
					}
					form := url.Values{}
					for k, vs := range row.form {
						form[k] = vs
					}
					form.Add(field, "a second value")
					post(field+" twice", form)
				}
				post("empty form", url.Values{})
				for what, ct := range map[string]string{
					"JSON":             echo.MIMEApplicationJSON,
					"plain text":       echo.MIMETextPlain,
					"broken multipart": "multipart/form-data; boundary=",
					"no content type":  "",
				} {
					req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{"name":"x"}`))
					if ct != "" {
						req.Header.Set(echo.HeaderContentType, ct)
					}
					req.Header.Set("Sec-Fetch-Site", "same-origin")
					send(what, req)
				}
				if a != adminX {
					continue // the body limit is the same middleware for everyone
				}
				big := httptest.NewRequest(http.MethodPost, path, strings.NewReader(bigBody))
				big.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
				big.Header.Set("Sec-Fetch-Site", "same-origin")
				send("12 MB body", big)
			}
		}
	})
}
