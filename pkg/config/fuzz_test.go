package config

import (
	"bytes"
	"strings"
	"testing"
)

// Fuzz targets: the reading of keepalived.conf must be safe on any bytes:
// no panic, no hang, bounded memory. The committed corpora in
// testdata/fuzz/ hold the tricky inputs of testdata/lex and the
// configurations of keepalived's samples and of the seed notes.
//
//	go test -run XXX -fuzz FuzzPreprocess -fuzztime 2m ./pkg/config/
//	go test -run XXX -fuzz FuzzParse -fuzztime 2m ./pkg/config/

// fuzzLimits lowers the preprocessor's limits so that each input runs in
// milliseconds, and restores them when the test ends.
func fuzzLimits(t testing.TB) {
	saved := []int{ppMaxDepth, ppMaxFiles, ppMaxLines, ppMaxWork, ppMaxSubst, ppMaxDefBytes}
	ppMaxDepth, ppMaxFiles, ppMaxLines, ppMaxWork, ppMaxSubst, ppMaxDefBytes = 8, 64, 20000, 400000, 2000, 64<<10
	t.Cleanup(func() {
		ppMaxDepth, ppMaxFiles, ppMaxLines, ppMaxWork, ppMaxSubst, ppMaxDefBytes = saved[0], saved[1], saved[2], saved[3], saved[4], saved[5]
	})
}

// fuzzFS is the main file (the fuzz input up to a line "--", if any) and
// what it may include: the rest of the input as inc.conf, and fixed files
// with blocks, macros and loops.
func fuzzFS(data []byte) (main []byte, fs MapFS) {
	main, rest, _ := bytes.Cut(data, []byte("\n--\n"))
	return main, MapFS{
		"/etc/keepalived/inc.conf":       rest,
		"/etc/keepalived/conf.d/a.conf":  []byte("vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n  priority 100\n  virtual_ipaddress {\n    10.0.0.1/24\n  }\n}\n"),
		"/etc/keepalived/conf.d/b.conf":  []byte("$B=\\\nb1 ${X}\\\nb2\n~SEQ(X, 1, 3) $B\ninclude ../inc.conf\n"),
		"/etc/keepalived/conf.d/c.conf":  []byte("@^vm include a.conf\n"),
		"/etc/keepalived/scripts/chk.sh": []byte("#!/bin/sh\n"),
	}
}

func checkLines(t *testing.T, lines []Line) {
	for _, l := range lines {
		if len(l.Tokens) == 0 {
			t.Fatalf("line without words at %v: %q", l.Pos, l.Raw)
		}
		if strings.ContainsRune(l.Raw, '\n') {
			t.Fatalf("line with a newline at %v: %q", l.Pos, l.Raw)
		}
	}
	if len(lines) > ppMaxLines+1 {
		t.Fatalf("%d lines, limit %d", len(lines), ppMaxLines)
	}
}

func FuzzPreprocess(f *testing.F) {
	for _, s := range []string{
		"global_defs {\n router_id r1\n}\n",
		"include conf.d/*.conf\n",
		"$A=${A}${A}\n$A\n",
		"~SEQ(i, 1, 3) ~LST(v, a, b) x${i}${v} { y }\n",
		"@vm a\n@^vm b\n$X=@vm\n$X c\n",
		"a \"b { c\" } }}\n{\n",
		"include inc.conf\n--\ninclude inc.conf\n",
		"${_RANDOM 1 2} ${_PWD} ${_INSTANCE} ${_ENV HOME} ${_HASH}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLimits(t)
		main, fs := fuzzFS(data)
		c := &Ctx{Opts: Options{File: "/etc/keepalived/keepalived.conf", FS: overlayFS{name: "/etc/keepalived/keepalived.conf", data: main, next: fs}, Host: FakeHost{Name: "vm"}}}
		lines := Preprocess(c)
		checkLines(t, lines)
		BuildTree(c, lines)
		c.Diags.ExitCode()
		for _, d := range c.Diags {
			_ = d.String()
		}
		// Tokenize and the script splitter on the same bytes.
		Tokenize(string(data))
		QuotedEscaped(string(data))
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"vrrp_instance VI_1 {\n state MASTER\n interface eth0\n virtual_router_id 51\n priority 100\n virtual_ipaddress {\n  192.168.1.10/24\n }\n}\n",
		"virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind DR\n real_server 10.0.0.2 80 {\n  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n}\n",
		"include conf.d/*.conf\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzLimits(t)
		main, fs := fuzzFS(data)
		_, diags := Parse("/etc/keepalived/keepalived.conf", main, Options{FS: fs, Host: FakeHost{Interfaces: []string{"eth0", "eth1"}, Name: "vm"}})
		diags.ExitCode()
	})
}
