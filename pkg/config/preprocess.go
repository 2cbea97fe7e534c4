package config

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"strings"
	"time"
)

// The preprocessor reproduces keepalived 2.2.7's read_line() (lib/parser.c):
// it reads the configuration in 1023-byte fgets() chunks, removes comments,
// applies '@' conditional lines, records and expands $definitions (lazily,
// recursively, multi-line ones included), runs ~SEQ/~LST loops, follows
// include files (stacked, relative to the including file's directory), and
// finally splits '{' and '}' off into lines of their own. Each Line it
// returns is one line keepalived's keyword parser would see, with the
// position keepalived reports for it.
//
// keepalived's quirks are kept on purpose, because configurations in the
// field rely on (or at least parse through) them; each is commented where it
// is reproduced. Where keepalived would hang, recurse without end or crash,
// the limits below stop the reading with a diagnostic instead.

// maxBuf is keepalived's MAXBUF: a line is read in chunks of maxBuf-1 bytes
// and a substitution may not make a line reach maxBuf bytes.
const maxBuf = 1024

// Limits keepalived does not have. They are variables so that tests and
// fuzzing can lower them.
var (
	// ppMaxDepth bounds nested includes (keepalived recurses until it runs
	// out of file descriptors).
	ppMaxDepth = 64
	// ppMaxFiles bounds how many files one parse opens.
	ppMaxFiles = 10000
	// ppMaxLines bounds the lines produced (a ~SEQ can ask for 2^63).
	ppMaxLines = 4 << 20
	// ppMaxWork bounds the preprocessor's steps: lines read or generated
	// and substitutions made, whether or not they produce output.
	ppMaxWork = 64 << 20
	// ppMaxSubst bounds the substitutions made on one line; $A=$B with
	// $B=$A makes keepalived loop for ever.
	ppMaxSubst = 10000
	// ppMaxDefBytes bounds the text of one multi-line definition.
	ppMaxDefBytes = 4 << 20
	// ppParentLineNumbers: see readChunk.
	ppParentLineNumbers = false
)

// Include checks (keepalived's include_t / include_check bits).
const (
	incRead  = 1 << iota // error if a match is not a readable regular file
	incMatch             // error if nothing matches (unless wildcards)
	incWild              // error if nothing matches, even with wildcards
	incBrace             // error if any brace alternative is missing
	incAll   = incRead | incMatch | incWild | incBrace
)

type ppDef struct {
	name      string
	value     string
	multiline bool
	// fn computes the value of a built-in definition at each use.
	fn        func(p *preproc, params string) string
	maxParams int
}

// ppSeq is one pending ~SEQ or ~LST loop.
type ppSeq struct {
	varName          string
	next, last, step int64
	hex              bool
	text             string
	lst              bool
	params           []string
	values           [][]string
	idx              int
}

// mlPtr is where the expansion of a multi-line definition has got to.
type mlPtr struct {
	text string
	off  int
}

type mlSaved struct {
	ptr      *mlPtr
	seqDepth uint64
}

// ppFrame is one include statement (or the main file) being read: the
// files its pattern matched and the one currently open.
type ppFrame struct {
	pattern     string
	matches     []string
	nextMatch   int
	numMatches  int
	includeType int
	savCheck    int

	opened bool
	// name is the file as keepalived's child processes name it in
	// "(FILE: Line N)": the glob match, relative to the including file's
	// directory when the pattern was relative.
	name string
	// firstName is the name keepalived's parent process uses; it omits the
	// main file when that is the only file matched.
	firstName string
	data      string
	off       int
	lineNo    int
	chdir     bool
	savCwd    string
	// pendingLine: the line number goes up before the next chunk (see
	// readChunk).
	pendingLine bool
}

type preproc struct {
	c     *Ctx
	fs    StatFS
	plain FS
	cwd   string
	wd    string
	stack []*ppFrame
	defs  []*ppDef
	seqs  []*ppSeq
	ml    []mlSaved
	next  *mlPtr
	mlSeq uint64
	// seqCount is keepalived's seq_list_count. It is kept apart from
	// len(seqs) because keepalived decrements it for every invalid ~LST
	// (an unsigned counter, so it wraps): after one, the next loop waits
	// until another invalid ~LST or a multi-line expansion comes along.
	seqCount uint32
	resid    string // the rest of a line after a brace (line_residue)
	depth    int
	check    int
	id       string
	rnd      *rand.Rand
	curDef   *ppDef

	checkingMain bool
	files        int
	work         int
	stopped      bool
	out          []Line
	arena        []Token

	// include_check is a global_defs keyword that changes how the
	// following includes are checked, so the preprocessor follows the
	// block structure just enough to see it.
	kwPath   []string
	lastStmt string

	// mainData keeps the main files read by checkMainFile for openNext.
	mainData map[string][]byte
}

// Preprocess reads c.Opts.File and everything it includes, and returns the
// lines keepalived's keyword parser would see, in order, each split into
// tokens, with keepalived's positions. Its diagnostics go to c.
func Preprocess(c *Ctx) []Line {
	p := newPreproc(c)
	p.run()
	return p.out
}

func newPreproc(c *Ctx) *preproc {
	p := &preproc{c: c, plain: c.fs()}
	if s, ok := p.plain.(StatFS); ok {
		p.fs = cwdFS{p: p, s: s}
	}
	p.wd = fsGetwd(p.plain)
	p.id = c.Opts.ConfigID
	if p.id == "" {
		// keepalived's default config id is the node name up to the first dot.
		p.id, _, _ = strings.Cut(c.host().Hostname(), ".")
	}
	p.rnd = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x6b61))
	p.defs = []*ppDef{
		{name: "_PWD", fn: (*preproc).pwd},
		{name: "_INSTANCE", fn: func(p *preproc, _ string) string { return p.id }},
		{name: "_RANDOM", fn: (*preproc).random, maxParams: 2},
		{name: "_HASH", value: "#"},
		{name: "_BANG", value: "!"},
		// ${_ENV NAME} is handled by envRef.
	}
	return p
}

// cwdFS resolves relative names against the directory keepalived would
// have chdir()ed to: that of the file being read.
type cwdFS struct {
	p *preproc
	s StatFS
}

func (f cwdFS) path(name string) string { return ppJoinCwd(f.p.cwd, name) }

func (f cwdFS) ReadFile(n string) ([]byte, error)   { return f.s.ReadFile(f.path(n)) }
func (f cwdFS) Glob(n string) ([]string, error)     { return f.s.Glob(f.path(n)) }
func (f cwdFS) Stat(n string) (fs.FileInfo, error)  { return f.s.Stat(f.path(n)) }
func (f cwdFS) Lstat(n string) (fs.FileInfo, error) { return f.s.Lstat(f.path(n)) }
func (f cwdFS) ReadDir(n string) ([]string, error)  { return f.s.ReadDir(f.path(n)) }

func ppJoinCwd(cwd, name string) string {
	if cwd == "" || strings.HasPrefix(name, "/") {
		return name
	}
	if name == "." || name == "" {
		return cwd
	}
	return cwd + "/" + name
}

func (p *preproc) run() {
	o := p.c.Opts
	if o.AllConfig {
		p.check = incAll
	}
	if !p.checkMainFile(o.File) {
		return
	}
	if !p.openGlob(o.File, incRead|incMatch|incWild) {
		p.fileError(incRead, "Failed to open configuration file")
		return
	}
	for !p.stopped {
		buf, ok := p.readLine()
		if !ok {
			break
		}
		p.emit(buf)
	}
	if p.depth > 0 {
		p.c.add(Diagnostic{Class: ClassMissingEOB, Msg: fmt.Sprintf("There are %d missing '}'s or extra '{'s", p.depth)})
	}
}

// checkMainFile is keepalived's check_conf_file(), run before reading: the
// main file pattern must match readable regular files; with several
// matches keepalived warns and reads them all.
func (p *preproc) checkMainFile(name string) bool {
	p.checkingMain = true
	defer func() { p.checkingMain = false }()
	r, ok := p.glob(name, 0)
	if !ok {
		return false
	}
	good := true
	n := 0
	for _, m := range r {
		if !p.checkGlobFile(m) {
			good = false
			continue
		}
		data, err := p.readFile(m)
		if err != nil {
			p.c.add(Diagnostic{Class: ClassFileNotFound, Msg: fmt.Sprintf("Unable to read configuration file %s", m)})
			good = false
			break
		}
		if p.mainData == nil {
			p.mainData = map[string][]byte{}
		}
		p.mainData[m] = data
		n++
	}
	if good {
		switch {
		case n > 1:
			p.c.add(Diagnostic{Class: ClassMultipleFiles, Msg: fmt.Sprintf("WARNING, multiple configuration file matches of %s, starting with %s", name, r[0])})
		case n == 0:
			p.c.add(Diagnostic{Class: ClassFileNotFound, Msg: fmt.Sprintf("Unable to find configuration file %s", name)})
			good = false
		}
	}
	return good
}

func (p *preproc) readFile(name string) ([]byte, error) {
	if p.fs != nil {
		return p.fs.ReadFile(name)
	}
	return p.plain.ReadFile(ppJoinCwd(p.cwd, name))
}

// top returns the innermost file being read.
func (p *preproc) top() *ppFrame {
	if len(p.stack) == 0 {
		return nil
	}
	return p.stack[len(p.stack)-1]
}

// pos is where keepalived reports a problem found while reading: the
// current line of the innermost open file.
func (p *preproc) pos() Pos {
	f := p.top()
	if f == nil {
		return Pos{}
	}
	if !f.opened && len(p.stack) > 1 {
		f = p.stack[len(p.stack)-2]
	}
	if f.name == "" && f.lineNo == 0 {
		return Pos{}
	}
	return Pos{File: f.name, Line: f.lineNo}
}

// includePos is the position keepalived's parent process prints with
// include problems, the only process that sees them: it names the main
// file only when several files matched it.
func (p *preproc) includePos() Pos {
	f := p.top()
	if f == nil {
		return Pos{}
	}
	if f.firstName == "" && len(p.stack) > 1 && !f.opened {
		f = p.stack[len(p.stack)-2]
	}
	if f.firstName == "" && f.lineNo == 0 {
		return Pos{}
	}
	return Pos{File: f.firstName, Line: f.lineNo}
}

func (p *preproc) report(cl Class, msg string) {
	p.c.add(Diagnostic{Pos: p.pos(), Class: cl, Msg: msg})
}

// fileError reports a problem with an include. keepalived prints it in
// any case; it is an error only when the include variant or include_check
// (or -e) asks for that kind of check, and then keepalived stops after
// reading the configuration (exit 6).
func (p *preproc) fileError(kind int, msg string) {
	cl := ClassInfo
	t := p.check
	if f := p.top(); f != nil {
		t |= f.includeType
	}
	if t&kind != 0 {
		// Problems with the main file itself are found before reading
		// starts (check_conf_file) and make keepalived -t exit 4; include
		// problems make it exit 6 after reading.
		cl = ClassConfigFile
		if p.checkingMain {
			cl = ClassFileNotFound
		}
	}
	p.c.add(Diagnostic{Pos: p.includePos(), Class: cl, Msg: msg})
}

// glob expands an include pattern, reporting what keepalived reports.
func (p *preproc) glob(pattern string, incType int) ([]string, bool) {
	if p.fs == nil {
		// A plain FS only knows the matches.
		m, _ := p.plain.Glob(ppJoinCwd(p.cwd, pattern))
		if len(m) == 0 {
			p.fileError(incMatch, fmt.Sprintf("Config files missing '%s'.", pattern))
			return nil, false
		}
		if p.cwd != "" && !strings.HasPrefix(pattern, "/") {
			for i := range m {
				m[i] = strings.TrimPrefix(m[i], p.cwd+"/")
			}
		}
		return m, true
	}
	r := globFS(p.fs, pattern)
	checks := p.check | incType
	if len(r.matches) == 0 {
		switch {
		case r.missingFiles > 0 || r.missingDirs > 0:
			kind := incMatch
			if ppHasBrace(pattern) {
				kind = incBrace
			}
			p.fileError(kind, fmt.Sprintf("Config files missing '%s'.", pattern))
		case r.wildcards && checks&incWild != 0:
			p.fileError(incWild, fmt.Sprintf("No config files matched '%s'.", pattern))
		}
		return nil, false
	}
	if r.missingFiles > 0 || r.missingDirs > 0 {
		p.fileError(incBrace, fmt.Sprintf("Some config files missing: \"%s\".", pattern))
		if checks&incBrace != 0 {
			return nil, false
		}
	}
	return r.matches, true
}

func ppHasBrace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			return true
		}
	}
	return false
}

// checkGlobFile refuses directories and anything but regular,
// non-executable files, as keepalived does.
func (p *preproc) checkGlobFile(name string) bool {
	if strings.HasSuffix(name, "/") {
		p.fileError(incRead, fmt.Sprintf("Configuration file '%s' is a directory - skipping", name))
		return false
	}
	if p.fs == nil {
		return true
	}
	fi, err := p.fs.Stat(name)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 != 0 {
		p.fileError(incRead, fmt.Sprintf("Configuration file '%s' is not a regular non-executable file - skipping", name))
		return false
	}
	return true
}

// openGlob starts reading the files an include pattern matches.
func (p *preproc) openGlob(pattern string, incType int) bool {
	f := &ppFrame{includeType: incType, savCheck: p.check, pattern: pattern}
	p.stack = append(p.stack, f)
	m, ok := p.glob(pattern, incType)
	if ok {
		f.matches = m
		ok = p.openNext(f)
	}
	if !ok {
		p.stack = p.stack[:len(p.stack)-1]
		return false
	}
	return true
}

// openNext opens the next readable file of the frame's matches.
func (p *preproc) openNext(f *ppFrame) bool {
	for f.nextMatch < len(f.matches) {
		m := f.matches[f.nextMatch]
		f.nextMatch++
		if !p.checkGlobFile(m) {
			continue
		}
		if len(p.stack) > ppMaxDepth || p.files >= ppMaxFiles {
			p.fileError(incRead, fmt.Sprintf("Configuration file '%s' open problem (%s) - skipping", m, "Too many open files"))
			continue
		}
		data, ok := p.mainData[m]
		var err error
		if ok && len(p.stack) == 1 {
			delete(p.mainData, m)
		} else {
			data, err = p.readFile(m)
		}
		if err != nil {
			p.fileError(incRead, fmt.Sprintf("Configuration file '%s' open problem (%s) - skipping", m, ppErrText(err)))
			continue
		}
		p.files++
		if p.out == nil {
			// Size the output for the main file: one line per text line
			// and per brace, roughly.
			d := string(data)
			p.out = make([]Line, 0, strings.Count(d, "\n")+strings.Count(d, "{")+strings.Count(d, "}")+16)
		}
		f.opened = true
		f.data, f.off, f.lineNo = string(data), 0, 0
		f.numMatches++
		f.name = m
		if len(p.stack) > 1 || len(f.matches) > 1 {
			f.firstName = m
		}
		f.chdir = false
		if i := strings.LastIndexByte(m, '/'); i >= 0 {
			dir := m[:i]
			if dir == "" {
				dir = "/"
			}
			f.chdir, f.savCwd = true, p.cwd
			p.cwd = ppJoinCwd(p.cwd, dir)
		}
		return true
	}
	return false
}

func ppErrText(err error) string {
	switch {
	case err == nil:
		return ""
	case ppIsNotExist(err):
		return "No such file or directory"
	}
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func ppIsNotExist(err error) bool {
	pe, ok := err.(*fs.PathError)
	return ok && pe.Err == fs.ErrNotExist || err == fs.ErrNotExist
}

// endFile closes the current file of f: the include_check level and the
// directory in force when the include was read come back.
func (p *preproc) endFile(f *ppFrame) {
	p.check = f.savCheck
	if f.chdir {
		p.cwd = f.savCwd
		f.chdir = false
	}
	f.data = ""
}

// nextFile moves on when the innermost file ends: to the next match of
// its pattern, or back to the including file. It returns false at the end
// of the configuration.
func (p *preproc) nextFile() bool {
	f := p.top()
	p.endFile(f)
	if p.openNext(f) {
		return true
	}
	// keepalived logs "No config files matched" here when no match could be
	// opened; the reason has been reported already, so we do not repeat it.
	p.stack = p.stack[:len(p.stack)-1]
	return len(p.stack) > 0
}

// readChunk is fgets(buf, MAXBUF): up to 1023 bytes, ending after a
// newline if there is one within them. A line that is longer comes back in
// several chunks, each a line of its own for keepalived.
//
// Line numbers: keepalived's parent process counts only chunks that end
// with a newline (so the first chunks of a long line, a line cut by a NUL
// byte and a last line without newline carry the previous number). It
// passes the configuration to its VRRP, checker and BFD processes as a
// copy with each chunk, comment removed, on a line of its own, which they
// read the same way: there every chunk counts, but a chunk still 1023
// bytes long is reported before its newline is counted. We number as the
// child processes do (see readLine), since they report most problems, and
// a last line without newline then gets the number an editor shows.
// ppParentLineNumbers switches to the parent's numbering (tests compare
// with the parent's output).
func (f *ppFrame) readChunk() (string, bool) {
	if f.off >= len(f.data) {
		return "", false
	}
	rest := f.data[f.off:]
	n := len(rest)
	if n > maxBuf-1 {
		n = maxBuf - 1
	}
	if i := strings.IndexByte(rest[:n], '\n'); i >= 0 {
		n = i + 1
	}
	chunk := rest[:n]
	f.off += n
	// C sees the chunk only up to its first NUL byte.
	if i := strings.IndexByte(chunk, 0); i >= 0 {
		chunk = chunk[:i]
	}
	if f.pendingLine {
		f.lineNo++
		f.pendingLine = false
	}
	if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
		if ppParentLineNumbers {
			f.lineNo++
		}
		chunk = chunk[:len(chunk)-1]
	}
	for len(chunk) > 0 && (chunk[len(chunk)-1] == '\n' || chunk[len(chunk)-1] == '\r') {
		chunk = chunk[:len(chunk)-1]
	}
	return chunk, true
}

func ppIndexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// step counts work and stops the reading when the limit is reached.
func (p *preproc) step() bool {
	p.work++
	if p.work > ppMaxWork || len(p.out) >= ppMaxLines {
		if !p.stopped {
			p.stopped = true
			p.report(ClassGeneral, fmt.Sprintf("Configuration too large: more than %d lines or %d preprocessing steps - stopped reading", ppMaxLines, ppMaxWork))
		}
		return false
	}
	return true
}

// readLine is keepalived's read_line(): the next line for the keyword
// parser, or false at the end of the configuration.
func (p *preproc) readLine() (string, bool) {
	var buf string
	multiDef := false
	eof := false
	for {
		if !p.step() {
			return "", false
		}
		switch {
		case p.resid != "":
			buf = p.resid
			p.resid = ""
		case len(p.seqs) > 0 && uint64(p.seqCount) > p.mlSeq:
			buf = p.seqNext()
		case p.next != nil:
			buf = p.mlNext()
		default:
			if len(p.stack) == 0 {
				return "", false
			}
			got := false
			for !got {
				if !p.step() {
					return "", false
				}
				f := p.top()
				chunk, ok := f.readChunk()
				if !ok {
					if p.nextFile() {
						continue
					}
					eof = true
					break
				}
				var msg string
				if chunk != "" {
					buf, msg = decomment(chunk)
				} else {
					buf = ""
				}
				if !ppParentLineNumbers {
					// The copy the child processes read has this line as
					// buf + "\n"; read back in 1023-byte chunks, a line
					// of 1023 bytes is reported before its newline counts.
					if len(buf) >= maxBuf-1 {
						f.pendingLine = true
					} else {
						f.lineNo++
					}
				}
				if chunk == "" {
					// Only a truly empty line ends a multi-line definition;
					// blank and comment-only lines do not.
					if multiDef {
						multiDef = false
						if p.curDef.value == "" {
							p.curDef.multiline = false
						}
					}
					continue
				}
				if msg != "" {
					p.report(ClassGeneral, msg)
				}
				got = buf != ""
			}
			if eof {
				return "", false
			}
		}

		n := len(buf)
		if multiDef {
			// A continuation line of a multi-line $definition.
			if n > 0 && buf[n-1] == '\\' {
				n--
				for n >= 1 && lexIsBlank(buf[n-1]) {
					n--
				}
				buf = buf[:n] + "\n"
				n++
			} else {
				multiDef = false
				if p.curDef.value == "" {
					p.curDef.multiline = false
				}
			}
			if (n >= 2 || (n > 0 && !multiDef)) && len(p.curDef.value) < ppMaxDefBytes {
				p.curDef.value += buf[:n]
			}
			buf = ""
			continue
		}
		if n == 0 {
			continue
		}

		for subst := 0; ; subst++ {
			recheck := false
			if buf[0] == '@' {
				var keep bool
				buf, n, keep = p.conditional(buf, n)
				if !keep {
					buf = ""
					break
				}
			}
			if buf != "" && buf[0] == '$' {
				if def := p.checkDefinition(buf); def != nil {
					if def.multiline {
						multiDef = true
						p.curDef = def
					}
					buf = ""
					break
				}
			}
			if strings.HasPrefix(buf, "~SEQ") || strings.HasPrefix(buf, "~LST") {
				if buf[1] == 'S' {
					if !p.addSeq(buf) {
						p.report(ClassGeneral, fmt.Sprintf("Invalid ~SEQ specification '%s'", buf))
					}
				} else if !p.addLst(buf) {
					p.report(ClassGeneral, fmt.Sprintf("Invalid ~LST specification '%s'", buf))
				}
				buf = ""
				break
			}
			if buf == "" || buf[0] == '~' {
				break
			}
			if strings.IndexByte(buf, '$') >= 0 {
				nb, found := p.replaceParam(buf, maxBuf, &p.next)
				buf = nb
				if !found {
					break
				}
				var msg string
				buf, msg = decomment(buf)
				if msg != "" {
					p.report(ClassGeneral, msg)
				}
				if buf != "" && buf[0] == '@' {
					recheck = true
				}
				if strings.IndexByte(buf, '$') >= 0 {
					recheck = true
				}
			}
			if !recheck || buf == "" {
				break
			}
			if subst >= ppMaxSubst || !p.step() {
				p.report(ClassGeneral, fmt.Sprintf("Parameter substitution on line '%s' does not terminate - recursive definition?", buf))
				buf = ""
				break
			}
		}
		if buf == "" {
			continue
		}
		if p.checkInclude(buf) {
			continue
		}
		break
	}
	return p.splitBraces(buf), !eof
}

// conditional applies an '@ID' or '@^ID' prefix. n is read_line's idea of
// the line length, which keepalived does not update after a substitution:
// when a $definition expands to an '@' line, the text is moved by the old
// length, and keepalived's result is reproduced (see ppMemmoveFront).
func (p *preproc) conditional(buf string, n int) (string, int, bool) {
	rev := false
	ofs := 1
	if len(buf) > 1 && buf[1] == '^' {
		rev, ofs = true, 2
	}
	sp := strings.IndexAny(buf[ofs:], " \t")
	if sp < 0 {
		// Nothing after the id: the line is dropped.
		return "", 0, false
	}
	word := buf[ofs : ofs+sp]
	if (word != p.id) != rev {
		return "", 0, false
	}
	start := ofs + sp
	for start < len(buf) && lexIsBlank(buf[start]) {
		start++
	}
	n -= start
	return ppMemmoveFront(buf, start, n+1), n, true
}

// ppMemmoveFront returns the C string left in a buffer holding s after
// memmove(buf, buf+ofs, count).
func ppMemmoveFront(s string, ofs, count int) string {
	b := make([]byte, len(s)+1)
	copy(b, s)
	if count < 0 || ofs+count > len(b) {
		count = len(b) - ofs
	}
	copy(b, b[ofs:ofs+count])
	return ppCString(b)
}

func ppCString(b []byte) string {
	if i := ppIndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func ppIsAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func ppIsDigit(c byte) bool { return c >= '0' && c <= '9' }
func ppIsAlnum(c byte) bool { return ppIsAlpha(c) || ppIsDigit(c) }

// findDef looks a definition up by exact name. multiline definitions are
// skipped unless allowed.
func (p *preproc) findDef(name string, allowMultiline bool) *ppDef {
	for _, d := range p.defs {
		if d.name == name && (allowMultiline || !d.multiline) {
			return d
		}
	}
	return nil
}

// checkDefinition records a "$NAME=value" line. The name must be followed
// directly by '=' (no blank), and start with a letter or '_'. A value that
// ends with '\' starts a multi-line definition.
func (p *preproc) checkDefinition(buf string) *ppDef {
	if len(buf) < 2 || buf[0] != '$' || !(ppIsAlpha(buf[1]) || buf[1] == '_') {
		return nil
	}
	i := 2
	for i < len(buf) && buf[i] != '=' {
		if !ppIsAlnum(buf[i]) && buf[i] != '_' {
			return nil
		}
		i++
	}
	if i >= len(buf) {
		return nil
	}
	name := buf[1:i]
	def := p.findDef(name, true)
	if def != nil {
		// Redefining a built-in replaces it for good.
		def.fn = nil
	} else {
		def = &ppDef{name: name}
		p.defs = append(p.defs, def)
	}
	v := strings.TrimLeft(buf[i+1:], " \t")
	if n := len(v); n > 0 && v[n-1] == '\\' {
		for n >= 2 && lexIsBlank(v[n-2]) {
			n--
		}
		if n < 2 {
			def.value = ""
		} else {
			def.value = v[:n-1] + "\n"
		}
		def.multiline = true
	} else {
		def.value = v
		def.multiline = false
	}
	return def
}

// setDefinition gives a loop variable its next value. Like keepalived it
// keeps the multi-line flag of an existing definition of that name.
func (p *preproc) setDefinition(name, value string) {
	if name == "" || !(ppIsAlpha(name[0]) || name[0] == '_') {
		// keepalived adds a definition nothing can ever refer to.
		return
	}
	if d := p.findDef(name, true); d != nil {
		d.value, d.fn = value, nil
		return
	}
	p.defs = append(p.defs, &ppDef{name: name, value: value})
}

// defRef is a reference to a definition found in a line.
type defRef struct {
	def                  *ppDef
	params               string
	paramStart, paramEnd int  // indexes in the line, -1 when no parameters
	env                  bool // ${_ENV NAME}
}

// findRef resolves the reference at b[at] == '$': $NAME must be followed
// by a blank, ',', ')' or the end of the line; ${NAME} may be followed by
// anything, and ${NAME digits...} passes parameters to built-ins. A
// multi-line definition is only expanded when the reference ends the
// line.
func (p *preproc) findRef(b []byte, at int) (defRef, bool) {
	r := defRef{paramStart: -1, paramEnd: -1}
	i := at + 1
	braces := false
	if i < len(b) && b[i] == '{' {
		braces = true
		i++
	}
	if i >= len(b) || !(ppIsAlpha(b[i]) || b[i] == '_') {
		return r, false
	}
	start := i
	for i++; i < len(b) && (ppIsAlnum(b[i]) || b[i] == '_'); i++ {
	}
	name := string(b[start:i])
	if braces && name == "_ENV" && i < len(b) && b[i] == ' ' && p.findDef(name, true) == nil {
		return p.envRef(b, i, r)
	}
	allowML := false
	if braces {
		for i < len(b) && (b[i] == ' ' || ppIsDigit(b[i])) {
			if b[i] != ' ' {
				if r.paramStart < 0 {
					r.paramStart = i
				}
				r.paramEnd = i
			}
			i++
		}
		if r.paramStart >= 0 && r.paramEnd+1 != i {
			return r, false
		}
		if i >= len(b) || b[i] != '}' {
			return r, false
		}
		allowML = start+len(name)+1 == len(b)
	} else {
		if i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != ',' && b[i] != ')' {
			return r, false
		}
		allowML = i == len(b)
	}
	d := p.findDef(name, allowML)
	if d == nil {
		return r, false
	}
	if r.paramStart >= 0 {
		if d.maxParams == 0 {
			return r, false
		}
		r.params = string(b[r.paramStart : r.paramEnd+1])
	}
	r.def = d
	return r, true
}

// envRef resolves ${_ENV NAME} (b[i] is just after "_ENV"): the value of
// the environment variable NAME, empty when it is not set. keepalived
// 2.2.7 does not have it (it leaves the text alone); we accept it because
// the project asks for it. The span replaced is passed through the
// parameter fields.
func (p *preproc) envRef(b []byte, i int, r defRef) (defRef, bool) {
	j := i
	for j < len(b) && b[j] == ' ' {
		j++
	}
	if j == i || j >= len(b) || !(ppIsAlpha(b[j]) || b[j] == '_') {
		return r, false
	}
	k := j
	for k < len(b) && (ppIsAlnum(b[k]) || b[k] == '_') {
		k++
	}
	if k >= len(b) || b[k] != '}' {
		return r, false
	}
	name := string(b[j:k])
	r.def = &ppDef{name: "_ENV", value: os.Getenv(name)}
	r.paramStart, r.paramEnd, r.env = j, k-1, true
	return r, true
}

// replaceParam is keepalived's replace_param(): it expands the
// definitions of buf from left to right, rescanning each replacement in
// place (so expansion is recursive and lazy). It reproduces the byte moves
// of the C code, including its slip when a ${_RANDOM min max} reference is
// replaced by shorter text: only the character after the '}' follows the
// value, the rest of the old text stays where it was.
func (p *preproc) replaceParam(buf string, maxLen int, next **mlPtr) (string, bool) {
	b := []byte(buf)
	lenUsed := len(b)
	cur := 0
	found := false
	var nextPtr *mlPtr
	multi := *next
	for count := 0; ; count++ {
		i := ppIndexByte(b[cur:], '$')
		if i < 0 {
			break
		}
		cur += i
		if cur+1 >= len(b) {
			break
		}
		if count >= ppMaxSubst || !p.step() {
			p.report(ClassGeneral, fmt.Sprintf("Parameter substitution on line '%s' does not terminate - recursive definition?", b))
			return "", false
		}
		ref, ok := p.findRef(b, cur)
		if !ok {
			cur++
			continue
		}
		def := ref.def
		found = true
		extra := 0
		if b[cur+1] == '{' {
			extra = 2
		}
		nextPtr = multi
		if def.multiline && multi != nil {
			p.ml = append(p.ml, mlSaved{ptr: multi, seqDepth: p.mlSeq})
		}
		if def.multiline {
			p.mlSeq = uint64(p.seqCount)
		}
		if def.fn != nil {
			def.value = def.fn(p, ref.params)
		}
		value := def.value
		replaced := len(def.name)
		var replacing int
		if def.multiline {
			replacing = strings.IndexByte(value, '\n')
			if replacing < 0 {
				replacing = len(value)
			}
			nextPtr = &mlPtr{text: value, off: replacing + 1}
			multi = nextPtr
		} else {
			if ref.paramStart >= 0 {
				replaced = ref.paramEnd - (cur + 1)
				if extra == 0 {
					replaced++
				}
			}
			replacing = len(value)
		}
		total := replaced + 1 + extra
		if lenUsed+replacing-total >= maxLen {
			p.c.add(Diagnostic{Pos: p.pos(), Class: ClassInfo, Msg: fmt.Sprintf("Parameter substitution on line '%s' would exceed maximum line length", b)})
			return string(b), false
		}
		old := append(append([]byte(nil), b...), 0)
		switch {
		case total == replacing:
			copy(b[cur:], value[:replacing])
		case total < replacing || ref.paramStart < 0 || ref.env:
			nb := make([]byte, 0, len(b)-total+replacing)
			nb = append(nb, b[:cur]...)
			nb = append(nb, value[:replacing]...)
			nb = append(nb, b[cur+total:]...)
			b = nb
		default:
			// Shorter, with parameters: keepalived moves only up to the
			// character after the closing brace.
			e := ref.paramEnd + 1
			if extra != 0 {
				e++
			}
			s0 := e - replacing
			nb := append([]byte(nil), old...)
			for k := 0; k <= e-s0; k++ {
				nb[cur+k] = old[s0+k]
			}
			copy(nb[cur:], value[:replacing])
			b = []byte(ppCString(nb))
		}
		if total != replacing {
			lenUsed = lenUsed + replacing - total
		}
		if v := strings.TrimLeft(value, " \t"); v != "" && v[0] == '~' {
			break
		}
	}
	if found {
		*next = nextPtr
	}
	return string(b), found
}

// mlNext returns the next line of the multi-line definition being expanded.
func (p *preproc) mlNext() string {
	m := p.next
	rest := ""
	if m.off < len(m.text) {
		rest = m.text[m.off:]
	}
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		p.next = &mlPtr{text: m.text, off: m.off + i + 1}
		return rest[:i]
	}
	if n := len(p.ml); n > 0 {
		s := p.ml[n-1]
		p.ml = p.ml[:n-1]
		p.next, p.mlSeq = s.ptr, s.seqDepth
	} else {
		p.next, p.mlSeq = nil, 0
	}
	return rest
}

// seqNext returns the next line of the innermost ~SEQ/~LST loop, after
// giving its variables their values.
func (p *preproc) seqNext() string {
	s := p.seqs[len(p.seqs)-1]
	done := false
	if !s.lst {
		var v string
		if s.hex {
			v = fmt.Sprintf("%x", uint64(s.next))
		} else {
			v = fmt.Sprintf("%d", s.next)
		}
		p.setDefinition(s.varName, v)
		s.next += s.step
		done = s.step > 0 && s.next > s.last || s.step < 0 && s.next < s.last
		if s.step > 0 && s.next < s.next-s.step || s.step < 0 && s.next > s.next-s.step {
			// keepalived's counter overflows (undefined behaviour); stop.
			done = true
		}
	} else {
		vals := s.values[s.idx]
		for i, name := range s.params {
			p.setDefinition(name, vals[i])
		}
		s.idx++
		done = s.idx >= len(s.values)
	}
	if done {
		p.seqs = p.seqs[:len(p.seqs)-1]
		p.seqCount--
	}
	return s.text
}

// at returns s[i], or 0 past the end (C's terminating NUL).
func ppAt(s string, i int) byte {
	if i < 0 || i >= len(s) {
		return 0
	}
	return s[i]
}

func ppSpn(s string, i int, set string) int {
	for i < len(s) && strings.IndexByte(set, s[i]) >= 0 {
		i++
	}
	return i
}

func ppCspn(s string, i int, set string) int {
	for i < len(s) && strings.IndexByte(set, s[i]) < 0 {
		i++
	}
	return i
}

// addSeq parses "~SEQ(var, start, step, end) text" (also with two or one
// numbers, and ~SEQx for hexadecimal values). The numbers may be written
// in any C base (0x.., 0..) and may use definitions.
func (p *preproc) addSeq(buf string) bool {
	i := 4
	hex := false
	if ppAt(buf, i) == 'x' {
		hex = true
		i++
	}
	i = ppSpn(buf, i, " \t")
	if ppAt(buf, i) != '(' {
		return false
	}
	i = ppSpn(buf, i+1, " \t")
	v0 := i
	i = ppCspn(buf, i, " \t,)")
	varName := buf[v0:i]
	i = ppSpn(buf, i, " \t")
	if i >= len(buf) || buf[i] == ')' || i == v0 {
		p.report(ClassGeneral, fmt.Sprintf("Invalid ~SEQ definition '%s'", buf))
		return false
	}
	// keepalived skips one character here, whatever it is (normally ',').
	i = ppSpn(buf, i+1, " \t")
	end := strings.IndexByte(buf[min(i, len(buf)):], ')')
	if end < 0 || end+2 > 3*20+3+1 {
		p.report(ClassGeneral, fmt.Sprintf("~SEQ parameter strings too long '%s'", buf))
		return false
	}
	endSeq := i + end
	var ml *mlPtr
	params, _ := p.replaceParam(buf[i:endSeq+1], 3*20+3+1, &ml)
	if ml != nil {
		p.report(ClassGeneral, fmt.Sprintf("~SEQ parameter is multiline definition '%s'", buf))
		return false
	}
	var start, step, last int64
	one, j := ppStrtol(params, 0)
	j = ppSpn(params, j, " \t")
	switch {
	case ppAt(params, j) == ')':
		last = one
		step, start = 1, 1
		if last < 1 {
			step = -1
		}
		if last < 0 {
			start = -1
		}
	case ppAt(params, j) != ',':
		p.report(ClassGeneral, fmt.Sprintf("Invalid ~SEQ definition '%s'", buf))
		return false
	default:
		two, k := ppStrtol(params, j+1)
		k = ppSpn(params, k, " \t")
		switch {
		case ppAt(params, k) == ')':
			start, last = one, two
			step = 1
			if start > last {
				step = -1
			}
		case ppAt(params, k) != ',':
			p.report(ClassGeneral, fmt.Sprintf("Invalid ~SEQ definition '%s'", buf))
			return false
		default:
			three, l := ppStrtol(params, k+1)
			l = ppSpn(params, l, " \t")
			if ppAt(params, l) != ')' {
				p.report(ClassGeneral, fmt.Sprintf("Invalid ~SEQ definition '%s'", buf))
				return false
			}
			start, step, last = one, two, three
			if step == 0 || start < last && step < 0 || start > last && step > 0 {
				p.report(ClassGeneral, fmt.Sprintf("Invalid ~SEQ values '%s'", buf))
				return false
			}
		}
	}
	if hex && (start < 0 || last < 0) {
		p.report(ClassGeneral, fmt.Sprintf("~SEQx is only valid for positive numbers '%s'", buf))
		return false
	}
	t := ppSpn(buf, endSeq+1, " \t")
	p.seqs = append(p.seqs, &ppSeq{varName: varName, next: start, step: step, last: last, hex: hex, text: buf[t:]})
	p.seqCount++
	return true
}

// addLst parses "~LST(var, v1, v2, ...) text" and
// "~LST({var1, var2}, {a1, a2}, {b1, b2}) text"; missing values are empty.
func (p *preproc) addLst(buf string) bool {
	if !p.parseLst(buf) {
		p.seqCount-- // keepalived's free_seq_lst() on an entry never counted
		return false
	}
	return true
}

func (p *preproc) parseLst(buf string) bool {
	i := ppSpn(buf, 4, " \t")
	if ppAt(buf, i) != '(' {
		return false
	}
	i = ppSpn(buf, i+1, " \t")
	endc := byte(',')
	if ppAt(buf, i) == '{' {
		endc = '}'
		i = ppSpn(buf, i+1, " \t")
	}
	s := &ppSeq{lst: true}
	nvars := 0
	for {
		v0 := i
		i = ppCspn(buf, i, " \t,}")
		s.params = append(s.params, buf[v0:i])
		i = ppSpn(buf, i, " \t")
		if ppAt(buf, i) == endc {
			break
		}
		if ppAt(buf, i) != ',' {
			return false
		}
		i = ppSpn(buf, i+1, " \t")
		nvars++
	}
	if ppAt(buf, i) == '}' {
		i = ppSpn(buf, i+1, " \t")
	}
	if ppAt(buf, i) != ',' {
		return false
	}
	i = ppSpn(buf, i+1, " \t")
	for {
		endc = ','
		if ppAt(buf, i) == '{' {
			endc = '}'
			i = ppSpn(buf, i+1, " \t")
		}
		var set []string
		nvals := 0
		for {
			v0 := i
			i = ppCspn(buf, i, " \t,})")
			set = append(set, buf[v0:i])
			i = ppSpn(buf, i, " \t")
			if ppAt(buf, i) == endc || ppAt(buf, i) == ')' && endc == ',' {
				break
			}
			if ppAt(buf, i) != ',' {
				return false
			}
			i = ppSpn(buf, i+1, " \t")
			nvals++
			if nvals > nvars {
				p.report(ClassGeneral, fmt.Sprintf("~LST specification has too many values '%s'", buf))
				return false
			}
		}
		for ; nvals < nvars; nvals++ {
			set = append(set, "")
		}
		s.values = append(s.values, set)
		if ppAt(buf, i) == '}' && endc == '}' {
			i = ppSpn(buf, i+1, " \t")
		}
		if ppAt(buf, i) == ')' {
			break
		}
		if ppAt(buf, i) != ',' {
			return false
		}
		i = ppSpn(buf, i+1, " \t")
		if !p.step() {
			return false
		}
	}
	s.text = buf[ppSpn(buf, i+1, " \t"):]
	p.seqs = append(p.seqs, s)
	p.seqCount++
	return true
}

// ppStrtol is C's ppStrtol(s+i, &end, 0): blanks, sign, 0x/0 prefixes,
// clamping on overflow; end is i when there is no number.
func ppStrtol(s string, i int) (int64, int) {
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] >= '\t' && s[j] <= '\r') {
		j++
	}
	neg := false
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		neg = s[j] == '-'
		j++
	}
	base := uint64(10)
	if ppAt(s, j) == '0' && (ppAt(s, j+1) == 'x' || ppAt(s, j+1) == 'X') && ppIsHex(ppAt(s, j+2)) {
		base = 16
		j += 2
	} else if ppAt(s, j) == '0' {
		base = 8
	}
	var v uint64
	over := false
	d0 := j
	for j < len(s) {
		var d uint64
		c := s[j]
		switch {
		case ppIsDigit(c):
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			d = 99
		}
		if d >= base {
			break
		}
		if v > (1<<63)/base {
			over = true
		}
		v = v*base + d
		if v > 1<<63 {
			over = true
		}
		j++
	}
	if j == d0 {
		return 0, i
	}
	switch {
	case neg && (over || v > 1<<63):
		return -1 << 63, j
	case neg:
		return -int64(v), j
	case over || v > 1<<63-1:
		return 1<<63 - 1, j
	}
	return int64(v), j
}

func ppIsHex(c byte) bool { _, ok := lexHexDigit(c); return ok }

// ppIsInclude recognises "include FILE" and the variants includer, includem,
// includew, includeb and includea.
func ppIsInclude(buf string) bool {
	if !strings.HasPrefix(buf, "include") || len(buf) < 8 {
		return false
	}
	if ppIsSpace(buf[7]) {
		return true
	}
	return len(buf) > 8 && ppIsSpace(buf[8]) && strings.IndexByte("rmwba", buf[7]) >= 0
}

func ppIsSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

// checkInclude handles an include line: the rest of the line, blanks and
// quotes included, is the glob pattern.
func (p *preproc) checkInclude(buf string) bool {
	if !ppIsInclude(buf) {
		return false
	}
	rest := buf[8:]
	t := 0
	if !ppIsSpace(buf[7]) {
		rest = buf[9:]
		switch buf[7] {
		case 'r':
			t = incRead
		case 'a':
			t = incAll
		case 'w':
			t = incRead | incMatch | incWild
		case 'm':
			t = incRead | incMatch
		case 'b':
			t = incRead | incBrace
		}
	}
	p.openGlob(strings.TrimLeft(rest, " \t"), t)
	return true
}

// splitBraces splits the first '{' or '}' outside double quotes off the
// line; what follows goes through read_line again on the next call. It
// also keeps keepalived's count of open braces.
func (p *preproc) splitBraces(buf string) string {
	buf, rest := splitFirstBrace(buf)
	if rest != "" {
		p.resid = rest
	}
	switch buf {
	case "{":
		p.depth++
	case "}":
		p.depth--
		if p.depth < 0 {
			p.report(ClassUnexpectedEOB, "Extra '}' found")
			p.depth = 0
		}
	}
	return buf
}

// splitFirstBrace cuts buf before its first '{' or '}' outside double
// quotes (a line starting with one is cut after it and the blanks that
// follow), and trims trailing blanks of both parts.
func splitFirstBrace(buf string) (head, rest string) {
	i := -1
	if buf != "" && (buf[0] == '{' || buf[0] == '}') {
		i = 0
	} else {
		for j := 0; j < len(buf); j++ {
			c := buf[j]
			if c == '{' || c == '}' {
				i = j
				break
			}
			if c == '"' {
				k := strings.IndexByte(buf[j+1:], '"')
				if k < 0 {
					break
				}
				j += k + 1
			}
		}
	}
	if i >= 0 {
		skip := 0
		if i == 0 {
			skip = ppSpn(buf, 1, " \t")
		}
		if i+skip < len(buf) {
			rest = strings.TrimRight(buf[i+skip:], " \t")
			buf = buf[:i+skip]
		}
	}
	return strings.TrimRight(buf, " \t"), rest
}

// emit tokenizes a finished line and adds it to the output.
func (p *preproc) emit(buf string) {
	start := len(p.arena)
	if cap(p.arena)-start < 64 {
		// A fresh chunk: lines already out keep pointing into the old one.
		p.arena = make([]Token, 0, 4096)
		start = 0
	}
	var unmatched bool
	p.arena, unmatched = tokenizeInto(p.arena, buf)
	toks := p.arena[start:len(p.arena):len(p.arena)]
	if unmatched {
		p.report(ClassUnmatchedQuote, unmatchedQuoteMsg(buf))
	}
	if len(toks) == 0 {
		return
	}
	p.out = append(p.out, Line{Pos: p.pos(), Raw: buf, Tokens: toks})
	p.trackIncludeCheck(toks)
}

// trackIncludeCheck follows "include_check" inside global_defs, which
// changes the checks of the includes that come after it (keepalived applies
// it while reading, and restores the previous setting when the file that
// set it ends).
func (p *preproc) trackIncludeCheck(toks []Token) {
	w := toks[0].Text
	switch {
	case w == "{":
		if p.lastStmt != "" {
			p.kwPath = append(p.kwPath, p.lastStmt)
		}
		p.lastStmt = ""
		return
	case w == "}":
		if len(p.kwPath) > 0 {
			p.kwPath = p.kwPath[:len(p.kwPath)-1]
		}
		p.lastStmt = ""
		return
	}
	p.lastStmt = w
	if w == "include_check" && len(p.kwPath) == 1 && p.kwPath[0] == "global_defs" {
		words := make([]string, len(toks))
		for i, t := range toks {
			words[i] = t.Text
		}
		p.check = ppIncludeCheckSet(p.check, words)
	}
}

// ppIncludeCheckSet is the effect of "include_check [[+|-]check ...]" on the
// include checks; the keyword handler reports bad words.
func ppIncludeCheckSet(cur int, words []string) int {
	if len(words) <= 1 {
		return incAll
	}
	for i, w := range words[1:] {
		add := 0
		if strings.HasPrefix(w, "-") {
			add, w = -1, w[1:]
		} else if strings.HasPrefix(w, "+") {
			add, w = 1, w[1:]
		} else if i == 0 {
			cur = 0
		} else {
			continue
		}
		var flag int
		switch w {
		case "read":
			flag = incRead
		case "match":
			flag = incMatch
		case "wildcard_match":
			flag = incWild
		case "brace_match":
			flag = incBrace
		}
		switch {
		case flag == 0:
		case add == 0:
			cur = incRead | flag
		case add > 0:
			cur |= flag
		default:
			cur &^= flag
		}
	}
	return cur
}

// pwd is ${_PWD}: the absolute directory of the file being read.
func (p *preproc) pwd(string) string {
	d := p.cwd
	if !strings.HasPrefix(d, "/") {
		d = p.wd + "/" + d
	}
	return path.Clean(d)
}

// random is ${_RANDOM [min [max]]}: a number in [min, max] (default 0 and
// 32767), printed with at most as many characters as max has digits.
func (p *preproc) random(params string) string {
	lo, hi := uint64(0), uint64(32767)
	if params != "" {
		v, j := ppStrtoul(params, 0)
		lo = v
		if j < len(params)-1 {
			v2, k := ppStrtoul(params, j)
			hi = v2
			if k != len(params) {
				p.report(ClassInfo, fmt.Sprintf("Too many parameters or extra text for ${_RANDOM %s}", params))
			}
		}
	}
	width := 0
	for v := int64(hi); ; v /= 10 {
		width++
		if v/10 == 0 {
			break
		}
	}
	span := hi - lo + 1
	r := uint64(p.rnd.Int64N(1 << 31))
	if span != 0 {
		r %= span
	}
	s := fmt.Sprintf("%d", int64(r+lo))
	if len(s) > width {
		s = s[:width]
	}
	return s
}

// ppStrtoul reads a decimal number after blanks, clamping on overflow.
func ppStrtoul(s string, i int) (uint64, int) {
	j := i
	for j < len(s) && ppIsSpace(s[j]) {
		j++
	}
	d0 := j
	var v uint64
	over := false
	for j < len(s) && ppIsDigit(s[j]) {
		if v > (1<<64-1-9)/10 {
			over = true
		}
		v = v*10 + uint64(s[j]-'0')
		j++
	}
	if j == d0 {
		return 0, i
	}
	if over {
		v = 1<<64 - 1
	}
	return v, j
}
