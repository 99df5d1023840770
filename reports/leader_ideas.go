package reports

import (
	"slices"
	"strings"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// ideaSkills are the focus skill and every skill flagged as a blind spot,
// in that order, without repeats.
func (v *leaderView) ideaSkills() []string {
	l := &v.in.Leader
	var keys []string
	if l.Focus.Skill != "" {
		keys = append(keys, l.Focus.Skill)
	}
	for _, s := range l.Skills {
		if s.Gap.Flag == scoring.FlagBlindSpot && !slices.Contains(keys, s.Skill) {
			keys = append(keys, s.Skill)
		}
	}
	return keys
}

func (v *leaderView) ideas(d *Document) {
	keys := v.ideaSkills()
	// Ideas follow on the same page when a good part of it is free: a
	// short comments section should not leave a page mostly empty.
	d.Add(Room{Height: 100}, Heading{Text: secIdeas, Level: 1})
	if len(keys) == 0 {
		d.Add(Paragraph{Text: "This report suggests no skill to work on first, because too few colleagues' ratings came in. " +
			"The action plan on the next page still works: choose a skill from your own reading of the report."})
		return
	}
	d.Add(Paragraph{Text: "Practical behaviours for your focus skill and for every skill where you rate yourself clearly higher than your colleagues do. " +
		"Within a skill, the ideas for the behaviours your colleagues rate lowest come first. " +
		"Pick one, not all: a small change that people notice is worth more than a long list."})
	for _, key := range keys {
		why := "your focus skill"
		if key != v.in.Leader.Focus.Skill {
			why = "a blind spot"
		} else if v.skillFlag(key) == scoring.FlagBlindSpot {
			why = "your focus skill and a blind spot"
		}
		sg, ok := v.in.Suggestions.For(key)
		d.Add(Heading{Text: v.skillName(key) + " (" + why + ")", Level: 2})
		if !ok {
			d.Add(Paragraph{Text: "No suggestions are stored for this skill yet."})
			continue
		}
		if sg.Why != "" {
			d.Add(Paragraph{Text: sg.Why})
		}
		ideas := sg.IdeasFor(&v.in.Leader)
		if len(ideas) == 0 {
			d.Add(Paragraph{Text: "Your colleagues already rate the behaviours these ideas develop among your highest, so none is listed here."})
		}
		for _, idea := range ideas {
			blocks := []Block{Heading{Text: idea.Title, Level: 3}, Paragraph{Text: idea.How}}
			extra := []string{IdeaAim(v.in.Instrument, idea)}
			if idea.PractiseIn != "" {
				extra = append(extra, "Practise it in: "+idea.PractiseIn)
			}
			if idea.AskForFeedback != "" {
				extra = append(extra, "Ask for feedback: "+idea.AskForFeedback)
			}
			blocks = append(blocks, Muted{Text: strings.Join(extra, "\n")})
			// An idea is read as one piece: it moves whole to the next page.
			d.Keep(blocks...)
		}
	}
}

// IdeaAim says which behaviours an idea develops and how colleagues rated
// them, in the instrument's words: "For: “They give feedback within a few
// days of what happened, not weeks later.” (colleagues' score 3.20)". The
// web pages print the same line.
func IdeaAim(in assessment.Instrument, idea assessment.Idea) string {
	texts := map[string]string{}
	for _, s := range in.Skills {
		for _, it := range s.Items {
			texts[it.Key] = it.Others
		}
	}
	parts := make([]string, len(idea.Targets))
	for i, t := range idea.Targets {
		text := texts[t.Item]
		if text == "" {
			text = t.Item
		}
		score := "too few answers to show a score"
		if t.Mean.Available() {
			score = "colleagues' score " + num(t.Mean).format()
		}
		parts[i] = "“" + text + "” (" + score + ")"
	}
	return "For: " + strings.Join(parts, "; ")
}

func (v *leaderView) skillFlag(key string) scoring.Flag {
	for _, s := range v.skills {
		if s.key == key {
			return s.res.Gap.Flag
		}
	}
	return ""
}

func (v *leaderView) actionPlan(d *Document) {
	l := &v.in.Leader
	skillHint := "Choose the skill you most want your colleagues to notice a change in."
	behaviourHint := "One behaviour you can practise every week, for example from “Ideas to practise”."
	situationHint := "A meeting, review or conversation that is already in your calendar."
	askHint := "Someone who sees you in that situation, and one concrete question to ask them."
	if l.Focus.Skill != "" {
		skillHint = "Suggested: " + v.skillName(l.Focus.Skill) + ", your focus skill. You may choose another."
		if sg, ok := v.in.Suggestions.For(l.Focus.Skill); ok {
			if ideas := sg.IdeasFor(l); len(ideas) > 0 {
				b := ideas[0]
				behaviourHint = "For example: “" + b.Title + "”."
				if b.PractiseIn != "" {
					situationHint = "For example: " + lowerFirst(b.PractiseIn)
				}
				if b.AskForFeedback != "" {
					askHint = "For example: " + lowerFirst(b.AskForFeedback)
				}
			}
		}
	}
	d.Add(PageBreak{}, Heading{Text: secPlan, Level: 1},
		Paragraph{Text: "Fill this in by hand or copy it into your notes. Keep it short and concrete, and share it with your manager if you like: " +
			"people notice change faster when they know what you are working on."},
		FillIn{Prompt: "1. The one skill I will work on", Hint: skillHint, Lines: 1},
		FillIn{Prompt: "2. The one behaviour I will practise", Hint: behaviourHint, Lines: 3},
		FillIn{Prompt: "3. The next real situation where I will practise it", Hint: situationHint, Lines: 3},
		FillIn{Prompt: "4. Who I will ask for feedback, and what I will ask", Hint: askHint, Lines: 3},
		FillIn{Prompt: "5. When I will check my progress", Hint: "A date in four to six weeks, for example your next 1:1 with your manager.", Lines: 2},
	)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	// Keep "I" and quotes as they are; lower only a plain capital letter
	// that starts a common word ("The next…" -> "the next…").
	if r[0] >= 'A' && r[0] <= 'Z' && r[0] != 'I' && (len(r) == 1 || r[1] >= 'a' && r[1] <= 'z') {
		r[0] += 'a' - 'A'
	}
	return string(r)
}
