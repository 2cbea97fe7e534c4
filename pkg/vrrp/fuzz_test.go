package vrrp

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/fuzz/FuzzDecode from the golden captures")

// fuzzMode is one way FuzzDecode reads its input, chosen by the mode byte.
type fuzzMode struct {
	whole bool // DecodeIPv4 of a whole IPv4 packet; else Decode of a message
	ip    IP   // the IP facts of a message
	opt   *Options
}

var fuzzModes = []fuzzMode{
	{whole: true},
	{whole: true, opt: &Options{Auth: NewAuth(AuthAH, "ahsecret"), AcceptOldUnicastChecksum: true}},
	{whole: true, opt: &Options{Auth: NewAuth(AuthPass, "secret7")}},
	{ip: IP{Family: IPv4, Src: src4, Dst: Group4}},
	{ip: IP{Family: IPv4, Src: src4, Dst: uni4}, opt: &Options{AcceptOldUnicastChecksum: true}},
	{ip: IP{Family: IPv4, Src: src4, Dst: Group4}, opt: &Options{Checksum: ChecksumV3AsV2}},
	{ip: IP{Family: IPv6, Src: src6, Dst: Group6}},
	{ip: IP{Family: IPv6, Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2")}},
	{ip: IP{Family: IPv4}, opt: &Options{SkipChecksum: true}},
	{ip: IP{Family: IPv6, Src: src6, Dst: Group6}, opt: &Options{SkipChecksum: true}},
}

// FuzzDecode: no input panics; every refusal is an Error; every accepted
// input encodes back to the same bytes (a checksum of 0xffff may come back
// as its one's complement twin 0x0000) and decodes again to the same
// values.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, mode byte) {
		m := fuzzModes[int(mode)%len(fuzzModes)]
		if m.whole {
			fuzzWhole(t, data, m.opt)
		} else {
			fuzzMessage(t, data, m.ip, m.opt)
		}
	})
}

func fuzzMessage(t *testing.T, data []byte, ip IP, opt *Options) {
	var p Packet
	err := Decode(data, ip, &p, opt)
	if err != nil {
		if _, ok := err.(Error); !ok {
			t.Fatalf("error %v is not an Error", err)
		}
		return
	}
	o := Options{Checksum: p.ChecksumKind}
	if opt != nil {
		o.Auth, o.AcceptOldUnicastChecksum = opt.Auth, opt.AcceptOldUnicastChecksum
	}
	skip := opt != nil && opt.SkipChecksum
	if skip && ip.Family == IPv4 && !ip.Src.IsValid() {
		o.Checksum = ChecksumV3AsV2 // the only sum without addresses
	}
	enc, err := Encode(nil, ip, &p, &o)
	if err != nil {
		t.Fatalf("accepted %+v does not encode: %v", p, err)
	}
	if !sameBytes(enc, data, skip, 6) {
		t.Fatalf("re-encoded\n %x\nfrom\n %x", enc, data)
	}
	var q Packet
	if err := Decode(enc, ip, &q, &o); err != nil {
		t.Fatalf("re-encoded %x refused: %v", enc, err)
	}
	p.Checksum = binary.BigEndian.Uint16(enc[6:])
	if skip {
		p.ChecksumKind = q.ChecksumKind
	}
	if !samePacket(&p, &q) {
		t.Fatalf("decoded again\n %+v\nwant\n %+v", q, p)
	}
}

func fuzzWhole(t *testing.T, data []byte, opt *Options) {
	var p Packet
	var h IPv4Header
	err := DecodeIPv4(data, &h, &p, opt)
	if err != nil {
		if _, ok := err.(Error); !ok {
			t.Fatalf("error %v is not an Error", err)
		}
		return
	}
	off := h.HeaderLen
	if p.AH.Present {
		off += AHLen
	}
	o := Options{Checksum: p.ChecksumKind}
	if opt != nil {
		o.Auth = opt.Auth
	}
	ip := IP{Family: IPv4, Src: h.Src, Dst: h.Dst}
	enc, err := Encode(nil, ip, &p, &o)
	if err != nil || !sameBytes(enc, data[off:], false, 6) {
		t.Fatalf("message re-encoded %x, %v\nfrom %x", enc, err, data[off:])
	}
	// The whole packet, when it has no IP options and the AH key is known,
	// and its ICV did not cover a checksum of 0xffff, which comes back 0.
	if h.HeaderLen != IPv4HeaderLen ||
		p.AH.Present && (opt == nil || opt.Auth == nil || !bytes.Equal(enc, data[off:])) {
		return
	}
	enc, err = EncodeIPv4(nil, &h, &p, &o)
	if err != nil || !sameBytes(enc, data, false, 10, off+6) {
		t.Fatalf("packet re-encoded %x, %v\nfrom %x", enc, err, data)
	}
	var q Packet
	var g IPv4Header
	if err := DecodeIPv4(enc, &g, &q, &o); err != nil {
		t.Fatalf("re-encoded %x refused: %v", enc, err)
	}
	p.Checksum = q.Checksum
	if !samePacket(&p, &q) {
		t.Fatalf("decoded again %+v\nwant %+v", q, p)
	}
}

// sameBytes compares a and b, allowing at each 16-bit checksum offset in
// sums the one difference one's complement allows (0xffff received, 0x0000
// computed), or any difference there when anySum.
func sameBytes(a, b []byte, anySum bool, sums ...int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		at := -1
		for _, s := range sums {
			if i == s || i == s+1 {
				at = s
			}
		}
		if at < 0 {
			return false
		}
		x, y := binary.BigEndian.Uint16(a[at:]), binary.BigEndian.Uint16(b[at:])
		if !anySum && !(x == 0 && y == 0xffff || x == 0xffff && y == 0) {
			return false
		}
	}
	return true
}

// seed is one committed FuzzDecode input.
type seed struct {
	name string
	data []byte
	mode byte
}

// fuzzSeeds returns the golden packets (an advert and the priority-0
// advert), each in the modes that accept it, and mutations of some of them
// that reach every Error.
func fuzzSeeds(t testing.TB) []seed {
	modes := map[string][]byte{
		"v2-pass": {0, 2, 3}, "v2-none": {0, 3, 8}, "v2-ah": {0, 1}, "v2-ah-unicast": {0, 1},
		"v2-unicast": {0, 4}, "v3-ipv4": {0, 3, 5}, "v3-ipv6": {6, 9}, "v3-unicast": {0, 1, 4},
		"v3-unicast-old": {1, 4}, "v3-ipv6-unicast": {7},
	}
	mutate := map[string]bool{"v2-pass": true, "v2-none": true, "v2-ah": true, "v3-ipv4": true,
		"v3-unicast-old": true, "v3-ipv6": true}
	var out []seed
	for _, g := range goldenCases {
		caps := loadGolden(t, g.name)
		for _, mode := range modes[g.name] {
			m := fuzzModes[mode]
			for i, c := range []capture{caps[0], caps[len(caps)-1]} {
				b := c.msg
				if m.whole {
					b = c.ip
				} else if c.family == IPv4 {
					b = c.ip[20:]
				}
				if c.family == IPv4 && b[0]>>4 == 4 && c.ip[9] == ProtocolAH && !m.whole {
					continue
				}
				out = append(out, seed{fmt.Sprintf("%s-m%d-p%d", g.name, mode, i), b, mode})
				if i > 0 || !mutate[g.name] || mode != modes[g.name][0] && mode != 8 && mode != 9 {
					continue
				}
				for _, mu := range mutations(b, m.whole, m.ip, m.opt == nil || !m.opt.SkipChecksum) {
					out = append(out, seed{fmt.Sprintf("%s-m%d-%s", g.name, mode, mu.name), mu.data, mode})
				}
			}
		}
	}
	return out
}

type mutation struct {
	name string
	data []byte
}

// mutations returns b cut short, with a byte appended, and with bits
// flipped (0x01 and 0x40 of a byte); when fix, the flips also come with
// their checksums fixed, so that the checks after the checksum see them.
func mutations(b []byte, whole bool, ip IP, fix bool) []mutation {
	var out []mutation
	cp := func(name string, f func(c []byte) []byte) {
		out = append(out, mutation{name, f(append([]byte(nil), b...))})
	}
	cut := []int{0, 1, 7, 8, len(b) - 1}
	flip := []int{0, 1, 2, 3, 4, 5, 8, len(b) - 1}
	if whole {
		cut = []int{0, 19, 20, 27, 43, len(b) - 1}
		flip = []int{0, 1, 6, 9, 20, 23, 24, 27, 40, len(b) - 1}
	}
	for _, n := range cut {
		if n >= 0 && n < len(b) {
			cp(fmt.Sprintf("cut%d", n), func(c []byte) []byte { return c[:n] })
		}
	}
	cp("append", func(c []byte) []byte { return append(c, 0) })
	for _, i := range flip {
		if i >= len(b) {
			continue
		}
		for _, mask := range []byte{0x01, 0x40} {
			if mask == 0x01 || !fix {
				cp(fmt.Sprintf("flip%d-%02x", i, mask), func(c []byte) []byte { c[i] ^= mask; return c })
			}
			if fix {
				cp(fmt.Sprintf("flip%d-%02x-fixed", i, mask), func(c []byte) []byte {
					c[i] ^= mask
					return fixSums(c, whole, ip)
				})
			}
		}
	}
	return out
}

// fixSums recomputes the IPv4 header checksum and the VRRP checksum (with
// the standard kind) of a mutated input, where it can.
func fixSums(c []byte, whole bool, ip IP) []byte {
	if !whole {
		return resum(c, ip)
	}
	ihl := int(c[0]&0x0f) * 4
	if ihl < 20 || ihl > len(c) {
		return c
	}
	rehdr(c)
	h := IP{Family: IPv4, Src: netip.AddrFrom4([4]byte(c[12:])), Dst: netip.AddrFrom4([4]byte(c[16:]))}
	if c[9] == ProtocolVRRP && len(c) > ihl {
		resum(c[ihl:], h)
	}
	return c
}

// corpusFile renders a seed in the format of go test's fuzz cache.
func corpusFile(s seed) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\nbyte(%q)\n", s.data, s.mode)
}

// TestFuzzCorpus: the committed seed corpus is the one fuzzSeeds makes
// (go test -run TestFuzzCorpus -update-corpus rewrites it).
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	seeds := fuzzSeeds(t)
	if *updateCorpus {
		// Inputs the fuzzer found (named by their hash) stay.
		old, _ := filepath.Glob(filepath.Join(dir, "v[23]-*"))
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	accepted := 0
	reached := map[Error]bool{}
	for _, s := range seeds {
		path := filepath.Join(dir, s.name)
		want := corpusFile(s)
		if *updateCorpus {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: missing or stale (%v): run go test -run TestFuzzCorpus -update-corpus", path, err)
		}
		m := fuzzModes[s.mode]
		var p Packet
		var h IPv4Header
		var err error
		if m.whole {
			err = DecodeIPv4(s.data, &h, &p, m.opt)
		} else {
			err = Decode(s.data, m.ip, &p, m.opt)
		}
		if err == nil {
			accepted++
		}
		reached[ReasonOf(err)] = true
	}
	if accepted < 20 || accepted == len(seeds) {
		t.Errorf("%d of %d seeds accepted: want both kinds", accepted, len(seeds))
	}
	for _, e := range Errors() {
		if !reached[e] && e != ErrAddrFamily { // ErrAddrFamily: encode only
			t.Errorf("no seed is refused with %v", e)
		}
	}
}
