package daemon

import (
	"testing"
	"time"
)

func TestRespawnPolicy(t *testing.T) {
	quick := childEnd{ranFor: time.Second, signaled: true}
	long := childEnd{ranFor: 2 * time.Minute, signaled: true}
	p := &respawnPolicy{}
	var got []time.Duration
	for range 8 {
		v := p.decide(quick)
		if !v.restart || v.stopAll {
			t.Fatalf("quick death: %+v", v)
		}
		got = append(got, v.after)
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("delays %v, want %v s", got, want)
		}
	}
	// A child that ran over a minute restarts at once, and the back-off
	// starts again.
	if v := p.decide(long); !v.restart || v.after != 0 {
		t.Errorf("stable child: %+v", v)
	}
	if v := p.decide(quick); v.after != time.Second {
		t.Errorf("back-off not reset: %+v", v)
	}
	for _, code := range []int{1, 3, 4} {
		if v := (&respawnPolicy{}).decide(childEnd{code: code}); !v.stopAll || v.restart {
			t.Errorf("exit %d: %+v, want stop", code, v)
		}
	}
	// A Go panic exits 2: respawned, as keepalived respawns after SIGSEGV.
	if v := (&respawnPolicy{}).decide(childEnd{code: 2}); !v.restart {
		t.Errorf("exit 2: %+v, want restart", v)
	}
	if v := (&respawnPolicy{noRespawn: true}).decide(long); !v.stopAll {
		t.Errorf("-R: %+v, want stop", v)
	}
}
