package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The argument readers every keyword file uses. There is one function per
// reader of keepalived 2.2.7 (lib/parser.c), because each has its own
// accepted forms and its own messages, and `keepalived -t` verdicts depend
// on both:
//
//	strvec_slot of a missing word (null_strvec)  Word, NeedArgs
//	read_int / read_int_strvec                   ReadInt, IntArg
//	read_unsigned / read_unsigned_strvec         ReadUnsigned, UintArg
//	read_unsigned_base_strvec                    ReadUnsignedBase, UintBaseArg
//	read_unsigned64 / read_unsigned64_strvec     ReadUnsigned64, Uint64Arg
//	read_decimal_unsigned(_strvec)               ReadDecimal, DecimalArg
//	read_timer                                   TimerArg
//	check_true_false                             ParseBool, OptBool
//
// The *Arg forms take the argument index counted from 0 after the keyword
// (keepalived counts the keyword as word 0); reading an argument the line
// does not have is keepalived's abort, as strvec_slot does.
//
// keepalived's readers take an ignore_error flag. With -t (the mode whose
// verdicts we reproduce) the integer readers ignore it; the decimal reader
// does not, so ReadDecimal, DecimalArg and TimerArg take it from the call
// site.

// Limits of keepalived's C types (UINT_MAX, INT_MAX, INT_MIN), for the
// readers' ranges.
const (
	uintMax32 = 1<<32 - 1
	intMax32  = 1<<31 - 1
	intMin32  = -1 << 31
)

// NeedArgs is strvec_slot reading argument k-1 of a line with fewer than k
// arguments: keepalived prints "*** Configuration line starting `KW` is
// missing a parameter after keyword `PREV` at word position N" and exits 2
// at once (ClassAbort); we report it and go on. Use it where keepalived
// reads the word without checking; where keepalived checks and prints a
// message of its own, test n.NArgs() and report that message instead.
func (c *Ctx) NeedArgs(n *Node, k int) bool {
	if n.NArgs() >= k {
		return true
	}
	c.Report(n, ClassAbort, missingWordMsg(n, n.NArgs()+1))
	return false
}

// Word returns word idx of the line (0 is the keyword), reporting the
// missing-word abort when the line is shorter.
func (c *Ctx) Word(n *Node, idx int) (string, bool) {
	if idx < len(n.Tokens) {
		return n.Tokens[idx].Text, true
	}
	c.Report(n, ClassAbort, missingWordMsg(n, idx))
	return "", false
}

// missingWordMsg is null_strvec's text for word index idx of the line (0
// is the keyword): it names the word before the missing one only when that
// word ends the line.
func missingWordMsg(n *Node, idx int) string {
	first := n.Keyword()
	if idx > 0 && idx-1 < len(n.Tokens) {
		return fmt.Sprintf("*** Configuration line starting `%s` is missing a parameter after keyword `%s` at word position %d", first, n.Tokens[idx-1].Text, idx+1)
	}
	return fmt.Sprintf("*** Configuration line starting `%s` is missing a parameter at word position %d", first, idx+1)
}

// cNumber scans what C's strtol family reads from s in base (10, 16, or 0
// for C's prefixes): leading white space, an optional sign, an optional 0x
// (bases 16 and 0; base 0 reads a leading 0 as octal), then digits. u is
// the magnitude, saturated at 2^64-1 with over set when it does not fit;
// rest is what follows the number, or all of s when there is no number (C
// leaves the end pointer at the start then).
func cNumber(s string, base int) (neg bool, u uint64, over bool, rest string) {
	i := 0
	for i < len(s) && lexIsWhite(s[i]) {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	hexPrefix := i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && cDigit(s[i+2], 16) >= 0
	switch {
	case (base == 16 || base == 0) && hexPrefix:
		base = 16
		i += 2
	case base == 0 && i < len(s) && s[i] == '0':
		base = 8
	case base == 0:
		base = 10
	}
	d0 := i
	for ; i < len(s); i++ {
		d := cDigit(s[i], base)
		if d < 0 {
			break
		}
		if !over {
			if u > (1<<64-1-uint64(d))/uint64(base) {
				over, u = true, 1<<64-1
			} else {
				u = u*uint64(base) + uint64(d)
			}
		}
	}
	if i == d0 {
		return false, 0, false, s
	}
	return neg, u, over, s[i:]
}

// cDigit is the value of ch as a digit of base, or -1.
func cDigit(ch byte, base int) int {
	d := 99
	switch {
	case ch >= '0' && ch <= '9':
		d = int(ch - '0')
	case ch >= 'a' && ch <= 'z':
		d = int(ch-'a') + 10
	case ch >= 'A' && ch <= 'Z':
		d = int(ch-'A') + 10
	}
	if d >= base {
		return -1
	}
	return d
}

// cStrtoll is C's strtol on a 64-bit long: out-of-range values clamp and
// set overflow.
func cStrtoll(s string, base int) (v int64, rest string, overflow bool) {
	neg, u, over, rest := cNumber(s, base)
	switch {
	case neg && (over || u > 1<<63):
		return -1 << 63, rest, true
	case neg:
		return -int64(u), rest, false
	case over || u > 1<<63-1:
		return 1<<63 - 1, rest, true
	}
	return int64(u), rest, false
}

// cStrtoul is C's strtoul/strtoull on 64 bits: a '-' negates modulo 2^64,
// out-of-range values clamp to the maximum and set overflow.
func cStrtoul(s string, base int) (v uint64, rest string, overflow bool) {
	neg, u, over, rest := cNumber(s, base)
	if over {
		return 1<<64 - 1, rest, true
	}
	if neg {
		u = -u
	}
	return u, rest, false
}

// parseUintC is strconv.ParseUint for words keepalived reads with strtoul
// itself and checks to the end: base 0 means C's prefixes (0x, and a
// leading 0 for octal) and not Go's other forms (0b, 0o, '_'), which
// strtoul stops at.
func parseUintC(s string, base, bits int) (uint64, error) {
	if base == 0 {
		t := strings.TrimLeft(s, "+-")
		if strings.Contains(t, "_") || len(t) > 1 && t[0] == '0' && strings.IndexByte("bBoO", t[1]) >= 0 {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseUint(s, base, bits)
}

// ReadInt is keepalived's read_int: a signed decimal (C strtol, so leading
// blanks and '+' pass and an empty word reads as 0) that fits a C int and
// lies in [min, max].
func (c *Ctx) ReadInt(n *Node, s string, min, max int64) (int64, bool) {
	v, rest, over := cStrtoll(s, 10)
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

// IntArg is read_int_strvec: ReadInt on argument i.
func (c *Ctx) IntArg(n *Node, i int, min, max int64) (int64, bool) {
	s, ok := c.Word(n, i+1)
	if !ok {
		return 0, false
	}
	return c.ReadInt(n, s, min, max)
}

// ReadUnsigned is keepalived's read_unsigned: a decimal that fits 32 bits
// and lies in [min, max]; a '-' after any leading blanks is "negative
// number", and as with strtoul an empty word reads as 0.
func (c *Ctx) ReadUnsigned(n *Node, s string, min, max uint64) (uint64, bool) {
	return c.ReadUnsignedBase(n, s, 10, min, max)
}

// ReadUnsignedBase is ReadUnsigned in another base of strtoul (0 accepts
// the 0x and 0 prefixes).
func (c *Ctx) ReadUnsignedBase(n *Node, s string, base int, min, max uint64) (uint64, bool) {
	t := strings.TrimLeft(s, whiteSpace)
	v, rest, over := cStrtoul(t, base)
	switch {
	case strings.HasPrefix(t, "-"):
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("negative number '%s'", s))
	case rest != "":
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

// UintArg is read_unsigned_strvec: ReadUnsigned on argument i.
func (c *Ctx) UintArg(n *Node, i int, min, max uint64) (uint64, bool) {
	return c.UintBaseArg(n, i, 10, min, max)
}

// UintBaseArg is read_unsigned_base_strvec: ReadUnsignedBase on argument i.
func (c *Ctx) UintBaseArg(n *Node, i, base int, min, max uint64) (uint64, bool) {
	s, ok := c.Word(n, i+1)
	if !ok {
		return 0, false
	}
	return c.ReadUnsignedBase(n, s, base, min, max)
}

// ReadUnsigned64 is keepalived's read_unsigned64: ReadUnsigned over the
// full 64 bits, with its own overflow message. (keepalived 2.2.7 then keeps
// only the low 32 bits through a cast; no message depends on that, and the
// kernel takes the 64-bit value, so we keep the number as written.)
func (c *Ctx) ReadUnsigned64(n *Node, s string, min, max uint64) (uint64, bool) {
	t := strings.TrimLeft(s, whiteSpace)
	v, rest, over := cStrtoul(t, 10)
	switch {
	case strings.HasPrefix(t, "-"):
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("negative number '%s'", s))
	case rest != "":
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
	case over:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside unsigned 64 bit range", s))
	case v < min || v > max:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside range [%d, %d]", s, min, max))
	default:
		return v, true
	}
	return 0, false
}

// Uint64Arg is read_unsigned64_strvec: ReadUnsigned64 on argument i.
func (c *Ctx) Uint64Arg(n *Node, i int, min, max uint64) (uint64, bool) {
	s, ok := c.Word(n, i+1)
	if !ok {
		return 0, false
	}
	return c.ReadUnsigned64(n, s, min, max)
}

// ReadDecimal is keepalived's read_decimal_unsigned: s with up to digits
// fractional digits, returned scaled by 10^digits and checked against
// [min, max] (scaled). keepalived removes the '.', pads with zeros and
// reads the result with strtoull, and its quirks are kept because they
// decide verdicts:
//   - only a '-' in the very first place is "negative number";
//   - more fractional digits than allowed is an error ("has too many
//     decimal places") but the value is still used, rounded on the next
//     digit, and anything after that digit is dropped unread;
//   - "", "." and ".5" are numbers;
//   - with junk after the number ("1.5x", "1e3") it reports "invalid
//     number"; the value is then what strtoull read of the padded text
//     ("1.5x" is 15 units, not 1.5), and with ignoreErr that value is
//     accepted when it is in range, without a range message.
func (c *Ctx) ReadDecimal(n *Node, s string, digits int, min, max uint64, ignoreErr bool) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("negative number '%s'", s))
		return 0, false
	}
	if v, ok := plainDecimal(s, digits); ok && v >= min && v <= max {
		return v, true
	}
	var b strings.Builder
	b.Grow(len(s) + digits)
	places := 0
	roundUp := false
	if dp := strings.IndexByte(s, '.'); dp >= 0 {
		frac := s[dp+1:]
		if len(frac) > digits {
			c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' has too many decimal places", s))
			roundUp = frac[digits] >= '5'
			frac = frac[:digits]
		}
		b.WriteString(s[:dp])
		b.WriteString(frac)
		places = len(frac)
	} else {
		b.WriteString(s)
	}
	for ; places < digits; places++ {
		b.WriteByte('0')
	}
	v, rest, over := cStrtoul(b.String(), 10)
	if roundUp {
		v++
	}
	inRange := v >= min && v <= max
	switch {
	case rest != "":
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
		if ignoreErr && inRange {
			return v, true
		}
	case over:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside unsigned decimal range", s))
	case !inRange:
		c.Report(n, ClassInvalidNumber, fmt.Sprintf("number '%s' outside range [%s, %s]", s, formatDecimal(min, digits), formatDecimal(max, digits)))
	default:
		return v, true
	}
	return 0, false
}

// plainDecimal reads the common form of a decimal, digits with at most one
// '.' and at most digits places and nothing else, scaled by 10^digits,
// without building the padded text. ok is false for any other form
// (ReadDecimal's general path handles those) and on overflow.
func plainDecimal(s string, digits int) (v uint64, ok bool) {
	places, seenDot := 0, false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '.' && !seenDot:
			seenDot = true
			continue
		case ch < '0' || ch > '9':
			return 0, false
		case seenDot:
			if places++; places > digits {
				return 0, false
			}
		}
		d := uint64(ch - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	for ; places < digits; places++ {
		if v > (1<<64-1)/10 {
			return 0, false
		}
		v *= 10
	}
	return v, true
}

// DecimalArg is read_decimal_unsigned_strvec: ReadDecimal on argument i.
func (c *Ctx) DecimalArg(n *Node, i, digits int, min, max uint64, ignoreErr bool) (uint64, bool) {
	s, ok := c.Word(n, i+1)
	if !ok {
		return 0, false
	}
	return c.ReadDecimal(n, s, digits, min, max, ignoreErr)
}

// timerMaximum is keepalived's TIMER_MAXIMUM (ULONG_MAX - 1 µs), which
// read_timer uses when a handler gives 0 as the maximum.
const timerMaximum = 1<<64 - 2

// TimerArg is keepalived's read_timer: argument i as seconds with up to six
// decimals, in microseconds within [min, max] (max 0 means no limit).
func (c *Ctx) TimerArg(n *Node, i int, min, max uint64, ignoreErr bool) (uint64, bool) {
	if max == 0 {
		max = timerMaximum
	}
	return c.DecimalArg(n, i, 6, min, max, ignoreErr)
}

// Micros converts a microsecond count from TimerArg or DecimalArg(…, 6, …)
// to a Duration, saturating past what a Duration holds (292 years).
func Micros(v uint64) time.Duration {
	if v > 1<<63/1000-1 {
		return time.Duration(1<<63 - 1)
	}
	return time.Duration(v) * time.Microsecond
}

// formatDecimal renders a scaled value as keepalived prints the limits of
// a decimal range ("%lu.%*.*lu"): with no fractional digits C prints the
// integer, a '.', and nothing for a zero remainder ("960000.").
func formatDecimal(v uint64, digits int) string {
	scale := uint64(1)
	for i := 0; i < digits; i++ {
		scale *= 10
	}
	if digits == 0 {
		return fmt.Sprintf("%d.", v)
	}
	return fmt.Sprintf("%d.%0*d", v/scale, digits, v%scale)
}

// ParseBool is keepalived's check_true_false: "true", "on", "yes" and
// "false", "off", "no", lower case only.
func ParseBool(s string) (v, ok bool) {
	switch s {
	case "true", "on", "yes":
		return true, true
	case "false", "off", "no":
		return false, true
	}
	return false, false
}

// OptBool reads the optional true/false word most switches take: no word
// means true; a word check_true_false refuses is a general error with the
// handler's own text, bad(word).
func (c *Ctx) OptBool(n *Node, bad func(word string) string) (bool, bool) {
	if n.NArgs() < 1 {
		return true, true
	}
	v, ok := ParseBool(n.Arg(0))
	if !ok {
		c.ReportHint(n, ClassGeneral, bad(n.Arg(0)), "use true/false, on/off or yes/no")
	}
	return v, ok
}

// Alias marks e as a deprecated spelling of the keyword repl.
func Alias[T any](e Entry[T], repl string) Entry[T] {
	e.Alias = repl
	return e
}
