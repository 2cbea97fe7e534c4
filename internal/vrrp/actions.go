package vrrp

import (
	"strconv"
	"strings"
	"time"
)

// ActionKind says what an Action asks the effect layer to do.
type ActionKind uint8

// Action kinds. The order of actions in a Step's result is the order in
// which keepalived performs them and must be kept.
const (
	// ActSendAdvert: send an advertisement with Priority (0 = resign).
	ActSendAdvert ActionKind = iota
	// ActAddVIPs / ActDelVIPs: the virtual_ipaddress and
	// virtual_ipaddress_excluded sets (and the accept-mode firewall
	// rules); the effect layer only removes what it added.
	ActAddVIPs
	ActDelVIPs
	ActAddRoutes
	ActDelRoutes
	ActAddRules
	ActDelRules
	// ActSendGARP: gratuitous ARP / unsolicited NA for every VIP and eVIP,
	// Repeat times (rate-limited by the announce layer).
	ActSendGARP
	// ActFlushGARP: drop announcements still queued for the instance.
	ActFlushGARP
	// ActNotify: the instance entered State (notify scripts, FIFO, SNMP,
	// mail); Priority is the effective priority for the generic script.
	ActNotify
	// ActNotifyEvent: a non-state notification (Event), e.g. the FIFO's
	// priority-change lines or notify_master_rx_lower_pri.
	ActNotifyEvent
	// ActGroupNotify: the sync group Instance (a group name) entered State.
	ActGroupNotify
	// ActArmTimer: (re)arm Timer to fire at At, replacing any earlier arm.
	ActArmTimer
	// ActCancelTimer: Timer must not fire.
	ActCancelTimer
	// ActLog: log Text; Detail lines only with -D (--log-detail).
	ActLog
)

var actionNames = [...]string{
	"send-advert", "add-vips", "del-vips", "add-routes", "del-routes",
	"add-rules", "del-rules", "garp", "flush-garp", "notify", "notify-event",
	"group-notify", "arm", "cancel", "log",
}

func (k ActionKind) String() string {
	if int(k) < len(actionNames) {
		return actionNames[k]
	}
	return "unknown"
}

// NotifyEvent is the subject of an ActNotifyEvent.
type NotifyEvent uint8

// Notification events that are not state changes.
const (
	// EventMasterRxLowerPri: a master heard a lower priority advert.
	EventMasterRxLowerPri NotifyEvent = iota + 1
	// EventPriorityChange: the effective priority changed while State
	// (notify_priority_changes).
	EventPriorityChange
)

func (e NotifyEvent) String() string {
	switch e {
	case EventMasterRxLowerPri:
		return "master_rx_lower_pri"
	case EventPriorityChange:
		return "priority_change"
	}
	return "unknown"
}

// Action is one effect the machine asks for. Only the fields its Kind
// names are meaningful.
type Action struct {
	Kind ActionKind
	// Instance is the instance the action is for (the group name for
	// ActGroupNotify); a sync group's Step returns actions for several
	// instances.
	Instance string
	Timer    TimerID
	At       time.Time
	Priority int
	Repeat   int
	State    State
	Event    NotifyEvent
	Text     string
	Detail   bool
}

// Format renders the action in the conformance files' notation, with
// times as seconds since epoch.
func (a Action) Format(epoch time.Time) string {
	var b strings.Builder
	b.WriteString(a.Instance)
	b.WriteByte(' ')
	if a.Kind == ActLog && a.Detail {
		b.WriteString("log-detail")
	} else {
		b.WriteString(a.Kind.String())
	}
	switch a.Kind {
	case ActSendAdvert:
		b.WriteString(" prio=")
		b.WriteString(strconv.Itoa(a.Priority))
	case ActSendGARP:
		b.WriteString(" x")
		b.WriteString(strconv.Itoa(a.Repeat))
	case ActNotify:
		b.WriteString(" " + a.State.String() + " prio=" + strconv.Itoa(a.Priority))
	case ActNotifyEvent:
		b.WriteString(" " + a.Event.String())
		if a.Event == EventPriorityChange {
			b.WriteString(" " + a.State.String())
		}
		b.WriteString(" prio=" + strconv.Itoa(a.Priority))
	case ActGroupNotify:
		b.WriteString(" " + a.State.String())
	case ActArmTimer:
		b.WriteString(" " + a.Timer.String() + " @" + FormatSeconds(a.At.Sub(epoch)))
	case ActCancelTimer:
		b.WriteString(" " + a.Timer.String())
	case ActLog:
		b.WriteString(" " + strconv.Quote(a.Text))
	}
	return b.String()
}

func (a Action) String() string { return a.Format(time.Time{}) }

// FormatSeconds prints d as seconds with up to six decimals (keepalived's
// timers are in microseconds), trailing zeros dropped.
func FormatSeconds(d time.Duration) string {
	us := d.Microseconds()
	neg := us < 0
	if neg {
		us = -us
	}
	s := strconv.FormatInt(us/1e6, 10)
	if frac := us % 1e6; frac != 0 {
		f := strconv.FormatInt(frac+1e6, 10)[1:]
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}
