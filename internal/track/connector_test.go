package track

import (
	"encoding/binary"
	"errors"
	"testing"
)

// capturedFork is a datagram the process connector sent on this kernel
// (6.18): a thread 31315 created in process 22713.
var capturedFork = []byte{76, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
	40, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 38, 32, 158, 37, 164, 11, 0, 0, 62, 0, 0, 0, 1, 0, 0, 0, 83, 122, 0, 0,
	185, 88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

// procEventBytes builds a datagram: what, cpu, seq, then the event's
// 32-bit words, then extra bytes (a comm).
func procEventBytes(what, cpu, seq uint32, words ...uint32) []byte {
	var data []byte
	for _, w := range words {
		data = binary.NativeEndian.AppendUint32(data, w)
	}
	for len(data) < 24 {
		data = append(data, 0)
	}
	b := make([]byte, procEventOffset, procEventOffset+len(data))
	b = append(b, data...)
	binary.NativeEndian.PutUint32(b[0:], uint32(len(b)))
	binary.NativeEndian.PutUint16(b[4:], nlmsgDone)
	binary.NativeEndian.PutUint32(b[16:], cnIdxProc)
	binary.NativeEndian.PutUint32(b[20:], cnValProc)
	binary.NativeEndian.PutUint32(b[24:], seq)
	binary.NativeEndian.PutUint32(b[36:], what)
	binary.NativeEndian.PutUint32(b[40:], cpu)
	return b
}

func TestParseProcEvent(t *testing.T) {
	ev, err := parseProcEvent(capturedFork)
	if err != nil || ev.what != procEventFork || ev.parent != 1 || ev.pid != 31315 || ev.tgid != 22713 || !ev.thread() || ev.seq != 1 {
		t.Fatalf("captured fork = %+v, %v", ev, err)
	}
	ev, err = parseProcEvent(procEventBytes(procEventFork, 1, 9, 100, 100, 200, 200))
	if err != nil || ev.parent != 100 || ev.pid != 200 || ev.tgid != 200 || ev.thread() || ev.cpu != 1 || ev.seq != 9 {
		t.Errorf("fork = %+v, %v", ev, err)
	}
	ev, err = parseProcEvent(procEventBytes(procEventExec, 0, 0, 300, 300))
	if err != nil || ev.what != procEventExec || ev.pid != 300 {
		t.Errorf("exec = %+v, %v", ev, err)
	}
	comm := procEventBytes(procEventComm, 0, 0, 300, 301)
	copy(comm[procEventOffset+8:], "nginx: worker\x00zz")
	ev, err = parseProcEvent(comm)
	if err != nil || ev.comm != "nginx: worker" || !ev.thread() {
		t.Errorf("comm = %+v, %v", ev, err)
	}
	ack := procEventBytes(procEventNone, 0, 0)
	binary.NativeEndian.PutUint32(ack[28:], 1)
	if ev, err := parseProcEvent(ack); err != nil || !ev.ack || ev.what != procEventNone {
		t.Errorf("ack = %+v, %v", ev, err)
	}
	other := procEventBytes(procEventExit, 0, 0, 1, 1)
	binary.NativeEndian.PutUint32(other[16:], 7)
	if _, err := parseProcEvent(other); !errors.Is(err, errSkip) {
		t.Errorf("another connector's message: %v", err)
	}
	noop := procEventBytes(procEventExit, 0, 0, 1, 1)
	binary.NativeEndian.PutUint16(noop[4:], nlmsgNoop)
	if _, err := parseProcEvent(noop); !errors.Is(err, errSkip) {
		t.Errorf("no-op message: %v", err)
	}
	for _, n := range []int{0, 10, 30, 45} {
		if _, err := parseProcEvent(capturedFork[:n]); err == nil || errors.Is(err, errSkip) {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
	long := procEventBytes(procEventFork, 0, 0, 1, 1, 2, 2)
	binary.NativeEndian.PutUint32(long[0:], uint32(len(long)+4))
	if _, err := parseProcEvent(long); err == nil {
		t.Error("netlink length past the datagram accepted")
	}
}

func TestSubscribeMsg(t *testing.T) {
	// The bytes keepalived's set_proc_ev_listen sends: nlmsghdr (40,
	// NLMSG_DONE), cn_msg {CN_IDX_PROC, CN_VAL_PROC, len 4}, the op.
	b := subscribeMsg(true)
	if len(b) != 40 || binary.NativeEndian.Uint32(b[0:]) != 40 || binary.NativeEndian.Uint16(b[4:]) != nlmsgDone ||
		binary.NativeEndian.Uint32(b[16:]) != 1 || binary.NativeEndian.Uint32(b[20:]) != 1 ||
		binary.NativeEndian.Uint16(b[32:]) != 4 || binary.NativeEndian.Uint32(b[36:]) != procCNMcastListen {
		t.Errorf("listen = %v", b)
	}
	if binary.NativeEndian.Uint32(subscribeMsg(false)[36:]) != procCNMcastIgnore {
		t.Error("ignore op")
	}
}

func TestSeqTracker(t *testing.T) {
	s := seqTracker{}
	steps := []struct {
		cpu, seq uint32
		missed   int64
	}{{0, 5, 0}, {0, 6, 0}, {1, 100, 0}, {0, 9, 2}, {1, 101, 0}, {0, 0xffffffff, 0xffffffff - 10}, {0, 0, 0}}
	for i, st := range steps {
		if got := s.next(st.cpu, st.seq); got != st.missed {
			t.Errorf("step %d: missed %d, want %d", i, got, st.missed)
		}
	}
}
