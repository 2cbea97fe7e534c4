//go:build linux

package firewall

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/netif/nstest"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The namespace tests run the configurations of testdata/*.conf through
// a Firewall in a namespace with the interfaces keepalived had (nfo0,
// nfd0), every no_accept instance master, and compare `nft list ruleset`
// with testdata/*.nft: keepalived 2.2.7's own ruleset for the same file
// with every instance master, listed by the same nft (1.0.6) in a lab
// namespace (counter values blanked).

func needNft(t *testing.T) {
	t.Helper()
	nstest.Root(t)
	if _, err := exec.LookPath("nft"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no nft command (package nftables) under CI=true")
		}
		t.Skip("no nft command (package nftables)")
	}
}

type nsFW struct {
	ns  string
	mu  sync.Mutex
	log []string
}

func newNSFW(t *testing.T) *nsFW {
	t.Helper()
	needNft(t)
	l := &nsFW{ns: nstest.NS(t, "fw")}
	peer := nstest.NS(t, "fwp")
	nstest.Veth(t, l.ns, "nfo0", "", peer, "nfo1", "")
	nstest.Veth(t, l.ns, "nfd0", "", l.ns, "nfd1", "")
	return l
}

func (l *nsFW) open(t *testing.T, o Options) *Firewall {
	t.Helper()
	o.NetNS = l.ns
	o.Log = func(ln Line) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.log = append(l.log, ln.Text)
	}
	return New(o)
}

func (l *nsFW) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.log...)
}

var counterRE = regexp.MustCompile(`counter packets \d+ bytes \d+`)

// ruleset is `nft list ruleset` in the namespace, counters blanked.
func (l *nsFW) ruleset(t *testing.T) string {
	t.Helper()
	return counterRE.ReplaceAllString(nstest.Exec(t, l.ns, "nft", "list", "ruleset"), "counter")
}

func (l *nsFW) nft(t *testing.T, args ...string) {
	t.Helper()
	nstest.Exec(t, l.ns, append([]string{"nft"}, args...)...)
}

// loadConf reads a testdata configuration (with nfo0 and nfd0 present).
func loadConf(t *testing.T, name string) *config.Config {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Parse(name, src, config.Options{Host: config.FakeHost{Interfaces: []string{"lo", "nfo0", "nfd0"}}})
	if cfg == nil {
		t.Fatalf("%s: %v", name, diags)
	}
	return cfg
}

// instDev is the device of an instance's VIPs: its VMAC with use_vmac.
func instDev(v *config.VRRPInstance, g *config.GlobalDefs) string {
	if vm, ok := netif.VMACFromConfig(v, g); ok {
		return vm.Name
	}
	return v.Interface
}

// vmacs makes the VMACs of the configuration in the namespace and adds
// them to the firewall, as the daemon's start does.
func (l *nsFW) vmacs(t *testing.T, fw *Firewall, cfg *config.Config) {
	t.Helper()
	for _, v := range cfg.Instances {
		vm, ok := netif.VMACFromConfig(v, &cfg.Global)
		if !ok {
			continue
		}
		nstest.IP(t, l.ns, "link", "add", vm.Name, "link", vm.Parent, "type", "macvlan", "mode", "bridge")
		nstest.IP(t, l.ns, "link", "set", vm.Name, "up")
		fam := IPv4
		if v.Family == "inet6" {
			fam = IPv6
		}
		if err := fw.AddVMAC(vm.Name, vm.Parent, fam); err != nil {
			t.Fatal(err)
		}
	}
}

// masters sets the drop rules of every no_accept instance, as their
// becoming master does.
func masters(t *testing.T, fw *Firewall, cfg *config.Config) []string {
	t.Helper()
	var names []string
	for _, v := range cfg.Instances {
		if v.Accept {
			continue
		}
		dev := instDev(v, &cfg.Global)
		set := netif.InstanceSet(v, dev)
		for i := range set.Addrs {
			if set.Addrs[i].Dev == v.Interface {
				set.Addrs[i].Dev = dev
			}
		}
		if err := fw.Set(v.Name, VIPsOf(v, &cfg.Global, set.Addrs, dev)); err != nil {
			t.Fatalf("Set %s: %v", v.Name, err)
		}
		names = append(names, v.Name)
	}
	return names
}

func TestRulesetAsKeepalived(t *testing.T) {
	for _, name := range []string{"strict", "counters", "counters6", "table", "linklocal", "vmac", "vmacstrict"} {
		t.Run(name, func(t *testing.T) {
			l := newNSFW(t)
			cfg := loadConf(t, name+".conf")
			o := OptionsFromConfig(&cfg.Global)
			fw := l.open(t, o)
			defer fw.Close()
			if got := l.ruleset(t); got != "" {
				t.Fatalf("ruleset before the first master:\n%s", got)
			}
			l.vmacs(t, fw, cfg)
			insts := masters(t, fw, cfg)
			want, err := os.ReadFile(filepath.Join("testdata", name+".nft"))
			if err != nil {
				t.Fatal(err)
			}
			if got := l.ruleset(t); got != string(want) {
				t.Errorf("ruleset differs from keepalived 2.2.7's\n--- ours\n%s--- keepalived\n%s", got, want)
			}
			if ln := l.lines(); len(ln) != 0 {
				t.Errorf("log without left-overs: %q", ln)
			}

			// Every instance back to BACKUP: the sets empty, the tables
			// and rules stay (as keepalived's do).
			for _, n := range insts {
				if err := fw.Remove(n); err != nil {
					t.Fatal(err)
				}
			}
			got := l.ruleset(t)
			if strings.Contains(got, "elements = { 1") || strings.Contains(got, "elements = { f") {
				t.Errorf("addresses left in the sets:\n%s", got)
			}
			if len(insts) > 0 && (!strings.Contains(got, "table ip") || !strings.Contains(got, "@vips")) {
				t.Errorf("tables gone while backup:\n%s", got)
			}
			// Master again: the same ruleset as the first time.
			masters(t, fw, cfg)
			if got := l.ruleset(t); got != string(want) {
				t.Errorf("ruleset after a second master differs\n--- ours\n%s--- keepalived\n%s", got, want)
			}

			if err := fw.Close(); err != nil {
				t.Fatal(err)
			}
			if got := l.ruleset(t); got != "" {
				t.Errorf("ruleset after Close:\n%s", got)
			}
		})
	}
}

// TestLeftovers: a killed run's tables of our name go, in both families,
// before the first rule is set, each with keepalived's line; a table of
// another name stays.
func TestLeftovers(t *testing.T) {
	l := newNSFW(t)
	l.nft(t, "add", "table", "ip6", "keepalived")
	l.nft(t, "add", "chain", "ip6", "keepalived", "junk")
	l.nft(t, "add", "table", "ip", "keepalived")
	l.nft(t, "add", "table", "ip", "other")
	fw := l.open(t, Options{Priority: -1})
	defer fw.Close()
	// Removing before anything was set (the start-up clean-up) touches
	// nothing.
	if err := fw.Remove("VI_1"); err != nil {
		t.Fatal(err)
	}
	if got := l.ruleset(t); !strings.Contains(got, "chain junk") {
		t.Fatalf("left-overs gone before the first rule:\n%s", got)
	}
	if len(l.lines()) != 0 {
		t.Fatalf("log %q", l.lines())
	}
	vips := []VIP{{Addr: mustAddr("192.168.88.100"), Dev: "nfo0"}}
	if err := fw.Set("VI_1", vips); err != nil {
		t.Fatal(err)
	}
	want := []string{"Deleting old ip keepalived table", "Deleting old ip6 keepalived table"}
	if got := l.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log %q, want %q", got, want)
	}
	got := l.ruleset(t)
	if strings.Contains(got, "junk") || strings.Contains(got, "table ip6") || !strings.Contains(got, "table ip other") ||
		!strings.Contains(got, "elements = { 192.168.88.100 }") {
		t.Errorf("ruleset:\n%s", got)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(l.ruleset(t)); got != "table ip other {\n}" {
		t.Errorf("after Close:\n%s", got)
	}
}
