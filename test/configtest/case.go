package configtest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Case is one configuration to give both implementations.
type Case struct {
	// Name identifies the case in test output (the file's base name).
	Name string
	// Conf is the absolute path of the main configuration file.
	Conf string
	// Etc, when set, is a directory whose entries are shown to both
	// implementations as /etc/<entry> (ip netns exec's /etc/netns trick):
	// Etc/keepalived/conf.d/x.conf is seen as /etc/keepalived/conf.d/x.conf.
	// /etc/keepalived is always replaced, by an empty directory when Etc has
	// none, so the host's own files never leak into a verdict.
	Etc string
	// Ifaces are the interfaces to create in the namespace.
	Ifaces []string
	// Args are extra command-line arguments for both implementations
	// (e.g. "-i", "node1" for '@' conditionals).
	Args []string
	// Chmod changes modes in the /etc overlay after it is laid out (git
	// keeps only the executable bit), for the script-security cases.
	Chmod []Chmod
	// WantKeepalived, when >= 0, is the verdict the fixture was written to
	// get from keepalived 2.2.7; a different one means the fixture or the
	// reference changed, and the case fails.
	WantKeepalived int
	// ReferenceCrashes, when >= 0, records that keepalived 2.2.7 crashes
	// on this input (a keepalived bug, so there is no verdict to copy); we
	// must then exit with this code instead, and still print every message
	// keepalived printed before it crashed.
	ReferenceCrashes int
}

// Chmod is one mode change in the /etc overlay; Path is relative to /etc.
type Chmod struct {
	Mode os.FileMode
	Path string
}

// Directives are written in a configuration as comment lines, which both
// implementations ignore:
//
//	# harness: interfaces eth0 eth1   create exactly these (no scan)
//	# harness: missing eth9           scan, but do not create these
//	# harness: etc NAME               use <corpus>/etc/NAME as the /etc overlay
//	# harness: args -i node1          extra arguments for both binaries
//	# harness: chmod 0777 keepalived/x  mode of /etc/keepalived/x in the overlay
//	# harness: keepalived-exit 5      keepalived's expected verdict
//	# harness: reference-crashes 5    keepalived crashes; we must exit 5
var directiveRE = regexp.MustCompile(`(?m)^[ \t]*#[ \t]*harness:[ \t]*([a-z-]+)[ \t]*(.*?)[ \t]*$`)

// Directive is one "# harness:" line.
type Directive struct {
	Key  string
	Args []string
}

// ParseDirectives returns the harness directives of a configuration text.
func ParseDirectives(text string) []Directive {
	var out []Directive
	for _, m := range directiveRE.FindAllStringSubmatch(text, -1) {
		out = append(out, Directive{Key: m[1], Args: strings.Fields(m[2])})
	}
	return out
}

// NewCase builds the case for the configuration file conf of the corpus
// rooted at corpusDir: its directives are applied over defaults, then
// etcName (from a corpus index, "" for none) if the file has no etc
// directive of its own.
func NewCase(conf, corpusDir, etcName string) (Case, error) {
	abs, err := filepath.Abs(conf)
	if err != nil {
		return Case{}, err
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return Case{}, err
	}
	c := Case{Name: filepath.Base(abs), Conf: abs, WantKeepalived: -1, ReferenceCrashes: -1}
	text := string(data)
	var exact, missing []string
	haveExact := false
	for _, d := range ParseDirectives(text) {
		switch d.Key {
		case "interfaces":
			exact, haveExact = d.Args, true
		case "missing":
			missing = append(missing, d.Args...)
		case "etc":
			if len(d.Args) != 1 {
				return c, fmt.Errorf("%s: harness etc wants one name", c.Name)
			}
			etcName = d.Args[0]
		case "args":
			c.Args = append(c.Args, d.Args...)
		case "chmod":
			if len(d.Args) != 2 {
				return c, fmt.Errorf("%s: harness chmod wants MODE PATH", c.Name)
			}
			mode, err := strconv.ParseUint(d.Args[0], 8, 32)
			p := filepath.Clean(d.Args[1])
			if err != nil || mode > 0o777 || filepath.IsAbs(p) || strings.HasPrefix(p, "..") {
				return c, fmt.Errorf("%s: bad harness chmod %v", c.Name, d.Args)
			}
			c.Chmod = append(c.Chmod, Chmod{Mode: os.FileMode(mode), Path: p})
		case "keepalived-exit", "reference-crashes":
			if len(d.Args) != 1 {
				return c, fmt.Errorf("%s: harness %s wants one number", c.Name, d.Key)
			}
			n, err := strconv.Atoi(d.Args[0])
			if err != nil || n < 0 {
				return c, fmt.Errorf("%s: bad harness %s %q", c.Name, d.Key, d.Args[0])
			}
			if d.Key == "keepalived-exit" {
				c.WantKeepalived = n
			} else {
				c.ReferenceCrashes = n
			}
		default:
			return c, fmt.Errorf("%s: unknown harness directive %q", c.Name, d.Key)
		}
	}
	if etcName != "" && etcName != "-" {
		c.Etc = filepath.Join(corpusDir, "etc", etcName)
		if fi, err := os.Stat(c.Etc); err != nil || !fi.IsDir() {
			return c, fmt.Errorf("%s: etc overlay %s is not a directory", c.Name, c.Etc)
		}
		if c.Etc, err = filepath.Abs(c.Etc); err != nil {
			return c, err
		}
	}
	if haveExact {
		c.Ifaces = exact
	} else {
		c.Ifaces = scanWithIncludes(abs, c.Etc)
	}
	c.Ifaces = without(c.Ifaces, missing)
	for _, n := range c.Ifaces {
		if !ValidIfName(n) {
			return c, fmt.Errorf("%s: %q is not an interface name", c.Name, n)
		}
	}
	return c, nil
}

func without(list, drop []string) []string {
	out := list[:0:0]
	for _, x := range list {
		keep := true
		for _, d := range drop {
			if x == d {
				keep = false
			}
		}
		if keep {
			out = append(out, x)
		}
	}
	return out
}

var includeRE = regexp.MustCompile(`(?m)^[ \t]*include[a-z]*[ \t]+([^ \t#!\n]+)`)

// scanWithIncludes scans the configuration and, loosely, the files its
// include lines reach: relative paths from the including file's directory,
// /etc/... through the overlay when it has that entry.
func scanWithIncludes(conf, etc string) []string {
	seen := map[string]bool{}
	ifaces := map[string]bool{}
	var walk func(path string, depth int)
	walk = func(path string, depth int) {
		if depth > 8 || seen[path] {
			return
		}
		seen[path] = true
		data, err := os.ReadFile(path)
		if err != nil {
			return
		}
		for _, n := range ScanInterfaces(string(data)) {
			ifaces[n] = true
		}
		for _, m := range includeRE.FindAllStringSubmatch(string(data), -1) {
			pat := m[1]
			switch {
			case strings.HasPrefix(pat, "/etc/") && etc != "":
				if _, err := os.Stat(filepath.Join(etc, firstElem(pat[len("/etc/"):]))); err == nil {
					pat = filepath.Join(etc, pat[len("/etc/"):])
				}
			case !filepath.IsAbs(pat):
				pat = filepath.Join(filepath.Dir(path), pat)
			}
			for _, alt := range expandBraces(pat) {
				matches, _ := filepath.Glob(alt)
				for _, f := range matches {
					walk(f, depth+1)
				}
			}
		}
	}
	walk(conf, 0)
	out := make([]string, 0, len(ifaces))
	for n := range ifaces {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// expandBraces expands csh-style {a,b} alternatives (glob's GLOB_BRACE,
// which keepalived's include uses), innermost-first, enough for scanning.
func expandBraces(p string) []string {
	open := -1
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '{':
			open = i
		case '}':
			if open < 0 {
				continue
			}
			var out []string
			for _, alt := range strings.Split(p[open+1:i], ",") {
				out = append(out, expandBraces(p[:open]+alt+p[i+1:])...)
			}
			return out
		}
	}
	return []string{p}
}

func firstElem(p string) string {
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return p
}

// IndexEntry is one line of a corpus INDEX: which configuration, where it
// came from, and which /etc overlay it runs with.
type IndexEntry struct {
	Conf   string // file name in the corpus directory
	Source string // seed file name
	Lines  string // line ranges in the seed file, e.g. "22-94" or "714-754,916-917"
	Etc    string // overlay name under etc/, or "-"
	Note   string
}

// LoadIndex reads an INDEX file: '#' comment lines, then one entry a line,
// fields separated by '|': conf | source | lines | etc | note.
func LoadIndex(path string) ([]IndexEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []IndexEntry
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "|", 5) // the note may contain "|"
		if len(parts) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 fields separated by '|', got %d", path, n, len(parts))
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		out = append(out, IndexEntry{Conf: parts[0], Source: parts[1], Lines: parts[2], Etc: parts[3], Note: parts[4]})
	}
	return out, sc.Err()
}

// LineRanges parses "22-94,916-917" (or "113") into inclusive 1-based ranges.
func LineRanges(s string) ([][2]int, error) {
	var out [][2]int
	for _, part := range strings.Split(s, ",") {
		a, b, found := strings.Cut(strings.TrimSpace(part), "-")
		from, err := strconv.Atoi(a)
		if err != nil {
			return nil, fmt.Errorf("bad line range %q", part)
		}
		to := from
		if found {
			if to, err = strconv.Atoi(b); err != nil {
				return nil, fmt.Errorf("bad line range %q", part)
			}
		}
		if from < 1 || to < from {
			return nil, fmt.Errorf("bad line range %q", part)
		}
		out = append(out, [2]int{from, to})
	}
	return out, nil
}
