package config

import (
	"strings"
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
	// keepalived 2.2.7 -t on vrrp_garp_interval (range 0.000001-4294.967295),
	// read without ignore_error ("1.2.3" is accepted as 12 with it).
	tests := []struct {
		arg  string
		v    uint64
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
		v, ok := c.DecimalArg(valueNode("vrrp_garp_interval", tt.arg), 0, 6, 1, 4294967295, false)
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

func TestFormatDecimal(t *testing.T) {
	for _, tc := range []struct {
		v      uint64
		digits int
		want   string
	}{
		{4294967295, 6, "4294.967295"},
		{1, 6, "0.000001"},
		{960000, 3, "960.000"},
		// C's "%lu.%*.*lu" prints nothing for a zero with precision 0.
		{960000, 0, "960000."},
	} {
		if s := formatDecimal(tc.v, tc.digits); s != tc.want {
			t.Errorf("formatDecimal(%d, %d) = %q, want %q", tc.v, tc.digits, s, tc.want)
		}
	}
}

// TestReaders pins the readers' edge cases, each as keepalived 2.2.7's C
// reader treats it (strtol/strtoul semantics).
func TestReaders(t *testing.T) {
	n := &Node{Tokens: []Token{{Text: "kw"}}}
	tests := []struct {
		name string
		f    func(c *Ctx) (any, bool)
		want any
		ok   bool
		msgs string
	}{
		{"uint plus", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, "+7", 0, 10) }, uint64(7), true, ""},
		{"uint plus only", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, "+", 0, 10) }, uint64(0), false, "invalid number '+'"},
		{"uint blank", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, " ", 0, 10) }, uint64(0), true, ""},
		{"uint neg", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, "-0", 0, 10) }, uint64(0), false, "negative number '-0'"},
		{"uint neg blank", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, " -1", 0, 10) }, uint64(0), false, "negative number ' -1'"},
		{"uint hex", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, "0x1", 0, 10) }, uint64(0), false, "invalid number '0x1'"},
		{"uint big", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, "4294967296", 0, 10) }, uint64(0), false, "number '4294967296' outside unsigned integer range"},
		{"uint huge", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, "99999999999999999999999", 0, 10) }, uint64(0), false, "number '99999999999999999999999' outside unsigned integer range"},
		{"uint range", func(c *Ctx) (any, bool) { return c.ReadUnsigned(n, "11", 0, 10) }, uint64(0), false, "number '11' outside range [0, 10]"},
		{"base0 hex", func(c *Ctx) (any, bool) { return c.ReadUnsignedBase(n, "0x10", 0, 0, 100) }, uint64(16), true, ""},
		{"base0 octal", func(c *Ctx) (any, bool) { return c.ReadUnsignedBase(n, "010", 0, 0, 100) }, uint64(8), true, ""},
		{"base0 bare 0x", func(c *Ctx) (any, bool) { return c.ReadUnsignedBase(n, "0x", 0, 0, 100) }, uint64(0), false, "invalid number '0x'"},
		{"base0 underscore", func(c *Ctx) (any, bool) { return c.ReadUnsignedBase(n, "1_0", 0, 0, 100) }, uint64(0), false, "invalid number '1_0'"},
		{"u64 big", func(c *Ctx) (any, bool) { return c.ReadUnsigned64(n, "18446744073709551615", 0, 1<<64-1) }, uint64(1<<64 - 1), true, ""},
		{"u64 over", func(c *Ctx) (any, bool) { return c.ReadUnsigned64(n, "18446744073709551616", 0, 1<<64-1) }, uint64(0), false, "number '18446744073709551616' outside unsigned 64 bit range"},
		{"int", func(c *Ctx) (any, bool) { return c.ReadInt(n, "-20", -20, 19) }, int64(-20), true, ""},
		{"int sign sign", func(c *Ctx) (any, bool) { return c.ReadInt(n, "+-2", -20, 19) }, int64(0), false, "invalid number '+-2'"},
		{"int big", func(c *Ctx) (any, bool) { return c.ReadInt(n, "2147483648", -20, 19) }, int64(0), false, "number '2147483648' outside integer range"},
		{"dec", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "1.25", 6, 0, 1e9, true) }, uint64(1250000), true, ""},
		{"dec round", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "0.0000015", 6, 1, 1e9, true) }, uint64(2), true, "number '0.0000015' has too many decimal places"},
		// The padded text "2x000000" reads as 2, which is in range.
		{"dec junk", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "2x", 6, 1, 10, true) }, uint64(2), true, "invalid number '2x'"},
		{"dec junk strict", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "2x", 6, 1, 10, false) }, uint64(0), false, "invalid number '2x'"},
		{"dec junk fraction", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "1.5x", 6, 1, 100, true) }, uint64(15), true, "invalid number '1.5x'"},
		{"dec junk out of range", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "0.5x", 6, 1000, 1e9, true) }, uint64(0), false, "invalid number '0.5x'"},
		{"dec junk zero", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "0x", 6, 1, 10, true) }, uint64(0), false, "invalid number '0x'"},
		{"dec none", func(c *Ctx) (any, bool) { return c.ReadDecimal(n, "x", 6, 1, 10, true) }, uint64(0), false, "invalid number 'x'"},
		{"timer no max", func(c *Ctx) (any, bool) {
			return c.TimerArg(&Node{Tokens: []Token{{Text: "delay_loop"}, {Text: "0"}}}, 0, 1, 0, true)
		}, uint64(0), false, "number '0' outside range [0.000001, 18446744073709.551614]"},
	}
	for _, tc := range tests {
		c := &Ctx{}
		v, ok := tc.f(c)
		var msgs []string
		for _, d := range c.Diags {
			msgs = append(msgs, d.Msg)
		}
		if ok != tc.ok || (ok && v != tc.want) || strings.Join(msgs, "|") != tc.msgs {
			t.Errorf("%s: got %v %v %q, want %v %v %q", tc.name, v, ok, msgs, tc.want, tc.ok, tc.msgs)
		}
	}
}

// TestPlainDecimal checks the allocation-free path against keepalived's
// method (remove the '.', pad with zeros, read the digits).
func TestPlainDecimal(t *testing.T) {
	for _, s := range []string{"", ".", "0", "1", "1.5", ".5", "5.", "4294.967295", "0.000001", "1.1234567", "1.2.3", "1e3", "+1", " 1", "18446744073709.551615", "18446744073709.551616", "99999999999999999999"} {
		v, ok := plainDecimal(s, 6)
		intPart, frac, _ := strings.Cut(s, ".")
		padded := intPart + frac + strings.Repeat("0", max(0, 6-len(frac)))
		want, rest, over := cStrtoul(padded, 10)
		clean := rest == "" && !over && len(frac) <= 6 && !strings.ContainsAny(s, "+ ") && strings.Count(s, ".") <= 1
		if ok != clean || ok && v != want {
			t.Errorf("plainDecimal(%q) = %d %v; keepalived reads %d (clean %v)", s, v, ok, want, clean)
		}
	}
}
