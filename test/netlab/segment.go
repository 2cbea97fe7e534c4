package netlab

import "fmt"

// SegmentAddr is router i's (0-based) IPv4 address on segment n (made by
// AddSegment): 192.168.n.162, .163, ...
func SegmentAddr(n, i int) string { return fmt.Sprintf("192.168.%d.%d", n, 162+i) }

// SegmentPort is router i's port on segment n's bridge.
func (l *Lab) SegmentPort(n, i int) string { return fmt.Sprintf("s%dp%d", n, i+1) }

// AddSegment adds a second (third, ...) segment n >= 1, for instances on
// more than one link: bridge br<n> in the client namespace (which gets
// 192.168.n.10/24), and in every router a link eth<n> on it with
// SegmentAddr(n, i)/24. Segment 0 is the one New makes (br0, eth0).
func (l *Lab) AddSegment(n int) {
	l.T.Helper()
	if n < 1 || n > 9 {
		l.T.Fatalf("AddSegment(%d): segments are numbered 1..9 (0 is New's)", n)
	}
	br := fmt.Sprintf("br%d", n)
	l.Run("ip", "-n", l.Client, "link", "add", br, "type", "bridge", "mcast_snooping", "0")
	l.Run("ip", "-n", l.Client, "link", "set", br, "up")
	l.Run("ip", "-n", l.Client, "addr", "add", fmt.Sprintf("192.168.%d.10/24", n), "dev", br)
	dev := fmt.Sprintf("eth%d", n)
	for i, ns := range l.Routers {
		port := l.SegmentPort(n, i)
		l.Run("ip", "-n", ns, "link", "add", dev, "type", "veth", "peer", "name", port, "netns", l.Client)
		l.Run("ip", "-n", l.Client, "link", "set", port, "master", br)
		l.Run("ip", "-n", l.Client, "link", "set", port, "up")
		l.Run("ip", "-n", ns, "addr", "add", SegmentAddr(n, i)+"/24", "dev", dev)
		l.Run("ip", "-n", ns, "link", "set", dev, "up")
	}
}

// CutSegment and MendSegment take router i's cable on segment n out of
// its bridge and back (the router's eth<n> loses and regains carrier).
func (l *Lab) CutSegment(n, i int) {
	l.Run("ip", "-n", l.Client, "link", "set", l.SegmentPort(n, i), "down")
}
func (l *Lab) MendSegment(n, i int) {
	l.Run("ip", "-n", l.Client, "link", "set", l.SegmentPort(n, i), "up")
}
