package assessment

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// DemoOrganization is the name of the organisation `lead360 demo` creates;
// finding it means the demo is already loaded.
const DemoOrganization = "Brightwater Software (demo)"

// DemoSummary says what the demo loaded.
type DemoSummary struct {
	AlreadyLoaded  bool
	OrganizationID string
	CycleID        string
	OpenCycleID    string // the second cycle, open and in progress
	AdminEmail     string
	AdminPassword  string // empty when the demo was already loaded
	Leaders        int
	Responses      int
}

// demoLeader is a leader of the demo cohort. Levels are the true behaviour
// frequencies per skill (instrument order) as others see them; SelfLevels is
// how the leader sees themself.
type demoLeader struct {
	name, email        string
	peers, directs     int
	levels, selfLevels [5]float64
}

// demoPlacements put the demo's leaders in three departments of four, each
// led by one of them, who report to the CTO: enough for the organisation
// view's groups (at least three leaders each).
var demoPlacements = map[string]Placement{
	"maya.okafor@example.com": {Department: "Platform", ManagerEmail: "leader.2@example.com", Location: "Berlin"},
	"leader.2@example.com":    {Department: "Platform", ManagerEmail: "cto@example.com", Location: "Berlin"},
	"leader.3@example.com":    {Department: "Platform", ManagerEmail: "leader.2@example.com", Location: "Remote"},
	"leader.4@example.com":    {Department: "Platform", ManagerEmail: "leader.2@example.com", Location: "Lisbon"},
	"leader.5@example.com":    {Department: "Product", ManagerEmail: "cto@example.com", Location: "Lisbon"},
	"leader.6@example.com":    {Department: "Product", ManagerEmail: "leader.5@example.com", Location: "Lisbon"},
	"leader.7@example.com":    {Department: "Product", ManagerEmail: "leader.5@example.com", Location: "Remote"},
	"leader.8@example.com":    {Department: "Product", ManagerEmail: "leader.5@example.com", Location: "Berlin"},
	"leader.9@example.com":    {Department: "Data", ManagerEmail: "cto@example.com", Location: "Berlin"},
	"leader.10@example.com":   {Department: "Data", ManagerEmail: "leader.9@example.com", Location: "Remote"},
	"leader.11@example.com":   {Department: "Data", ManagerEmail: "leader.9@example.com", Location: "Berlin"},
	"leader.12@example.com":   {Department: "Data", ManagerEmail: "leader.9@example.com", Location: "Lisbon"},
}

// maya is the classic story: newly promoted to lead a team of eight, she rates
// herself high on delegation and coaching; her team sees it differently.
var maya = demoLeader{
	name: "Maya Okafor", email: "maya.okafor@example.com", peers: 3, directs: 8,
	levels:     [5]float64{2.3, 2.5, 3.6, 3.7, 3.9},
	selfLevels: [5]float64{4.8, 4.7, 3.9, 3.8, 4.1},
}

var demoComments = map[string][]string{
	"delegation.keep_and_change": {
		"Maya gives us interesting work, but she often rewrites the design doc the night before the review. I'd love her to let the owner defend their own design.",
		"She hands over tasks but keeps the decisions. When I own something I want to be able to choose the approach.",
		"Keep sharing the why behind projects. Change: tell us the constraints and trust us with the solution.",
		"When the payments migration got hard she took it back and finished it herself. I understand why, but I never got to learn from it.",
	},
	"coaching.keep_and_change": {
		"When I bring her a problem she usually answers straight away. Asking what I'd tried first would help me grow.",
		"Her code review comments are precise. I'd like more of the reasoning, less 'change this to that'.",
		"Keep the 1:1s. They are mostly status updates though; I'd like to talk about where I want to go.",
	},
	"feedback.keep_and_change": {
		"Maya tells me quickly when something went well, which I appreciate.",
		"Feedback comes, but sometimes weeks later in a 1:1; it's hard to remember the situation by then.",
		"She is direct and kind at the same time. Keep that.",
	},
	"conflict_resolution.keep_and_change": {
		"When Sam and Priya disagreed on the queueing design she listened to both and explained why she chose one. That worked well.",
		"Sometimes decisions get made in DMs and the rest of the team only hears the outcome.",
		"She stays fair in heated discussions.",
	},
	"emotional_intelligence.keep_and_change": {
		"She notices when someone is overloaded and steps in. Calm during incidents.",
		"In design reviews she often speaks first, and after that people mostly agree with her.",
		"Keep the calm on-call handovers.",
	},
	"overall": {
		"A strong engineer who cares a lot about the team. The next step is trusting us with more of the decisions.",
		"I enjoy working for Maya. She's fair and she protects the team from chaos.",
		"Great technical judgement. Let go a bit more.",
	},
}

var demoSelfComments = map[string]string{
	"delegation.keep_and_change": "I think I delegate well: everyone on the team owns a part of the payments platform.",
	"coaching.keep_and_change":   "I spend a lot of time helping people unblock themselves; I'd like to do more career conversations.",
	"overall":                    "First year as a lead. I want to know what the team really needs from me.",
}

// demoContact answers the demo organisation's questions in every email.
var demoContact = OrgContact{Name: "Zoë Martin, People team", Email: "people@example.com"}

// LoadDemo creates the demo organisation: an admin, the built-in instrument,
// a closed cycle of twelve leaders, among them Maya's story, and an open
// cycle of six new leads, six days in. Running it
// again finds the organisation and changes nothing.
func (s *Service) LoadDemo(ctx context.Context, adminEmail string) (DemoSummary, error) {
	if org, err := s.store.OrganizationByName(ctx, DemoOrganization); err == nil {
		sum := DemoSummary{AlreadyLoaded: true, OrganizationID: org.ID, AdminEmail: adminEmail}
		if c, err := s.store.CycleByName(ctx, org.ID, demoCycleName); err == nil {
			sum.CycleID = c.ID
		}
		if c, err := s.store.CycleByName(ctx, org.ID, demoOpenCycleName); err == nil {
			sum.OpenCycleID = c.ID
		}
		return sum, nil
	} else if ErrorCode(err) != CodeNotFound {
		return DemoSummary{}, fmt.Errorf("look for demo: %w", err)
	}
	// The demo's answers are of the full form.
	in, _, err := s.EnsureBuiltinInstruments(ctx)
	if err != nil {
		return DemoSummary{}, err
	}
	password, err := randomPassword()
	if err != nil {
		return DemoSummary{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return DemoSummary{}, err
	}
	sum := DemoSummary{AdminEmail: adminEmail, AdminPassword: password}
	err = s.store.InTx(ctx, func(tx Store) error {
		inTx := &Service{store: tx, Now: s.Now, Log: s.Log, tokens: s.tokens}
		org, err := inTx.CreateOrganization(ctx, DemoOrganization)
		if err != nil {
			return err
		}
		sum.OrganizationID = org.ID
		if err := tx.SaveOrgContact(ctx, org.ID, demoContact, s.Now()); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, &User{OrganizationID: org.ID, Email: adminEmail, PasswordHash: hash, Roles: []Role{RoleAdmin}, CreatedAt: s.Now()}); err != nil {
			return err
		}
		if err := inTx.loadClosedDemoCycle(ctx, tx, org.ID, &in, &sum); err != nil {
			return err
		}
		open, err := inTx.loadOpenDemoCycle(ctx, tx, org.ID, &in)
		sum.OpenCycleID = open.ID
		return err
	})
	if err != nil {
		return DemoSummary{}, fmt.Errorf("load demo: %w", err)
	}
	return sum, nil
}

// loadClosedDemoCycle adds the demo's closed cycle: twelve leaders, Maya's
// story among them, whose raters were all invited when it opened four
// weeks ago and all answered a week later.
func (s *Service) loadClosedDemoCycle(ctx context.Context, tx Store, orgID string, in *Instrument, sum *DemoSummary) error {
	now := s.Now()
	opens := now.AddDate(0, 0, -28).Truncate(24 * time.Hour)
	closes := now.AddDate(0, 0, -1).Truncate(24 * time.Hour)
	c, err := s.CreateCycle(ctx, CycleDraft{OrganizationID: orgID, InstrumentID: in.ID, Name: demoCycleName, OpensAt: opens, ClosesAt: closes})
	if err != nil {
		return err
	}
	sum.CycleID = c.ID
	leaders := append([]demoLeader{maya}, demoCohort()...)
	var plan []demoAssignment
	for li, l := range leaders {
		as, err := s.addDemoLeader(ctx, tx, orgID, c.ID, li, l)
		if err != nil {
			return err
		}
		plan = append(plan, as...)
	}
	if c, err = s.MoveCycle(ctx, orgID, c.ID, StatusOpen); err != nil {
		return err
	}
	if err := s.inviteDemoRaters(ctx, tx, &c, plan); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(360, 2026))
	answering := s.WithClock(func() time.Time { return opens.Add(7 * 24 * time.Hour) })
	commentTurn := map[string]int{}
	for _, pl := range plan {
		r := demoResponse(rng, in, pl.leader, pl.Assignment, commentTurn)
		if err := answering.SaveAnswers(ctx, orgID, &r); err != nil {
			return err
		}
		sum.Responses++
	}
	sum.Leaders = len(leaders)
	_, err = s.MoveCycle(ctx, orgID, c.ID, StatusClosed)
	return err
}

// demoAssignment is one rater assignment of the demo, the leader whose
// profile its answers follow, whether its rater has submitted, and whether
// their address refuses email.
type demoAssignment struct {
	leader demoLeader
	Assignment
	answers, bounces bool
}

// addDemoLeader adds the li-th demo leader to the cycle with their
// manager, peers and direct reports, and returns every assignment, the
// self-assessment first.
func (s *Service) addDemoLeader(ctx context.Context, tx Store, orgID, cycleID string, li int, l demoLeader) ([]demoAssignment, error) {
	p, err := s.AddParticipant(ctx, orgID, cycleID, PersonInput{Name: l.name, Email: l.email, Placement: demoPlacements[l.email]})
	if err != nil {
		return nil, err
	}
	self, err := tx.Assignments(ctx, orgID, p.ID)
	if err != nil {
		return nil, err
	}
	plan := []demoAssignment{{leader: l, Assignment: self[0], answers: true}}
	for _, g := range []struct {
		rel Relationship
		n   int
	}{{Manager, 1}, {Peer, l.peers}, {DirectReport, l.directs}} {
		for i := range g.n {
			a, err := s.AddRater(ctx, orgID, p.ID, demoRater(g.rel, li+1, i, l.name), g.rel)
			if err != nil {
				return nil, err
			}
			plan = append(plan, demoAssignment{leader: l, Assignment: a, answers: true})
		}
	}
	return plan, nil
}

const demoCycleName = "Engineering leads, spring review"

// demoRater is the i-th made-up rater of a group for the leaderNo-th demo
// leader, named after the group and the leader's first name.
func demoRater(rel Relationship, leaderNo, i int, leaderName string) PersonInput {
	return PersonInput{
		Name:  fmt.Sprintf("%s %d of %s", rel.Label(), i+1, strings.Fields(leaderName)[0]),
		Email: fmt.Sprintf("%s.%d.%d@example.com", strings.ReplaceAll(string(rel), "_", "-"), leaderNo, i+1),
	}
}

// demoCohort is eleven more leaders with varied, plausible profiles, so that
// cohort statistics (reliability, agreement categories, percentiles) have
// enough leaders to be computed.
func demoCohort() []demoLeader {
	names := []string{"Daniel Weber", "Priya Raman", "Tomás Herrera", "Aiko Tanaka", "Ngô Bảo Châu", "Zoë Łukasiewicz",
		"Ayşe Yılmaz", "Jonas Lindqvist", "Fatima Haddad", "Samuel Mensah", "Olivia Brennan"}
	rng := rand.New(rand.NewPCG(7, 11))
	out := make([]demoLeader, len(names))
	for i, n := range names {
		l := demoLeader{name: n, email: fmt.Sprintf("leader.%d@example.com", i+2), peers: 3 + rng.IntN(2), directs: 3 + rng.IntN(5)}
		for k := range l.levels {
			l.levels[k] = clampLevel(3.5 + rng.NormFloat64()*0.5)
			l.selfLevels[k] = clampLevel(l.levels[k] + 0.3 + rng.NormFloat64()*0.5)
		}
		out[i] = l
	}
	return out
}

func clampLevel(x float64) float64 { return max(1.2, min(4.8, x)) }

func demoResponse(rng *rand.Rand, in *Instrument, l demoLeader, a Assignment, commentTurn map[string]int) Response {
	r := Response{AssignmentID: a.ID, Status: ResponseSubmitted}
	for si, skill := range in.Skills {
		level := l.levels[si]
		if a.Relationship == Self {
			level = l.selfLevels[si]
		}
		for _, it := range skill.Items {
			// Peers rarely see how someone coaches their own team.
			if a.Relationship == Peer && skill.Key == "coaching" && rng.IntN(3) == 0 {
				r.Answers = append(r.Answers, Answer{ItemKey: it.Key, Value: NotObserved})
				continue
			}
			noise := 0.0
			if a.Relationship != Self {
				noise = rng.NormFloat64() * 0.7
			}
			v := int(level + noise + 0.5)
			v = max(1, min(in.Scale.Points, v))
			if it.Reverse {
				v = in.Scale.Points + 1 - v
			}
			r.Answers = append(r.Answers, Answer{ItemKey: it.Key, Value: v})
		}
	}
	// Only Maya's story carries written comments: they are about her.
	if l.email != maya.email {
		return r
	}
	if a.Relationship == Self {
		for key, body := range demoSelfComments {
			r.Comments = append(r.Comments, Comment{QuestionKey: key, Body: body})
		}
		return r
	}
	if a.Relationship != DirectReport && a.Relationship != Peer {
		return r
	}
	for _, q := range in.Questions {
		pool := demoComments[q.Key]
		turn := commentTurn[a.ParticipantID+q.Key]
		if turn < len(pool) && rng.IntN(2) == 0 {
			commentTurn[a.ParticipantID+q.Key] = turn + 1
			r.Comments = append(r.Comments, Comment{QuestionKey: q.Key, Body: pool[turn]})
		}
	}
	return r
}

func randomPassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	if _, err := cryptoRead(b); err != nil {
		return "", errors.New("generate demo password: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:]), nil
}
