package assessment_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

func TestWebhookURLRegistration(t *testing.T) {
	t.Parallel()
	opened := []string{string(assessment.EventCycleOpened)}
	for _, tc := range []struct {
		url          string
		allowPrivate bool
		want         string // the URL stored; empty when refused
	}{
		{"https://hr.example.com/hooks/lead360", false, "https://hr.example.com/hooks/lead360"},
		{"  https://hr.example.com/h#frag ", false, "https://hr.example.com/h"},
		{"http://hr.example.com/hooks", false, ""},
		{"http://hr.example.com/hooks", true, ""},
		{"https://127.0.0.1/hooks", false, ""},
		{"http://127.0.0.1:8080/hooks", false, ""},
		{"http://127.0.0.1:8080/hooks", true, "http://127.0.0.1:8080/hooks"},
		{"https://10.1.2.3/hooks", false, ""},
		{"https://10.1.2.3/hooks", true, "https://10.1.2.3/hooks"},
		{"https://192.168.1.1/", false, ""},
		{"https://169.254.169.254/latest/meta-data", false, ""},
		{"https://[::1]/hooks", false, ""},
		{"https://[::ffff:10.0.0.1]/hooks", false, ""},
		{"https://[fe80::1]/hooks", false, ""},
		{"https://0.0.0.0/hooks", false, ""},
		{"https://localhost/hooks", false, ""},
		{"https://api.localhost/hooks", false, ""},
		{"https://user:secret@hr.example.com/hooks", false, ""},
		{"hr.example.com/hooks", false, ""},
		{"ftp://hr.example.com/hooks", false, ""},
		{"", false, ""},
	} {
		t.Run(tc.url, func(t *testing.T) {
			got, _, err := assessment.CheckNewWebhook(assessment.NewWebhook{URL: tc.url, Events: opened}, tc.allowPrivate)
			if tc.want == "" {
				if fieldMessage(err, "url") == "" {
					t.Fatalf("%q (private allowed: %v) accepted as %q, want refused next to the url field (err %v)", tc.url, tc.allowPrivate, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("%q: got %q, %v; want %q", tc.url, got, err, tc.want)
			}
		})
	}
}

func TestWebhookEventsRegistration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		events []string
		want   int // events kept; -1 when refused
	}{
		{"none", nil, -1},
		{"unknown", []string{"cycle.deleted"}, -1},
		{"one", []string{"cycle.closed"}, 1},
		{"repeated", []string{"cycle.closed", "cycle.closed", "cycle.released"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, events, err := assessment.CheckNewWebhook(assessment.NewWebhook{URL: "https://hr.example.com/h", Events: tc.events}, false)
			if tc.want < 0 {
				if fieldMessage(err, "events") == "" {
					t.Fatalf("%v accepted, want refused next to the events field (err %v)", tc.events, err)
				}
				return
			}
			if err != nil || len(events) != tc.want {
				t.Fatalf("%v: got %v, %v; want %d events", tc.events, events, err, tc.want)
			}
		})
	}
}

// fieldMessage is the message err shows next to field.
func fieldMessage(err error, field string) string {
	var e *assessment.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Fields[field]
}

// A name is resolved when it is registered: one that resolves to a
// private address is refused unless private targets are allowed, one with
// no address is refused with its own message, and a lookup that does not
// answer in time is refused without holding the form.
func TestWebhookHostIsResolvedAtRegistration(t *testing.T) {
	t.Parallel()
	f := assessmenttest.NewFixture(t, assessmenttest.Engine{Name: store.SQLite})
	stuck := func(ctx context.Context, _ string) ([]netip.Addr, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	for _, tc := range []struct {
		host         string
		allowPrivate bool
		lookup       assessment.LookupNetIP
		want         string // the start of the message next to the url field; empty when accepted
	}{
		{"hooks.example.com", false, nil, ""},
		{assessmenttest.PrivateHost, false, nil, "private.example.com resolves to 10.0.0.9, an address inside a private network"},
		{assessmenttest.PrivateHost, true, nil, ""},
		{assessmenttest.MissingHost, false, nil, "No address was found for missing.example.com"},
		{assessmenttest.MissingHost, true, nil, "No address was found for missing.example.com"},
		{"slow.example.com", false, stuck, "The name slow.example.com could not be looked up just now (no answer within"},
	} {
		t.Run(fmt.Sprintf("%s/private=%v", tc.host, tc.allowPrivate), func(t *testing.T) {
			svc := *f.Service
			svc.AllowPrivateWebhooks = tc.allowPrivate
			if tc.lookup != nil {
				svc.LookupHost = tc.lookup
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_, _, err := svc.CreateWebhook(ctx, f.Org.ID, "", assessment.NewWebhook{URL: "https://" + tc.host + "/hooks",
				Events: []string{string(assessment.EventCycleClosed)}})
			got := fieldMessage(err, "url")
			if tc.want == "" && err != nil || !strings.HasPrefix(got, tc.want) {
				t.Fatalf("%s: url message %q (err %v), want %q", tc.host, got, err, tc.want)
			}
		})
	}
}
