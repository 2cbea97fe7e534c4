package netlab

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// Mail is one message an SMTPSink accepted.
type Mail struct {
	At   time.Time // when the final "." was read
	Helo string    // argument of HELO or EHLO
	From string    // MAIL FROM path, without the angle brackets
	To   []string  // RCPT TO paths, without the angle brackets
	// Data is the message as sent after DATA: lines joined with "\n"
	// (CRLF or LF accepted), dot-stuffing undone, without the final ".".
	Data string
	// Raw is the message exactly as received, line endings included,
	// up to (without) the final ".\r\n".
	Raw string
	// Session is every command line the client sent, in order.
	Session []string
}

// Header returns the value of the first header line named name
// (case-insensitive), and whether there is one. Continuation lines are
// not unfolded: the tests pin single-line headers.
func (m Mail) Header(name string) (string, bool) {
	head, _, _ := strings.Cut(m.Data, "\n\n")
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// Headers lists the header lines in their order.
func (m Mail) Headers() []string {
	head, _, _ := strings.Cut(m.Data, "\n\n")
	return strings.Split(head, "\n")
}

// Body is what follows the first empty line.
func (m Mail) Body() string {
	_, body, _ := strings.Cut(m.Data, "\n\n")
	return body
}

// SMTPSink is a minimal SMTP server (RFC 5321's HELO/EHLO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT) that accepts every message and keeps it: the
// mail server an smtp_alert test points a daemon at.
type SMTPSink struct {
	Addr string // where it listens, e.g. 127.0.0.1:25 inside the router

	mu       sync.Mutex
	cond     *sync.Cond
	mails    []Mail
	sessions [][]string
	errs     []error
}

// SMTPSink runs an SMTP sink on addr (e.g. "127.0.0.1:25") inside router
// i's namespace, served by this process; it stops when the test ends.
func (l *Lab) SMTPSink(i int, addr string) *SMTPSink {
	l.T.Helper()
	ln, err := ListenIn(l.Routers[i], "tcp", addr)
	if err != nil {
		l.T.Fatalf("smtp sink: %v", err)
	}
	s := &SMTPSink{Addr: addr}
	s.cond = sync.NewCond(&s.mu)
	var wg sync.WaitGroup
	var conns sync.Map
	l.T.Cleanup(func() {
		ln.Close()
		conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(c, nil)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conns.Delete(c)
				defer c.Close()
				if err := s.serve(c); err != nil {
					s.mu.Lock()
					s.errs = append(s.errs, err)
					s.mu.Unlock()
				}
			}()
		}
	}()
	return s
}

// serve speaks SMTP on one connection until QUIT or an error.
func (s *SMTPSink) serve(c net.Conn) error {
	c.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(c)
	reply := func(format string, args ...any) error {
		_, err := fmt.Fprintf(c, format+"\r\n", args...)
		return err
	}
	readLine := func() (string, error) {
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	var all []string // every command of the connection
	defer func() {
		s.mu.Lock()
		s.sessions = append(s.sessions, all)
		s.cond.Broadcast()
		s.mu.Unlock()
	}()
	if err := reply("220 netlab ESMTP sink"); err != nil {
		return err
	}
	var m Mail
	for {
		line, err := readLine()
		if err != nil {
			return fmt.Errorf("smtp sink: read command: %w (session %q)", err, all)
		}
		all = append(all, line)
		m.Session = append(m.Session, line)
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "HELO", "EHLO":
			m.Helo = arg
			err = reply("250 netlab")
		case "MAIL":
			m.From = path(arg, "FROM:")
			err = reply("250 2.1.0 Ok")
		case "RCPT":
			m.To = append(m.To, path(arg, "TO:"))
			err = reply("250 2.1.5 Ok")
		case "DATA":
			if err = reply("354 End data with <CR><LF>.<CR><LF>"); err != nil {
				return err
			}
			var lines []string
			var raw strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return fmt.Errorf("smtp sink: read data: %w", err)
				}
				text := strings.TrimRight(l, "\r\n")
				if text == "." {
					break
				}
				raw.WriteString(l)
				lines = append(lines, strings.TrimPrefix(text, "."))
			}
			m.Data = strings.Join(lines, "\n")
			m.Raw = raw.String()
			m.At = time.Now()
			s.mu.Lock()
			s.mails = append(s.mails, m)
			s.cond.Broadcast()
			s.mu.Unlock()
			m = Mail{Helo: m.Helo}
			err = reply("250 2.0.0 Ok: queued")
		case "RSET":
			m = Mail{Helo: m.Helo, Session: m.Session}
			err = reply("250 2.0.0 Ok")
		case "NOOP":
			err = reply("250 2.0.0 Ok")
		case "QUIT":
			reply("221 2.0.0 Bye")
			return nil
		default:
			err = reply("502 5.5.2 Error: command not recognized")
		}
		if err != nil {
			return err
		}
	}
}

// path takes the address out of "FROM:<a@b> SIZE=1" (prefix "FROM:").
func path(arg, prefix string) string {
	arg = strings.TrimSpace(arg)
	if len(arg) >= len(prefix) && strings.EqualFold(arg[:len(prefix)], prefix) {
		arg = strings.TrimSpace(arg[len(prefix):])
	}
	if strings.HasPrefix(arg, "<") {
		if i := strings.IndexByte(arg, '>'); i > 0 {
			return arg[1:i]
		}
	}
	p, _, _ := strings.Cut(arg, " ")
	return p
}

// Mails returns the messages accepted so far.
func (s *SMTPSink) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Sessions returns, for every connection that has ended, each command
// line the client sent (Mail.Session stops at DATA; this goes on to
// QUIT).
func (s *SMTPSink) Sessions() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]string(nil), s.sessions...)
}

// Errors returns the sessions that broke off (a client that hung up
// mid-message, say).
func (s *SMTPSink) Errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

// WaitMails waits until n messages have arrived, and returns them all
// (fewer when the timeout came first).
func (s *SMTPSink) WaitMails(n int, timeout time.Duration) []Mail {
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(timeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.mails) < n && time.Now().Before(deadline) {
		s.cond.Wait()
	}
	return append([]Mail(nil), s.mails...)
}
