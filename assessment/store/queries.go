package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

var _ assessment.Store = (*Store)(nil)

// newID returns a time-ordered UUIDv7, so ids sort by creation and index
// inserts stay local.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

func ensureID(id *string) {
	if *id == "" {
		*id = newID()
	}
}

func stamp(t *time.Time) {
	if t.IsZero() {
		*t = time.Now().UTC()
	}
}

// CreateOrganization inserts a new organisation.
func (s *Store) CreateOrganization(ctx context.Context, org *assessment.Organization) error {
	ensureID(&org.ID)
	stamp(&org.CreatedAt)
	row := organizationRow{ID: org.ID, Name: org.Name, CreatedAt: utc(org.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, fmt.Sprintf("create organisation %q", org.Name))
}

// OrganizationByName finds an organisation by its unique name.
func (s *Store) OrganizationByName(ctx context.Context, name string) (assessment.Organization, error) {
	var row organizationRow
	err := s.db.WithContext(ctx).Where("name = ?", name).Take(&row).Error
	if err != nil {
		return assessment.Organization{}, translate(err, fmt.Sprintf("organisation %q", name))
	}
	return assessment.Organization{ID: row.ID, Name: row.Name, CreatedAt: row.CreatedAt.UTC()}, nil
}

// SavePerson inserts p or adopts the id of the person with the same email.
func (s *Store) SavePerson(ctx context.Context, p *assessment.Person) error {
	var existing personRow
	err := s.inOrg(ctx, p.OrganizationID).Where("email = ?", p.Email).Take(&existing).Error
	if err == nil {
		*p = existing.domain()
		return nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return translate(err, "find person")
	}
	ensureID(&p.ID)
	stamp(&p.CreatedAt)
	row := personRow{ID: p.ID, OrganizationID: p.OrganizationID, Name: p.Name, Email: p.Email, CreatedAt: utc(p.CreatedAt),
		Department: p.Department, ManagerEmail: p.ManagerEmail, Location: p.Location}
	return translate(s.db.WithContext(ctx).Create(&row).Error, fmt.Sprintf("save person %s", p.Email))
}

// SetPlacement stores where a person of the organisation sits.
func (s *Store) SetPlacement(ctx context.Context, orgID, personID string, p assessment.Placement) error {
	res := s.inOrg(ctx, orgID).Model(&personRow{}).Where("id = ?", personID).
		Updates(map[string]any{"department": p.Department, "manager_email": p.ManagerEmail, "location": p.Location})
	if res.Error != nil {
		return translate(res.Error, "set placement of person "+personID)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "no person %s", personID)
	}
	return nil
}

// Person loads one person of the organisation.
func (s *Store) Person(ctx context.Context, orgID, id string) (assessment.Person, error) {
	var row personRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Person{}, translate(err, "person "+id)
	}
	return row.domain(), nil
}

// CreateUser inserts a dashboard account.
func (s *Store) CreateUser(ctx context.Context, u *assessment.User) error {
	ensureID(&u.ID)
	stamp(&u.CreatedAt)
	row := userRow{
		ID: u.ID, OrganizationID: u.OrganizationID, Email: u.Email, Name: u.Name, PasswordHash: u.PasswordHash,
		Role: string(u.Role), PersonID: optional(u.PersonID), CreatedAt: utc(u.CreatedAt),
	}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "create user "+u.Email)
}

// UserByEmail finds the organisation's account with this login email.
func (s *Store) UserByEmail(ctx context.Context, orgID, email string) (assessment.User, error) {
	var row userRow
	if err := s.inOrg(ctx, orgID).Where("email = ?", email).Take(&row).Error; err != nil {
		return assessment.User{}, translate(err, "user")
	}
	return row.domain(), nil
}

// UsersByEmail finds the accounts of a login email in every organisation,
// oldest first: sign-in and password resets start from the email alone.
// No account is an empty list, not an error.
func (s *Store) UsersByEmail(ctx context.Context, email string) ([]assessment.User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Where("email = ?", email).Order("created_at, " + s.bytewise("id")).Find(&rows).Error; err != nil {
		return nil, translate(err, "accounts of an email")
	}
	users := make([]assessment.User, len(rows))
	for i, row := range rows {
		users[i] = row.domain()
	}
	return users, nil
}

// SaveInstrument stores an instrument version once; storing the same text
// again adopts the stored id.
func (s *Store) SaveInstrument(ctx context.Context, in *assessment.Instrument) error {
	in.ID = ""
	def, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode instrument %s v%d: %w", in.Key, in.Version, err)
	}
	sum := sha256.Sum256(def)
	hash := hex.EncodeToString(sum[:])
	var existing instrumentRow
	err = s.db.WithContext(ctx).Where("key = ? AND version = ?", in.Key, in.Version).Take(&existing).Error
	switch {
	case err == nil:
		if existing.ContentHash != hash {
			return assessment.Errorf(assessment.CodeConflict,
				"instrument %s version %d is already stored with other content; publish the change as a new version", in.Key, in.Version)
		}
		in.ID = existing.ID
		return nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return translate(err, "find instrument")
	}
	row := instrumentRow{ID: newID(), Key: in.Key, Version: in.Version, Name: in.Name,
		Definition: string(def), ContentHash: hash, CreatedAt: time.Now().UTC()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return translate(err, fmt.Sprintf("save instrument %s v%d", in.Key, in.Version))
	}
	in.ID = row.ID
	return nil
}

// Instrument loads an instrument version by id.
func (s *Store) Instrument(ctx context.Context, id string) (assessment.Instrument, error) {
	var row instrumentRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Instrument{}, translate(err, "instrument "+id)
	}
	return row.domain()
}

// CreateCycle inserts a cycle.
func (s *Store) CreateCycle(ctx context.Context, c *assessment.Cycle) error {
	ensureID(&c.ID)
	stamp(&c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	row := cycleToRow(c)
	return translate(s.db.WithContext(ctx).Create(&row).Error, fmt.Sprintf("create cycle %q", c.Name))
}

// Cycle loads a cycle of the organisation.
func (s *Store) Cycle(ctx context.Context, orgID, id string) (assessment.Cycle, error) {
	return s.findCycle(ctx, orgID, "id = ?", id)
}

// CycleByName loads a cycle of the organisation by name.
func (s *Store) CycleByName(ctx context.Context, orgID, name string) (assessment.Cycle, error) {
	return s.findCycle(ctx, orgID, "name = ?", name)
}

func (s *Store) findCycle(ctx context.Context, orgID, where string, arg string) (assessment.Cycle, error) {
	var row cycleRow
	if err := s.inOrg(ctx, orgID).Where(where, arg).Order("created_at").Take(&row).Error; err != nil {
		return assessment.Cycle{}, translate(err, "cycle "+arg)
	}
	return row.domain()
}

// UpdateCycleStatus is a compare-and-set on the status column.
func (s *Store) UpdateCycleStatus(ctx context.Context, orgID, id string, from, to assessment.CycleStatus, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&cycleRow{}).Where("id = ? AND status = ?", id, string(from)).
		Updates(map[string]any{"status": string(to), "updated_at": utc(at)})
	if res.Error != nil {
		return translate(res.Error, fmt.Sprintf("move cycle %s to %s", id, to))
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "cycle %s is no longer %s", id, from)
	}
	return nil
}

// AddParticipant puts a leader into a cycle.
func (s *Store) AddParticipant(ctx context.Context, p *assessment.Participant) error {
	ensureID(&p.ID)
	stamp(&p.CreatedAt)
	row := participantRow{ID: p.ID, OrganizationID: p.OrganizationID, CycleID: p.CycleID, PersonID: p.PersonID, CreatedAt: utc(p.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "add participant")
}

// Participants lists the leaders of a cycle in a stable order.
func (s *Store) Participants(ctx context.Context, orgID, cycleID string) ([]assessment.Participant, error) {
	var rows []participantRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ?", cycleID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "list participants of cycle "+cycleID)
	}
	out := make([]assessment.Participant, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// AddAssignment asks a person to rate a participant.
func (s *Store) AddAssignment(ctx context.Context, a *assessment.Assignment) error {
	ensureID(&a.ID)
	stamp(&a.CreatedAt)
	row := assignmentRow{ID: a.ID, OrganizationID: a.OrganizationID, ParticipantID: a.ParticipantID,
		PersonID: a.PersonID, Relationship: string(a.Relationship), CreatedAt: utc(a.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "add rater")
}

// Assignments lists the raters of a participant in a stable order.
func (s *Store) Assignments(ctx context.Context, orgID, participantID string) ([]assessment.Assignment, error) {
	var rows []assignmentRow
	if err := s.inOrg(ctx, orgID).Where("participant_id = ?", participantID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "list raters of participant "+participantID)
	}
	out := make([]assessment.Assignment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// SaveResponse writes the response and replaces its answers and comments in
// one transaction, guarded by the optimistic version.
func (s *Store) SaveResponse(ctx context.Context, r *assessment.Response) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		if r.UpdatedAt.IsZero() {
			r.UpdatedAt = now
		}
		if r.Version == 0 {
			ensureID(&r.ID)
			if r.CreatedAt.IsZero() {
				r.CreatedAt = r.UpdatedAt
			}
			row := responseRow{ID: r.ID, OrganizationID: r.OrganizationID, AssignmentID: r.AssignmentID,
				Status: string(r.Status), Version: 1, SubmittedAt: utcPtr(r.SubmittedAt),
				CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt)}
			if err := tx.Create(&row).Error; err != nil {
				if constraintKind(err) == "unique" {
					return assessment.Errorf(assessment.CodeConflict, "this survey was already saved from another window; reload to see the saved answers")
				}
				return translate(err, "save response")
			}
			r.Version = 1
		} else {
			res := tx.Model(&responseRow{}).
				Where("id = ? AND organization_id = ? AND version = ?", r.ID, r.OrganizationID, r.Version).
				Updates(map[string]any{"status": string(r.Status), "version": gorm.Expr("version + 1"),
					"submitted_at": utcPtr(r.SubmittedAt), "updated_at": utc(r.UpdatedAt)})
			if res.Error != nil {
				return translate(res.Error, "save response")
			}
			if res.RowsAffected == 0 {
				return assessment.Errorf(assessment.CodeConflict, "these answers were changed in another window since you opened this one")
			}
			r.Version++
			if err := tx.Where("response_id = ?", r.ID).Delete(&answerRow{}).Error; err != nil {
				return translate(err, "replace answers")
			}
			if err := tx.Where("response_id = ?", r.ID).Delete(&commentRow{}).Error; err != nil {
				return translate(err, "replace comments")
			}
		}
		if len(r.Answers) > 0 {
			rows := make([]answerRow, len(r.Answers))
			for i, a := range r.Answers {
				rows[i] = answerRow{ResponseID: r.ID, ItemKey: a.ItemKey}
				if a.Value != assessment.NotObserved {
					v := a.Value
					rows[i].Value = &v
				}
			}
			if err := tx.Create(&rows).Error; err != nil {
				return translate(err, "save answers")
			}
		}
		if len(r.Comments) > 0 {
			rows := make([]commentRow, len(r.Comments))
			for i, c := range r.Comments {
				rows[i] = commentRow{ResponseID: r.ID, QuestionKey: c.QuestionKey, Body: c.Body}
			}
			if err := tx.Create(&rows).Error; err != nil {
				return translate(err, "save comments")
			}
		}
		return nil
	})
}

// ResponseByAssignment loads the response of an assignment with its answers
// and comments in item order.
func (s *Store) ResponseByAssignment(ctx context.Context, orgID, assignmentID string) (assessment.Response, error) {
	var row responseRow
	if err := s.inOrg(ctx, orgID).Where("assignment_id = ?", assignmentID).Take(&row).Error; err != nil {
		return assessment.Response{}, translate(err, "response")
	}
	var answers []answerRow
	if err := s.db.WithContext(ctx).Where("response_id = ?", row.ID).Order("item_key").Find(&answers).Error; err != nil {
		return assessment.Response{}, translate(err, "load answers")
	}
	var comments []commentRow
	if err := s.db.WithContext(ctx).Where("response_id = ?", row.ID).Order("question_key").Find(&comments).Error; err != nil {
		return assessment.Response{}, translate(err, "load comments")
	}
	r := assessment.Response{ID: row.ID, OrganizationID: row.OrganizationID, AssignmentID: row.AssignmentID,
		Status: assessment.ResponseStatus(row.Status), Version: row.Version, SubmittedAt: utcPtr(row.SubmittedAt),
		ExcludedAt: utcPtr(row.ExcludedAt), CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC()}
	for _, a := range answers {
		v := assessment.NotObserved
		if a.Value != nil {
			v = *a.Value
		}
		r.Answers = append(r.Answers, assessment.Answer{ItemKey: a.ItemKey, Value: v})
	}
	for _, c := range comments {
		r.Comments = append(r.Comments, assessment.Comment{QuestionKey: c.QuestionKey, Body: c.Body})
	}
	return r, nil
}

// Participant loads one participant of the organisation.
func (s *Store) Participant(ctx context.Context, orgID, id string) (assessment.Participant, error) {
	var row participantRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Participant{}, translate(err, "participant "+id)
	}
	return row.domain(), nil
}

// Assignment loads one rater assignment of the organisation.
func (s *Store) Assignment(ctx context.Context, orgID, id string) (assessment.Assignment, error) {
	var row assignmentRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Assignment{}, translate(err, "rater assignment "+id)
	}
	return row.domain(), nil
}
