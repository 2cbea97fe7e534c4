package config

import (
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

// FS is how the preprocessor reads configuration files and expands include
// globs. OSFS is the real file system; MapFS serves tests and fuzzing.
type FS interface {
	ReadFile(name string) ([]byte, error)
	// Glob expands a pattern as glob(3) with GLOB_BRACE would; a pattern
	// without magic characters returns itself only if the file exists.
	Glob(pattern string) ([]string, error)
}

// StatFS is an FS that can also answer the questions glob(3) and
// keepalived's include checks ask: does a name exist, is it a directory, a
// regular file, executable, and what is in a directory. With it, include
// handling reproduces keepalived's messages ("Config files missing", "Some
// config files missing", "is a directory"...) exactly; a plain FS only gets
// the matches.
type StatFS interface {
	FS
	// Stat follows symbolic links.
	Stat(name string) (fs.FileInfo, error)
	// Lstat does not.
	Lstat(name string) (fs.FileInfo, error)
	// ReadDir returns the names in a directory, in any order.
	ReadDir(name string) ([]string, error)
}

// OSFS reads the real file system.
type OSFS struct{}

func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

func (o OSFS) Glob(pattern string) ([]string, error) { return globPlain(o, pattern), nil }

func (OSFS) Stat(name string) (fs.FileInfo, error)  { return os.Stat(name) }
func (OSFS) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }

func (OSFS) ReadDir(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// Getwd is the directory relative names are resolved against (${_PWD}).
func (OSFS) Getwd() string {
	wd, err := os.Getwd()
	if err != nil {
		return "/"
	}
	return wd
}

// MapFS is an in-memory file system: file name → contents. Names are slash
// separated; directories exist implicitly above every file. Relative names
// are relative to a working directory of "/" for ${_PWD}.
type MapFS map[string][]byte

func fsClean(name string) string {
	if name == "" {
		return "."
	}
	return path.Clean(name)
}

func (m MapFS) lookup(name string) ([]byte, bool) {
	if b, ok := m[name]; ok {
		return b, true
	}
	b, ok := m[fsClean(name)]
	return b, ok
}

func (m MapFS) ReadFile(name string) ([]byte, error) {
	if b, ok := m.lookup(name); ok {
		return b, nil
	}
	if m.isDir(fsClean(name)) {
		return nil, &os.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
}

var errIsDir = fs.ErrInvalid

func (m MapFS) Glob(pattern string) ([]string, error) { return globPlain(m, pattern), nil }

// isDir reports whether some file lives below dir.
func (m MapFS) isDir(dir string) bool {
	if dir == "." || dir == "/" {
		return len(m) > 0 || dir == "/"
	}
	for k := range m {
		if strings.HasPrefix(fsClean(k), dir+"/") {
			return true
		}
	}
	return false
}

func (m MapFS) Stat(name string) (fs.FileInfo, error) {
	c := fsClean(name)
	if b, ok := m.lookup(name); ok {
		return mapInfo{name: path.Base(c), size: int64(len(b))}, nil
	}
	if m.isDir(c) {
		return mapInfo{name: path.Base(c), dir: true}, nil
	}
	return nil, &os.PathError{Op: "stat", Path: name, Err: os.ErrNotExist}
}

func (m MapFS) Lstat(name string) (fs.FileInfo, error) { return m.Stat(name) }

func (m MapFS) ReadDir(name string) ([]string, error) {
	dir := fsClean(name)
	if !m.isDir(dir) {
		return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
	}
	seen := map[string]bool{}
	var out []string
	for k := range m {
		k = fsClean(k)
		var rest string
		switch {
		case dir == ".":
			if strings.HasPrefix(k, "/") {
				continue
			}
			rest = k
		case dir == "/":
			if !strings.HasPrefix(k, "/") {
				continue
			}
			rest = k[1:]
		case strings.HasPrefix(k, dir+"/"):
			rest = k[len(dir)+1:]
		default:
			continue
		}
		first, _, _ := strings.Cut(rest, "/")
		if first != "" && !seen[first] {
			seen[first] = true
			out = append(out, first)
		}
	}
	return out, nil
}

// Getwd is "/": relative MapFS names hang off the root.
func (MapFS) Getwd() string { return "/" }

type mapInfo struct {
	name string
	size int64
	dir  bool
}

func (i mapInfo) Name() string { return i.name }
func (i mapInfo) Size() int64  { return i.size }
func (i mapInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i mapInfo) ModTime() time.Time { return time.Time{} }
func (i mapInfo) IsDir() bool        { return i.dir }
func (i mapInfo) Sys() any           { return nil }

// overlayFS serves one in-memory file in front of another FS (Parse).
type overlayFS struct {
	name string
	data []byte
	next FS
}

func (o overlayFS) is(name string) bool {
	return name == o.name || fsClean(name) == fsClean(o.name)
}

func (o overlayFS) ReadFile(name string) ([]byte, error) {
	if o.is(name) {
		return o.data, nil
	}
	return o.next.ReadFile(name)
}

func (o overlayFS) Glob(pattern string) ([]string, error) { return globPlain(o, pattern), nil }

func (o overlayFS) Stat(name string) (fs.FileInfo, error) {
	if o.is(name) {
		return mapInfo{name: path.Base(fsClean(name)), size: int64(len(o.data))}, nil
	}
	if s, ok := o.next.(StatFS); ok {
		fi, err := s.Stat(name)
		if err == nil || !o.parentOf(name) {
			return fi, err
		}
	}
	if o.parentOf(name) {
		return mapInfo{name: path.Base(fsClean(name)), dir: true}, nil
	}
	if _, err := o.next.ReadFile(name); err == nil {
		return mapInfo{name: path.Base(fsClean(name))}, nil
	}
	return nil, &os.PathError{Op: "stat", Path: name, Err: os.ErrNotExist}
}

func (o overlayFS) Lstat(name string) (fs.FileInfo, error) { return o.Stat(name) }

// parentOf reports whether dir is a directory above the overlay file.
func (o overlayFS) parentOf(dir string) bool {
	d := fsClean(dir)
	f := fsClean(o.name)
	return d == "." && !strings.HasPrefix(f, "/") || d == "/" && strings.HasPrefix(f, "/") || strings.HasPrefix(f, d+"/")
}

func (o overlayFS) ReadDir(name string) ([]string, error) {
	var out []string
	var err error
	if s, ok := o.next.(StatFS); ok {
		out, err = s.ReadDir(name)
	} else {
		err = &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
	}
	if o.parentOf(name) {
		rest := strings.TrimPrefix(fsClean(o.name), fsClean(name))
		rest = strings.TrimPrefix(rest, "/")
		first, _, _ := strings.Cut(rest, "/")
		for _, x := range out {
			if x == first {
				return out, nil
			}
		}
		return append(out, first), nil
	}
	return out, err
}

func (o overlayFS) Getwd() string { return fsGetwd(o.next) }

func fsGetwd(f FS) string {
	if w, ok := f.(interface{ Getwd() string }); ok {
		return w.Getwd()
	}
	return "/"
}

// globPlain is Glob for the FS implementations of this package.
func globPlain(s StatFS, pattern string) []string {
	r := globFS(s, pattern)
	out := make([]string, 0, len(r.matches))
	for _, m := range r.matches {
		out = append(out, strings.TrimSuffix(m, "/"))
	}
	return out
}

// globResult is what keepalived learns from glob(3): the matches (with a
// '/' appended to directories, GLOB_MARK) and, through its
// GLOB_ALTDIRFUNC callbacks, whether names were missing, directories
// could not be opened, and whether any wildcard was expanded.
type globResult struct {
	matches      []string
	missingFiles int
	missingDirs  int
	wildcards    bool
}

// maxGlobMatches bounds what one pattern may expand to (brace products
// grow exponentially).
const maxGlobMatches = 4096

// globFS expands pattern as glibc's glob(3) with GLOB_MARK | GLOB_BRACE |
// GLOB_ALTDIRFUNC, the flags keepalived uses: {a,b} alternatives are each
// expanded in turn (results of each sorted, alternatives kept in their
// written order, duplicates kept); a brace group without a closing brace
// is literal; a pattern without wildcards is checked with lstat.
func globFS(s StatFS, pattern string) globResult {
	var r globResult
	budget := 64
	globBrace(s, pattern, &r, &budget)
	return r
}

func globBrace(s StatFS, pattern string, r *globResult, budget *int) {
	if *budget <= 0 || len(r.matches) >= maxGlobMatches {
		return
	}
	*budget--
	open, close, alts := globFindBrace(pattern)
	if open < 0 {
		globOne(s, pattern, r)
		return
	}
	for _, a := range alts {
		globBrace(s, pattern[:open]+a+pattern[close+1:], r, budget)
	}
}

// globFindBrace locates the first brace group of p that has a matching
// closing brace, and splits it at its top-level commas.
func globFindBrace(p string) (open, close int, alts []string) {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			depth := 0
			start := i + 1
			for j := i + 1; j < len(p); j++ {
				switch p[j] {
				case '\\':
					j++
				case '{':
					depth++
				case '}':
					if depth == 0 {
						alts = append(alts, p[start:j])
						return i, j, alts
					}
					depth--
				case ',':
					if depth == 0 {
						alts = append(alts, p[start:j])
						start = j + 1
					}
				}
			}
			// An unclosed brace makes the whole pattern literal, as glibc.
			return -1, -1, nil
		}
	}
	return -1, -1, nil
}

// globHasMagic reports glob metacharacters not escaped by a backslash; '['
// counts only when a ']' closes it.
func globHasMagic(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '*', '?':
			return true
		case '[':
			if strings.IndexByte(p[i+1:], ']') >= 0 {
				return true
			}
		}
	}
	return false
}

func globUnescape(p string) string {
	if strings.IndexByte(p, '\\') < 0 {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

func globMark(s StatFS, name string) string {
	// glibc appends the '/' even to a name that ends with one ("d/" → "d//").
	if fi, err := s.Stat(name); err == nil && fi.IsDir() {
		return name + "/"
	}
	return name
}

// globOne expands a pattern without braces and appends its matches, sorted.
func globOne(s StatFS, pattern string, r *globResult) {
	if pattern == "" {
		r.missingFiles++
		return
	}
	dirPat, filePat := "", pattern
	if i := strings.LastIndexByte(pattern, '/'); i >= 0 {
		dirPat, filePat = pattern[:i+1], pattern[i+1:]
	}
	var dirs []string
	switch {
	case dirPat == "":
		dirs = []string{""}
	case globHasMagic(dirPat[:len(dirPat)-1]):
		var sub globResult
		globOne(s, strings.TrimRight(dirPat, "/"), &sub)
		r.missingFiles += sub.missingFiles
		r.missingDirs += sub.missingDirs
		r.wildcards = r.wildcards || sub.wildcards
		for _, d := range sub.matches {
			if strings.HasSuffix(d, "/") {
				dirs = append(dirs, d)
			}
		}
	default:
		dirs = []string{globUnescape(dirPat)}
	}
	// glibc checks a plain name with lstat, but reads the directory for a
	// name with any wildcard, '[' or backslash in it.
	scan := strings.ContainsAny(filePat, "*?[\\")
	var found []string
	for _, d := range dirs {
		if filePat == "" {
			if _, err := s.Lstat(d); err != nil {
				r.missingFiles++
				continue
			}
			found = append(found, globMark(s, d))
			continue
		}
		if !scan {
			name := d + filePat
			if _, err := s.Lstat(name); err != nil {
				r.missingFiles++
				continue
			}
			found = append(found, globMark(s, name))
			continue
		}
		r.wildcards = true
		open := d
		if open == "" {
			open = "."
		}
		names, err := s.ReadDir(open)
		if err != nil {
			r.missingDirs++
			continue
		}
		sort.Strings(names)
		for _, n := range names {
			if n[0] == '.' && filePat[0] != '.' {
				continue
			}
			if globFnmatch(filePat, n) {
				found = append(found, globMark(s, d+n))
			}
			if len(found)+len(r.matches) >= maxGlobMatches {
				break
			}
		}
	}
	sort.Strings(found)
	r.matches = append(r.matches, found...)
}

// globFnmatch matches one path component against a glob pattern: '*', '?',
// '[...]' (with '!' or '^' negation and ranges) and backslash escapes. An
// unclosed '[' matches itself.
func globFnmatch(pat, name string) bool {
	px, nx := 0, 0
	nextPx, nextNx := -1, -1
	for px < len(pat) || nx < len(name) {
		if px < len(pat) {
			switch c := pat[px]; c {
			case '*':
				nextPx, nextNx = px, nx+1
				px++
				continue
			case '?':
				if nx < len(name) {
					px++
					nx++
					continue
				}
			case '[':
				if nx < len(name) {
					if ok, width, valid := globMatchClass(pat[px:], name[nx]); valid {
						if ok {
							px += width
							nx++
							continue
						}
						break
					}
				}
				if nx < len(name) && name[nx] == '[' {
					px++
					nx++
					continue
				}
			case '\\':
				if px+1 < len(pat) {
					c = pat[px+1]
					if nx < len(name) && name[nx] == c {
						px += 2
						nx++
						continue
					}
					break
				}
				fallthrough
			default:
				if nx < len(name) && name[nx] == c {
					px++
					nx++
					continue
				}
			}
		}
		if nextNx > 0 && nextNx <= len(name) {
			px, nx = nextPx, nextNx
			continue
		}
		return false
	}
	return true
}

// globMatchClass matches ch against the bracket expression at the start of p.
// valid is false when the expression has no closing ']'.
func globMatchClass(p string, ch byte) (ok bool, width int, valid bool) {
	i := 1
	negate := false
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(p) {
		c := p[i]
		if c == ']' && !first {
			return ok != negate, i + 1, true
		}
		first = false
		if c == '\\' && i+1 < len(p) {
			i++
			c = p[i]
		}
		lo, hi := c, c
		if i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']' {
			hi = p[i+2]
			if hi == '\\' && i+3 < len(p) {
				hi = p[i+3]
				i++
			}
			i += 2
		}
		if lo <= ch && ch <= hi {
			ok = true
		}
		i++
	}
	return false, 0, false
}
