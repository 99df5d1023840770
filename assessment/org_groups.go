package assessment

import (
	"cmp"
	"maps"
	"slices"

	"github.com/lead360/lead360/scoring"
)

// Grouping and filtering the organisation view by department and by
// manager. Every figure of a group is computed from the leaders' rows the
// view already shows (their all-others means, suppressed cells left out),
// never from ratings: a group adds no view of any rater that the leaders'
// rows do not give. A group, or a filter, of fewer leaders than the
// anonymity threshold is not shown, so no choice of filters singles out a
// leader's figures under a group's name.

// OrgGrouping is how the organisation view groups its leaders.
type OrgGrouping string

const (
	ByDepartment OrgGrouping = "department"
	ByManager    OrgGrouping = "manager"
)

// OrgQuery says which released cycle the organisation view shows and how.
type OrgQuery struct {
	CycleID string // empty: the newest released cycle
	GroupBy OrgGrouping
	// Department and Manager (the manager's email) keep only their
	// leaders; empty keeps everyone.
	Department string
	Manager    string
}

// Filtered reports whether the query keeps only some leaders.
func (q OrgQuery) Filtered() bool { return q.Department != "" || q.Manager != "" }

// OrgGroup is the leaders of one department or manager: how many, the
// mean of their shown scores per skill, and their focus skills.
type OrgGroup struct {
	Key     string // the department or the manager's email; empty when none was given
	Name    string
	Leaders int
	Columns []scoring.HeatmapColumn // OrgView.Skills order
	Focus   []FocusCount            // most common first
	NoFocus int
}

// OrgOption is a department or manager the view can be filtered to.
type OrgOption struct {
	Key, Name string
	Leaders   int
}

// groupMin is the fewest leaders a group or a filter shows: the cycle's
// anonymity threshold.
func (v *OrgView) groupMin() int { return max(v.Threshold, MinAnonymityThreshold) }

// keyOf is a leader's department or manager's email.
func keyOf(by OrgGrouping, p Placement) string {
	if by == ByManager {
		return p.ManagerEmail
	}
	return p.Department
}

// group applies the query to the view's rows (every leader): the filter
// options, the filter, then the groups.
func (v *OrgView) group(q OrgQuery, names []ParticipantName, focus []LeaderFocus) {
	v.Query = q
	managerName := map[string]string{}
	for _, n := range names {
		managerName[n.Email] = n.Name
	}
	nameOf := func(by OrgGrouping, key string) string {
		switch {
		case key == "" && by == ByManager:
			return "No manager given"
		case key == "":
			return "No department given"
		case by == ByManager:
			return cmp.Or(managerName[key], key)
		}
		return key
	}
	v.Departments = v.options(ByDepartment, nameOf)
	v.Managers = v.options(ByManager, nameOf)
	if q.Filtered() {
		v.Rows = slices.DeleteFunc(v.Rows, func(r HeatmapLeader) bool {
			return (q.Department != "" && r.Department != q.Department) || (q.Manager != "" && r.ManagerEmail != q.Manager)
		})
		if len(v.Rows) < v.groupMin() {
			v.Rows, v.FilterTooSmall = nil, true
			return
		}
		v.ShownColumns = v.columnsOf(v.Rows)
	}
	if q.GroupBy != ByDepartment && q.GroupBy != ByManager {
		return
	}
	focusOf := make(map[string]string, len(focus))
	for _, f := range focus {
		focusOf[f.ParticipantID] = f.Skill
	}
	members := map[string][]HeatmapLeader{}
	for _, r := range v.Rows {
		k := keyOf(q.GroupBy, r.Placement)
		members[k] = append(members[k], r)
	}
	for _, key := range slices.Sorted(maps.Keys(members)) {
		rows := members[key]
		if len(rows) < v.groupMin() {
			v.HiddenGroups++
			continue
		}
		g := OrgGroup{Key: key, Name: nameOf(q.GroupBy, key), Leaders: len(rows), Columns: v.columnsOf(rows)}
		skills := make([]string, len(rows))
		for i, r := range rows {
			skills[i] = focusOf[r.ParticipantID]
		}
		g.Focus, g.NoFocus = v.countFocus(skills)
		v.Groups = append(v.Groups, g)
	}
}

// options are the departments or managers with enough leaders to be shown,
// by name.
func (v *OrgView) options(by OrgGrouping, nameOf func(OrgGrouping, string) string) []OrgOption {
	count := map[string]int{}
	for _, r := range v.Rows {
		if k := keyOf(by, r.Placement); k != "" {
			count[k]++
		}
	}
	var out []OrgOption
	for k, n := range count {
		if n >= v.groupMin() {
			out = append(out, OrgOption{Key: k, Name: nameOf(by, k), Leaders: n})
		}
	}
	slices.SortFunc(out, func(a, b OrgOption) int { return compareNames(a.Name, a.Key, b.Name, b.Key) })
	return out
}

// columnsOf summarises rows per skill as the organisation's row does.
func (v *OrgView) columnsOf(rows []HeatmapLeader) []scoring.HeatmapColumn {
	h := scoring.Heatmap{Skills: make([]string, len(v.Skills)), Rows: make([]scoring.HeatmapRow, len(rows))}
	for j, sk := range v.Skills {
		h.Skills[j] = sk.Key
	}
	for i, r := range rows {
		h.Rows[i] = scoring.HeatmapRow{ParticipantID: r.ParticipantID, Others: r.Others}
	}
	return h.Columns()
}

// countFocus counts leaders' focus skills (empty: no focus), most common
// first, and those without one.
func (v *OrgView) countFocus(skills []string) ([]FocusCount, int) {
	counts, none := map[string]int{}, 0
	for _, sk := range skills {
		if sk != "" {
			counts[sk]++
		} else {
			none++
		}
	}
	var out []FocusCount
	for _, sk := range v.Skills {
		if n := counts[sk.Key]; n > 0 {
			out = append(out, FocusCount{Skill: sk.Key, Count: n})
		}
	}
	slices.SortStableFunc(out, func(a, b FocusCount) int { return cmp.Compare(b.Count, a.Count) })
	return out, none
}
