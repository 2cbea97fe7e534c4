package vrrp

import (
	"testing"
	"time"
)

func TestAdvertSlot(t *testing.T) {
	base := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	for _, c := range []struct {
		name     string
		interval int64 // µs
		at, want time.Duration
	}{
		{"1 s: on a slot", usecPerSec, 1000 * ms, 1000 * ms},
		{"1 s: a late wake-up rounds back", usecPerSec, 1000*ms + 200*time.Microsecond, 1000 * ms},
		{"1 s: 10 ms slots, nearest", usecPerSec, 1006 * ms, 1010 * ms},
		{"1 s: half a slot at most", usecPerSec, 1004*ms + 900*time.Microsecond, 1000 * ms},
		{"50 ms: 0.5 ms slots", 50_000, 50*ms + 300*time.Microsecond, 50*ms + 500*time.Microsecond},
		{"40.95 s: capped at 10 ms", 40_950_000, 40950*ms + 4*ms, 40950 * ms},
		{"10 ms: 0.1 ms slots", 10_000, 10*ms + 40*time.Microsecond, 10 * ms},
	} {
		if got := AdvertSlot(base.Add(c.at), c.interval).Sub(base); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAdvertSlotPeriod: a master woken up late each time still sends
// every interval on average, never drifting off its slot.
func TestAdvertSlotPeriod(t *testing.T) {
	base := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	at := AdvertSlot(base.Add(3*time.Second+123*time.Millisecond), usecPerSec)
	first := at
	for range 1000 {
		woke := at.Add(300 * time.Microsecond) // the loop's wake-up latency
		at = AdvertSlot(woke.Add(time.Second), usecPerSec)
	}
	if got := at.Sub(first); got != 1000*time.Second {
		t.Errorf("1000 adverts took %v, want 1000s", got)
	}
}
