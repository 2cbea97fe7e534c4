package notify

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// What one notification does is decided here, from the configuration
// alone, as keepalived 2.2.7's send_instance_notifies,
// send_group_notifies, send_event_notify and
// send_instance_priority_notifies decide it (vrrp_notify.c; every detail
// below was checked against Debian's 2.2.7 with notify scripts that
// record their argv, FIFO readers and an SMTP sink).

// stopTimeout is how long a STOP script may run: keepalived starts an
// instance's notify_stop and the generic script's STOP run with a 1 s
// timeout (TIMER_HZ) and kills them when it expires — observed: a
// notify_stop still running after 0.9 s died of SIGKILL. A sync group's
// notify_stop has no timeout (keepalived runs it like any other notify
// script).
const stopTimeout = time.Second

// subject is what a notification is about: an instance or a sync group.
type subject struct {
	group bool
	name  string
}

// label is the subject as keepalived's log lines name it.
func (s subject) label() string {
	if s.group {
		return "VRRP_Group(" + s.name + ")"
	}
	return "(" + s.name + ")"
}

// job is one script run.
type job struct {
	keyword string // the configuration keyword, for tests
	script  *config.NotifyScript
	argv    []string // the configured argv, plus the generic script's four
	timeout time.Duration
}

// plan is everything one notification does: scripts to run one after the
// other (the specific script first, then the generic one, as keepalived
// starts them), a line for the notify FIFOs, and a mail.
type plan struct {
	jobs []job
	line string   // without the newline; "" for none
	mail *message // nil for none
}

// settings is the part of a configuration the plans read.
type settings struct {
	routerID      string
	from          string
	to            []string
	server        string
	port          int
	helo          string
	timeout       time.Duration
	mailOn        bool // recipients and a server are configured
	noEmailFaults bool
	writeOnReload bool

	instances  map[string]*config.VRRPInstance
	groups     map[string]*config.SyncGroup
	groupAlert map[string]bool
	// Configuration order, for the lines written at a reload.
	instOrder, groupOrder []string
}

func newSettings(cfg *config.Config) *settings {
	g := &cfg.Global
	s := &settings{
		routerID:      g.RouterID,
		from:          g.NotificationEmailFrom,
		to:            append([]string(nil), g.NotificationEmail...),
		server:        g.SMTPServer,
		port:          g.SMTPPort,
		helo:          g.SMTPHeloName,
		timeout:       time.Duration(g.SMTPConnectTimeout) * time.Second,
		noEmailFaults: g.NoEmailFaults,
		writeOnReload: g.FIFOWriteVRRPStatesOnReload,
		instances:     map[string]*config.VRRPInstance{},
		groups:        map[string]*config.SyncGroup{},
		groupAlert:    map[string]bool{},
	}
	s.mailOn = len(s.to) > 0 && s.server != ""
	if s.port == 0 {
		s.port = 25
	}
	if s.helo == "" {
		s.helo = "localhost" // keepalived's smtp.c fallback
	}
	if s.timeout <= 0 {
		s.timeout = time.Second // keepalived: "must be greater than 0, setting to 1"
	}
	for _, v := range cfg.Instances {
		s.instances[v.Name] = v
		s.instOrder = append(s.instOrder, v.Name)
	}
	for _, sg := range cfg.SyncGroups {
		s.groups[sg.Name] = sg
		s.groupOrder = append(s.groupOrder, sg.Name)
		s.groupAlert[sg.Name] = groupSMTPAlert(sg, g)
	}
	return s
}

// groupSMTPAlert resolves a sync group's smtp_alert as keepalived does
// for instances: the group's own setting, else global smtp_alert_vrrp,
// else global smtp_alert, else off (observed: smtp_alert false with
// smtp_alert_vrrp true mails a group that sets nothing).
func groupSMTPAlert(sg *config.SyncGroup, g *config.GlobalDefs) bool {
	switch {
	case sg.SMTPAlert != nil:
		return *sg.SMTPAlert
	case g.SMTPAlertVRRP != nil:
		return *g.SMTPAlertVRRP
	case g.SMTPAlert != nil:
		return *g.SMTPAlert
	}
	return false
}

// stateWord is a state as scripts and FIFO lines spell it.
func stateWord(st vrrp.State) string {
	switch st {
	case vrrp.Master, vrrp.Backup, vrrp.Fault, vrrp.Stopped, vrrp.Deleted:
		return st.String()
	}
	return "{UNKNOWN}"
}

// fifoLine is keepalived's notify FIFO line without its newline:
// TYPE "NAME" WHAT PRIORITY (observed: INSTANCE "VI_1" MASTER 100,
// GROUP "G1" BACKUP 0).
func fifoLine(group bool, name, what string, prio int) string {
	typ := "INSTANCE"
	if group {
		typ = "GROUP"
	}
	return fmt.Sprintf("%s \"%s\" %s %d", typ, name, what, uint8(prio))
}

// genericArgs are the words keepalived appends to the generic notify
// script's own: INSTANCE|GROUP, the name as one word, the state, the
// priority (0 for a group).
func genericArgs(s *config.NotifyScript, group bool, name, state string, prio int) []string {
	typ := "INSTANCE"
	if group {
		typ = "GROUP"
	}
	argv := make([]string, 0, len(s.Argv)+4)
	argv = append(argv, s.Argv...)
	return append(argv, typ, name, state, strconv.Itoa(prio))
}

func plainJob(keyword string, s *config.NotifyScript, timeout time.Duration) job {
	return job{keyword: keyword, script: s, argv: append([]string(nil), s.Argv...), timeout: timeout}
}

// planInstance: inst entered st (effective priority prio). lastMailed is
// the state of the instance's last mail (vrrp.Init before the first).
//
// A deletion by a reload is DELETED only with notify_deleted: its script
// (if any) runs, and the generic script, the FIFO and the mail say
// DELETED ("Deleted", "=> VRRP Deleted at reload <="). Without
// notify_deleted no specific script runs — not even notify_fault — and
// the generic script, the FIFO and the mail say FAULT (observed).
func planInstance(s *settings, inst *config.VRRPInstance, st vrrp.State, prio int, lastMailed vrrp.State) plan {
	shown := st
	specific, keyword := stateScript(&inst.Notifies, st)
	timeout := time.Duration(0)
	switch st {
	case vrrp.Stopped:
		timeout = stopTimeout
	case vrrp.Deleted:
		if inst.NotifyDeleted {
			specific, keyword = inst.NotifyDeletedScript, "notify_deleted"
		} else {
			shown = vrrp.Fault
		}
	}
	var p plan
	if specific != nil {
		p.jobs = append(p.jobs, plainJob(keyword, specific, timeout))
	}
	if inst.Notify != nil {
		p.jobs = append(p.jobs, job{keyword: "notify", script: inst.Notify,
			argv: genericArgs(inst.Notify, false, inst.Name, stateWord(shown), prio), timeout: timeout})
	}
	p.line = fifoLine(false, inst.Name, stateWord(shown), prio)
	if inst.SMTPAlert && wantMail(s, st, shown, lastMailed) {
		p.mail = s.message(false, inst.Name, st, shown)
	}
	return p
}

// stateScript is the specific notify script of an instance or a group
// for a state it entered, with its keyword.
func stateScript(n *config.Notifies, st vrrp.State) (*config.NotifyScript, string) {
	switch st {
	case vrrp.Master:
		return n.NotifyMaster, "notify_master"
	case vrrp.Backup:
		return n.NotifyBackup, "notify_backup"
	case vrrp.Fault:
		return n.NotifyFault, "notify_fault"
	case vrrp.Stopped:
		return n.NotifyStop, "notify_stop"
	}
	return nil, ""
}

// planGroup: the sync group sg entered st.
func planGroup(s *settings, sg *config.SyncGroup, st vrrp.State, lastMailed vrrp.State) plan {
	specific, keyword := stateScript(&sg.Notifies, st)
	timeout := time.Duration(0)
	if st == vrrp.Stopped {
		timeout = stopTimeout // the generic run's; see stopTimeout
	}
	var p plan
	if specific != nil {
		p.jobs = append(p.jobs, plainJob(keyword, specific, 0))
	}
	if sg.Notify != nil {
		p.jobs = append(p.jobs, job{keyword: "notify", script: sg.Notify,
			argv: genericArgs(sg.Notify, true, sg.Name, stateWord(st), 0), timeout: timeout})
	}
	p.line = fifoLine(true, sg.Name, stateWord(st), 0)
	if s.groupAlert[sg.Name] && wantMail(s, st, st, lastMailed) {
		p.mail = s.message(true, sg.Name, st, st)
	}
	return p
}

// planEvent: a notification that is not a state change. A master that
// hears a lower priority advert runs notify_master_rx_lower_pri (its
// configured argv only) and writes MASTER_RX_LOWER_PRI; a priority
// change (notify_priority_changes) only writes MASTER_PRIORITY when
// master, BACKUP_PRIORITY otherwise (observed in FAULT too).
func planEvent(inst *config.VRRPInstance, ev vrrp.NotifyEvent, st vrrp.State, prio int) plan {
	var p plan
	switch ev {
	case vrrp.EventMasterRxLowerPri:
		if inst.NotifyMasterRxLowerPri != nil {
			p.jobs = append(p.jobs, plainJob("notify_master_rx_lower_pri", inst.NotifyMasterRxLowerPri, 0))
		}
		p.line = fifoLine(false, inst.Name, "MASTER_RX_LOWER_PRI", prio)
	case vrrp.EventPriorityChange:
		what := "BACKUP_PRIORITY"
		if st == vrrp.Master {
			what = "MASTER_PRIORITY"
		}
		p.line = fifoLine(false, inst.Name, what, prio)
	}
	return p
}

// wantMail is keepalived's filter: no FAULT mail with no_email_faults,
// and no mail for the state the last mail was about.
func wantMail(s *settings, st, shown, lastMailed vrrp.State) bool {
	if !s.mailOn {
		return false
	}
	if s.noEmailFaults && shown == vrrp.Fault {
		return false
	}
	return st != lastMailed
}

// known is what the notifier last heard of a subject, for the lines
// fifo_write_vrrp_states_on_reload writes.
type known struct {
	state vrrp.State
	prio  int
}

// reloadLines are the FIFO lines keepalived 2.2.7 writes after a reload
// with fifo_write_vrrp_states_on_reload: every sync group's state, then
// the state of every instance that is not MASTER, in configuration order
// (observed: masters, in a group or not, get no line; BACKUP and FAULT
// instances do). Subjects never heard of get none.
func reloadLines(s *settings, states map[subject]known) []string {
	var out []string
	for _, name := range s.groupOrder {
		if k, ok := states[subject{group: true, name: name}]; ok {
			out = append(out, fifoLine(true, name, stateWord(k.state), 0))
		}
	}
	for _, name := range s.instOrder {
		k, ok := states[subject{name: name}]
		if !ok || k.state == vrrp.Master || k.state == vrrp.Stopped || k.state == vrrp.Deleted {
			continue
		}
		out = append(out, fifoLine(false, name, stateWord(k.state), k.prio))
	}
	return out
}

// planner turns notifications into plans, keeping what keepalived keeps
// between them: each subject's last state (for the reload lines) and the
// state of its last mail. It does no I/O.
type planner struct {
	cfg     *config.Config
	set     *settings
	retired map[string]*config.VRRPInstance // removed by the last reload
	states  map[subject]known
	mailed  map[subject]vrrp.State
}

func newPlanner(cfg *config.Config) *planner {
	return &planner{
		cfg:     cfg,
		set:     newSettings(cfg),
		retired: map[string]*config.VRRPInstance{},
		states:  map[subject]known{},
		mailed:  map[subject]vrrp.State{},
	}
}

// reload switches to cfg and returns the FIFO lines to write once the
// FIFOs are open again (fifo_write_vrrp_states_on_reload). An instance
// the reload removed keeps its old configuration for the notification of
// its deletion, until the next reload.
func (p *planner) reload(cfg *config.Config) []string {
	old := p.set
	p.cfg, p.set = cfg, newSettings(cfg)
	clear(p.retired)
	for name, inst := range old.instances {
		if p.set.instances[name] == nil {
			p.retired[name] = inst
		}
	}
	for sub := range p.states {
		if sub.group && p.set.groups[sub.name] == nil {
			delete(p.states, sub)
			delete(p.mailed, sub)
		}
	}
	if !p.set.writeOnReload {
		return nil
	}
	return reloadLines(p.set, p.states)
}

func (p *planner) lookupInstance(name string) *config.VRRPInstance {
	if inst := p.set.instances[name]; inst != nil {
		return inst
	}
	return p.retired[name]
}

func (p *planner) lastMailed(sub subject) vrrp.State {
	if st, ok := p.mailed[sub]; ok {
		return st
	}
	return vrrp.Init // keepalived's last_email_state starts as INIT
}

// instance plans "the instance name entered st"; ok is false for an
// instance the configuration does not know.
func (p *planner) instance(name string, st vrrp.State, prio int) (pl plan, ok bool) {
	inst := p.lookupInstance(name)
	if inst == nil {
		return plan{}, false
	}
	sub := subject{name: name}
	pl = planInstance(p.set, inst, st, prio, p.lastMailed(sub))
	if st == vrrp.Deleted {
		// Gone: nothing is kept about it.
		delete(p.states, sub)
		delete(p.mailed, sub)
		delete(p.retired, name)
		return pl, true
	}
	p.states[sub] = known{state: st, prio: prio}
	if pl.mail != nil {
		p.mailed[sub] = st
	}
	return pl, true
}

func (p *planner) group(name string, st vrrp.State) (pl plan, ok bool) {
	sg := p.set.groups[name]
	if sg == nil {
		return plan{}, false
	}
	sub := subject{group: true, name: name}
	pl = planGroup(p.set, sg, st, p.lastMailed(sub))
	p.states[sub] = known{state: st}
	if pl.mail != nil {
		p.mailed[sub] = st
	}
	return pl, true
}

func (p *planner) event(name string, ev vrrp.NotifyEvent, st vrrp.State, prio int) (plan, bool) {
	inst := p.lookupInstance(name)
	if inst == nil {
		return plan{}, false
	}
	return planEvent(inst, ev, st, prio), true
}
