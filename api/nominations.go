package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Nominations. Leaders propose their raters under /me/nominations (their
// own list only: the service finds it from the signed-in person); admins
// review, change and approve under /cycles/:id/nominations.

// maxNominationRows bounds the rows a leader's form posts.
const maxNominationRows = 60

// nominationRow is one row of a nomination form, as typed.
type nominationRow struct {
	Index        int
	Name         string
	Email        string
	Relationship string
}

// relationshipOption is one choice of a relationship select.
type relationshipOption struct {
	Value string
	Label string
}

var nominatedOptions = func() []relationshipOption {
	out := make([]relationshipOption, len(assessment.NominatedRelationships))
	for i, r := range assessment.NominatedRelationships {
		out[i] = relationshipOption{Value: string(r), Label: r.Label()}
	}
	return out
}()

// groupLine is one group's limit and count on a nomination page.
type groupLine struct {
	Field string // the id the error summary links to
	Label string
	Min   int
	Max   int
	Count int
	Error string
}

func groupLines(cs assessment.CycleSettings, ns []assessment.Nomination, errs map[string]string) []groupLine {
	out := make([]groupLine, 0, len(assessment.NominatedRelationships))
	for _, rel := range assessment.NominatedRelationships {
		lo, hi := assessment.GroupBounds(cs, rel)
		g := groupLine{Field: assessment.GroupField(rel), Label: rel.Label(), Min: lo, Max: hi, Error: errs[assessment.GroupField(rel)]}
		for _, n := range ns {
			if n.Relationship == rel {
				g.Count++
			}
		}
		out = append(out, g)
	}
	return out
}

var nominationNotices = map[string]string{
	"saved":    "Your nominations are saved. HR will review them before the cycle opens.",
	"added":    "The rater was added to the leader's list.",
	"removed":  "The nomination was removed.",
	"approved": "The leader's nominations were approved and added as raters.",
}

// Leader pages.

type myNominationsIndexView struct {
	page
	Sheets []myNominationsCycle
}

type myNominationsCycle struct {
	CycleID  string
	Name     string
	Count    int
	Approved bool
	Editable bool
}

// myNominationsIndex answers GET /me/nominations: the cycles in which the
// leader nominates raters.
func (s *Server) myNominationsIndex(c echo.Context) error {
	u, _ := currentUser(c)
	sheets, err := s.svc.LeaderNominationCycles(c.Request().Context(), u)
	if err != nil {
		return err
	}
	v := myNominationsIndexView{page: s.pageFor(c)}
	for _, sh := range sheets {
		v.Sheets = append(v.Sheets, myNominationsCycle{CycleID: sh.Cycle.ID, Name: sh.Cycle.Name, Count: len(sh.Nominations),
			Approved: sh.Approved, Editable: sh.Editable()})
	}
	return s.render.render(c, http.StatusOK, "nominations_mine", v)
}

type myNominationsView struct {
	page
	Domains  assessment.EmailDomains
	Cycle    assessment.Cycle
	Editable bool
	Approved bool
	Groups   []groupLine
	Rows     []nominationRow
	Options  []relationshipOption
	Errors   map[string]string
	Message  string
	Notice   string
}

// myNominations answers GET /me/nominations/:cycleID.
func (s *Server) myNominations(c echo.Context) error {
	return s.renderMyNominations(c, http.StatusOK, nil, nil, "")
}

// saveMyNominations answers POST /me/nominations/:cycleID: the whole list
// at once, checked against the cycle's group limits.
func (s *Server) saveMyNominations(c echo.Context) error {
	var form struct{}
	if _, err := bindForm(c, &form); err != nil {
		return err
	}
	rows, problems := nominationRows(c)
	u, _ := currentUser(c)
	cycleID := c.Param("cycleID")
	if problems == nil {
		inputs := make([]assessment.NominationInput, len(rows))
		for i, r := range rows {
			inputs[i] = assessment.NominationInput{Name: r.Name, Email: r.Email, Relationship: r.Relationship}
		}
		err := s.svc.ProposeNominations(c.Request().Context(), u, cycleID, inputs)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/me/nominations/"+c.Param("cycleID")+"?notice=saved")
		}
		fields, msg, ok := formProblems(err)
		if !ok {
			return err
		}
		if fields == nil {
			fields = map[string]string{}
		}
		return s.renderMyNominations(c, statusOf(assessment.ErrorCode(err)), rows, fields, msg)
	}
	return s.renderMyNominations(c, http.StatusUnprocessableEntity, rows, problems, "")
}

// nominationRows reads the posted rows, in order; a field that is not
// plain text is a problem of its own.
func nominationRows(c echo.Context) ([]nominationRow, map[string]string) {
	form := c.Request().PostForm
	var rows []nominationRow
	problems := map[string]string{}
	for i := range maxNominationRows {
		r := nominationRow{Index: i}
		for field, dst := range map[string]*string{"name": &r.Name, "email": &r.Email, "relationship": &r.Relationship} {
			name := assessment.NominationField(field, i)
			raw := form.Get(name)
			if !utf8.ValidString(raw) || strings.ContainsRune(raw, 0) || len(raw) > 400 {
				problems[name] = "Use plain text of at most 400 characters."
				raw = ""
			}
			*dst = raw
		}
		if _, posted := form[assessment.NominationField("name", i)]; !posted {
			continue
		}
		rows = append(rows, r)
	}
	if len(problems) == 0 {
		return rows, nil
	}
	return rows, problems
}

func (s *Server) renderMyNominations(c echo.Context, status int, rows []nominationRow, errs map[string]string, message string) error {
	u, _ := currentUser(c)
	sheet, err := s.svc.LeaderNominations(c.Request().Context(), u, c.Param("cycleID"))
	if err != nil {
		return err
	}
	v := myNominationsView{page: s.pageFor(c), Domains: sheet.Domains, Cycle: sheet.Cycle, Editable: sheet.Editable(), Approved: sheet.Approved,
		Groups: groupLines(sheet.Settings, sheet.Nominations, errs), Options: nominatedOptions, Errors: errs, Message: message,
		Notice: nominationNotices[c.QueryParam("notice")]}
	if rows == nil {
		for i, n := range sheet.Nominations {
			rows = append(rows, nominationRow{Index: i, Name: n.Name, Email: n.Email, Relationship: string(n.Relationship)})
		}
	}
	if v.Editable {
		rows = withBlankRows(rows, sheet.Settings)
	}
	v.Rows = rows
	return s.render.render(c, status, "nominations_mine_cycle", v)
}

// withBlankRows adds empty rows for new names: enough for every group's
// minimum, a few more, never past maxNominationRows.
func withBlankRows(rows []nominationRow, cs assessment.CycleSettings) []nominationRow {
	want := len(rows) + 3
	sum := 0
	for _, rel := range assessment.NominatedRelationships {
		lo, _ := assessment.GroupBounds(cs, rel)
		sum += lo
	}
	want = min(max(want, sum, 6), maxNominationRows)
	next := 0
	if len(rows) > 0 {
		next = rows[len(rows)-1].Index + 1
	}
	for len(rows) < want && next < maxNominationRows {
		rows = append(rows, nominationRow{Index: next, Relationship: string(assessment.Peer)})
		next++
	}
	return rows
}

// Admin pages.

type nominationsReviewView struct {
	page
	Domains  assessment.EmailDomains
	Cycle    assessment.Cycle
	Enabled  bool
	Editable bool
	Leaders  []reviewLeader
	Options  []relationshipOption
	Notice   string
	Message  string
}

type reviewLeader struct {
	ParticipantID string
	Name          string
	Email         string
	Nominations   []reviewNomination
	Pending       int
	Approved      bool
	Groups        []groupLine
	// Add is the add-a-rater form of this leader, with its problems.
	Add    nominationRow
	Errors map[string]string
}

// reviewNomination is a nomination with what HR should check, in words.
type reviewNomination struct {
	assessment.Nomination
	Checks []string
}

// nominationChecks says a nomination's flags as sentences.
func nominationChecks(n assessment.Nomination, f assessment.NominationFlags, d assessment.EmailDomains, leader string) []string {
	var out []string
	if f.External {
		out = append(out, "Outside your organisation: "+assessment.DomainOf(n.Email)+" is not one of your email domains ("+d.String()+").")
	}
	if f.New {
		out = append(out, "New: nobody had this address in lead360 before this nomination.")
	}
	for _, r := range f.LooksLike {
		if r.OfLeader {
			out = append(out, "Looks like "+r.Email+", an address of "+leader+" themself.")
		} else {
			out = append(out, "Looks like "+r.Email+", another rater of "+leader+".")
		}
	}
	return out
}

type addNominationForm struct {
	ParticipantID string `form:"participant_id" validate:"required,max=64" label:"the leader"`
	Name          string `form:"name" validate:"required,max=200" label:"the rater's name"`
	Email         string `form:"email" validate:"required,max=320" label:"the rater's email address"`
	Relationship  string `form:"relationship" validate:"required,max=40" label:"how the rater knows the leader"`
}

// nominationsReview answers GET /cycles/:id/nominations.
func (s *Server) nominationsReview(c echo.Context) error {
	return s.renderReview(c, http.StatusOK, addNominationForm{}, nil, "")
}

// addNomination answers POST /cycles/:id/nominations: an admin adds a
// rater to a leader's list.
func (s *Server) addNomination(c echo.Context) error {
	var form addNominationForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems == nil {
		u, _ := currentUser(c)
		err = s.svc.AddNomination(c.Request().Context(), u.OrganizationID, c.Param("id"), form.ParticipantID,
			assessment.NominationInput{Name: form.Name, Email: form.Email, Relationship: form.Relationship}, u.ID)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/cycles/"+c.Param("id")+"/nominations?notice=added")
		}
		fields, msg, ok := formProblems(err)
		if !ok {
			return err
		}
		return s.renderReview(c, statusOf(assessment.ErrorCode(err)), form, fields, msg)
	}
	return s.renderReview(c, http.StatusUnprocessableEntity, form, problems, "")
}

// removeNomination answers POST /cycles/:id/nominations/:nid/remove.
func (s *Server) removeNomination(c echo.Context) error {
	u, _ := currentUser(c)
	err := s.svc.RemoveNomination(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("nid"), u.ID)
	return s.afterReviewChange(c, err, "removed")
}

type approveForm struct {
	ParticipantID string `form:"participant_id" validate:"required,max=64" label:"the leader"`
}

// approveNominations answers POST /cycles/:id/nominations/approve: one
// leader's pending nominations become rater assignments.
func (s *Server) approveNominations(c echo.Context) error {
	var form approveForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "Approve from the nominations page.")
	}
	u, _ := currentUser(c)
	_, err = s.svc.ApproveNominations(c.Request().Context(), u.OrganizationID, c.Param("id"), form.ParticipantID, u.ID)
	return s.afterReviewChange(c, err, "approved")
}

func (s *Server) afterReviewChange(c echo.Context, err error, notice string) error {
	if assessment.ErrorCode(err) == assessment.CodeConflict {
		_, msg, _ := formProblems(err)
		return s.renderReview(c, http.StatusConflict, addNominationForm{}, nil, msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/cycles/"+c.Param("id")+"/nominations?notice="+notice)
}

func (s *Server) renderReview(c echo.Context, status int, form addNominationForm, errs map[string]string, message string) error {
	u, _ := currentUser(c)
	r, err := s.svc.NominationReview(c.Request().Context(), u.OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	v := nominationsReviewView{page: s.pageFor(c), Domains: r.Domains, Cycle: r.Cycle, Enabled: r.Settings.LeadersNominate, Editable: r.Editable(),
		Options: nominatedOptions, Notice: nominationNotices[c.QueryParam("notice")]}
	placed := false
	for _, l := range r.Leaders {
		rl := reviewLeader{ParticipantID: l.Participant.ID, Name: l.Leader.Name, Email: l.Leader.Email,
			Pending: l.Pending(), Approved: l.Approved, Groups: groupLines(r.Settings, l.Nominations, nil)}
		for _, n := range l.Nominations {
			rl.Nominations = append(rl.Nominations, reviewNomination{Nomination: n, Checks: nominationChecks(n, l.Flags[n.ID], r.Domains, l.Leader.Name)})
		}
		if form.ParticipantID == l.Participant.ID {
			rl.Add = nominationRow{Name: form.Name, Email: form.Email, Relationship: form.Relationship}
			rl.Errors, placed = errs, true
		}
		v.Leaders = append(v.Leaders, rl)
	}
	if !placed && (len(errs) > 0 || message != "") {
		v.Message = message
		if v.Message == "" {
			v.Message = "Choose a leader of this cycle."
		}
	} else if placed && len(errs) == 0 {
		v.Message = message
	}
	return s.render.render(c, status, "nominations_review", v)
}

// RelationshipLabel is the row's relationship in words.
func (r nominationRow) RelationshipLabel() string {
	return assessment.Relationship(r.Relationship).Label()
}
