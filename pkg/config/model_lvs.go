package config

import (
	"fmt"
	"net/netip"
	"time"
)

// LVS / health-checker side of the model: virtual_server_group,
// virtual_server, real_server, the checkers and the SSL block, as keepalived
// 2.2.7's checker process reads them (keepalived/check/check_parser.c,
// check_data.c and the check_*.c keyword installers).
//
// Optional settings that keepalived inherits down the chain
// virtual server → real server → checker are pointers while parsing (nil =
// "not configured here"); the LVS check (check_lvs.go) resolves them the way
// keepalived's validate_check_config does, so after Build every surviving
// real server and checker carries its effective value.

// VirtualServerGroup is a virtual_server_group block.
type VirtualServerGroup struct {
	Name    string       `json:"name"`
	Pos     Pos          `json:"-"`
	Ranges  []*VSGRange  `json:"ranges,omitempty"`
	Fwmarks []*VSGFwmark `json:"fwmarks,omitempty"`
}

// HasIPv4 and HasIPv6 report the address families the group's entries use
// (keepalived's vsg->have_ipv4/have_ipv6, which fwmarks with a family count
// towards too).
func (g *VirtualServerGroup) HasIPv4() bool { return g.hasFamily(4) }

// HasIPv6 reports whether any entry of the group is IPv6.
func (g *VirtualServerGroup) HasIPv6() bool { return g.hasFamily(6) }

func (g *VirtualServerGroup) hasFamily(v int) bool {
	for _, r := range g.Ranges {
		if (v == 4) == r.Start.Is4() {
			return true
		}
	}
	want := "inet"
	if v == 6 {
		want = "inet6"
	}
	for _, f := range g.Fwmarks {
		if f.Family == want {
			return true
		}
	}
	return false
}

// VSGRange is an address entry of a virtual_server_group: one address
// (Start == End), a last-part range "10.0.0.1-10", a full range
// "10.0.0.1-10.0.0.9" or a prefix "10.0.0.8/29", with an optional port.
type VSGRange struct {
	Pos   Pos        `json:"-"`
	Text  string     `json:"text"`
	Start netip.Addr `json:"start"`
	End   netip.Addr `json:"end"`
	// Port 0 means none given (only valid for persistent services).
	Port uint16 `json:"port,omitempty"`
}

// VSGFwmark is a "fwmark N [inet|inet6]" entry of a virtual_server_group.
type VSGFwmark struct {
	Pos    Pos    `json:"-"`
	Mark   uint32 `json:"mark"`
	Family string `json:"family,omitempty"`
}

// Forwarding is an LVS forwarding method with its tunnel options
// (lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]).
type Forwarding struct {
	// Method is "NAT", "DR" or "TUN"; "" means not configured (keepalived
	// later defaults to NAT with a message).
	Method string `json:"method,omitempty"`
	// TunnelType is "ipip", "gue" or "gre" for TUN.
	TunnelType string `json:"tunnel_type,omitempty"`
	TunnelPort uint16 `json:"tunnel_port,omitempty"`
	// TunnelCsum is "nocsum", "csum" or "remcsum".
	TunnelCsum string `json:"tunnel_csum,omitempty"`
}

// Script is a notify/quorum/misc script: the argv to run and the optional
// user and group to run it as.
type Script struct {
	Argv  []string `json:"argv"`
	User  string   `json:"user,omitempty"`
	Group string   `json:"group,omitempty"`
	Pos   Pos      `json:"-"`
}

// VirtualServer is a virtual_server block: "IP [PORT]", "fwmark N" or
// "group NAME".
type VirtualServer struct {
	Pos Pos `json:"-"`

	Addr      netip.Addr `json:"addr,omitzero"`
	Port      uint16     `json:"port,omitempty"`
	Fwmark    uint32     `json:"fwmark,omitempty"`
	IsFwmark  bool       `json:"is_fwmark,omitempty"`
	GroupName string     `json:"group,omitempty"`
	// Group is the virtual_server_group named by GroupName, linked by the
	// LVS check (nil if it does not exist).
	Group *VirtualServerGroup `json:"-"`

	// Family is "inet" or "inet6" ("" while undetermined), from the
	// address, ip_family, persistence_granularity or the real servers.
	Family string `json:"family,omitempty"`

	// Scheduler is lvs_sched (alias lb_algo); "" = not set (default wlc).
	Scheduler string `json:"lvs_sched,omitempty"`
	OPS       bool   `json:"ops,omitempty"`
	Flag1     bool   `json:"flag_1,omitempty"`
	Flag2     bool   `json:"flag_2,omitempty"`
	Flag3     bool   `json:"flag_3,omitempty"`
	SHPort    bool   `json:"sh_port,omitempty"`
	SHFallbk  bool   `json:"sh_fallback,omitempty"`
	MHPort    bool   `json:"mh_port,omitempty"`
	MHFallbk  bool   `json:"mh_fallback,omitempty"`

	Forwarding Forwarding `json:"lvs_method"`

	// PersistenceTimeout in seconds, 0 = not persistent.
	PersistenceTimeout uint32 `json:"persistence_timeout,omitempty"`
	// PersistenceGranularity is the IPv4 netmask or IPv6 prefix length as
	// written; "" = none.
	PersistenceGranularity string `json:"persistence_granularity,omitempty"`
	PersistenceEngine      string `json:"persistence_engine,omitempty"`

	// Protocol is "TCP", "UDP" or "SCTP"; "" = not set.
	Protocol  string `json:"protocol,omitempty"`
	HASuspend bool   `json:"ha_suspend,omitempty"`
	// SMTPAlert nil = not set (resolved from global_defs by the check).
	SMTPAlert   *bool  `json:"smtp_alert,omitempty"`
	VirtualHost string `json:"virtualhost,omitempty"`
	SNMPName    string `json:"snmp_name,omitempty"`

	Alpha      bool    `json:"alpha,omitempty"`
	Omega      bool    `json:"omega,omitempty"`
	Quorum     uint32  `json:"quorum"`
	Hysteresis uint32  `json:"hysteresis,omitempty"`
	QuorumUp   *Script `json:"quorum_up,omitempty"`
	QuorumDown *Script `json:"quorum_down,omitempty"`
	// Weight is the default weight of the real servers (2.2 "weight").
	Weight int `json:"weight"`

	Inhibit          bool           `json:"inhibit_on_failure,omitempty"`
	ConnectTimeout   time.Duration  `json:"connect_timeout"`
	DelayLoop        time.Duration  `json:"delay_loop"`
	Warmup           *time.Duration `json:"warmup,omitempty"`
	Retry            *uint32        `json:"retry,omitempty"`
	DelayBeforeRetry *time.Duration `json:"delay_before_retry,omitempty"`

	SorryServer *RealServer   `json:"sorry_server,omitempty"`
	RealServers []*RealServer `json:"real_servers,omitempty"`

	// SorryDuplicatesRS is set by the check when the sorry server is also
	// one of the real servers.
	SorryDuplicatesRS bool `json:"-"`
}

// RealServer is a real_server block (or the sorry_server line).
type RealServer struct {
	Pos  Pos        `json:"-"`
	Addr netip.Addr `json:"addr"`
	// Port 0 = not given (taken from the virtual server for NAT/DR/TUN
	// services as keepalived does).
	Port uint16 `json:"port,omitempty"`

	// Weight nil = not set (the virtual server's weight).
	Weight     *int       `json:"weight,omitempty"`
	Forwarding Forwarding `json:"lvs_method"`
	UThreshold uint32     `json:"uthreshold,omitempty"`
	LThreshold uint32     `json:"lthreshold,omitempty"`
	NotifyUp   *Script    `json:"notify_up,omitempty"`
	NotifyDown *Script    `json:"notify_down,omitempty"`

	Inhibit          *bool          `json:"inhibit_on_failure,omitempty"`
	Alpha            *bool          `json:"alpha,omitempty"`
	SMTPAlert        *bool          `json:"smtp_alert,omitempty"`
	VirtualHost      string         `json:"virtualhost,omitempty"`
	SNMPName         string         `json:"snmp_name,omitempty"`
	ConnectTimeout   *time.Duration `json:"connect_timeout,omitempty"`
	DelayLoop        *time.Duration `json:"delay_loop,omitempty"`
	Warmup           *time.Duration `json:"warmup,omitempty"`
	Retry            *uint32        `json:"retry,omitempty"`
	DelayBeforeRetry *time.Duration `json:"delay_before_retry,omitempty"`

	Checkers []*Checker `json:"checkers,omitempty"`
}

// Checker types, as the keywords that open them.
const (
	CheckHTTP = "HTTP_GET"
	CheckSSL  = "SSL_GET"
	CheckTCP  = "TCP_CHECK"
	CheckMisc = "MISC_CHECK"
	CheckSMTP = "SMTP_CHECK"
	CheckDNS  = "DNS_CHECK"
	CheckUDP  = "UDP_CHECK"
	CheckPing = "PING_CHECK"
	CheckFile = "FILE_CHECK"
	CheckBFD  = "BFD_CHECK"
)

// Checker is one health checker of a real server.
type Checker struct {
	Type string `json:"type"`
	Pos  Pos    `json:"-"`
	// end is where the block closed, for messages keepalived gives there.
	end Pos

	// Conn holds the connection options; nil for MISC_CHECK, FILE_CHECK and
	// BFD_CHECK, which have none.
	Conn *ConnOpts `json:"conn,omitempty"`

	Alpha            *bool          `json:"alpha,omitempty"`
	LogAllFailures   bool           `json:"log_all_failures,omitempty"`
	Retry            *uint32        `json:"retry,omitempty"`
	DelayBeforeRetry *time.Duration `json:"delay_before_retry,omitempty"`
	Warmup           *time.Duration `json:"warmup,omitempty"`
	DelayLoop        *time.Duration `json:"delay_loop,omitempty"`

	HTTP *HTTPCheck `json:"http,omitempty"`
	SMTP *SMTPCheck `json:"smtp,omitempty"`
	DNS  *DNSCheck  `json:"dns,omitempty"`
	UDP  *UDPCheck  `json:"udp,omitempty"`
	Misc *MiscCheck `json:"misc,omitempty"`
	File *FileCheck `json:"file,omitempty"`
	BFD  *BFDCheck  `json:"bfd,omitempty"`
}

// ConnOpts are a checker's connect_ip/connect_port/bindto/bind_port/bind_if/
// connect_timeout/fwmark. Unset address/port mean the real server's.
type ConnOpts struct {
	ConnectIP   netip.Addr     `json:"connect_ip,omitzero"`
	ConnectPort uint16         `json:"connect_port,omitempty"`
	BindTo      netip.Addr     `json:"bindto,omitzero"`
	BindPort    uint16         `json:"bind_port,omitempty"`
	BindIf      string         `json:"bind_if,omitempty"`
	Timeout     *time.Duration `json:"connect_timeout,omitempty"`
	Fwmark      uint32         `json:"fwmark,omitempty"`
}

// HTTPCheck is the HTTP_GET / SSL_GET specific part.
type HTTPCheck struct {
	// Protocol is "1.0" (default), "1.0C" or "1.1".
	Protocol     string `json:"http_protocol"`
	VirtualHost  string `json:"virtualhost,omitempty"`
	EnableSNI    bool   `json:"enable_sni,omitempty"`
	FastRecovery bool   `json:"fast_recovery,omitempty"`
	// TLSCompliant is tls_compliant (keepalived 2.3+; 2.2.7 rejects it).
	TLSCompliant bool   `json:"tls_compliant,omitempty"`
	URLs         []*URL `json:"urls"`
}

// URL is one url { } block of HTTP_GET/SSL_GET.
type URL struct {
	Pos  Pos    `json:"-"`
	Path string `json:"path"`
	// Digest is the MD5 digest, 32 lower-case hex digits.
	Digest string `json:"digest,omitempty"`
	// StatusCodes are inclusive ranges; keepalived's default is 200-299.
	StatusCodes  []StatusRange `json:"status_codes"`
	VirtualHost  string        `json:"virtualhost,omitempty"`
	Regex        string        `json:"regex,omitempty"`
	RegexNoMatch bool          `json:"regex_no_match,omitempty"`
	RegexOptions []string      `json:"regex_options,omitempty"`
	// RegexStack is [start, max] when regex_stack was given.
	RegexStack     []uint64 `json:"regex_stack,omitempty"`
	RegexMinOffset uint64   `json:"regex_min_offset,omitempty"`
	// RegexMaxOffset nil = no maximum.
	RegexMaxOffset *uint64 `json:"regex_max_offset,omitempty"`
}

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// SMTPCheck is the SMTP_CHECK specific part. Each deprecated host { } block
// becomes a checker of its own in keepalived; we keep them as Hosts.
type SMTPCheck struct {
	HeloName string      `json:"helo_name"`
	Hosts    []*ConnOpts `json:"hosts,omitempty"`
}

// DNSCheck is the DNS_CHECK specific part.
type DNSCheck struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// UDPCheck is the UDP_CHECK specific part.
type UDPCheck struct {
	Payload      []byte `json:"payload,omitempty"`
	RequireReply bool   `json:"require_reply,omitempty"`
	ReplyData    []byte `json:"reply_data,omitempty"`
	// ReplyMask has a 0xF nibble where the reply pattern had X (ignored).
	ReplyMask   []byte `json:"reply_mask,omitempty"`
	MinReplyLen int    `json:"min_reply_length"`
	MaxReplyLen int    `json:"max_reply_length"`
}

// MiscCheck is the MISC_CHECK specific part.
type MiscCheck struct {
	Script Script `json:"script"`
	// Timeout 0 = the virtual server's delay_loop.
	Timeout time.Duration `json:"misc_timeout,omitempty"`
	Dynamic bool          `json:"misc_dynamic,omitempty"`
}

// FileCheck is the FILE_CHECK specific part.
type FileCheck struct {
	TrackFile string `json:"track_file"`
	// Weight nil = the track_file's own weight.
	Weight  *int `json:"weight,omitempty"`
	Reverse bool `json:"reverse,omitempty"`
	// Dynamic is documented by the 2.2.7 man page but rejected by its
	// parser; kept for later versions.
	Dynamic bool `json:"dynamic,omitempty"`
}

// BFDCheck is the BFD_CHECK specific part.
type BFDCheck struct {
	Name string `json:"name"`
}

// SSLConfig is the top-level SSL block used by SSL_GET.
type SSLConfig struct {
	Pos         Pos    `json:"-"`
	Password    string `json:"password,omitempty"`
	CAFile      string `json:"ca,omitempty"`
	Certificate string `json:"certificate,omitempty"`
	Key         string `json:"key,omitempty"`
}

// SSL returns the configuration's SSL block, nil when there is none.
func (cfg *Config) SSL() *SSLConfig { return cfg.SSLBlock }

func setSSL(cfg *Config, s *SSLConfig) { cfg.SSLBlock = s }

// lvsProtoName is keepalived's lower-case protocol name in server names.
func lvsProtoName(p string) string {
	switch p {
	case "TCP":
		return "tcp"
	case "UDP":
		return "udp"
	case "SCTP":
		return "sctp"
	}
	return "none"
}

// Name renders the virtual server as keepalived's FMT_VS does:
// "[10.0.0.1]:tcp:80", "FWM 5" or "[GROUP]:0".
func (vs *VirtualServer) Name() string {
	switch {
	case vs.GroupName != "":
		return fmt.Sprintf("[%s]:0", vs.GroupName)
	case vs.IsFwmark:
		return fmt.Sprintf("FWM %d", vs.Fwmark)
	}
	return fmt.Sprintf("[%s]:%s:%d", vs.Addr, lvsProtoName(vs.Protocol), vs.Port)
}

// lvsServerName renders a real/sorry server as keepalived's FMT_RS does, with
// the protocol of its virtual server: "[192.168.1.20]:tcp:80".
func lvsServerName(rs *RealServer, vs *VirtualServer) string {
	return fmt.Sprintf("[%s]:%s:%d", rs.Addr, lvsProtoName(vs.Protocol), rs.Port)
}
