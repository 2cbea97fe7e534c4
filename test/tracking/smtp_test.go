package trackingtest

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// smtpConf is seed 001 §3's global_defs with its mail settings (there:
// notification_email acassen@firewall.loc ..., smtp_server
// 192.168.200.1) pointed at a sink on the router's loopback, and
// smtp_alert on the instance.
func smtpConf() string {
	return smtpGlobalDefs + instance("VI_1", "MASTER", 0, 51, 100, vip, "    smtp_alert\n")
}

// alertMail is keepalived 2.2.7's alert for instance VI_1 entering state
// (observed, byte for byte): headers in this order, CRLF line ends, the
// router_id in the subject, one text line and an empty line. DATE stands
// for the Date header's value.
func alertMail(state, text string) string {
	return "Date: DATE\r\n" +
		"From: Alexandre.Cassen@firewall.loc\r\n" +
		"Subject: [LVS_DEVEL] VRRP Instance VI_1 - Entering " + state + " state\r\n" +
		"X-Mailer: Keepalived\r\n" +
		"To: acassen@firewall.loc, failover@firewall.loc\r\n" +
		"\r\n" +
		"=> VRRP Instance is " + text + " <=\r\n" +
		"\r\n"
}

// TestSMTPAlert: smtp_alert with the seed's notification_email(_from)
// and an smtp_server: at start-up (BACKUP) and on entering MASTER the
// daemon mails every recipient through the server, one connection per
// mail, with keepalived 2.2.7's dialogue (HELO with the host name, no
// EHLO, QUIT after the message), envelope, headers and text, and logs
// each delivery.
func TestSMTPAlert(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 1)
		sink := l.SMTPSink(0, "127.0.0.1:2525")
		d := l.start(0, l.WriteConf("r1.conf", smtpConf()))
		d.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		mails := sink.WaitMails(2, 5*time.Second)
		time.Sleep(500 * time.Millisecond) // nothing more comes
		mails = sink.Mails()
		host, err := os.Hostname()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			alertMail("BACKUP", "no longer owning VRRP VIPs"),
			alertMail("MASTER", "now owning VRRP VIPs"),
		}
		if len(mails) != len(want) {
			t.Fatalf("%d mails, want %d: %+v\n%s", len(mails), len(want), mails, d.LogText())
		}
		for i, m := range mails {
			raw, ok := mailDate(t, m)
			if !ok {
				continue
			}
			if raw != want[i] {
				t.Errorf("mail %d:\n got %q\nwant %q", i+1, raw, want[i])
			}
			if m.Helo != host || m.From != "Alexandre.Cassen@firewall.loc" ||
				!slices.Equal(m.To, []string{"acassen@firewall.loc", "failover@firewall.loc"}) {
				t.Errorf("mail %d: HELO %q (want the host name %q), MAIL FROM %q, RCPT TO %q", i+1, m.Helo, host, m.From, m.To)
			}
		}
		session := []string{"HELO " + host, "MAIL FROM:<Alexandre.Cassen@firewall.loc>",
			"RCPT TO:<acassen@firewall.loc>", "RCPT TO:<failover@firewall.loc>", "DATA", "QUIT"}
		for i, s := range sink.Sessions() {
			if !slices.Equal(s, session) {
				t.Errorf("SMTP session %d: %q, want %q", i+1, s, session)
			}
		}
		if errs := sink.Errors(); len(errs) > 0 {
			t.Errorf("SMTP sessions broken off: %v", errs)
		}
		for _, line := range []string{"Remote SMTP server [127.0.0.1]:2525 connected.", "SMTP alert successfully sent."} {
			if n := d.Count(line); n != 2 {
				t.Errorf("%d lines %q, want 2:\n%s", n, line, d.LogText())
			}
		}
	})
}

// mailDate checks the Date header of m (RFC 5322 form, within a few
// seconds of the mail's arrival) and returns m.Raw with its value
// replaced by DATE.
func mailDate(t *testing.T, m netlab.Mail) (string, bool) {
	t.Helper()
	v, ok := m.Header("Date")
	if !ok {
		t.Errorf("mail without Date: %q", m.Raw)
		return "", false
	}
	at, err := time.Parse("Mon, 02 Jan 2006 15:04:05 -0700", v)
	if err != nil {
		t.Errorf("Date %q: %v", v, err)
		return "", false
	}
	if d := m.At.Sub(at).Abs(); d > 5*time.Second {
		t.Errorf("Date %q is %v away from the arrival %v", v, d, m.At)
	}
	return strings.Replace(m.Raw, fmt.Sprintf("Date: %s\r\n", v), "Date: DATE\r\n", 1), true
}

// smtpGlobalDefs sends the mails to the sink the tests run on
// 127.0.0.1:2525 (keepalived's sample addresses).
const smtpGlobalDefs = `global_defs {
   notification_email {
     acassen@firewall.loc
     failover@firewall.loc
   }
   notification_email_from Alexandre.Cassen@firewall.loc
   smtp_server 127.0.0.1 2525
   smtp_connect_timeout 30
   router_id LVS_DEVEL
   vrrp_skip_check_adv_addr
}
`
