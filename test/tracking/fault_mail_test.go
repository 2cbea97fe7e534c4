package trackingtest

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// faultMailConf is smtpConf's instance tracking a weight 0 vrrp_script
// (its failure is a FAULT) run every second.
func faultMailConf(chk string) string {
	return smtpGlobalDefs + fmt.Sprintf(`
vrrp_script chk {
    script "%s"
    interval 1
}

`, chk) + instance("VI_1", "MASTER", 0, 51, 100, vip, `    track_script {
        chk
    }
    smtp_alert
`)
}

// TestFaultMail: smtp_alert when a weight 0 script fails on the master.
// keepalived 2.2.7 (observed) mails "[LVS_DEVEL] VRRP Instance VI_1 -
// Entering FAULT state" with the text "=> VRRP Instance is no longer
// owning VRRP VIPs <=", the same headers and dialogue as for BACKUP and
// MASTER (TestSMTPAlert); leaving FAULT mails BACKUP, then MASTER.
func TestFaultMail(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 1)
		sink := l.SMTPSink(0, "127.0.0.1:2525")
		broken := l.path("broken")
		chk := l.script("chk.sh", fmt.Sprintf("[ -e %s ] && exit 1 || exit 0\n", broken))
		d := l.start(0, l.WriteConf("r1.conf", faultMailConf(chk)))
		d.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		sink.WaitMails(2, 5*time.Second)

		fail := time.Now()
		if err := os.WriteFile(broken, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		d.MustLine("VRRP_Script(chk) failed (exited with status 1)", fail, 3*time.Second)
		d.MustLine("(VI_1) Entering FAULT STATE", fail, time.Second)
		sink.WaitMails(3, 5*time.Second)
		if h := l.Holders(vip); len(h) != 0 {
			t.Errorf("VIP held by %v in FAULT", h)
		}

		fixed := time.Now()
		if err := os.Remove(broken); err != nil {
			t.Fatal(err)
		}
		d.MustLine("VRRP_Script(chk) succeeded", fixed, 3*time.Second)
		d.MustLine("(VI_1) Entering BACKUP STATE", fixed, time.Second)
		d.MustLine("(VI_1) Entering MASTER STATE", fixed, takeover)
		sink.WaitMails(5, 5*time.Second)
		time.Sleep(500 * time.Millisecond) // nothing more comes

		want := []string{
			alertMail("BACKUP", "no longer owning VRRP VIPs"),
			alertMail("MASTER", "now owning VRRP VIPs"),
			alertMail("FAULT", "no longer owning VRRP VIPs"),
			alertMail("BACKUP", "no longer owning VRRP VIPs"),
			alertMail("MASTER", "now owning VRRP VIPs"),
		}
		mails := sink.Mails()
		if len(mails) != len(want) {
			t.Fatalf("%d mails, want %d: %+v\n%s", len(mails), len(want), mails, d.LogText())
		}
		host, err := os.Hostname()
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range mails {
			if raw, ok := mailDate(t, m); ok && raw != want[i] {
				t.Errorf("mail %d:\n got %q\nwant %q", i+1, raw, want[i])
			}
			if m.Helo != host || m.From != "Alexandre.Cassen@firewall.loc" ||
				!slices.Equal(m.To, []string{"acassen@firewall.loc", "failover@firewall.loc"}) {
				t.Errorf("mail %d: HELO %q, MAIL FROM %q, RCPT TO %q", i+1, m.Helo, m.From, m.To)
			}
		}
		if errs := sink.Errors(); len(errs) > 0 {
			t.Errorf("SMTP sessions broken off: %v", errs)
		}
		if n := d.Count("SMTP alert successfully sent."); n != len(want) {
			t.Errorf("%d lines 'SMTP alert successfully sent.', want %d:\n%s", n, len(want), d.LogText())
		}
	})
}
