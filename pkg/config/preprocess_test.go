package config

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// The lexical layer is tested on the cases in testdata/lex/*.txt. Each case
// is a set of files ("-- NAME --" separates them, as txtar does): MAIN.conf
// is the configuration given to -f, the other files are what it includes,
// and "want" is what Preprocess and BuildTree produce: one line per
// preprocessed line (position, then the words, quoted words in "..."),
// then the diagnostics ("! " + text) and the -t exit code.
//
// TestLexGolden checks our output against "want". TestLexKeepalived runs
// /usr/sbin/keepalived -t on the same files (when it is installed) and
// checks that keepalived's parent process prints the same messages: every
// case only uses words keepalived does not know, so keepalived reports
// each line it reads as an unknown keyword, which shows exactly how it
// split and expanded the text. "want" files were written by -update and
// reviewed; TestLexKeepalived is what ties them to keepalived 2.2.7.

var updateLex = flag.Bool("update", false, "rewrite the want sections of testdata/lex")

type lexCase struct {
	name  string
	head  string
	files []lexFile
	want  string
}

type lexFile struct {
	name string
	data string
	mode os.FileMode
}

func readLexCases(t *testing.T) []*lexCase {
	t.Helper()
	dir := "testdata/lex"
	if d := os.Getenv("GOKA_LEX_CASES"); d != "" {
		// Another set of cases, e.g. generated ones for a wider comparison
		// with keepalived.
		dir = d
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases in testdata/lex: %v", err)
	}
	var out []*lexCase
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, parseLexCase(strings.TrimSuffix(filepath.Base(p), ".txt"), string(b)))
	}
	return out
}

func parseLexCase(name, s string) *lexCase {
	c := &lexCase{name: name}
	var cur *lexFile
	lines := strings.SplitAfter(s, "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "-- ") && strings.HasSuffix(strings.TrimRight(l, "\n"), " --") {
			n := strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(l, "\n"), "-- "), " --")
			mode := os.FileMode(0o644)
			if strings.HasSuffix(n, " (exec)") {
				n = strings.TrimSuffix(n, " (exec)")
				mode = 0o755
			}
			c.files = append(c.files, lexFile{name: n, mode: mode})
			cur = &c.files[len(c.files)-1]
			continue
		}
		if cur == nil {
			c.head += l
		} else {
			cur.data += l
		}
	}
	for i, f := range c.files {
		if f.name == "want" {
			c.want = f.data
			c.files = append(c.files[:i], c.files[i+1:]...)
			break
		}
	}
	return c
}

func (c *lexCase) format() string {
	var b strings.Builder
	b.WriteString(c.head)
	for _, f := range c.files {
		suffix := ""
		if f.mode&0o111 != 0 {
			suffix = " (exec)"
		}
		fmt.Fprintf(&b, "-- %s%s --\n%s", f.name, suffix, f.data)
	}
	fmt.Fprintf(&b, "-- want --\n%s", c.want)
	return b.String()
}

// materialize writes the case's files into a new directory.
func (c *lexCase) materialize(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range c.files {
		p := filepath.Join(dir, f.name)
		if strings.HasSuffix(f.name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		// A file may carry raw bytes written as \xHH in the case file.
		if err := os.WriteFile(p, unescapeCase(f.data), f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// unescapeCase turns "\xHH" into the byte HH when a case file starts a
// file with the line "#!raw"; a final "\z" line end means the file has no
// final newline.
func unescapeCase(s string) []byte {
	if !strings.HasPrefix(s, "#!raw\n") {
		return []byte(s)
	}
	s = strings.TrimPrefix(s, "#!raw\n")
	noEOL := strings.HasSuffix(s, "\\z\n")
	if noEOL {
		s = strings.TrimSuffix(s, "\\z\n")
	}
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			var v byte
			fmt.Sscanf(s[i+2:i+4], "%02x", &v)
			b.WriteByte(v)
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.Bytes()
}

// runLex preprocesses MAIN.conf of dir as keepalived -i vm would.
// The Ctx returned holds only the preprocessor's diagnostics; BuildTree's
// go to the second one.
func runLex(t *testing.T, dir string, extra func(*Options)) (*Ctx, []Line, *Ctx) {
	t.Helper()
	t.Chdir(dir)
	opts := Options{File: "MAIN.conf", ConfigID: "vm", Host: FakeHost{Name: "vm"}}
	if extra != nil {
		extra(&opts)
	}
	c := &Ctx{Opts: opts}
	lines := Preprocess(c)
	tc := &Ctx{Opts: opts}
	BuildTree(tc, lines)
	return c, lines, tc
}

func renderLex(dir string, c *Ctx, lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.Pos.String())
		for _, tk := range l.Tokens {
			if tk.Quoted {
				fmt.Fprintf(&b, " %q", tk.Text)
			} else {
				fmt.Fprintf(&b, " %s", tk.Text)
			}
		}
		b.WriteByte('\n')
	}
	for _, d := range c.Diags {
		fmt.Fprintf(&b, "! %s\n", d.String())
	}
	fmt.Fprintf(&b, "exit %d\n", c.Diags.ExitCode())
	return strings.ReplaceAll(b.String(), dir, "$DIR")
}

func lexOptions(c *lexCase) func(*Options) {
	return func(o *Options) {
		if strings.Contains(c.head, "#opt: -e") {
			o.AllConfig = true
		}
	}
}

func TestLexGolden(t *testing.T) {
	casedir, err := filepath.Abs("testdata/lex")
	if err != nil {
		t.Fatal(err)
	}
	for _, lc := range readLexCases(t) {
		t.Run(lc.name, func(t *testing.T) {
			dir := lc.materialize(t)
			c, lines, tc := runLex(t, dir, lexOptions(lc))
			c.Diags = append(c.Diags, tc.Diags...)
			got := renderLex(dir, c, lines)
			if *updateLex {
				lc.want = got
				if err := os.WriteFile(filepath.Join(casedir, lc.name+".txt"), []byte(lc.format()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			g, w := got, lc.want
			if strings.Contains(lc.head, "#random") {
				g = strings.Join(dropDigits(strings.Split(g, "\n")), "\n")
				w = strings.Join(dropDigits(strings.Split(w, "\n")), "\n")
			}
			if g != w {
				t.Errorf("got:\n%s\nwant:\n%s", got, lc.want)
			}
		})
	}
}

// keepalivedMessages is what our reading makes keepalived's parent process
// print for a configuration of unknown words only: the reading diagnostics
// and, for each line, what process_stream says about it at the top level.
func keepalivedMessages(c *Ctx, lines []Line) []string {
	var out []string
	for _, d := range c.Diags {
		if logOnly(d.Msg) {
			continue
		}
		out = append(out, d.String())
	}
	for _, l := range lines {
		p := l.Pos.String() + " "
		switch w := l.Tokens[0].Text; w {
		case "{":
			out = append(out, p+"Unexpected '{' - ignoring")
		default:
			out = append(out, p+fmt.Sprintf("Unknown keyword '%s'", w))
		}
	}
	return out
}

// logOnly tells messages keepalived only logs (not shown by -t).
func logOnly(msg string) bool {
	for _, p := range []string{"Parameter substitution on line", "Too many parameters or extra text", "Missing escape char"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func keepalivedPath(t *testing.T) string {
	const p = "/usr/sbin/keepalived"
	if os.Getenv("GOKA_SKIP_KEEPALIVED") != "" {
		t.Skip("GOKA_SKIP_KEEPALIVED set")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skip("keepalived not installed")
	}
	return p
}

func TestLexKeepalived(t *testing.T) {
	ka := keepalivedPath(t)
	for _, lc := range readLexCases(t) {
		if strings.Contains(lc.head, "#nokeepalived") {
			continue
		}
		t.Run(lc.name, func(t *testing.T) {
			dir := lc.materialize(t)
			args := []string{"-t", "-i", "vm", "-f", "MAIN.conf"}
			if strings.Contains(lc.head, "#opt: -e") {
				args = append(args, "-e")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, ka, args...)
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			rc := 0
			if ee, ok := err.(*exec.ExitError); ok {
				rc = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			// The parent's messages come first; the first child repeats
			// them naming MAIN.conf, starting with the MARK0 line.
			var kaMsgs []string
			for _, l := range strings.Split(stderr.String(), "\n") {
				if strings.HasPrefix(l, "(MAIN.conf: Line 1) Unknown keyword 'MARK0'") {
					break
				}
				if l == "" || strings.Contains(lc.head, "#kacrash") && strings.Contains(l, "double free") {
					continue
				}
				kaMsgs = append(kaMsgs, l)
			}
			ppParentLineNumbers = true
			c, lines, _ := runLex(t, dir, lexOptions(lc))
			ppParentLineNumbers = false
			mine := keepalivedMessages(c, lines)
			for i, m := range mine {
				m = strings.ReplaceAll(m, "(MAIN.conf: Line", "(Line")
				mine[i] = strings.ReplaceAll(m, dir, "$DIR")
			}
			for i, m := range kaMsgs {
				kaMsgs[i] = strings.ReplaceAll(m, dir, "$DIR")
			}
			if strings.Contains(lc.head, "#random") {
				mine, kaMsgs = dropDigits(mine), dropDigits(kaMsgs)
			}
			sort.Strings(mine)
			sort.Strings(kaMsgs)
			if strings.Join(mine, "\n") != strings.Join(kaMsgs, "\n") {
				t.Errorf("messages differ\nkeepalived:\n  %s\nours:\n  %s", strings.Join(kaMsgs, "\n  "), strings.Join(mine, "\n  "))
			}
			ours := append(Diagnostics(nil), c.Diags...)
			for range lines {
				ours = append(ours, Diagnostic{Class: ClassUnknownKeyword})
			}
			if got := ours.ExitCode(); got != rc && !strings.Contains(lc.head, "#kacrash") {
				t.Errorf("exit code %d, keepalived %d", got, rc)
			}
		})
	}
}

// Case headers can say:
//
//	#nokeepalived  do not compare with keepalived (it hangs or recurses)
//	#kacrash       keepalived prints the same, then crashes on exit
//	#random        compare with numbers blanked out (${_RANDOM})
//	#opt: -e       run with -e (Options.AllConfig)
//
// dropDigits replaces each run of digits by '#', for cases that use
// ${_RANDOM}.
func dropDigits(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		var b strings.Builder
		digit := false
		for j := 0; j < len(s); j++ {
			d := s[j] >= '0' && s[j] <= '9'
			if !d {
				b.WriteByte(s[j])
			} else if !digit {
				b.WriteByte('#')
			}
			digit = d
		}
		out[i] = b.String()
	}
	return out
}

// BenchmarkPreprocess reads a configuration of 10,000 small blocks.
func BenchmarkPreprocess(b *testing.B) {
	var src strings.Builder
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&src, "vrrp_instance VI_%d {\n    state BACKUP  # comment\n    interface eth0\n    virtual_router_id %d\n    priority 100\n    virtual_ipaddress {\n        10.0.%d.%d/24 dev eth0\n    }\n    notify_master \"/etc/keepalived/notify.sh master\"\n}\n", i, i%255+1, i/256, i%256)
	}
	fs := MapFS{"/etc/keepalived/keepalived.conf": []byte(src.String())}
	b.SetBytes(int64(src.Len()))
	b.ReportAllocs()
	for b.Loop() {
		c := &Ctx{Opts: Options{File: "/etc/keepalived/keepalived.conf", FS: fs, Host: FakeHost{}}}
		BuildTree(c, Preprocess(c))
	}
}

func preprocessText(t *testing.T, src string, opts Options) ([]string, []string) {
	t.Helper()
	opts.File = "/etc/keepalived/keepalived.conf"
	if opts.FS == nil {
		opts.FS = MapFS{}
	}
	opts.FS = overlayFS{name: opts.File, data: []byte(src), next: opts.FS}
	if opts.Host == nil {
		opts.Host = FakeHost{Name: "vm.example.com"}
	}
	c := &Ctx{Opts: opts}
	var lines, diags []string
	for _, l := range Preprocess(c) {
		var ws []string
		for _, tk := range l.Tokens {
			ws = append(ws, tk.Text)
		}
		lines = append(lines, strings.Join(ws, " "))
	}
	for _, d := range c.Diags {
		diags = append(diags, d.String())
	}
	return lines, diags
}

func TestPreprocessBuiltins(t *testing.T) {
	// ${_ENV NAME} is not in keepalived 2.2.7 (it leaves the text, which
	// then fails to parse); the project asks for it.
	t.Setenv("GOKA_TEST_ENV", "v1")
	lines, diags := preprocessText(t, "${_ENV GOKA_TEST_ENV}x\n${_ENV GOKA_TEST_UNSET_X}y\n${_ENV  GOKA_TEST_ENV} z\n${_INSTANCE}\n${_PWD}\n${_RANDOM 4 4}\n$_ENV=mine\n${_ENV}\n", Options{})
	want := []string{"v1x", "y", "v1 z", "vm", "/etc/keepalived", "4", "mine"}
	if strings.Join(lines, "|") != strings.Join(want, "|") || len(diags) != 0 {
		t.Errorf("lines %q diags %q", lines, diags)
	}
	// The config id comes from -i when given.
	lines, _ = preprocessText(t, "@main a\n@^main b\n${_INSTANCE}\n", Options{ConfigID: "main"})
	if strings.Join(lines, "|") != "a|main" {
		t.Errorf("lines %q", lines)
	}
}

func TestPreprocessLimits(t *testing.T) {
	saved := ppMaxLines
	ppMaxLines = 100
	defer func() { ppMaxLines = saved }()
	lines, diags := preprocessText(t, "~SEQ(i, 1, 9223372036854775807) x$i\n", Options{})
	if len(lines) != 100 || len(diags) != 1 || !strings.Contains(diags[0], "Configuration too large") {
		t.Errorf("%d lines, diags %q", len(lines), diags)
	}
	// keepalived loops for ever on this one.
	lines, diags = preprocessText(t, "$A=$B\n$B=$A\n$A\nok\n", Options{})
	if strings.Join(lines, "|") != "ok" || len(diags) != 1 || !strings.Contains(diags[0], "does not terminate") {
		t.Errorf("lines %q diags %q", lines, diags)
	}
}
