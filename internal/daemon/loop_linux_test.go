package daemon

import (
	"strings"
	"testing"
	"time"
)

// TestReceived: a packet's time is the kernel's receive time on the
// loop's clock, unless that is unknown, in the future or too old (a
// clock step), when it is the loop's reading.
func TestReceived(t *testing.T) {
	now := time.Now() // with a monotonic reading
	wall := now.UnixNano()
	for _, c := range []struct {
		name string
		at   int64
		want time.Duration // before now
	}{
		{"unknown", 0, 0},
		{"300µs ago", wall - 300_000, 300 * time.Microsecond},
		{"at the limit", wall - int64(maxRecvAge), maxRecvAge},
		{"too old", wall - int64(maxRecvAge) - 1, 0},
		{"ahead", wall + 1000, 0},
	} {
		got := received(now, c.at)
		if d := now.Sub(got); d != c.want {
			t.Errorf("%s: %v before now, want %v", c.name, d, c.want)
		}
		if !strings.Contains(got.String(), " m=") {
			t.Errorf("%s: the monotonic reading was lost", c.name)
		}
	}
}
