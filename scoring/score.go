package scoring

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// Score scores one cycle: it validates the input, applies the anonymity
// rules once per leader (disclose), computes the cohort statistics from
// what those rules let through, then each leader's figures. The result
// does not depend on the order of in.Ratings.
func Score(in Input) (Result, error) { return score(in, keepViews, nil) }

// score is Score with the cycle size up to which views are kept between
// passes and a function that may change the settings (parameters so tests
// can compare both passes and lower the cohort minimums for small cycles).
func score(in Input, keepUpTo int, adjust func(*Settings)) (Result, error) {
	inst, set, panels, ps, err := prepare(in)
	if err != nil {
		return Result{}, err
	}
	defer ps.release()
	if adjust != nil {
		adjust(&set)
	}

	// Small cycles keep every leader's view from the first pass to the
	// second. Large ones keep only what the cohort needs (summarize) and run
	// disclose again for each leader in a reused scratch: disclose is a pure
	// function of the panel, so both passes see the same view, and a
	// 10,000-leader cycle does not hold 10,000 views at once.
	keep := len(panels) <= keepUpTo
	var (
		views []view             // nil: the leader pass runs disclose again
		kept  []*discloseScratch // back views; returned when Score ends
	)
	if keep {
		views = make([]view, len(panels))
		kept = make([]*discloseScratch, len(panels))
		defer func() {
			for _, sc := range kept {
				if sc != nil {
					discloseScratches.Put(sc)
				}
			}
		}()
	}
	summaries, err := summarizeLeaders(panels, inst, set.KMin, views, kept)
	if err != nil {
		return Result{}, fmt.Errorf("cohort: %w", err)
	}

	// The cohort statistics and the leaders' own figures are independent:
	// for a large cycle compute them side by side, then join them
	// (reliability, percentiles). For a small one, handing work to another
	// goroutine costs more than it saves.
	var (
		cohort    Cohort
		others    [][]float64
		cohortErr error
		cohortRun sync.WaitGroup
	)
	if keep {
		cohort, others, cohortErr = cohortStats(summaries, inst, set)
	} else {
		cohortRun.Go(func() { cohort, others, cohortErr = cohortStats(summaries, inst, set) })
	}
	leaders, err := scoreLeaders(in, panels, inst, set, views)
	cohortRun.Wait()
	if err != nil {
		return Result{}, err
	}
	if cohortErr != nil {
		return Result{}, fmt.Errorf("cohort: %w", cohortErr)
	}
	for li := range leaders {
		for si := range leaders[li].Skills {
			sk := &leaders[li].Skills[si]
			sk.Reliability = reliability(sk, cohort.Skills[si].ICC.ICC1)
		}
	}
	if err := percentiles(leaders, others, len(inst.skills), set.CohortMinLeaders); err != nil {
		return Result{}, fmt.Errorf("percentiles: %w", err)
	}
	return Result{EngineVersion: EngineVersion, Settings: set, Cohort: cohort, Leaders: leaders}, nil
}

// summarizeLeaders is the cohort pass: it applies the anonymity rules to
// each leader and keeps what the cohort statistics need. With views
// non-nil, each leader's view is also kept in views[i], built in a scratch
// kept in kept[i]; otherwise the scratches go back to the pool.
func summarizeLeaders(panels []panel, inst *instrument, k int, views []view, kept []*discloseScratch) ([]cohortLeader, error) {
	summaries := make([]cohortLeader, len(panels))
	err := parallel(len(panels), func(i int) (err error) {
		if views != nil {
			kept[i] = discloseScratches.Get().(*discloseScratch)
			views[i] = disclose(&panels[i], inst, k, kept[i])
			summaries[i], err = summarize(&views[i], inst)
			return err
		}
		sc := discloseScratches.Get().(*discloseScratch)
		defer discloseScratches.Put(sc)
		v := disclose(&panels[i], inst, k, sc)
		summaries[i], err = summarize(&v, inst)
		return err
	})
	return summaries, err
}

// scoreLeaders is the leader pass: each leader's own figures, from the view
// kept in views[i] or, with views nil, from disclose run again.
func scoreLeaders(in Input, panels []panel, inst *instrument, set Settings, views []view) ([]Leader, error) {
	leaders := make([]Leader, len(panels))
	err := parallel(len(panels), func(i int) error {
		s := scorers.Get().(*scorer)
		s.inst, s.set = inst, set
		defer s.release()
		var v *view
		if views != nil {
			v = &views[i]
		} else {
			vv := disclose(&panels[i], inst, set.KMin, &s.disclose)
			v = &vv
		}
		var prev *Leader
		if p, ok := in.Previous[v.participant]; ok {
			prev = &p
		}
		l, err := s.leader(v, prev)
		if err != nil {
			return fmt.Errorf("leader %q: %w", v.participant, err)
		}
		if prev != nil {
			withholdPanelTrends(&l, v, panels[i].raters, in.PreviousPanels[v.participant], set.KMin)
		}
		leaders[i] = l
		return nil
	})
	return leaders, err
}

// prepare validates in and sorts its ratings into one panel per leader. The
// panels live in the returned scratch: release it when they are no longer
// read.
func prepare(in Input) (*instrument, Settings, []panel, *panelScratch, error) {
	inst, err := compile(in.Instrument)
	if err != nil {
		return nil, Settings{}, nil, nil, err
	}
	set, err := in.Config.settings(inst.A)
	if err != nil {
		return nil, Settings{}, nil, nil, err
	}
	ps := panelScratches.Get().(*panelScratch)
	panels, err := buildPanels(in.Ratings, inst, ps)
	if err != nil {
		ps.release()
		return nil, Settings{}, nil, nil, err
	}
	return inst, set, panels, ps, nil
}

// Scratch buffers outlive a Score call: a server that scores one leader at
// a time would otherwise allocate, and collect, all of them every time. No
// buffer in them ever backs a Result.
var (
	discloseScratches = sync.Pool{New: func() any { return new(discloseScratch) }}
	scorers           = sync.Pool{New: func() any { return new(scorer) }}
)

// keepViews is the largest cycle whose views are kept between the cohort
// pass and the leader pass instead of being recomputed.
const keepViews = 64

// reliability is the Spearman-Brown reliability of the leader's all-others
// mean with its own n, from the cohort's ICC(1) (R multilevel gmeanrel).
func reliability(s *SkillResult, icc1 Number) Number {
	switch {
	case !s.AllOthers.Mean.Available():
		return notAvailable(s.AllOthers.Mean.Reason)
	case !icc1.Available():
		return icc1
	}
	e, err := psychometrics.MeanReliability(icc1.Value, s.AllOthers.N)
	if err != nil {
		// icc1 is finite and n >= k_min, so this cannot happen.
		return notAvailable(ReasonZeroDenominator)
	}
	return estimate(e)
}

// parallel runs f(0..n-1) on up to GOMAXPROCS goroutines. Each call writes
// only its own slot, so the result is the same as a sequential run. It
// returns the error of the lowest index that failed.
func parallel(n int, f func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			if err := f(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, n)
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	const chunk = 64
	for range workers {
		wg.Go(func() {
			for {
				next.Lock()
				lo := i
				i += chunk
				next.Unlock()
				if lo >= n {
					return
				}
				for j := lo; j < min(lo+chunk, n); j++ {
					errs[j] = f(j)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
