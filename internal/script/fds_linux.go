package script

import (
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// cloexecInherited marks every descriptor above 2 close-on-exec. Go opens
// all its own descriptors that way; the ones a process inherited at its
// start are not (the daemon's children get their IPC pipes as 3 and 4),
// and execve would hand them to every program. keepalived leaves such
// descriptors open in its scripts (observed: a script saw the ones
// keepalived was started with); we do not. ExtraFiles of os/exec are
// unaffected: they are dup2'd in the child, which clears the flag.
func cloexecInherited() {
	// close_range(CLOSE_RANGE_CLOEXEC), Linux 5.11: one system call.
	if unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC) == nil {
		return
	}
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	self := int(d.Fd())
	for _, n := range names {
		if fd, err := strconv.Atoi(n); err == nil && fd > 2 && fd != self {
			syscall.CloseOnExec(fd)
		}
	}
	d.Close()
}
