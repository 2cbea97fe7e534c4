package dump

import (
	"net/netip"
	"time"
)

// Global is global_defs as the running process sees it, for the "Global
// definitions" section of keepalived.data and keepalived_parent.data.
type Global struct {
	Namespace     string // "" shows "(default)"
	NamespaceIPVS string // "" shows "(main namespace)"
	RouterID      string

	SMTPServer      string // "" hides the SMTP lines
	SMTPPort        int
	SMTPHelo        string
	SMTPTimeout     time.Duration
	EmailFrom       string
	EmailTo         []string
	SMTPAlert       *bool // nil: unset
	SMTPAlertVRRP   *bool
	SMTPAlertCheck  *bool
	CheckerLogAll   bool
	ConfigTestOnRel bool // config_test before reload ("No test config ..." when false)
	DynamicIfaces   bool
	// DefaultInterface is shown by the VRRP child only ("" hides it).
	DefaultInterface   string
	DisableLocalIGMP   bool
	LVSFlush           bool
	LVSFlushOnStop     string // "disabled", "VS", "RS"
	FIFOWriteOnReload  bool
	NotifyPrioChanges  bool
	MCastGroup4        netip.Addr
	MCastGroup6        netip.Addr
	GARPDelay          int64 // seconds
	GARPRepeat         int64
	GARPRefresh        int64 // seconds
	GARPRefreshRepeat  int64
	GARPLowerPrioDelay int64 // seconds; the parent shows keepalived's unset value 4294967295
	GARPLowerPrioRep   int64
	DownTimerAdverts   int
	GARPSecondaryVMAC  string // "0s"
	LowerPrioNoAdvert  bool
	HigherPrioAdvert   bool
	GARPInterval       time.Duration
	GNAInterval        time.Duration
	DefaultVersion     int
	// Firewall is keepalived's build-dependent firewall lines ("nftables
	// without counters", the libnftnl version); empty when the daemon
	// manages no firewall.
	Firewall         []string
	CheckUnicastSrc  bool
	SkipCheckAdvAddr bool
	Strict           bool
	MaxAutoPriority  int
	MinAutoPrioDelay time.Duration
	VRRPProcess      Process
	CheckerProcess   Process
	BFDProcess       Process
	SNMPSocket       string // "" shows "default (unix:/var/agentx/master)"
	DBusServiceName  string
	ScriptSecurity   bool
	ScriptUID        int
	ScriptGID        int
	NetlinkBufs      NetlinkBufs
	RSInitNotifies   int
	NoCheckerEmails  int
	RxBufsMultiples  int
	Umask            uint32
}

// Process is a process's scheduling settings (vrrp_priority,
// vrrp_no_swap, vrrp_rt_priority, vrrp_rlimit_rttime and their checker_
// and bfd_ forms).
type Process struct {
	Priority   int
	NoSwap     bool
	RTPriority int
	RTLimit    int
}

// NetlinkBufs are the *_rcv_bufs and *_rcv_bufs_force settings.
type NetlinkBufs struct {
	VRRPCmd, VRRPCmdForce         int
	VRRPMonitor, VRRPMonitorForce int
	ProcessMon, ProcessMonForce   int
	LVSCmd, LVSCmdForce           int
	LVSMonitor, LVSMonitorForce   int
}

// DefaultGlobal is keepalived 2.2.7's global_defs with nothing configured,
// as its VRRP child shows them.
func DefaultGlobal() Global {
	rt := Process{RTLimit: 10000}
	return Global{
		LVSFlushOnStop:     "disabled",
		DefaultInterface:   "eth0",
		MCastGroup4:        netip.MustParseAddr("224.0.0.18"),
		MCastGroup6:        netip.MustParseAddr("ff02::12"),
		GARPDelay:          5,
		GARPRepeat:         5,
		GARPRefreshRepeat:  1,
		GARPLowerPrioDelay: 5,
		GARPLowerPrioRep:   5,
		DownTimerAdverts:   3,
		GARPSecondaryVMAC:  "0s",
		DefaultVersion:     2,
		MinAutoPrioDelay:   time.Second,
		VRRPProcess:        rt,
		CheckerProcess:     rt,
		BFDProcess:         rt,
		RxBufsMultiples:    3,
		Umask:              0o177,
	}
}

func (w *writer) global(g *Global) {
	w.line("------< Global definitions >------")
	w.line(" Network namespace = %s", or(g.Namespace, "(default)"))
	w.line(" Network namespace ipvs = %s", or(g.NamespaceIPVS, "(main namespace)"))
	w.line(" Router ID = %s", g.RouterID)
	if g.SMTPServer != "" {
		w.line(" Smtp server = %s", g.SMTPServer)
		w.line(" Smtp server port = %d", g.SMTPPort)
		w.line(" Smtp HELO name = %s", g.SMTPHelo)
		w.line(" Smtp server connection timeout = %d", int64(g.SMTPTimeout/time.Second))
		w.line(" Email notification from = %s", g.EmailFrom)
		w.line(" Email notification to:")
		for _, e := range g.EmailTo {
			w.line("   %s", e)
		}
	}
	w.line(" Default smtp_alert = %s", tristate(g.SMTPAlert))
	w.line(" Default smtp_alert_vrrp = %s", tristate(g.SMTPAlertVRRP))
	w.line(" Default smtp_alert_checker = %s", tristate(g.SMTPAlertCheck))
	w.line(" Checkers log all failures = %t", g.CheckerLogAll)
	if g.ConfigTestOnRel {
		w.line(" Test config before reload")
	} else {
		w.line(" No test config before reload")
	}
	w.line(" Dynamic interfaces = %t", g.DynamicIfaces)
	if g.DefaultInterface != "" {
		w.line(" Default interface = %s", g.DefaultInterface)
	}
	w.line(" Disable local IGMP = %s", yesNo(g.DisableLocalIGMP))
	w.line(" LVS flush = %t", g.LVSFlush)
	w.line(" LVS flush on stop = %s", g.LVSFlushOnStop)
	w.line(" FIFO write vrrp states on reload = %t", g.FIFOWriteOnReload)
	w.line(" VRRP notify priority changes = %t", g.NotifyPrioChanges)
	w.line(" VRRP IPv4 mcast group = %s", g.MCastGroup4)
	w.line(" VRRP IPv6 mcast group = %s", g.MCastGroup6)
	w.line(" Gratuitous ARP delay = %d", g.GARPDelay)
	w.line(" Gratuitous ARP repeat = %d", g.GARPRepeat)
	w.line(" Gratuitous ARP refresh timer = %d", g.GARPRefresh)
	w.line(" Gratuitous ARP refresh repeat = %d", g.GARPRefreshRepeat)
	w.line(" Gratuitous ARP lower priority delay = %d", g.GARPLowerPrioDelay)
	w.line(" Gratuitous ARP lower priority repeat = %d", g.GARPLowerPrioRep)
	w.line(" Num adverts before down = %d", g.DownTimerAdverts)
	w.line(" Gratuitous ARP for each secondary VMAC = %s", g.GARPSecondaryVMAC)
	w.line(" Send advert after receive lower priority advert = %t", !g.LowerPrioNoAdvert)
	w.line(" Send advert after receive higher priority advert = %t", g.HigherPrioAdvert)
	// keepalived prints these intervals with %f.
	w.line(" Gratuitous ARP interval = %f", g.GARPInterval.Seconds())
	w.line(" Gratuitous NA interval = %f", g.GNAInterval.Seconds())
	w.line(" VRRP default protocol version = %d", g.DefaultVersion)
	for _, l := range g.Firewall {
		w.line(" %s", l)
	}
	w.line(" VRRP check unicast_src = %t", g.CheckUnicastSrc)
	w.line(" VRRP skip check advert addresses = %t", g.SkipCheckAdvAddr)
	w.line(" VRRP strict mode = %t", g.Strict)
	if g.MaxAutoPriority == -1 {
		// max_auto_priority -1 (keepalived 2.2.7 observed).
		w.line(" Max auto priority = Disabled")
	} else {
		w.line(" Max auto priority = %d", g.MaxAutoPriority)
	}
	w.line(" Min auto priority delay = %d usecs", g.MinAutoPrioDelay.Microseconds())
	for _, p := range []struct {
		name string
		p    *Process
	}{{"VRRP", &g.VRRPProcess}, {"Checker", &g.CheckerProcess}, {"BFD", &g.BFDProcess}} {
		w.line(" %s process priority = %d", p.name, p.p.Priority)
		w.line(" %s don't swap = %t", p.name, p.p.NoSwap)
		w.line(" %s realtime priority = %d", p.name, p.p.RTPriority)
		w.line(" %s realtime limit = %d", p.name, p.p.RTLimit)
	}
	// Ours has no SNMP agent and no DBus service: keepalived's lines for
	// them switched off.
	w.line(" SNMP vrrp disabled")
	w.line(" SNMP checker disabled")
	w.line(" SNMP RFCv2 disabled")
	w.line(" SNMP RFCv3 disabled")
	w.line(" SNMP traps disabled")
	w.line(" SNMP socket = %s", or(g.SNMPSocket, "default (unix:/var/agentx/master)"))
	w.line(" DBus disabled")
	w.line(" DBus service name = %s", g.DBusServiceName)
	if g.ScriptSecurity {
		w.line(" Script security enabled")
	} else {
		w.line(" Script security disabled")
	}
	w.line(" Default script uid:gid %d:%d", g.ScriptUID, g.ScriptGID)
	b := &g.NetlinkBufs
	for _, n := range []struct {
		name string
		v    int
	}{
		{"vrrp_netlink_cmd_rcv_bufs", b.VRRPCmd}, {"vrrp_netlink_cmd_rcv_bufs_force", b.VRRPCmdForce},
		{"vrrp_netlink_monitor_rcv_bufs", b.VRRPMonitor}, {"vrrp_netlink_monitor_rcv_bufs_force", b.VRRPMonitorForce},
		{"process_monitor_rcv_bufs", b.ProcessMon}, {"process_monitor_rcv_bufs_force", b.ProcessMonForce},
		{"lvs_netlink_cmd_rcv_bufs", b.LVSCmd}, {"lvs_netlink_cmd_rcv_bufs_force", b.LVSCmdForce},
		{"lvs_netlink_monitor_rcv_bufs", b.LVSMonitor}, {"lvs_netlink_monitor_rcv_bufs_force", b.LVSMonitorForce},
		{"rs_init_notifies", g.RSInitNotifies}, {"no_checker_emails", g.NoCheckerEmails},
		{"rx_bufs_multiples", g.RxBufsMultiples},
	} {
		w.line(" %s = %d", n.name, n.v)
	}
	// keepalived prints "0%o": 0177, 022, 00.
	w.line(" umask = 0%o", g.Umask)
}

// tristate is keepalived's smtp_alert setting: "unset", "on" or "off"
// (check_globals in testdata: smtp_alert_checker true shows "on").
func tristate(b *bool) string {
	switch {
	case b == nil:
		return "unset"
	case *b:
		return "on"
	}
	return "off"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
