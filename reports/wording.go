package reports

import "github.com/lead360/lead360/assessment"

// The words of the leader report. They are kept together so the tone can be
// reviewed in one place (honest, clear, kind: a gap is a perception gap, not
// a verdict; SCORING.md 3.4), and listed in leaderText so the font test
// proves every glyph can be drawn.
const (
	textMinus     = "−"
	textYou       = assessment.WordYou
	textOthers    = assessment.WordColleagues
	textAllOthers = assessment.WordAllColleagues
	textGap       = "Gap"
	textFlag      = "Flag"
	textBehaviour = "Behaviour (as colleagues were asked)"

	textBlindSpot      = assessment.WordBlindSpot
	textHiddenStrength = assessment.WordHiddenStrength

	textKicker      = "360° LEADERSHIP REPORT"
	textCoverTitle  = "How you lead, as you and your colleagues see it"
	textConfidental = "Confidential: prepared for %s. It is yours to read first and to share as you choose."

	secResponded = "Who responded"
	secAbout     = "About this report"
	secAppendix  = "Appendix: how this report works"
	secHowTo     = "How to read this report"
	secHeldBack  = "What this report holds back, and why"
	secStoryTop  = "Your strengths, as colleagues see them"
	secStoryGrow = "Behaviours with the most room to grow"
	secStoryGaps = "Largest perception gaps"
	secStoryWho  = "Who answered"
	textDot      = "·"
	secRadar     = "Your view and your colleagues' view"
	secSkills    = "The five skills at a glance"
	secAgreement = "Your self-view compared with other leads in this cycle"
	secGaps      = "Perception gaps: blind spots and hidden strengths"
	secBlind     = "Blind spots: you rate yourself higher than colleagues do"
	secHidden    = "Hidden strengths: colleagues rate you higher than you do"
	secTop       = "What colleagues see most often"
	secBottom    = "Where colleagues see the most room to grow"
	secInterplay = "How your skills work together"
	secComments  = "What people wrote"
	secMgrComm   = "Your manager's comments"
	secSelfComm  = "Your own comments"
	secOverall   = "Overall"
	secIdeas     = "Ideas to practise"
	secPlan      = "Your action plan"

	textNotShownK   = "Not shown: fewer than %d ratings"
	textNotShownAns = "Not shown: fewer than %d answers"
	// The trend rule (docs/scoring.md, "Trend") compares the raters twice,
	// with and without managers: the note is true whichever count held it.
	textTrendPanelChanged = "No comparison with your previous cycle for this skill: fewer than %d people joined or left " +
		"the colleagues who rated it (counting managers, or leaving them out), so a change in the score could point at one person's answers."
	textTrendPanelUnknown = "No comparison with your previous cycle for this skill: its score then can no longer be traced to who rated it, " +
		"so there is no way to check that a change would not point at one person's answers."
	// textReverseScored marks an item worded as something to do less of.
	textReverseScored = "(Scored in reverse: a higher score means this happens less often.)"
	textNoRating      = "No rating"
	textNoSelf        = "You did not rate yourself on this skill"
)

// leaderText lists the fixed words above and the longer explanations
// (with their format verbs, whose runes are ASCII) for the font test.
var leaderText = []string{
	textMinus, textYou, textOthers, textAllOthers, textGap, textFlag, textBehaviour,
	textBlindSpot, textHiddenStrength, textKicker, textCoverTitle, textConfidental,
	secResponded, secAbout, secAppendix, secHowTo, secHeldBack, secStoryTop, secStoryGrow, secStoryGaps, secStoryWho, textDot, secRadar, secSkills, secAgreement,
	secGaps, secBlind, secHidden, secTop, secBottom, secInterplay, secComments, secMgrComm, secSelfComm, secOverall,
	secIdeas, secPlan, textNotShownK, textNotShownAns, textTrendPanelChanged, textTrendPanelUnknown, textNoRating, textNoSelf, textReverseScored,
	"“”‘’ · – — ≥ ±",
	assessment.WordOtherColleagues, "Direct reports", "Peers", "Manager",
}
