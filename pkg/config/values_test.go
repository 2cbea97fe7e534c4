package config

import (
	"testing"
)

// valueNode is a statement "kw args..." at line 2 of v.conf.
func valueNode(words ...string) *Node {
	var ts []Token
	for _, w := range words {
		ts = append(ts, Token{Text: w})
	}
	return &Node{Pos: Pos{File: "v.conf", Line: 2}, Tokens: ts}
}

func diagText(c *Ctx) string {
	s := ""
	for i, d := range c.Diags {
		if i > 0 {
			s += " | "
		}
		s += d.String()
	}
	return s
}

func TestNeedArgs(t *testing.T) {
	// keepalived 2.2.7 -t: "priority" alone prints this and exits 2.
	c := &Ctx{}
	if c.NeedArgs(valueNode("priority"), 1) {
		t.Fatal("NeedArgs accepted a missing word")
	}
	want := "(v.conf: Line 2) *** Configuration line starting `priority` is missing a parameter after keyword `priority` at word position 2"
	if got := diagText(c); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if c.Diags.ExitCode() != 2 {
		t.Errorf("exit code %d, want 2", c.Diags.ExitCode())
	}
	c = &Ctx{}
	c.NeedArgs(valueNode("track_interface", "eth0"), 3)
	want = "(v.conf: Line 2) *** Configuration line starting `track_interface` is missing a parameter after keyword `eth0` at word position 3"
	if got := diagText(c); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if c = (&Ctx{}); !c.NeedArgs(valueNode("a", "b"), 1) || len(c.Diags) != 0 {
		t.Error("NeedArgs refused a present word")
	}
}

func TestIntArg(t *testing.T) {
	tests := []struct {
		arg  string
		v    int64
		ok   bool
		diag string
	}{
		{"5", 5, true, ""},
		{" +5", 5, true, ""},
		{"", 0, true, ""}, // strtol reads nothing and stops at the end
		{"-3", -3, true, ""},
		{"1x", 0, false, "(v.conf: Line 2) invalid number '1x'"},
		{"3000000000", 0, false, "(v.conf: Line 2) number '3000000000' outside integer range"},
		{"99999999999999999999", 0, false, "(v.conf: Line 2) number '99999999999999999999' outside integer range"},
		{"300", 0, false, "(v.conf: Line 2) number '300' outside range [-10, 255]"},
	}
	for _, tt := range tests {
		c := &Ctx{}
		v, ok := c.IntArg(valueNode("kw", tt.arg), 0, -10, 255)
		if v != tt.v || ok != tt.ok || diagText(c) != tt.diag {
			t.Errorf("IntArg(%q) = %d %v %q", tt.arg, v, ok, diagText(c))
		}
	}
}

func TestUintArg(t *testing.T) {
	// Messages as keepalived 2.2.7 -t prints them for
	// vrrp_garp_master_delay and smtp_connect_timeout.
	tests := []struct {
		arg  string
		v    uint64
		ok   bool
		diag string
	}{
		{"5", 5, true, ""},
		{" 5", 5, true, ""},
		{"+5", 5, true, ""},
		{"", 0, true, ""},
		{"-1", 0, false, "(v.conf: Line 2) negative number '-1'"},
		{"1x", 0, false, "(v.conf: Line 2) invalid number '1x'"},
		{"99999999999999", 0, false, "(v.conf: Line 2) number '99999999999999' outside unsigned integer range"},
		{"99999", 0, false, "(v.conf: Line 2) number '99999' outside range [0, 4294]"},
	}
	for _, tt := range tests {
		c := &Ctx{}
		v, ok := c.UintArg(valueNode("kw", tt.arg), 0, 0, 4294)
		if v != tt.v || ok != tt.ok || diagText(c) != tt.diag {
			t.Errorf("UintArg(%q) = %d %v %q", tt.arg, v, ok, diagText(c))
		}
	}
}

func TestDecimalArg(t *testing.T) {
	// keepalived 2.2.7 -t on vrrp_garp_interval (range 0.000001-4294.967295).
	tests := []struct {
		arg  string
		v    int64
		ok   bool
		diag string
	}{
		{"1.5", 1500000, true, ""},
		{"2000", 2000000000, true, ""},
		{".5", 500000, true, ""},
		{"1.", 1000000, true, ""},
		{"-1", 0, false, "(v.conf: Line 2) negative number '-1'"},
		{"1.2.3", 0, false, "(v.conf: Line 2) invalid number '1.2.3'"},
		{"", 0, false, "(v.conf: Line 2) number '' outside range [0.000001, 4294.967295]"},
		// Too many decimals is an error, but the rounded value is used.
		{"0.0000005", 1, true, "(v.conf: Line 2) number '0.0000005' has too many decimal places"},
		{"1.0000001", 1000000, true, "(v.conf: Line 2) number '1.0000001' has too many decimal places"},
		{"99999999999999999999", 0, false, "(v.conf: Line 2) number '99999999999999999999' outside unsigned decimal range"},
		{"5000", 0, false, "(v.conf: Line 2) number '5000' outside range [0.000001, 4294.967295]"},
	}
	for _, tt := range tests {
		c := &Ctx{}
		v, ok := c.DecimalArg(valueNode("vrrp_garp_interval", tt.arg), 0, 6, 1, 4294967295)
		if v != tt.v || ok != tt.ok || diagText(c) != tt.diag {
			t.Errorf("DecimalArg(%q) = %d %v %q", tt.arg, v, ok, diagText(c))
		}
	}
}

func TestParseBool(t *testing.T) {
	for s, want := range map[string][2]bool{
		"true": {true, true}, "on": {true, true}, "yes": {true, true},
		"false": {false, true}, "off": {false, true}, "no": {false, true},
		"True": {false, false}, "1": {false, false}, "": {false, false},
	} {
		v, ok := ParseBool(s)
		if v != want[0] || ok != want[1] {
			t.Errorf("ParseBool(%q) = %v %v", s, v, ok)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	for _, tt := range []struct {
		s  string
		v  int64
		ok bool
	}{{"1.5", 1500, true}, {"0.001", 1, true}, {"1.0001", 0, false}, {"", 0, false}, {".", 0, false}, {"a", 0, false}} {
		v, ok := ParseDecimal(tt.s, 3)
		if v != tt.v || ok != tt.ok {
			t.Errorf("ParseDecimal(%q) = %d %v", tt.s, v, ok)
		}
	}
	if s := FormatDecimal(4294967295, 6); s != "4294.967295" {
		t.Errorf("FormatDecimal = %q", s)
	}
}
