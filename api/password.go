package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

type forgotForm struct {
	Email string `form:"email" validate:"required,email,max=320" label:"your email address"`
}

type forgotView struct {
	page
	Form    forgotForm
	Errors  map[string]string
	Message string
	Sent    bool
}

// forgotPage answers GET /password/forgot.
func (s *Server) forgotPage(c echo.Context) error {
	return s.renderForgot(c, http.StatusOK, forgotView{})
}

// forgot answers POST /password/forgot with the same page whether the
// address has an account or not; the email, if any, carries a link valid
// for 30 minutes.
func (s *Server) forgot(c echo.Context) error {
	var form forgotForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems != nil {
		return s.renderForgot(c, http.StatusUnprocessableEntity, forgotView{Form: form, Errors: problems})
	}
	ctx := c.Request().Context()
	ipKey, emailKey := clientKey(c.RealIP()), strings.ToLower(strings.TrimSpace(form.Email))
	wait, limited, err := waitFor(ctx, keyed{s.limits.forgotIP, ipKey}, keyed{s.limits.forgotEmail, emailKey})
	if err != nil {
		return err
	}
	if limited {
		retryAfter(c.Response().Header(), wait)
		return s.renderForgot(c, http.StatusTooManyRequests, forgotView{Form: form,
			Message: "Too many reset emails were asked for. Wait a few minutes, and check your inbox and spam folder meanwhile."})
	}
	if err := errors.Join(s.limits.forgotIP.fail(ctx, ipKey), s.limits.forgotEmail.fail(ctx, emailKey)); err != nil {
		return err
	}
	if err := s.accounts.RequestPasswordReset(ctx, form.Email); err != nil {
		return err
	}
	return s.renderForgot(c, http.StatusOK, forgotView{Form: form, Sent: true})
}

func (s *Server) renderForgot(c echo.Context, status int, view forgotView) error {
	noStore(c)
	return s.render.render(c, status, "password_forgot", view)
}

type resetForm struct {
	Password string `form:"password" validate:"required,min=8,max=256" label:"a new password"`
}

type resetView struct {
	page
	Token   string
	Gone    bool
	Errors  map[string]string
	Message string
}

// resetPage answers GET /password/reset/:token: the new-password form, or
// a page saying the link is dead. Opening the link changes nothing (mail
// scanners open links too).
func (s *Server) resetPage(c echo.Context) error {
	token := c.Param("token")
	if err := s.accounts.CheckPasswordLink(c.Request().Context(), token); err != nil {
		return s.deadLink(c, err)
	}
	return s.renderReset(c, http.StatusOK, resetView{Token: token})
}

// reset answers POST /password/reset/:token: sets the password, uses the
// link up, ends every session of the account and sends the person to sign
// in with it.
func (s *Server) reset(c echo.Context) error {
	token := c.Param("token")
	if err := s.linkAllowed(c, clientKey(c.RealIP())); err != nil {
		return err
	}
	var form resetForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems != nil {
		return s.renderReset(c, http.StatusUnprocessableEntity, resetView{Token: token, Errors: problems})
	}
	_, err = s.accounts.ResetPassword(c.Request().Context(), token, form.Password)
	if fields, msg, ok := formProblems(err); ok {
		return s.renderReset(c, http.StatusUnprocessableEntity, resetView{Token: token, Errors: fields, Message: msg})
	} else if err != nil {
		return s.deadLink(c, err)
	}
	return c.Redirect(http.StatusSeeOther, "/login?notice=password-set")
}

// deadLink answers a link that no longer sets a password with 410 and the
// way to a new one; such answers are throttled per address, since a flood
// of them is someone guessing.
func (s *Server) deadLink(c echo.Context, err error) error {
	if assessment.ErrorCode(err) != assessment.CodeGone {
		return err
	}
	ipKey := clientKey(c.RealIP())
	if err := s.linkAllowed(c, ipKey); err != nil {
		return err
	}
	if err := s.limits.linkIP.fail(c.Request().Context(), ipKey); err != nil {
		return err
	}
	var de *assessment.Error
	errors.As(err, &de)
	return s.renderReset(c, http.StatusGone, resetView{Gone: true, Message: de.Message})
}

// linkAllowed refuses (429) an address that has tried too many dead
// password links.
func (s *Server) linkAllowed(c echo.Context, ipKey string) error {
	wait, limited, err := waitFor(c.Request().Context(), keyed{s.limits.linkIP, ipKey})
	if err != nil {
		return err
	}
	if limited {
		retryAfter(c.Response().Header(), wait)
		return echo.NewHTTPError(http.StatusTooManyRequests, "Too many attempts from your address. Wait a minute and try again.")
	}
	return nil
}

func (s *Server) renderReset(c echo.Context, status int, view resetView) error {
	noStore(c)
	return s.render.render(c, status, "password_reset", view)
}
