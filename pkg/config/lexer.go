package config

// Tokenize splits one line into words: '#' and '!' start a comment outside
// quotes, '{' and '}' are words of their own, double quotes group words.
//
// FIRST CUT: the full lexer follows keepalived's escapes exactly.
func Tokenize(s string) []Token {
	var out []Token
	var cur []byte
	quoted, inWord, inQuote := false, false, false
	flush := func() {
		if inWord {
			out = append(out, Token{Text: string(cur), Quoted: quoted})
		}
		cur, quoted, inWord = cur[:0], false, false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case inQuote:
			if ch == '"' {
				inQuote = false
			} else {
				cur = append(cur, ch)
			}
		case ch == '"':
			inQuote, quoted, inWord = true, true, true
		case ch == '#' || ch == '!':
			flush()
			return out
		case ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v':
			flush()
		case ch == '{' || ch == '}':
			flush()
			out = append(out, Token{Text: string(ch)})
		default:
			cur = append(cur, ch)
			inWord = true
		}
	}
	flush()
	return out
}

// ScriptArgv splits the text after a script keyword (script, notify_*,
// misc_path, ...) into an argv, with keepalived's quoting and escapes.
// Scripts are never run through a shell.
//
// FIRST CUT: the words of the node.
func ScriptArgv(n *Node) []string { return n.Args() }
