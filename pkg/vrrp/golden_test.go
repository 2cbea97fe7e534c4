package vrrp

import (
	"bytes"
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"
)

// goldenCase is what a golden capture must decode to: the values of its
// configuration in testdata/golden/<name>.conf, written down by hand.
type goldenCase struct {
	name     string
	version  uint8
	family   Family
	vrid     uint8
	priority uint8 // of every advert but the last, which has priority 0
	interval uint16
	auth     AuthType
	password string
	addrs    []string
	src, dst string
	ttl      uint8 // IPv4 TTL or IPv6 hop limit seen on the wire
	checksum ChecksumKind
}

var goldenCases = []goldenCase{
	{name: "v2-pass", version: 2, family: IPv4, vrid: 51, priority: 150, interval: 1,
		auth: AuthPass, password: "secret7", addrs: []string{"192.0.2.100", "192.0.2.101"},
		src: "192.0.2.1", dst: "224.0.0.18", ttl: 255},
	{name: "v2-none", version: 2, family: IPv4, vrid: 52, priority: 255, interval: 1,
		auth: AuthNone, addrs: []string{"192.0.2.102"},
		src: "192.0.2.1", dst: "224.0.0.18", ttl: 255},
	{name: "v2-ah", version: 2, family: IPv4, vrid: 53, priority: 120, interval: 1,
		auth: AuthAH, password: "ahsecret", addrs: []string{"192.0.2.103"},
		src: "192.0.2.1", dst: "224.0.0.18", ttl: 255},
	{name: "v2-ah-unicast", version: 2, family: IPv4, vrid: 54, priority: 110, interval: 1,
		auth: AuthAH, password: "unisec", addrs: []string{"192.0.2.104"},
		src: "192.0.2.1", dst: "192.0.2.2", ttl: 255},
	{name: "v2-unicast", version: 2, family: IPv4, vrid: 55, priority: 100, interval: 2,
		auth: AuthPass, password: "12345678", addrs: []string{"192.0.2.105"},
		src: "192.0.2.1", dst: "192.0.2.2", ttl: 255},
	{name: "v3-ipv4", version: 3, family: IPv4, vrid: 56, priority: 200, interval: 50,
		addrs: []string{"192.0.2.106", "192.0.2.107", "198.51.100.7"},
		src:   "192.0.2.1", dst: "224.0.0.18", ttl: 255},
	{name: "v3-ipv6", version: 3, family: IPv6, vrid: 57, priority: 100, interval: 100,
		addrs: []string{"2001:db8::100", "2001:db8::101"},
		src:   "fe80::ff:fe00:a", dst: "ff02::12", ttl: 255},
	{name: "v3-unicast", version: 3, family: IPv4, vrid: 58, priority: 90, interval: 100,
		addrs: []string{"192.0.2.108"},
		src:   "192.0.2.1", dst: "192.0.2.2", ttl: 255},
	{name: "v3-unicast-old", version: 3, family: IPv4, vrid: 59, priority: 100, interval: 100,
		addrs: []string{"192.0.2.109"},
		src:   "192.0.2.1", dst: "192.0.2.2", ttl: 255, checksum: ChecksumOldUnicast},
	// keepalived leaves an IPv6 unicast advert's hop limit to the kernel.
	{name: "v3-ipv6-unicast", version: 3, family: IPv6, vrid: 60, priority: 100, interval: 100,
		addrs: []string{"2001:db8::110"},
		src:   "2001:db8::1", dst: "2001:db8::2", ttl: 64},
}

// options returns the Options of the capture's keepalived configuration.
func (g *goldenCase) options() *Options {
	o := &Options{Checksum: g.checksum}
	if g.version == Version2 {
		o.Auth = NewAuth(g.auth, g.password)
	}
	return o
}

func loadGolden(t testing.TB, name string) []capture {
	t.Helper()
	caps, err := readPcap(filepath.Join("testdata", "golden", name+".pcap"))
	if err != nil {
		t.Fatal(err)
	}
	if len(caps) < 2 {
		t.Fatalf("%s: %d packets, want adverts and a priority-0 advert", name, len(caps))
	}
	return caps
}

// TestGoldenDecode: every captured packet decodes, checksum and
// authentication verified, to the values of its configuration.
func TestGoldenDecode(t *testing.T) {
	for _, g := range goldenCases {
		t.Run(g.name, func(t *testing.T) {
			caps := loadGolden(t, g.name)
			var lastSeq uint32
			for i, c := range caps {
				var p Packet
				var h IPv4Header
				if c.family != g.family {
					t.Fatalf("packet %d: family %v, want %v", i, c.family, g.family)
				}
				var err error
				if g.family == IPv4 {
					err = DecodeIPv4(c.ip, &h, &p, g.options())
				} else {
					err = Decode(c.msg, IP{Family: IPv6, Src: c.src, Dst: c.dst}, &p, g.options())
				}
				if err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
				want := g.priority
				if i == len(caps)-1 {
					want = 0 // sent on SIGTERM while MASTER
				}
				checkFields(t, i, &g, &p, want)
				if c.src != netip.MustParseAddr(g.src) || c.dst != netip.MustParseAddr(g.dst) || c.ttl != g.ttl {
					t.Errorf("packet %d: %v > %v ttl %d, want %s > %s ttl %d", i, c.src, c.dst, c.ttl, g.src, g.dst, g.ttl)
				}
				if c.tclass != TOSInternetControl {
					t.Errorf("packet %d: TOS/class %#x, want 0xc0", i, c.tclass)
				}
				if g.family == IPv4 {
					if h.Src != c.src || h.Dst != c.dst || h.TTL != c.ttl || h.HeaderLen != 20 {
						t.Errorf("packet %d: header %+v", i, h)
					}
				}
				if g.auth == AuthAH {
					if !p.AH.Present || p.AH.NextHeader != ProtocolVRRP || p.AH.PayloadLen != 4 ||
						p.AH.SPI != 0xc0000201 || p.AH.Seq <= lastSeq {
						t.Errorf("packet %d: AH %+v after sequence %d", i, p.AH, lastSeq)
					}
					lastSeq = p.AH.Seq
				} else if p.AH.Present {
					t.Errorf("packet %d: unexpected AH", i)
				}
			}
		})
	}
}

func checkFields(t *testing.T, i int, g *goldenCase, p *Packet, prio uint8) {
	t.Helper()
	var addrs []netip.Addr
	for _, a := range g.addrs {
		addrs = append(addrs, netip.MustParseAddr(a))
	}
	var data [AuthDataLen]byte
	if g.auth == AuthPass {
		copy(data[:], g.password)
	}
	if p.Version != g.version || p.Type != TypeAdvertisement || p.VRID != g.vrid ||
		p.Priority != prio || p.AdvertInterval != g.interval || p.AuthType != g.auth ||
		p.Reserved != 0 || p.ChecksumKind != g.checksum || int(p.CountAddrs) != len(addrs) ||
		!slices.Equal(p.Addrs, addrs) || p.AuthData != data {
		t.Errorf("packet %d: got %+v\nwant version %d vrid %d prio %d interval %d auth %v addrs %v checksum %v",
			i, *p, g.version, g.vrid, prio, g.interval, g.auth, addrs, g.checksum)
	}
}

// TestGoldenEncode: encoding the decoded values gives back the captured
// bytes exactly, the IPv4 header, AH header and ICV included.
func TestGoldenEncode(t *testing.T) {
	for _, g := range goldenCases {
		t.Run(g.name, func(t *testing.T) {
			caps := loadGolden(t, g.name)
			for i, c := range caps {
				want := g.priority
				if i == len(caps)-1 {
					want = 0
				}
				// Built from the configuration, not from the decoder.
				p := Packet{Version: g.version, Type: TypeAdvertisement, VRID: g.vrid,
					Priority: want, AdvertInterval: g.interval, AuthType: g.auth}
				for _, a := range g.addrs {
					p.Addrs = append(p.Addrs, netip.MustParseAddr(a))
				}
				if g.auth == AuthPass {
					copy(p.AuthData[:], g.password)
				}
				if g.family == IPv6 {
					got, err := Encode(nil, IP{Family: IPv6, Src: c.src, Dst: c.dst}, &p, g.options())
					if err != nil {
						t.Fatalf("packet %d: %v", i, err)
					}
					if !bytes.Equal(got, c.msg) {
						t.Fatalf("packet %d:\n got %x\nwant %x", i, got, c.msg)
					}
					continue
				}
				// The per-packet facts keepalived varies: IP ID, AH sequence.
				var h IPv4Header
				var d Packet
				if err := DecodeIPv4(c.ip, &h, &d, g.options()); err != nil {
					t.Fatal(err)
				}
				p.AH.Seq = d.AH.Seq
				hdr := NewIPv4Header(c.src, c.dst, h.ID)
				got, err := EncodeIPv4(nil, &hdr, &p, g.options())
				if err != nil {
					t.Fatalf("packet %d: %v", i, err)
				}
				if !bytes.Equal(got, c.ip) {
					t.Fatalf("packet %d:\n got %x\nwant %x", i, got, c.ip)
				}
				if g.auth != AuthAH {
					// The message alone, as Decode/Encode see an IP payload.
					ip := IP{Src: c.src, Dst: c.dst}
					msg, err := Encode(nil, ip, &p, g.options())
					if err != nil || !bytes.Equal(msg, c.ip[20:]) {
						t.Fatalf("packet %d: message %x, %v; want %x", i, msg, err, c.ip[20:])
					}
					var q Packet
					if err := Decode(msg, ip, &q, g.options()); err != nil {
						t.Fatalf("packet %d: decode of the message: %v", i, err)
					}
				}
			}
		})
	}
}

// TestGoldenRefused: the captures fail the checks they should fail when the
// receiver is configured differently.
func TestGoldenRefused(t *testing.T) {
	wrongPass := func(g *goldenCase) *Options { o := g.options(); o.Auth = NewAuth(g.auth, "wrong"); return o }
	tests := []struct {
		golden string
		opt    func(g *goldenCase) *Options
		want   Error
	}{
		{"v2-pass", wrongPass, ErrAuthMismatch},
		{"v2-unicast", wrongPass, ErrAuthMismatch},
		{"v2-ah", wrongPass, ErrAuthMismatch},
		{"v2-ah-unicast", wrongPass, ErrAuthMismatch},
		{"v2-pass", func(*goldenCase) *Options { return &Options{Auth: NewAuth(AuthNone, "")} }, ErrAuthType},
		{"v2-none", func(*goldenCase) *Options { return &Options{Auth: NewAuth(AuthPass, "secret7")} }, ErrAuthType},
		{"v2-ah", func(*goldenCase) *Options { return &Options{Auth: NewAuth(AuthPass, "ahsecret")} }, ErrAuthType},
		{"v3-ipv4", func(*goldenCase) *Options { return &Options{Checksum: ChecksumV3AsV2} }, ErrChecksum},
		{"v3-unicast", func(*goldenCase) *Options { return &Options{Checksum: ChecksumOldUnicast} }, ErrChecksum},
		{"v3-unicast-old", func(*goldenCase) *Options { return &Options{} }, ErrChecksum},
		{"v3-unicast-old", func(*goldenCase) *Options {
			return &Options{AcceptOldUnicastChecksum: true, Group4: netip.MustParseAddr("224.0.0.19")}
		}, ErrChecksum},
	}
	for _, tt := range tests {
		g := goldenByName(t, tt.golden)
		t.Run(tt.golden+"/"+tt.want.String(), func(t *testing.T) {
			c := loadGolden(t, g.name)[0]
			var p Packet
			var h IPv4Header
			err := DecodeIPv4(c.ip, &h, &p, tt.opt(g))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestGoldenOldUnicastAccepted: keepalived's default receiver accepts the
// old unicast checksum and reports it, so the caller can switch to it.
func TestGoldenOldUnicastAccepted(t *testing.T) {
	for _, name := range []string{"v3-unicast-old", "v3-unicast"} {
		c := loadGolden(t, name)[0]
		var p Packet
		var h IPv4Header
		err := DecodeIPv4(c.ip, &h, &p, &Options{AcceptOldUnicastChecksum: true})
		want := ChecksumStandard
		if name == "v3-unicast-old" {
			want = ChecksumOldUnicast
		}
		if err != nil || p.ChecksumKind != want {
			t.Errorf("%s: %v, kind %v, want %v", name, err, p.ChecksumKind, want)
		}
	}
}

func goldenByName(t testing.TB, name string) *goldenCase {
	for i := range goldenCases {
		if goldenCases[i].name == name {
			return &goldenCases[i]
		}
	}
	t.Fatalf("no golden %s", name)
	return nil
}
