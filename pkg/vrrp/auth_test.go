package vrrp

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
)

func TestNewAuth(t *testing.T) {
	tests := []struct {
		pass string
		want [AuthDataLen]byte
	}{
		{"", [8]byte{}},
		{"pw", [8]byte{'p', 'w'}},
		{"12345678", [8]byte{'1', '2', '3', '4', '5', '6', '7', '8'}},
		{"123456789", [8]byte{'1', '2', '3', '4', '5', '6', '7', '8'}}, // cut to 8
	}
	for _, tt := range tests {
		if a := NewAuth(AuthPass, tt.pass); a.Key != tt.want || a.Type != AuthPass {
			t.Errorf("%q: %+v", tt.pass, a)
		}
	}
}

// TestComputeICV: computeICV is HMAC-MD5 (RFC 2104, via crypto/hmac here)
// keyed with the 8 padded bytes, over the packet with type of service,
// flags and offset, header checksum and ICV zeroed, and the TTL too when
// the destination is unicast.
func TestComputeICV(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		dst := Group4
		if i%2 == 1 {
			dst = uni4
		}
		h := IPv4Header{TOS: uint8(r.Uint32()), ID: uint16(r.Uint32()), FragOff: uint16(r.Uint32()),
			TTL: uint8(r.Uint32()), Src: src4, Dst: dst}
		p := v2AH()
		p.VRID, p.AH.Seq = uint8(i), r.Uint32()
		for range r.IntN(30) {
			p.Addrs = append(p.Addrs, netip.AddrFrom4([4]byte{10, 1, uint8(r.Uint32()), uint8(r.Uint32())}))
		}
		pass := fmt.Sprintf("k%d", r.IntN(1e6))
		pkt := mustEncodeIPv4(t, h, p, &Options{Auth: NewAuth(AuthAH, pass)})

		z := append([]byte(nil), pkt...)
		z[1], z[6], z[7], z[10], z[11] = 0, 0, 0, 0, 0
		if dst == uni4 {
			z[8] = 0
		}
		clear(z[32:44])
		key := NewAuth(AuthAH, pass).Key
		m := hmac.New(md5.New, key[:])
		m.Write(z)
		if want := m.Sum(nil)[:ICVLen]; !bytes.Equal(pkt[32:44], want) {
			t.Fatalf("%d: ICV %x, want %x", i, pkt[32:44], want)
		}
	}

	key := NewAuth(AuthAH, "x").Key
	if _, ok := computeICV(make([]byte, maxAHPacket+1), 20, &key); ok {
		t.Fatal("oversized packet accepted")
	}
}

func TestAuthTypeString(t *testing.T) {
	for a, want := range map[AuthType]string{AuthNone: "none", AuthPass: "PASS", AuthAH: "AH", 3: "unknown"} {
		if got := a.String(); got != want {
			t.Errorf("%d: %q, want %q", a, got, want)
		}
	}
	if IPv4.String() != "IPv4" || IPv6.String() != "IPv6" || Family(0).String() != "unknown" {
		t.Error("Family.String")
	}
}
