package vrrp

import (
	"fmt"
	"strings"
)

// Every log line the state machine emits is defined here, once, with
// keepalived 2.2.7's exact wording: operators grep for these. The first
// verb is always the instance (or group) name. Lines keepalived only
// prints with -D (its "log detail" flag) are marked detail.

type logMsg struct {
	format string
	detail bool
}

var (
	// State changes.
	msgEnterMaster     = logMsg{"(%s) Entering MASTER STATE", false}
	msgEnterBackup     = logMsg{"(%s) Entering BACKUP STATE", false}
	msgEnterFault      = logMsg{"(%s) Entering FAULT STATE", false}
	msgEnterBackupInit = logMsg{"(%s) Entering BACKUP STATE (init)", false}
	msgRxTimeout       = logMsg{"(%s) Receive advertisement timeout", true}
	// Ours: a respawned VRRP process carries on as master.
	msgResume = logMsg{"(%s) addresses still configured by the previous VRRP process: resuming as MASTER", false}

	// Start-up fault reasons (keepalived only words them at start-up; a
	// fault at run time logs just the state change).
	msgInitFaultIface   = logMsg{"(%s): entering FAULT state (interface %s down)", false}
	msgInitFaultScript  = logMsg{"(%s): entering FAULT state due to script %s", false}
	msgInitFaultFile    = logMsg{"(%s): entering FAULT state (tracked file %s has status %d)", false}
	msgInitFaultProcess = logMsg{"(%s) entering FAULT state (tracked process %s quorum not achieved)", false}

	// Adverts received as backup.
	msgBackupRxPrio0  = logMsg{"(%s) Backup received priority 0 advertisement", true}
	msgBackupRxLower  = logMsg{"(%s) received lower priority (%d) advert from %s - discarding", false}
	msgIntervalUpdate = logMsg{"(%s) advertisement interval updated from %dms to %dms by master", true}
	msgPreemptStart   = logMsg{"(%s) start preempt delay (%d.%06d)", true}
	msgPreemptStop    = logMsg{"(%s) stop preempt delay", true}

	// Adverts received as master.
	msgMasterRxPrio0  = logMsg{"(%s) Master received priority 0 message", true}
	msgMasterRxLower  = logMsg{"(%s) Received advert from %s with lower priority %d, ours %d%s", false}
	msgForcingNew     = ", forcing new election"
	msgMasterRxHigher = logMsg{"(%s) Master received advert from %s with higher priority %d, ours %d", false}
	msgMasterRxSameIP = logMsg{"(%s) Master received advert from %s with same priority %d but higher IP address than ours", false}
	msgOwnAddress     = logMsg{"(%s) WARNING - equal priority advert received from remote host with our IP address.", false}
	msgOwnerConflict  = logMsg{"(%s) CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority", false}
	msgLocalInterval  = logMsg{"(%s) changing advert interval from %dms to locally configured %dms", true}

	// Adverts the instance refuses (keepalived's receive checks that
	// depend on the instance's state).
	msgWrongVersion     = logMsg{"(%s) wrong version. Received %d and expect %d", false}
	msgIntervalMismatch = logMsg{"(%s) advertisement interval mismatch mine=%d sec rcv'd=%d sec", false}
	msgAddrCount        = logMsg{"(%s) received an unexpected ip number count %d, expected %d!", false}
	msgAddrMissing      = logMsg{"(%s) ip address associated with VRID %d not present in MASTER advert: %s", false}

	// Effects.
	msgSentPrio0   = logMsg{"(%s) sent 0 priority", true}
	msgVIPs        = logMsg{"(%s) %sing %sVIPs.", true}
	msgRoutes      = logMsg{"(%s) %sing Virtual Routes", true}
	msgRules       = logMsg{"(%s) %sing Virtual Rules", true}
	msgFirewall    = logMsg{"(%s) %sing firewall drop rule", true}
	msgGARPQueued  = logMsg{"(%s) Sending/queueing %s on %s for %s", true}
	msgChangePrio  = logMsg{"(%s) Changing effective priority from %d to %d", false}
	msgGARPv4      = "gratuitous ARPs"
	msgGARPv6      = "Unsolicited Neighbour Adverts"
	msgVerbSet     = "sett"
	msgVerbRemove  = "remov"
	msgKindEVIP    = "E-"
	msgKindVIPNone = ""

	// Sync groups.
	msgGroupToBackup  = logMsg{"VRRP_Group(%s) Syncing instances to BACKUP state", false}
	msgGroupToMaster  = logMsg{"VRRP_Group(%s) Syncing instances to MASTER state", false}
	msgGroupToFault   = logMsg{"VRRP_Group(%s) Syncing instances to FAULT state", false}
	msgGroupInitFault = logMsg{"VRRP_Group(%s): Syncing %s to FAULT state", false}
)

// text formats a message. Only state changes and refusals reach here,
// never the steady advert exchange, so the allocation is off the hot path.
func (l logMsg) text(args ...any) string {
	if strings.IndexByte(l.format, '%') < 0 {
		return l.format
	}
	return fmt.Sprintf(l.format, args...)
}
