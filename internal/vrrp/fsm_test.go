package vrrp

import (
	"reflect"
	"testing"
	"time"
)

// StepBuf writes into the caller's array and the machine keeps none of
// it: a second machine stepping into the same array later changes
// nothing the first one returns afterwards.
func TestStepBuf(t *testing.T) {
	p := func(name string) Params {
		return Params{Name: name, VRID: 1, Priority: 100, WantMaster: true, AdvertIntUsec: usecPerSec}
	}
	a, b := New(p("A")), New(p("B"))
	ref := New(p("A"))
	buf := make([]Action, 0, 8)
	got := a.StepBuf(buf, Start{}, epoch)
	want := ref.Step(Start{}, epoch)
	if len(got) == 0 || &got[0] != &buf[:1][0] {
		t.Fatalf("StepBuf did not use the buffer's array: %d actions", len(got))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("StepBuf = %v, Step = %v", got, want)
	}
	var at time.Time
	for _, x := range want {
		if x.Kind == ActArmTimer && x.Timer == TimerMain {
			at = x.At
		}
	}
	b.StepBuf(buf, Start{}, epoch) // overwrites the array
	got = a.StepBuf(nil, TimerFired{Timer: TimerMain}, at)
	want = ref.Step(TimerFired{Timer: TimerMain}, at)
	if len(got) == 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("after B: StepBuf = %v, Step = %v", got, want)
	}
	for _, x := range got {
		if x.Instance != "A" {
			t.Fatalf("action of %q from A's step", x.Instance)
		}
	}
}
