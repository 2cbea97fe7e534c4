package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Argument readers shared by every block. Their messages follow keepalived's
// parser.c readers (read_int_strvec, read_unsigned_strvec,
// read_decimal_unsigned_strvec, check_true_false) so that the text operators
// see is the same.

// NeedArgs reports a missing parameter when n has fewer than k arguments.
func (c *Ctx) NeedArgs(n *Node, k int) bool {
	if n.NArgs() >= k {
		return true
	}
	c.Report(n, ClassMissingParameter, fmt.Sprintf("%s missing parameter", n.Keyword()))
	return false
}

// IntArg parses argument i as a decimal integer in [min, max].
func (c *Ctx) IntArg(n *Node, i int, min, max int64) (int64, bool) {
	if !c.NeedArgs(n, i+1) {
		return 0, false
	}
	s := n.Arg(i)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
		return 0, false
	}
	if v < min || v > max {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside range [%d, %d]", s, min, max))
		return 0, false
	}
	return v, true
}

// ParseDecimal parses s as a non-negative decimal with at most digits
// fractional digits and returns it scaled by 10^digits ("1.5", 6 → 1500000).
func ParseDecimal(s string, digits int) (int64, bool) {
	if s == "" {
		return 0, false
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return 0, false
	}
	var v int64
	for _, ch := range intPart {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		v = v*10 + int64(ch-'0')
		if v > 1<<50 {
			return 0, false
		}
	}
	if len(frac) > digits {
		return 0, false
	}
	for i := 0; i < digits; i++ {
		v *= 10
		if i < len(frac) {
			ch := frac[i]
			if ch < '0' || ch > '9' {
				return 0, false
			}
			v += int64(ch - '0')
		}
	}
	return v, true
}

// FormatDecimal renders a scaled value the way keepalived prints ranges
// ("0.000001", "4294.967295").
func FormatDecimal(v int64, digits int) string {
	if digits == 0 {
		return strconv.FormatInt(v, 10)
	}
	scale := int64(1)
	for i := 0; i < digits; i++ {
		scale *= 10
	}
	return fmt.Sprintf("%d.%0*d", v/scale, digits, v%scale)
}

// DecimalArg parses argument i as a decimal with digits fractional digits
// within [min, max] (scaled values), as keepalived's
// read_decimal_unsigned_strvec.
func (c *Ctx) DecimalArg(n *Node, i, digits int, min, max int64) (int64, bool) {
	if !c.NeedArgs(n, i+1) {
		return 0, false
	}
	s := n.Arg(i)
	v, ok := ParseDecimal(s, digits)
	if !ok {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
		return 0, false
	}
	if v < min || v > max {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside range [%s, %s]", s, FormatDecimal(min, digits), FormatDecimal(max, digits)))
		return 0, false
	}
	return v, true
}

// ParseBool reads keepalived's true/false words.
func ParseBool(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "true", "on", "yes":
		return true, true
	case "false", "off", "no":
		return false, true
	}
	return false, false
}

// OptBoolArg reads an optional true/false argument i; absent means true.
func (c *Ctx) OptBoolArg(n *Node, i int) (bool, bool) {
	if n.NArgs() <= i {
		return true, true
	}
	v, ok := ParseBool(n.Arg(i))
	if !ok {
		c.Errorf(n, "Invalid value '%s' for %s - must be true or false", n.Arg(i), n.Keyword())
	}
	return v, ok
}

// Generic entries for the common shapes of keyword.

// Int is a keyword with one integer argument in [min, max].
func Int[T any](min, max int64, f func(*T) *int) Entry[T] {
	return Entry[T]{H: func(c *Ctx, n *Node, t *T) {
		if v, ok := c.IntArg(n, 0, min, max); ok {
			*f(t) = int(v)
		} else if n.NArgs() > 0 {
			c.Errorf(n, "%s '%s' is invalid", n.Keyword(), n.Arg(0))
		}
	}}
}

// Flag is a keyword that sets a boolean, with an optional true/false word.
func Flag[T any](f func(*T) *bool) Entry[T] {
	return Entry[T]{H: func(c *Ctx, n *Node, t *T) {
		if v, ok := c.OptBoolArg(n, 0); ok {
			*f(t) = v
		}
	}}
}

// Str is a keyword with one string argument.
func Str[T any](f func(*T) *string) Entry[T] {
	return Entry[T]{H: func(c *Ctx, n *Node, t *T) {
		if c.NeedArgs(n, 1) {
			*f(t) = n.Arg(0)
		}
	}}
}

// Seconds is a keyword with a decimal number of seconds (6 fractional
// digits) in [min, max] microseconds, stored as microseconds.
func Seconds[T any](min, max int64, f func(*T) *int64) Entry[T] {
	return Entry[T]{H: func(c *Ctx, n *Node, t *T) {
		if v, ok := c.DecimalArg(n, 0, 6, min, max); ok {
			*f(t) = v
		} else if n.NArgs() > 0 {
			c.Errorf(n, "%s '%s' is invalid", n.Keyword(), n.Arg(0))
		}
	}}
}

// Alias marks e as a deprecated spelling of the keyword repl.
func Alias[T any](e Entry[T], repl string) Entry[T] {
	e.Alias = repl
	return e
}
