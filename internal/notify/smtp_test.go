package notify

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

var update = flag.Bool("update", false, "rewrite testdata/mail/*.golden")

// TestKeepalivedTranscripts: our client sends byte for byte what
// keepalived 2.2.7 sent to an SMTP sink (testdata/keepalived-2.2.7-*.smtp,
// the client's side of three captured sessions).
func TestKeepalivedTranscripts(t *testing.T) {
	for _, c := range []struct {
		file     string
		set      settings
		group    bool
		name     string
		st, show vrrp.State
	}{
		{"keepalived-2.2.7-instance-backup.smtp", settings{routerID: "R1", from: "ka@example.net", to: []string{"ops@example.com", "second@example.org"}},
			false, "VI_1", vrrp.Backup, vrrp.Backup},
		{"keepalived-2.2.7-group-backup.smtp", settings{routerID: "R1", from: "ka@example.net", to: []string{"ops@example.com", "second@example.org"}},
			true, "G1", vrrp.Backup, vrrp.Backup},
		{"keepalived-2.2.7-instance-deleted.smtp", settings{routerID: "R5", from: "root@vm", to: []string{"ops@example.com"}},
			false, "VI_1", vrrp.Deleted, vrrp.Deleted},
	} {
		t.Run(c.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			m := regexp.MustCompile(`Date: (.*)\r\n`).FindSubmatch(want)
			date, err := time.Parse(rfc822Date, string(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			srv := newSMTPServer(t)
			logs := &logRecorder{}
			msg := c.set.message(c.group, c.name, c.st, c.show)
			sendMail(context.Background(), mailServer{server: "127.0.0.1", port: srv.port(), helo: "vm", from: c.set.from, to: c.set.to, timeout: time.Second},
				msg, date, logs.log)
			tr := srv.transcripts()
			if len(tr) != 1 || tr[0] != string(want) {
				t.Errorf("sent\n%q\nkeepalived sent\n%q", tr, want)
			}
			host := fmt.Sprintf("[127.0.0.1]:%d", srv.port())
			if got := logs.all(); !slices.Equal(got, []string{"Remote SMTP server " + host + " connected.", msgSMTPSent}) {
				t.Errorf("log %q", got)
			}
		})
	}
}

// TestMailGolden: the message of every state, instance and group.
func TestMailGolden(t *testing.T) {
	set := &settings{routerID: "lb-1", from: "keepalived@lb-1.example.net", to: []string{"ops@example.net", "oncall@example.net"}}
	date := time.Date(2024, 2, 29, 7, 5, 9, 0, time.FixedZone("CET", 3600))
	for _, c := range []struct {
		file     string
		group    bool
		st, show vrrp.State
	}{
		{"instance-master", false, vrrp.Master, vrrp.Master},
		{"instance-backup", false, vrrp.Backup, vrrp.Backup},
		{"instance-fault", false, vrrp.Fault, vrrp.Fault},
		{"instance-stop", false, vrrp.Stopped, vrrp.Stopped},
		{"instance-deleted", false, vrrp.Deleted, vrrp.Deleted},
		{"instance-deleted-as-fault", false, vrrp.Deleted, vrrp.Fault},
		{"group-master", true, vrrp.Master, vrrp.Master},
		{"group-backup", true, vrrp.Backup, vrrp.Backup},
		{"group-fault", true, vrrp.Fault, vrrp.Fault},
		{"group-stop", true, vrrp.Stopped, vrrp.Stopped},
	} {
		t.Run(c.file, func(t *testing.T) {
			name := "VI_1"
			if c.group {
				name = "G1"
			}
			got := set.message(c.group, name, c.st, c.show).data(date)
			path := filepath.Join("testdata", "mail", c.file+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("message\n%q\nwant\n%q", got, want)
			}
		})
	}
	if m := set.message(true, "G1", vrrp.Deleted, vrrp.Deleted); m != nil {
		t.Errorf("a group got a deletion mail: %+v", m)
	}
}

// TestSMTPDialogue: how each refusal is logged (keepalived 2.2.7's lines,
// observed against a sink answering with error codes) and that QUIT
// follows it.
func TestSMTPDialogue(t *testing.T) {
	ok := func(code string) string { return code + " ok\r\n" }
	for _, c := range []struct {
		name    string
		replies []string
		to      []string
		log     []string // %s is the server, "connected" and "sent" abbreviate
		sent    string   // the client's bytes when not a whole mail ("" = a whole mail)
	}{
		{name: "mail", log: []string{"connected", "sent"}},
		{name: "two recipients", to: []string{"a@example.net", "b@example.net"}, log: []string{"connected", "sent"}},
		{name: "multi-line replies", replies: []string{"220-hello\r\n220-there\r\n220 ready\r\n", "250-lb\r\n250-SIZE\r\n250 HELP\r\n"},
			log: []string{"connected", "sent"}},
		{name: "greeting refused, QUIT unanswered", replies: []string{"554 go away\r\n", ""},
			log:  []string{"connected", "Error processing (E)SMTP cmd on SMTP server %s. SMTP status code = 554", "Timeout reading data to remote SMTP server %s."},
			sent: "QUIT\r\n"},
		{name: "HELO refused", replies: []string{ok("220"), "421 closing\r\n"},
			log:  []string{"connected", "Error processing HELO cmd on SMTP server %s. SMTP status code = 421"},
			sent: "HELO lb-1\r\nQUIT\r\n"},
		{name: "MAIL refused", replies: []string{ok("220"), ok("250"), "553 bad sender\r\n"},
			log:  []string{"connected", "Error processing MAIL cmd on SMTP server %s. SMTP status code = 553"},
			sent: "HELO lb-1\r\nMAIL FROM:<ka@example.net>\r\nQUIT\r\n"},
		{name: "second RCPT refused", to: []string{"a@example.net", "b@example.net"},
			replies: []string{ok("220"), ok("250"), ok("250"), ok("250"), "550 no such user\r\n"},
			log:     []string{"connected", "Error processing RCPT cmd on SMTP server %s. SMTP status code = 550"},
			sent:    "HELO lb-1\r\nMAIL FROM:<ka@example.net>\r\nRCPT TO:<a@example.net>\r\nRCPT TO:<b@example.net>\r\nQUIT\r\n"},
		{name: "DATA refused", replies: []string{ok("220"), ok("250"), ok("250"), ok("250"), "451 later\r\n"},
			log:  []string{"connected", "Error processing DATA cmd on SMTP server %s. SMTP status code = 451"},
			sent: "HELO lb-1\r\nMAIL FROM:<ka@example.net>\r\nRCPT TO:<ops@example.net>\r\nDATA\r\nQUIT\r\n"},
		{name: "message refused", replies: []string{ok("220"), ok("250"), ok("250"), ok("250"), "354 go\r\n", "552 too big\r\n"},
			log: []string{"connected", "Error processing BODY cmd on SMTP server %s. SMTP status code = 552"}},
		{name: "silent server", replies: []string{""},
			log:  []string{"connected", "Timeout reading data to remote SMTP server %s."},
			sent: "-"},
		{name: "garbage code", replies: []string{"2x0 what\r\n"},
			log:  []string{"connected", "Error processing (E)SMTP cmd on SMTP server %s. SMTP status code = 0"},
			sent: "QUIT\r\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newSMTPServer(t, c.replies...)
			to := c.to
			if to == nil {
				to = []string{"ops@example.net"}
			}
			logs := &logRecorder{}
			ms := mailServer{server: "127.0.0.1", port: srv.port(), helo: "lb-1", from: "ka@example.net", to: to, timeout: 200 * time.Millisecond}
			msg := &message{from: ms.from, to: to, subject: "[lb-1] VRRP Instance VI_1 - Entering MASTER state", body: "=> VRRP Instance is now owning VRRP VIPs <="}
			date := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
			sendMail(context.Background(), ms, msg, date, logs.log)
			host := fmt.Sprintf("[127.0.0.1]:%d", srv.port())
			var want []string
			for _, l := range c.log {
				switch l {
				case "connected":
					l = "Remote SMTP server %s connected."
				case "sent":
					l = msgSMTPSent
				}
				if strings.Contains(l, "%s") {
					l = fmt.Sprintf(l, host)
				}
				want = append(want, l)
			}
			if got := logs.all(); !slices.Equal(got, want) {
				t.Errorf("log\n got %q\nwant %q", got, want)
			}
			sent := c.sent
			switch sent {
			case "-":
				sent = ""
			case "":
				sent = "HELO lb-1\r\nMAIL FROM:<ka@example.net>\r\n"
				for _, a := range to {
					sent += "RCPT TO:<" + a + ">\r\n"
				}
				sent += "DATA\r\n" + msg.data(date) + "QUIT\r\n"
			}
			waitFor(t, "the session's end", func() bool {
				tr := srv.transcripts()
				return len(tr) == 1 && tr[0] == sent
			})
		})
	}
}

// rawServer accepts one connection and hands it to serve.
func rawServer(t *testing.T, serve func(net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		serve(c)
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().(*net.TCPAddr).Port
}

// TestSMTPConnectionFailures: the lines for a closed connection, an
// endless reply, a refused connection and a connection that never
// completes.
func TestSMTPConnectionFailures(t *testing.T) {
	msg := &message{from: "a@b", to: []string{"c@d"}, subject: "s", body: "b"}
	send := func(port int, timeout time.Duration) []string {
		logs := &logRecorder{}
		sendMail(context.Background(), mailServer{server: "127.0.0.1", port: port, helo: "h", from: "a@b", to: []string{"c@d"}, timeout: timeout},
			msg, time.Now(), logs.log)
		return logs.all()
	}
	t.Run("closed", func(t *testing.T) {
		port := rawServer(t, func(c net.Conn) { _, _ = c.Write([]byte("220 hi\r\n")); _, _ = c.Read(make([]byte, 100)) })
		host := fmt.Sprintf("[127.0.0.1]:%d", port)
		want := []string{"Remote SMTP server " + host + " connected.", "Remote SMTP server " + host + " has closed the connection."}
		if got := send(port, time.Second); !slices.Equal(got, want) {
			t.Errorf("log %q, want %q", got, want)
		}
	})
	t.Run("overflow", func(t *testing.T) {
		port := rawServer(t, func(c net.Conn) {
			_, _ = c.Write([]byte(strings.Repeat("220-", 20) + strings.Repeat("x", 600)))
			_, _ = c.Read(make([]byte, 100))
		})
		host := fmt.Sprintf("[127.0.0.1]:%d", port)
		want := []string{"Remote SMTP server " + host + " connected.", "Received buffer from remote SMTP server " + host + " overflow our get read buffer length."}
		if got := send(port, time.Second); !slices.Equal(got, want) {
			t.Errorf("log %q, want %q", got, want)
		}
	})
	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		got := send(port, time.Second)
		if len(got) != 1 || !regexp.MustCompile(`^smtp fd [0-9]+ returned write error$`).MatchString(got[0]) {
			t.Errorf("log %q, want keepalived's \"smtp fd N returned write error\"", got)
		}
	})
	t.Run("connect timeout", func(t *testing.T) {
		port := fullListener(t)
		begin := time.Now()
		got := send(port, 300*time.Millisecond)
		want := []string{fmt.Sprintf("Timeout opening connection to remote SMTP server [127.0.0.1]:%d.", port)}
		if !slices.Equal(got, want) {
			t.Errorf("log %q, want %q", got, want)
		}
		if d := time.Since(begin); d < 250*time.Millisecond || d > 2*time.Second {
			t.Errorf("gave up after %v, want the 300ms connect timeout", d)
		}
	})
}

// fullListener is a loopback port whose accept queue is full: the kernel
// drops further SYNs, so a connect neither succeeds nor fails until the
// client's timeout.
func fullListener(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	// Fill the queue (a backlog of 0 still holds one connection).
	for range 3 {
		d := net.Dialer{Timeout: 100 * time.Millisecond}
		if c, err := d.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}
	return port
}

// TestSMTPCancel: a mail in progress ends quietly when its context is
// cancelled (the daemon stopping), long before the server's timeout.
func TestSMTPCancel(t *testing.T) {
	srv := newSMTPServer(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	logs := &logRecorder{}
	done := make(chan struct{})
	go func() {
		sendMail(ctx, mailServer{server: "127.0.0.1", port: srv.port(), helo: "h", from: "a@b", to: []string{"c@d"}, timeout: 10 * time.Second},
			&message{}, time.Now(), logs.log)
		close(done)
	}()
	waitFor(t, "the connection", func() bool { return logs.count("connected") == 1 })
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the mail did not end with its context")
	}
	if got := logs.all(); len(got) != 1 {
		t.Errorf("log %q, want only the connection line", got)
	}
}

func TestSMTPHost(t *testing.T) {
	for _, c := range []struct{ addr, want string }{
		{"127.0.0.1", "[127.0.0.1]:25"},
		{"::ffff:10.0.0.1", "[10.0.0.1]:25"},
		{"2001:db8::1", "[2001:db8::1]:25"},
	} {
		a := netip.MustParseAddr(c.addr)
		if got := smtpHost(a, 25); got != c.want {
			t.Errorf("%s: %q, want %q", c.addr, got, c.want)
		}
	}
}

func mailConf(port int, timeout int) string {
	return fmt.Sprintf(`
global_defs {
    router_id R1
    notification_email {
        ops@example.net
    }
    smtp_server 127.0.0.1 %d
    smtp_connect_timeout %d
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1
    }
    smtp_alert
}
`, port, timeout)
}

// TestCloseMails: Close waits for the mails being sent, and abandons
// them quietly at its deadline.
func TestCloseMails(t *testing.T) {
	t.Run("sent", func(t *testing.T) {
		srv := newSMTPServer(t)
		logs := &logRecorder{}
		n := NewOptions(loadConfig(t, "mail.conf", mailConf(srv.port(), 5), t.TempDir()), &fakeRunner{}, logs.log, Options{})
		n.Instance("VI_1", vrrp.Stopped, 100)
		closeWithin(n, 5*time.Second)
		if logs.count(msgSMTPSent) != 1 {
			t.Errorf("Close returned before the mail was sent: %q", logs.all())
		}
	})
	t.Run("abandoned", func(t *testing.T) {
		srv := newSMTPServer(t, "")
		logs := &logRecorder{}
		n := NewOptions(loadConfig(t, "mail.conf", mailConf(srv.port(), 30), t.TempDir()), &fakeRunner{}, logs.log, Options{})
		n.Instance("VI_1", vrrp.Stopped, 100)
		waitFor(t, "the connection", func() bool { return logs.count("connected") == 1 })
		begin := time.Now()
		closeWithin(n, 100*time.Millisecond)
		if d := time.Since(begin); d > time.Second {
			t.Errorf("Close took %v with a 100ms context", d)
		}
		if got := logs.all(); len(got) != 1 {
			t.Errorf("log %q, want only the connection line", got)
		}
	})
}
