package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"time"
)

// mailServer is where and how the mails of one configuration are sent.
type mailServer struct {
	server  string // smtp_server: an address or a host name
	port    int
	helo    string
	from    string
	to      []string
	timeout time.Duration // smtp_connect_timeout: the connection and every reply
}

// smtpHost is keepalived's inet_sockaddrtopair: "[address]:port", for
// both families.
func smtpHost(addr netip.Addr, port int) string {
	return "[" + addr.Unmap().String() + "]:" + strconv.Itoa(port)
}

// sendMail sends m as keepalived 2.2.7's smtp.c does, on a connection of
// its own: HELO (never EHLO), MAIL FROM, one RCPT TO per recipient, DATA,
// the message, QUIT — each command after the reply the previous one
// expects (220, 250, 250, 250, 354, 250), every reply awaited for at most
// the connect timeout. A reply with another code is logged ("Error
// processing HELO cmd ...") and answered with QUIT. Nothing is retried.
// It returns quietly once ctx is cancelled.
func sendMail(ctx context.Context, srv mailServer, m *message, date time.Time, log Logger) {
	addr, err := resolveServer(ctx, srv)
	if err != nil {
		if ctx.Err() == nil {
			log.printf(fmtSMTPResolve, srv.server, err)
		}
		return
	}
	host := smtpHost(addr, srv.port)
	fd := -1
	d := net.Dialer{
		Timeout: srv.timeout,
		// keepalived's line for a refused or unreachable connection names
		// the socket.
		Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(s uintptr) { fd = int(s) })
		},
	}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(addr.Unmap().String(), strconv.Itoa(srv.port)))
	if err != nil {
		var ne net.Error
		switch {
		case ctx.Err() != nil:
		case errors.As(err, &ne) && ne.Timeout():
			log.printf(fmtSMTPConnTimeout, host)
		default:
			log.printf(fmtSMTPWriteErr, fd)
		}
		return
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	log.printf(fmtSMTPConnected, host)
	c := &smtpConn{ctx: ctx, conn: conn, host: host, timeout: srv.timeout, log: log}
	c.dialogue(srv, m, date)
}

func resolveServer(ctx context.Context, srv mailServer) (netip.Addr, error) {
	if a, err := netip.ParseAddr(srv.server); err == nil {
		return a, nil
	}
	rctx, cancel := context.WithTimeout(ctx, srv.timeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(rctx, "ip", srv.server)
	if err != nil {
		return netip.Addr{}, err
	}
	if len(addrs) == 0 {
		return netip.Addr{}, fmt.Errorf("no address")
	}
	return addrs[0], nil
}

type smtpConn struct {
	ctx     context.Context
	conn    net.Conn
	host    string
	timeout time.Duration
	log     Logger
	buf     []byte
}

// step is one command and the reply it needs; name is how keepalived's
// error line calls the step.
type step struct {
	name string
	cmd  string // "" for the greeting
	want int
}

func (c *smtpConn) dialogue(srv mailServer, m *message, date time.Time) {
	steps := []step{{name: "(E)SMTP", want: 220}, {name: "HELO", cmd: "HELO " + srv.helo + "\r\n", want: 250},
		{name: "MAIL", cmd: "MAIL FROM:<" + srv.from + ">\r\n", want: 250}}
	for _, to := range srv.to {
		steps = append(steps, step{name: "RCPT", cmd: "RCPT TO:<" + to + ">\r\n", want: 250})
	}
	steps = append(steps, step{name: "DATA", cmd: "DATA\r\n", want: 354},
		step{name: "BODY", cmd: m.data(date), want: 250})
	for _, s := range steps {
		if s.cmd != "" && !c.send(s.cmd) {
			return
		}
		code, ok := c.reply()
		if !ok {
			return
		}
		if code != s.want {
			c.log.printf(fmtSMTPCode, s.name, c.host, code)
			break
		}
		if s.name == "BODY" {
			c.log.printf(msgSMTPSent)
		}
	}
	// After the mail, or after a refusal: QUIT, and whatever the server
	// answers ends the connection.
	if c.send("QUIT\r\n") {
		c.reply()
	}
}

// send writes one command; false (logged) when the connection failed.
func (c *smtpConn) send(s string) bool {
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.timeout))
	if _, err := io.WriteString(c.conn, s); err != nil {
		if c.ctx.Err() == nil {
			c.log.printf(fmtSMTPSendErr, c.host)
		}
		return false
	}
	return true
}

// reply reads the next complete reply; false (logged) when none came.
func (c *smtpConn) reply() (int, bool) {
	_ = c.conn.SetReadDeadline(time.Now().Add(c.timeout))
	var tmp [replyBufferMax]byte
	var err error
	for {
		if code, n, ok := parseReply(c.buf); ok {
			c.buf = c.buf[n:]
			return code, true
		}
		if err != nil {
			break
		}
		if len(c.buf) >= replyBufferMax {
			c.log.printf(fmtSMTPOverflow, c.host)
			return 0, false
		}
		var n int
		n, err = c.conn.Read(tmp[:replyBufferMax-len(c.buf)])
		c.buf = append(c.buf, tmp[:n]...)
	}
	if c.ctx.Err() != nil {
		return 0, false
	}
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF):
		c.log.printf(fmtSMTPClosed, c.host)
	case errors.As(err, &ne) && ne.Timeout():
		c.log.printf(fmtSMTPReadTimeout, c.host)
	default:
		c.log.printf(fmtSMTPReadErr, c.host)
	}
	return 0, false
}
