package config

import (
	"strings"
	"testing"
)

// renderTree prints nodes as "kw args {children}" with the line of each
// statement, one level per pair of braces.
func renderTree(nodes []*Node) string {
	var b strings.Builder
	for i, n := range nodes {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(n.Text())
		if n.HasBlock {
			b.WriteString(" {")
			b.WriteString(renderTree(n.Block))
			b.WriteString("}")
		}
	}
	return b.String()
}

func parseTree(t *testing.T, src string) ([]*Node, *Ctx) {
	t.Helper()
	c := &Ctx{Opts: Options{File: "t.conf", FS: MapFS{"t.conf": []byte(src)}, Host: FakeHost{Name: "vm"}}}
	nodes := BuildTree(c, Preprocess(c))
	return nodes, c
}

func TestBuildTree(t *testing.T) {
	// The brace handling of keepalived 2.2.7 that does not depend on
	// keywords (testdata/lex/braces checks the same text with keepalived).
	tests := []struct {
		src, tree string
		diags     []string
	}{
		{"a {\n b\n}\n", "a {b}", nil},
		{"a\n{\n b\n}\n", "a {b}", nil},
		{"a{b}c\n", "a {b} c", nil},
		{"global_defs { router_id r1 }\n", "global_defs {router_id r1}", nil},
		{"a { b { c } }\n", "a {b {c}}", nil},
		{"a {\n b {\n c }}\n", "a {b {c}}", nil},
		{"a {\n b\n", "a {b}", []string{"There are 1 missing '}'s or extra '{'s"}},
		{"a\n}\nb\n", "a b", []string{"(t.conf: Line 2) Extra '}' found", "(t.conf: Line 2) Unknown keyword '}'"}},
		{"}}\n", "", []string{
			"(t.conf: Line 1) Extra '}' found", "(t.conf: Line 1) Extra '}' found",
			"(t.conf: Line 1) Unknown keyword '}'", "(t.conf: Line 1) Unknown keyword '}'"}},
		// A '{' after another '{' or after '}' belongs to no statement: its
		// contents stay at the current level, and its '}' closes that level.
		{"a {\n{\n b\n}\n c\n}\n", "a {b} c", []string{"(t.conf: Line 2) Unexpected '{' - ignoring", "(t.conf: Line 6) Unknown keyword '}'"}},
		{"{ x }\n", "x", []string{"(t.conf: Line 1) Unexpected '{' - ignoring", "(t.conf: Line 1) Unknown keyword '}'"}},
		// A '{' takes the statement of the line just before only.
		{"a\nb\n{\nc\n}\n", "a b {c}", nil},
		{"a \"{\" b\n", "a { b", nil},
		{"\"{\" b\n", "", []string{"(t.conf: Line 1) Unexpected '{' - ignoring"}},
		{"a \"x { y\" {\nb\n}\n", "a x { y {b}", nil},
	}
	for _, tt := range tests {
		nodes, c := parseTree(t, tt.src)
		if got := renderTree(nodes); got != tt.tree {
			t.Errorf("%q: tree %q, want %q", tt.src, got, tt.tree)
		}
		var got []string
		for _, d := range c.Diags {
			got = append(got, d.String())
		}
		if strings.Join(got, "\n") != strings.Join(tt.diags, "\n") {
			t.Errorf("%q: diagnostics\n%s\nwant\n%s", tt.src, strings.Join(got, "\n"), strings.Join(tt.diags, "\n"))
		}
	}
}

func TestBuildTreePositions(t *testing.T) {
	nodes, _ := parseTree(t, "vrrp_instance VI_1\n{\n  state MASTER\n}\n")
	n := nodes[0]
	if n.Pos.Line != 1 || n.Open.Line != 2 || n.End.Line != 4 || n.Block[0].Pos.Line != 3 {
		t.Errorf("positions %v %v %v %v", n.Pos, n.Open, n.End, n.Block[0].Pos)
	}
	if n.Raw != "vrrp_instance VI_1" || n.Keyword() != "vrrp_instance" || n.Arg(0) != "VI_1" || n.NArgs() != 1 {
		t.Errorf("node %+v", n)
	}
}

func TestBuildTreeHandMadeLines(t *testing.T) {
	// Lines made with Tokenize still hold their braces; BuildTree splits
	// them as keepalived's read_line would have.
	var lines []Line
	for i, s := range []string{"a 1 {", "b { c } d", "}"} {
		lines = append(lines, Line{Pos: Pos{File: "h", Line: i + 1}, Raw: s, Tokens: Tokenize(s)})
	}
	c := &Ctx{}
	if got := renderTree(BuildTree(c, lines)); got != "a 1 {b {c} d}" || len(c.Diags) != 0 {
		t.Errorf("tree %q, diagnostics %v", got, c.Diags)
	}
}
