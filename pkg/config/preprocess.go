package config

import (
	"fmt"
	"strings"
)

// Preprocess reads opts.File and everything it includes, and returns the
// logical lines in order, each split into tokens.
//
// FIRST CUT: comments, quoting and includes only. The full preprocessor
// (@conditionals, $macros, ~SEQ, keepalived's exact quoting) replaces this.
func Preprocess(c *Ctx) []Line {
	var out []Line
	c.readFile(c.Opts.File, 0, &out)
	return out
}

func (c *Ctx) readFile(name string, depth int, out *[]Line) {
	data, err := c.fs().ReadFile(name)
	if err != nil {
		c.add(Diagnostic{Class: ClassFileNotFound, Msg: fmt.Sprintf("Configuration file '%s' does not exist", name)})
		return
	}
	for i, raw := range strings.Split(string(data), "\n") {
		toks := Tokenize(raw)
		if len(toks) == 0 {
			continue
		}
		*out = append(*out, Line{Pos: Pos{File: name, Line: i + 1}, Raw: strings.TrimSpace(raw), Tokens: toks})
	}
}
