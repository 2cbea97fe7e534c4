package configtest

import (
	"reflect"
	"testing"
)

func TestGarpZeroLines(t *testing.T) {
	text := "global_defs {\n" + // 0
		"   vrrp_garp_interval 0      # no delay\n" + // 1
		"\tvrrp_gna_interval 0.000\n" + // 2
		"   vrrp_garp_interval 0.5\n" + // 3
		"   #vrrp_gna_interval 0\n" + // 4
		"   vrrp_garp_master_delay 0\n" + // 5
		"   vrrp_gna_interval\n" + // 6
		"   vrrp_garp_interval{0}\n" + // 7: a block, not a value
		"}\n"
	want := []int{1, 2}
	if got := GarpZeroLines(text); !reflect.DeepEqual(got, want) {
		t.Errorf("GarpZeroLines = %v, want %v", got, want)
	}
}

func TestBlankLines(t *testing.T) {
	got := BlankLines("a\nb\nc\n", []int{1, 7, -1})
	if got != "a\n\nc\n" {
		t.Errorf("BlankLines = %q", got)
	}
}

func TestComparisonMissingExtra(t *testing.T) {
	c := &Comparison{
		Ref:  Verdict{Stderr: "(Line 3) Unknown keyword 'prority'\n(f: Line 3) Unknown keyword 'prority'\nThere are 1 missing '}'s or extra '{'s\n"},
		Ours: Verdict{Stderr: "(f: Line 3) Unknown keyword 'prority' - did you mean 'priority'?\n(f: Line 9) Keyword 'lb_algo' is deprecated - use 'lvs_sched'\n"},
	}
	if got, want := c.Missing(), []string{"There are 1 missing '}'s or extra '{'s"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Missing = %q, want %q", got, want)
	}
	if got, want := c.Extra(), []string{"Keyword 'lb_algo' is deprecated - use 'lvs_sched'"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Extra = %q, want %q", got, want)
	}
}
