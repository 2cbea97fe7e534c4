package netif

import (
	"fmt"
	"strings"
	"syscall"
)

// Every log line of the host layer is defined here, once. Lines marked
// keepalived's carry keepalived 2.2.7's exact wording (its logs of the
// runs in testdata/); the others are ours, for what keepalived does not do.

// Line is one log line; Detail lines are printed only with -D.
type Line struct {
	Text   string
	Detail bool
}

// Logger receives the layer's log lines; nil discards them.
type Logger func(Line)

func (l Logger) logf(detail bool, format string, args ...any) {
	if l != nil {
		l(Line{Text: fmt.Sprintf(format, args...), Detail: detail})
	}
}

const (
	// keepalived's.
	fmtNetlinkError  = "Netlink: error: %s(%d), type=%s(%d), seq=%d, pid=%d"
	fmtVMACCreated   = "(%s): Success creating VMAC interface %s"
	fmtVMACRemoved   = "(%s) Success removing VMAC interface %s"
	fmtSysctlSet     = "NOTICE: setting sysctl net.ipv4.conf.%s.rp_filter from %s to %s"
	fmtSysctlReset   = "NOTICE: resetting sysctl net.ipv4.conf.%s.rp_filter to %s"
	fmtAddrGone      = "ip address %s/%d dev %s, no longer exist"
	fmtVMACCreateErr = "(%s): Unable to create VMAC interface %s - %v"

	// ours.
	fmtLeftover    = "Removing %s %s left by a previous run"
	fmtLeftoverErr = "Cannot remove %s %s left by a previous run: %v"
	fmtRestored    = "Restored sysctl %s to %s"
)

// AddrGoneLine is keepalived's line for an address a reload removes.
func AddrGoneLine(a Addr) Line {
	return Line{Text: fmt.Sprintf(fmtAddrGone, a.Prefix.Addr(), a.Prefix.Bits(), a.Dev)}
}

var msgTypeNames = map[uint16]string{
	rtmNewLink: "RTM_NEWLINK", rtmDelLink: "RTM_DELLINK", rtmNewAddr: "RTM_NEWADDR",
	rtmDelAddr: "RTM_DELADDR", rtmNewRoute: "RTM_NEWROUTE", rtmDelRoute: "RTM_DELROUTE",
	rtmNewRule: "RTM_NEWRULE", rtmDelRule: "RTM_DELRULE",
}

// netlinkErrorLine is keepalived's report of a refused request, with the
// C library's wording of the error ("Invalid argument(22)").
func netlinkErrorLine(errno syscall.Errno, typ uint16, seq uint32) Line {
	s := errno.Error()
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	name := msgTypeNames[typ]
	if name == "" {
		name = fmt.Sprintf("%d", typ)
	}
	return Line{Text: fmt.Sprintf(fmtNetlinkError, s, int(errno), name, typ, seq, 0)}
}
