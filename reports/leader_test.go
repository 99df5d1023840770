package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
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

// f1OnScale is an interval bound as reports print it: cut at 1 and 5, one
// decimal.
func f1OnScale(v float64) string { return strconv.FormatFloat(min(max(v, 1), 5), 'f', 1, 64) }

// TestLeaderDemo renders the demo story and reads the numbers and sections
// back from the PDF text.
func TestLeaderDemo(t *testing.T) {
	t.Parallel()
	in := mayaReport(t)
	path := keep(t, "maya.pdf", renderLeader(t, in))
	qpdfCheck(t, path)
	text := pdfText(t, path)
	pages := pageTexts(t, path)

	// Sections in reading order: the story first, the method last.
	order := []string{"Maya Okafor", "Your focus: Delegation", secStoryTop, secStoryGrow, secStoryGaps, secStoryWho, secRadar, secSkills,
		"Delegation", "Coaching", "Feedback", "Conflict resolution", "Emotional intelligence",
		secGaps, secTop, secBottom, secInterplay, secComments, secMgrComm, secSelfComm, secIdeas, secPlan,
		secAppendix, secHowTo, secResponded, secAbout}
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
		want := []string{f2(o.Mean.Value), "n=" + strconv.Itoa(o.N), f1OnScale(o.CI.Lower) + "–" + f1OnScale(o.CI.Upper)}
		name := s.Name
		var page string
		for _, p := range pages {
			if strings.Contains(p, name) && strings.Contains(p, "Behaviours") && strings.Contains(p, textAllOthers+" (n=") {
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
	// The focus skill's ideas: lowest-rated behaviours first, none for a
	// behaviour among the leader's highest-rated items, each saying what
	// it is for; the action plan starts from the first.
	if f := in.Leader.Focus; f.Skill == "" || !strings.Contains(text, "Your focus: Delegation "+f.Sentence+" "+f.Evidence) {
		t.Errorf("the focus callout lacks its sentence and evidence: %+v", f)
	}
	ideasText := text[strings.Index(text, secIdeas+" Practical"):strings.Index(text, secPlan+" Fill")]
	sg, _ := in.Suggestions.For(in.Leader.Focus.Skill)
	ideas := sg.IdeasFor(&in.Leader)
	if len(ideas) == 0 {
		t.Fatal("no ideas for the focus skill")
	}
	at = 0
	for _, idea := range ideas {
		i := strings.Index(ideasText[at:], idea.Title)
		if i < 0 {
			t.Fatalf("idea %q missing or out of order", idea.Title)
		}
		at += i
		if aim := IdeaAim(in.Instrument, idea); !strings.Contains(ideasText[at:], aim) {
			t.Errorf("idea %q lacks %q", idea.Title, aim)
		}
	}
	top := map[string]bool{}
	for _, r := range in.Leader.TopItems {
		top[r.Item] = true
	}
	for _, b := range sg.Behaviours {
		if slices.ContainsFunc(b.Items, func(k string) bool { return top[k] }) && strings.Contains(ideasText, b.Title) {
			t.Errorf("idea %q is for a behaviour colleagues rate among the highest", b.Title)
		}
	}
	if !strings.Contains(text, "For example: “"+ideas[0].Title+"”") {
		t.Errorf("the action plan does not start from the first idea, %q", ideas[0].Title)
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
	// The focus's evidence adds figures computed from disclosed ones: a
	// skill's distance below the profile mean and the spread of the skills.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range l.Skills {
		if o := s.AllOthers.Mean; o.Available() {
			lo, hi = min(lo, o.Value), max(hi, o.Value)
			if l.ProfileMean.Available() {
				add(l.ProfileMean.Value - o.Value)
			}
		}
	}
	add(hi - lo)
	for _, a := range in.Agreement {
		add(a.D)
		add(a.Lower)
		add(a.Upper)
	}
	add(in.Settings.BlindSpotThreshold)
	ok["0.00"] = true // a clamped agreement index and a zero gap
	return ok
}

// disclosedBounds lists the interval bounds the engine disclosed about a
// leader's scores, as the report prints them (cut at the scale's ends, one
// decimal).
func disclosedBounds(in LeaderReport) map[string]bool {
	ok := map[string]bool{}
	add := func(g scoring.GroupStats) {
		if g.CI.Available() {
			ok[f1OnScale(g.CI.Lower)] = true
			ok[f1OnScale(g.CI.Upper)] = true
		}
	}
	for _, s := range in.Leader.Skills {
		for _, g := range s.Groups {
			add(g)
		}
		add(s.AllOthers)
	}
	for _, it := range in.Leader.Items {
		for _, g := range it.Groups {
			add(g)
		}
		add(it.AllOthers)
	}
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
			bounds := disclosedBounds(in)
			for _, m := range intervalPattern.FindAllStringSubmatch(text, -1) {
				if !bounds[m[1]] || !bounds[m[2]] {
					t.Errorf("the PDF prints the interval %s, which the engine did not disclose", m[0])
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
	recs := csvRecords(t, "Confidentiality", res)
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
					// Cut at the ends of the scale, as the export prints them.
					full[strconv.FormatFloat(min(max(g.CI.Lower, 1), 5), 'f', -1, 64)] = true
					full[strconv.FormatFloat(min(max(g.CI.Upper, 1), 5), 'f', -1, 64)] = true
				}
			}
			if s.Gap.Value.Available() {
				full[strconv.FormatFloat(s.Gap.Value.Value, 'f', -1, 64)] = true
			}
		}
	}
	hidden := 0
	for _, r := range recs[1:] {
		for _, cell := range slices.Concat(r[6:8], r[9:12]) { // numbers; r[8] is the SD's basis
			if cell != "" && !full[cell] {
				t.Errorf("CSV row %v has %s, which the engine did not disclose", r[:5], cell)
			}
		}
		if r[13] == NoteNotShown || r[13] == NotePooled {
			hidden++
			if strings.Join(r[5:13], "") != "" {
				t.Errorf("hidden group has figures in the CSV: %v", r)
			}
		}
	}
	if hidden == 0 {
		t.Errorf("no hidden group in the CSV: the fixture no longer tests anything")
	}
}

// csvRecords is the CSV export of a result, read back, header first.
func csvRecords(t *testing.T, cycle string, res scoring.Result) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, CSVRows(cycle, nil, res)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// intervalPattern finds a printed interval: two numbers joined by an en dash.
var intervalPattern = regexp.MustCompile(`(−?\d+\.\d+)–(−?\d+\.\d+)`)

// TestIntervalsOnTheScale: over generated cycles of small groups with high
// and low levels, whose raw t intervals often pass 1 or 5, no interval the
// PDF or the CSV prints leaves the scale, and the PDF prints its bounds with
// one decimal (docs/scoring.md, "Intervals on the scale").
func TestIntervalsOnTheScale(t *testing.T) {
	t.Parallel()
	inst, _ := builtin(t)
	outside := 0
	for seed := range uint64(2) {
		rng := rand.New(rand.NewPCG(seed, 5))
		var leaders []genLeader
		for i := range 5 {
			l := genLeader{id: fmt.Sprintf("scale-%d-%d", seed, i), managers: 1, peers: 3, dirs: 3 * rng.IntN(2), notObserved: 0.1}
			for k := range l.levels {
				l.levels[k] = []float64{1.3, 2.5, 3.5, 4.7}[rng.IntN(4)]
				l.self[k] = 1 + 4*rng.Float64()
			}
			leaders = append(leaders, l)
		}
		res := scoreCycle(t, inst, leaders, seed)
		for _, l := range res.Leaders {
			check := func(g scoring.GroupStats) {
				if g.CI.Available() && (g.CI.Lower < scaleMin || g.CI.Upper > scaleMax) {
					outside++
				}
			}
			for _, s := range l.Skills {
				check(s.AllOthers)
			}
			for _, it := range l.Items {
				check(it.AllOthers)
				for _, g := range it.Groups {
					check(g)
				}
			}
		}
		for _, gl := range leaders {
			text := pdfText(t, keep(t, gl.id+".pdf", renderLeader(t, report(t, res, gl.id, gl.id, nil, nil))))
			found := intervalPattern.FindAllStringSubmatch(text, -1)
			if len(found) == 0 {
				t.Fatalf("%s: no interval in the PDF text", gl.id)
			}
			for _, m := range found {
				for _, b := range m[1:] {
					v, err := strconv.ParseFloat(b, 64)
					if err != nil || v < scaleMin || v > scaleMax || len(b) != 3 {
						t.Errorf("%s: the PDF prints the interval %s, off the scale or not with one decimal", gl.id, m[0])
					}
				}
			}
		}
		recs := csvRecords(t, "Scale", res)
		lo, hi := slices.Index(recs[0], "ci95_lower"), slices.Index(recs[0], "ci95_upper")
		for _, r := range recs[1:] {
			for _, cell := range []string{r[lo], r[hi]} {
				if v, err := strconv.ParseFloat(cell, 64); cell != "" && (err != nil || v < scaleMin || v > scaleMax) {
					t.Errorf("CSV row %v has the interval bound %s, off the scale", r[:5], cell)
				}
			}
		}
	}
	if outside < 20 {
		t.Fatalf("only %d raw intervals pass the scale's ends: the cycles no longer test the cut", outside)
	}
}
