package config

import (
	"os"
	"path"
	"path/filepath"
	"sort"
)

// FS is how the preprocessor reads configuration files and expands include
// globs. OSFS is the real file system; MapFS serves tests and fuzzing.
type FS interface {
	ReadFile(name string) ([]byte, error)
	// Glob expands a pattern as glob(3) with GLOB_BRACE would; a pattern
	// without magic characters returns itself only if the file exists.
	Glob(pattern string) ([]string, error)
}

// OSFS reads the real file system.
type OSFS struct{}

func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

func (OSFS) Glob(pattern string) ([]string, error) {
	var out []string
	for _, p := range expandBraces(pattern) {
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	sort.Strings(out)
	return dedup(out), nil
}

// MapFS is an in-memory file system: file name → contents.
type MapFS map[string][]byte

func (m MapFS) ReadFile(name string) ([]byte, error) {
	if b, ok := m[name]; ok {
		return b, nil
	}
	return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
}

func (m MapFS) Glob(pattern string) ([]string, error) {
	var out []string
	for _, p := range expandBraces(pattern) {
		for name := range m {
			if ok, err := path.Match(p, name); err != nil {
				return nil, err
			} else if ok {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return dedup(out), nil
}

// overlayFS serves one in-memory file in front of another FS (Parse).
type overlayFS struct {
	name string
	data []byte
	next FS
}

func (o overlayFS) ReadFile(name string) ([]byte, error) {
	if name == o.name {
		return o.data, nil
	}
	return o.next.ReadFile(name)
}

func (o overlayFS) Glob(pattern string) ([]string, error) {
	out, err := o.next.Glob(pattern)
	if err != nil {
		return nil, err
	}
	for _, p := range expandBraces(pattern) {
		if ok, _ := path.Match(p, o.name); ok {
			out = append(out, o.name)
		}
	}
	sort.Strings(out)
	return dedup(out), nil
}

func dedup(s []string) []string {
	if len(s) < 2 {
		return s
	}
	out := s[:1]
	for _, x := range s[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// expandBraces expands {a,b} alternatives as GLOB_BRACE does, nested
// braces included. A brace without a matching close or without a comma is
// left as it is.
func expandBraces(p string) []string {
	depth, open := 0, -1
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			if depth == 0 {
				open = i
			}
			depth++
		case '}':
			if depth == 0 {
				continue
			}
			depth--
			if depth == 0 {
				inner := p[open+1 : i]
				alts := splitTopCommas(inner)
				if len(alts) < 2 {
					open = -1
					continue
				}
				var out []string
				for _, a := range alts {
					out = append(out, expandBraces(p[:open]+a+p[i+1:])...)
				}
				return out
			}
		}
	}
	return []string{p}
}

func splitTopCommas(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
