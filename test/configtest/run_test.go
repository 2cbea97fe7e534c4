package configtest

import (
	"reflect"
	"testing"
)

func TestMessages(t *testing.T) {
	out := "(Line 1) Unknown keyword 'x'\n" +
		"(/etc/keepalived/keepalived.conf: Line 1) Unknown keyword 'x'\n" +
		"(a: b.conf: Line 12) odd file name\n" +
		"Non-existent interface specified in configuration\n" +
		"        Please use global lvs_sync_daemon\n" +
		"\n   \n" +
		"Bind /etc/netns/gkt-1-1/nonexist -> /etc/nonexist failed: No such file or directory\n" +
		"(Line 3) (VI_1) Unknown interface!   \n" +
		"(f: Line 4) Unknown keyword 'prority' - did you mean 'priority'?\n" +
		"    | prority 100\n"
	want := []string{
		"(VI_1) Unknown interface!",
		"Non-existent interface specified in configuration",
		"Please use global lvs_sync_daemon",
		"Unknown keyword 'prority' - did you mean 'priority'?",
		"Unknown keyword 'x'",
		"odd file name",
	}
	if got := Messages(out); !reflect.DeepEqual(got, want) {
		t.Errorf("Messages =\n%q\nwant\n%q", got, want)
	}
}

func TestHasMessage(t *testing.T) {
	ours := []string{
		"Unknown keyword 'prority' - did you mean 'priority'?",
		"Truncating auth_pass to 8 characters",
	}
	tests := []struct {
		want string
		ok   bool
	}{
		{"Unknown keyword 'prority'", true},
		{"Truncating auth_pass to 8 characters", true},
		{"Unknown keyword 'prori'", false},
		{"Truncating auth_pass", false},
		{"Unknown keyword 'prority' - did", false},
	}
	for _, tt := range tests {
		if got := HasMessage(ours, tt.want); got != tt.ok {
			t.Errorf("HasMessage(%q) = %v, want %v", tt.want, got, tt.ok)
		}
	}
}

func TestVerdictOutcome(t *testing.T) {
	if got := (Verdict{Exit: 5}).Outcome(); got != "exit 5" {
		t.Errorf("Outcome = %q", got)
	}
	if got := (Verdict{Exit: -1, Signal: "segmentation fault"}).Outcome(); got != "killed by segmentation fault" {
		t.Errorf("Outcome = %q", got)
	}
}
