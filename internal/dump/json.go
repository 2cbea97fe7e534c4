package dump

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteJSON writes keepalived.json, the signal-36 dump: one line, an
// array with {"data": ..., "stats": ...} per instance. The members, their
// order and their spelling are keepalived's (json-c: "/" escaped as "\/",
// times as seconds with a fraction), so that consumers written against
// keepalived read ours. The encoder is hand-written because
// encoding/json neither keeps this member order for optional members
// nor escapes "/".
func WriteJSON(out io.Writer, s *Snapshot) error {
	b := bufio.NewWriter(out)
	b.WriteByte('[')
	for i := range s.Instances {
		if i > 0 {
			b.WriteByte(',')
		}
		v := &s.Instances[i]
		o := &object{b: b}
		b.WriteString(`{"data":`)
		o.open()
		o.str("iname", v.Name)
		o.num("dont_track_primary", int64(b2i(v.DontTrackPrimary)))
		o.num("skip_check_adv_addr", int64(b2i(v.SkipCheckAdvAddr)))
		o.num("strict_mode", int64(b2i(v.StrictMode)))
		o.str("vmac_ifname", v.VMACInterface)
		o.str("ifp_ifname", v.Interface)
		o.num("master_priority", int64(v.MasterPriority))
		o.raw("last_transition", fmt.Sprintf("%d.%06d", v.LastTransition.Unix(), v.LastTransition.Nanosecond()/1000))
		o.num("garp_delay", int64(v.GARPDelay))
		o.num("garp_refresh", int64(v.GARPRefresh))
		o.num("garp_rep", int64(v.GARPRepeat))
		o.num("garp_refresh_rep", int64(v.GARPRefreshRepeat))
		o.num("garp_lower_prio_delay", int64(v.GARPLowerPrioDelay))
		o.num("garp_lower_prio_rep", int64(v.GARPLowerPrioRepeat))
		o.num("lower_prio_no_advert", int64(b2i(v.LowerPrioNoAdvert)))
		o.num("higher_prio_send_advert", int64(b2i(v.HigherPrioSendAdvert)))
		o.num("vrid", int64(v.VRID))
		o.num("base_priority", int64(v.Priority))
		o.num("effective_priority", int64(v.EffectivePriority))
		o.boolean("vipset", v.VIPsSet)
		o.boolean("promote_secondaries", v.PromoteSecondary)
		o.raw("adver_int", seconds(v.AdvertInterval))
		o.raw("master_adver_int", seconds(v.MasterAdvertInt))
		o.num("accept", int64(b2i(v.Accept)))
		o.boolean("nopreempt", v.NoPreempt)
		o.raw("preempt_delay", seconds(v.PreemptDelay))
		o.num("state", int64(v.State))
		o.num("wantstate", int64(v.WantState))
		o.num("version", int64(v.Version))
		o.boolean("smtp_alert", v.SMTPAlert)
		o.boolean("notify_deleted", v.NotifyDeleted)
		n := &v.Notify
		for _, sc := range []struct{ key, cmd string }{
			{"script_backup", n.Backup}, {"script_master", n.Master}, {"script_fault", n.Fault},
			{"script_stop", n.Stop}, {"script", n.Generic}, {"script_master_rx_lower_pri", n.MasterRxLowerPri},
		} {
			if sc.cmd != "" {
				o.str(sc.key, sc.cmd)
			}
		}
		o.strs("vips", addrStrings(v.VIPs))
		o.strs("evips", addrStrings(v.EVIPs))
		o.strs("vroutes", v.Routes)
		o.strs("vrules", v.Rules)
		o.strs("track_ifp", names(v.TrackInterfaces))
		var cmds []string
		for _, t := range v.TrackScripts {
			cmds = append(cmds, t.Command)
		}
		o.strs("track_script", cmds)
		o.num("auth_type", int64(v.Auth))
		if v.Auth != AuthNone {
			o.str("auth_data", v.AuthPass)
		}
		o.close()
		b.WriteString(`,"stats":`)
		c := &v.Stats
		o = &object{b: b}
		o.open()
		for _, f := range []struct {
			k string
			v uint64
		}{
			{"advert_rcvd", c.AdvertRcvd}, {"advert_sent", c.AdvertSent},
			{"become_master", c.BecomeMaster}, {"release_master", c.ReleaseMaster},
			{"packet_len_err", c.PacketLenErr}, {"advert_interval_err", c.AdvertIntervalErr},
			{"ip_ttl_err", c.IPTTLErr}, {"invalid_type_rcvd", c.InvalidTypeRcvd},
			{"addr_list_err", c.AddrListErr}, {"invalid_authtype", c.InvalidAuthType},
			{"authtype_mismatch", c.AuthTypeMismatch}, {"auth_failure", c.AuthFailure},
			{"pri_zero_rcvd", c.PriZeroRcvd}, {"pri_zero_sent", c.PriZeroSent},
		} {
			o.raw(f.k, strconv.FormatUint(f.v, 10))
		}
		o.close()
		b.WriteByte('}')
	}
	b.WriteString("]\n")
	return b.Flush()
}

type object struct {
	b *bufio.Writer
	n int
}

func (o *object) open()  { o.b.WriteByte('{') }
func (o *object) close() { o.b.WriteByte('}') }

func (o *object) key(k string) {
	if o.n > 0 {
		o.b.WriteByte(',')
	}
	o.n++
	o.b.WriteString(jsonString(k))
	o.b.WriteByte(':')
}

func (o *object) raw(k, v string)       { o.key(k); o.b.WriteString(v) }
func (o *object) num(k string, v int64) { o.raw(k, strconv.FormatInt(v, 10)) }
func (o *object) str(k, v string)       { o.raw(k, jsonString(v)) }
func (o *object) boolean(k string, v bool) {
	o.raw(k, strconv.FormatBool(v))
}

// strs writes a string array, or nothing when it is empty: keepalived
// leaves out the lists an instance does not have.
func (o *object) strs(k string, v []string) {
	if len(v) == 0 {
		return
	}
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = jsonString(s)
	}
	o.raw(k, "["+strings.Join(q, ",")+"]")
}

// jsonString quotes s as json-c does: the JSON escapes plus "\/".
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func addrStrings(as []Address) []string {
	var s []string
	for _, a := range as {
		s = append(s, a.String())
	}
	return s
}

func names(ts []Tracked) []string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Name)
	}
	return s
}
