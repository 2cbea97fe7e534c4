package notify

import (
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// message is one smtp_alert mail.
type message struct {
	from    string
	to      []string
	subject string
	body    string
}

// Subjects and bodies of keepalived 2.2.7's VRRP mails (vrrp_notify.c;
// all observed with an SMTP sink, the deletion ones after a reload that
// removed an instance with and without notify_deleted).
var (
	instanceTexts = map[vrrp.State][2]string{
		vrrp.Master:  {"Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <="},
		vrrp.Backup:  {"Entering BACKUP state", "=> VRRP Instance is no longer owning VRRP VIPs <="},
		vrrp.Fault:   {"Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <="},
		vrrp.Stopped: {"Stopping", "=> VRRP Instance stopping <="},
		vrrp.Deleted: {"Deleted", "=> VRRP Deleted at reload <="},
	}
	groupTexts = map[vrrp.State][2]string{
		vrrp.Master:  {"Entering MASTER state", "=> All VRRP group instances are now in MASTER state <="},
		vrrp.Backup:  {"Entering BACKUP state", "=> All VRRP group instances are now in BACKUP state <="},
		vrrp.Fault:   {"Entering FAULT state", "=> All VRRP group instances are now in FAULT state <="},
		vrrp.Stopped: {"Stopping", "=> All VRRP group instances are now stopping <="},
	}
)

// message is the mail for a subject that entered shown (the state the
// mail speaks of: FAULT for a deletion without notify_deleted); nil when
// keepalived sends none for it.
func (s *settings) message(group bool, name string, st, shown vrrp.State) *message {
	texts, kind := instanceTexts, "VRRP Instance "
	if group {
		texts, kind = groupTexts, "VRRP Group "
	}
	t, ok := texts[shown]
	if !ok {
		return nil
	}
	return &message{
		from:    s.from,
		to:      s.to,
		subject: "[" + s.routerID + "] " + kind + name + " - " + t[0],
		body:    t[1],
	}
}

// rfc822Date is keepalived's Date header: strftime's
// "%a, %d %b %Y %H:%M:%S %z" of the local time.
const rfc822Date = "Mon, 02 Jan 2006 15:04:05 -0700"

// data is what keepalived sends after the server's 354: the headers, an
// empty line, the body line, then an empty line and the terminating dot
// (SMTP_HEADERS_CMD, SMTP_BODY_CMD and SMTP_SEND_CMD of smtp.h; the
// bytes match a capture of keepalived 2.2.7 in
// testdata/keepalived-2.2.7-*.smtp).
func (m *message) data(date time.Time) string {
	var b strings.Builder
	b.WriteString("Date: " + date.Format(rfc822Date) + "\r\n")
	b.WriteString("From: " + m.from + "\r\n")
	b.WriteString("Subject: " + m.subject + "\r\n")
	b.WriteString("X-Mailer: Keepalived\r\n")
	b.WriteString("To: " + strings.Join(m.to, ", ") + "\r\n\r\n")
	b.WriteString(m.body + "\r\n")
	b.WriteString("\r\n.\r\n")
	return b.String()
}
