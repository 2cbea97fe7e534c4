package announce

import (
	"fmt"
	"net/netip"
)

// Every log line of the announce layer is defined here, once, with
// keepalived 2.2.7's exact wording (testdata/keepalived-2.2.7.log).
// keepalived prints the per-frame lines only with -D (log detail).
// The "(VI_1) Sending/queueing gratuitous ARPs on eth0 for 10.0.0.1" line
// belongs to the instance and is the state machine's (internal/vrrp).
const (
	fmtSentGARP = "Sending gratuitous ARP on %s for %s"
	fmtSentNA   = "Sending unsolicited Neighbour Advert on %s for %s"
	fmtSendErr  = "Error %v sending %s on %s for %s"
)

// Line is one log line; Detail lines are printed only with -D.
type Line struct {
	Text   string
	Detail bool
}

// Logger receives the layer's log lines; nil discards them.
type Logger func(Line)

// SentLine is the line logged for each frame sent.
func SentLine(iface string, vip netip.Addr) Line {
	f := fmtSentGARP
	if vip.Is6() && !vip.Is4In6() {
		f = fmtSentNA
	}
	return Line{Text: fmt.Sprintf(f, iface, vip.Unmap()), Detail: true}
}

// errLine is the line logged when a frame cannot be sent (our wording:
// keepalived 2.2.7 only logs the errno through its generic socket error).
func errLine(iface string, vip netip.Addr, err error) Line {
	what := "gratuitous ARP"
	if vip.Is6() && !vip.Is4In6() {
		what = "unsolicited Neighbour Advert"
	}
	return Line{Text: fmt.Sprintf(fmtSendErr, err, what, iface, vip.Unmap())}
}

func (l Logger) log(line Line) {
	if l != nil {
		l(line)
	}
}
