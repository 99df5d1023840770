package assessment_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/scoring"
)

// scoredCycle is a closed cycle of one leader rated by a manager, three
// peers and one direct report, every rater answering every item with the
// same value, plus one direct report whose response is only a draft.
type scoredCycle struct {
	cycle    assessment.Cycle
	leader   assessment.Participant
	self     assessment.Assignment
	peers    []assessment.Assignment
	direct   assessment.Assignment
	drafter  assessment.Assignment
	opensAt  time.Time
	personID string
}

// answered values: self 5, manager 3, peers 4, 4, 2, direct report 1, and
// the drafter 5 (never counted). Delegation has 8 items, one reverse keyed
// (x -> 6 - x), so a rater answering v everywhere scores (7v + 6 - v)/8:
// self 5 -> 4.5; manager 3 -> 3; peers 4 -> 3.75 and 2 -> 2.25;
// O = (3 + 3.75 + 3.75 + 2.25)/4 = 3.1875 (the lone direct report is
// excluded), G = 4.5 - 3.1875 = +1.3125 -> blind spot.
func mustScoredCycle(t *testing.T, f *assessmenttest.Fixture, name, leaderEmail string, extraPeerComment bool) scoredCycle {
	t.Helper()
	ctx := context.Background()
	c := f.MustCreateCycle(t, name)
	sc := scoredCycle{cycle: c, opensAt: c.OpensAt}
	sc.leader, sc.self = f.MustAddLeader(t, c.ID, "Maya Okafor", leaderEmail)
	sc.personID = sc.leader.PersonID
	manager := f.MustAddRater(t, sc.leader.ID, "Manon Manager", "manager@example.com", assessment.Manager)
	for i, email := range []string{"p1@example.com", "p2@example.com", "p3@example.com"} {
		sc.peers = append(sc.peers, f.MustAddRater(t, sc.leader.ID, "Peer "+string(rune('A'+i)), email, assessment.Peer))
	}
	sc.direct = f.MustAddRater(t, sc.leader.ID, "Dana Direct", "d1@example.com", assessment.DirectReport)
	sc.drafter = f.MustAddRater(t, sc.leader.ID, "Drew Draft", "d2@example.com", assessment.DirectReport)
	if _, err := f.Service.MoveCycle(ctx, f.Org.ID, c.ID, assessment.StatusOpen); err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(c.OpensAt.Add(24 * time.Hour))
	submit := func(a assessment.Assignment, v int, status assessment.ResponseStatus, comments ...assessment.Comment) {
		t.Helper()
		r := assessment.Response{AssignmentID: a.ID, Status: status, Answers: f.FullAnswers(v), Comments: comments}
		if err := f.Service.SaveAnswers(ctx, f.Org.ID, &r); err != nil {
			t.Fatalf("answers of %s: %v", a.ID, err)
		}
	}
	submit(sc.self, 5, assessment.ResponseSubmitted, assessment.Comment{QuestionKey: "overall", Body: "I want to grow."})
	submit(manager, 3, assessment.ResponseSubmitted, assessment.Comment{QuestionKey: "delegation.keep_and_change", Body: "manager says"})
	submit(sc.peers[0], 4, assessment.ResponseSubmitted, assessment.Comment{QuestionKey: "delegation.keep_and_change", Body: "peer one says"})
	submit(sc.peers[1], 4, assessment.ResponseSubmitted)
	peer3 := []assessment.Comment{{QuestionKey: "overall", Body: "peer three overall"}}
	if extraPeerComment {
		peer3 = append(peer3, assessment.Comment{QuestionKey: "delegation.keep_and_change", Body: "peer three says"})
	}
	submit(sc.peers[2], 2, assessment.ResponseSubmitted, peer3...)
	submit(sc.direct, 1, assessment.ResponseSubmitted, assessment.Comment{QuestionKey: "delegation.keep_and_change", Body: "the only direct report says"})
	submit(sc.drafter, 5, assessment.ResponseDraft, assessment.Comment{QuestionKey: "delegation.keep_and_change", Body: "a draft says"})
	return sc
}

func closeCycle(t *testing.T, f *assessmenttest.Fixture, id string, to ...assessment.CycleStatus) {
	t.Helper()
	for _, st := range append([]assessment.CycleStatus{assessment.StatusClosed}, to...) {
		if _, err := f.Service.MoveCycle(context.Background(), f.Org.ID, id, st); err != nil {
			t.Fatal(err)
		}
	}
}

func skillOf(t *testing.T, l *scoring.Leader, key string) *scoring.SkillResult {
	t.Helper()
	for i := range l.Skills {
		if l.Skills[i].Skill == key {
			return &l.Skills[i]
		}
	}
	t.Fatalf("no skill %q", key)
	return nil
}

func TestScoreCycleOnlyAfterCloseAndOnlySubmitted(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			sc := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			if _, err := f.Service.ScoreCycle(ctx, f.Org.ID, sc.cycle.ID); assessment.ErrorCode(err) != assessment.CodeConflict ||
				!strings.Contains(err.Error(), "only after the cycle closes") {
				t.Fatalf("scoring an open cycle: %v, want a conflict", err)
			}
			if _, err := f.Service.LatestSnapshot(ctx, f.Org.ID, sc.cycle.ID); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("snapshot before scoring: %v, want not found", err)
			}
			closeCycle(t, f, sc.cycle.ID)
			snap, err := f.Service.ScoreCycle(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if snap.ID == "" || snap.EngineVersion != scoring.EngineVersion || snap.InstrumentKey != f.Instrument.Key ||
				snap.InstrumentVersion != f.Instrument.Version || len(snap.InputHash) != 64 || !snap.CreatedAt.Equal(f.Clock.Now()) {
				t.Fatalf("snapshot header = %+v", snap)
			}
			if len(snap.Result.Leaders) != 1 || snap.Result.Settings.KMin != sc.cycle.AnonymityThreshold {
				t.Fatalf("result: %d leaders, settings %+v", len(snap.Result.Leaders), snap.Result.Settings)
			}
			l := &snap.Result.Leaders[0]
			if l.ParticipantID != sc.leader.ID {
				t.Fatalf("leader id %q, want the participant id %q", l.ParticipantID, sc.leader.ID)
			}
			// manager 3, peers 3.75, 3.75, 2.25 -> O = 3.1875 (n 4); the lone
			// submitted direct report is excluded and the draft never counts
			// (had it counted, direct reports would be 2 and O would move).
			d := skillOf(t, l, "delegation")
			if d.AllOthers.N != 4 || d.AllOthers.Mean.Value != 3.1875 || d.Gap.Value.Value != 1.3125 || d.Gap.Flag != scoring.FlagBlindSpot {
				t.Fatalf("delegation: n %d, O %v, gap %v %s", d.AllOthers.N, d.AllOthers.Mean, d.Gap.Value, d.Gap.Flag)
			}
			if g, ok := l.ShownAs("delegation", scoring.DirectReport); ok {
				t.Fatalf("direct reports shown as %s, want hidden", g)
			}
			// The result names nobody: no name or email appears in it.
			raw, err := json.Marshal(snap.Result)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"Maya", "maya@", "Peer A", "p1@example.com", "Drew"} {
				if strings.Contains(string(raw), s) {
					t.Errorf("the result contains %q", s)
				}
			}
			latest, err := f.Service.LatestSnapshot(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil || latest.ID != snap.ID || latest.InputHash != snap.InputHash {
				t.Fatalf("latest = %+v, %v", latest, err)
			}
			got, _ := json.Marshal(latest.Result)
			if string(got) != string(raw) {
				t.Fatal("the stored result reads back differently")
			}
			// Another organisation sees nothing.
			other, err := f.Service.CreateOrganization(ctx, "Other org")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Service.ScoreCycle(ctx, other.ID, sc.cycle.ID); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("score through another organisation: %v", err)
			}
			if _, err := f.Service.LatestSnapshot(ctx, other.ID, sc.cycle.ID); assessment.ErrorCode(err) != assessment.CodeNotFound {
				t.Fatalf("snapshot through another organisation: %v", err)
			}
		})
	}
}

func TestRescoringReusesIdenticalAndKeepsOldSnapshots(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			sc := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			closeCycle(t, f, sc.cycle.ID)
			first, err := f.Service.ScoreCycle(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.Clock.Set(f.Clock.Now().Add(time.Hour))
			again, err := f.Service.ScoreCycle(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil || again.ID != first.ID || !again.CreatedAt.Equal(first.CreatedAt) {
				t.Fatalf("re-scoring unchanged data: %+v, %v; want snapshot %s back", again.ID, err, first.ID)
			}
			// A late correction (written around the domain, as a data fix
			// would be) changes the input: a new snapshot, the old one kept.
			r, err := f.Store.ResponseByAssignment(ctx, f.Org.ID, sc.peers[2].ID)
			if err != nil {
				t.Fatal(err)
			}
			r.Answers[0].Value = 5
			if err := f.Store.SaveResponse(ctx, &r); err != nil {
				t.Fatal(err)
			}
			second, err := f.Service.ScoreCycle(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if second.ID == first.ID || second.InputHash == first.InputHash {
				t.Fatalf("changed data gave snapshot %s hash %s, same as before", second.ID, second.InputHash)
			}
			latest, err := f.Service.LatestSnapshot(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil || latest.ID != second.ID {
				t.Fatalf("latest = %s, %v; want %s", latest.ID, err, second.ID)
			}
			old, err := f.Store.SnapshotResult(ctx, f.Org.ID, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			oldJSON, _ := json.Marshal(old)
			firstJSON, _ := json.Marshal(first.Result)
			if string(oldJSON) != string(firstJSON) {
				t.Fatal("the first snapshot changed after re-scoring")
			}
		})
	}
}

// Trends come from the same person's previous released cycle, found through
// the person id (the participant ids differ between cycles).
func TestScoreCycleTrendsFromPreviousReleasedCycle(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			start := f.Clock.Now()
			autumn := mustScoredCycle(t, f, "Autumn", "maya@example.com", false)
			closeCycle(t, f, autumn.cycle.ID)
			if _, err := f.Service.ScoreCycle(ctx, f.Org.ID, autumn.cycle.ID); err != nil {
				t.Fatal(err)
			}
			f.Clock.Set(start.AddDate(0, 2, 0))
			spring := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			closeCycle(t, f, spring.cycle.ID)

			// Autumn is closed, not released: no trend yet.
			snap, err := f.Service.ScoreCycle(ctx, f.Org.ID, spring.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if snap.Result.Leaders[0].HasPrevious {
				t.Fatal("a closed (unreleased) cycle was used for trends")
			}
			if _, err := f.Service.MoveCycle(ctx, f.Org.ID, autumn.cycle.ID, assessment.StatusReleased); err != nil {
				t.Fatal(err)
			}
			// Releasing autumn changes spring's input: a new snapshot.
			withTrend, err := f.Service.ScoreCycle(ctx, f.Org.ID, spring.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if withTrend.ID == snap.ID {
				t.Fatal("the trend did not make a new snapshot")
			}
			l := &withTrend.Result.Leaders[0]
			if autumn.personID != spring.personID || autumn.leader.ID == spring.leader.ID {
				t.Fatalf("fixture: persons %s/%s, participants %s/%s", autumn.personID, spring.personID, autumn.leader.ID, spring.leader.ID)
			}
			d := skillOf(t, l, "delegation")
			// Same answers both times: O 3.1875 -> 3.1875, change 0.
			if !l.HasPrevious || d.Trend == nil || d.Trend.Previous.Value != 3.1875 || d.Trend.Change.Value != 0 || !d.Trend.CI.Available() {
				t.Fatalf("trend = %+v (has previous %v)", d.Trend, l.HasPrevious)
			}
		})
	}
}

// CanonicalInputHash hashes exactly what json.Marshal writes.
func TestCanonicalInputHash(t *testing.T) {
	t.Parallel()
	in := scoring.Input{
		Instrument: scoring.Instrument{Key: "k", Version: 1, ScalePoints: 5, Skills: []scoring.Skill{{Key: "s", Items: []scoring.Item{{Key: "i1"}, {Key: "i<2>"}}}}},
		Ratings: []scoring.Rating{
			{ParticipantID: "p1", RaterID: "r1", Relationship: scoring.Peer, ItemKey: "i1", Value: 4},
			{ParticipantID: "p1", RaterID: "r\"é&\u2028", Relationship: scoring.Self, ItemKey: "i<2>"},
		},
		Config:         scoring.Config{KMin: 3},
		Previous:       map[string]scoring.Leader{"p1": {ParticipantID: "old", Focus: scoring.Focus{Sentence: "x"}}},
		PreviousPanels: map[string]scoring.LeaderPanels{"p1": {Skills: map[string]scoring.Panel{"s": {Managers: []string{"m<1>"}, Anonymous: []string{"r2", "r1"}}}}},
	}
	for _, tc := range []struct {
		name string
		in   scoring.Input
	}{{"full", in}, {"no ratings, no previous", scoring.Input{Instrument: in.Instrument}}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, err := json.Marshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(want)
			got, err := assessment.CanonicalInputHash(&tc.in)
			if err != nil || got != hex.EncodeToString(sum[:]) {
				t.Fatalf("hash = %s, %v; want the SHA-256 of %s", got, err, want)
			}
		})
	}
}

func TestRosterNamesTheLeaders(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			sc := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			r, err := f.Service.Roster(context.Background(), f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.CycleName != "Spring" || len(r.Leaders) != 1 || r.Leaders[sc.leader.ID].Name != "Maya Okafor" || !r.ClosesAt.Equal(sc.cycle.ClosesAt) {
				t.Fatalf("roster = %+v", r)
			}
		})
	}
}

// Comments follow the engine's disclosure: the lone direct report's comment
// is hidden like their ratings, the draft's never exists, and self apart.
func TestCommentsFollowTheEnginesDisclosure(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			sc := mustScoredCycle(t, f, "Spring", "maya@example.com", true)
			if _, err := f.Service.CycleComments(ctx, f.Org.ID, sc.cycle.ID); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("comments of an open cycle: %v, want a conflict", err)
			}
			closeCycle(t, f, sc.cycle.ID)
			snap, err := f.Service.ScoreCycle(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			cs, err := f.Service.CycleComments(ctx, f.Org.ID, sc.cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 6 {
				t.Fatalf("%d comments loaded, want 6 (the draft's is not one): %+v", len(cs), cs)
			}
			got := assessment.DiscloseComments(&f.Instrument, &snap.Result.Leaders[0], cs, snap.InputHash)
			if len(got.Self) != 1 || got.Self[0].Body != "I want to grow." {
				t.Fatalf("self comments = %+v", got.Self)
			}
			var bodies []string
			for _, c := range got.Others {
				bodies = append(bodies, c.Group.String()+": "+c.Body)
			}
			slices.Sort(bodies)
			want := []string{"manager: manager says", "peer: peer one says", "peer: peer three overall", "peer: peer three says"}
			if !slices.Equal(bodies, want) {
				t.Fatalf("shown = %q, want %q", bodies, want)
			}

			// The report keeps the manager's comment apart, to be shown
			// under the manager's label; the rest are the anonymous groups'.
			r, err := f.Service.LeaderReport(ctx, f.Org.ID, sc.cycle.ID, snap.Result.Leaders[0].ParticipantID)
			if err != nil {
				t.Fatal(err)
			}
			flat := func(groups []assessment.CommentGroup) []string {
				var out []string
				for _, g := range groups {
					out = append(out, g.Bodies...)
				}
				slices.Sort(out)
				return out
			}
			if got := flat(r.ManagerComments); !slices.Equal(got, []string{"manager says"}) {
				t.Errorf("manager's comments = %q", got)
			}
			if got := flat(r.Comments); !slices.Equal(got, []string{"peer one says", "peer three overall", "peer three says"}) {
				t.Errorf("anonymous comments = %q", got)
			}
		})
	}
}

// DiscloseComments on hand-made disclosures.
func TestDiscloseComments(t *testing.T) {
	t.Parallel()
	in, err := assessment.BuiltinInstrument()
	if err != nil {
		t.Fatal(err)
	}
	var skills []string
	for _, s := range in.Skills {
		skills = append(skills, s.Key)
	}
	// peers shown as themselves everywhere; direct reports pooled on
	// delegation, shown elsewhere; others excluded on coaching only.
	leader := scoring.Leader{ParticipantID: "L"}
	for _, s := range skills {
		d := scoring.SkillDisclosure{Skill: s, Shown: []scoring.RelationshipGroup{{Relationship: scoring.Peer, Group: scoring.GroupPeer}}}
		if s == "delegation" {
			d.Shown = append(d.Shown, scoring.RelationshipGroup{Relationship: scoring.DirectReport, Group: scoring.GroupOtherColleagues})
		} else {
			d.Shown = append(d.Shown, scoring.RelationshipGroup{Relationship: scoring.DirectReport, Group: scoring.GroupDirectReport})
		}
		if s != "coaching" {
			d.Shown = append(d.Shown, scoring.RelationshipGroup{Relationship: scoring.Other, Group: scoring.GroupOther})
		}
		leader.Disclosure = append(leader.Disclosure, d)
	}
	tests := []struct {
		name      string
		c         assessment.CycleComment
		wantGroup scoring.Group // 0 = hidden
	}{
		{"peer on delegation", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.Peer, QuestionKey: "delegation.keep_and_change"}, scoring.GroupPeer},
		{"pooled direct report", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.DirectReport, QuestionKey: "delegation.keep_and_change"}, scoring.GroupOtherColleagues},
		{"direct report on coaching", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.DirectReport, QuestionKey: "coaching.keep_and_change"}, scoring.GroupDirectReport},
		{"excluded other on coaching", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.Other, QuestionKey: "coaching.keep_and_change"}, 0},
		{"other on feedback", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.Other, QuestionKey: "feedback.keep_and_change"}, scoring.GroupOther},
		{"overall from a relationship hidden on one skill", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.Other, QuestionKey: "overall"}, 0},
		{"overall from one pooled on one skill", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.DirectReport, QuestionKey: "overall"}, scoring.GroupOtherColleagues},
		{"manager never rated", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.Manager, QuestionKey: "overall"}, 0},
		{"another leader", assessment.CycleComment{ParticipantID: "M", Relationship: assessment.Peer, QuestionKey: "overall"}, 0},
		{"unknown question", assessment.CycleComment{ParticipantID: "L", Relationship: assessment.Peer, QuestionKey: "nope"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.c.Body = "text"
			got := assessment.DiscloseComments(&in, &leader, []assessment.CycleComment{tc.c}, "salt")
			switch {
			case tc.wantGroup == 0 && len(got.Others) != 0:
				t.Fatalf("shown as %+v, want hidden", got.Others)
			case tc.wantGroup != 0 && (len(got.Others) != 1 || got.Others[0].Group != tc.wantGroup):
				t.Fatalf("got %+v, want one comment under %s", got.Others, tc.wantGroup)
			}
		})
	}
	// The order depends on the text and the salt, not on the input order.
	var cs []assessment.CycleComment
	for _, b := range []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"} {
		cs = append(cs, assessment.CycleComment{ParticipantID: "L", Relationship: assessment.Peer, QuestionKey: "overall", Body: b})
	}
	first := assessment.DiscloseComments(&in, &leader, cs, "salt").Others
	slices.Reverse(cs)
	second := assessment.DiscloseComments(&in, &leader, cs, "salt").Others
	if !slices.Equal(first, second) {
		t.Fatalf("order follows the input: %v vs %v", first, second)
	}
	other := assessment.DiscloseComments(&in, &leader, cs, "another salt").Others
	if slices.Equal(first, other) {
		t.Errorf("two salts gave the same order %v; the order should come from the hash", first)
	}
}
