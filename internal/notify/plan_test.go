package notify

import (
	"slices"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// planConf exercises what the session does not: notify_deleted with and
// without a script (observed with keepalived 2.2.7: see the comments of
// the cases), a group without scripts, the global mail defaults.
const planConf = `
global_defs {
    router_id R5
    notification_email {
        ops@example.com
    }
    notification_email_from ka@example.net
    smtp_server 127.0.0.1 2525
    smtp_alert false
    smtp_alert_vrrp true
}
vrrp_sync_group G1 {
    group {
        VI_2
        VI_3
    }
}
vrrp_sync_group G2 {
    group {
        VI_4
        VI_5
    }
    smtp_alert false
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1
    }
    notify_master "/usr/local/bin/rec.sh e1_master"
    notify_fault "/usr/local/bin/rec.sh e1_fault"
    notify_deleted "/usr/local/bin/rec.sh e1_deleted"
    notify "/usr/local/bin/rec.sh e1_generic"
    smtp_alert
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        10.0.0.2
    }
    notify_fault "/usr/local/bin/rec.sh e2_fault"
    notify "/usr/local/bin/rec.sh e2_generic"
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    priority 100
    virtual_ipaddress {
        10.0.0.3
    }
    notify_deleted
    notify "/usr/local/bin/rec.sh e3_generic"
    smtp_alert false
}
vrrp_instance VI_4 {
    interface eth0
    virtual_router_id 54
    priority 255
    virtual_ipaddress {
        10.0.0.4
    }
}
vrrp_instance VI_5 {
    interface eth0
    virtual_router_id 55
    priority 100
    virtual_ipaddress {
        10.0.0.5
    }
    notify_stop "/usr/local/bin/rec.sh e5_stop" nobody
}
`

func TestPlan(t *testing.T) {
	set := newSettings(loadConfig(t, "plan.conf", planConf, t.TempDir()))
	inst := func(name string, st vrrp.State, prio int, last vrrp.State) plan {
		return planInstance(set, set.instances[name], st, prio, last)
	}
	group := func(name string, st vrrp.State, last vrrp.State) plan {
		return planGroup(set, set.groups[name], st, last)
	}
	const never = vrrp.Init
	for _, c := range []struct {
		name  string
		p     plan
		runs  []string // keyword: argv (timeout)
		line  string
		mail  string // subject | body
		users []string
	}{
		{
			// Observed: notify_deleted with a script runs it (no
			// arguments) and the generic script with DELETED.
			name: "deleted with notify_deleted script",
			p:    inst("VI_1", vrrp.Deleted, 100, vrrp.Master),
			runs: []string{"notify_deleted: /usr/local/bin/rec.sh e1_deleted", "notify: /usr/local/bin/rec.sh e1_generic INSTANCE VI_1 DELETED 100"},
			line: `INSTANCE "VI_1" DELETED 100`,
			mail: "[R5] VRRP Instance VI_1 - Deleted | => VRRP Deleted at reload <=",
		},
		{
			// Observed: notify_deleted without a script.
			name: "deleted with bare notify_deleted",
			p:    inst("VI_3", vrrp.Deleted, 90, vrrp.Master),
			runs: []string{"notify: /usr/local/bin/rec.sh e3_generic INSTANCE VI_3 DELETED 90"},
			line: `INSTANCE "VI_3" DELETED 90`,
		},
		{
			// Observed: without notify_deleted, FAULT everywhere but no
			// notify_fault.
			name: "deleted without notify_deleted",
			p:    inst("VI_2", vrrp.Deleted, 100, vrrp.Backup),
			runs: []string{"notify: /usr/local/bin/rec.sh e2_generic INSTANCE VI_2 FAULT 100"},
			line: `INSTANCE "VI_2" FAULT 100`,
			mail: "[R5] VRRP Instance VI_2 - Entering FAULT state | => VRRP Instance is no longer owning VRRP VIPs <=",
		},
		{
			// A real FAULT runs notify_fault; smtp_alert_vrrp true mails
			// an instance that sets nothing.
			name: "fault",
			p:    inst("VI_2", vrrp.Fault, 100, never),
			runs: []string{"notify_fault: /usr/local/bin/rec.sh e2_fault", "notify: /usr/local/bin/rec.sh e2_generic INSTANCE VI_2 FAULT 100"},
			line: `INSTANCE "VI_2" FAULT 100`,
			mail: "[R5] VRRP Instance VI_2 - Entering FAULT state | => VRRP Instance is no longer owning VRRP VIPs <=",
		},
		{
			name: "no mail for the state of the last mail",
			p:    inst("VI_1", vrrp.Master, 100, vrrp.Master),
			runs: []string{"notify_master: /usr/local/bin/rec.sh e1_master", "notify: /usr/local/bin/rec.sh e1_generic INSTANCE VI_1 MASTER 100"},
			line: `INSTANCE "VI_1" MASTER 100`,
		},
		{
			name: "no script configured for the state",
			p:    inst("VI_4", vrrp.Master, 255, never),
			line: `INSTANCE "VI_4" MASTER 255`,
			mail: "[R5] VRRP Instance VI_4 - Entering MASTER state | => VRRP Instance is now owning VRRP VIPs <=",
		},
		{
			// notify_stop is killed after 1 s; its user is the script's.
			name:  "stop",
			p:     inst("VI_5", vrrp.Stopped, 100, vrrp.Backup),
			runs:  []string{"notify_stop: /usr/local/bin/rec.sh e5_stop (1s)"},
			line:  `INSTANCE "VI_5" STOP 100`,
			mail:  "[R5] VRRP Instance VI_5 - Stopping | => VRRP Instance stopping <=",
			users: []string{"nobody"},
		},
		{
			// A group without smtp_alert takes smtp_alert_vrrp (observed
			// with smtp_alert false, smtp_alert_vrrp true).
			name: "group mail default",
			p:    group("G1", vrrp.Fault, never),
			line: `GROUP "G1" FAULT 0`,
			mail: "[R5] VRRP Group G1 - Entering FAULT state | => All VRRP group instances are now in FAULT state <=",
		},
		{
			name: "group smtp_alert false",
			p:    group("G2", vrrp.Master, never),
			line: `GROUP "G2" MASTER 0`,
		},
		{
			name: "group unknown state",
			p:    group("G2", vrrp.Init, never),
			line: `GROUP "G2" {UNKNOWN} 0`,
		},
		{
			name: "rx lower pri without a script",
			p:    planEvent(set.instances["VI_2"], vrrp.EventMasterRxLowerPri, vrrp.Master, 100),
			line: `INSTANCE "VI_2" MASTER_RX_LOWER_PRI 100`,
		},
		{
			name: "priority change in backup",
			p:    planEvent(set.instances["VI_2"], vrrp.EventPriorityChange, vrrp.Backup, 253),
			line: `INSTANCE "VI_2" BACKUP_PRIORITY 253`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			var runs, users []string
			for _, j := range c.p.jobs {
				s := j.keyword + ": " + quoteWords(j.argv)
				if j.timeout != 0 {
					s += " (" + j.timeout.String() + ")"
				}
				runs = append(runs, s)
				if j.script.User != "" {
					users = append(users, j.script.User)
				}
			}
			if !slices.Equal(runs, c.runs) {
				t.Errorf("scripts\n got %q\nwant %q", runs, c.runs)
			}
			if !slices.Equal(users, c.users) {
				t.Errorf("users %q, want %q", users, c.users)
			}
			if c.p.line != c.line {
				t.Errorf("fifo %q, want %q", c.p.line, c.line)
			}
			mail := ""
			if c.p.mail != nil {
				mail = c.p.mail.subject + " | " + c.p.mail.body
				if c.p.mail.from != "ka@example.net" || strings.Join(c.p.mail.to, ",") != "ops@example.com" {
					t.Errorf("mail from %q to %q", c.p.mail.from, c.p.mail.to)
				}
			}
			if mail != c.mail {
				t.Errorf("mail %q, want %q", mail, c.mail)
			}
		})
	}
}

// TestMailFilters: no_email_faults, and no mail without recipients or a
// server (keepalived's smtp_alert returns at once then).
func TestMailFilters(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(g *config.GlobalDefs)
		st     vrrp.State
		mail   bool
	}{
		{"fault", func(*config.GlobalDefs) {}, vrrp.Fault, true},
		{"no_email_faults fault", func(g *config.GlobalDefs) { g.NoEmailFaults = true }, vrrp.Fault, false},
		{"no_email_faults deleted as fault", func(g *config.GlobalDefs) { g.NoEmailFaults = true }, vrrp.Deleted, false},
		{"no_email_faults master", func(g *config.GlobalDefs) { g.NoEmailFaults = true }, vrrp.Master, true},
		{"no recipients", func(g *config.GlobalDefs) { g.NotificationEmail = nil }, vrrp.Master, false},
		{"no server", func(g *config.GlobalDefs) { g.SMTPServer = "" }, vrrp.Master, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := loadConfig(t, "plan.conf", planConf, t.TempDir())
			c.change(&cfg.Global)
			set := newSettings(cfg)
			p := planInstance(set, set.instances["VI_2"], c.st, 100, vrrp.Init)
			if got := p.mail != nil; got != c.mail {
				t.Errorf("mail %v, want %v", got, c.mail)
			}
		})
	}
}

// TestPlannerMailMemory: the state of the last mail is remembered per
// subject and forgotten with a deleted instance; a mail filtered out
// does not count as sent.
func TestPlannerMailMemory(t *testing.T) {
	cfg := loadConfig(t, "plan.conf", planConf, t.TempDir())
	cfg.Global.NoEmailFaults = true
	p := newPlanner(cfg)
	var got []bool
	for _, st := range []vrrp.State{vrrp.Backup, vrrp.Fault, vrrp.Backup, vrrp.Master, vrrp.Master, vrrp.Backup} {
		pl, _ := p.instance("VI_2", st, 100)
		got = append(got, pl.mail != nil)
	}
	// BACKUP mails; FAULT is filtered; BACKUP again is the last mail's
	// state; MASTER mails; MASTER again does not; BACKUP does.
	if want := []bool{true, false, false, true, false, true}; !slices.Equal(got, want) {
		t.Errorf("mails %v, want %v", got, want)
	}
	if _, ok := p.instance("nosuch", vrrp.Master, 1); ok {
		t.Error("an unknown instance was planned")
	}
	if _, ok := p.group("nosuch", vrrp.Master); ok {
		t.Error("an unknown group was planned")
	}
}

// TestReloadLines: fifo_write_vrrp_states_on_reload writes the groups,
// then the instances that are not MASTER (observed: G1 BACKUP, VI_2
// BACKUP, VI_3 BACKUP, VI_4 FAULT; masters get no line).
func TestReloadLines(t *testing.T) {
	cfg := loadConfig(t, "plan.conf", planConf, t.TempDir())
	cfg.Global.FIFOWriteVRRPStatesOnReload = true
	p := newPlanner(cfg)
	p.group("G1", vrrp.Backup)
	p.instance("VI_1", vrrp.Master, 100)
	p.instance("VI_2", vrrp.Backup, 100)
	p.instance("VI_3", vrrp.Fault, 90)
	p.instance("VI_5", vrrp.Backup, 100)
	p.instance("VI_5", vrrp.Deleted, 100)
	got := p.reload(cfg)
	want := []string{`GROUP "G1" BACKUP 0`, `INSTANCE "VI_2" BACKUP 100`, `INSTANCE "VI_3" FAULT 90`}
	if !slices.Equal(got, want) {
		t.Errorf("reload lines\n got %q\nwant %q", got, want)
	}
	cfg.Global.FIFOWriteVRRPStatesOnReload = false
	if got := p.reload(cfg); got != nil {
		t.Errorf("without fifo_write_vrrp_states_on_reload: %q", got)
	}
}
