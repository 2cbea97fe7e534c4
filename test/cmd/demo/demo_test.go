package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

func TestLabConf(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"strict and mail dropped",
			"global_defs {\n   notification_email {\n     a@b.c\n     d@e.f\n   }\n   notification_email_from x@y.z\n   smtp_server 192.168.200.1\n   smtp_connect_timeout 30\n   router_id R\n   vrrp_strict\n}\n",
			"global_defs {\n   router_id R\n}\n"},
		{"one-line email block",
			"global_defs {\n notification_email { a@b.c }\n router_id R\n}\n",
			"global_defs {\n router_id R\n}\n"},
		{"other lines kept as written",
			"vrrp_instance V {\n    state MASTER\n    smtp_alert\n}\n",
			"vrrp_instance V {\n    state MASTER\n}\n"},
		{"nothing to drop", "! c\nvrrp_instance V {\n}\n", "! c\nvrrp_instance V {\n}\n"},
	}
	for _, tt := range tests {
		if got := labConf(tt.in); got != tt.want {
			t.Errorf("%s: labConf =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// The seed pair the demo runs: only the lab-incompatible lines go, and
// the pair differs in state and priority only.
func TestSeedPair(t *testing.T) {
	var confs [2]string
	for i, name := range []string{seedMaster, seedBackup} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seeds", name))
		if err != nil {
			t.Fatal(err)
		}
		confs[i] = labConf(string(b))
		for _, gone := range []string{"vrrp_strict", "notification_email", "smtp_", "@firewall.loc"} {
			if strings.Contains(confs[i], gone) {
				t.Errorf("%s: %q left:\n%s", name, gone, confs[i])
			}
		}
		for _, kept := range []string{"192.168.0.248/24 dev eth0 label eth0:0", "auth_type PASS", "advert_int 1", "vrrp_skip_check_adv_addr"} {
			if !strings.Contains(confs[i], kept) {
				t.Errorf("%s: %q lost", name, kept)
			}
		}
	}
	if got := strings.Join(changedLines(confs[0], confs[1]), ", "); got != "'state BACKUP', 'priority 80'" {
		t.Errorf("changedLines = %s", got)
	}
	if got := instanceName(confs[0]); got != "magedu-master-backup" {
		t.Errorf("instanceName = %q", got)
	}
}

func TestProtocolBound(t *testing.T) {
	tests := []struct {
		advert time.Duration
		prio   int
		want   time.Duration
	}{
		{time.Second, 80, 3687500 * time.Microsecond},
		{time.Second, 100, 3609375 * time.Microsecond},
		{time.Second, 255, 3003906250},
	}
	for _, tt := range tests {
		if got := protocolBound(tt.advert, tt.prio); got != tt.want {
			t.Errorf("protocolBound(%v, %d) = %v, want %v", tt.advert, tt.prio, got, tt.want)
		}
	}
}

func TestUnanswered(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	var samples []netlab.Sample
	for i, who := range []string{"r1", "", "r1", "", "", "r2", ""} {
		samples = append(samples, netlab.Sample{At: at(50 * i), Who: who})
	}
	tests := []struct {
		from          time.Time
		before, after string
		want          int
	}{
		{at(0), "r1", "r2", 2},   // the failures before r1's last answer do not count
		{at(160), "r1", "r2", 1}, // from the middle of the outage
		{at(260), "r2", "r1", 1}, // r1 never answers: what was seen
	}
	for _, tt := range tests {
		if got := unanswered(samples, tt.from, tt.before, tt.after); got != tt.want {
			t.Errorf("unanswered(from %v, %s→%s) = %d, want %d", tt.from.Sub(t0), tt.before, tt.after, got, tt.want)
		}
	}
}

func TestCondenser(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)
	var c condenser
	steps := []struct {
		ms   int
		ans  string
		want string // "" = not printed
	}{
		{0, "200 served by r1", "03:04:05.000  curl http://192.168.0.248/  ->  200 served by r1"},
		{50, "200 served by r1", ""},
		{500, "200 served by r1", ""},
		{1000, "200 served by r1", "03:04:06.000  curl http://192.168.0.248/  ->  200 served by r1   (x3 in 1.0s)"},
		{1050, "no answer (timeout)", "03:04:06.050  curl http://192.168.0.248/  ->  no answer (timeout)"},
		{1100, "200 served by r2", "03:04:06.100  curl http://192.168.0.248/  ->  200 served by r2"},
		{1150, "200 served by r2", ""},
	}
	for _, s := range steps {
		got, ok := c.add(t0.Add(time.Duration(s.ms)*time.Millisecond), s.ans)
		if ok != (s.want != "") || got != s.want {
			t.Errorf("at %dms %q: got (%q, %v), want %q", s.ms, s.ans, got, ok, s.want)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestAnswer(t *testing.T) {
	tests := []struct {
		a        answer
		str, who string
	}{
		{answer{status: 200, body: "served by r2"}, "200 served by r2", "r2"},
		{answer{status: 503, body: "busy"}, "503 busy", ""},
		{answer{err: timeoutErr{}}, "no answer (timeout)", ""},
		{answer{err: errors.New("dial tcp 192.168.0.248:80: connect: connection refused")}, "connection refused", ""},
	}
	for _, tt := range tests {
		if s, w := tt.a.String(), tt.a.who(); s != tt.str || w != tt.who {
			t.Errorf("%+v: (%q, %q), want (%q, %q)", tt.a, s, w, tt.str, tt.who)
		}
	}
}
