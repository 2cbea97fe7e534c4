package firewall

import "fmt"

// Every log line of the firewall layer is defined here, once. The
// instance lines "(NAME) setting firewall drop rule" / "(NAME) removing
// firewall drop rule" are the state machine's (internal/vrrp), which
// orders them among the VIP lines.

// Line is one log line; Detail lines are printed only with -D.
type Line struct {
	Text   string
	Detail bool
}

// Logger receives the layer's log lines; nil discards them.
type Logger func(Line)

func (l Logger) logf(detail bool, format string, args ...any) {
	if l != nil {
		l(Line{Text: fmt.Sprintf(format, args...), Detail: detail})
	}
}

const (
	// keepalived's (2.2.7, logged without -D too): a table of ours left
	// by an earlier run, deleted before the first drop rule is set, as
	// "Deleting old ip keepalived table".
	fmtDeleteOld = "Deleting old %s %s table"

	// ours: keepalived logs a failing nftables request with libmnl's
	// numbers only; we say what failed.
	fmtFailed = "nftables: cannot %s: %v"
)
