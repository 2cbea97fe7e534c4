package announce

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/netif/nstest"
	"github.com/mdlayher/packet"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// lab is the capture setup of ../netif/testdata/keepalived-lab.sh: kv0 in
// A with keepalived's MAC, its peer pv0 in B, and the two VMACs
// keepalived made for keepalived-2.2.7.conf.
type lab struct {
	a, b string
}

func newLab(t *testing.T) lab {
	t.Helper()
	l := lab{a: nstest.NS(t, "an"), b: nstest.NS(t, "an")}
	nstest.Veth(t, l.a, "kv0", "02:00:00:00:77:01", l.b, "pv0", "02:00:00:00:77:02")
	nstest.IP(t, l.a, "link", "add", "vrrp.53", "link", "kv0", "address", "00:00:5e:00:01:35", "type", "macvlan", "mode", "private")
	nstest.IP(t, l.a, "link", "add", "vrrp.54", "link", "kv0", "address", "00:00:5e:00:02:36", "type", "macvlan", "mode", "private")
	nstest.IP(t, l.a, "link", "set", "vrrp.53", "up")
	nstest.IP(t, l.a, "link", "set", "vrrp.54", "up")
	return l
}

// capture collects the GARPs and NAs arriving on pv0 in B until stop.
type capture struct {
	mu     sync.Mutex
	frames []frame
	c      *packet.Conn
	done   chan struct{}
}

func listen(t *testing.T, ns, iface string) *capture {
	t.Helper()
	h, err := netns.GetFromName(ns)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	cp := &capture{done: make(chan struct{})}
	err = inNS(h, func() error {
		ifi, err := net.InterfaceByName(iface)
		if err != nil {
			return err
		}
		cp.c, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(cp.done)
		buf := make([]byte, 2048)
		for {
			n, _, err := cp.c.ReadFrom(buf)
			if err != nil {
				return
			}
			f := buf[:n]
			if isAnnouncement(f) {
				cp.mu.Lock()
				cp.frames = append(cp.frames, frame{time.Now(), bytes.Clone(f)})
				cp.mu.Unlock()
			}
		}
	}()
	t.Cleanup(cp.stop)
	return cp
}

func isAnnouncement(f []byte) bool {
	if len(f) < 14 {
		return false
	}
	switch binary.BigEndian.Uint16(f[12:]) {
	case etherTypeARP:
		return true
	case etherTypeIPv6:
		return len(f) >= 14+40+1 && f[14+6] == 58 && f[14+40] == 136
	}
	return false
}

// wait returns the frames once n have arrived (or after a timeout).
func (cp *capture) wait(t *testing.T, n int) []frame {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		cp.mu.Lock()
		got := len(cp.frames)
		cp.mu.Unlock()
		if got >= n {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // nothing more should come
	cp.mu.Lock()
	defer cp.mu.Unlock()
	return slices.Clone(cp.frames)
}

func (cp *capture) stop() {
	if cp.c != nil {
		cp.c.Close()
		<-cp.done
		cp.c = nil
	}
}

// TestSenderMatchesKeepalived sends, from the same MACs, the
// announcements keepalived 2.2.7 sent in testdata/keepalived-2.2.7.pcap,
// and compares what arrives in the peer namespace byte for byte.
func TestSenderMatchesKeepalived(t *testing.T) {
	l := newLab(t)
	want := readPcap(t, "testdata/keepalived-2.2.7.pcap")
	cp := listen(t, l.b, "pv0")
	var lines []Line
	s, err := NewSender(SenderOptions{NetNS: l.a, Log: func(ln Line) { lines = append(lines, ln) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ifaceOf := map[string]string{"00:00:5e:00:01:35": "vrrp.53", "00:00:5e:00:02:36": "vrrp.54"}
	// Sockets opened ahead (as the daemon does when an instance starts)
	// serve the sends; an interface that is not there costs nothing.
	s.Prepare("kv0")
	s.Prepare("missing0")
	if s.ifaces["kv0"] == nil || s.ifaces["missing0"] != nil {
		t.Fatalf("prepared: %v", s.ifaces)
	}
	for _, f := range want {
		mac, vip, _ := vipOf(t, f.data)
		iface := ifaceOf[mac.String()]
		if iface == "" {
			iface = "kv0"
		}
		if err := s.Send(iface, vip); err != nil {
			t.Fatal(err)
		}
	}
	got := cp.wait(t, len(want))
	if len(got) != len(want) {
		t.Fatalf("received %d frames, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i].data, want[i].data) {
			t.Errorf("frame %d:\n got % x\nwant % x", i, got[i].data, want[i].data)
		}
	}
	if len(lines) != len(want) || lines[0].Text != "Sending gratuitous ARP on kv0 for 192.168.77.10" || !lines[0].Detail {
		t.Errorf("log lines %+v", lines)
	}
}

func TestSenderRouterFlagAndErrors(t *testing.T) {
	l := newLab(t)
	nstest.SetSysctl(t, l.a, "net.ipv6.conf.kv0.forwarding", "1")
	want := readPcap(t, "testdata/keepalived-2.2.7-na-router.pcap")
	cp := listen(t, l.b, "pv0")
	var lines []Line
	s, err := NewSender(SenderOptions{NetNS: l.a, Log: func(ln Line) { lines = append(lines, ln) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send("kv0", netip.MustParseAddr("fd00:77::10")); err != nil {
		t.Fatal(err)
	}
	got := cp.wait(t, 1)
	if len(got) != 1 || !bytes.Equal(got[0].data, want[0].data) {
		t.Fatalf("got %d frames, want the router NA % x", len(got), want[0].data)
	}
	err = s.Send("nosuch0", netip.MustParseAddr("10.0.0.1"))
	if err == nil || len(lines) != 2 || lines[1].Detail {
		t.Fatalf("send on a missing interface: %v, lines %+v", err, lines)
	}
	// A re-created interface is found again after a failed send.
	if err := s.Send("vrrp.53", netip.MustParseAddr("10.0.0.2")); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, l.a, "link", "del", "vrrp.53")
	nstest.IP(t, l.a, "link", "add", "vrrp.53", "link", "kv0", "address", "00:00:5e:00:01:36", "type", "macvlan", "mode", "private")
	nstest.IP(t, l.a, "link", "set", "vrrp.53", "up")
	if err := s.Send("vrrp.53", netip.MustParseAddr("10.0.0.2")); err != nil {
		t.Fatal(err)
	}
	got = cp.wait(t, 3)
	if len(got) != 3 || !bytes.Equal(got[2].data[6:12], []byte{0, 0, 0x5e, 0, 1, 0x36}) {
		t.Fatalf("after re-creating vrrp.53: %d frames", len(got))
	}
	s.Forget("kv0")
}

// TestAnnouncerPaces runs the real-time announcer with an interval and
// checks the spacing on the wire.
func TestAnnouncerPaces(t *testing.T) {
	l := newLab(t)
	cp := listen(t, l.b, "pv0")
	s, err := NewSender(SenderOptions{NetNS: l.a})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	iv := 60 * time.Millisecond
	a := NewAnnouncer(s, func(iface string, v6 bool) Limit { return Limit{Key: iface, Interval: iv} })
	defer a.Close()
	a.Burst(targets("VI_1", "kv0", "192.168.77.10", "192.168.77.11", "fd00:77::10"), 5)
	a.Burst(targets("VI_2", "kv0", "192.168.77.20"), 1)
	a.Burst(targets("VI_3", "kv0", "192.168.77.30"), 1)
	a.Flush("VI_3")
	got := cp.wait(t, 5)
	var order []string
	for i, f := range got {
		_, vip, _ := vipOf(t, f.data)
		order = append(order, vip.String())
		if i > 0 {
			if gap := f.at.Sub(got[i-1].at); gap < iv-15*time.Millisecond {
				t.Errorf("frame %d only %v after the previous one", i, gap)
			}
		}
	}
	want := []string{"192.168.77.10", "192.168.77.10", "192.168.77.11", "fd00:77::10", "192.168.77.20"}
	if !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

func TestSenderBadNamespace(t *testing.T) {
	if _, err := NewSender(SenderOptions{NetNS: "/nonexistent/ns"}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}
