package gen

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestInterfaces(t *testing.T) {
	for n, want := range map[int]int{1: 1, 250: 1, 251: 2, 10000: 40} {
		got := Interfaces(n)
		if len(got) != want || got[0] != "bench0" || got[len(got)-1] != fmt.Sprintf("bench%d", want-1) {
			t.Errorf("Interfaces(%d) = %q, want %d names bench0..", n, got, want)
		}
	}
}

var (
	instanceRE = regexp.MustCompile(`(?m)^vrrp_instance (\S+) \{\n(?:.*\n)*?    interface (\S+)\n    virtual_router_id (\d+)\n`)
	vipRE      = regexp.MustCompile(`(?m)^        (10\.\d+\.\d+\.\d+)/32 dev (\S+)$`)
)

// TestVRRPShape checks what keepalived would reject: VRIDs unique per
// interface and in 1-255, names and addresses unique, and only the
// interfaces Interfaces announces.
func TestVRRPShape(t *testing.T) {
	const n = 10000
	text := string(VRRP(n))
	ifaces := map[string]bool{}
	for _, i := range Interfaces(n) {
		ifaces[i] = true
	}
	inst := instanceRE.FindAllStringSubmatch(text, -1)
	if len(inst) != n {
		t.Fatalf("%d vrrp_instances, want %d", len(inst), n)
	}
	names, vrids := map[string]bool{}, map[string]bool{}
	for _, m := range inst {
		if names[m[1]] {
			t.Errorf("instance %s twice", m[1])
		}
		names[m[1]] = true
		if !ifaces[m[2]] {
			t.Errorf("%s uses interface %s, not in Interfaces", m[1], m[2])
		}
		var v int
		fmt.Sscan(m[3], &v)
		if v < 1 || v > 255 {
			t.Errorf("%s: VRID %d", m[1], v)
		}
		key := m[2] + "/" + m[3]
		if vrids[key] {
			t.Errorf("%s: VRID %s used twice on %s", m[1], m[3], m[2])
		}
		vrids[key] = true
	}
	vips := map[string]bool{}
	for _, m := range vipRE.FindAllStringSubmatch(text, -1) {
		if vips[m[1]] {
			t.Errorf("VIP %s twice", m[1])
		}
		vips[m[1]] = true
	}
	if len(vips) != n {
		t.Errorf("%d VIPs, want %d", len(vips), n)
	}
	if c := strings.Count(text, "{"); c != strings.Count(text, "}") {
		t.Errorf("unbalanced braces: %d '{'", c)
	}
}

func TestVirtualServersShape(t *testing.T) {
	text := string(VirtualServers(1000, 10))
	vs := regexp.MustCompile(`(?m)^virtual_server (\S+) 80 \{$`).FindAllStringSubmatch(text, -1)
	rs := regexp.MustCompile(`(?m)^    real_server (\S+) 80 \{$`).FindAllStringSubmatch(text, -1)
	if len(vs) != 1000 || len(rs) != 10000 {
		t.Fatalf("%d virtual_servers and %d real_servers, want 1000 and 10000", len(vs), len(rs))
	}
	seen := map[string]bool{}
	for _, m := range append(vs, rs...) {
		if seen[m[1]] {
			t.Errorf("address %s twice", m[1])
		}
		seen[m[1]] = true
	}
	if strings.Count(text, "TCP_CHECK {") != 5000 || strings.Count(text, "HTTP_GET {") != 5000 {
		t.Errorf("want 5000 TCP_CHECK and 5000 HTTP_GET")
	}
	if c := strings.Count(text, "{"); c != strings.Count(text, "}") {
		t.Errorf("unbalanced braces: %d '{'", c)
	}
}

func TestDeterministic(t *testing.T) {
	if string(VRRP(300)) != string(VRRP(300)) || string(VirtualServers(3, 2)) != string(VirtualServers(3, 2)) {
		t.Error("generated text differs between calls")
	}
}
