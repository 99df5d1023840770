package api

import (
	"net/http"
	"net/url"
	"sync"

	"github.com/lead360/lead360/assessment"
)

// Access rows of the results routes (results.go, org.go, audit.go,
// leader.go), appended to the matrix. Each organisation has a released
// cycle (organisation X's assesses leaders A and B) and a closed one to
// release; "own" addresses the actor's organisation, "other" the other one.
func init() {
	cycle := func(closed bool) func(w *accessWorld, a actor, own bool) string {
		return func(w *accessWorld, a actor, own bool) string {
			rw := resultsWorldOf(w)
			org := w.orgOf[a]
			if !own {
				org = w.otherOrg(a)
			}
			if closed {
				return rw.closed[org].cycle.ID
			}
			return rw.released[org].cycle.ID
		}
	}
	released, closed := cycle(false), cycle(true)
	// batch is the rendered report batch of the released cycle.
	batch := func(w *accessWorld, a actor, own bool) string {
		org := w.orgOf[a]
		if !own {
			org = w.otherOrg(a)
		}
		b := resultsWorldOf(w).batches[org]
		return "/cycles/" + b.CycleID + "/reports/" + b.ID
	}
	// leader is the participant the actor may see: leader B's own for
	// leader B, leader A's for everyone else in organisation X.
	leader := func(w *accessWorld, a actor, own bool) string {
		rw := resultsWorldOf(w)
		org := w.orgOf[a]
		if !own {
			org = w.otherOrg(a)
		}
		rc := rw.released[org]
		if p, ok := rc.leaders[actorEmails[a]]; ok && own {
			return p.ID
		}
		for _, email := range []string{actorEmails[leaderA], "y-leader@example.com"} {
			if p, ok := rc.leaders[email]; ok {
				return p.ID
			}
		}
		panic("no leader in the results world")
	}
	admins, leaders := []actor{adminX, adminY}, []actor{leaderA, leaderB}
	accessRows = append(accessRows,
		accessRow{method: http.MethodPost, route: "/cycles/:id/release", form: url.Values{"confirm": {"1"}},
			path: func(w *accessWorld, a actor, own bool) string { return "/cycles/" + closed(w, a, own) + "/release" }},
		accessRow{method: http.MethodGet, route: "/cycles/:id/results", allowed: admins,
			path: func(w *accessWorld, a actor, own bool) string { return "/cycles/" + released(w, a, own) + "/results" }},
		accessRow{method: http.MethodGet, route: "/cycles/:id/results.csv", allowed: admins,
			path: func(w *accessWorld, a actor, own bool) string {
				return "/cycles/" + released(w, a, own) + "/results.csv"
			}},
		accessRow{method: http.MethodGet, route: "/cycles/:id/leaders.csv", allowed: admins,
			path: func(w *accessWorld, a actor, own bool) string {
				return "/cycles/" + released(w, a, own) + "/leaders.csv"
			}},
		accessRow{method: http.MethodGet, route: "/cycles/:id/results/:pid", allowed: admins,
			path: func(w *accessWorld, a actor, own bool) string {
				return "/cycles/" + released(w, a, own) + "/results/" + leader(w, a, own)
			}},
		accessRow{method: http.MethodGet, route: "/cycles/:id/results/:pid/report.pdf", allowed: admins,
			path: func(w *accessWorld, a actor, own bool) string {
				return "/cycles/" + released(w, a, own) + "/results/" + leader(w, a, own) + "/report.pdf"
			}},
		accessRow{method: http.MethodPost, route: "/cycles/:id/reports", allowed: admins,
			path: func(w *accessWorld, a actor, own bool) string { return "/cycles/" + released(w, a, own) + "/reports" }},
		accessRow{method: http.MethodGet, route: "/cycles/:id/reports/:bid", allowed: admins, path: batch},
		accessRow{method: http.MethodGet, route: "/cycles/:id/reports/:bid/reports.zip", allowed: admins,
			path: func(w *accessWorld, a actor, own bool) string { return batch(w, a, own) + "/reports.zip" }},
		accessRow{method: http.MethodGet, route: "/org", allowed: admins},
		accessRow{method: http.MethodGet, route: "/audit", allowed: admins},
		accessRow{method: http.MethodGet, route: "/me", allowed: leaders},
		accessRow{method: http.MethodGet, route: "/me/cycles/:id", allowed: leaders,
			path: func(w *accessWorld, a actor, own bool) string { return "/me/cycles/" + released(w, a, own) }},
		accessRow{method: http.MethodGet, route: "/me/cycles/:id/report.pdf", allowed: leaders,
			path: func(w *accessWorld, a actor, own bool) string {
				return "/me/cycles/" + released(w, a, own) + "/report.pdf"
			}},
		accessRow{method: http.MethodGet, route: "/me/cycles/:id/plan", allowed: leaders,
			path: func(w *accessWorld, a actor, own bool) string { return "/me/cycles/" + released(w, a, own) + "/plan" }},
		accessRow{method: http.MethodPost, route: "/me/cycles/:id/plan", allowed: leaders,
			form: url.Values{"skill": {"coaching"}, "behaviour": {"b"}, "situation": {"s"}, "feedback_from": {"f"}, "check_in_date": {"2026-04-20"}},
			path: func(w *accessWorld, a actor, own bool) string { return "/me/cycles/" + released(w, a, own) + "/plan" }},
	)
}

// resultsWorld is the results data of one access world, built on first use.
type resultsWorld struct {
	released, closed map[string]resultsCycle // by organisation id
	batches          map[string]assessment.ReportBatch
}

var (
	resultsWorldsMu sync.Mutex
	resultsWorlds   = map[*accessWorld]*resultsWorld{}
)

func resultsWorldOf(w *accessWorld) *resultsWorld {
	resultsWorldsMu.Lock()
	defer resultsWorldsMu.Unlock()
	if rw, ok := resultsWorlds[w]; ok {
		return rw
	}
	x, y := w.orgOf[adminX], w.orgOf[adminY]
	rw := &resultsWorld{released: map[string]resultsCycle{}, closed: map[string]resultsCycle{}}
	a, b := leaderSpec{email: actorEmails[leaderA]}, leaderSpec{email: actorEmails[leaderB]}
	rw.released[x] = newResultsCycle(w.h.t, w.h, x, "Released X", assessment.StatusReleased, a, b)
	rw.closed[x] = newResultsCycle(w.h.t, w.h, x, "Closed X", assessment.StatusClosed, a)
	rw.released[y] = newResultsCycle(w.h.t, w.h, y, "Released Y", assessment.StatusReleased, leaderSpec{email: "y-leader@example.com"})
	rw.closed[y] = newResultsCycle(w.h.t, w.h, y, "Closed Y", assessment.StatusClosed, leaderSpec{email: "y-leader@example.com"})
	rw.batches = map[string]assessment.ReportBatch{}
	for org, rc := range rw.released {
		rw.batches[org] = renderedBatch(w.h.t, w.h.fx.Service, org, rc.cycle.ID)
	}
	resultsWorlds[w] = rw
	w.h.t.Cleanup(func() {
		resultsWorldsMu.Lock()
		defer resultsWorldsMu.Unlock()
		delete(resultsWorlds, w)
	})
	return rw
}

// otherOrg is the organisation the actor does not belong to.
func (w *accessWorld) otherOrg(a actor) string {
	if w.orgOf[a] == w.orgOf[adminX] {
		return w.orgOf[adminY]
	}
	return w.orgOf[adminX]
}
