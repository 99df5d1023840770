package api_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// A rater opens the emailed link in a real browser on a 360-px phone,
// answers with the keyboard, lets the script autosave, reloads and finds the
// draft, then submits.
func TestBrowserAnswersFromEmailedLinkWithKeyboard(t *testing.T) {
	t.Parallel()
	e := newSurveyEnv(t, assessmenttest.Engine{Name: "sqlite"}, 1000, 1000)
	_, tokens := e.openSmallCycle(t)
	link := e.url + "/s/" + tokens["cy@example.com"][0]
	browser := assessmenttest.NewBrowser(t, 360, 800)
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible("fieldset.item")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join("..", "artifacts"), 0o755); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "artifacts", "survey-360px.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	// The page fits the phone: nothing wider than the viewport.
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
		t.Fatalf("page scrolls sideways at 360 px (%v)", err)
	}

	// Keyboard only: Tab into each radio group, Space picks "1", three
	// arrows move to "4"; after each skill's items, Tab passes its comment box.
	steps := []chromedp.Action[chromedp.Void]{chromedp.Focus(`input[name="a.` + e.Instrument.Skills[0].Items[0].Key + `"][value="1"]`)}
	for si, s := range e.Instrument.Skills {
		for ii := range s.Items {
			if si > 0 || ii > 0 {
				steps = append(steps, chromedp.KeyEvent(kb.Tab))
			}
			steps = append(steps, chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.ArrowRight+kb.ArrowRight+kb.ArrowRight))
		}
		steps = append(steps, chromedp.KeyEvent(kb.Tab)) // the skill's open question
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	// Non-ASCII text goes in with SetValue (SendKeys drops letters).
	const comment = "Más café, menos reuniones ☕ — gracias"
	if err := chromedp.Do(ctx, chromedp.SetValue("#c6", comment)); err != nil {
		t.Fatal(err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[type=radio][value="4"]:checked').length`))
	if err != nil || checked != e.Instrument.ItemCount() {
		t.Fatalf("%d items answered 4 by keyboard, want %d (%v)", checked, e.Instrument.ItemCount(), err)
	}
	// A second picture: answered items, the keyboard focus (Tab, which
	// changes nothing) on the second one.
	if err := chromedp.Do(ctx, chromedp.Focus(`#q1 input[value="4"]`), chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('q1').scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	if shot, err = chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "artifacts", "survey-360px-answered.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	// Wait until everything typed is saved and no save is on its way.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('survey').getAttribute('data-autosave-state') === 'saved'`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("no autosave: %v", err)
	}
	if status, err := chromedp.Run(ctx, chromedp.Text("#autosave-status")); err != nil || !strings.HasPrefix(status, "Draft saved at") {
		t.Fatalf("autosave status %q (%v)", status, err)
	}
	progress, err := chromedp.Run(ctx, chromedp.Text("#progress-text"))
	if err != nil || !strings.HasPrefix(progress, "40 of 40") {
		t.Fatalf("progress %q (%v)", progress, err)
	}

	// Reload: the autosaved draft is there.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible("fieldset.item")); err != nil {
		t.Fatal(err)
	}
	checked, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[type=radio][value="4"]:checked').length`))
	if err != nil || checked != e.Instrument.ItemCount() {
		t.Fatalf("after reload %d answers, want %d (%v)", checked, e.Instrument.ItemCount(), err)
	}
	got, err := chromedp.Run(ctx, chromedp.Value("#c6"))
	if err != nil || got != comment {
		t.Fatalf("after reload the comment is %q (%v)", got, err)
	}

	// Submit with the keyboard: focus the button, press Enter.
	if err := chromedp.Do(ctx, chromedp.Focus(`button[value="submit"]`), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.Search(`//h1[text()="Thank you"]`))); err != nil {
		t.Fatal(err)
	}
	sv, err := e.Service.Survey(context.Background(), tokens["cy@example.com"][0])
	if err != nil || sv.Response.Status != assessment.ResponseSubmitted || len(sv.Response.Comments) != 1 || sv.Response.Comments[0].Body != comment {
		t.Fatalf("stored %+v (%v)", sv.Response, err)
	}
}
