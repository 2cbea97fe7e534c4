package track

import (
	"encoding/binary"
	"fmt"
)

// The kernel's process events connector (linux/cn_proc.h): a netlink
// datagram holds a nlmsghdr, a cn_msg and one proc_event. keepalived
// subscribes to it for vrrp_track_process; the decoding is here, pure,
// and the socket in connector_linux.go.

// proc_event "what" values.
const (
	procEventNone = 0x00000000 // the acknowledgement of a subscription
	procEventFork = 0x00000001
	procEventExec = 0x00000002
	procEventComm = 0x00000200
	procEventExit = 0x80000000
)

const (
	nlmsgHdrLen = 16
	nlmsgNoop   = 1
	nlmsgError  = 2
	nlmsgDone   = 3
	cnMsgLen    = 20
	cnIdxProc   = 1
	cnValProc   = 1
	procEvHdr   = 16 // what, cpu, timestamp_ns
	commLen     = 16 // TASK_COMM_LEN

	procCNMcastListen = 1
	procCNMcastIgnore = 2

	// procEventOffset is where the event data starts in a datagram.
	procEventOffset = nlmsgHdrLen + cnMsgLen + procEvHdr
)

// procEvent is one decoded process event. For fork, pid/tgid are the
// child's and parent the parent's thread group; for the others they are
// the process's.
type procEvent struct {
	what   uint32
	cpu    uint32
	seq    uint32
	ack    bool
	pid    int
	tgid   int
	parent int
	comm   string
}

// thread reports an event of a thread rather than of a whole process:
// keepalived (and we) only follow processes.
func (e procEvent) thread() bool { return e.pid != e.tgid }

// errSkip marks a datagram that is valid but not a process event for us
// (a netlink no-op or error message, another connector's message).
var errSkip = fmt.Errorf("not a process event")

// parseProcEvent decodes one datagram from the process connector.
func parseProcEvent(b []byte) (procEvent, error) {
	var ev procEvent
	if len(b) < nlmsgHdrLen {
		return ev, fmt.Errorf("proc event: %d bytes, netlink header needs %d", len(b), nlmsgHdrLen)
	}
	n := int(binary.NativeEndian.Uint32(b[0:]))
	typ := binary.NativeEndian.Uint16(b[4:])
	if n < nlmsgHdrLen || n > len(b) {
		// keepalived's NLMSG_OK test.
		return ev, fmt.Errorf("proc event: netlink length %d of %d bytes", n, len(b))
	}
	if typ == nlmsgError || typ == nlmsgNoop {
		return ev, errSkip
	}
	b = b[:n]
	if len(b) < nlmsgHdrLen+cnMsgLen {
		return ev, fmt.Errorf("proc event: %d bytes, connector header needs %d", len(b), nlmsgHdrLen+cnMsgLen)
	}
	cn := b[nlmsgHdrLen:]
	if binary.NativeEndian.Uint32(cn[0:]) != cnIdxProc || binary.NativeEndian.Uint32(cn[4:]) != cnValProc {
		return ev, errSkip
	}
	ev.seq = binary.NativeEndian.Uint32(cn[8:])
	ev.ack = binary.NativeEndian.Uint32(cn[12:]) != 0
	if len(b) < procEventOffset {
		return ev, fmt.Errorf("proc event: %d bytes, event header needs %d", len(b), procEventOffset)
	}
	pe := b[nlmsgHdrLen+cnMsgLen:]
	ev.what = binary.NativeEndian.Uint32(pe[0:])
	ev.cpu = binary.NativeEndian.Uint32(pe[4:])
	data := b[procEventOffset:]
	u32 := func(i int) int { return int(int32(binary.NativeEndian.Uint32(data[4*i:]))) }
	need := 0
	switch ev.what {
	case procEventFork:
		need = 16
	case procEventExec, procEventExit:
		need = 8
	case procEventComm:
		need = 8 + commLen
	}
	if len(data) < need {
		return ev, fmt.Errorf("proc event 0x%x: %d bytes of data, needs %d", ev.what, len(data), need)
	}
	switch ev.what {
	case procEventFork:
		// parent_pid, parent_tgid, child_pid, child_tgid
		ev.parent, ev.pid, ev.tgid = u32(1), u32(2), u32(3)
	case procEventExec, procEventExit, procEventComm:
		ev.pid, ev.tgid = u32(0), u32(1)
	}
	if ev.what == procEventComm {
		c := data[8 : 8+commLen]
		for i, ch := range c {
			if ch == 0 {
				c = c[:i]
				break
			}
		}
		ev.comm = string(c)
	}
	return ev, nil
}

// subscribeMsg is the datagram that turns process events on (listen) or
// off.
func subscribeMsg(listen bool) []byte {
	b := make([]byte, nlmsgHdrLen+cnMsgLen+4)
	binary.NativeEndian.PutUint32(b[0:], uint32(len(b)))
	binary.NativeEndian.PutUint16(b[4:], nlmsgDone)
	cn := b[nlmsgHdrLen:]
	binary.NativeEndian.PutUint32(cn[0:], cnIdxProc)
	binary.NativeEndian.PutUint32(cn[4:], cnValProc)
	binary.NativeEndian.PutUint16(cn[16:], 4)
	op := uint32(procCNMcastIgnore)
	if listen {
		op = procCNMcastListen
	}
	binary.NativeEndian.PutUint32(b[nlmsgHdrLen+cnMsgLen:], op)
	return b
}

// seqTracker notices lost events: each CPU numbers its events.
type seqTracker map[uint32]uint32

// next records an event's sequence number and returns how many were
// missed on its CPU before it.
func (s seqTracker) next(cpu, seq uint32) int64 {
	last, ok := s[cpu]
	s[cpu] = seq
	if !ok || seq == last+1 {
		return 0
	}
	return int64(seq) - int64(last) - 1
}
