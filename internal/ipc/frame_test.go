package ipc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// samples has one message of every type, with every field set.
func samples() []Message {
	return []Message{
		&Hello{Version: Version, Role: RoleVRRP, PID: 4242, Build: "Keepalived v2.2.7"},
		&Config{Snapshot: Snapshot{Generation: 1, Path: "/etc/keepalived/keepalived.conf", ConfigID: "lb1", AllConfig: true,
			Files: map[string][]byte{
				"/etc/keepalived/keepalived.conf":  []byte("include conf.d/*.conf\n"),
				"/etc/keepalived/conf.d/vi_1.conf": {0, 1, 0xff, '\n'}, // any bytes survive
			},
			Wd: "/etc/keepalived"}, Respawn: true},
		&Reload{Snapshot{Generation: 7, Path: "/etc/keepalived/keepalived.conf"}},
		&ConfigAck{Generation: 7},
		&ConfigAck{Generation: 8, Error: "VI_1: interface eth9 does not exist"},
		&VRRPState{Instance: "VI_1", Group: "G1", State: StateMaster, Priority: 255},
		&VRRPState{Instance: "VI_2", State: StateFault},
		&Health{VirtualServer: "[10.0.0.1]:tcp:80", RealServer: "[192.168.1.2]:tcp:80",
			Checker: "HTTP_GET", Up: false, Detail: "status code 503"},
		&Relay{Instance: "VI_1", State: StateMaster,
			Addresses: []netip.Addr{netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("fd00::1")}},
		&Stop{Reason: "SIGTERM"},
		&Stop{},
		&Ping{Seq: 1 << 40},
		&Pong{Seq: 3},
		&Dump{Kind: DumpStatsClear},
	}
}

func TestRoundTrip(t *testing.T) {
	seen := map[Type]bool{}
	for _, m := range samples() {
		seen[m.Type()] = true
		t.Run(m.Type().String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, m, 0); err != nil {
				t.Fatal(err)
			}
			frame := buf.Bytes()
			if got := binary.BigEndian.Uint32(frame[8:]); int(got) != len(frame)-HeaderSize {
				t.Fatalf("length field %d, payload %d bytes", got, len(frame)-HeaderSize)
			}
			got, err := Decode(&buf, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, m) {
				t.Fatalf("got %#v\nwant %#v", got, m)
			}
			if buf.Len() != 0 {
				t.Fatalf("%d bytes left after the frame", buf.Len())
			}
		})
	}
	// Every type the protocol defines has a sample.
	for typ := range typeNames {
		if !seen[typ] {
			t.Errorf("no round-trip sample for %v", typ)
		}
	}
}

// frame builds a frame by hand, for inputs the encoder would never make.
func frame(magic string, ver uint16, typ Type, length int, payload string) []byte {
	b := []byte(magic)
	b = binary.BigEndian.AppendUint16(b, ver)
	b = binary.BigEndian.AppendUint16(b, uint16(typ))
	b = binary.BigEndian.AppendUint32(b, uint32(length))
	return append(b, payload...)
}

func good(typ Type, payload string) []byte {
	return frame("GKAP", Version, typ, len(payload), payload)
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		kind ErrorKind
		max  int
	}{
		{"short header", []byte("GKAP\x00"), KindTruncated, 0},
		{"short payload", frame("GKAP", Version, TypePing, 20, `{"seq":1}`), KindTruncated, 0},
		{"bad magic", frame("GKAX", Version, TypePing, 9, `{"seq":1}`), KindBadMagic, 0},
		{"text instead of frames", []byte("Keepalived_vrrp[12]: hello\n"), KindBadMagic, 0},
		{"newer version", frame("GKAP", Version+1, TypePing, 9, `{"seq":1}`), KindVersion, 0},
		{"version 0", frame("GKAP", 0, TypeStop, 2, `{}`), KindVersion, 0},
		{"unknown type", good(99, `{}`), KindUnknownType, 0},
		{"type 0", good(0, `{}`), KindUnknownType, 0},
		{"over the limit", good(TypePing, `{"seq":12345}`), KindTooLarge, 8},
		{"huge length", frame("GKAP", Version, TypeConfig, 1<<31, ""), KindTooLarge, 0},
		{"not JSON", good(TypePing, `seq=1`), KindBadPayload, 0},
		{"empty payload", good(TypeStop, ``), KindBadPayload, 0},
		{"unknown field", good(TypePing, `{"seq":1,"extra":2}`), KindBadPayload, 0},
		{"trailing value", good(TypePing, `{"seq":1}{}`), KindBadPayload, 0},
		{"wrong JSON type", good(TypePing, `{"seq":"one"}`), KindBadPayload, 0},
		{"priority over 255", good(TypeVRRPState, `{"instance":"VI_1","state":"MASTER","priority":256}`), KindBadPayload, 0},
		{"unknown state", good(TypeVRRPState, `{"instance":"VI_1","state":"DELETED","priority":1}`), KindBadPayload, 0},
		{"numeric state", good(TypeVRRPState, `{"instance":"VI_1","state":2,"priority":1}`), KindBadPayload, 0},
		{"unknown role", good(TypeHello, `{"version":1,"role":"bfd","pid":1}`), KindBadPayload, 0},
		{"unknown dump kind", good(TypeDump, `{"kind":"core"}`), KindBadPayload, 0},
		{"bad address", good(TypeRelay, `{"instance":"VI_1","state":"MASTER","addresses":["10.0.0.300"]}`), KindBadPayload, 0},
		{"hello without role", good(TypeHello, `{"version":1,"pid":1}`), KindBadPayload, 0},
		{"state without instance", good(TypeVRRPState, `{"state":"MASTER","priority":1}`), KindBadPayload, 0},
		{"relay without instance", good(TypeRelay, `{"state":"MASTER"}`), KindBadPayload, 0},
		{"health without real server", good(TypeHealth, `{"virtual_server":"x","up":true}`), KindBadPayload, 0},
		{"dump without kind", good(TypeDump, `{}`), KindBadPayload, 0},
		{"snapshot files not JSON", good(TypeConfig, `{"generation":1,"path":"x","files":nope}`), KindBadPayload, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(bytes.NewReader(tc.in), tc.max)
			if err == nil {
				t.Fatalf("decoded %#v, want a %v error", m, tc.kind)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			if de.Kind != tc.kind || KindOf(err) != tc.kind {
				t.Fatalf("kind %v (%v), want %v", de.Kind, err, tc.kind)
			}
			if !strings.HasPrefix(err.Error(), "ipc: "+tc.kind.String()) {
				t.Fatalf("message %q does not start with the kind", err)
			}
		})
	}
}

func TestDecodeEOF(t *testing.T) {
	if _, err := Decode(bytes.NewReader(nil), 0); err != io.EOF {
		t.Fatalf("empty stream: %v, want io.EOF", err)
	}
	// Two frames then the end: two messages, then a clean EOF.
	in := append(good(TypePing, `{"seq":1}`), good(TypePong, `{"seq":1}`)...)
	r := bytes.NewReader(in)
	for i := 0; i < 2; i++ {
		if _, err := Decode(r, 0); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	if _, err := Decode(r, 0); err != io.EOF {
		t.Fatalf("after two frames: %v, want io.EOF", err)
	}
}

// A frame whose payload is bad is consumed whole, so the next one reads.
func TestDecodeStaysInStep(t *testing.T) {
	in := append(good(TypePing, `{"seq":"x"}`), good(TypePong, `{"seq":9}`)...)
	in = append(in, good(77, `{}`)...)
	in = append(in, good(TypePong, `{"seq":10}`)...)
	r := bytes.NewReader(in)
	var kinds []ErrorKind
	var seqs []uint64
	for {
		m, err := Decode(r, 0)
		if err == io.EOF {
			break
		}
		if err != nil {
			kinds = append(kinds, KindOf(err))
			continue
		}
		seqs = append(seqs, m.(*Pong).Seq)
	}
	if !reflect.DeepEqual(kinds, []ErrorKind{KindBadPayload, KindUnknownType}) || !reflect.DeepEqual(seqs, []uint64{9, 10}) {
		t.Fatalf("errors %v, pongs %v", kinds, seqs)
	}
}

func TestEncodeLimits(t *testing.T) {
	m := &Stop{Reason: strings.Repeat("x", 100)}
	if err := Encode(io.Discard, m, 50); err == nil || !strings.Contains(err.Error(), "exceeds the 50-byte limit") {
		t.Fatalf("oversized payload: %v", err)
	}
	if err := Encode(io.Discard, &VRRPState{Instance: "VI_1", State: State(9)}, 0); err == nil {
		t.Fatal("an out-of-range state was encoded")
	}
}

// A Hello of another version still decodes (with fields it adds
// ignored), so Handshake can name both versions.
func TestHelloAnyVersion(t *testing.T) {
	p := `{"version":9,"role":"vrrp","pid":7,"build":"v9","features":["x"]}`
	in := frame("GKAP", 9, TypeHello, len(p), p)
	m, err := Decode(bytes.NewReader(in), 0)
	if err != nil {
		t.Fatal(err)
	}
	if h := m.(*Hello); h.Version != 9 || h.Role != RoleVRRP || h.PID != 7 {
		t.Fatalf("%#v", h)
	}
}

func TestEnumNames(t *testing.T) {
	tests := []struct {
		v    interface{ String() string }
		want string
	}{
		{StateInit, "INIT"}, {StateBackup, "BACKUP"}, {StateMaster, "MASTER"},
		{StateFault, "FAULT"}, {StateStop, "STOP"}, {State(42), "42"},
		{RoleParent, "parent"}, {RoleVRRP, "vrrp"}, {RoleChecker, "checker"},
		{DumpData, "data"}, {DumpJSON, "json"},
		{TypeRelay, "Relay"}, {Type(500), "Type(500)"},
		{KindTooLarge, "frame too large"}, {ErrorKind(99), "ErrorKind(99)"},
	}
	for _, tc := range tests {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%#v: %q, want %q", tc.v, got, tc.want)
		}
	}
	// keepalived's JSON dump numbers: 1 BACKUP, 2 MASTER, 3 FAULT.
	if StateBackup != 1 || StateMaster != 2 || StateFault != 3 {
		t.Error("state numbers differ from keepalived's")
	}
}
