package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest/surveyclient"
)

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
// until the surveys or o.duration run out. With o.submitOnly it first
// drafts every survey, untimed, then times the submits alone.
func drive(ctx context.Context, cl *cluster, o options) (*results, error) {
	res := &results{latencies: map[string][]time.Duration{}, failures: map[string]int{}}
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	raters := make([]surveyclient.Rater, o.clients)
	for i := range raters {
		r, err := surveyclient.New(cl.bases[i%len(cl.bases)])
		if err != nil {
			return nil, err
		}
		r.Observe = res.record
		raters[i] = r
	}
	start := time.Now()
	answer := func(r surveyclient.Rater, tok string) { _ = r.Answer(ctx, tok) } // Observe has recorded how it went
	if o.submitOnly {
		versions := make(map[string]int, len(cl.tokens))
		var mu sync.Mutex
		eachSurvey(ctx, cl.tokens, raters, func(r surveyclient.Rater, tok string) {
			if v, err := r.Draft(ctx, tok); err == nil {
				mu.Lock()
				versions[tok] = v
				mu.Unlock()
			}
		})
		if res.failed() {
			res.elapsed = time.Since(start)
			return res, nil // the table names the drafts that failed
		}
		res.latencies = map[string][]time.Duration{}
		answer = func(r surveyclient.Rater, tok string) { _ = r.Submit(ctx, tok, versions[tok]) }
		start = time.Now()
	}
	eachSurvey(ctx, cl.tokens, raters, answer)
	res.elapsed = time.Since(start)
	return res, nil
}

// eachSurvey calls do for every token, the raters working in parallel,
// until the tokens or ctx run out.
func eachSurvey(ctx context.Context, tokens []string, raters []surveyclient.Rater, do func(surveyclient.Rater, string)) {
	queue := make(chan string, len(tokens))
	for _, t := range tokens {
		queue <- t
	}
	close(queue)
	var wg sync.WaitGroup
	for _, r := range raters {
		wg.Go(func() {
			for tok := range queue {
				if ctx.Err() != nil {
					return
				}
				do(r, tok)
			}
		})
	}
	wg.Wait()
}

// print writes the table: per kind the count, failures, rate and
// percentiles, and the submitted surveys per second.
func (r *results) print(w io.Writer, o options, replicas int) {
	fmt.Fprintf(w, "%d replica(s), %d clients, %s under load\n\n", replicas, o.clients, r.elapsed.Round(time.Millisecond))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "request\tdone\tfailed\tper second\tp50 ms\tp95 ms\tp99 ms\t")
	for _, k := range surveyclient.Kinds {
		lat := r.latencies[k]
		if len(lat) == 0 && r.failures[k] == 0 {
			continue // not timed in this run (-submit-only)
		}
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
