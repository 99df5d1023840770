package assessment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lead360/lead360/scoring"
)

// LeaderReport is everything one leader's report may show, after the
// confidentiality rules: the engine's disclosed figures, comments already
// filtered by the same disclosure decision, and the words that explain them.
// It is plain data with no behaviour, so the PDF (package reports, which
// names it reports.LeaderReport), the CSV export and the dashboard draw the
// same content and none of them decides what may be shown (TRUST.md rule 2).
//
// It lives here rather than in reports because assessment is where the
// disclosure is decided and the data assembled, and assessment must not
// import reports; an alias there keeps one definition with no converter.
type LeaderReport struct {
	// Created is the snapshot's time: the cycle's close time. It is printed
	// and stamped into the PDF, so the same snapshot gives the same bytes.
	Created    time.Time
	LeaderName string
	CycleName  string
	OpensAt    time.Time
	ClosesAt   time.Time
	// Instrument gives skill names and descriptions, the items' "others"
	// wording, the scale labels and the open questions, in report order.
	Instrument Instrument
	// EngineVersion and Settings come from the snapshot's scoring.Result.
	EngineVersion string
	Settings      scoring.Settings
	// CommentThreshold is the fewest raters a group needs for its comments
	// to be shown (never below Settings.KMin).
	CommentThreshold int
	// Leader is the engine's result for this leader, unchanged.
	Leader scoring.Leader
	// Agreement is the leader's self-other agreement category per skill
	// (SCORING.md 3.3), only for skills where the cohort allowed one.
	Agreement []SkillAgreement
	// CohortLeaders is how many leaders the cycle scored; the report says
	// why categories are missing when it is below the cohort minimum.
	CohortLeaders int
	// Comments are the comments of peers, direct reports and others (alone
	// or pooled as other colleagues) whose group passed the comment
	// threshold, in instrument question order, without names, dates or
	// ids. The manager's comments are attributed by design (the manager is
	// told so when invited) and kept apart, under the manager's label, as
	// are the leader's own.
	Comments        []CommentGroup
	ManagerComments []CommentGroup
	SelfComments    []CommentGroup
	// Suggestions are the development behaviours for the instrument.
	Suggestions Suggestions
}

// CommentGroup is the shown comments to one open question. Bodies carry no
// rater identity; the report prints them in an order of its own (sorted), so
// the order of submission never shows.
type CommentGroup struct {
	SkillKey    string // empty for the overall question
	QuestionKey string
	Question    string // the wording the raters answered
	Bodies      []string
}

// SkillAgreement is one skill's self-other agreement category for a leader,
// with the numbers behind it (a label is never shown without them).
type SkillAgreement struct {
	Skill string
	// Category is over_estimator, under_estimator or in_agreement: the
	// report leaves out the good/poor level, which ranks the leader against
	// colleagues rather than describing their self-view.
	Category string
	Self     float64
	Others   float64
	D        float64 // Self - Others
	// Lower and Upper bound the cohort's "in agreement" band of D.
	Lower, Upper float64
	CohortN      int
}

// AgreementOf picks one leader's agreement rows from a result's cohort
// statistics, in skill order. Skills without a category for the leader (a
// cohort too small, or no reportable others' mean) are left out.
func AgreementOf(res scoring.Result, participantID string) []SkillAgreement {
	var out []SkillAgreement
	for _, cs := range res.Cohort.Skills {
		so := cs.SelfOther
		if !so.Upper.Available() || !so.Lower.Available() {
			continue
		}
		for _, row := range so.Leaders {
			if row.ParticipantID != participantID {
				continue
			}
			cat := row.FourGroup
			if len(cat) > len("in_agreement") && cat[:len("in_agreement")] == "in_agreement" {
				cat = "in_agreement"
			}
			out = append(out, SkillAgreement{Skill: cs.Skill, Category: cat, Self: row.Self, Others: row.Others,
				D: row.D, Lower: so.Lower.Value, Upper: so.Upper.Value, CohortN: so.N})
			break
		}
	}
	return out
}

// ReportSource is everything the reports of one cycle are drawn from, read
// once: the cycle, its instrument, its newest snapshot, the leaders' names
// and the cycle's comments. A batch of reports reads the database once and
// assembles each leader's report from memory.
type ReportSource struct {
	Cycle       Cycle
	Instrument  Instrument
	Snapshot    Snapshot
	Roster      Roster
	Comments    []CycleComment
	Suggestions Suggestions
}

// ReportSource loads what the cycle's reports need. Reports exist only for
// closed cycles (TRUST.md rule 3) and always show a stored snapshot (rule
// 5): a cycle that was never scored is scored first, which stores one.
func (s *Service) ReportSource(ctx context.Context, orgID, cycleID string) (*ReportSource, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return nil, fmt.Errorf("report of cycle %s: %w", cycleID, err)
	}
	if c.Status != StatusClosed && c.Status != StatusReleased {
		return nil, Errorf(CodeConflict, "cycle %q is %s: reports exist only after the cycle closes", c.Name, c.Status)
	}
	in, err := s.store.Instrument(ctx, c.InstrumentID)
	if err != nil {
		return nil, fmt.Errorf("report of cycle %s: %w", cycleID, err)
	}
	snap, err := s.LatestSnapshot(ctx, orgID, cycleID)
	if ErrorCode(err) == CodeNotFound {
		snap, err = s.ScoreCycle(ctx, orgID, cycleID)
	}
	if err != nil {
		return nil, fmt.Errorf("report of cycle %s: %w", cycleID, err)
	}
	roster, err := s.Roster(ctx, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	comments, err := s.CycleComments(ctx, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	src := &ReportSource{Cycle: c, Instrument: in, Snapshot: snap, Roster: roster, Comments: comments}
	if src.Suggestions, err = SuggestionsFor(&in); err != nil {
		return nil, err
	}
	return src, nil
}

// Participants lists the cycle's scored leaders in the snapshot's order
// (by participant id).
func (src *ReportSource) Participants() []string {
	ids := make([]string, len(src.Snapshot.Result.Leaders))
	for i, l := range src.Snapshot.Result.Leaders {
		ids[i] = l.ParticipantID
	}
	return ids
}

// Leader assembles one leader's report. Comments go through
// DiscloseComments, which follows the engine's disclosure for the leader, so
// the report's numbers and comments obey the same decision.
func (src *ReportSource) Leader(participantID string) (LeaderReport, error) {
	res := &src.Snapshot.Result
	i, found := slices.BinarySearchFunc(res.Leaders, participantID, func(l scoring.Leader, id string) int { return strings.Compare(l.ParticipantID, id) })
	if !found {
		return LeaderReport{}, Errorf(CodeNotFound, "participant %s has no result in cycle %q", participantID, src.Cycle.Name)
	}
	leader := res.Leaders[i]
	name := src.Roster.Leaders[participantID].Name
	if name == "" {
		name = participantID
	}
	shown := DiscloseComments(&src.Instrument, &leader, src.Comments, src.Snapshot.InputHash)
	var anonymous, manager []ShownComment
	for _, c := range shown.Others {
		if c.Group == scoring.GroupManager {
			manager = append(manager, c)
		} else {
			anonymous = append(anonymous, c)
		}
	}
	return LeaderReport{
		Created:          src.Cycle.ClosesAt,
		LeaderName:       name,
		CycleName:        src.Cycle.Name,
		OpensAt:          src.Cycle.OpensAt,
		ClosesAt:         src.Cycle.ClosesAt,
		Instrument:       src.Instrument,
		EngineVersion:    res.EngineVersion,
		Settings:         res.Settings,
		CommentThreshold: res.Settings.KMin,
		Leader:           leader,
		Agreement:        AgreementOf(*res, participantID),
		CohortLeaders:    res.Cohort.Leaders,
		Comments:         groupComments(&src.Instrument, anonymous, false),
		ManagerComments:  groupComments(&src.Instrument, manager, false),
		SelfComments:     groupComments(&src.Instrument, shown.Self, true),
		Suggestions:      src.Suggestions,
	}, nil
}

// groupComments gathers shown comments by question, keeping their order,
// with the wording the writer answered (the self wording for self comments).
// The group a comment was shown under is dropped: the caller has already
// put the manager's and the leader's own apart, and the rest are attributed
// to nobody.
func groupComments(in *Instrument, shown []ShownComment, self bool) []CommentGroup {
	var out []CommentGroup
	for _, c := range shown {
		if n := len(out); n > 0 && out[n-1].QuestionKey == c.QuestionKey {
			out[n-1].Bodies = append(out[n-1].Bodies, c.Body)
			continue
		}
		q, _ := in.Question(c.QuestionKey)
		text := q.Others
		if self && q.Self != "" {
			text = q.Self
		}
		out = append(out, CommentGroup{SkillKey: q.Skill, QuestionKey: c.QuestionKey, Question: text, Bodies: []string{c.Body}})
	}
	return out
}

// LeaderReport assembles the report of one leader of a closed cycle.
func (s *Service) LeaderReport(ctx context.Context, orgID, cycleID, participantID string) (LeaderReport, error) {
	src, err := s.ReportSource(ctx, orgID, cycleID)
	if err != nil {
		return LeaderReport{}, err
	}
	return src.Leader(participantID)
}
