package api_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// A rater answers the full or the short form from the emailed link in a
// real browser, on a phone (360x740) and on a laptop (1280x800), with
// JavaScript and without: step
// by step, leaves in the middle and resumes on another device, is sent by
// the review step's link to the answer they missed, and submits. The test
// logs what the rater needed (screens, taps, scroll height), the figures
// docs/survey.md quotes.
func TestBrowserAnswersStepByStep(t *testing.T) {
	t.Parallel()
	assessmenttest.Chromium(t)
	for _, tc := range []struct {
		short         bool
		width, height int
		script        bool
	}{
		// Each form at each size, each with and without the script.
		{false, 360, 740, true}, {false, 1280, 800, false},
		{true, 360, 740, false}, {true, 1280, 800, true},
	} {
		name := fmt.Sprintf("%s-%dpx-script-%t", map[bool]string{false: "full", true: "short"}[tc.short], tc.width, tc.script)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, assessmenttest.Engine{Name: "sqlite"}, manyDeadLinks)
			in := &e.Instrument
			if tc.short {
				in = &e.ShortForm
			}
			_, tokens := e.openSmallCycleOn(t, *in)
			token := tokens["cy@example.com"][0]
			steps := len(in.Steps())

			// The phone: the first three steps, then the rater leaves.
			r := newRater(t, e.url+"/s/"+token, tc.width, tc.height, tc.script, name)
			r.open("", 1)
			if tc.script && tc.width == 360 {
				r.answerByKeyboard(in.Skills[0])
			} else {
				r.answer(in.Skills[0], "4")
			}
			r.press("next", 2)
			r.answer(in.Skills[1], "n")
			r.press("next", 3)
			r.answer(in.Skills[2], "3")
			if tc.script {
				// The script saved the answers; the rater just closes the tab.
				r.waitAutosaved()
			} else {
				r.press("save", 3)
				r.expectFocus("notice")
			}

			// Another device, the same link: it opens where they stopped.
			// (A new tab shares nothing a survey uses: the link is the key,
			// the answers are on the server.)
			r2 := r.newTab()
			r2.open("", 4)
			r2.answer(in.Skills[3], "5")
			r2.press("next", 5)
			last := in.Skills[4].Items[len(in.Skills[4].Items)-1]
			r2.answer(assessment.Skill{Items: in.Skills[4].Items[:len(in.Skills[4].Items)-1]}, "2")
			r2.press("next", 6)
			r2.press("next", 7)
			// Submit with one behaviour missing: the count comes first, with
			// the focus, and its link leads to the answer.
			r2.leave()
			r2.tap(`button[value="submit"]`)
			r2.waitFor(`!window.leaving && document.querySelector('#problems h2') && document.querySelector('#problems h2').textContent === '1 statement still needs an answer before you can submit.'`)
			r2.expectFocus("problems")
			r2.look()
			r2.leave()
			r2.tap(`#problems a`)
			r2.waitFor(`!window.leaving && document.readyState === 'complete' && document.getElementById('step-count').textContent === 'Step 5 of 7'`)
			if tc.script {
				r2.expectFocusOn(fmt.Sprintf(`document.activeElement.name === %q`, "a."+last.Key))
			}
			r2.answer(assessment.Skill{Items: []assessment.Item{last}}, "2")
			r2.press("next", 6)
			r2.press("next", 7)
			r2.leave()
			r2.tap(`button[value="submit"]`)
			r2.waitFor(`!window.leaving && document.querySelector('h1') && document.querySelector('h1').textContent === 'Thank you'`)

			sv, err := e.Service.Survey(context.Background(), token)
			if err != nil || sv.Response.Status != assessment.ResponseSubmitted || len(sv.Response.Answers) != in.ItemCount() {
				t.Fatalf("stored %+v (%v)", sv.Response, err)
			}
			t.Logf("%s: %d steps, %d screens shown, %d taps or keys, %.0f px scrolled in all, tallest step %.1f screens",
				name, steps, r2.screens, r2.taps, r2.scroll, r2.tallest)
			if tc.short && tc.width == 360 && r2.tallest > 2.5 {
				t.Errorf("a step of the short form is %.1f screens tall at 360x740, want at most 2.5", r2.tallest)
			}
		})
	}
}

// rater drives one browser through the survey and counts what it took.
type rater struct {
	t       *testing.T
	browser context.Context // the tab
	ctx     context.Context // the tab, with the test's deadline
	width   int
	height  int
	link    string
	script  bool
	name    string
	taps    int
	screens int
	scroll  float64 // page height beyond the first screen, summed over pages
	tallest float64 // the tallest page, in screens
}

func newRater(t *testing.T, link string, width, height int, script bool, name string) *rater {
	t.Helper()
	r := &rater{t: t, link: link, script: script, name: name, width: width, height: height}
	r.start(assessmenttest.NewBrowser(t, width, height))
	return r
}

// newTab is a rater in a new tab of the same browser, with the counts so far.
func (r *rater) newTab() *rater {
	r.t.Helper()
	tab, cancel := chromedp.NewContext(r.browser)
	r.t.Cleanup(cancel)
	r2 := *r
	r2.start(tab)
	if err := chromedp.Do(r2.ctx, chromedp.EmulateViewport(int64(r.width), int64(r.height))); err != nil {
		r.t.Fatal(err)
	}
	return &r2
}

// start drives the tab, with scripts off when the rater has none.
func (r *rater) start(tab context.Context) {
	r.t.Helper()
	r.browser = tab
	ctx, cancel := context.WithTimeout(tab, 120*time.Second)
	r.t.Cleanup(cancel)
	r.ctx = ctx
	if !r.script {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			r.t.Fatal(err)
		}
	}
}

func (r *rater) do(actions ...chromedp.Action[chromedp.Void]) {
	r.t.Helper()
	if err := chromedp.Do(r.ctx, actions...); err != nil {
		r.t.Fatal(err)
	}
}

// open loads the link and expects step want.
func (r *rater) open(query string, want int) {
	r.t.Helper()
	r.do(chromedp.Navigate(r.link + query))
	r.arrived(want)
}

// arrived waits for step want, then measures the page and keeps a picture.
func (r *rater) arrived(want int) {
	r.t.Helper()
	r.waitFor(fmt.Sprintf(`!window.leaving && document.readyState === 'complete' && document.getElementById('step-count').textContent === 'Step %d of 7'`, want))
	r.look()
	if r.script && strings.Contains(r.page(), "step=") {
		r.expectFocusOn(`document.activeElement.id === 'step-title' || document.activeElement.id === 'problems' || document.activeElement.id === 'notice'`)
	}
}

// page is the address of the page the browser shows.
func (r *rater) page() string {
	r.t.Helper()
	href, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil {
		r.t.Fatal(err)
	}
	return href
}

// look counts the page as a screen shown, measures it, checks it fits the
// width, and saves a screenshot in artifacts/survey.
func (r *rater) look() {
	r.t.Helper()
	size, err := chromedp.Run(r.ctx, chromedp.Evaluate[[]float64](`[document.documentElement.scrollHeight, window.innerHeight, document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		r.t.Fatal(err)
	}
	if size[2] > size[3] {
		r.t.Errorf("the page scrolls sideways: %.0f px wide in %.0f", size[2], size[3])
	}
	r.screens++
	r.scroll += max(0, size[0]-size[1])
	r.tallest = max(r.tallest, size[0]/size[1])
	shot, err := chromedp.Run(r.ctx, chromedp.FullScreenshot(80))
	if err != nil {
		r.t.Fatal(err)
	}
	dir := filepath.Join("..", "artifacts", "survey")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%02d.jpg", r.name, r.screens)), shot, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// tap clicks what the selector finds.
func (r *rater) tap(sel string) {
	r.t.Helper()
	r.taps++
	ctx, cancel := context.WithTimeout(r.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		r.t.Fatalf("tap %s: %v", sel, err)
	}
}

// answer taps value for each item of the skill.
func (r *rater) answer(sk assessment.Skill, value string) {
	r.t.Helper()
	for _, it := range sk.Items {
		r.tap(fmt.Sprintf(`input[name="a.%s"][value="%s"] + span`, it.Key, value))
	}
}

// answerByKeyboard answers "4" to each item with the keyboard only: Tab
// into each radio group, Space picks "1", three arrows move to "4", and Tab
// leaves the group ("Not observed" belongs to it).
func (r *rater) answerByKeyboard(sk assessment.Skill) {
	r.t.Helper()
	actions := []chromedp.Action[chromedp.Void]{chromedp.Focus(fmt.Sprintf(`input[name="a.%s"][value="1"]`, sk.Items[0].Key))}
	for i := range sk.Items {
		if i > 0 {
			actions = append(actions, chromedp.KeyEvent(kb.Tab))
		}
		actions = append(actions, chromedp.KeyEvent(" "), chromedp.KeyEvent(kb.ArrowRight+kb.ArrowRight+kb.ArrowRight))
		r.taps += 4
	}
	r.do(actions...)
	checked, err := chromedp.Run(r.ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[type=radio][value="4"]:checked').length`))
	if err != nil || checked != len(sk.Items) {
		r.t.Fatalf("%d behaviours answered 4 by keyboard, want %d (%v)", checked, len(sk.Items), err)
	}
}

// press taps the step button (next, back, save) and expects step want.
func (r *rater) press(action string, want int) {
	r.t.Helper()
	r.leave()
	r.tap(fmt.Sprintf(`button[value=%q]`, action))
	r.arrived(want)
}

// leave marks the page about to be left, so that waiting for the next one
// cannot mistake this one for it (Save stays on the same step).
func (r *rater) leave() {
	r.t.Helper()
	r.do(chromedp.Evaluate[chromedp.Void](`window.leaving = true`))
}

// waitFor polls cond until it holds. A click may start a navigation, which
// ends a running evaluation: that is a reason to ask again, not an error.
func (r *rater) waitFor(cond string) {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+cond+`); } catch (e) { return false; } })()`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("waiting for %s: %v", cond, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *rater) waitAutosaved() {
	r.t.Helper()
	r.waitFor(`document.getElementById('survey').getAttribute('data-autosave-state') === 'saved'`)
}

// expectFocus checks that the element with the id has the keyboard focus.
func (r *rater) expectFocus(id string) {
	r.t.Helper()
	r.expectFocusOn(fmt.Sprintf(`document.activeElement && document.activeElement.id === %q`, id))
}

// expectFocusOn waits a moment for cond: the survey script moves the focus
// once the page is parsed.
func (r *rater) expectFocusOn(cond string) {
	r.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			focused, _ := chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'nothing'`))
			r.t.Errorf("focus: want %s, have %s (%v)", cond, focused, err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
