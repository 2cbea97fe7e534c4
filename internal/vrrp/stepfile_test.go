package vrrp

import (
	"bufio"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The conformance files, testdata/*.step, are scripts of events with the
// actions and states they must produce:
//
//	# comment (the hand-checked reasoning)
//	instance VI_1 prio=100 src=10.0.0.1 vips=10.0.0.100 [key=value | flag]...
//	group G1 VI_1 VI_2
//	@3.609375 VI_1 timer [main|garp]
//	> VI_1 send-advert prio=100          (an action, in order)
//	= VI_1 MASTER prio=100 timer=@4.609375  (each instance's state after)
//
// Events: start [resume], stop, delete, timer [main|garp], reload KEY=VALUE...,
// advert from=IP prio=N [int=SECONDS] [ver=N] [vrid=N] [addrs=IP,..] [differ],
// track NAME up|down [kind=script|interface|file|process|bfd] [weight=N].
// Lines starting with '>' and '=' are generated: go test -update rewrites
// them and leaves everything else as written.

var update = flag.Bool("update", false, "rewrite the expected parts of testdata/*.step")

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/*.step")
	if err != nil || len(files) == 0 {
		t.Fatalf("no step files: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".step"), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := runStepFile(string(src))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if got == string(src) {
				return
			}
			if *update {
				if err := os.WriteFile(f, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("%s differs (go test -update regenerates):\n%s", f, firstDiff(string(src), got))
		})
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  file: %s\n  run:  %s", i+1, wl, gl)
		}
	}
	return ""
}

type stepRun struct {
	order    []string
	machines map[string]*Machine
	groups   map[string]*Group
	// buf is every machine's action buffer, as a daemon steps them
	// (StepBuf): the goldens, written with Step, hold it to the same
	// actions.
	buf []Action
}

func runStepFile(src string) (string, error) {
	r := &stepRun{machines: map[string]*Machine{}, groups: map[string]*Group{}}
	var out strings.Builder
	sc := bufio.NewScanner(strings.NewReader(src))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, ">") || strings.HasPrefix(trim, "=") {
			continue
		}
		out.WriteString(line + "\n")
		if trim == "" || strings.HasPrefix(trim, "#") {
			continue
		}
		var err error
		switch f := strings.Fields(trim); {
		case f[0] == "instance":
			err = r.instance(f[1:])
		case f[0] == "group":
			err = r.group(f[1:])
		case strings.HasPrefix(f[0], "@"):
			err = r.event(f, &out)
		default:
			err = fmt.Errorf("unknown line")
		}
		if err != nil {
			return "", fmt.Errorf("line %d: %q: %w", n, line, err)
		}
	}
	return out.String(), sc.Err()
}

func parseSeconds(s string) (time.Duration, error) {
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, err
	}
	us := w * usecPerSec
	if frac != "" {
		if len(frac) > 6 {
			return 0, fmt.Errorf("more than 6 decimals in %q", s)
		}
		f, err := strconv.ParseInt((frac + "000000")[:6], 10, 64)
		if err != nil {
			return 0, err
		}
		us += f
	}
	return usec(us), nil
}

func parseVIPs(s string) ([]VIP, error) {
	var out []VIP
	for _, w := range strings.Split(s, ",") {
		a, dev, ok := strings.Cut(w, "/")
		if !ok {
			dev = "eth0"
		}
		addr, err := netip.ParseAddr(a)
		if err != nil {
			return nil, err
		}
		out = append(out, VIP{Addr: addr, Dev: dev})
	}
	return out, nil
}

var kindByName = map[string]TrackerKind{"script": KindScript, "interface": KindInterface, "file": KindFile, "process": KindProcess, "bfd": KindBFD}

// instance declares a machine; unset GARP settings take keepalived's
// defaults (5 repeats now and 5 after 5 s, for the master transition and
// after a lower priority advert).
func (r *stepRun) instance(f []string) error {
	p, err := parseParams(f)
	if err != nil {
		return err
	}
	r.machines[p.Name] = New(p)
	r.order = append(r.order, p.Name)
	return nil
}

// parseParams reads "NAME key=value..." (an instance line, or a reload
// event's new configuration).
func parseParams(f []string) (Params, error) {
	if len(f) == 0 {
		return Params{}, fmt.Errorf("instance needs a name")
	}
	p := Params{Name: f[0], VRID: 51, GARPDelayUsec: 5 * usecPerSec, GARPRepeat: 5, GARPRefreshRepeat: 1,
		GARPLowerPrioDelayUsec: 5 * usecPerSec, GARPLowerPrioRepeat: 5}
	for _, kv := range f[1:] {
		k, v, _ := strings.Cut(kv, "=")
		num := func() int { n, _ := strconv.Atoi(v); return n }
		secs := func() int64 { d, _ := parseSeconds(v); return d.Microseconds() }
		var err error
		switch k {
		case "version":
			p.Version = num()
		case "vrid":
			p.VRID = num()
		case "prio":
			p.Priority = num()
		case "state":
			p.WantMaster = v == "MASTER"
		case "advert":
			p.AdvertIntUsec = secs()
		case "src":
			p.SrcIP, err = netip.ParseAddr(v)
		case "vips":
			p.VIPs, err = parseVIPs(v)
		case "evips":
			p.EVIPs, err = parseVIPs(v)
		case "routes":
			p.Routes = true
		case "rules":
			p.Rules = true
		case "no_accept":
			p.NoAccept = true
		case "nopreempt":
			p.NoPreempt = true
		case "preempt_delay":
			p.PreemptDelayUsec = secs()
		case "down_timer_adverts":
			p.DownTimerAdverts = num()
		case "lower_prio_no_advert":
			p.LowerPrioNoAdvert = true
		case "higher_prio_send_advert":
			p.HigherPrioSendAdvert = true
		case "skip_check_adv_addr":
			p.SkipCheckAdvAddr = true
		case "garp_delay":
			p.GARPDelayUsec = secs()
		case "garp_rep":
			p.GARPRepeat = num()
		case "garp_refresh":
			p.GARPRefreshUsec = secs()
		case "garp_refresh_rep":
			p.GARPRefreshRepeat = num()
		case "garp_lower_prio_delay":
			p.GARPLowerPrioDelayUsec = secs()
		case "garp_lower_prio_rep":
			p.GARPLowerPrioRepeat = num()
		case "startup_delay":
			p.StartupDelayUsec = secs()
		case "notify_priority_changes":
			p.NotifyPriorityChanges = true
		case "notify_deleted":
			p.NotifyDeleted = true
		case "iface":
			p.Trackers = append(p.Trackers, TrackerParam{Name: v, Kind: KindInterface})
		case "track":
			parts := strings.Split(v, ":")
			if len(parts) != 3 {
				return p, fmt.Errorf("track=name:kind:weight")
			}
			w, _ := strconv.Atoi(parts[2])
			p.Trackers = append(p.Trackers, TrackerParam{Name: parts[0], Kind: kindByName[parts[1]], Weight: w})
		default:
			return p, fmt.Errorf("unknown instance setting %q", k)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

func (r *stepRun) group(f []string) error {
	if len(f) < 2 {
		return fmt.Errorf("group NAME MEMBER...")
	}
	var ms []*Machine
	for _, n := range f[1:] {
		m := r.machines[n]
		if m == nil {
			return fmt.Errorf("unknown instance %q", n)
		}
		ms = append(ms, m)
	}
	r.groups[f[0]] = NewGroup(f[0], ms...)
	return nil
}

func (r *stepRun) event(f []string, out *strings.Builder) error {
	if len(f) < 3 {
		return fmt.Errorf("@TIME INSTANCE EVENT")
	}
	d, err := parseSeconds(f[0][1:])
	if err != nil {
		return err
	}
	now := epoch.Add(d)
	m := r.machines[f[1]]
	if m == nil {
		return fmt.Errorf("unknown instance %q", f[1])
	}
	ev, err := parseEvent(m, f[2:])
	if err != nil {
		return err
	}
	r.buf = m.StepBuf(r.buf, ev, now)
	for _, a := range r.buf {
		out.WriteString("> " + a.Format(epoch) + "\n")
	}
	for _, name := range r.order {
		out.WriteString("= " + describe(r.machines[name]) + "\n")
	}
	for _, name := range sortedKeys(r.groups) {
		fmt.Fprintf(out, "= %s group %s\n", name, r.groups[name].State())
	}
	return nil
}

func sortedKeys(m map[string]*Group) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

func describe(m *Machine) string {
	s := fmt.Sprintf("%s %s prio=%d", m.Name(), m.State(), m.Priority())
	if m.State() == Backup {
		s += " down=" + FormatSeconds(m.MasterDownTimer())
	}
	if at, ok := m.Deadline(); ok {
		s += " timer=@" + FormatSeconds(at.Sub(epoch))
	}
	return s
}

func parseEvent(m *Machine, f []string) (Event, error) {
	switch f[0] {
	case "start":
		return Start{Resume: len(f) > 1 && f[1] == "resume"}, nil
	case "startup-clear":
		return StartupClear{}, nil
	case "stop":
		return Stop{}, nil
	case "delete":
		return Delete{}, nil
	case "reload":
		// "reload key=value...": the instance's new configuration, in
		// the instance line's terms.
		p, err := parseParams(append([]string{m.Name()}, f[1:]...))
		return Reload{Params: p}, err
	case "timer":
		if len(f) > 1 && f[1] == "garp" {
			return TimerFired{Timer: TimerGARP}, nil
		}
		return TimerFired{Timer: TimerMain}, nil
	case "advert":
		p := m.Params()
		ad := Advert{Version: p.Version, VRID: p.VRID, AdvertIntCs: int(p.AdvertIntUsec / usecPerCs)}
		for _, v := range p.VIPs {
			ad.Addrs = append(ad.Addrs, v.Addr)
		}
		for _, kv := range f[1:] {
			k, v, _ := strings.Cut(kv, "=")
			var err error
			switch k {
			case "from":
				ad.Src, err = netip.ParseAddr(v)
			case "prio":
				ad.Priority, err = strconv.Atoi(v)
			case "int":
				var d time.Duration
				d, err = parseSeconds(v)
				ad.AdvertIntCs = int(d.Microseconds() / usecPerCs)
			case "ver":
				ad.Version, err = strconv.Atoi(v)
			case "vrid":
				ad.VRID, err = strconv.Atoi(v)
			case "addrs":
				ad.Addrs = nil
				for _, a := range strings.Split(v, ",") {
					var ip netip.Addr
					ip, err = netip.ParseAddr(a)
					ad.Addrs = append(ad.Addrs, ip)
				}
			case "differ":
				ad.AddrsDiffer = true
			default:
				err = fmt.Errorf("unknown advert field %q", k)
			}
			if err != nil {
				return nil, err
			}
		}
		return ad, nil
	case "track":
		if len(f) < 3 {
			return nil, fmt.Errorf("track NAME up|down")
		}
		ev := Track{Name: f[1], Up: f[2] == "up"}
		kindSet, weightSet := false, false
		for _, kv := range f[3:] {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "kind":
				ev.Kind, kindSet = kindByName[v], true
			case "weight":
				ev.Weight, _ = strconv.Atoi(v)
				weightSet = true
			default:
				return nil, fmt.Errorf("unknown track field %q", k)
			}
		}
		for _, t := range m.Params().Trackers {
			if t.Name == ev.Name && (!kindSet || t.Kind == ev.Kind) {
				if !kindSet {
					ev.Kind = t.Kind
				}
				if !weightSet {
					ev.Weight = t.Weight
				}
				break
			}
		}
		return ev, nil
	}
	return nil, fmt.Errorf("unknown event %q", f[0])
}
