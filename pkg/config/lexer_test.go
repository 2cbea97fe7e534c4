package config

import (
	"reflect"
	"testing"
)

func TestDecomment(t *testing.T) {
	// Verified against keepalived 2.2.7 through testdata/lex (comments,
	// quotes): the line as the keyword parser sees it, and the
	// "Unterminated quote" text.
	tests := []struct {
		in, out, msg string
	}{
		{"  a b  ", "a b", ""},
		{"\t a # c", "a", ""},
		{"a! c", "a", ""},
		{`a\#b\!c`, "a#b!c", ""},
		{`"a # b" # c`, `"a # b"`, ""},
		{`"a \# b"`, `"a \# b"`, ""},
		{`a \"b # c`, `a \"b`, ""},
		{`x "unterminated # c`, `x "unterminated # c`, `Unterminated quote 'x "unterminated # c'`},
		{`  \#x "y`, `#x "y`, `Unterminated quote '#x "y'`},
		{"a \\", "a\\", ""},
		{"a   \\", "a\\", ""},
		{"a # comment \\", "a\\", ""},
		{"# only", "", ""},
		{"", "", ""},
		{`a # "b`, "a", ""},
		{"\\", "\\", ""},
	}
	for _, tt := range tests {
		out, msg := decomment(tt.in)
		if out != tt.out || msg != tt.msg {
			t.Errorf("decomment(%q) = %q, %q; want %q, %q", tt.in, out, msg, tt.out, tt.msg)
		}
	}
}

func toks(ws ...string) []Token {
	var out []Token
	for _, w := range ws {
		if len(w) > 1 && w[0] == '"' {
			out = append(out, Token{Text: w[1 : len(w)-1], Quoted: true})
		} else {
			out = append(out, Token{Text: w})
		}
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []Token
	}{
		{"a b\tc", toks("a", "b", "c")},
		{`"a b" c`, toks(`"a b"`, "c")},
		{`abc"d e"f`, toks("abc", `"d e"`, "f")},
		{`""`, toks(`""`)},
		{`a "b`, toks("a")},
		{"authentication{", toks("authentication", "{")},
		{"global_defs { router_id r1 }", toks("global_defs", "{", "router_id", "r1", "}")},
		{"}}", toks("}", "}")},
		{`a "{" b`, toks("a", `"{"`, "b")},
		{"a # b { c", toks("a")},
		{"a\fb\vc\rd", toks("a", "b", "c", "d")},
	}
	for _, tt := range tests {
		if got := Tokenize(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokenize(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if _, unmatched := tokenize(`a "b`); !unmatched {
		t.Error("unmatched quote not reported")
	}
}

func TestQuotedEscaped(t *testing.T) {
	// keepalived's alloc_strvec_quoted_escaped, as the man page describes it
	// ("Quoted strings"): quotes group, backslash escapes C style.
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{`/bin/x a b`, []string{"/bin/x", "a", "b"}, ""},
		{`"/etc/keepalived/notify.sh master"`, []string{"/etc/keepalived/notify.sh master"}, ""},
		{`abcd" efg h jkl "mnop`, []string{"abcd efg h jkl mnop"}, ""},
		{`abcd "efg h jkl" mnop`, []string{"abcd", "efg h jkl", "mnop"}, ""},
		{`'a "b' c`, []string{`a "b`, "c"}, ""},
		{`a\ b \"c\"`, []string{"a b", `"c"`}, ""},
		{`\a\b\E\f\n\r\t\v\\`, []string{"\a\b\x1b\f\n\r\t\v\\"}, ""},
		{`\101\60x\0`, []string{"A0x\x00"}, ""},
		{`\x41\x4a4b\xz`, []string{"AKxz"}, ""}, // a char keeps the last two hex digits
		{`\cA\c[`, []string{"\x01\x1b"}, ""},
		{`"a\"b" 'c\'d'`, []string{`a"b`, "c'd"}, ""},
		{`''`, []string{""}, ""},
		{`   `, nil, ""},
		{`a "b`, nil, `String 'a "b': missing terminating "`},
		{`a 'b`, nil, `String 'a 'b': missing terminating '`},
		{`a\`, nil, `Missing escape char at end: 'a\'`},
	}
	for _, tt := range tests {
		got, err := QuotedEscaped(tt.in)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if !reflect.DeepEqual(got, tt.want) || msg != tt.err {
			t.Errorf("QuotedEscaped(%q) = %q, %q; want %q, %q", tt.in, got, msg, tt.want, tt.err)
		}
	}
}

func TestScriptArgv(t *testing.T) {
	const missingString = `(f: Line 3) String 'script "a': missing terminating "`
	tests := []struct {
		raw         string
		argv        []string
		user, group string
		// What ScriptParams (script, misc_path) and NotifyCommand (the
		// notify family) report.
		params, notify []string
	}{
		{raw: `notify_master "/etc/keepalived/notify.sh master"`, argv: []string{"/etc/keepalived/notify.sh", "master"}},
		// Unquoted, the second word is the user to run the script as.
		{raw: `notify_master /etc/keepalived/notify.sh master`, argv: []string{"/etc/keepalived/notify.sh"}, user: "master"},
		{raw: `notify "/x.sh" nobody nogroup`, argv: []string{"/x.sh"}, user: "nobody", group: "nogroup"},
		// Single quotes group too (the keyword parser only knows double
		// quotes, so its words differ: the user here is root).
		{raw: `notify_backup '/bin/echo a' root`, argv: []string{"/bin/echo", "a"}, user: "root"},
		{raw: `script "'/opt/my dir/chk.sh' --name 'a b' x\\ y"`, argv: []string{"/opt/my dir/chk.sh", "--name", "a b", "x y"}},
		{raw: `script "killall -0 haproxy"`, argv: []string{"killall", "-0", "haproxy"}},
		{raw: `misc_path "/bin/sh -c \"exit 1\""`, argv: []string{"/bin/sh", "-c", "exit 1"}},
		{raw: `script "a 'b"`,
			params: []string{`(f: Line 3) String 'a 'b': missing terminating '`},
			notify: []string{`(f: Line 3) String 'a 'b': missing terminating '`, `(f: Line 3) Unable to parse script 'a 'b' - ignoring`}},
		{raw: `script "a`,
			params: []string{missingString, "(f: Line 3) script line could not be parsed - keepalived 2.2.7 stops here - check the quotes and backslashes of the command"},
			notify: []string{missingString, "(f: Line 3) Unable to parse notify script"}},
		{raw: `script ""`, notify: []string{"(f: Line 3) Unable to parse script '' - ignoring"}},
		{raw: `script`, notify: []string{"(f: Line 3) *** Configuration line starting `script` is missing a parameter after keyword `script` at word position 2"}},
	}
	diags := func(c *Ctx) []string {
		var out []string
		for _, d := range c.Diags {
			out = append(out, d.String())
		}
		return out
	}
	for _, tt := range tests {
		n := &Node{Pos: Pos{File: "f", Line: 3}, Raw: tt.raw, Tokens: Tokenize(tt.raw)}
		if got := ScriptArgv(n); !reflect.DeepEqual(got, tt.argv) {
			t.Errorf("ScriptArgv(%q) = %q, want %q", tt.raw, got, tt.argv)
		}
		c := &Ctx{}
		if argv := c.ScriptParams(n); !reflect.DeepEqual(argv, tt.argv) || !reflect.DeepEqual(diags(c), tt.params) {
			t.Errorf("ScriptParams(%q) = %q %q, want %q %q", tt.raw, argv, diags(c), tt.argv, tt.params)
		}
		c = &Ctx{}
		argv, user, group, ok := c.NotifyCommand(n)
		if !reflect.DeepEqual(argv, tt.argv) || user != tt.user || group != tt.group || ok != (tt.argv != nil) {
			t.Errorf("NotifyCommand(%q) = %q %q %q %v", tt.raw, argv, user, group, ok)
		}
		if !reflect.DeepEqual(diags(c), tt.notify) {
			t.Errorf("NotifyCommand(%q) diagnostics %q, want %q", tt.raw, diags(c), tt.notify)
		}
	}
	if got := CmdStr([]string{"/bin/true", "a b"}); got != "'/bin/true' 'a b'" {
		t.Errorf("cmdStr = %s", got)
	}
	if got := CmdStr([]string{"</etc/passwd"}); got != "</etc/passwd" {
		t.Errorf("cmdStr = %s", got)
	}
}
