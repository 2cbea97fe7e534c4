package vrrptest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// Logging as an operator meets it: the -g files of the parent and its
// VRRP child, in keepalived's text layout and as --log-format=json, and
// the syslog messages (identities, facility, which process says what)
// beside Debian's keepalived 2.2.7's.

// logConf is a one-instance configuration with its own VRID, so that
// daemons of one lab do not meet.
func logConf(vrid int) string {
	return fmt.Sprintf(`vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id %d
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.168.0.%d/24 dev eth0
    }
}
`, vrid, 200+vrid%50)
}

// vrrpPidOf reads a running daemon's VRRP child pid file.
func vrrpPidOf(t *testing.T, d *netlab.Daemon) int {
	t.Helper()
	b, err := os.ReadFile(d.VRRPPid)
	pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || perr != nil || pid == d.Cmd.Process.Pid {
		t.Fatalf("VRRP pid file %s: %q %v", d.VRRPPid, b, err)
	}
	return pid
}

// fileLines reads a log file's lines.
func fileLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("log file: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// inOrder reports the first of want (substrings) that msgs lacks in
// that order, or "".
func inOrder(msgs []string, want []string) string {
	i := 0
	for _, m := range msgs {
		if i < len(want) && strings.Contains(m, want[i]) {
			i++
		}
	}
	if i < len(want) {
		return want[i]
	}
	return ""
}

func containsAny(msgs []string, sub string) bool {
	for _, m := range msgs {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

// The lines each process writes to its own -g file (netlab runs the
// daemons with -D), in order, and lines that belong to the other one.
// keepalived's parent logs the start-up, its child's start, "Startup
// complete" and "Stopping"; the VRRP child its instances and its CPU
// time (-D).
var (
	parentFileLines = []string{"Starting Keepalived v2.2.7", "Running on Linux", "Command line: '", "Opening file '",
		"Configuration file ", "Starting VRRP child process, pid=", "Startup complete", "Stopping",
		"CPU usage (self/children) user: ", "Stopped Keepalived v2.2.7"}
	vrrpFileLines = []string{"(VI_1) Entering BACKUP STATE (init)", "(VI_1) Entering MASTER STATE",
		"(VI_1) sent 0 priority", "(VI_1) removing VIPs.", "Stopped - used "}
)

// TestLogFiles: -g FILE gives the parent FILE and the VRRP child FILE
// with "_vrrp" before the extension (keepalived's make_file_name), each
// with its own lines only, in keepalived's "Thu Dec  3 19:01:56 2026: "
// layout, or with --log-format=json one object per line with the
// process's identity and pid.
func TestLogFiles(t *testing.T) {
	l := newLab(t, 2)
	type run struct {
		name   string
		d      *netlab.Daemon
		file   string
		json   bool
		parent int
		vrrp   int
	}
	runs := []*run{{name: "text"}, {name: "json", json: true}}
	start := time.Now()
	for i, r := range runs {
		r.file = filepath.Join(l.Dir, fmt.Sprintf("keepalived-%s.log", r.name))
		extra := []string{"-g" + r.file}
		if r.json {
			extra = append(extra, "--log-format=json")
		}
		// Side by side in two routers, each its own VRID.
		r.d = l.start(i, l.WriteConf(fmt.Sprintf("r%d.conf", i+1), logConf(51+i)), extra...)
	}
	for _, r := range runs {
		r.d.MustLine("(VI_1) Entering MASTER STATE", start, masterDown+startupTimeout)
		r.parent, r.vrrp = r.d.Cmd.Process.Pid, vrrpPidOf(t, r.d)
	}
	for _, r := range runs {
		r.d.Signal(syscall.SIGTERM)
	}
	for _, r := range runs {
		if code := r.d.Wait(10 * time.Second); code != 0 {
			t.Errorf("%s: exit %d", r.name, code)
		}
	}
	end := time.Now()

	for _, r := range runs {
		vrrpFile := strings.TrimSuffix(r.file, ".log") + "_vrrp.log"
		if _, err := os.Stat(strings.TrimSuffix(r.file, ".log") + "_check.log"); err == nil {
			t.Errorf("%s: a checker log file without a checker child", r.name)
		}
		for _, f := range []struct {
			path        string
			ident       string
			pid         int
			want, never []string
		}{
			{r.file, "Keepalived", r.parent, parentFileLines, vrrpFileLines},
			{vrrpFile, "Keepalived_vrrp", r.vrrp, vrrpFileLines, parentFileLines},
		} {
			var msgs []string
			for n, line := range fileLines(t, f.path) {
				msg, ok := "", false
				if r.json {
					msg, ok = checkJSONLine(t, line, f.ident, f.pid, start, end)
				} else {
					msg, ok = checkTextLine(line, start, end)
				}
				if !ok {
					t.Errorf("%s %s line %d: %q", r.name, filepath.Base(f.path), n+1, line)
				}
				msgs = append(msgs, msg)
			}
			if miss := inOrder(msgs, f.want); miss != "" {
				t.Errorf("%s %s: no %q (in order %q):\n%s", r.name, filepath.Base(f.path), miss, f.want, strings.Join(msgs, "\n"))
			}
			for _, other := range f.never {
				if containsAny(msgs, other) {
					t.Errorf("%s %s holds the other process's %q", r.name, filepath.Base(f.path), other)
				}
			}
		}
		if !containsAny(fileLines(t, r.file), fmt.Sprintf("Starting VRRP child process, pid=%d", r.vrrp)) {
			t.Errorf("%s: the parent's file does not name its child %d", r.name, r.vrrp)
		}
		// The console (-l) carries both processes' lines, in the same
		// encoding.
		if r.d.Count("Startup complete") != 1 || r.d.Count("(VI_1) Entering MASTER STATE") != 1 {
			t.Errorf("%s: console lacks a process's lines:\n%s", r.name, r.d.LogText())
		}
		if r.json && r.d.Count(`"ident":"Keepalived_vrrp"`) == 0 {
			t.Errorf("json: console lines are not JSON:\n%s", r.d.LogText())
		}
	}
}

// checkTextLine splits a text log line into keepalived's timestamp (C's
// %c, read back in local time) and the message.
func checkTextLine(line string, from, to time.Time) (string, bool) {
	ts, msg, ok := strings.Cut(line, ": ")
	if !ok {
		return line, false
	}
	at, err := time.ParseInLocation(time.ANSIC, ts, time.Local)
	return msg, err == nil && !at.Before(from.Truncate(time.Second)) && !at.After(to)
}

// detailLines are the -D lines of the runs above (keepalived 2.2.7
// without -D prints none of them): their JSON objects say "detail":
// true, every other line false.
var detailLines = []string{"Opening file '", "CPU usage (self/children)", "(VI_1) removing VIPs.", "(VI_1) sent 0 priority",
	"(VI_1) Receive advertisement timeout", "(VI_1) setting VIPs.", "(VI_1) Sending/queueing gratuitous ARPs on ",
	"Sending gratuitous ARP on ", "Registering Kernel netlink ", "Assigned address ", "Registering gratuitous ARP shared channel",
	"VRRP sockpool: "}

// checkJSONLine checks a --log-format=json line: exactly the documented
// fields, the process's identity and pid, a time within the run.
func checkJSONLine(t *testing.T, line, ident string, pid int, from, to time.Time) (string, bool) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &raw); err != nil || len(raw) != 6 {
		t.Errorf("not a 6-field object (%v): %q", err, line)
		return line, false
	}
	var v struct {
		Time   string `json:"time"`
		Ident  string `json:"ident"`
		PID    int    `json:"pid"`
		Level  string `json:"level"`
		Detail *bool  `json:"detail"`
		Msg    string `json:"msg"`
	}
	if err := json.Unmarshal([]byte(line), &v); err != nil || v.Detail == nil {
		return line, false
	}
	at, err := time.Parse(time.RFC3339Nano, v.Time)
	ok := err == nil && !at.Before(from) && !at.After(to) && v.Ident == ident && v.PID == pid && v.Level == "info"
	detail := false
	for _, d := range detailLines {
		detail = detail || strings.HasPrefix(v.Msg, d)
	}
	if *v.Detail != detail {
		t.Errorf("%q: detail %v, want %v", v.Msg, *v.Detail, detail)
	}
	return v.Msg, ok
}

// syslogRun is a daemon whose /dev/log is a listening socket of the
// test: it runs in a mount namespace of its own (unshare, propagation
// private: nothing reaches the host's mounts) in which a directory of
// the test is bind-mounted over /dev, holding the socket and the device
// nodes a daemon opens (/dev/null for its children's stdin).
type syslogRun struct {
	cmd     *exec.Cmd
	mu      sync.Mutex
	console []string
	sys     []string
	exited  chan struct{}
}

func fakeDev(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dev")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, minor := range map[string]int{"null": 3, "zero": 5, "random": 8, "urandom": 9} {
		p := filepath.Join(dir, name)
		if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, 1<<8|minor); err != nil {
			t.Skipf("cannot make device nodes: %v", err)
		}
		os.Chmod(p, 0o666)
	}
	return dir
}

func startWithSyslog(t *testing.T, l *lab, binary string, conf string, extra ...string) *syslogRun {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("no unshare (util-linux)")
	}
	dev := fakeDev(t)
	sock, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: filepath.Join(dev, "log"), Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	r := &syslogRun{exited: make(chan struct{})}
	go func() {
		buf := make([]byte, 8192)
		for {
			n, err := sock.Read(buf)
			if err != nil {
				return
			}
			r.mu.Lock()
			r.sys = append(r.sys, string(buf[:n]))
			r.mu.Unlock()
		}
	}()
	dir := t.TempDir()
	args := append([]string{"netns", "exec", l.Routers[0], "unshare", "-m", "--propagation", "private",
		"sh", "-c", `mount --bind "$0" /dev && exec "$@"`, dev,
		binary, "-n", "-l", "-f", conf, "-p", filepath.Join(dir, "k.pid"), "-r", filepath.Join(dir, "v.pid"),
		"-c", filepath.Join(dir, "c.pid")}, extra...)
	r.cmd = exec.Command("ip", args...)
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	r.cmd.Stderr = r.cmd.Stdout
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// ip, unshare and sh exec in turn: this pid is keepalived's parent.
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			r.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-r.exited:
			case <-time.After(5 * time.Second):
				if b, err := os.ReadFile(filepath.Join(dir, "v.pid")); err == nil {
					if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
						syscall.Kill(pid, syscall.SIGKILL)
					}
				}
				r.cmd.Process.Kill()
				<-r.exited
			}
		}
		sock.Close()
	})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			r.mu.Lock()
			r.console = append(r.console, sc.Text())
			r.mu.Unlock()
		}
		r.cmd.Wait()
		close(r.exited)
	}()
	return r
}

func (r *syslogRun) waitConsole(t *testing.T, sub string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		found := containsAny(r.console, sub)
		r.mu.Unlock()
		if found {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t.Fatalf("no %q within %v:\n%s", sub, timeout, strings.Join(r.console, "\n"))
}

// stop sends SIGTERM, waits for the exit and, the last datagrams being
// in flight, a moment for them.
func (r *syslogRun) stop(t *testing.T) []string {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("no exit within 10s of SIGTERM")
	}
	time.Sleep(100 * time.Millisecond)
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sys...)
}

// sysMsg is a syslog datagram as glibc's syslog(3) sends it:
// "<PRI>Mmm dd hh:mm:ss IDENT[PID]: MSG".
type sysMsg struct {
	pri   int
	ident string
	pid   int
	msg   string
}

var sysRE = regexp.MustCompile(`^<(\d+)>([A-Z][a-z]{2} [ 123]\d \d\d:\d\d:\d\d) ([A-Za-z_]+)\[(\d+)\]: (.*)$`)

func parseSyslog(t *testing.T, dgrams []string) []sysMsg {
	t.Helper()
	var out []sysMsg
	for _, d := range dgrams {
		m := sysRE.FindStringSubmatch(d)
		if m == nil {
			t.Errorf("not a syslog(3) message: %q", d)
			continue
		}
		pri, _ := strconv.Atoi(m[1])
		pid, _ := strconv.Atoi(m[4])
		out = append(out, sysMsg{pri: pri, ident: m[3], pid: pid, msg: m[5]})
	}
	return out
}

// syslogKeys are the lines whose process is compared, by prefix ("="
// first: the whole message).
var syslogKeys = []string{"Starting Keepalived v2.2.7", "Running on Linux", "Command line: '", "Configuration file ",
	"Starting VRRP child process, pid=", "Startup complete", "(VI_1) Entering BACKUP STATE (init)",
	"=Stopping", "=Stopped", "Stopped Keepalived v2.2.7"}

func keyOf(msg string) string {
	for _, k := range syslogKeys {
		if strings.HasPrefix(k, "=") && msg == k[1:] || !strings.HasPrefix(k, "=") && strings.HasPrefix(msg, k) {
			return k
		}
	}
	return ""
}

// TestSyslogAsKeepalived: ours and Debian's keepalived 2.2.7, each with a
// listening /dev/log, -S 3 (local3) and without -D: every message has
// facility local3 (priority 158 for info), keepalived's identities and
// each process's pid, and each start and stop line comes from the same
// process, in the same order per process, as keepalived's. No -D: no
// detail line reaches syslog. With -G nothing does.
func TestSyslogAsKeepalived(t *testing.T) {
	if err := netlab.CheckReference(); err != nil {
		t.Skipf("reference: %v", err)
	}
	l := newLab(t, 1)
	conf := l.WriteConf("r1.conf", logConf(51))
	got := map[netlab.Kind]map[string][]string{} // kind → ident → key lines in order
	for _, k := range []netlab.Kind{netlab.Reference, netlab.Ours} {
		bin := binary
		if k == netlab.Reference {
			bin = netlab.ReferencePath
		}
		r := startWithSyslog(t, l, bin, conf, "-S", "3")
		r.waitConsole(t, "(VI_1) Entering BACKUP STATE (init)", startupTimeout)
		r.waitConsole(t, "Startup complete", startupTimeout)
		msgs := parseSyslog(t, r.stop(t))
		parent := r.cmd.Process.Pid
		child := 0
		byIdent := map[string][]string{}
		for _, m := range msgs {
			if m.pri != 19<<3|6 {
				t.Errorf("%v: priority %d, want 158 (local3.info): %+v", k, m.pri, m)
			}
			if n, ok := strings.CutPrefix(m.msg, "Starting VRRP child process, pid="); ok {
				child, _ = strconv.Atoi(n)
			}
			want := map[string]int{"Keepalived": parent, "Keepalived_vrrp": child}[m.ident]
			if want == 0 || m.pid != want {
				t.Errorf("%v: %s[%d] (parent %d, VRRP child %d): %q", k, m.ident, m.pid, parent, child, m.msg)
			}
			if strings.HasPrefix(m.msg, "Opening file") || strings.HasPrefix(m.msg, "CPU usage") {
				t.Errorf("%v: a -D line without -D: %q", k, m.msg)
			}
			if key := keyOf(m.msg); key != "" {
				byIdent[m.ident] = append(byIdent[m.ident], key)
			}
		}
		got[k] = byIdent
		t.Logf("%v: %d messages; parent %q; VRRP child %q", k, len(msgs), byIdent["Keepalived"], byIdent["Keepalived_vrrp"])
	}
	for _, ident := range []string{"Keepalived", "Keepalived_vrrp"} {
		ref, ours := got[netlab.Reference][ident], got[netlab.Ours][ident]
		if len(ref) == 0 {
			t.Errorf("keepalived sent no %s lines: the comparison lost its point", ident)
		}
		if strings.Join(ours, "|") != strings.Join(ref, "|") {
			t.Errorf("%s lines:\n ours       %q\n keepalived %q", ident, ours, ref)
		}
	}

	t.Run("no-syslog", func(t *testing.T) {
		for _, k := range []netlab.Kind{netlab.Reference, netlab.Ours} {
			bin := binary
			if k == netlab.Reference {
				bin = netlab.ReferencePath
			}
			r := startWithSyslog(t, l, bin, conf, "-G")
			r.waitConsole(t, "Startup complete", startupTimeout)
			if n := len(r.stop(t)); n != 0 {
				t.Errorf("%v with -G: %d syslog messages", k, n)
			}
		}
	})
}
