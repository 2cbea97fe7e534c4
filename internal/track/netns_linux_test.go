package track

import (
	"errors"
	"os"
	"runtime"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// inNewNetns runs fn on a thread moved into a new, unnamed network
// namespace (gone when its last handle closes). The thread goes back
// afterwards, or stays locked, and so is discarded, if it cannot.
func inNewNetns(t *testing.T, fn func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace")
	}
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			done <- err
			return
		}
		defer orig.Close()
		ns, err := netns.New()
		if err != nil {
			done <- err
			return
		}
		defer ns.Close()
		fn()
		if netns.Set(orig) == nil {
			runtime.UnlockOSThread()
		}
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatalf("new network namespace: %v", err)
	}
}

// TestConnectorOtherNetns: outside the initial network namespace the
// kernel refuses the process events subscription, as keepalived 2.2.7
// logs it there ("Failed to set/clear process event listen - errno 111 -
// Connection refused"), and the manager scans /proc instead.
func TestConnectorOtherNetns(t *testing.T) {
	var (
		err   error
		lines []Line
		st    []Status
		lg    = &logs{}
	)
	cfg := config.NewConfig()
	cfg.TrackProcesses = []*config.TrackProcess{{Name: "init", Process: "nothing-runs-this", Quorum: 1, QuorumMax: config.QuorumUnlimited}}
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", nil, nil, []string{"init"})}
	m := NewManager(cfg, newFakeRunner(), lg.logger(), make(chan Status))
	t.Cleanup(m.Close)
	inNewNetns(t, func() {
		var c *connector
		c, lines, err = openConnector(0, false, ackWait)
		if c != nil {
			c.close()
		}
		st = m.Initial()
	})
	if err == nil {
		t.Fatal("the process connector opened in another network namespace")
	}
	if !errors.Is(err, unix.ECONNREFUSED) && !errors.Is(err, unix.EPROTONOSUPPORT) {
		t.Errorf("error %v, want connection refused", err)
	}
	if errors.Is(err, unix.ECONNREFUSED) {
		if len(lines) != 1 || lines[0].Text != "Failed to set/clear process event listen - errno 111 - Connection refused" {
			t.Errorf("lines %+v", lines)
		}
		lg.wait(t, "Failed to set/clear process event listen - errno 111 - Connection refused")
	}
	lg.wait(t, "track_process: kernel process events cannot be received here - scanning /proc every 1s instead")
	if statusesText(st) != "process init down" {
		t.Errorf("Initial = %q", statusesText(st))
	}
	if !m.polling || m.conn != nil {
		t.Errorf("polling %v, connector %v", m.polling, m.conn)
	}
}
