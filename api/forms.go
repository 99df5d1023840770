package api

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// formValidator checks small form structs (never models). Problems are
// keyed by the field's form name, the same key the template shows the
// message under.
var formValidator = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return formName(f) })
	return v
}()

func formName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// bindForm fills form, a pointer to a struct of string and bool fields with
// `form` tags, from the posted body (never the query string), then
// validates it. Bad input is not an error: it comes back as messages per
// field for the page to show next to the fields. The error is for requests
// that are not a form at all.
//
// Messages come from the `validate` tag's rule and the optional `label` tag:
// required -> "Enter <label>.".
func bindForm(c echo.Context, form any) (map[string]string, error) {
	req := c.Request()
	mediaType, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	switch mediaType {
	case echo.MIMEApplicationForm:
		if err := req.ParseForm(); err != nil {
			return nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.").SetInternal(err)
		}
	case echo.MIMEMultipartForm:
		if err := req.ParseMultipartForm(1 << 20); err != nil {
			return nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.").SetInternal(err)
		}
	default:
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "Send this form from its page.")
	}
	problems := map[string]string{}
	v := reflect.ValueOf(form).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name := formName(f)
		if name == "" || !f.IsExported() {
			continue
		}
		raw := req.PostForm.Get(name)
		switch f.Type.Kind() {
		case reflect.String:
			if !utf8.ValidString(raw) || strings.ContainsRune(raw, 0) {
				problems[name] = "Use plain text only."
				raw = strings.ToValidUTF8(strings.ReplaceAll(raw, "\x00", ""), "")
			}
			v.Field(i).SetString(raw)
		case reflect.Bool:
			v.Field(i).SetBool(raw != "" && raw != "0" && raw != "false")
		default:
			return nil, fmt.Errorf("bind form %T: field %s is %s; forms hold strings and bools", form, f.Name, f.Type)
		}
	}
	err := formValidator.Struct(form)
	var invalid validator.ValidationErrors
	if errors.As(err, &invalid) {
		for _, fe := range invalid {
			if _, seen := problems[fe.Field()]; !seen {
				problems[fe.Field()] = fieldMessage(v.Type(), fe)
			}
		}
	} else if err != nil {
		return nil, fmt.Errorf("validate %T: %w", form, err)
	}
	if len(problems) == 0 {
		return nil, nil
	}
	return problems, nil
}

// fieldMessage says what to do about one broken rule, in words a person
// can act on.
func fieldMessage(t reflect.Type, fe validator.FieldError) string {
	label := fe.Field()
	if sf, ok := t.FieldByName(fe.StructField()); ok && sf.Tag.Get("label") != "" {
		label = sf.Tag.Get("label")
	}
	switch fe.Tag() {
	case "required":
		return "Enter " + label + "."
	case "email":
		return "Enter an email address like name@example.com."
	case "min":
		return "Use at least " + fe.Param() + " characters."
	case "max":
		return "Use at most " + fe.Param() + " characters."
	}
	return "Check " + label + "."
}

// formProblems returns the messages of a domain error that concerns the
// form's fields (CodeInvalid or CodeConflict), with its summary message, so
// a handler re-renders the form instead of showing an error page.
func formProblems(err error) (fields map[string]string, message string, ok bool) {
	var de *assessment.Error
	if !errors.As(err, &de) || (de.Code != assessment.CodeInvalid && de.Code != assessment.CodeConflict) {
		return nil, "", false
	}
	return de.Fields, de.Message, true
}

// formOutcome sorts a use case's error for a form: nil, problems to show next
// to the fields (with the status to answer), or an error for the error page.
func formOutcome(err error) (fields map[string]string, message string, status int, fatal error) {
	if err == nil {
		return nil, "", http.StatusOK, nil
	}
	f, msg, ok := formProblems(err)
	if !ok {
		return nil, "", 0, err
	}
	if len(f) == 0 {
		f = nil
	}
	return f, msg, statusOf(assessment.ErrorCode(err)), nil
}

// mergeProblems adds b's problems to a's, keeping a's message for a field.
func mergeProblems(a, b map[string]string) map[string]string {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = map[string]string{}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			a[k] = v
		}
	}
	return a
}

// redirectNotice is the redirect after a successful POST, with a fixed notice.
func redirectNotice(c echo.Context, path, notice string, counts ...int) error {
	if notice != "" {
		q := url.Values{"notice": {notice}}
		for i, n := range counts {
			q.Set("n"+strconv.Itoa(i), strconv.Itoa(n))
		}
		var fragment string
		path, fragment, _ = strings.Cut(path, "#")
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + q.Encode()
		if fragment != "" {
			path += "#" + fragment
		}
	}
	return c.Redirect(http.StatusSeeOther, path)
}

// cycleNotices are the messages a page shows after a redirect; the query
// names one (and may give counts), so no text from the URL reaches a page.
var cycleNotices = map[string]string{
	// Asking leaders to nominate: emailed now, asked before.
	"nominators": "Leaders asked to nominate their raters: %d emailed now, %d had been asked already. Leaders you add from now on are asked when added.",

	"created":  "The cycle is created. Add leaders and their raters, then open it.",
	"saved":    "Your changes are saved.",
	"leader":   "The leader is added, with their self-assessment.",
	"rater":    "The rater is added.",
	"removed":  "Removed.",
	"imported": "Imported %d new leaders and %d raters.",
	"opened":   "The cycle is open: %d invitation emails are on their way.",
	"reminded": "Reminders are on their way to %d people who have a survey to submit.",
	"extended": "The close date is moved. %d reminder emails are scheduled before it.",
	"closed":   "The cycle is closed. Nobody can answer any more; results can now be prepared.",
	"deleted":  "The draft is deleted, with its leaders and raters.",
	"copied":   "This draft is a copy. Leaders copied: %d; raters: %d. Nobody is invited until you open it.",
}

// noticeFor is the notice a redirect named, with its counts.
func noticeFor(c echo.Context) string {
	msg, ok := cycleNotices[c.QueryParam("notice")]
	if !ok {
		return ""
	}
	n := strings.Count(msg, "%d")
	for i := range n {
		v, err := strconv.Atoi(c.QueryParam("n" + strconv.Itoa(i)))
		if err != nil || v < 0 {
			v = 0
		}
		msg = strings.Replace(msg, "%d", strconv.Itoa(v), 1)
	}
	return msg
}
