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
//     escapes), behind ScriptArgv.

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

// ScriptArgv splits the command of a script keyword (script, notify_master,
// misc_path, ...) into the argv keepalived would execute. keepalived parses
// the whole statement line with QuotedEscaped; its second word is the
// command line, which it splits again with QuotedEscaped. So
//
//	notify_master "/etc/keepalived/notify.sh master"   → [/etc/keepalived/notify.sh master]
//	notify_master /etc/keepalived/notify.sh master     → [/etc/keepalived/notify.sh]
//
// (in the second form "master" is the user the script runs as; see
// ScriptCommand). Scripts are never run through a shell. It returns nil
// when keepalived could not parse the line ("Unable to parse script").
func ScriptArgv(n *Node) []string {
	argv, _, _, err := scriptCommand(n)
	if err != nil {
		return nil
	}
	return argv
}

// ScriptCommand is ScriptArgv that also returns the optional user and
// group words after the command and reports keepalived's diagnostic when
// the quoting is broken.
func (c *Ctx) ScriptCommand(n *Node) (argv []string, user, group string, ok bool) {
	argv, user, group, err := scriptCommand(n)
	if err != nil {
		if qe, isQE := err.(*QuoteError); isQE {
			c.Report(n, qe.Class, qe.Msg)
		}
		return nil, "", "", false
	}
	return argv, user, group, true
}

func scriptCommand(n *Node) (argv []string, user, group string, err error) {
	words, err := QuotedEscaped(n.Raw)
	if err != nil {
		return nil, "", "", err
	}
	if len(words) < 2 {
		return nil, "", "", &QuoteError{Class: ClassInfo, Msg: "Unable to parse notify script"}
	}
	argv, err = QuotedEscaped(words[1])
	if err != nil {
		return nil, "", "", err
	}
	if len(argv) == 0 {
		return nil, "", "", &QuoteError{Class: ClassInfo, Msg: fmt.Sprintf("Unable to parse script '%s' - ignoring", words[1])}
	}
	if len(words) > 2 {
		user = words[2]
	}
	if len(words) > 3 {
		group = words[3]
	}
	return argv, user, group, nil
}
