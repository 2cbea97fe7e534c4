package cli

// signums maps --signum names to the signal the daemon reacts to, with the
// numbers Debian's keepalived 2.2.7 prints (checked one by one). STATS_CLEAR
// and JSON are real-time signals: keepalived uses SIGRTMAX-1 and SIGRTMIN+2,
// which glibc on Linux puts at 63 and 36. The daemon must listen on the same
// numbers, so scripts written as `kill -s $(keepalived --signum=JSON) PID`
// keep working. TDATA exists only in keepalived's debug builds; Debian's
// answers "Unknown sigfunc TDATA", and so do we. Names are case-sensitive.
var signums = map[string]int{
	"STOP":        15, // SIGTERM
	"RELOAD":      1,  // SIGHUP
	"DATA":        10, // SIGUSR1
	"STATS":       12, // SIGUSR2
	"STATS_CLEAR": 63, // SIGRTMAX-1
	"JSON":        36, // SIGRTMIN+2
}

// Signum returns the signal number for a --signum name.
func Signum(name string) (int, bool) {
	n, ok := signums[name]
	return n, ok
}
