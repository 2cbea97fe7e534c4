package interop

import (
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// TestVariantConfs: each variant's files say what the variant claims, as
// our reader (which matches keepalived 2.2.7's verdicts) reads them —
// no root needed.
func TestVariantConfs(t *testing.T) {
	for _, v := range variants {
		for i, state := range []string{"MASTER", "BACKUP"} {
			src := v.conf(i, state, prioHigh-20*i)
			cfg, diags := config.Parse("keepalived.conf", []byte(src),
				config.Options{Host: config.FakeHost{Interfaces: []string{"eth0"}}})
			if diags.HasErrors() || len(cfg.Instances) != 1 {
				t.Fatalf("%s r%d: %v\n%s", v.name, i+1, diags, src)
			}
			in := cfg.Instances[0]
			family := "inet"
			if v.ipv6 {
				family = "inet6"
			}
			auth := ""
			if v.auth {
				auth = "PASS"
			}
			peers := 0
			if v.unicast {
				peers = 1
			}
			switch {
			case in.Version != v.version:
				t.Errorf("%s: VRRPv%d, want v%d", v.name, in.Version, v.version)
			case in.Family != family:
				t.Errorf("%s: family %s, want %s", v.name, in.Family, family)
			case time.Duration(in.AdvertIntUsec)*time.Microsecond != v.advert:
				t.Errorf("%s: advert_int %dµs, want %v", v.name, in.AdvertIntUsec, v.advert)
			case in.Auth.Type != auth:
				t.Errorf("%s: auth %q, want %q", v.name, in.Auth.Type, auth)
			case len(in.UnicastPeers) != peers:
				t.Errorf("%s: %d unicast peers, want %d", v.name, len(in.UnicastPeers), peers)
			case len(in.VIPs) != 1 || in.VIPs[0].Prefix.Addr().String() != v.vip:
				t.Errorf("%s: VIPs %v, want %s", v.name, in.VIPs, v.vip)
			}
		}
	}
}

// TestTimers: RFC 3768 §6.1 / RFC 5798 §6.1 arithmetic of the bounds the
// network tests use.
func TestTimers(t *testing.T) {
	v2, v3 := variants[0], variants[2]
	for _, tc := range []struct {
		got, want time.Duration
	}{
		{v2.skew(80), 687500 * time.Microsecond},     // (256-80)/256 s
		{v2.down(80), 3687500 * time.Microsecond},    // 3 s + skew
		{v2.down(100), 3609375 * time.Microsecond},   // 3 s + 156/256 s
		{v3.skew(80), 343750 * time.Microsecond},     // (176 × 0.5 s)/256
		{v3.down(100), 1804687500 * time.Nanosecond}, // 1.5 s + (156 × 0.5 s)/256
	} {
		if tc.got != tc.want {
			t.Errorf("got %v, want %v", tc.got, tc.want)
		}
	}
}

// TestParseWire: tcpdump -e -vv lines as captured from both
// implementations reduce to the variants' shapes; anything else tcpdump
// says (a bad checksum, another TTL) makes them differ.
func TestParseWire(t *testing.T) {
	v2, v6 := variants[0], variants[3]
	for _, tc := range []struct {
		name, line string
		want       string // the variant's wire, or "" when it must differ
		src, dst   string
	}{
		{
			name: "v2",
			line: `18:31:12.334365 96:3d:dd:b4:7e:9b > 01:00:5e:00:00:12, ethertype IPv4 (0x0800), length 54: (tos 0xc0, ttl 255, id 1, offset 0, flags [none], proto VRRP (112), length 40) 192.168.0.162 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 100, authtype simple, intvl 1s, length 20, addrs: 192.168.0.248 auth "1111"`,
			want: v2.wire, src: "192.168.0.162", dst: "224.0.0.18",
		},
		{
			name: "v2-prio0",
			line: `18:31:18.520258 96:3d:dd:b4:7e:9b > 01:00:5e:00:00:12, ethertype IPv4 (0x0800), length 54: (tos 0xc0, ttl 255, id 8, offset 0, flags [none], proto VRRP (112), length 40) 192.168.0.162 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 0, authtype simple, intvl 1s, length 20, addrs: 192.168.0.248 auth "1111"`,
			want: v2.wire, src: "192.168.0.162", dst: "224.0.0.18",
		},
		{
			name: "v2-bad-checksum",
			line: `18:31:12.334365 96:3d:dd:b4:7e:9b > 01:00:5e:00:00:12, ethertype IPv4 (0x0800), length 54: (tos 0xc0, ttl 255, id 1, offset 0, flags [none], proto VRRP (112), length 40) 192.168.0.162 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 100, authtype simple, intvl 1s, length 20, addrs: 192.168.0.248 auth "1111" (bad vrrp cksum 1234)`,
			src:  "192.168.0.162", dst: "224.0.0.18",
		},
		{
			name: "v2-ttl",
			line: `18:31:12.334365 96:3d:dd:b4:7e:9b > 01:00:5e:00:00:12, ethertype IPv4 (0x0800), length 54: (tos 0xc0, ttl 64, id 1, offset 0, flags [none], proto VRRP (112), length 40) 192.168.0.162 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 100, authtype simple, intvl 1s, length 20, addrs: 192.168.0.248 auth "1111"`,
			src:  "192.168.0.162", dst: "224.0.0.18",
		},
		{
			name: "v3-ipv6",
			line: `18:37:30.146000 96:3d:dd:b4:7e:9b > 33:33:00:00:00:12, ethertype IPv6 (0x86dd), length 78: (class 0xc0, flowlabel 0xc370a, hlim 255, next-header VRRP (112) payload length: 24) fe80::4a1:beff:fe09:8f87 > ff02::12: VRRPv3, Advertisement, vrid 51, prio 80, intvl 50cs, length 24, addrs: fd00::248`,
			want: v6.wire, src: "fe80::4a1:beff:fe09:8f87", dst: "ff02::12",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := parseWire(tc.line)
			if !ok {
				t.Fatalf("not parsed")
			}
			if a.src != tc.src || a.dst != tc.dst {
				t.Errorf("%s > %s, want %s > %s", a.src, a.dst, tc.src, tc.dst)
			}
			if tc.want != "" && a.shape != tc.want {
				t.Errorf("shape\n got  %s\n want %s", a.shape, tc.want)
			}
			if tc.want == "" && (a.shape == v2.wire || a.shape == v6.wire) {
				t.Errorf("shape %s taken for a good advert", a.shape)
			}
		})
	}
	if _, ok := parseWire("18:31:12.334365 ARP, Request who-has 192.168.0.248 tell 192.168.0.248"); ok {
		t.Error("an ARP line parsed as an advert")
	}
}
