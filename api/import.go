package api

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Importing raters from CSV: upload, a preview listing every row's
// problems, then a confirmation that saves every row or none.
//
// The preview keeps no state on the server: the confirmation form carries
// the uploaded text back in a hidden field, and the import parses and checks
// it again inside its transaction. Nothing can go stale between preview and
// import (a rater added meanwhile is a problem again), and a tampered
// hidden field is just another file, checked like any other.

// importForm is the upload form: a file, or text pasted into the textarea.
type importForm struct {
	CSV string `form:"csv"`
}

// importView is the view model of the import pages.
type importView struct {
	page
	CycleID   string
	CycleName string
	Draft     bool
	Columns   []string
	MaxRows   int
	MaxMB     int
	Message   string
	// Checked is set once a file was sent: the preview.
	Checked     bool
	CSV         string
	Import      assessment.RaterImport
	ProblemRows []assessment.ImportRow
	Ready       bool
}

func (s *Server) renderImport(c echo.Context, status int, view importView) error {
	cy, _, err := s.svc.CycleWithSettings(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	view.page = s.pageFor(c)
	view.CycleID, view.CycleName, view.Draft = cy.ID, cy.Name, cy.Status == assessment.StatusDraft
	view.Columns, view.MaxRows, view.MaxMB = assessment.ImportColumns, assessment.MaxImportRows, assessment.MaxImportBytes>>20
	if view.Checked {
		for _, r := range view.Import.Rows {
			if len(r.Problems) > 0 {
				view.ProblemRows = append(view.ProblemRows, r)
			}
		}
		view.Ready = view.Import.OK()
	}
	return s.render.render(c, status, "import", view)
}

// importPage answers GET /cycles/:id/import.
func (s *Server) importPage(c echo.Context) error {
	return s.renderImport(c, http.StatusOK, importView{})
}

// importPreview answers POST /cycles/:id/import: it checks the file and
// shows every row with its problems; nothing is saved.
func (s *Server) importPreview(c echo.Context) error {
	text, err := uploadedCSV(c)
	if err != nil {
		return err
	}
	imp, err := s.svc.PreviewImport(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"), text)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !imp.OK() {
		status = http.StatusUnprocessableEntity
	}
	return s.renderImport(c, status, importView{Checked: true, CSV: text, Import: imp})
}

// importConfirm answers POST /cycles/:id/import/confirm: it checks the text
// again and saves all rows in one transaction, or nothing.
func (s *Server) importConfirm(c echo.Context) error {
	u := cycleAdmin(c)
	var form importForm
	if _, err := bindForm(c, &form); err != nil {
		return err
	}
	done, imp, err := s.svc.ImportRaters(c.Request().Context(), u.OrganizationID, c.Param("id"), form.CSV, u.ID)
	if err == assessment.ErrImportNotReady {
		return s.renderImport(c, http.StatusUnprocessableEntity, importView{Checked: true, CSV: form.CSV, Import: imp, Message: err.Error()})
	}
	if err != nil {
		return err
	}
	return redirectNotice(c, "/cycles/"+c.Param("id"), "imported", done.Leaders, done.Raters)
}

// uploadedCSV is the uploaded file's text, or else the pasted text. A file
// over the limit is read only up to one byte past it, for the parser to
// report.
func uploadedCSV(c echo.Context) (string, error) {
	var form importForm
	if _, err := bindForm(c, &form); err != nil {
		return "", err
	}
	mf := c.Request().MultipartForm
	if mf == nil || len(mf.File["file"]) == 0 || mf.File["file"][0].Size == 0 {
		return form.CSV, nil
	}
	f, err := mf.File["file"][0].Open()
	if err != nil {
		return "", echo.NewHTTPError(http.StatusBadRequest, "The file could not be read.").SetInternal(err)
	}
	defer f.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, io.LimitReader(f, assessment.MaxImportBytes+1)); err != nil {
		return "", echo.NewHTTPError(http.StatusBadRequest, "The file could not be read.").SetInternal(err)
	}
	return b.String(), nil
}
