package assessment

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lead360/lead360/scoring"
)

// Snapshot is one immutable scoring of a cycle: the engine's result with
// what produced it. Every later output (report, export, API) reads a
// snapshot, never a fresh computation, so what a leader saw can always be
// shown again (TRUST.md rule 5). A cycle's snapshots are numbered versions;
// its current snapshot, the one every report reads, is the highest.
type Snapshot struct {
	ID             string
	OrganizationID string
	CycleID        string
	// Version is 1, 2, ... within the cycle; for a result that was not
	// stored (ID empty), the version storing it would make.
	Version           int
	EngineVersion     string
	InstrumentKey     string
	InstrumentVersion int
	// InputHash is the hex SHA-256 of the canonical input JSON (see
	// CanonicalInputHash): the same ratings, instrument, settings and
	// previous results give the same hash.
	InputHash string
	Result    scoring.Result
	CreatedAt time.Time
}

// Stored reports whether the snapshot is a stored version, not a result
// that was only computed.
func (s *Snapshot) Stored() bool { return s.ID != "" }

// ScoreCycle scores a closed or released cycle.
//
//   - Only SUBMITTED responses count; drafts never reach the engine.
//   - Raters are identified by their person id, the same in every cycle of
//     the organisation; no name or email is part of the input.
//   - k_min is the cycle's anonymity threshold.
//   - Trends: for each leader, the person's most recent other participation
//     in a RELEASED cycle of the organisation that closed before this one
//     (found through the person id), read from that cycle's current
//     snapshot. A released cycle without a snapshot gives no trend. Who
//     counted in each previous figure (scoring.Panels) is computed again
//     from that cycle's ratings, never read from a snapshot, so snapshots
//     stored before panels existed give trends too.
//   - If the cycle's current snapshot has the same input hash and engine
//     version, it is returned as it is: scoring unchanged data twice does
//     not pile up identical snapshots.
//   - Otherwise a closed cycle's result is stored as its next version
//     (nobody reads results before release). A released cycle's is not
//     stored: leaders read its current version, which only ReleaseCycle and
//     ReReleaseCycle, audited, may set. The result comes back unstored.
func (s *Service) ScoreCycle(ctx context.Context, orgID, cycleID string) (Snapshot, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("score cycle %s: %w", cycleID, err)
	}
	return s.scoreCycle(ctx, &c)
}

// scoreCycle is ScoreCycle of a cycle the caller loaded.
func (s *Service) scoreCycle(ctx context.Context, c *Cycle) (Snapshot, error) {
	snap, err := s.scoreAgainstCurrent(ctx, c)
	if err != nil || snap.Stored() || c.Status == StatusReleased {
		return snap, err
	}
	if err := s.store.CreateSnapshot(ctx, &snap); err != nil {
		if ErrorCode(err) == CodeConflict {
			return s.storedMeanwhile(ctx, c, snap)
		}
		return Snapshot{}, fmt.Errorf("score cycle %s: %w", c.ID, err)
	}
	s.Log.Info("cycle scored", "cycle", c.ID, "snapshot", snap.ID, "version", snap.Version, "leaders", len(snap.Result.Leaders), "input_hash", snap.InputHash)
	return snap, nil
}

// scoreAgainstCurrent scores the cycle. When the current snapshot has the
// same input and engine, it is returned, stored; otherwise the new result is
// returned unstored, numbered as the version after the current one, so
// that storing it fails if another process stored that version first.
func (s *Service) scoreAgainstCurrent(ctx context.Context, c *Cycle) (Snapshot, error) {
	fail := func(err error) (Snapshot, error) { return Snapshot{}, fmt.Errorf("score cycle %s: %w", c.ID, err) }
	if c.Status != StatusClosed && c.Status != StatusReleased {
		return Snapshot{}, Errorf(CodeConflict, "cycle %q is %s: results exist only after the cycle closes", c.Name, c.Status)
	}
	in, err := s.store.Instrument(ctx, c.InstrumentID)
	if err != nil {
		return fail(err)
	}
	input, err := s.scoringInput(ctx, c, &in)
	if err != nil {
		return fail(err)
	}
	sum, err := CanonicalInputHash(&input)
	if err != nil {
		return fail(err)
	}
	latest, err := s.store.LatestSnapshotHeader(ctx, c.OrganizationID, c.ID)
	switch {
	case err == nil && latest.InputHash == sum && latest.EngineVersion == scoring.EngineVersion:
		if latest.Result, err = s.store.SnapshotResult(ctx, c.OrganizationID, latest.ID); err != nil {
			return fail(err)
		}
		return latest, nil
	case err != nil && ErrorCode(err) != CodeNotFound:
		return fail(err)
	}
	res, err := scoring.Score(input)
	if err != nil {
		return fail(err)
	}
	return Snapshot{
		OrganizationID: c.OrganizationID, CycleID: c.ID, Version: latest.Version + 1, EngineVersion: res.EngineVersion,
		InstrumentKey: in.Key, InstrumentVersion: in.Version, InputHash: sum, Result: res, CreatedAt: s.Now(),
	}, nil
}

// storedMeanwhile answers a scoring whose version another process stored
// first (two releases at once): the same result is that process's
// snapshot, used as it is; a different one is a conflict to retry.
func (s *Service) storedMeanwhile(ctx context.Context, c *Cycle, mine Snapshot) (Snapshot, error) {
	theirs, err := s.store.LatestSnapshotHeader(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("score cycle %s: %w", c.ID, err)
	}
	if theirs.InputHash != mine.InputHash || theirs.EngineVersion != mine.EngineVersion {
		return Snapshot{}, Errorf(CodeConflict, "cycle %q was scored by someone else at the same moment, from different data; try again", c.Name)
	}
	if theirs.Result, err = s.store.SnapshotResult(ctx, c.OrganizationID, theirs.ID); err != nil {
		return Snapshot{}, fmt.Errorf("score cycle %s: %w", c.ID, err)
	}
	return theirs, nil
}

// LatestSnapshot returns the cycle's current snapshot (its highest version)
// with its whole result, or a CodeNotFound error when the cycle was never
// scored.
func (s *Service) LatestSnapshot(ctx context.Context, orgID, cycleID string) (Snapshot, error) {
	snap, err := s.store.LatestSnapshotHeader(ctx, orgID, cycleID)
	if err != nil {
		return Snapshot{}, fmt.Errorf("latest snapshot of cycle %s: %w", cycleID, err)
	}
	if snap.Result, err = s.store.SnapshotResult(ctx, orgID, snap.ID); err != nil {
		return Snapshot{}, fmt.Errorf("latest snapshot of cycle %s: %w", cycleID, err)
	}
	return snap, nil
}

// ScoringInstrument converts a domain instrument to the engine's form. An
// item's text is the wording other raters answered (the self wording is
// the same behaviour in the first person); its lineage is
// Instrument.Lineage, so trends compare only identical wordings.
func ScoringInstrument(in *Instrument) scoring.Instrument {
	out := scoring.Instrument{Key: in.Key, Version: in.Version, ScalePoints: in.Scale.Points, Skills: make([]scoring.Skill, len(in.Skills))}
	for i, sk := range in.Skills {
		items := make([]scoring.Item, len(sk.Items))
		for j, it := range sk.Items {
			items[j] = scoring.Item{Key: it.Key, Text: it.Others, Reverse: it.Reverse, Lineage: in.Lineage(it)}
		}
		out.Skills[i] = scoring.Skill{Key: sk.Key, Name: sk.Name, Items: items}
	}
	return out
}

// scoringInput is the engine's input for the cycle: its ratings and, for
// trends, each leader's previous released result with who counted in it.
// The previous cycles' ratings are read, and let go, before this cycle's, so
// two cycles' ratings are never held at once.
func (s *Service) scoringInput(ctx context.Context, c *Cycle, in *Instrument) (scoring.Input, error) {
	prev, panels, err := s.previousResults(ctx, c)
	if err != nil {
		return scoring.Input{}, err
	}
	input, err := s.cycleInput(ctx, c, in)
	if err != nil {
		return scoring.Input{}, err
	}
	input.Previous, input.PreviousPanels = prev, panels
	return input, nil
}

// cycleInput reads the cycle's submitted answers in one streamed query and
// returns them in canonical order (participant id, rater id, instrument item
// order) with the instrument and the cycle's k_min: the input of one cycle
// without previous results.
func (s *Service) cycleInput(ctx context.Context, c *Cycle, in *Instrument) (scoring.Input, error) {
	input := scoring.Input{Instrument: ScoringInstrument(in), Config: scoring.Config{KMin: c.AnonymityThreshold}}
	if in.ItemCount() >= 1<<16 {
		return scoring.Input{}, fmt.Errorf("%d items are more than scoring supports", in.ItemCount())
	}
	itemIndex := make(map[string]int, in.ItemCount())
	var itemKeys []string
	for _, sk := range in.Skills {
		for _, it := range sk.Items {
			itemIndex[it.Key] = len(itemKeys)
			itemKeys = append(itemKeys, it.Key)
		}
	}
	// Each answer is packed into one uint64 while streaming (rater, item,
	// value) so 4.8 million answers take 38 MB until they are sorted, and
	// the ids live once per rater.
	type rater struct {
		participant, person string
		rel                 scoring.Relationship
	}
	var raters []rater
	// A person rates a leader once (rater_assignments is unique on both),
	// so (participant, person) is one rater. Answers mostly come a response
	// at a time: the last rater is tried before the map.
	raterIndex := map[[2]string]int{}
	last := -1
	var packed []uint64
	err := s.store.CycleRatings(ctx, c.OrganizationID, c.ID, func(r CycleRating) error {
		ri := last
		if ri < 0 || raters[ri].person != r.PersonID || raters[ri].participant != r.ParticipantID {
			key := [2]string{r.ParticipantID, r.PersonID}
			var ok bool
			if ri, ok = raterIndex[key]; !ok {
				ri = len(raters)
				raterIndex[key] = ri
				raters = append(raters, rater{r.ParticipantID, r.PersonID, scoring.Relationship(r.Relationship)})
			}
			last = ri
		}
		it, ok := itemIndex[r.ItemKey]
		if !ok {
			return fmt.Errorf("answer to item %q, which instrument %s v%d does not have", r.ItemKey, in.Key, in.Version)
		}
		if r.Value < NotObserved || r.Value > 0xff {
			return fmt.Errorf("answer %d to item %q is out of range", r.Value, r.ItemKey)
		}
		packed = append(packed, uint64(ri)<<24|uint64(it)<<8|uint64(r.Value))
		return nil
	})
	if err != nil {
		return scoring.Input{}, fmt.Errorf("load ratings: %w", err)
	}
	// Rank raters by (participant, person) and sort the packed answers
	// by (rank, item): that is the canonical order of the input.
	order := make([]int, len(raters))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(strings.Compare(raters[a].participant, raters[b].participant), strings.Compare(raters[a].person, raters[b].person))
	})
	rank := make([]uint64, len(raters))
	for r, i := range order {
		rank[i] = uint64(r)
	}
	for i, p := range packed {
		packed[i] = rank[p>>24]<<24 | p&0xffffff
	}
	slices.Sort(packed)
	input.Ratings = make([]scoring.Rating, len(packed))
	for i, p := range packed {
		r := &raters[order[p>>24]]
		input.Ratings[i] = scoring.Rating{
			ParticipantID: r.participant, RaterID: r.person, Relationship: r.rel,
			ItemKey: itemKeys[(p>>8)&0xffff], Value: scoring.Answer(p & 0xff),
		}
	}
	return input, nil
}

// previousResults finds each leader's previous released result: the same
// person's participation in the released cycle that closed last before this
// one (ties: the larger cycle id), read from that cycle's newest snapshot;
// and who counted in each of its figures, computed from that cycle's
// ratings by the engine's own rules (scoring.Panels). Both are keyed by this
// cycle's participant id.
func (s *Service) previousResults(ctx context.Context, c *Cycle) (map[string]scoring.Leader, map[string]scoring.LeaderPanels, error) {
	links, err := s.store.PreviousParticipations(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("previous cycles: %w", err)
	}
	best := map[string]PreviousParticipation{}
	for _, l := range links {
		b, ok := best[l.ParticipantID]
		if !ok || l.PreviousClosesAt.After(b.PreviousClosesAt) ||
			(l.PreviousClosesAt.Equal(b.PreviousClosesAt) && l.PreviousCycleID > b.PreviousCycleID) {
			best[l.ParticipantID] = l
		}
	}
	if len(best) == 0 {
		return nil, nil, nil
	}
	// One snapshot header per previous cycle, then one leader each.
	headers := map[string]*Snapshot{}
	prev := map[string]scoring.Leader{}
	leadersOf := map[string][]string{} // previous cycle id -> participant ids with a result in it
	for _, pid := range slices.Sorted(mapKeys(best)) {
		l := best[pid]
		h, seen := headers[l.PreviousCycleID]
		if !seen {
			snap, err := s.store.LatestSnapshotHeader(ctx, c.OrganizationID, l.PreviousCycleID)
			switch {
			case err == nil:
				h = &snap
			case ErrorCode(err) != CodeNotFound:
				return nil, nil, fmt.Errorf("snapshot of previous cycle %s: %w", l.PreviousCycleID, err)
			}
			headers[l.PreviousCycleID] = h
		}
		if h == nil {
			continue
		}
		leader, err := s.store.SnapshotLeader(ctx, c.OrganizationID, h.ID, l.PreviousParticipantID)
		switch {
		case err == nil:
			prev[pid] = leader
			leadersOf[l.PreviousCycleID] = append(leadersOf[l.PreviousCycleID], pid)
		case ErrorCode(err) != CodeNotFound:
			return nil, nil, fmt.Errorf("previous result of leader %s: %w", pid, err)
		}
	}
	panels := make(map[string]scoring.LeaderPanels, len(prev))
	for _, cycleID := range slices.Sorted(mapKeys(leadersOf)) {
		cyclePanels, err := s.cyclePanels(ctx, c.OrganizationID, cycleID)
		if err != nil {
			return nil, nil, err
		}
		for _, pid := range leadersOf[cycleID] {
			if p, ok := cyclePanels[best[pid].PreviousParticipantID]; ok {
				panels[pid] = p
			}
		}
	}
	return prev, panels, nil
}

// cyclePanels scores who counted in each figure of a cycle's leaders, from
// the input cycleInput builds for it (so with its own instrument and k_min).
func (s *Service) cyclePanels(ctx context.Context, orgID, cycleID string) (map[string]scoring.LeaderPanels, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return nil, fmt.Errorf("previous cycle %s: %w", cycleID, err)
	}
	in, err := s.store.Instrument(ctx, c.InstrumentID)
	if err != nil {
		return nil, fmt.Errorf("instrument of previous cycle %s: %w", cycleID, err)
	}
	input, err := s.cycleInput(ctx, &c, &in)
	if err != nil {
		return nil, fmt.Errorf("ratings of previous cycle %s: %w", cycleID, err)
	}
	panels, err := scoring.Panels(input)
	if err != nil {
		return nil, fmt.Errorf("panels of previous cycle %s: %w", cycleID, err)
	}
	return panels, nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// CanonicalInputHash is the hex SHA-256 of json.Marshal(in): the input's
// JSON with fields in struct order, map keys sorted (encoding/json's rule)
// and ratings in the order given, which ScoreCycle makes canonical. The
// ratings are written by hand, byte for byte as encoding/json would write
// them (TestCanonicalInputHash checks it), because reflecting over 4.8
// million ratings would cost seconds.
func CanonicalInputHash(in *scoring.Input) (string, error) {
	h := sha256.New()
	w := bufio.NewWriterSize(h, 1<<16)
	if err := writeCanonicalInput(w, in); err != nil {
		return "", fmt.Errorf("hash scoring input: %w", err)
	}
	if err := w.Flush(); err != nil {
		return "", fmt.Errorf("hash scoring input: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeCanonicalInput(w io.Writer, in *scoring.Input) error {
	inst, err := json.Marshal(in.Instrument)
	if err != nil {
		return err
	}
	cfg, err := json.Marshal(in.Config)
	if err != nil {
		return err
	}
	buf := make([]byte, 0, 4096)
	buf = append(buf, `{"instrument":`...)
	buf = append(buf, inst...)
	buf = append(buf, `,"ratings":`...)
	if in.Ratings == nil {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, '[')
		for i := range in.Ratings {
			r := &in.Ratings[i]
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, `{"participant_id":`...)
			buf = appendJSONString(buf, r.ParticipantID)
			buf = append(buf, `,"rater_id":`...)
			buf = appendJSONString(buf, r.RaterID)
			buf = append(buf, `,"relationship":`...)
			buf = appendJSONString(buf, string(r.Relationship))
			buf = append(buf, `,"item_key":`...)
			buf = appendJSONString(buf, r.ItemKey)
			buf = append(buf, `,"value":`...)
			if r.Value == scoring.NotObserved {
				buf = append(buf, "null"...)
			} else {
				buf = strconv.AppendInt(buf, int64(r.Value), 10)
			}
			buf = append(buf, '}')
			if len(buf) > 3072 {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		buf = append(buf, ']')
	}
	buf = append(buf, `,"config":`...)
	buf = append(buf, cfg...)
	if len(in.Previous) > 0 {
		prev, err := json.Marshal(in.Previous)
		if err != nil {
			return err
		}
		buf = append(buf, `,"previous":`...)
		buf = append(buf, prev...)
	}
	if len(in.PreviousPanels) > 0 {
		panels, err := json.Marshal(in.PreviousPanels)
		if err != nil {
			return err
		}
		buf = append(buf, `,"previous_panels":`...)
		buf = append(buf, panels...)
	}
	buf = append(buf, '}')
	_, err = w.Write(buf)
	return err
}

// appendJSONString appends s as encoding/json writes it: plain printable
// ASCII as is, anything else through json.Marshal (which escapes <, >, &,
// control characters and invalid UTF-8).
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always marshals
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// Roster is what a report needs to name a cycle's leaders; it is kept apart
// from the scoring input, which never carries a name.
type Roster struct {
	CycleID   string
	CycleName string
	OpensAt   time.Time
	ClosesAt  time.Time
	Status    CycleStatus
	// Leaders maps participant id to the leader's name and email.
	Leaders map[string]ParticipantName
}

// Roster returns the cycle's name, dates and leaders' names.
func (s *Service) Roster(ctx context.Context, orgID, cycleID string) (Roster, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Roster{}, fmt.Errorf("roster of cycle %s: %w", cycleID, err)
	}
	names, err := s.store.ParticipantNames(ctx, orgID, cycleID)
	if err != nil {
		return Roster{}, fmt.Errorf("roster of cycle %s: %w", cycleID, err)
	}
	r := Roster{CycleID: c.ID, CycleName: c.Name, OpensAt: c.OpensAt, ClosesAt: c.ClosesAt, Status: c.Status,
		Leaders: make(map[string]ParticipantName, len(names))}
	for _, n := range names {
		r.Leaders[n.ParticipantID] = n
	}
	return r, nil
}
