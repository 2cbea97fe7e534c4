package daemon

import (
	"testing"
	"time"
)

// TestWakeTimer: the loop's timer (the timerfd, and the runtime-timer
// fallback) wakes the loop once per arm, not after Stop, and a Reset
// replaces the arm before it.
func TestWakeTimer(t *testing.T) {
	fd, err := newWakeTimer()
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]waker{"timerfd": fd, "runtime timer": newGoWaker()} {
		t.Run(name, func(t *testing.T) { testWaker(t, w) })
	}
}

func testWaker(t *testing.T, w waker) {
	defer w.Close()
	start := time.Now()
	w.Reset(20 * time.Millisecond)
	select {
	case <-w.Wake():
		if d := time.Since(start); d < 20*time.Millisecond {
			t.Errorf("woke after %v, armed for 20ms", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no wake-up")
	}
	w.Reset(10 * time.Millisecond)
	w.Stop()
	w.Reset(time.Hour) // replaces a 0 arm below
	w.Reset(0)         // at once
	select {
	case <-w.Wake():
	case <-time.After(5 * time.Second):
		t.Fatal("Reset(0): no wake-up")
	}
	w.Reset(30 * time.Millisecond)
	w.Stop()
	select {
	case <-w.Wake():
		t.Error("woke after Stop")
	case <-time.After(100 * time.Millisecond):
	}
}

// The loop re-arms its timer after every event: that allocates nothing.
func TestWakeTimerResetAllocatesNothing(t *testing.T) {
	w, err := newWakeTimer()
	if err != nil {
		t.Skipf("no timerfd: %v", err)
	}
	defer w.Close()
	if n := testing.AllocsPerRun(100, func() { w.Reset(time.Hour) }); n != 0 {
		t.Errorf("Reset: %v allocations", n)
	}
	w.Stop()
}
