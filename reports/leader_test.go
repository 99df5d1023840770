package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

var update = flag.Bool("update", false, "rewrite testdata/*.sha256 golden hashes")

func renderLeader(tb testing.TB, in LeaderReport) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Leader(&buf, in); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// qpdfCheck fails the test unless qpdf finds the file sound.
func qpdfCheck(t *testing.T, path string) {
	t.Helper()
	requireTool(t, "qpdf")
	out, err := exec.Command("qpdf", "--check", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Fatalf("qpdf --check %s: %v\n%s", filepath.Base(path), err, out)
	}
}

// pdfText is the whole text of a PDF, pages joined, without -layout so a
// sentence wrapped by the report reads as words separated by spaces.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	requireTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func f2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// TestLeaderDemo renders the demo story and reads the numbers and sections
// back from the PDF text.
func TestLeaderDemo(t *testing.T) {
	t.Parallel()
	in := mayaReport(t)
	path := keep(t, "maya.pdf", renderLeader(t, in))
	qpdfCheck(t, path)
	text := pdfText(t, path)
	pages := pageTexts(t, path)

	// Sections in the order of the issue.
	order := []string{"Who responded", "How to read this report", "Summary", "Your focus: Delegation",
		"Delegation", "Coaching", "Feedback", "Conflict resolution", "Emotional intelligence",
		secGaps, secTop, secBottom, secInterplay, secComments, secMgrComm, secSelfComm, secIdeas, secPlan}
	at := 0
	for _, s := range order {
		i := strings.Index(text[at:], s)
		if i < 0 {
			t.Fatalf("section %q missing or out of order", s)
		}
		at += i + len(s)
	}
	for i, p := range pages {
		if !strings.Contains(p, fmt.Sprintf("Page %d of %d", i+1, len(pages))) {
			t.Errorf("page %d has no footer", i+1)
		}
	}

	// Every skill's others' mean is printed with its n and CI, on its page.
	for _, s := range in.Leader.Skills {
		o := s.AllOthers
		want := []string{f2(o.Mean.Value), "n=" + strconv.Itoa(o.N), f2(o.CI.Lower) + "–" + f2(o.CI.Upper)}
		name := s.Name
		var page string
		for _, p := range pages {
			if strings.Contains(p, name) && strings.Contains(p, "Behaviours") && strings.Contains(p, "All others (n=") {
				page = p
			}
		}
		if page == "" {
			t.Fatalf("no page for skill %s", name)
		}
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s page lacks %q", name, w)
			}
		}
	}
	// Items: the others' wording and the figures of the first item.
	it := in.Leader.Items[0]
	for _, w := range []string{"When they delegate work, they hand over the decisions that go with it", f2(it.AllOthers.Mean.Value), textBlindSpot} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	// Comments, self comments apart, and suggestions for the focus skill.
	for _, bodies := range mayaComments {
		for _, b := range bodies {
			if !strings.Contains(text, b) {
				t.Errorf("comment missing: %q", b)
			}
		}
	}
	self := text[strings.Index(text, secSelfComm):]
	if !strings.Contains(self, mayaSelfComments["overall"]) {
		t.Errorf("self comment not in the self section")
	}
	// The manager's comment stands under the manager's label, after the
	// anonymous comments and before her own; the section says the rule.
	comments := text[strings.LastIndex(text, secComments):]
	selfAt := strings.LastIndex(comments, secSelfComm)
	managerAt := strings.LastIndex(comments[:selfAt], secMgrComm)
	managers := mayaManagerComments["delegation.keep_and_change"][0]
	if managerAt < 0 || !strings.Contains(comments[managerAt:selfAt], managers) || strings.Contains(comments[:managerAt], managers) {
		t.Errorf("the manager's comment is not (only) under %q:\n%s", secMgrComm, comments)
	}
	for _, rule := range []string{
		"Comments from peers, direct reports and others appear only when at least 3 people in that group answered",
		"Your manager's comments are shown as theirs",
	} {
		if !strings.Contains(comments, rule) {
			t.Errorf("the comments section does not say %q", rule)
		}
	}
	if !strings.Contains(text, "Hand over the decision, not just the task") {
		t.Errorf("delegation suggestions missing")
	}
	for _, unkind := range []string{"poor", "failure", "bad leader", "weakness"} {
		if strings.Contains(strings.ToLower(text), unkind) {
			t.Errorf("report says %q", unkind)
		}
	}
}

// TestLeaderDeterministic: the same snapshot gives the same bytes, and so
// does the same cycle submitted in another order with comments in another
// order. The golden hash pins the bytes across changes (update with
// -update after looking at the pages).
func TestLeaderDeterministic(t *testing.T) {
	t.Parallel()
	in, _ := builtin(t)
	si := scoringInstrument(in)
	leaders := append([]genLeader{maya}, cohort(rand.New(rand.NewPCG(7, 11)))...)
	ratings := genRatings(rand.New(rand.NewPCG(2026, 360)), si, leaders)
	render := func(rs []scoring.Rating, comments map[string][]string) []byte {
		res, err := scoring.Score(scoring.Input{Instrument: si, Ratings: rs})
		if err != nil {
			t.Fatal(err)
		}
		return renderLeader(t, report(t, res, "maya", "Maya Okafor", comments, mayaSelfComments))
	}
	a := render(ratings, mayaComments)

	shuffled := slices.Clone(ratings)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	reversed := map[string][]string{}
	for k, v := range mayaComments {
		r := slices.Clone(v)
		slices.Reverse(r)
		reversed[k] = r
	}
	b := render(shuffled, reversed)
	if !bytes.Equal(a, b) {
		t.Fatalf("submission order changed the PDF (%d and %d bytes)", len(a), len(b))
	}

	sum := sha256.Sum256(a)
	got := hex.EncodeToString(sum[:])
	golden := filepath.Join("testdata", "maya.sha256")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if strings.TrimSpace(string(want)) != got {
		keep(t, "maya-changed.pdf", a)
		t.Errorf("the demo report's bytes changed: sha256 %s, golden %s. Look at the pages (-out DIR), then run with -update", got, strings.TrimSpace(string(want)))
	}
}

// TestLeaderStress: the layout holds with a 4,000-character comment, an
// 80-character name, 30 comments on one question and a skill with no
// others' data. The pages are written with -out for a look by eye.
func TestLeaderStress(t *testing.T) {
	t.Parallel()
	inst, _ := builtin(t)
	long := strings.TrimSpace(strings.Repeat("When the incident review ran long she stayed calm and kept the discussion on what we could learn. ", 41))[:assessment.MaxCommentRunes]
	name := "Maximiliana Alessandra Wolkenstein-Trautmannsdorff de la Cruz y Ngô Bảo Châu Øst"
	thirty := make([]string, 30)
	for i := range thirty {
		thirty[i] = fmt.Sprintf("Comment %02d: she explains the why behind the roadmap, and could leave more room for the team to propose the how.", i+1)
	}
	thirty[7] = long

	// Coaching: a self rating, a manager, and two peers only, so all others
	// is under k and there is no others' figure for the skill.
	l := genLeader{id: "stress", levels: [5]float64{3, 3, 3, 3, 3}, self: [5]float64{4, 4, 4, 4, 4}, managers: 1, peers: 3, dirs: 3}
	res := withoutOthers(t, inst, l, "coaching", 9)
	in := report(t, res, "stress", name, map[string][]string{"delegation.keep_and_change": thirty, "overall": {long}}, map[string]string{"overall": long})
	path := keep(t, "stress.pdf", renderLeader(t, in))
	qpdfCheck(t, path)
	text := pdfText(t, path)
	for _, w := range []string{"Comment 01:", "Comment 30:", long[len(long)-40:], "Not shown: fewer than 3 ratings", "Coaching"} {
		if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("text lacks %q", w)
		}
	}
	if len([]rune(name)) < 80 {
		t.Fatalf("name has %d runes, want at least 80", len([]rune(name)))
	}
}

// withoutOthers scores one leader whose colleagues all mark every item of
// skill "not observed" except the manager, so the skill has no all-others
// figure (and no gap) while the other skills do.
func withoutOthers(tb testing.TB, inst assessment.Instrument, l genLeader, skill string, seed uint64) scoring.Result {
	tb.Helper()
	si := scoringInstrument(inst)
	rs := genRatings(rand.New(rand.NewPCG(seed, 1)), si, []genLeader{l})
	skillOf := map[string]string{}
	for _, s := range si.Skills {
		for _, it := range s.Items {
			skillOf[it.Key] = s.Key
		}
	}
	for i := range rs {
		r := &rs[i]
		if skillOf[r.ItemKey] == skill && r.Relationship != scoring.Self && r.Relationship != scoring.Manager {
			r.Value = scoring.NotObserved
		}
	}
	res, err := scoring.Score(scoring.Input{Instrument: si, Ratings: rs})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// decimals finds every number with two decimals in a text.
var decimals = regexp.MustCompile(`(?:^|[^\d.])(\d+\.\d\d)(?:[^\d.]|$)`)

// disclosed lists every figure the engine disclosed about a leader, in the
// report's two-decimal form.
func disclosed(in LeaderReport) map[string]bool {
	ok := map[string]bool{}
	add := func(v float64) {
		ok[f2(v)] = true
		ok[f2(-v)] = true
	}
	addN := func(n scoring.Number) {
		if n.Available() {
			add(n.Value)
		}
	}
	addStats := func(g scoring.GroupStats) {
		addN(g.Mean)
		addN(g.SD)
		if g.CI.Available() {
			add(g.CI.Lower)
			add(g.CI.Upper)
		}
		if g.RwgJ != nil {
			addN(g.RwgJ.Lindell)
		}
	}
	addGap := func(g scoring.Gap) { addN(g.Self); addN(g.Others); addN(g.Value) }
	addTrend := func(t *scoring.Trend) {
		if t != nil {
			addN(t.Previous)
			addN(t.Change)
			addN(t.SelfChange)
			if t.CI.Available() {
				add(t.CI.Lower)
				add(t.CI.Upper)
			}
		}
	}
	l := in.Leader
	for _, s := range l.Skills {
		for _, g := range s.Groups {
			addStats(g)
		}
		addStats(s.AllOthers)
		addGap(s.Gap)
		addTrend(s.Trend)
	}
	for _, it := range l.Items {
		for _, g := range it.Groups {
			addStats(g)
		}
		addStats(it.AllOthers)
		addGap(it.Gap)
		addTrend(it.Trend)
	}
	addN(l.ProfileMean)
	for _, a := range in.Agreement {
		add(a.D)
		add(a.Lower)
		add(a.Upper)
	}
	add(in.Settings.BlindSpotThreshold)
	ok["0.00"] = true // a clamped agreement index and a zero gap
	return ok
}

// confidentialityCycle has leaders whose groups the engine must hide: peers
// and direct reports under k (pooled, or excluded when even the pool is
// small), a leader with no colleague group shown at all, and items that
// drop under k through "not observed".
func confidentialityCycle() []genLeader {
	return []genLeader{
		{id: "pooled", levels: [5]float64{3.1, 3.4, 2.8, 3.9, 3.3}, self: [5]float64{4, 4, 3, 4, 3}, managers: 1, peers: 2, dirs: 1},
		{id: "excluded", levels: [5]float64{2.2, 4.1, 3.3, 2.7, 3.8}, self: [5]float64{3, 3, 3, 3, 3}, managers: 1, peers: 4, dirs: 2},
		{id: "nobody", levels: [5]float64{3, 3, 3, 3, 3}, self: [5]float64{5, 5, 5, 5, 5}, managers: 1, peers: 2},
		{id: "sparse", levels: [5]float64{3.6, 2.9, 4.2, 3.1, 2.5}, self: [5]float64{4, 3, 4, 3, 2}, managers: 2, peers: 3, dirs: 3, others: 1, notObserved: 0.35},
	}
}

// TestConfidentiality renders the reports and the CSV of a cycle with hidden
// groups and checks that no figure the engine did not disclose, and no
// comment DiscloseComments held back, reaches either (TRUST.md A1, A4).
func TestConfidentiality(t *testing.T) {
	t.Parallel()
	inst, sg := builtin(t)
	si := scoringInstrument(inst)
	leaders := confidentialityCycle()
	ratings := genRatings(rand.New(rand.NewPCG(42, 42)), si, leaders)
	res, err := scoring.Score(scoring.Input{Instrument: si, Ratings: ratings})
	if err != nil {
		t.Fatal(err)
	}
	// One comment per rater per question, each with a unique marker.
	var comments []assessment.CycleComment
	rels := map[string]scoring.Relationship{}
	for _, r := range ratings {
		rels[r.ParticipantID+"|"+r.RaterID] = r.Relationship
	}
	for key, rel := range rels {
		pid, rater, _ := strings.Cut(key, "|")
		for _, q := range inst.Questions {
			comments = append(comments, assessment.CycleComment{ParticipantID: pid, Relationship: assessment.Relationship(rel), QuestionKey: q.Key,
				Body: "marker" + strings.NewReplacer("-", "", "_", "", ".", "").Replace(rater+q.Key) + " wrote this."})
		}
	}
	for _, gl := range leaders {
		t.Run(gl.id, func(t *testing.T) {
			l := leaderOf(t, res, gl.id)
			if len(l.Suppressed) == 0 {
				t.Fatalf("leader %s has nothing suppressed: the fixture no longer tests anything", gl.id)
			}
			shown := assessment.DiscloseComments(&inst, &l, comments, "salt")
			in := LeaderReport{Created: cycleCloses, LeaderName: gl.id, CycleName: "Confidentiality", OpensAt: cycleOpens, ClosesAt: cycleCloses,
				Instrument: inst, EngineVersion: res.EngineVersion, Settings: res.Settings, CommentThreshold: res.Settings.KMin,
				Leader: l, Agreement: assessment.AgreementOf(res, gl.id), CohortLeaders: res.Cohort.Leaders, Suggestions: sg}
			visible := map[string]bool{}
			for _, c := range shown.Others {
				in.Comments = append(in.Comments, CommentGroup{QuestionKey: c.QuestionKey, Question: c.QuestionKey, Bodies: []string{c.Body}})
				visible[c.Body] = true
			}
			for _, c := range shown.Self {
				in.SelfComments = append(in.SelfComments, CommentGroup{QuestionKey: c.QuestionKey, Question: c.QuestionKey, Bodies: []string{c.Body}})
				visible[c.Body] = true
			}
			path := keep(t, "confidential-"+gl.id+".pdf", renderLeader(t, in))
			qpdfCheck(t, path)
			text := pdfText(t, path)

			allowed := disclosed(in)
			for _, m := range decimals.FindAllStringSubmatch(text, -1) {
				if !allowed[m[1]] {
					t.Errorf("the PDF prints %s, which the engine did not disclose", m[1])
				}
			}
			for _, c := range comments {
				if c.ParticipantID != gl.id {
					continue
				}
				marker := strings.Fields(c.Body)[0]
				if in := strings.Contains(text, marker); in != visible[c.Body] {
					t.Errorf("comment %s from %s: in PDF %v, disclosed %v", marker, c.Relationship, in, visible[c.Body])
				}
			}
			// A hidden group never appears with a count.
			for _, s := range l.Suppressed {
				if s.Group == scoring.GroupAllOthers || len(s.Skills) < len(l.Skills) {
					continue
				}
				if label := groupLabel(s.Group) + " (n="; strings.Contains(text, label) {
					t.Errorf("hidden group shown with a count: %q", label)
				}
			}
		})
	}

	// The CSV of the whole cycle: every figure is one the engine disclosed,
	// at full precision, and hidden groups have empty cells.
	var buf bytes.Buffer
	if err := WriteCSV(&buf, CSVRows("Confidentiality", nil, res)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	full := map[string]bool{}
	for _, l := range res.Leaders {
		for _, s := range l.Skills {
			for _, g := range append(slices.Clone(s.Groups), s.AllOthers) {
				for _, n := range []scoring.Number{g.Mean, g.SD} {
					if n.Available() {
						full[strconv.FormatFloat(n.Value, 'f', -1, 64)] = true
					}
				}
				if g.CI.Available() {
					full[strconv.FormatFloat(g.CI.Lower, 'f', -1, 64)] = true
					full[strconv.FormatFloat(g.CI.Upper, 'f', -1, 64)] = true
				}
			}
			if s.Gap.Value.Available() {
				full[strconv.FormatFloat(s.Gap.Value.Value, 'f', -1, 64)] = true
			}
		}
	}
	hidden := 0
	for _, r := range recs[1:] {
		for _, cell := range r[6:11] {
			if cell != "" && !full[cell] {
				t.Errorf("CSV row %v has %s, which the engine did not disclose", r[:5], cell)
			}
		}
		if r[12] == NoteNotShown || r[12] == NotePooled {
			hidden++
			if strings.Join(r[5:12], "") != "" {
				t.Errorf("hidden group has figures in the CSV: %v", r)
			}
		}
	}
	if hidden == 0 {
		t.Errorf("no hidden group in the CSV: the fixture no longer tests anything")
	}
}
