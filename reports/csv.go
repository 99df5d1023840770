package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/lead360/lead360/scoring"
)

// CSVRow is one leader x skill x group of a scoring result, as exported. A
// group the engine did not show has every figure empty and a Note saying
// why; the export prints what the engine disclosed and nothing else.
type CSVRow struct {
	Cycle         string
	ParticipantID string
	Leader        string
	Skill         string
	Group         scoring.Group
	N             int // 0 (empty) when the group is not shown
	Mean          Num
	SD            Num
	// SDBasis says what SD is the spread of: "raters" (their scores) or
	// "answers" (every answer, when members answered different items).
	SDBasis   scoring.SDBasis
	Low, High Num // 95% CI, cut at the ends of the scale
	// Gap and Flag are on the all_others row: self minus all others.
	Gap  Num
	Flag string
	Note string
}

// csvGroups is the fixed row order per skill: every leader gets the same
// rows, so a spreadsheet can line leaders up.
var csvGroups = []scoring.Group{scoring.GroupSelf, scoring.GroupManager, scoring.GroupPeer, scoring.GroupDirectReport,
	scoring.GroupOther, scoring.GroupOtherColleagues, scoring.GroupAllOthers}

// Notes of the CSV export (stable strings: people filter on them).
const (
	NoteNotShown = "not shown: fewer than k raters"
	NotePooled   = "fewer than k raters: counted in other_colleagues"
	NoteNoRating = "no ratings"
)

// CSVRows turns a scoring result into export rows: leaders in result order
// (by participant id), skills in instrument order, groups in csvGroups
// order. names maps participant ids to leaders' names (a missing name is
// left empty).
func CSVRows(cycle string, names map[string]string, res scoring.Result) []CSVRow {
	rows := make([]CSVRow, 0, len(res.Leaders)*5*len(csvGroups))
	for li := range res.Leaders {
		l := &res.Leaders[li]
		for si := range l.Skills {
			s := &l.Skills[si]
			held := map[scoring.Group]string{}
			for _, sup := range l.Suppressed {
				for _, k := range sup.Skills {
					if k == s.Skill {
						held[sup.Group] = sup.Reason
					}
				}
			}
			for _, g := range csvGroups {
				row := CSVRow{Cycle: cycle, ParticipantID: l.ParticipantID, Leader: names[l.ParticipantID], Skill: s.Skill, Group: g}
				var st *scoring.GroupStats
				if g == scoring.GroupAllOthers {
					if s.AllOthers.Mean.Available() {
						st = &s.AllOthers
					}
				} else {
					for i := range s.Groups {
						if s.Groups[i].Group == g {
							st = &s.Groups[i]
						}
					}
				}
				switch {
				case st != nil:
					row.N, row.Mean, row.SD = st.N, num(st.Mean), num(st.SD)
					if st.SD.Available() {
						row.SDBasis = st.SDBasis
					}
					row.Low, row.High = OnScale(interval(st.CI))
					if g == scoring.GroupAllOthers {
						row.Gap, row.Flag = num(s.Gap.Value), string(s.Gap.Flag)
					}
				case held[g] == scoring.SuppressedPooled:
					row.Note = NotePooled
				case held[g] != "":
					row.Note = NoteNotShown
				default:
					row.Note = NoteNoRating
				}
				rows = append(rows, row)
			}
		}
	}
	return rows
}

var csvHeader = []string{"cycle", "participant_id", "leader", "skill", "group", "n", "mean", "sd", "sd_basis", "ci95_lower", "ci95_upper", "gap", "flag", "note"}

// WriteCSV writes the rows with a header line. Numbers are written in full
// (rounding is for people; a spreadsheet can round). Every text cell that
// could start a formula in a spreadsheet is neutralised (TRUST.md, output
// encoding).
func WriteCSV(w io.Writer, rows []CSVRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(csvHeader))
	for _, r := range rows {
		n := ""
		if r.N > 0 {
			n = strconv.Itoa(r.N)
		}
		rec[0], rec[1], rec[2], rec[3], rec[4] = Neutralise(r.Cycle), Neutralise(r.ParticipantID), Neutralise(r.Leader), Neutralise(r.Skill), Neutralise(r.Group.String())
		rec[5], rec[6], rec[7], rec[8] = n, csvNum(r.Mean), csvNum(r.SD), r.SDBasis.String()
		rec[9], rec[10], rec[11] = csvNum(r.Low), csvNum(r.High), csvNum(r.Gap)
		rec[12], rec[13] = Neutralise(r.Flag), Neutralise(r.Note)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func csvNum(n Num) string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatFloat(n.Value, 'f', -1, 64)
}

// Neutralise makes a text cell inert in spreadsheets: a cell that starts
// with = + - @, a tab or a carriage return is prefixed with an apostrophe,
// so it is read as text rather than run as a formula (OWASP "CSV
// injection"). Only text goes through it; the numbers this package formats
// itself are written as numbers.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
