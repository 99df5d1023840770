package assessmenttest

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
)

// Clock is a settable test clock, safe to read from background workers
// while a test moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Fixture is a ready service on a fresh database with an organisation, the
// built-in instrument (both forms) and a fixed clock.
type Fixture struct {
	Store   assessment.Store
	Service *assessment.Service
	Clock   *Clock
	Org     assessment.Organization
	// Instrument is the full form, which MustCreateCycle uses; ShortForm
	// the short one.
	Instrument assessment.Instrument
	ShortForm  assessment.Instrument
	// linkKey is the key Service seals with, for another instance of the
	// server on the same database.
	linkKey []byte
}

// NewFixture builds a Fixture on the engine.
func NewFixture(t testing.TB, e Engine) *Fixture {
	t.Helper()
	st := NewStore(t, e)
	clock := NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	key := newLinkKey()
	svc := assessment.NewService(st, tokensOf(key), nil).WithClock(clock.Now)
	svc.LookupHost = LookupHost
	ctx := context.Background()
	org, err := svc.CreateOrganization(ctx, fmt.Sprintf("Org of %s", t.Name()))
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	full, short, err := svc.EnsureBuiltinInstruments(ctx)
	if err != nil {
		t.Fatalf("built-in instruments: %v", err)
	}
	return &Fixture{Store: st, Service: svc, Clock: clock, Org: org, Instrument: full, ShortForm: short, linkKey: key}
}

// MustCreateCycle creates a draft cycle that opens at the clock's time and
// closes three weeks later.
func (f *Fixture) MustCreateCycle(t testing.TB, name string) assessment.Cycle {
	t.Helper()
	c, err := f.Service.CreateCycle(context.Background(), assessment.CycleDraft{
		OrganizationID: f.Org.ID, InstrumentID: f.Instrument.ID, Name: name,
		OpensAt: f.Clock.Now(), ClosesAt: f.Clock.Now().AddDate(0, 0, 21),
	})
	if err != nil {
		t.Fatalf("create cycle %q: %v", name, err)
	}
	return c
}

// MustAddLeader adds a leader to a draft cycle and returns the participant
// and their self-assessment assignment.
func (f *Fixture) MustAddLeader(t testing.TB, cycleID, name, email string) (assessment.Participant, assessment.Assignment) {
	t.Helper()
	ctx := context.Background()
	p, err := f.Service.AddParticipant(ctx, f.Org.ID, cycleID, assessment.PersonInput{Name: name, Email: email})
	if err != nil {
		t.Fatalf("add leader %s: %v", email, err)
	}
	as, err := f.Store.Assignments(ctx, f.Org.ID, p.ID)
	if err != nil || len(as) != 1 {
		t.Fatalf("self assignment of %s: %v (%d assignments)", email, err, len(as))
	}
	return p, as[0]
}

// MustAddRater asks a person to rate a participant.
func (f *Fixture) MustAddRater(t testing.TB, participantID, name, email string, rel assessment.Relationship) assessment.Assignment {
	t.Helper()
	a, err := f.Service.AddRater(context.Background(), f.Org.ID, participantID, assessment.PersonInput{Name: name, Email: email}, rel)
	if err != nil {
		t.Fatalf("add rater %s: %v", email, err)
	}
	return a
}

// FullAnswers rates every item of the instrument with value.
func (f *Fixture) FullAnswers(value int) []assessment.Answer {
	var out []assessment.Answer
	for _, s := range f.Instrument.Skills {
		for _, it := range s.Items {
			out = append(out, assessment.Answer{ItemKey: it.Key, Value: value})
		}
	}
	return out
}

// Tokens seals links with a random key that lives only in this process.
func Tokens() *assessment.Tokens { return tokensOf(newLinkKey()) }

// newLinkKey is a random key for sealing links and secrets.
func newLinkKey() []byte {
	key := make([]byte, assessment.KeyBytes)
	if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return key
}

// tokensOf seals with key.
func tokensOf(key []byte) *assessment.Tokens {
	t, err := assessment.NewTokens(key, nil)
	if err != nil {
		panic(err)
	}
	return t
}
