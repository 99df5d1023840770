package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/api"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// TRUST.md bar S5 on survey links: whatever a rater's browser (or anyone)
// sends to a link, the answer is a page or a 4xx with words, never a 5xx or
// an internal message, and a comment comes back as text, never as markup.
func TestSurveyLinksRefuseMalformedInputClearly(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, eng, manyDeadLinks)
			_, tokens := e.openSmallCycle(t)
			token := tokens["cy@example.com"][0]
			link := "/s/" + token
			internal := api.LeakedInternals
			check := func(what string, resp *http.Response, body string) {
				t.Helper()
				switch {
				case resp.StatusCode >= 500:
					t.Errorf("%s: %d\n%.300s", what, resp.StatusCode, body)
				case internal.MatchString(body):
					t.Errorf("%s: %d answers with an internal message: %q", what, resp.StatusCode, internal.FindString(body))
				case resp.StatusCode >= 400 && resp.StatusCode != http.StatusTooManyRequests && strings.TrimSpace(body) == "":
					t.Errorf("%s: %d with an empty body", what, resp.StatusCode)
				}
			}
			hostile := api.HostileValues
			fields := []string{"version", "action", "a.delegation.shares_context", "c.overall", "c.delegation.keep_and_change"}
			for _, path := range []string{link, link + "/autosave"} {
				for _, field := range fields {
					for what, v := range hostile {
						form := url.Values{"version": {"0"}, "action": {"save"}}
						form.Set(field, v)
						resp, body := e.do(t, http.MethodPost, path, form, "")
						check(path+" "+field+" "+what, resp, body)
					}
					form := url.Values{"version": {"0"}, field: {"1", "2"}}
					resp, body := e.do(t, http.MethodPost, path, form, "")
					check(path+" "+field+" twice", resp, body)
				}
				for what, ct := range map[string]string{"JSON": "application/json", "plain text": "text/plain", "broken multipart": "multipart/form-data; boundary="} {
					req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(`{"version":0}`))
					if err != nil {
						t.Fatal(err)
					}
					req.Header.Set("Content-Type", ct)
					resp, err := e.client.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
					if resp.StatusCode >= 500 {
						t.Errorf("%s %s: %d", path, what, resp.StatusCode)
					}
				}
				resp, body := e.do(t, http.MethodPost, path, url.Values{"version": {"0"}, "c.overall": {strings.Repeat("a", 12<<20)}}, "")
				check(path+" 12 MB body", resp, body)
			}
			for what, bad := range map[string]string{"10k token": strings.Repeat("A", 10_000), "NUL token": "%00", "bad escape": "%ff%fe", "traversal": "..%2F..%2Fetc%2Fpasswd"} {
				for _, p := range []string{"/s/" + bad, "/s/" + bad + "/done", "/s/" + bad + "/autosave"} {
					method := http.MethodGet
					if strings.HasSuffix(p, "/autosave") {
						method = http.MethodPost
					}
					resp, body := e.do(t, method, p, url.Values{"version": {"0"}}, "")
					check(p[:min(len(p), 40)]+" "+what, resp, body)
				}
			}

			// A saved comment with markup and a formula comes back as text.
			// (Some hostile forms above were valid and saved: start from
			// the stored version.)
			before, err := e.Service.Survey(context.Background(), token)
			if err != nil {
				t.Fatal(err)
			}
			form := url.Values{"version": {strconv.Itoa(before.Response.Version)}, "action": {"save"}, "c.overall": {`<script>alert(1)</script> =cmd|' /C calc'!A0`}}
			if resp, body := e.do(t, http.MethodPost, link, form, ""); resp.StatusCode >= 400 {
				t.Fatalf("saving a comment with markup: %d\n%.300s", resp.StatusCode, body)
			}
			sv, err := e.Service.Survey(context.Background(), token)
			if err != nil {
				t.Fatal(err)
			}
			if sv.Response.Version != before.Response.Version+1 {
				t.Fatal("the comment was not saved")
			}
			_, page := e.do(t, http.MethodGet, link+"?step=6", nil, "")
			if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Error("the saved comment is not shown as escaped text")
			}
		})
	}
}
