package config

import (
	"fmt"
	"strings"
)

// Argument readers shared by every block. They reproduce keepalived
// 2.2.7's readers in lib/parser.c (read_int_strvec, read_unsigned_strvec,
// read_decimal_unsigned_strvec, check_true_false, and the "missing word"
// handler null_strvec), with their exact messages, checked against
// /usr/sbin/keepalived -t. Arguments are counted from 0 after the keyword
// (keepalived counts the keyword as word 0 and the first argument as 1).

// NeedArgs is what happens in keepalived when a handler reads argument k-1
// and the line has fewer than k arguments: it prints "*** Configuration
// line starting `KW` is missing a parameter after keyword `PREV` at word
// position N" and exits 2 at once (ClassAbort). Use it where keepalived
// reads the word without checking; where keepalived checks and prints a
// message of its own, test n.NArgs() and report that message instead.
func (c *Ctx) NeedArgs(n *Node, k int) bool {
	if n.NArgs() >= k {
		return true
	}
	c.Report(n, ClassAbort, missingWordMsg(n, n.NArgs()+1))
	return false
}

// missingWordMsg is null_strvec's text for word index idx of the line
// (0 is the keyword).
func missingWordMsg(n *Node, idx int) string {
	first := n.Keyword()
	if idx > 0 && idx-1 < len(n.Tokens) {
		return fmt.Sprintf("*** Configuration line starting `%s` is missing a parameter after keyword `%s` at word position %d", first, n.Tokens[idx-1].Text, idx+1)
	}
	return fmt.Sprintf("*** Configuration line starting `%s` is missing a parameter at word position %d", first, idx+1)
}

// cStrtoll parses like C's strtol/strtoll(s, &end, 10): leading
// whitespace, an optional sign, decimal digits. rest is what follows the
// number (all of s when there is none); overflow reports range and clamps.
func cStrtoll(s string) (v int64, rest string, overflow bool) {
	i := 0
	for i < len(s) && ppIsSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	d0 := i
	var u uint64
	for i < len(s) && ppIsDigit(s[i]) {
		if u <= 1<<63 {
			u = u*10 + uint64(s[i]-'0')
		}
		i++
	}
	if i == d0 {
		return 0, s, false
	}
	switch {
	case neg && u > 1<<63:
		return -1 << 63, s[i:], true
	case neg:
		return -int64(u), s[i:], false
	case u > 1<<63-1:
		return 1<<63 - 1, s[i:], true
	}
	return int64(u), s[i:], false
}

// IntArg parses argument i as keepalived's read_int_strvec: a signed
// decimal (C strtol, so leading blanks and '+' are accepted and an empty
// word reads as 0) that must fit an int and lie in [min, max].
func (c *Ctx) IntArg(n *Node, i int, min, max int64) (int64, bool) {
	if !c.NeedArgs(n, i+1) {
		return 0, false
	}
	s := n.Arg(i)
	v, rest, over := cStrtoll(s)
	switch {
	case rest != "":
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
	case over || v < -1<<31 || v > 1<<31-1:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside integer range", s))
	case v < min || v > max:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside range [%d, %d]", s, min, max))
	default:
		return v, true
	}
	return 0, false
}

// UintArg parses argument i as keepalived's read_unsigned_strvec: an
// unsigned decimal that must fit 32 bits and lie in [min, max]; a leading
// '-' is "negative number".
func (c *Ctx) UintArg(n *Node, i int, min, max uint64) (uint64, bool) {
	if !c.NeedArgs(n, i+1) {
		return 0, false
	}
	s := n.Arg(i)
	v, ok := c.ParseUint(n, s, min, max)
	return v, ok
}

// ParseUint checks s as keepalived's read_unsigned, reporting its
// messages at n.
func (c *Ctx) ParseUint(n *Node, s string, min, max uint64) (uint64, bool) {
	t := strings.TrimLeft(s, whiteSpace)
	if strings.HasPrefix(t, "-") {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("negative number '%s'", s))
		return 0, false
	}
	t = strings.TrimPrefix(t, "+")
	var v uint64
	over := false
	j := 0
	for j < len(t) && ppIsDigit(t[j]) {
		if v > (1<<64-1-9)/10 {
			over = true
		}
		v = v*10 + uint64(t[j]-'0')
		j++
	}
	switch {
	case j < len(t):
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
	case over || v > 1<<32-1:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside unsigned integer range", s))
	case v < min || v > max:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside range [%d, %d]", s, min, max))
	default:
		return v, true
	}
	return 0, false
}

// ParseDecimal parses s as a non-negative decimal with at most digits
// fractional digits and returns it scaled by 10^digits ("1.5", 6 →
// 1500000). It is strict (no rounding, no blanks, no sign); DecimalArg is
// keepalived's more forgiving reader.
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
		return fmt.Sprintf("%d", v)
	}
	scale := int64(1)
	for i := 0; i < digits; i++ {
		scale *= 10
	}
	return fmt.Sprintf("%d.%0*d", v/scale, digits, v%scale)
}

// ReadDecimal is keepalived's read_decimal_unsigned reader for s, scaled by
// 10^digits. Its quirks are keepalived's: more fractional digits than
// allowed is an error ("has too many decimal places") but the value is
// still used, rounded on the next digit; "", "." and ".5" are numbers;
// leading blanks and '+' pass (C strtoull).
func (c *Ctx) ReadDecimal(n *Node, s string, digits int, min, max int64) (int64, bool) {
	if strings.HasPrefix(s, "-") {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("negative number '%s'", s))
		return 0, false
	}
	intPart, frac, _ := strings.Cut(s, ".")
	roundUp := false
	if len(frac) > digits {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' has too many decimal places", s))
		roundUp = frac[digits] >= '5'
		frac = frac[:digits]
	}
	t := intPart + frac + strings.Repeat("0", digits-len(frac))
	t = strings.TrimLeft(t, whiteSpace)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	var v uint64
	over := false
	j := 0
	for j < len(t) && ppIsDigit(t[j]) {
		if v > (1<<64-1-9)/10 {
			over = true
		}
		v = v*10 + uint64(t[j]-'0')
		j++
	}
	if neg {
		v = -v
	}
	if roundUp {
		v++
	}
	switch {
	case j < len(t):
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
	case over:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside unsigned decimal range", s))
	case v < uint64(min) || v > uint64(max):
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside range [%s, %s]", s, FormatDecimal(min, digits), FormatDecimal(max, digits)))
	default:
		return int64(v), true
	}
	return 0, false
}

// DecimalArg parses argument i with ReadDecimal (keepalived's
// read_decimal_unsigned_strvec); min and max are scaled values, >= 0.
func (c *Ctx) DecimalArg(n *Node, i, digits int, min, max int64) (int64, bool) {
	if !c.NeedArgs(n, i+1) {
		return 0, false
	}
	return c.ReadDecimal(n, n.Arg(i), digits, min, max)
}

// ParseBool reads keepalived's true/false words (check_true_false): "true",
// "on", "yes" and "false", "off", "no", lower case only.
func ParseBool(s string) (v, ok bool) {
	switch s {
	case "true", "on", "yes":
		return true, true
	case "false", "off", "no":
		return false, true
	}
	return false, false
}

// OptBoolArg reads an optional true/false argument i; absent means true.
// keepalived's message for a bad word differs from keyword to keyword;
// this one follows its most common form.
func (c *Ctx) OptBoolArg(n *Node, i int) (bool, bool) {
	if n.NArgs() <= i {
		return true, true
	}
	v, ok := ParseBool(n.Arg(i))
	if !ok {
		c.Errorf(n, "Invalid value '%s' for %s specified", n.Arg(i), n.Keyword())
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
