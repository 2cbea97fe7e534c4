package config

import "strings"

// Token is one word of a configuration line after preprocessing.
type Token struct {
	// Text is the word with keepalived's quoting removed.
	Text string
	// Quoted is set when any part of the word was inside double quotes, so a
	// quoted "{" or "}" is text, not a brace.
	Quoted bool
}

// Line is one line as keepalived's keyword parser sees it, after
// preprocessing (includes, conditionals, macros, sequences, comments, and
// '{' / '}' split onto lines of their own), split into tokens. Raw is that
// text (keepalived's buf_extern, which script keywords re-parse with
// QuotedEscaped) and is quoted back in diagnostics.
type Line struct {
	Pos    Pos
	Raw    string
	Tokens []Token
}

// Node is one statement of the keyword tree: a keyword with its arguments
// and, when braces follow, the statements inside them.
type Node struct {
	Pos Pos
	// Tokens[0] is the keyword.
	Tokens []Token
	// Raw is the source text of the line the node starts on.
	Raw string
	// HasBlock is set when the keyword was followed by '{'.
	HasBlock bool
	Block    []*Node
	// Open is where the '{' was; End is where the closing '}' was (zero
	// if the file ended first).
	Open Pos
	End  Pos
}

// Keyword returns the node's first word.
func (n *Node) Keyword() string {
	if len(n.Tokens) == 0 {
		return ""
	}
	return n.Tokens[0].Text
}

// Args returns the words after the keyword.
func (n *Node) Args() []string {
	if len(n.Tokens) <= 1 {
		return nil
	}
	out := make([]string, len(n.Tokens)-1)
	for i, t := range n.Tokens[1:] {
		out[i] = t.Text
	}
	return out
}

// Arg returns argument i (0 is the first word after the keyword), or "".
func (n *Node) Arg(i int) string {
	if i+1 < len(n.Tokens) {
		return n.Tokens[i+1].Text
	}
	return ""
}

// NArgs is the number of words after the keyword.
func (n *Node) NArgs() int {
	if len(n.Tokens) == 0 {
		return 0
	}
	return len(n.Tokens) - 1
}

// Words returns all words of the node, keyword included.
func (n *Node) Words() []string {
	out := make([]string, len(n.Tokens))
	for i, t := range n.Tokens {
		out[i] = t.Text
	}
	return out
}

// blockEnd stands for the '}' closing n's block, where keepalived reports
// what it checks when a block ends; n itself when the file ended first.
func blockEnd(n *Node) *Node {
	if n.End.Line == 0 {
		return n
	}
	return &Node{Pos: n.End, Raw: "}", Tokens: closeTokens}
}

// closeTokens are the words of a '}' line, shared read-only by the nodes
// blockEnd makes (one per block end checked: thousands in a large file).
var closeTokens = []Token{{Text: "}"}}

// Text returns the node's words joined by single spaces.
func (n *Node) Text() string { return strings.Join(n.Words(), " ") }

// BuildTree groups preprocessed lines into statements and blocks. The
// lines come from Preprocess, which has already split every '{' and '}'
// onto a line of its own, as keepalived's read_line does. keepalived's
// keyword parser then works line by line (process_stream), and so does
// this:
//
//   - a line whose first word is '{' opens a block for the statement on the
//     line just before it (even if that statement came from an earlier
//     source line); with no such statement keepalived reports an
//     unexpected '{' and reads on at the same level;
//   - a line whose first word is '}' closes the innermost open block; at
//     the top level keepalived looks it up as a keyword ("Unknown keyword
//     '}'"; Preprocess has already said "Extra '}' found");
//   - blocks still open at the end are closed silently (Preprocess reports
//     the count of missing '}'s).
//
// keepalived compares the first word after removing quotes, so a quoted
// "{" acts as a brace here too. Whether a keyword takes a block at all is
// the keyword tables' business (see Apply): here every statement followed
// by '{' gets one.
func BuildTree(c *Ctx, lines []Line) []*Node {
	// The statements of the blocks still open sit in one stack, pending,
	// each block's after its parent's; a closing '}' moves the innermost
	// block's statements into a slice cut from a shared slab. A large file
	// has a block per few lines, and a slice grown per block was the
	// tree's largest source of allocations.
	type frame struct {
		owner *Node
		start int // where the block's statements begin in pending
	}
	stack := []frame{{}}
	var pending []*Node
	var last *Node     // the statement just before, which may take a '{'
	var slab []Node    // nodes are allocated in chunks
	var blocks []*Node // closed blocks' statement lists, in chunks
	closeBlock := func(f frame) {
		kids := pending[f.start:]
		pending = pending[:f.start]
		if len(kids) == 0 {
			return
		}
		if len(blocks)+len(kids) > cap(blocks) {
			blocks = make([]*Node, 0, max(len(kids), min(len(lines), 4096)))
		}
		k := len(blocks)
		blocks = append(blocks, kids...)
		// A full slice expression, so that appending to one block's list
		// can never write into the next one's.
		f.owner.Block = blocks[k:len(blocks):len(blocks)]
	}
	brace := func(ln Line, b string) {
		switch b {
		case "{":
			if last == nil {
				c.add(Diagnostic{Pos: ln.Pos, Class: ClassUnexpectedBOB, Msg: "Unexpected '{' - ignoring", Quote: ln.Raw})
			} else {
				last.HasBlock = true
				last.Open = ln.Pos
				stack = append(stack, frame{owner: last, start: len(pending)})
			}
		case "}":
			if len(stack) == 1 {
				c.add(Diagnostic{Pos: ln.Pos, Class: ClassUnknownKeyword, Msg: "Unknown keyword '}'", Quote: ln.Raw})
				break
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			closeBlock(f)
			f.owner.End = ln.Pos
		}
		last = nil
	}
	for _, ln := range lines {
		toks := ln.Tokens
		if len(toks) == 0 {
			continue
		}
		if t := toks[0].Text; t == "{" || t == "}" {
			// Whatever follows a brace on a Preprocess line was split off
			// already; a quoted brace counts too, as in keepalived.
			brace(ln, t)
			continue
		}
		// Lines built by hand (Tokenize) may still hold braces.
		for len(toks) > 0 {
			if isBrace(toks[0], "{") || isBrace(toks[0], "}") {
				brace(ln, toks[0].Text)
				toks = toks[1:]
				continue
			}
			j := 1
			for j < len(toks) && !isBrace(toks[j], "{") && !isBrace(toks[j], "}") {
				j++
			}
			if len(slab) == cap(slab) {
				slab = make([]Node, 0, min(len(lines)+1, 4096))
			}
			slab = append(slab, Node{Pos: ln.Pos, Raw: ln.Raw, Tokens: toks[:j:j]})
			n := &slab[len(slab)-1]
			pending = append(pending, n)
			last = n
			toks = toks[j:]
		}
	}
	for len(stack) > 1 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		closeBlock(f)
	}
	return pending[:len(pending):len(pending)]
}

func isBrace(t Token, b string) bool { return !t.Quoted && t.Text == b }
