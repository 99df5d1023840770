package scoring

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/example_output.json")

// TestExample is the worked example of docs/scoring.md: the JSON contract
// of `lead360 score` on stdin and stdout, checked figure by figure and
// against a golden file (go test ./scoring -run TestExample -update).
func TestExample(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "example_input.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in Input
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatal(err)
	}
	r := mustScore(t, in)
	l := r.Leaders[0]
	sk := l.Skills[0]
	// self d1 5, d2 2 -> reversed 4 -> S = 4.50
	// direct report r1 alone -> pooled alone (n 1) -> excluded from everything
	// d2: peers answered 2 (p3 not observed) -> under k, hidden on d2, so
	// their d2 answers leave the skill figures too; the manager is shown
	// on d2 (managers always are).
	// Shown answers: manager 3,3; p1 4; p2 5; p3 3 -> peers (4+5+3)/3 = 4.00
	// O = (3+3+4+5+3)/5 = 18/5 = 3.60 over n = 4 raters; G = 4.50 - 3.60 =
	// +0.90 -> no flag
	if got := groupNamesOf(sk.Groups); strings.Join(asStrings(got), ",") != "self,manager,peer" {
		t.Errorf("skill groups = %v", got)
	}
	if p := groupOf(sk.Groups, GroupPeer); p.N != 3 || math.Abs(p.Mean.Value-4) > 1e-12 {
		t.Errorf("skill peers = n %d mean %v", p.N, p.Mean)
	}
	if sk.AllOthers.N != 4 || math.Abs(sk.AllOthers.Mean.Value-3.6) > 1e-12 || math.Abs(sk.Gap.Value.Value-0.9) > 1e-12 || sk.Gap.Flag != FlagNone {
		t.Errorf("skill = n %d O %v G %v %s", sk.AllOthers.N, sk.AllOthers.Mean, sk.Gap.Value, sk.Gap.Flag)
	}
	// All others show different items (m1 d1 and d2, the peers d1 only),
	// so the spread is that of the answers 3, 3, 4, 5, 3: n·Σx² - (Σx)² =
	// 5·68 - 324 = 16, /(5·4) = 0.8, SD 0.8944; SE over the 4 raters
	// 0.8944/2 = 0.4472; CI 3.60 +/- 3.182 x 0.4472 = [2.177, 5.023].
	if ci, sd := sk.AllOthers.CI, sk.AllOthers.SD; ci.DF != 3 || math.Abs(ci.Lower-2.177) > 5e-4 || math.Abs(ci.Upper-5.023) > 5e-4 ||
		math.Abs(sd.Value-math.Sqrt(0.8)) > 1e-12 || sk.AllOthers.SDBasis != BasisAnswers {
		t.Errorf("skill all others SD %v (%s), CI %+v", sd, sk.AllOthers.SDBasis, ci)
	}
	// The peers all show d1 alone: the spec's SD of their scores 4, 5, 3 = 1.
	if p := groupOf(sk.Groups, GroupPeer); p.SD.Value != 1 || p.SDBasis != BasisRaters {
		t.Errorf("skill peers SD %v (%s)", p.SD, p.SDBasis)
	}
	// d1: self 5; others 3,4,5,3 -> 3.75; G = +1.25 > 1 -> blind spot; 5 < 5.27 -> not robust
	d1 := l.Items[0]
	if d1.Gap.Value.Value != 1.25 || d1.Gap.Flag != FlagBlindSpot || d1.Gap.Robust {
		t.Errorf("d1 gap = %+v", d1.Gap)
	}
	// d2: all others = manager only -> not reportable
	d2 := l.Items[1]
	if d2.AllOthers.Mean.Reason != ReasonBelowThreshold || groupOf(d2.Groups, GroupPeer) != nil {
		t.Errorf("d2 = %+v", d2)
	}
	if l.Focus.Skill != "delegation" || l.Focus.Rule != FocusOnlySkill {
		t.Errorf("focus = %+v", l.Focus)
	}

	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "example_output.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; if the change is intended, bump EngineVersion and run with -update", golden)
	}
	// The output reads back into the same Result (it is also the Previous
	// input of the next cycle).
	var back Result
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.MarshalIndent(back, "", "  "); !bytes.Equal(append(again, '\n'), got) {
		t.Error("Result does not survive a JSON round trip")
	}
}

func asStrings(gs []Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.String()
	}
	return out
}

func TestAnswerJSON(t *testing.T) {
	t.Parallel()
	var r Rating
	if err := json.Unmarshal([]byte(`{"value": null}`), &r); err != nil || r.Value != NotObserved {
		t.Errorf("null -> %v, %v", r.Value, err)
	}
	for _, bad := range []string{`0`, `-2`, `4.5`, `"4"`} {
		var a Answer
		if err := json.Unmarshal([]byte(bad), &a); err == nil {
			t.Errorf("answer %s accepted as %d", bad, a)
		}
	}
	if b, _ := json.Marshal([]Answer{NotObserved, 4}); string(b) != "[null,4]" {
		t.Errorf("marshal = %s", b)
	}
	if b, _ := json.Marshal([]Number{num(4.2), notAvailable(ReasonTooFew)}); string(b) != `[{"value":4.2},{"value":null,"reason":"too_few"}]` {
		t.Errorf("numbers = %s", b)
	}
}
