package daemon

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// fakeOpener gives every instance the router's advertiser.
type fakeOpener struct {
	r                *router
	opened, released []string
}

func (o *fakeOpener) open(s *spec, idx int) (advertiser, error) {
	o.opened = append(o.opened, s.name)
	s.params.SrcIP = o.r.src
	return adv{o.r}, nil
}
func (o *fakeOpener) update(advertiser, *spec) error { return nil }
func (o *fakeOpener) release(s *spec, _ advertiser) {
	o.released = append(o.released, s.name)
}

// specsOf parses a configuration for router r's reloads.
func specsOf(t *testing.T, text string) []spec {
	t.Helper()
	cfg, diags := config.Parse("keepalived.conf", []byte(text),
		config.Options{Host: config.FakeHost{Interfaces: []string{"eth0"}}})
	if diags.Fatal() {
		t.Fatalf("config: %v", diags)
	}
	specs, err := buildSpecs(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return specs
}

const reloadInstance = `
vrrp_instance %s {
    state MASTER
    interface eth0
    virtual_router_id %d
    priority 100
    advert_int 1
    virtual_ipaddress {
%s    }
}
`

func TestEngineReload(t *testing.T) {
	s, a, b := newPair(t)
	a.eng.start(s.now)
	b.eng.start(s.now)
	s.run(t0.Add(10 * time.Second))
	if a.state() != vrrp.Master {
		t.Fatalf("master state %v", a.state())
	}
	op := &fakeOpener{r: a}
	// The seed configuration of the master with other VIPs.
	conf := func(vips ...string) string {
		text := strings.Replace(seedConf, "        192.168.0.248/24 dev eth0 label eth0:0\n", strings.Join(vips, ""), 1)
		return fmt.Sprintf(text, "MASTER", 100)
	}

	type step struct {
		name     string
		conf     string
		wantOps  []string // host operations of this reload
		wantSent []int    // adverts sent by the reload itself
		state    vrrp.State
		kept     int
		added    int
		removed  int
	}
	same := "        192.168.0.248/24 dev eth0 label eth0:0\n"
	extra := "        192.168.0.249/24 dev eth0\n"
	steps := []step{
		{name: "unchanged", conf: conf(same), wantSent: []int{100}, state: vrrp.Master, kept: 1},
		{name: "VIP added", conf: conf(same, extra), wantOps: []string{"add-addr 192.168.0.249/24 dev eth0"},
			wantSent: []int{100}, state: vrrp.Master, kept: 1},
		{name: "VIP removed", conf: conf(same), wantOps: []string{"del-addr 192.168.0.249/24 dev eth0"},
			wantSent: []int{100}, state: vrrp.Master, kept: 1},
		{name: "instance added", conf: conf(same) + fmt.Sprintf(reloadInstance, "VI_2", 52, "        192.168.0.250/24\n"),
			wantSent: []int{100}, state: vrrp.Master, kept: 1, added: 1},
		{name: "instance removed", conf: conf(same), wantSent: []int{100}, state: vrrp.Master, kept: 1, removed: 1},
		{name: "identity changed", conf: strings.Replace(conf(same), "virtual_router_id 51", "virtual_router_id 61", 1),
			wantOps: []string{"del-addr 192.168.0.248/24 dev eth0 label eth0:0"}, wantSent: []int{0}, state: vrrp.Backup,
			removed: 1, added: 1},
	}
	for _, st := range steps {
		ops, sent := len(a.host.ops), len(a.sent)
		sum := a.eng.reload(specsOf(t, st.conf), op, s.now)
		if len(sum.kept) != st.kept || len(sum.added) != st.added || len(sum.removed) != st.removed {
			t.Errorf("%s: kept %v added %v removed %v", st.name, sum.kept, sum.added, sum.removed)
		}
		if got := a.host.ops[ops:]; !slices.Equal(got, st.wantOps) {
			t.Errorf("%s: host ops %q, want %q", st.name, got, st.wantOps)
		}
		if got := a.sent[sent:]; !slices.Equal(got, st.wantSent) {
			t.Errorf("%s: adverts %v, want %v", st.name, got, st.wantSent)
		}
		if in := a.eng.byName["VI_1"]; in == nil || in.m.State() != st.state {
			t.Errorf("%s: VI_1 %+v, want %v", st.name, in, st.state)
		}
		s.run(s.now.Add(500 * time.Millisecond))
	}
	// The backup never saw a gap: it stayed backup through every reload
	// of the master that kept VI_1.
	if b.has("(VI_1) Entering MASTER STATE") {
		t.Errorf("backup became master during the reloads:\n%s", strings.Join(b.log.Texts(true), "\n"))
	}
	if !slices.Equal(op.opened, []string{"VI_2", "VI_1"}) || !slices.Equal(op.released, []string{"VI_2", "VI_1"}) {
		t.Errorf("opened %v released %v", op.opened, op.released)
	}
	// Adverts and timers of removed instances are ignored.
	a.eng.advert(0, &vrrp.Advert{Version: 2, VRID: 51, Priority: 200, AdvertIntCs: 100, Src: netip.MustParseAddr("192.168.0.1")}, s.now)
}

func TestReloadRefusal(t *testing.T) {
	known := map[string]bool{"Unknown keyword 'foo'": true}
	for _, tc := range []struct {
		name  string
		diags config.Diagnostics
		bad   bool
	}{
		{"clean", nil, false},
		{"info", config.Diagnostics{{Class: config.ClassInfo, Msg: "x"}}, false},
		{"known error", config.Diagnostics{{Class: config.ClassUnknownKeyword, Msg: "Unknown keyword 'foo'"}}, false},
		{"new error", config.Diagnostics{{Class: config.ClassUnknownKeyword, Msg: "Unknown keyword 'prority'"}}, true},
		{"missing brace", config.Diagnostics{{Class: config.ClassMissingEOB, Msg: "There are 1 missing '}'s or extra '{'s"}}, true},
		{"fatal", config.Diagnostics{{Class: config.ClassFatal, Msg: "no interface"}}, true},
		{"security only", config.Diagnostics{{Class: config.ClassSecurity, Msg: "scripts"}}, false},
	} {
		if _, bad := refusal(tc.diags, known); bad != tc.bad {
			t.Errorf("%s: refused %v, want %v", tc.name, bad, tc.bad)
		}
	}
}

// An instance without authentication (no Auth in its view) has an
// identity too: a SIGHUP with one used to crash the VRRP child.
func TestIdentityWithoutAuth(t *testing.T) {
	conf := "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n 192.168.0.248/24\n }\n}\n"
	cfg, diags := config.Parse("keepalived.conf", []byte(conf), config.Options{Host: config.FakeHost{Interfaces: []string{"eth0"}}})
	if diags.Fatal() {
		t.Fatal(diags)
	}
	specs, err := buildSpecs(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if specs[0].view.Auth != nil {
		t.Fatal("the case needs an instance without authentication")
	}
	if id := specs[0].identity(); !strings.Contains(id, "|false|") {
		t.Errorf("identity %q: not AH", id)
	}
}

// TestReloadDeletedNotification: an instance a reload removes notifies
// DELETED (the notifier words it FAULT without notify_deleted); a backup
// removed while in FAULT says nothing (the machine's rule).
func TestReloadDeletedNotification(t *testing.T) {
	s, a, b := newPair(t)
	n := &fakeNotifier{}
	a.eng.notify = n
	a.eng.start(s.now)
	b.eng.start(s.now)
	s.run(t0.Add(10 * time.Second))
	op := &fakeOpener{r: a}
	other := fmt.Sprintf(reloadInstance, "VI_2", 52, "        192.168.0.250/24\n")
	a.eng.reload(specsOf(t, other), op, s.now)
	if !slices.Contains(n.got, "INSTANCE VI_1 DELETED 100") {
		t.Errorf("notifications %q, want VI_1 DELETED", n.got)
	}
	if slices.Contains(n.got, "INSTANCE VI_1 FAULT 100") {
		t.Errorf("notifications %q: a deletion is not a FAULT", n.got)
	}
}
