package config

import "net/netip"

// GlobalDefs is the global_defs block plus the handful of global settings
// keepalived takes at the top level (net_namespace, instance, use_pid_dir,
// child_wait_time, linkbeat_use_polling, ...).
//
// Defaults are keepalived 2.2.7's (global_data.c / man page). Durations
// keep keepalived's unit in the field name: seconds unless the name says
// Usec (microseconds).
type GlobalDefs struct {
	Pos Pos `json:"-"`

	// Top-level keywords (keepalived installs these as root keywords).
	NetNamespace        string `json:"net_namespace,omitempty"`
	NetNamespaceIPVS    string `json:"net_namespace_ipvs,omitempty"`
	HasNetNamespaceIPVS bool   `json:"has_net_namespace_ipvs,omitempty"` // set even when the name is empty (default namespace)
	NamespaceWithIPSets bool   `json:"namespace_with_ipsets,omitempty"`
	Instance            string `json:"instance,omitempty"`
	UsePIDDir           bool   `json:"use_pid_dir,omitempty"`
	ChildWaitTime       int    `json:"child_wait_time"`
	LinkbeatUsePolling  bool   `json:"linkbeat_use_polling,omitempty"`

	// Configuration reading and process names.
	TmpConfigDirectory string `json:"tmp_config_directory,omitempty"`
	ConfigSaveDir      string `json:"config_save_dir,omitempty"`
	ProcessName        string `json:"process_name,omitempty"`
	VRRPProcessName    string `json:"vrrp_process_name,omitempty"`
	CheckerProcessName string `json:"checker_process_name,omitempty"`
	BFDProcessName     string `json:"bfd_process_name,omitempty"`

	StartupScript         *GlobalScript `json:"startup_script,omitempty"`
	StartupScriptTimeout  int           `json:"startup_script_timeout,omitempty"`
	ShutdownScript        *GlobalScript `json:"shutdown_script,omitempty"`
	ShutdownScriptTimeout int           `json:"shutdown_script_timeout,omitempty"`

	// Mail.
	NotificationEmail     []string `json:"notification_email,omitempty"`
	NotificationEmailFrom string   `json:"notification_email_from,omitempty"`
	SMTPServer            string   `json:"smtp_server,omitempty"` // host name or address
	SMTPPort              int      `json:"smtp_port"`
	SMTPHeloName          string   `json:"smtp_helo_name,omitempty"`
	SMTPConnectTimeout    int      `json:"smtp_connect_timeout"`
	// Tri-state: nil means "not set" (keepalived then decides per notifier).
	SMTPAlert             *bool `json:"smtp_alert,omitempty"`
	SMTPAlertVRRP         *bool `json:"smtp_alert_vrrp,omitempty"`
	SMTPAlertChecker      *bool `json:"smtp_alert_checker,omitempty"`
	CheckerLogAllFailures bool  `json:"checker_log_all_failures,omitempty"`
	NoEmailFaults         bool  `json:"no_email_faults,omitempty"`
	NoCheckerEmails       bool  `json:"no_checker_emails,omitempty"`
	RSInitNotifies        bool  `json:"rs_init_notifies,omitempty"`

	RouterID string `json:"router_id,omitempty"`

	// VRRP defaults.
	VRRPMcastGroup4  netip.Addr `json:"vrrp_mcast_group4"`
	VRRPMcastGroup6  netip.Addr `json:"vrrp_mcast_group6"`
	DefaultInterface string     `json:"default_interface"`

	VRRPGARPMasterDelay         int `json:"vrrp_garp_master_delay"`
	VRRPGARPMasterRepeat        int `json:"vrrp_garp_master_repeat"`
	VRRPGARPMasterRefresh       int `json:"vrrp_garp_master_refresh"`
	VRRPGARPMasterRefreshRepeat int `json:"vrrp_garp_master_refresh_repeat"`
	// -1 until resolved by the global check: they default to the
	// master_delay/master_repeat values.
	VRRPGARPLowerPrioDelay  int   `json:"vrrp_garp_lower_prio_delay"`
	VRRPGARPLowerPrioRepeat int   `json:"vrrp_garp_lower_prio_repeat"`
	VRRPGARPIntervalUsec    int64 `json:"vrrp_garp_interval_usec"`
	VRRPGNAIntervalUsec     int64 `json:"vrrp_gna_interval_usec"`
	VRRPMinGARP             bool  `json:"vrrp_min_garp,omitempty"`
	VRRPGARPExtraIf         int   `json:"vrrp_garp_extra_if,omitempty"`
	VRRPGARPExtraIfAll      bool  `json:"vrrp_garp_extra_if_all,omitempty"`
	VRRPDownTimerAdverts    int   `json:"vrrp_down_timer_adverts"`

	VRRPLowerPrioNoAdvert       *bool  `json:"vrrp_lower_prio_no_advert,omitempty"`
	VRRPHigherPrioSendAdvert    *bool  `json:"vrrp_higher_prio_send_advert,omitempty"`
	VRRPVersion                 int    `json:"vrrp_version"`
	VRRPCheckUnicastSrc         bool   `json:"vrrp_check_unicast_src,omitempty"`
	VRRPSkipCheckAdvAddr        bool   `json:"vrrp_skip_check_adv_addr,omitempty"`
	VRRPStrict                  bool   `json:"vrrp_strict,omitempty"`
	VRRPNotifyPriorityChange    bool   `json:"vrrp_notify_priority_changes,omitempty"`
	VRRPStartupDelayUsec        int64  `json:"vrrp_startup_delay_usec,omitempty"`
	LogUnknownVRIDs             bool   `json:"log_unknown_vrids,omitempty"`
	VMACPrefix                  string `json:"vmac_prefix,omitempty"`
	VMACAddrPrefix              string `json:"vmac_addr_prefix,omitempty"`
	DynamicInterfaces           bool   `json:"dynamic_interfaces,omitempty"`
	AllowIfChanges              bool   `json:"allow_if_changes,omitempty"`
	DisableLocalIGMP            bool   `json:"disable_local_igmp,omitempty"`
	FIFOWriteVRRPStatesOnReload bool   `json:"fifo_write_vrrp_states_on_reload,omitempty"`

	// Firewall. keepalived 2.2.7 as Debian builds it has nftables only:
	// vrrp_iptables selects nftables with the default table name.
	VRRPIPTables            *IPTablesChains `json:"vrrp_iptables,omitempty"`
	NFTables                string          `json:"nftables,omitempty"` // table name; empty = not used
	NFTablesPriority        int             `json:"nftables_priority"`
	NFTablesIfindex         bool            `json:"nftables_ifindex,omitempty"`
	NFTablesCounters        bool            `json:"nftables_counters,omitempty"`
	NFTablesIPVS            string          `json:"nftables_ipvs,omitempty"`
	NFTablesIPVSPriority    int             `json:"nftables_ipvs_priority"`
	NFTablesIPVSStartFwmark uint32          `json:"nftables_ipvs_start_fwmark"`

	// Process tuning.
	MaxAutoPriority      int           `json:"max_auto_priority"`
	MinAutoPriorityDelay int           `json:"min_auto_priority_delay"` // microseconds
	VRRPProcess          ProcessTuning `json:"vrrp_process"`
	CheckerProcess       ProcessTuning `json:"checker_process"`
	BFDProcess           ProcessTuning `json:"bfd_process"`
	Umask                *uint32       `json:"umask,omitempty"`
	RandomSeed           *uint32       `json:"random_seed,omitempty"`

	// LVS.
	LVSSyncDaemon  *LVSSyncDaemon `json:"lvs_sync_daemon,omitempty"`
	LVSTimeouts    LVSTimeouts    `json:"lvs_timeouts"`
	LVSFlush       bool           `json:"lvs_flush,omitempty"`
	LVSFlushOnStop string         `json:"lvs_flush_on_stop,omitempty"` // "", "full" or "vs"

	// SNMP and DBus.
	SNMPSocket        string `json:"snmp_socket,omitempty"`
	EnableTraps       bool   `json:"enable_traps,omitempty"`
	EnableSNMPVRRP    bool   `json:"enable_snmp_vrrp,omitempty"`
	EnableSNMPChecker bool   `json:"enable_snmp_checker,omitempty"`
	EnableSNMPRFCv2   bool   `json:"enable_snmp_rfcv2,omitempty"`
	EnableSNMPRFCv3   bool   `json:"enable_snmp_rfcv3,omitempty"`
	EnableDBus        bool   `json:"enable_dbus,omitempty"`
	DBusServiceName   string `json:"dbus_service_name,omitempty"`

	// Scripts.
	ScriptUser           string `json:"script_user,omitempty"`
	ScriptGroup          string `json:"script_group,omitempty"`
	EnableScriptSecurity bool   `json:"enable_script_security,omitempty"`

	NotifyFIFO     NotifyFIFO `json:"notify_fifo"`
	VRRPNotifyFIFO NotifyFIFO `json:"vrrp_notify_fifo"`
	LVSNotifyFIFO  NotifyFIFO `json:"lvs_notify_fifo"`

	// Socket buffers.
	VRRPNetlinkCmdRcvBufs          uint32 `json:"vrrp_netlink_cmd_rcv_bufs,omitempty"`
	VRRPNetlinkCmdRcvBufsForce     bool   `json:"vrrp_netlink_cmd_rcv_bufs_force,omitempty"`
	VRRPNetlinkMonitorRcvBufs      uint32 `json:"vrrp_netlink_monitor_rcv_bufs,omitempty"`
	VRRPNetlinkMonitorRcvBufsForce bool   `json:"vrrp_netlink_monitor_rcv_bufs_force,omitempty"`
	LVSNetlinkCmdRcvBufs           uint32 `json:"lvs_netlink_cmd_rcv_bufs,omitempty"`
	LVSNetlinkCmdRcvBufsForce      bool   `json:"lvs_netlink_cmd_rcv_bufs_force,omitempty"`
	LVSNetlinkMonitorRcvBufs       uint32 `json:"lvs_netlink_monitor_rcv_bufs,omitempty"`
	LVSNetlinkMonitorRcvBufsForce  bool   `json:"lvs_netlink_monitor_rcv_bufs_force,omitempty"`
	ProcessMonitorRcvBufs          uint32 `json:"process_monitor_rcv_bufs,omitempty"`
	ProcessMonitorRcvBufsForce     bool   `json:"process_monitor_rcv_bufs_force,omitempty"`
	// VRRPRxBufsPolicy is "", "MTU", "ADVERT" or "SIZE" (VRRPRxBufsSize bytes).
	VRRPRxBufsPolicy     string `json:"vrrp_rx_bufs_policy,omitempty"`
	VRRPRxBufsSize       uint32 `json:"vrrp_rx_bufs_size,omitempty"`
	VRRPRxBufsMultiplier uint32 `json:"vrrp_rx_bufs_multiplier"`

	// Reloads.
	ReloadCheckConfig string   `json:"reload_check_config,omitempty"`
	ReloadTimeFile    string   `json:"reload_time_file,omitempty"`
	ReloadRepeat      bool     `json:"reload_repeat,omitempty"`
	ReloadFile        string   `json:"reload_file,omitempty"` // DefaultReloadFile when given without a name
	IncludeCheck      []string `json:"include_check,omitempty"`
	DataUseInstance   bool     `json:"data_use_instance,omitempty"`

	// Next automatic rule preferences (keepalived hands them out downwards,
	// across static and virtual rules, per address family).
	nextRulePrio4, nextRulePrio6 uint32
	// rt caches the iproute2 name tables read for this configuration.
	rt *rtNames
}

// DefaultReloadFile is what reload_file means without a file name: the file
// keepalived.reload in the pid directory.
const DefaultReloadFile = "/run/keepalived.reload"

// GlobalScript is a startup_script or shutdown_script.
type GlobalScript struct {
	Argv  []string `json:"argv"`
	User  string   `json:"user,omitempty"`
	Group string   `json:"group,omitempty"`
	// uid the script runs as, fixed when the line is read (keepalived
	// applies the script_user in force at that point).
	uid int
}

// IPTablesChains are the vrrp_iptables chain names.
type IPTablesChains struct {
	In  string `json:"in,omitempty"`
	Out string `json:"out,omitempty"`
}

// ProcessTuning is the scheduling of one child process (vrrp, checker, bfd).
type ProcessTuning struct {
	Priority     int    `json:"priority,omitempty"` // nice value, -20..19
	NoSwap       bool   `json:"no_swap,omitempty"`
	RTPriority   int    `json:"rt_priority,omitempty"` // 0 = not realtime
	CPUAffinity  []int  `json:"cpu_affinity,omitempty"`
	RLimitRTTime uint32 `json:"rlimit_rttime"` // microseconds
}

// NotifyFIFO is notify_fifo / vrrp_notify_fifo / lvs_notify_fifo with its
// optional script.
type NotifyFIFO struct {
	Name        string   `json:"name,omitempty"`
	User        string   `json:"user,omitempty"`
	Group       string   `json:"group,omitempty"`
	Script      []string `json:"script,omitempty"`
	ScriptUser  string   `json:"script_user,omitempty"`
	ScriptGroup string   `json:"script_group,omitempty"`
}

// LVSSyncDaemon is lvs_sync_daemon.
type LVSSyncDaemon struct {
	Interface string     `json:"interface"`
	Instance  string     `json:"instance,omitempty"`
	SyncID    *int       `json:"sync_id,omitempty"` // nil: the VRID of the instance
	MaxLen    int        `json:"maxlen,omitempty"`
	Port      int        `json:"port,omitempty"`
	TTL       int        `json:"ttl,omitempty"`
	Group     netip.Addr `json:"group,omitzero"`
}

// LVSTimeouts is lvs_timeouts; nil leaves the kernel's value unchanged.
type LVSTimeouts struct {
	TCP    *int `json:"tcp,omitempty"`
	TCPFin *int `json:"tcpfin,omitempty"`
	UDP    *int `json:"udp,omitempty"`
}

// keepalived's rule preferences for rules configured without one start
// here and count down.
const firstAutoRulePriority = 16384

// DefaultGlobalDefs returns keepalived 2.2.7's defaults for global_defs.
func DefaultGlobalDefs() GlobalDefs {
	rt := ProcessTuning{RLimitRTTime: 10000}
	return GlobalDefs{
		ChildWaitTime:               5,
		SMTPPort:                    25,
		SMTPConnectTimeout:          30,
		VRRPMcastGroup4:             netip.MustParseAddr("224.0.0.18"),
		VRRPMcastGroup6:             netip.MustParseAddr("ff02::12"),
		DefaultInterface:            "eth0",
		VRRPGARPMasterDelay:         5,
		VRRPGARPMasterRepeat:        5,
		VRRPGARPMasterRefreshRepeat: 1,
		VRRPGARPLowerPrioDelay:      -1,
		VRRPGARPLowerPrioRepeat:     -1,
		VRRPDownTimerAdverts:        3,
		VRRPVersion:                 2,
		NFTablesPriority:            -1,
		NFTablesIPVSPriority:        -1,
		NFTablesIPVSStartFwmark:     1000,
		MinAutoPriorityDelay:        1000000,
		VRRPProcess:                 rt,
		CheckerProcess:              rt,
		BFDProcess:                  rt,
		VRRPRxBufsMultiplier:        3,
		nextRulePrio4:               firstAutoRulePriority,
		nextRulePrio6:               firstAutoRulePriority,
	}
}
