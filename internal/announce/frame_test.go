package announce

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

// The captures in testdata were made with ../netif/testdata/keepalived-lab.sh
// running Debian's keepalived 2.2.7 on the .conf of the same name; tcpdump
// listened on the veth peer:
//
//	keepalived-lab.sh keepalived-2.2.7.conf OUT 6
//	KALAB_NOSTRACE=1 keepalived-lab.sh keepalived-2.2.7-interval.conf OUT 10
//	KALAB_NOSTRACE=1 KALAB_PRE="sysctl -qw net.ipv6.conf.all.forwarding=1" \
//		keepalived-lab.sh keepalived-2.2.7-na-router.conf OUT 5   (first NA kept)

type frame struct {
	at   time.Time
	data []byte
}

// readPcap reads a classic little- or big-endian pcap with Ethernet frames.
func readPcap(t *testing.T, path string) []frame {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 24 {
		t.Fatalf("%s: short pcap", path)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	nano := false
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4:
	case 0xa1b23c4d:
		nano = true
	case 0xd4c3b2a1:
		bo = binary.BigEndian
	case 0x4d3cb2a1:
		bo, nano = binary.BigEndian, true
	default:
		t.Fatalf("%s: not a pcap file", path)
	}
	if lt := bo.Uint32(b[20:]); lt != 1 {
		t.Fatalf("%s: link type %d", path, lt)
	}
	var out []frame
	for r := b[24:]; len(r) > 0; {
		if len(r) < 16 {
			t.Fatalf("%s: truncated record", path)
		}
		sec, frac := int64(bo.Uint32(r)), int64(bo.Uint32(r[4:]))
		n := int(bo.Uint32(r[8:]))
		if !nano {
			frac *= 1000
		}
		out = append(out, frame{time.Unix(sec, frac), bytes.Clone(r[16 : 16+n])})
		r = r[16+n:]
	}
	return out
}

// vipOf returns the sender MAC and the announced address of a captured
// GARP or NA.
func vipOf(t *testing.T, f []byte) (net.HardwareAddr, netip.Addr, bool) {
	t.Helper()
	mac := net.HardwareAddr(f[6:12])
	switch binary.BigEndian.Uint16(f[12:]) {
	case etherTypeARP:
		return mac, netip.AddrFrom4([4]byte(f[14+14 : 14+18])), false
	case etherTypeIPv6:
		router := f[14+40+4]&0x80 != 0
		return mac, netip.AddrFrom16([16]byte(f[14+8 : 14+24])), router
	}
	t.Fatalf("unexpected frame % x", f)
	return nil, netip.Addr{}, false
}

func TestFramesMatchKeepalived(t *testing.T) {
	for _, file := range []string{"keepalived-2.2.7.pcap", "keepalived-2.2.7-na-router.pcap"} {
		frames := readPcap(t, "testdata/"+file)
		if len(frames) == 0 {
			t.Fatalf("%s: no frames", file)
		}
		for i, f := range frames {
			mac, vip, router := vipOf(t, f.data)
			got, err := Frame(mac, vip, router)
			if err != nil {
				t.Fatalf("%s #%d: %v", file, i, err)
			}
			if !bytes.Equal(got, f.data) {
				t.Errorf("%s #%d (%s from %s):\n got % x\nwant % x", file, i, vip, mac, got, f.data)
			}
		}
	}
}

func TestGARPLayout(t *testing.T) {
	mac := net.HardwareAddr{0x00, 0x00, 0x5e, 0x00, 0x01, 0x07}
	b, err := GARP(mac, netip.MustParseAddr("10.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	want := "ffffffffffff00005e0001070806" + // Ethernet broadcast from the VMAC
		"0001080006040001" + // Ethernet/IPv4, request
		"00005e000107" + "0a000001" + // sender = VMAC, VIP
		"ffffffffffff" + "0a000001" // target = broadcast, VIP
	if fmt.Sprintf("%x", b) != want || len(b) != GARPLen {
		t.Fatalf("GARP = %x, want %s", b, want)
	}
}

func TestNALayout(t *testing.T) {
	mac := net.HardwareAddr{0x02, 0, 0, 0, 0x77, 0x01}
	vip := netip.MustParseAddr("fd00::1")
	for _, router := range []bool{false, true} {
		b, err := NA(mac, vip, router)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != NALen {
			t.Fatalf("len %d", len(b))
		}
		flags := byte(0x20)
		if router {
			flags |= 0x80
		}
		if b[14+6] != 58 || b[14+7] != 255 || b[14+40] != 136 || b[14+40+4] != flags ||
			b[14+40+24] != 2 || b[14+40+25] != 1 || !bytes.Equal(b[14+40+26:], mac) {
			t.Fatalf("router=%v: % x", router, b)
		}
		// The ICMPv6 checksum over the pseudo-header sums to 0xffff.
		if s := icmp6Sum(b[14+8:14+24], b[14+24:14+40], b[14+40:]); s != 0xffff {
			t.Fatalf("checksum sums to %#x", s)
		}
	}
}

func icmp6Sum(src, dst, msg []byte) uint16 {
	var s uint32
	add := func(b []byte) {
		for i := 0; i+1 < len(b); i += 2 {
			s += uint32(b[i])<<8 | uint32(b[i+1])
		}
		if len(b)%2 == 1 {
			s += uint32(b[len(b)-1]) << 8
		}
	}
	add(src)
	add(dst)
	s += uint32(len(msg)) + 58
	add(msg)
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

func TestFrameErrors(t *testing.T) {
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	if _, err := GARP(mac, netip.MustParseAddr("fd00::1")); err == nil {
		t.Error("GARP for IPv6 accepted")
	}
	if _, err := NA(mac, netip.MustParseAddr("10.0.0.1"), false); err == nil {
		t.Error("NA for IPv4 accepted")
	}
	if _, err := Frame(net.HardwareAddr{1, 2}, netip.MustParseAddr("10.0.0.1"), false); err == nil {
		t.Error("short MAC accepted")
	}
	if b, err := Frame(mac, netip.MustParseAddr("::ffff:10.0.0.1"), false); err != nil || len(b) != GARPLen {
		t.Errorf("IPv4-mapped address: %v, %d bytes", err, len(b))
	}
}

// TestLogLines checks our per-frame lines against keepalived's log of the
// capture run (its -D lines).
func TestLogLines(t *testing.T) {
	f, err := os.Open("testdata/keepalived-2.2.7.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "Sending ") {
			want[l] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("no Sending lines in the log")
	}
	got := map[string]bool{}
	for _, c := range []struct{ ifn, vip string }{
		{"kv0", "192.168.77.10"}, {"kv0", "10.77.0.1"}, {"kv0", "fd00:77::10"},
		{"kv0", "fd00:77::11"}, {"vrrp.53", "192.168.77.53"}, {"vrrp.54", "fd00:77::54"},
	} {
		l := SentLine(c.ifn, netip.MustParseAddr(c.vip))
		if !l.Detail {
			t.Errorf("%q is not a detail line", l.Text)
		}
		got[l.Text] = true
	}
	for l := range want {
		if !got[l] {
			t.Errorf("keepalived logged %q, we never do", l)
		}
	}
	for l := range got {
		if !want[l] {
			t.Errorf("we log %q, keepalived did not", l)
		}
	}
}
