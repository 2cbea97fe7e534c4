// Package dump writes keepalived's state dump files from a plain snapshot
// the daemon fills in:
//
//	SIGUSR1    keepalived.data (VRRP child), keepalived_parent.data (parent)
//	SIGUSR2    keepalived.stats
//	signal 36  keepalived.json
//
// in $TMPDIR (default /tmp), with keepalived 2.2.7's names and layouts,
// byte for byte, because exporters and operators' scripts parse them. The
// layouts were observed by running Debian's keepalived 2.2.7 and
// signalling it (testdata/capture.sh); the golden tests compare our output
// for the same state with those captures.
//
// The package decides nothing: every value, including keepalived's
// defaults and the host facts (MAC addresses, file descriptors, hostname),
// comes from the snapshot, so the daemon can be honest about what it runs.
package dump
