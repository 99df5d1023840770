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
func Score(in Input) (Result, error) {
	inst, err := compile(in.Instrument)
	if err != nil {
		return Result{}, err
	}
	set, err := in.Config.settings(inst.A)
	if err != nil {
		return Result{}, err
	}
	panels, err := buildPanels(in.Ratings, inst)
	if err != nil {
		return Result{}, err
	}

	views := make([]view, len(panels))
	parallel(len(panels), func(i int) error {
		views[i] = disclose(&panels[i], inst, set.KMin)
		return nil
	})
	panels = nil // nothing below may read the raw ratings

	cohort, others, err := cohortStats(views, inst, set)
	if err != nil {
		return Result{}, fmt.Errorf("cohort: %w", err)
	}

	leaders := make([]Leader, len(views))
	scratch := sync.Pool{New: func() any { return &scorer{inst: inst, set: set} }}
	err = parallel(len(views), func(i int) error {
		s := scratch.Get().(*scorer)
		defer scratch.Put(s)
		var prev *Leader
		if p, ok := in.Previous[views[i].participant]; ok {
			prev = &p
		}
		l, err := s.leader(&views[i], prev)
		if err != nil {
			return fmt.Errorf("leader %q: %w", views[i].participant, err)
		}
		for si := range l.Skills {
			l.Skills[si].Reliability = reliability(&l.Skills[si], cohort.Skills[si].ICC.ICC1)
		}
		leaders[i] = l
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	if err := percentiles(leaders, others, len(inst.skills), set.CohortMinLeaders); err != nil {
		return Result{}, fmt.Errorf("percentiles: %w", err)
	}
	return Result{EngineVersion: EngineVersion, Settings: set, Cohort: cohort, Leaders: leaders}, nil
}

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
