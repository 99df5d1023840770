package scoring

import (
	"encoding/json"
	"strconv"
)

// AppendJSON appends the leader's JSON to b: byte for byte what
// json.Marshal(l) writes (TestLeaderAppendJSONMatchesMarshal checks it on
// generated cycles, trends included), about five times faster, because
// encoding/json calls Number's MarshalJSON through reflection and then
// re-validates its output for each of the thousands of figures of a leader.
// Storing a 10,000-leader snapshot is mostly this encoding.
func (l *Leader) AppendJSON(b []byte) ([]byte, error) {
	var e jsonAppender
	e.b = b
	e.leader(l)
	return e.b, e.err
}

// jsonAppender writes JSON the way encoding/json writes this package's
// types: fields in declaration order, omitempty where the tags say, nil
// slices as null, strings HTML-escaped.
type jsonAppender struct {
	b   []byte
	err error
}

func (e *jsonAppender) raw(s string) { e.b = append(e.b, s...) }

func (e *jsonAppender) str(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			if err != nil && e.err == nil {
				e.err = err
			}
			e.b = append(e.b, q...)
			return
		}
	}
	e.b = append(e.b, '"')
	e.b = append(e.b, s...)
	e.b = append(e.b, '"')
}

func (e *jsonAppender) int(n int64) { e.b = strconv.AppendInt(e.b, n, 10) }

func (e *jsonAppender) bool(v bool) {
	if v {
		e.raw("true")
	} else {
		e.raw("false")
	}
}

func (e *jsonAppender) float(v float64) {
	b, err := appendFloat(e.b, v)
	if err != nil {
		if e.err == nil {
			e.err = err
		}
		return
	}
	e.b = b
}

func (e *jsonAppender) number(n Number) {
	if !n.Available() {
		e.raw(`{"value":null,"reason":`)
		e.str(n.Reason.String())
		e.raw("}")
		return
	}
	e.raw(`{"value":`)
	e.float(n.Value)
	e.raw("}")
}

func (e *jsonAppender) interval(i Interval) {
	if !i.Available() {
		e.raw(`{"lower":null,"upper":null,"reason":`)
		e.str(i.Reason.String())
		e.raw("}")
		return
	}
	e.raw(`{"lower":`)
	e.float(i.Lower)
	e.raw(`,"upper":`)
	e.float(i.Upper)
	if i.DF > 0 {
		e.raw(`,"df":`)
		e.int(int64(i.DF))
	}
	e.raw("}")
}

func (e *jsonAppender) strings(ss []string) {
	if ss == nil {
		e.raw("null")
		return
	}
	e.raw("[")
	for i, s := range ss {
		if i > 0 {
			e.raw(",")
		}
		e.str(s)
	}
	e.raw("]")
}

// list writes a slice with f for each element, null when nil.
func list[T any](e *jsonAppender, xs []T, f func(*T)) {
	if xs == nil {
		e.raw("null")
		return
	}
	e.raw("[")
	for i := range xs {
		if i > 0 {
			e.raw(",")
		}
		f(&xs[i])
	}
	e.raw("]")
}

func (e *jsonAppender) leader(l *Leader) {
	e.raw(`{"participant_id":`)
	e.str(l.ParticipantID)
	e.raw(`,"skills":`)
	list(e, l.Skills, e.skill)
	e.raw(`,"items":`)
	list(e, l.Items, e.item)
	e.raw(`,"profile_mean":`)
	e.number(l.ProfileMean)
	e.raw(`,"top_items":`)
	list(e, l.TopItems, e.itemRank)
	e.raw(`,"bottom_items":`)
	list(e, l.BottomItems, e.itemRank)
	e.raw(`,"least_agreement_items":`)
	list(e, l.LeastAgreement, e.itemRank)
	e.raw(`,"focus":`)
	e.focus(&l.Focus)
	e.raw(`,"interplay":`)
	list(e, l.Interplay, e.insight)
	e.raw(`,"has_previous":`)
	e.bool(l.HasPrevious)
	e.raw(`,"suppressed":`)
	list(e, l.Suppressed, e.suppression)
	e.raw(`,"disclosure":`)
	list(e, l.Disclosure, e.skillDisclosure)
	e.raw("}")
}

func (e *jsonAppender) focus(f *Focus) {
	e.raw("{")
	sep := ""
	if f.Skill != "" {
		e.raw(`"skill":`)
		e.str(f.Skill)
		sep = ","
	}
	if f.Rule != "" {
		e.raw(sep + `"rule":`)
		e.str(f.Rule)
		sep = ","
	}
	if f.Reason != 0 {
		e.raw(sep + `"reason":`)
		e.str(f.Reason.String())
		sep = ","
	}
	e.raw(sep + `"sentence":`)
	e.str(f.Sentence)
	if f.Evidence != "" {
		e.raw(`,"evidence":`)
		e.str(f.Evidence)
	}
	e.raw("}")
}

func (e *jsonAppender) insight(in *Insight) {
	e.raw(`{"key":`)
	e.str(in.Key)
	e.raw(`,"skills":`)
	e.strings(in.Skills)
	e.raw(`,"explanation":`)
	e.str(in.Explanation)
	e.raw("}")
}

func (e *jsonAppender) suppression(s *Suppression) {
	e.raw(`{"group":`)
	e.str(s.Group.String())
	e.raw(`,"reason":`)
	e.str(s.Reason)
	if len(s.Skills) > 0 {
		e.raw(`,"skills":`)
		e.strings(s.Skills)
	}
	if len(s.Items) > 0 {
		e.raw(`,"items":`)
		e.strings(s.Items)
	}
	e.raw("}")
}

func (e *jsonAppender) skillDisclosure(d *SkillDisclosure) {
	e.raw(`{"skill":`)
	e.str(d.Skill)
	e.raw(`,"shown":`)
	list(e, d.Shown, e.relationshipGroup)
	e.raw("}")
}

func (e *jsonAppender) relationshipGroup(r *RelationshipGroup) {
	e.raw(`{"relationship":`)
	e.str(string(r.Relationship))
	e.raw(`,"group":`)
	e.str(r.Group.String())
	e.raw("}")
}

func (e *jsonAppender) skill(s *SkillResult) {
	e.raw(`{"skill":`)
	e.str(s.Skill)
	e.raw(`,"name":`)
	e.str(s.Name)
	e.raw(`,"groups":`)
	list(e, s.Groups, e.groupStats)
	e.raw(`,"all_others":`)
	e.groupStats(&s.AllOthers)
	e.raw(`,"gap":`)
	e.gap(&s.Gap)
	e.raw(`,"reliability":`)
	e.number(s.Reliability)
	e.raw(`,"percentile":`)
	e.number(s.Percentile)
	e.raw(`,"percentile_n":`)
	e.int(int64(s.PercentileN))
	if s.Trend != nil {
		e.raw(`,"trend":`)
		e.trend(s.Trend)
	}
	e.raw("}")
}

func (e *jsonAppender) item(it *ItemResult) {
	e.raw(`{"item":`)
	e.str(it.Item)
	e.raw(`,"skill":`)
	e.str(it.Skill)
	if it.Reverse {
		e.raw(`,"reverse":true`)
	}
	if it.Lineage != "" {
		e.raw(`,"lineage":`)
		e.str(it.Lineage)
	}
	e.raw(`,"groups":`)
	list(e, it.Groups, e.groupStats)
	e.raw(`,"all_others":`)
	e.groupStats(&it.AllOthers)
	e.raw(`,"gap":`)
	e.gap(&it.Gap)
	if it.Trend != nil {
		e.raw(`,"trend":`)
		e.trend(it.Trend)
	}
	e.raw("}")
}

func (e *jsonAppender) groupStats(g *GroupStats) {
	e.raw(`{"group":`)
	e.str(g.Group.String())
	e.raw(`,"n":`)
	e.int(int64(g.N))
	e.raw(`,"mean":`)
	e.number(g.Mean)
	e.raw(`,"sd":`)
	e.number(g.SD)
	e.raw(`,"ci95":`)
	e.interval(g.CI)
	if d := g.Distribution; d != nil {
		e.raw(`,"distribution":{"counts":`)
		if d.Counts == nil {
			e.raw("null")
		} else {
			e.raw("[")
			for i, c := range d.Counts {
				if i > 0 {
					e.raw(",")
				}
				e.int(int64(c))
			}
			e.raw("]")
		}
		e.raw(`,"not_observed":`)
		e.int(int64(d.NotObserved))
		e.raw(`,"min":`)
		e.int(int64(d.Min))
		e.raw(`,"max":`)
		e.int(int64(d.Max))
		e.raw("}")
	}
	if a := g.RwgJ; a != nil {
		e.raw(`,"rwg_j":{"n":`)
		e.int(int64(a.N))
		e.raw(`,"j":`)
		e.int(int64(a.J))
		e.raw(`,"value":`)
		e.number(a.Value)
		e.raw(`,"lindell":`)
		e.number(a.Lindell)
		e.raw("}")
	}
	if a := g.Rwg; a != nil {
		e.raw(`,"rwg":{"n":`)
		e.int(int64(a.N))
		e.raw(`,"value":`)
		e.number(a.Value)
		e.raw(`,"untruncated":`)
		e.number(a.Untruncated)
		e.raw("}")
	}
	if g.SDBasis != 0 {
		e.raw(`,"sd_basis":`)
		e.str(g.SDBasis.String())
	}
	e.raw("}")
}

func (e *jsonAppender) gap(g *Gap) {
	e.raw(`{"self":`)
	e.number(g.Self)
	e.raw(`,"others":`)
	e.number(g.Others)
	e.raw(`,"n":`)
	e.int(int64(g.N))
	e.raw(`,"value":`)
	e.number(g.Value)
	if g.Flag != "" {
		e.raw(`,"flag":`)
		e.str(string(g.Flag))
	}
	e.raw(`,"robust":`)
	e.bool(g.Robust)
	e.raw("}")
}

func (e *jsonAppender) trend(t *Trend) {
	e.raw(`{"previous":`)
	e.number(t.Previous)
	e.raw(`,"previous_n":`)
	e.int(int64(t.PreviousN))
	e.raw(`,"change":`)
	e.number(t.Change)
	e.raw(`,"ci95":`)
	e.interval(t.CI)
	e.raw(`,"outside_noise":`)
	e.bool(t.OutsideNoise)
	e.raw(`,"self_change":`)
	e.number(t.SelfChange)
	e.raw("}")
}

func (e *jsonAppender) itemRank(r *ItemRank) {
	e.raw(`{"item":`)
	e.str(r.Item)
	e.raw(`,"skill":`)
	e.str(r.Skill)
	e.raw(`,"mean":`)
	e.number(r.Mean)
	e.raw(`,"sd":`)
	e.number(r.SD)
	e.raw(`,"n":`)
	e.int(int64(r.N))
	e.raw(`,"rwg":`)
	e.number(r.Rwg)
	e.raw("}")
}

// AppendJSON appends the result's JSON to b: byte for byte what
// json.Marshal(r) writes, with the leaders written by Leader.AppendJSON.
func (r *Result) AppendJSON(b []byte) ([]byte, error) {
	settings, err := json.Marshal(r.Settings)
	if err != nil {
		return nil, err
	}
	cohort, err := json.Marshal(r.Cohort)
	if err != nil {
		return nil, err
	}
	e := jsonAppender{b: b}
	e.raw(`{"engine_version":`)
	e.str(r.EngineVersion)
	e.raw(`,"settings":`)
	e.b = append(e.b, settings...)
	e.raw(`,"cohort":`)
	e.b = append(e.b, cohort...)
	e.raw(`,"leaders":`)
	list(&e, r.Leaders, e.leader)
	e.raw("}")
	return e.b, e.err
}
