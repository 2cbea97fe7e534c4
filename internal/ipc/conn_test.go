package ipc

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPipeConcurrent runs a parent and a child end over a real os.Pipe
// pair: the child's instances report from several goroutines at once
// while the parent pings and sends a snapshot larger than a pipe's
// buffer. Every frame must arrive whole, in per-sender order.
func TestPipeConcurrent(t *testing.T) {
	pe, ce, err := Pipes()
	if err != nil {
		t.Fatal(err)
	}
	defer pe.Close()
	parent, child := pe.Conn(), ce.Conn()

	const writers, reports, pings = 8, 200, 100
	big := Snapshot{Generation: 2, Path: "/etc/keepalived/keepalived.conf",
		Files: map[string][]byte{"/etc/keepalived/keepalived.conf": []byte("global_defs {\n router_id " + strings.Repeat("r", 300<<10) + "\n}\n")}}

	childErr := make(chan error, 1)
	go func() {
		childErr <- func() error {
			defer ce.Close()
			if _, err := child.Handshake(Hello{Role: RoleVRRP, PID: 2}, RoleParent); err != nil {
				return err
			}
			var wg sync.WaitGroup
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < reports; i++ {
						child.Send(&VRRPState{Instance: fmt.Sprintf("VI_%d", w), State: StateBackup, Priority: uint8(i)})
					}
				}()
			}
			// The child's reader answers pings from its own goroutine,
			// sharing the pipe with the writers above.
			for {
				m, err := child.Recv()
				if err != nil {
					return fmt.Errorf("child recv: %w", err)
				}
				switch m := m.(type) {
				case *Ping:
					child.Send(&Pong{Seq: m.Seq})
				case *Reload:
					const f = "/etc/keepalived/keepalived.conf"
					if string(m.Files[f]) != string(big.Files[f]) {
						return fmt.Errorf("snapshot of %d bytes arrived as %d", len(big.Files[f]), len(m.Files[f]))
					}
					child.Send(&ConfigAck{Generation: m.Generation})
				case *Stop:
					wg.Wait()
					return nil
				default:
					return fmt.Errorf("child got %v", m.Type())
				}
			}
		}()
	}()

	h, err := parent.Handshake(Hello{Role: RoleParent, PID: 1}, RoleVRRP)
	if err != nil {
		t.Fatal(err)
	}
	if h.PID != 2 {
		t.Fatalf("peer hello %#v", h)
	}
	go func() {
		for i := 1; i <= pings; i++ {
			parent.Send(&Ping{Seq: uint64(i)})
			if i == pings/2 {
				parent.Send(&Reload{big})
			}
		}
	}()

	next := make([]int, writers)
	var pongs, acks int
	deadline := time.AfterFunc(20*time.Second, func() { pe.R.Close() })
	defer deadline.Stop()
	for total := 0; total < writers*reports+pings+1; total++ {
		m, err := parent.Recv()
		if err != nil {
			t.Fatalf("after %d frames: %v", total, err)
		}
		switch m := m.(type) {
		case *VRRPState:
			var w int
			fmt.Sscanf(m.Instance, "VI_%d", &w)
			if int(m.Priority) != next[w]%256 {
				t.Fatalf("%s: report %d arrived in place of %d", m.Instance, m.Priority, next[w])
			}
			next[w]++
		case *Pong:
			pongs++
			if m.Seq != uint64(pongs) {
				t.Fatalf("pong %d arrived as number %d", m.Seq, pongs)
			}
		case *ConfigAck:
			acks++
		default:
			t.Fatalf("parent got %v", m.Type())
		}
	}
	if err := parent.Send(&Stop{}); err != nil {
		t.Fatal(err)
	}
	if err := <-childErr; err != nil {
		t.Fatal(err)
	}
	if pongs != pings || acks != 1 {
		t.Fatalf("%d pongs, %d acks", pongs, acks)
	}
	// The child closed its ends: the parent sees a clean end of stream.
	if _, err := parent.Recv(); err != io.EOF {
		t.Fatalf("after the child closed: %v", err)
	}
}

// handshakeWith runs our Handshake against a peer that writes raw bytes.
func handshakeWith(t *testing.T, peer []byte, want Role) (Hello, error) {
	t.Helper()
	pe, ce, err := Pipes()
	if err != nil {
		t.Fatal(err)
	}
	defer pe.Close()
	go func() {
		ce.W.Write(peer)
		ce.W.Close()
		io.Copy(io.Discard, ce.R) // our hello
		ce.R.Close()
	}()
	h, err := pe.Conn().Handshake(Hello{Role: RoleParent, PID: 1}, want)
	pe.W.Close()
	return h, err
}

func TestHandshake(t *testing.T) {
	hello := func(ver uint16, role string) []byte {
		p := fmt.Sprintf(`{"version":%d,"role":%q,"pid":77,"build":"Keepalived v9"}`, ver, role)
		return frame("GKAP", ver, TypeHello, len(p), p)
	}
	tests := []struct {
		name string
		peer []byte
		want Role
		kind ErrorKind
		msg  string
	}{
		{"matching", hello(Version, "checker"), RoleChecker, 0, ""},
		{"any role", hello(Version, "vrrp"), 0, 0, ""},
		{"newer peer", hello(Version+1, "vrrp"), RoleVRRP, KindVersion,
			fmt.Sprintf("vrrp (pid 77, \"Keepalived v9\") speaks pipe protocol version %d, this process speaks %d", Version+1, Version)},
		{"wrong role", hello(Version, "vrrp"), RoleChecker, KindHandshake, "peer is vrrp, expected checker"},
		{"not a hello", good(TypePing, `{"seq":1}`), 0, KindHandshake, "first frame is not a Hello"},
		{"silent peer", nil, 0, KindHandshake, "peer closed the pipe before its hello"},
		{"garbage", []byte("not a frame at all"), 0, KindBadMagic, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := handshakeWith(t, tc.peer, tc.want)
			if tc.kind == 0 {
				if err != nil || h.PID != 77 {
					t.Fatalf("hello %#v, error %v", h, err)
				}
				return
			}
			if KindOf(err) != tc.kind || !strings.Contains(fmt.Sprint(err), tc.msg) {
				t.Fatalf("error %v, want %v containing %q", err, tc.kind, tc.msg)
			}
		})
	}
}
