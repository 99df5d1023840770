// Package surveyclient answers lead360 surveys over HTTP as a rater's phone
// does: open the emailed link, autosave half the answers, then submit all
// of them. The load harness (cmd/loadtest) measures servers with it and the
// replica tests put load on them with it. It speaks only HTTP, so it
// answers a server in another process exactly as a phone would.
package surveyclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
)

// The kinds of request a rater makes, in the order they make them.
const (
	Open     = "open survey (GET)"
	Autosave = "autosave (20 answers)"
	Submit   = "submit (40 answers)"
)

// Kinds are the kinds of request, in the order a rater makes them.
var Kinds = []string{Open, Autosave, Submit}

// Rater is one client answering one survey after another at Base, a
// server's address such as http://127.0.0.1:8080.
type Rater struct {
	Base  string
	items []string
	hc    *http.Client
	// Observe, when set, hears of every request: its kind, how long it
	// took, and why it failed (nil when it did not).
	Observe func(kind string, took time.Duration, err error)
}

// New returns a rater for the server at base, answering the built-in
// questionnaire.
func New(base string) (Rater, error) {
	in, err := assessment.BuiltinInstrument()
	if err != nil {
		return Rater{}, fmt.Errorf("the built-in questionnaire: %w", err)
	}
	var items []string
	for _, s := range in.Skills {
		for _, it := range s.Items {
			items = append(items, it.Key)
		}
	}
	return Rater{Base: base, items: items, hc: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// Answer opens the survey of token, autosaves the first half of the
// answers and submits them all, as the survey page does, and returns the
// first failure: a request that failed, or an answer other than 200 or 303.
// A nil error means the server acknowledged the submission.
func (r Rater) Answer(ctx context.Context, token string) error {
	version, err := r.Draft(ctx, token)
	if err != nil {
		return err
	}
	return r.Submit(ctx, token, version)
}

// Draft opens the survey of token and autosaves the first half of the
// answers, and returns the draft's version, which Submit needs.
func (r Rater) Draft(ctx context.Context, token string) (version int, err error) {
	link := r.Base + "/s/" + token
	err = r.do(ctx, Open, http.MethodGet, link, nil, func(body []byte) error {
		m := versionField.FindSubmatch(body)
		if m == nil {
			return fmt.Errorf("the survey page has no version field")
		}
		version, _ = strconv.Atoi(string(m[1]))
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = r.do(ctx, Autosave, http.MethodPost, link+"/autosave", r.answers(len(r.items)/2, version), func(body []byte) error {
		var saved struct{ Version int }
		if err := json.Unmarshal(body, &saved); err != nil {
			return fmt.Errorf("autosave answered %q", body)
		}
		version = saved.Version
		return nil
	})
	return version, err
}

// Submit submits all the answers of token's survey over the draft at
// version.
func (r Rater) Submit(ctx context.Context, token string, version int) error {
	form := r.answers(len(r.items), version)
	form.Set("action", "submit")
	return r.do(ctx, Submit, http.MethodPost, r.Base+"/s/"+token, form, nil)
}

// answers is the form of the first n answers over the draft at version.
func (r Rater) answers(n, version int) url.Values {
	form := url.Values{"version": {strconv.Itoa(version)}}
	for i, key := range r.items[:n] {
		form.Set("a."+key, strconv.Itoa(1+i%5))
	}
	return form
}

// do sends one request, tells Observe of it, and returns why it failed: a
// status other than 200 or 303, or a body check's complaint. A request cut
// short because ctx ended is not observed.
func (r Rater) do(ctx context.Context, kind, method, link string, form url.Values, check func([]byte) error) error {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, link, body)
	if err != nil {
		return r.observe(kind, 0, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
	}
	start := time.Now()
	resp, err := r.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", kind, ctx.Err())
		}
		return r.observe(kind, 0, fmt.Errorf("%s: %w", kind, err))
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	switch {
	case err != nil:
		err = fmt.Errorf("%s: %w", kind, err)
	case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther:
		err = fmt.Errorf("%s answered %d: %.200s", kind, resp.StatusCode, b)
	case check != nil:
		err = check(b)
	}
	return r.observe(kind, took, err)
}

func (r Rater) observe(kind string, took time.Duration, err error) error {
	if r.Observe != nil {
		r.Observe(kind, took, err)
	}
	return err
}
