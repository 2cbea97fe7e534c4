package track

import (
	"fmt"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// effectOn gives one status to a started state machine that tracks the
// object with weight/reverse, and returns what keepalived's arithmetic
// must show: the change of the total priority, and whether the instance
// is held in FAULT by it.
func effectOn(t *testing.T, s Status, weight int, reverse bool) (delta int, fault bool) {
	t.Helper()
	m := vrrp.New(vrrp.Params{Name: "VI_1", VRID: 1, Version: 2, Priority: 100, AdvertIntUsec: 1000000,
		Trackers: []vrrp.TrackerParam{{Name: s.Name, Kind: s.Kind, Weight: weight, Reverse: reverse}}})
	m.Step(vrrp.Start{}, t0)
	m.Step(Effect(s, weight, reverse), t0)
	return m.TotalPriority() - 100, m.TrackFaults() > 0
}

// TestEffectScriptProcess checks the weights of scripts and processes
// (keepalived.conf(5): a positive weight is added while up, a negative
// one while down; reverse turns the adjustment round; weight 0 is FAULT
// while down, or while up with reverse).
func TestEffectScriptProcess(t *testing.T) {
	tests := []struct {
		weight  int
		reverse bool
		up      bool
		delta   int
		fault   bool
	}{
		{10, false, true, 10, false},
		{10, false, false, 0, false},
		{-10, false, true, 0, false},
		{-10, false, false, -10, false},
		{10, true, true, -10, false},
		{10, true, false, 0, false},
		{-10, true, true, 0, false},
		{-10, true, false, 10, false},
		{0, false, true, 0, false},
		{0, false, false, 0, true},
		{0, true, true, 0, true},
		{0, true, false, 0, false},
	}
	for _, kind := range []vrrp.TrackerKind{vrrp.KindScript, vrrp.KindProcess} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%v/w%d/rev%v/up%v", kind, tt.weight, tt.reverse, tt.up), func(t *testing.T) {
				delta, fault := effectOn(t, Status{Kind: kind, Name: "x", Up: tt.up}, tt.weight, tt.reverse)
				if delta != tt.delta || fault != tt.fault {
					t.Errorf("priority %+d fault %v, want %+d fault %v", delta, fault, tt.delta, tt.fault)
				}
			})
		}
	}
}

// TestEffectFile checks track_file values (trackers/track_file.c and the
// values observed with keepalived 2.2.7: 3×10 → +30, 0x10×10 → +160,
// -30×10 → FAULT, 2147483648×10 → +253).
func TestEffectFile(t *testing.T) {
	tests := []struct {
		value, weight int
		reverse       bool
		delta         int
		fault         bool
	}{
		{3, 10, false, 30, false},
		{0, 10, false, 0, false},
		{16, 10, false, 160, false},
		{-3, 10, false, -30, false},
		{-25, 10, false, -250, false},
		{-26, 10, false, 0, true},
		{-30, 10, false, 0, true},
		{26, 10, false, 253, false},
		{2147483648, 10, false, 253, false},
		{-2147483648, 254, false, 0, true},
		{-1, 254, false, 0, true},
		{-1, -253, false, 253, false},
		{5, 10, true, -50, false},
		{-5, 10, true, 50, false},
		{1, 0, false, 0, true},
		{-7, 0, false, 0, true},
		{0, 0, false, 0, false},
		{0, 0, true, 0, true},
		{7, 0, true, 0, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("v%d/w%d/rev%v", tt.value, tt.weight, tt.reverse), func(t *testing.T) {
			s := Status{Kind: vrrp.KindFile, Name: "f", Value: tt.value, Up: tt.value == 0}
			delta, fault := effectOn(t, s, tt.weight, tt.reverse)
			if delta != tt.delta || fault != tt.fault {
				t.Errorf("priority %+d fault %v, want %+d fault %v", delta, fault, tt.delta, tt.fault)
			}
		})
	}
}
