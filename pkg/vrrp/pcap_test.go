package vrrp

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
)

// capture is one VRRP packet read from a golden pcap file.
type capture struct {
	family Family
	ip     []byte // IPv4: the whole IPv4 packet; IPv6: nil
	msg    []byte // IPv6: the VRRP message; IPv4: nil
	src    netip.Addr
	dst    netip.Addr
	ttl    uint8 // IPv4 TTL or IPv6 hop limit
	tclass uint8 // IPv4 TOS or IPv6 traffic class
}

// readPcap reads the VRRP packets of a classic pcap file with Ethernet link
// type, as tcpdump -w writes it.
func readPcap(path string) ([]capture, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 24 {
		return nil, fmt.Errorf("%s: no pcap header", path)
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		bo = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("%s: not a pcap file", path)
	}
	if lt := bo.Uint32(b[20:]); lt != 1 {
		return nil, fmt.Errorf("%s: link type %d, want Ethernet", path, lt)
	}
	var out []capture
	for r := b[24:]; len(r) > 0; {
		if len(r) < 16 {
			return nil, fmt.Errorf("%s: truncated record header", path)
		}
		n := int(bo.Uint32(r[8:]))
		if len(r) < 16+n {
			return nil, fmt.Errorf("%s: truncated record", path)
		}
		frame := r[16 : 16+n]
		r = r[16+n:]
		c, err := parseFrame(frame)
		if err != nil {
			return nil, fmt.Errorf("%s: packet %d: %v", path, len(out)+1, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// parseFrame cuts the IP packet out of an Ethernet frame (padding dropped).
func parseFrame(f []byte) (capture, error) {
	if len(f) < 14 {
		return capture{}, fmt.Errorf("short frame")
	}
	p := f[14:]
	switch binary.BigEndian.Uint16(f[12:]) {
	case 0x0800:
		if len(p) < 20 {
			return capture{}, fmt.Errorf("short IPv4 packet")
		}
		tot := int(binary.BigEndian.Uint16(p[2:]))
		if tot > len(p) {
			return capture{}, fmt.Errorf("IPv4 packet cut")
		}
		p = p[:tot]
		return capture{family: IPv4, ip: p, ttl: p[8], tclass: p[1],
			src: netip.AddrFrom4([4]byte(p[12:])), dst: netip.AddrFrom4([4]byte(p[16:]))}, nil
	case 0x86dd:
		if len(p) < 40 {
			return capture{}, fmt.Errorf("short IPv6 packet")
		}
		pl := int(binary.BigEndian.Uint16(p[4:]))
		if p[6] != ProtocolVRRP || 40+pl > len(p) {
			return capture{}, fmt.Errorf("IPv6 packet not VRRP or cut")
		}
		tc := uint8(binary.BigEndian.Uint16(p[0:]) >> 4)
		return capture{family: IPv6, msg: p[40 : 40+pl], ttl: p[7], tclass: tc,
			src: netip.AddrFrom16([16]byte(p[8:])), dst: netip.AddrFrom16([16]byte(p[24:]))}, nil
	}
	return capture{}, fmt.Errorf("ethertype %#04x", binary.BigEndian.Uint16(f[12:]))
}
