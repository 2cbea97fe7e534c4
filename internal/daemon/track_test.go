package daemon

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// fakeNotifier records the notifications the engine passes on.
type fakeNotifier struct{ got []string }

func (f *fakeNotifier) Instance(name string, st vrrp.State, prio int) {
	f.got = append(f.got, fmt.Sprintf("INSTANCE %s %v %d", name, st, prio))
}
func (f *fakeNotifier) Group(name string, st vrrp.State) {
	f.got = append(f.got, fmt.Sprintf("GROUP %s %v", name, st))
}
func (f *fakeNotifier) Event(name string, ev vrrp.NotifyEvent, st vrrp.State, prio int) {
	f.got = append(f.got, fmt.Sprintf("EVENT %s %v %v %d", name, ev, st, prio))
}

// trackPair is newPair with a weighted script tracked by the master.
func trackPair(t *testing.T, weight int, reverse bool) (*segment, *router, *router, *fakeNotifier) {
	t.Helper()
	s := &segment{now: t0}
	a := s.add(t, "a", "192.168.0.161", "MASTER", 100)
	b := s.add(t, "b", "192.168.0.162", "BACKUP", 90)
	in := a.eng.insts[0]
	sp := in.spec
	sp.params.Trackers = append(sp.params.Trackers, vrrp.TrackerParam{Name: "chk", Kind: vrrp.KindScript, Weight: weight, Reverse: reverse})
	// A fresh engine for a, with the tracker.
	a.eng = newEngine(a.log, a.host, a.garp)
	a.eng.add(sp, vrrp.New(sp.params), adv{a})
	n := &fakeNotifier{}
	a.eng.notify = n
	return s, a, b, n
}

func TestEngineScriptWeight(t *testing.T) {
	for _, tc := range []struct {
		name    string
		weight  int
		reverse bool
		up      bool // the script's verdict that lowers a's priority
		want    int  // a's priority then
	}{
		{name: "negative weight, script fails", weight: -20, up: false, want: 80},
		// keepalived: weight W reverse lowers the priority by W while up.
		{name: "positive weight reversed, script succeeds", weight: 20, reverse: true, up: true, want: 80},
		{name: "negative weight reversed, script fails", weight: -20, reverse: true, up: false, want: 120},
		{name: "positive weight, script fails", weight: 5, up: false, want: 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, a, b, n := trackPair(t, tc.weight, tc.reverse)
			// The script's first verdict is the healthy one.
			a.eng.trackStatus(track.Status{Kind: vrrp.KindScript, Name: "chk", Up: !tc.up}, s.now)
			a.eng.start(s.now)
			b.eng.start(s.now)
			s.run(t0.Add(10 * time.Second))
			if a.state() != vrrp.Master {
				t.Fatalf("a is %v before the script changed", a.state())
			}
			a.eng.trackStatus(track.Status{Kind: vrrp.KindScript, Name: "chk", Up: tc.up}, s.now)
			s.run(s.now.Add(10 * time.Second))
			if got := a.eng.insts[0].m.Priority(); got != tc.want {
				t.Errorf("a's priority %d, want %d", got, tc.want)
			}
			wantA, wantB := vrrp.Master, vrrp.Backup
			if tc.want < 90 {
				wantA, wantB = vrrp.Backup, vrrp.Master
			}
			if a.state() != wantA || b.state() != wantB {
				t.Errorf("a %v b %v, want %v %v", a.state(), b.state(), wantA, wantB)
			}
			if wantA == vrrp.Backup && !slices.Contains(n.got, "INSTANCE VI_1 BACKUP 80") {
				t.Errorf("notifications %q", n.got)
			}
		})
	}
}

// TestEngineKnownStatusAtStart: a status reported before the instances
// exist (the watchers' first verdicts) is applied before they start; one
// reported for an object nobody tracks yet is applied when a reload adds
// a tracker of it.
func TestEngineKnownStatusAtStart(t *testing.T) {
	s, a, _, _ := trackPair(t, 0, false)
	a.eng.trackStatus(track.Status{Kind: vrrp.KindScript, Name: "chk", Up: false}, s.now)
	a.eng.start(s.now)
	if a.state() != vrrp.Fault {
		t.Fatalf("state %v, want FAULT (weight-0 script down)", a.state())
	}
	a.eng.trackStatus(track.Status{Kind: vrrp.KindScript, Name: "chk", Up: true}, s.now)
	if a.state() == vrrp.Fault {
		t.Errorf("still FAULT after the script recovered")
	}
	// An object reported before any instance tracks it.
	a.eng.trackStatus(track.Status{Kind: vrrp.KindScript, Name: "other", Up: false}, s.now)
	in := a.eng.insts[0]
	before := in.m.Params().Trackers
	sp := in.spec
	sp.params.Trackers = append(slices.Clone(before), vrrp.TrackerParam{Name: "other", Kind: vrrp.KindScript})
	a.eng.reconfigure(in, sp, s.now)
	a.eng.retrack()
	a.eng.applyKnown(in, before, s.now)
	if a.state() != vrrp.Fault {
		t.Errorf("state %v after tracking a script known down, want FAULT", a.state())
	}
}
