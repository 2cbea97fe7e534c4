package vrrp

import (
	"bytes"
	"encoding/binary"
	"testing"
)

var ahAuth = &Options{Auth: NewAuth(AuthAH, "ahsecret")}

func v2AH() Packet {
	p := v2Pass()
	p.AuthType, p.AuthData = AuthAH, [AuthDataLen]byte{}
	p.AH.Seq = 9
	return p
}

func mustEncodeIPv4(t testing.TB, h IPv4Header, p Packet, opt *Options) []byte {
	t.Helper()
	b, err := EncodeIPv4(nil, &h, &p, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rehdr recomputes the IPv4 header checksum of a packet edited by a test.
func rehdr(b []byte) []byte {
	ihl := int(b[0]&0x0f) * 4
	binary.BigEndian.PutUint16(b[10:], ipv4HeaderChecksum(b[:ihl]))
	return b
}

// reicv recomputes the AH integrity check value (and header checksum).
func reicv(b []byte, key string) []byte {
	ihl := int(b[0]&0x0f) * 4
	icv, _ := computeICV(b, ihl, &NewAuth(AuthAH, key).Key)
	copy(b[ihl+12:], icv[:])
	return rehdr(b)
}

func TestDecodeIPv4Errors(t *testing.T) {
	hdr := NewIPv4Header(src4, Group4, 1)
	pass := &Options{Auth: NewAuth(AuthPass, "pw")}
	tests := []struct {
		name string
		pkt  func(t testing.TB) []byte
		opt  *Options
		want Error
	}{
		{"valid PASS", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v2Pass(), nil) }, pass, 0},
		{"valid AH", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v2AH(), ahAuth) }, ahAuth, 0},
		{"valid AH, not checked", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v2AH(), ahAuth) }, nil, 0},
		{"valid v3", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v3Four(), nil) }, nil, 0},
		{"valid, DF set", func(t testing.TB) []byte {
			h := hdr
			h.FragOff = 0x4000
			return mustEncodeIPv4(t, h, v3Four(), nil)
		}, nil, 0},
		{"valid, with IP options", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b = append(b[:20:20], append([]byte{1, 1, 1, 0}, b[20:]...)...) // NOP NOP NOP EOL
			b[0] = 0x46
			binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
			return rehdr(b)
		}, nil, 0},
		{"valid AH, with IP options", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b = append(b[:20:20], append([]byte{1, 1, 1, 0}, b[20:]...)...)
			b[0] = 0x46
			binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
			return reicv(b, "ahsecret")
		}, ahAuth, 0},
		{"19 bytes", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v3Four(), nil)[:19] }, nil, ErrTooShort},
		{"IPv6 version", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[0] = 0x65
			return rehdr(b)
		}, nil, ErrIPHeader},
		{"header length 16", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[0] = 0x44
			return b
		}, nil, ErrIPHeader},
		{"header longer than packet", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[0] = 0x4f
			return b
		}, nil, ErrIPHeader},
		{"bad header checksum", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[10] ^= 1
			return b
		}, nil, ErrIPHeader},
		{"more fragments", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[6] |= 0x20
			return rehdr(b)
		}, nil, ErrIPHeader},
		{"fragment offset", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[7] = 1
			return rehdr(b)
		}, nil, ErrIPHeader},
		{"UDP", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[9] = 17
			return rehdr(b)
		}, nil, ErrIPHeader},
		{"total length short of buffer", func(t testing.TB) []byte {
			return append(mustEncodeIPv4(t, hdr, v3Four(), nil), 0)
		}, nil, ErrLength},
		{"total length beyond buffer", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			return b[:len(b)-1]
		}, nil, ErrLength},
		{"AH cut", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)[:40]
			binary.BigEndian.PutUint16(b[2:], 40)
			return rehdr(b)
		}, nil, ErrTooShort},
		{"AH next header TCP", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[20] = 6
			return reicv(b, "ahsecret")
		}, ahAuth, ErrAHHeader},
		{"AH payload length 5", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[21] = 5
			return reicv(b, "ahsecret")
		}, ahAuth, ErrAHHeader},
		{"AH reserved bits ignored", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[22] = 0xff
			return reicv(b, "ahsecret")
		}, ahAuth, 0},
		{"AH SPI not the source", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[27] ^= 1
			return reicv(b, "ahsecret")
		}, ahAuth, ErrAHHeader},
		{"AH wrong key", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v2AH(), ahAuth) },
			&Options{Auth: NewAuth(AuthAH, "ahsecreT")}, ErrAuthMismatch},
		{"AH key differs past 8 bytes", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v2AH(), ahAuth) },
			&Options{Auth: NewAuth(AuthAH, "ahsecret-and-more")}, 0},
		{"AH TOS changed in transit", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[1] = 0
			return rehdr(b)
		}, ahAuth, 0},
		{"AH multicast TTL changed", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[8] = 254
			return rehdr(b)
		}, ahAuth, ErrAuthMismatch},
		{"AH unicast TTL changed", func(t testing.TB) []byte {
			h := NewIPv4Header(src4, uni4, 3)
			b := mustEncodeIPv4(t, h, v2AH(), ahAuth)
			b[8] = 64
			return rehdr(b)
		}, ahAuth, 0},
		{"AH sequence changed", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[31]++
			return b
		}, ahAuth, ErrAuthMismatch},
		{"AH address changed", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[20+AHLen+9]++
			return resumAt(b, 20+AHLen)
		}, ahAuth, ErrAuthMismatch},
		{"AH header, message PASS", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			b[20+AHLen+4] = byte(AuthPass)
			return resumAt(b, 20+AHLen)
		}, nil, ErrAuthType},
		{"AH message without AH header", func(t testing.TB) []byte {
			p := v2AH()
			p.AuthType = AuthNone
			b := mustEncodeIPv4(t, hdr, p, nil)
			b[20+4] = byte(AuthAH)
			return resumAt(b, 20)
		}, nil, ErrAuthType},
		{"AH before version 3", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v2AH(), ahAuth)
			m := mustEncode(t, ip4, v3Four(), nil)
			b = append(b[:20+AHLen], m...)
			binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
			return reicv(b, "ahsecret")
		}, nil, ErrAuthType},
		{"PASS, receiver AH", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v2Pass(), nil) }, ahAuth, ErrAuthType},
		{"AH, receiver PASS", func(t testing.TB) []byte { return mustEncodeIPv4(t, hdr, v2AH(), ahAuth) }, pass, ErrAuthType},
		{"v3 checksum against the header's addresses", func(t testing.TB) []byte {
			b := mustEncodeIPv4(t, hdr, v3Four(), nil)
			b[19] = 19 // 224.0.0.19
			return rehdr(b)
		}, nil, ErrChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Packet
			var h IPv4Header
			err := DecodeIPv4(tt.pkt(t), &h, &p, tt.opt)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if err != tt.want {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// resumAt recomputes the checksum of the version 2 message at off.
func resumAt(b []byte, off int) []byte {
	resum(b[off:], IP{})
	return b
}

func TestEncodeIPv4(t *testing.T) {
	h := IPv4Header{TOS: 0x10, ID: 0xbeef, FragOff: 0x4000, TTL: 7, Src: src4, Dst: uni4,
		HeaderLen: 60, TotalLen: 1, Protocol: 6, Checksum: 1} // the last four are ignored
	b := mustEncodeIPv4(t, h, v2AH(), ahAuth)
	want := []byte{0x45, 0x10, 0, 20 + 24 + 24, 0xbe, 0xef, 0x40, 0, 7, ProtocolAH}
	if !bytes.Equal(b[:10], want) || len(b) != 68 || !bytes.Equal(b[12:20], []byte{192, 0, 2, 1, 192, 0, 2, 2}) {
		t.Fatalf("header %x", b[:20])
	}
	if !bytes.Equal(b[20:32], []byte{ProtocolVRRP, 4, 0, 0, 192, 0, 2, 1, 0, 0, 0, 9}) {
		t.Fatalf("AH %x", b[20:44])
	}
	var p Packet
	var d IPv4Header
	if err := DecodeIPv4(b, &d, &p, ahAuth); err != nil {
		t.Fatal(err)
	}
	if d.TOS != 0x10 || d.ID != 0xbeef || d.FragOff != 0x4000 || d.TTL != 7 || d.Protocol != ProtocolAH ||
		d.TotalLen != 68 || d.HeaderLen != 20 || d.Src != src4 || d.Dst != uni4 || p.AH.Seq != 9 {
		t.Fatalf("decoded %+v %+v", d, p.AH)
	}

	tests := []struct {
		name string
		h    IPv4Header
		p    Packet
		opt  *Options
		want Error
	}{
		{"AH without key", h, v2AH(), nil, ErrAuthType},
		{"AH with PASS key", h, v2AH(), &Options{Auth: NewAuth(AuthPass, "x")}, ErrAuthType},
		{"IPv6 source", IPv4Header{Src: src6, Dst: Group4}, v3Four(), nil, ErrAddrFamily},
		{"no destination", IPv4Header{Src: src4}, v2Pass(), nil, ErrAddrFamily},
		{"bad packet", h, Packet{Version: 2}, nil, ErrType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := EncodeIPv4([]byte{9}, &tt.h, &tt.p, tt.opt)
			if err != tt.want || !bytes.Equal(out, []byte{9}) {
				t.Fatalf("got %v %x, want %v", err, out, tt.want)
			}
		})
	}
}
