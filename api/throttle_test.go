package api

import (
	"testing"
	"time"
)

// Failures spend the bucket, time refills it, and forgetting clears it.
func TestThrottle(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	th := newThrottle(3, time.Minute, func() time.Time { return now })
	for range 3 {
		if ok, _ := th.allowed("k"); !ok {
			t.Fatal("throttled within the burst")
		}
		th.fail("k")
	}
	ok, wait := th.allowed("k")
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("past the burst: allowed %v, wait %v", ok, wait)
	}
	if ok, _ := th.allowed("other"); !ok {
		t.Fatal("another key is throttled")
	}
	now = now.Add(time.Minute)
	if ok, _ := th.allowed("k"); !ok {
		t.Fatal("still throttled after the interval")
	}
	th.fail("k")
	th.forget("k")
	if ok, _ := th.allowed("k"); !ok {
		t.Fatal("throttled after forget")
	}
	now = now.Add(time.Hour)
	th.fail("fresh") // sweeps the refilled buckets
	if len(th.buckets) != 1 {
		t.Fatalf("%d buckets after a sweep, want 1", len(th.buckets))
	}
}

// One IPv6 subscriber holds a /64: it is one client.
func TestClientKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:192.0.2.7":     "::ffff:192.0.2.7",
		"not an address":       "not an address",
	} {
		if got := clientKey(in); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", in, got, want)
		}
	}
}
