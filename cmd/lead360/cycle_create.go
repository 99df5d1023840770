package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
)

const cycleCreateUsage = `Usage:
  lead360 cycle create --org NAME --name NAME --opens DATE --closes DATE [--form short|full] [--threshold N] [--json]

Creates a draft cycle in the organisation NAME, as the dashboard's "new
cycle" form does. Dates are days (YYYY-MM-DD) in UTC: the cycle opens at
the start of --opens and closes at the end of --closes. The short form is
the default questionnaire: most raters answer on a phone. Then add its
leaders and raters (lead360 cycle import) and open it (lead360 cycle open).
`

// createdJSON is what `cycle create --json` prints.
type createdJSON struct {
	cycleJSON
	Organization       string `json:"organization"`
	Form               string `json:"form"`
	Instrument         string `json:"instrument"`
	AnonymityThreshold int    `json:"anonymity_threshold"`
}

// flagOfField maps the fields of the dashboard's form, which the domain's
// problems name, to the flags that set them.
var flagOfField = map[string]string{"name": "--name", "opens_at": "--opens", "closes_at": "--closes",
	"anonymity_threshold": "--threshold", "instrument": "--form"}

// runCycleCreate is `lead360 cycle create`: the use case and validation of
// the dashboard's new-cycle form, with the form's default settings.
func runCycleCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCycleFlags("create", cycleCreateUsage, getenv, stderr)
	org := cf.String("org", "", "the organisation's name, as its admins sign in to it (required)")
	name := cf.String("name", "", "the cycle's name, as raters and leaders read it (required)")
	opens := cf.String("opens", "", "the day the cycle opens, YYYY-MM-DD (UTC) (required)")
	closes := cf.String("closes", "", "the last day raters can answer, YYYY-MM-DD (UTC) (required)")
	form := cf.String("form", "short", "the questionnaire: short or full")
	threshold := cf.Int("threshold", assessment.MinAnonymityThreshold, "the fewest raters a group needs to be shown (the anonymity threshold)")
	if err := cf.parse(args, 0, "org", "name", "opens", "closes"); err != nil {
		return err
	}
	var problems []string
	opensAt := parseDay(&problems, "opens", *opens)
	closesDay := parseDay(&problems, "closes", *closes)
	if *form != "short" && *form != "full" {
		problems = append(problems, fmt.Sprintf("--form %q: use short or full.", *form))
	}
	if len(problems) > 0 {
		return usagef("cycle create: %s", strings.Join(problems, " "))
	}
	return withWorkbench(ctx, cf.cfg, stderr, "cycle create", func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		in, err := wb.svc.FormInstrument(ctx, o.ID, *form)
		if err != nil {
			return err
		}
		c, err := wb.svc.CreateCycleWithSettings(ctx, assessment.CycleInput{
			Draft: assessment.CycleDraft{OrganizationID: o.ID, InstrumentID: in.ID, Name: *name, OpensAt: opensAt,
				ClosesAt: closesDay.AddDate(0, 0, 1), AnonymityThreshold: *threshold},
			Settings: assessment.DefaultCycleSettings(o.ID, ""),
		})
		if err != nil {
			return flagProblems(err)
		}
		out := createdJSON{cycleJSON: cycleOf(c), Organization: o.Name, Form: *form, Instrument: in.Key, AnonymityThreshold: c.AnonymityThreshold}
		return printResult(stdout, cf.asJSON, out, func(w io.Writer) {
			fmt.Fprintf(w, "Created the draft cycle %q in %q: %s form, anonymity threshold %d, open from %s to %s.\nIts id: %s\n",
				c.Name, o.Name, *form, c.AnonymityThreshold, moment(c.OpensAt), moment(c.ClosesAt), c.ID)
		})
	})
}

// parseDay reads a YYYY-MM-DD flag as the start of that day in UTC, or
// adds its problem.
func parseDay(problems *[]string, flag, value string) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(value))
	if err != nil {
		*problems = append(*problems, fmt.Sprintf("--%s %q is not a day like 2025-04-01.", flag, value))
	}
	return t
}

// organizationNamed finds an organisation by its name, or says it does not
// exist.
func organizationNamed(ctx context.Context, wb workbench, name string) (assessment.Organization, error) {
	o, err := wb.st.OrganizationByName(ctx, strings.TrimSpace(name))
	if assessment.ErrorCode(err) == assessment.CodeNotFound {
		return o, fmt.Errorf("%s: there is no organisation named %q (names are as given to lead360 admin create --org, capitals included)", wb.command, name)
	}
	return o, err
}

// flagProblems turns the domain's problems with the form's fields into a
// usage error that names the flags; other errors are returned as they are.
func flagProblems(err error) error {
	var de *assessment.Error
	if !errors.As(err, &de) || de.Code != assessment.CodeInvalid || len(de.Fields) == 0 {
		return err
	}
	var lines []string
	for field, msg := range de.Fields {
		name, ok := flagOfField[field]
		if !ok {
			return err
		}
		lines = append(lines, name+": "+msg)
	}
	slices.Sort(lines)
	return usagef("cycle create: %s", strings.Join(lines, " "))
}
