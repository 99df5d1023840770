package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/lead360/lead360/assessment"
)

// The kinds of request a rater makes, in the order they make them.
const (
	kindOpen     = "open survey (GET)"
	kindAutosave = "autosave (20 answers)"
	kindSubmit   = "submit (40 answers)"
)

var kinds = []string{kindOpen, kindAutosave, kindSubmit}

// results are the latencies of every request by kind, and the failures.
type results struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration
	failures  map[string]int
	firstFail string
	elapsed   time.Duration
}

func (r *results) record(kind string, took time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.failures[kind]++
		if r.firstFail == "" {
			r.firstFail = err.Error()
		}
		return
	}
	r.latencies[kind] = append(r.latencies[kind], took)
}

func (r *results) failed() bool {
	for _, n := range r.failures {
		if n > 0 {
			return true
		}
	}
	return false
}

// drive answers every survey once with o.clients concurrent clients, each
// bound to one replica in turn (as a load balancer spreads connections),
// until the surveys or o.duration run out.
func drive(ctx context.Context, cl *cluster, o options) *results {
	res := &results{latencies: map[string][]time.Duration{}, failures: map[string]int{}}
	in, err := assessment.BuiltinInstrument()
	if err != nil {
		panic(err) // the embedded form parses in every test
	}
	var items []string
	for _, s := range in.Skills {
		for _, it := range s.Items {
			items = append(items, it.Key)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	tokens := make(chan string, len(cl.tokens))
	for _, t := range cl.tokens {
		tokens <- t
	}
	close(tokens)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range o.clients {
		r := rater{base: cl.bases[i%len(cl.bases)], items: items, res: res,
			hc: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		wg.Go(func() {
			for tok := range tokens {
				if ctx.Err() != nil {
					return
				}
				r.answer(ctx, tok)
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// rater is one client: a phone answering one survey after another.
type rater struct {
	base  string
	items []string
	hc    *http.Client
	res   *results
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// answer opens the survey, autosaves the first half of the answers and
// submits them all, as the survey page does.
func (r rater) answer(ctx context.Context, token string) {
	link := r.base + "/s/" + token
	var version int
	if !r.do(ctx, kindOpen, http.MethodGet, link, nil, func(body []byte) error {
		m := versionField.FindSubmatch(body)
		if m == nil {
			return fmt.Errorf("the survey page has no version field")
		}
		version, _ = strconv.Atoi(string(m[1]))
		return nil
	}) {
		return
	}
	form := url.Values{"version": {strconv.Itoa(version)}}
	for i, key := range r.items[:len(r.items)/2] {
		form.Set("a."+key, strconv.Itoa(1+i%5))
	}
	if !r.do(ctx, kindAutosave, http.MethodPost, link+"/autosave", form, func(body []byte) error {
		var saved struct{ Version int }
		if err := json.Unmarshal(body, &saved); err != nil {
			return fmt.Errorf("autosave answered %q", body)
		}
		version = saved.Version
		return nil
	}) {
		return
	}
	form.Set("version", strconv.Itoa(version))
	form.Set("action", "submit")
	for i, key := range r.items {
		form.Set("a."+key, strconv.Itoa(1+i%5))
	}
	r.do(ctx, kindSubmit, http.MethodPost, link, form, nil)
}

// do sends one request and records its latency, or why it failed: a status
// other than 200 or 303, or a body check's complaint.
func (r rater) do(ctx context.Context, kind, method, link string, form url.Values, check func([]byte) error) bool {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, link, body)
	if err != nil {
		r.res.record(kind, 0, err)
		return false
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
	}
	start := time.Now()
	resp, err := r.hc.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			r.res.record(kind, 0, err)
		}
		return false
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	switch {
	case err != nil:
	case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther:
		err = fmt.Errorf("%s answered %d: %.200s", kind, resp.StatusCode, b)
	case check != nil:
		err = check(b)
	}
	r.res.record(kind, took, err)
	return err == nil
}

// print writes the table: per kind the count, failures, rate and
// percentiles, and the submitted surveys per second.
func (r *results) print(w io.Writer, o options, replicas int) {
	fmt.Fprintf(w, "%d replica(s), %d clients, %s under load\n\n", replicas, o.clients, r.elapsed.Round(time.Millisecond))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "request\tdone\tfailed\tper second\tp50 ms\tp95 ms\tp99 ms\t")
	for _, k := range kinds {
		lat := r.latencies[k]
		slices.Sort(lat)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t\n", k, len(lat), r.failures[k],
			float64(len(lat))/r.elapsed.Seconds(), pct(lat, 50), pct(lat, 95), pct(lat, 99))
	}
	tw.Flush()
	if r.firstFail != "" {
		fmt.Fprintf(w, "\nfirst failure: %s\n", r.firstFail)
	}
}

// pct is the p-th percentile of sorted latencies in milliseconds (nearest
// rank), or "-" with none.
func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	i := (len(sorted)*p+99)/100 - 1
	return fmt.Sprintf("%.1f", float64(sorted[max(i, 0)])/float64(time.Millisecond))
}
