package config

import (
	"fmt"
	"strings"
)

// Class is the kind of a configuration diagnostic. The order follows
// keepalived's config_err_t (parser.h): keepalived keeps the most severe
// class seen and maps it to the exit code of `keepalived -t`.
type Class int

const (
	// ClassInfo is for messages keepalived logs but that do not change the
	// verdict of -t (keepalived's plain log_message calls).
	ClassInfo Class = iota
	// ClassFileNotFound, ClassBadIf and ClassFatal mean the configuration
	// cannot run: -t exits 4.
	ClassFileNotFound
	ClassBadIf
	ClassFatal
	// The following are errors keepalived runs through anyway: -t exits 5.
	ClassMultipleFiles
	ClassUnknownKeyword
	ClassUnexpectedBOB
	ClassMissingBOB
	ClassUnexpectedEOB
	ClassMissingEOB
	ClassUnmatchedQuote
	ClassMissingParameter
	ClassInvalidNumber
	ClassGeneral
	// ClassSecurity: scripts configured without enable_script_security;
	// -t exits 6.
	ClassSecurity
	// ClassConfigFile: an include file that the include variant
	// (includer/m/w/b/a), include_check or -e requires could not be read.
	// keepalived 2.2.7 stops right after reading the configuration and
	// exits 6, whatever else it found (verified with keepalived -t).
	ClassConfigFile
	// ClassAbort: keepalived gives up reading at once and exits 2
	// (KEEPALIVED_EXIT_PROGRAM_ERROR) when a keyword's line lacks a word it
	// indexes ("is missing a parameter after keyword"). We go on reading and
	// report everything, but give the same exit status.
	ClassAbort
)

// Exit codes of `keepalived -t`, as keepalived 2.2.7 defines them.
const (
	ExitOK          = 0
	ExitProgram     = 2
	ExitConfig      = 4
	ExitConfigTest  = 5
	ExitConfigTestS = 6
)

// Pos is a place in the configuration: file as keepalived names it, and line.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// String renders the position as keepalived prefixes its messages. With a
// file name keepalived prints the line even when it is 0 (a line produced
// from an include before its first line was counted).
func (p Pos) String() string {
	switch {
	case p.File != "":
		return fmt.Sprintf("(%s: Line %d)", p.File, p.Line)
	case p.Line > 0:
		return fmt.Sprintf("(Line %d)", p.Line)
	}
	return ""
}

// Diagnostic is one message about the configuration.
type Diagnostic struct {
	Pos   Pos
	Class Class
	// Msg is keepalived's text for the problem, without the position prefix.
	Msg string
	// Quote is the offending source text, when there is one (beyond keepalived).
	Quote string
	// Hint says what was probably meant (beyond keepalived), e.g. "did you mean 'priority'?".
	Hint string
}

// String renders the diagnostic as keepalived prints it, with our hint
// appended on the same line so that greps for keepalived's text still match.
func (d Diagnostic) String() string {
	var b strings.Builder
	if s := d.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteByte(' ')
	}
	b.WriteString(d.Msg)
	if d.Hint != "" {
		b.WriteString(" - ")
		b.WriteString(d.Hint)
	}
	return b.String()
}

// Verbose renders the diagnostic followed by the quoted source line.
func (d Diagnostic) Verbose() string {
	s := d.String()
	if d.Quote != "" {
		s += "\n    | " + d.Quote
	}
	return s
}

// Diagnostics is an ordered list of diagnostics.
type Diagnostics []Diagnostic

// Worst returns the class that decides the verdict (ClassInfo when none).
// keepalived keeps the numerically highest config_err_t it has seen
// (parser.c: "config_err < err"), so a later-listed class wins even over
// ClassFatal: an unknown keyword next to a missing interface gives exit 5,
// and a security problem next to anything gives exit 6. We do the same so
// that `-t` verdicts match.
func (ds Diagnostics) Worst() Class {
	worst := ClassInfo
	for _, d := range ds {
		if d.Class > worst {
			worst = d.Class
		}
	}
	return worst
}

// ExitCode maps the diagnostics to `keepalived -t`'s exit status.
func (ds Diagnostics) ExitCode() int {
	switch w := ds.Worst(); {
	case w == ClassAbort:
		return ExitProgram
	case w == ClassInfo:
		return ExitOK
	case w <= ClassFatal:
		return ExitConfig
	case w >= ClassSecurity:
		return ExitConfigTestS
	default:
		return ExitConfigTest
	}
}

// HasErrors reports whether any diagnostic is more than informational.
func (ds Diagnostics) HasErrors() bool { return ds.Worst() != ClassInfo }

// Fatal reports whether the configuration cannot run at all: any
// diagnostic of the "cannot run" classes, whatever else is present.
func (ds Diagnostics) Fatal() bool {
	for _, d := range ds {
		if d.Class >= ClassFileNotFound && d.Class <= ClassFatal || d.Class >= ClassConfigFile {
			return true
		}
	}
	return false
}
