package config

import (
	"fmt"
	"strings"
)

// The three word splitters of keepalived 2.2.7, each reproduced byte for
// byte because operators depend on their quirks:
//
//   - decomment: strips comments and surrounding blanks from a raw line
//     (read before anything else happens to the line);
//   - Tokenize: splits a finished line into words for keyword dispatch
//     (keepalived's alloc_strvec: whitespace and double quotes only, no
//     escapes);
//   - QuotedEscaped: the shell-like splitter keepalived uses for script
//     command lines (alloc_strvec_quoted_escaped: " and ' quotes, backslash
//     escapes), behind ScriptParams and NotifyCommand.

// whiteSpace is keepalived's WHITE_SPACE set.
const whiteSpace = " \t\f\n\r\v"

func lexIsWhite(b byte) bool { return strings.IndexByte(whiteSpace, b) >= 0 }

// lexIsBlank is C's isblank in the C locale.
func lexIsBlank(b byte) bool { return b == ' ' || b == '\t' }

// decomment removes a comment ('#' or '!' outside double quotes), the
// backslash of "\#" and "\!" outside quotes, leading blanks and trailing
// blanks. A backslash ending the line is kept (blanks before it removed):
// keepalived uses it for multi-line $definitions, and leaves it in the text
// of any other line. When the double quotes before the comment are
// unbalanced it also returns keepalived's "Unterminated quote" message,
// which quotes the line as it is at that point (leading blanks and escapes
// removed, comment still there, final backslash gone).
func decomment(s string) (out, unterminated string) {
	s = strings.TrimLeft(s, " \t")
	if strings.IndexAny(s, "!#\"\\") < 0 {
		return strings.TrimRight(s, " \t"), ""
	}
	b := []byte(s)
	quote, cont := false, false
	skip := -1
scan:
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			if skip < 0 {
				quote = !quote
			}
		case '\\':
			if i+1 < len(b) {
				if !quote && (b[i+1] == '#' || b[i+1] == '!') {
					// Drop the backslash; the comment character stays as text.
					b = append(b[:i], b[i+1:]...)
				} else {
					i++
				}
				continue
			}
			// A backslash ending the line, even inside a comment, survives.
			b = b[:i]
			cont = true
			break scan
		case '!', '#':
			if !quote && skip < 0 {
				skip = i
			}
		}
	}
	if quote {
		unterminated = fmt.Sprintf("Unterminated quote '%s'", b)
	}
	if skip >= 0 {
		b = b[:skip]
	}
	for len(b) > 0 && lexIsBlank(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	if cont {
		b = append(b, '\\')
	}
	return string(b), unterminated
}

// Tokenize splits one line of configuration text into words the way
// keepalived reads a line that needs no preprocessing: the comment is
// removed (decomment), every '{' and '}' outside double quotes becomes a
// word of its own (read_line), and the rest is split as alloc_strvec does:
// words are separated by whitespace; a word that starts with a double quote
// runs to the next double quote (no escapes) and loses its quotes (Quoted
// is set); any other word stops at whitespace or at a double quote, so
// abc"d e" is the two words abc and "d e". An unmatched quote ends the
// line. Macros, conditionals and includes need Preprocess.
func Tokenize(s string) []Token {
	line, _ := decomment(s)
	var out []Token
	for n := 0; line != "" && n < len(s)+1; n++ {
		head, rest := splitFirstBrace(line)
		t, _ := tokenize(head)
		out = append(out, t...)
		line = rest
	}
	return out
}

// tokenize is keepalived's alloc_strvec on a finished line; unmatched is
// set when a double quote has no partner (keepalived's "Unmatched quote").
func tokenize(s string) (toks []Token, unmatched bool) {
	return tokenizeInto(nil, s)
}

// tokenizeInto appends the words of s to toks.
func tokenizeInto(toks []Token, s string) (_ []Token, unmatched bool) {
	i := 0
	for {
		for i < len(s) && lexIsWhite(s[i]) {
			i++
		}
		if i >= len(s) {
			return toks, false
		}
		if s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return toks, true
			}
			toks = append(toks, Token{Text: s[i+1 : i+1+end], Quoted: true})
			i += end + 2
			continue
		}
		j := i
		for j < len(s) && !lexIsWhite(s[j]) && s[j] != '"' {
			j++
		}
		toks = append(toks, Token{Text: s[i:j]})
		i = j
	}
}

// unmatchedQuoteMsg is keepalived's alloc_strvec error text.
func unmatchedQuoteMsg(line string) string {
	return fmt.Sprintf("Unmatched quote: '%s'", line)
}

// QuoteError is returned by QuotedEscaped for text keepalived refuses.
type QuoteError struct {
	// Class is the diagnostic class keepalived uses (ClassInfo when it only
	// logs the problem).
	Class Class
	Msg   string
}

func (e *QuoteError) Error() string { return e.Msg }

// QuotedEscaped splits s the way keepalived splits script command lines
// (alloc_strvec_quoted_escaped): whitespace separates words; "..." and
// '...' group (quotes removed, whitespace kept); a backslash escapes the
// next character, inside or outside quotes, with the C escapes \a \b \E \f
// \n \r \t \v, \nnn (octal, up to 3 digits), \xHH... (any number of hex
// digits, the last two count) and \cC (control character). A missing
// closing quote or a backslash at the very end makes the whole text
// invalid, as in keepalived.
func QuotedEscaped(s string) ([]string, error) {
	var words []string
	i := 0
	var quote byte
	for i < len(s) {
		for i < len(s) && lexIsWhite(s[i]) {
			i++
		}
		if i >= len(s) {
			break
		}
		var w []byte
	word:
		for i < len(s) {
			ch := s[i]
			switch {
			case ch == '\\':
				i++
				if i >= len(s) {
					return nil, &QuoteError{Class: ClassInfo, Msg: fmt.Sprintf("Missing escape char at end: '%s'", s)}
				}
				var out byte
				out, i = lexUnescape(s, i)
				w = append(w, out)
			case quote != 0:
				if ch == quote {
					quote = 0
				} else {
					w = append(w, ch)
				}
				i++
			case ch == '"' || ch == '\'':
				quote = ch
				i++
			case lexIsWhite(ch):
				break word
			default:
				w = append(w, ch)
				i++
			}
		}
		if quote != 0 {
			return nil, &QuoteError{Class: ClassUnmatchedQuote, Msg: fmt.Sprintf("String '%s': missing terminating %c", s, quote)}
		}
		words = append(words, string(w))
	}
	return words, nil
}

func lexIsOctal(b byte) bool { return b >= '0' && b <= '7' }

func lexHexDigit(b byte) (byte, bool) {
	switch {
	case b >= '0' && b <= '9':
		return b - '0', true
	case b >= 'a' && b <= 'f':
		return b - 'a' + 10, true
	case b >= 'A' && b <= 'F':
		return b - 'A' + 10, true
	}
	return 0, false
}

// lexUnescape decodes the escape whose first character (after the backslash)
// is s[i]; it returns the byte and the index after the escape.
func lexUnescape(s string, i int) (byte, int) {
	ch := s[i]
	switch {
	case ch == 'x' && i+1 < len(s):
		if _, ok := lexHexDigit(s[i+1]); ok {
			var v byte
			i++
			for i < len(s) {
				h, ok := lexHexDigit(s[i])
				if !ok {
					break
				}
				v = v<<4 | h // a char keeps the last two digits, as in C
				i++
			}
			return v, i
		}
	case ch == 'c' && i+1 < len(s):
		return s[i+1] & 0x1f, i + 2
	case lexIsOctal(ch):
		v := ch - '0'
		i++
		for k := 0; k < 2 && i < len(s) && lexIsOctal(s[i]); k++ {
			v = v<<3 + (s[i] - '0')
			i++
		}
		return v, i
	}
	switch ch {
	case 'a':
		ch = '\a'
	case 'b':
		ch = '\b'
	case 'E':
		ch = 0x1b
	case 'f':
		ch = '\f'
	case 'n':
		ch = '\n'
	case 'r':
		ch = '\r'
	case 't':
		ch = '\t'
	case 'v':
		ch = '\v'
	}
	return ch, i + 1
}

// Script command lines. Every keyword that names a program (vrrp_script's
// script, MISC_CHECK's misc_path, the notify_* family, notify_up/down,
// quorum_up/down, notify_fifo_script, startup_script, shutdown_script)
// goes through the same two steps in keepalived 2.2.7: the statement line
// is read again with QuotedEscaped, and its word 1, the command line, is
// split again with QuotedEscaped into the argv (set_script_params_array).
// So
//
//	notify_master "/etc/keepalived/notify.sh master"   → [/etc/keepalived/notify.sh master]
//	notify_master /etc/keepalived/notify.sh master     → [/etc/keepalived/notify.sh]
//	notify_master '/bin/echo a' root                   → [/bin/echo a], user root
//
// Scripts are never run through a shell. The keywords differ in what
// follows (the two variants below): the notify family takes the user and
// group to run as from words 2 and 3 and drops a script it cannot parse;
// script and misc_path take no user there and, when the statement itself
// cannot be parsed, keepalived 2.2.7 crashes.

// scriptLine is one script statement read again as keepalived does. words
// is the statement (nil when lineErr says it could not be parsed); argv is
// its command line split into words, nil when there is none or when
// argvErr says it could not be parsed.
type scriptLine struct {
	words, argv      []string
	lineErr, argvErr error
}

func splitScriptLine(raw string) scriptLine {
	var l scriptLine
	if l.words, l.lineErr = QuotedEscaped(raw); l.lineErr != nil || len(l.words) < 2 {
		return l
	}
	if l.argv, l.argvErr = QuotedEscaped(l.words[1]); len(l.argv) == 0 {
		l.argv = nil
	}
	return l
}

// ScriptArgv returns the argv keepalived would execute for a script
// statement, or nil when it has none or could not parse it. It reports
// nothing: tools use it on statements already checked.
func ScriptArgv(n *Node) []string { return splitScriptLine(n.Raw).argv }

// reportQuote reports a QuotedEscaped error with keepalived's message and
// class.
func (c *Ctx) reportQuote(n *Node, err error) {
	if qe, ok := err.(*QuoteError); ok {
		c.Report(n, qe.Class, qe.Msg)
	}
}

// ScriptParams reads the command of vrrp_script's script and MISC_CHECK's
// misc_path: argv, nil when the line names none (the block's end then says
// so). A statement keepalived cannot parse at all makes keepalived 2.2.7
// crash; we report its message and stop with its exit status for a
// program error.
func (c *Ctx) ScriptParams(n *Node) []string {
	l := splitScriptLine(n.Raw)
	if l.lineErr != nil {
		c.reportQuote(n, l.lineErr)
		c.ReportHint(n, ClassAbort, fmt.Sprintf("%s line could not be parsed - keepalived 2.2.7 stops here", n.Keyword()),
			"check the quotes and backslashes of the command")
		return nil
	}
	if l.argvErr != nil {
		c.reportQuote(n, l.argvErr)
	}
	return l.argv
}

// NotifyCommand reads a notify-style script statement as keepalived's
// notify_script_init: the argv and the optional user and group words after
// the command. ok is false when keepalived drops the script for its
// syntax (it only logs why; a missing command is its missing-word abort).
// Whether the user and group exist is the caller's business.
func (c *Ctx) NotifyCommand(n *Node) (argv []string, user, group string, ok bool) {
	l := splitScriptLine(n.Raw)
	switch {
	case l.lineErr != nil:
		c.reportQuote(n, l.lineErr)
		c.Infof(n, "Unable to parse notify script")
		return nil, "", "", false
	case len(l.words) < 2:
		c.Report(n, ClassAbort, missingWordMsg(n, 1))
		return nil, "", "", false
	case l.argv == nil:
		if l.argvErr != nil {
			c.reportQuote(n, l.argvErr)
		}
		c.Infof(n, "Unable to parse script '%s' - ignoring", l.words[1])
		return nil, "", "", false
	}
	if len(l.words) > 2 {
		user = l.words[2]
	}
	if len(l.words) > 3 {
		group = l.words[3]
	}
	return l.argv, user, group, true
}

// CmdStr renders argv as keepalived's cmd_str quotes commands in its
// messages: each word in single quotes, except a first word that is only a
// redirection ("<file", a bash test for a file's existence).
func CmdStr(argv []string) string {
	var b strings.Builder
	for i, a := range argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == 0 && (strings.HasPrefix(a, "<") || strings.HasPrefix(a, ">")) {
			b.WriteString(a)
			continue
		}
		b.WriteString("'" + a + "'")
	}
	return b.String()
}
