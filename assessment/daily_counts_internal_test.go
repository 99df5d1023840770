package assessment

import (
	"testing"
	"time"
)

// dailyCounts, checked against counts by hand: UTC days from the opening
// day to the last, both included, times outside them on the nearest end.
func TestDailyCounts(t *testing.T) {
	t.Parallel()
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		times    []time.Time
		from, to time.Time
		want     []int // submitted per day; so far is their running sum
	}{
		{"one day", []time.Time{at(2, 10), at(2, 23)}, at(2, 9), at(2, 18), []int{2}},
		{"gaps", []time.Time{at(2, 10), at(4, 0), at(4, 23), at(6, 12)}, at(2, 9), at(6, 18), []int{1, 0, 2, 0, 1}},
		{"before and after", []time.Time{at(1, 12), at(9, 12)}, at(2, 9), at(3, 9), []int{1, 1}},
		{"not open yet", []time.Time{at(2, 10)}, at(5, 9), at(3, 9), nil},
		// 01:00 in Paris is midnight UTC: the 3rd.
		{"another zone", []time.Time{time.Date(2026, 3, 3, 1, 0, 0, 0, time.FixedZone("CET", 3600))}, at(2, 9), at(3, 9), []int{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := dailyCounts(tc.times, tc.from, tc.to)
			if len(got) != len(tc.want) {
				t.Fatalf("%d days, want %d", len(got), len(tc.want))
			}
			sum := 0
			for i, d := range got {
				sum += tc.want[i]
				if d.Submitted != tc.want[i] || d.SoFar != sum || !d.Day.Equal(tc.from.UTC().Truncate(24*time.Hour).AddDate(0, 0, i)) {
					t.Errorf("day %d: %+v, want %d submitted, %d so far", i, d, tc.want[i], sum)
				}
			}
		})
	}
}
