package config

import (
	"fmt"
	"strings"
)

// Token is one word of a configuration line after preprocessing.
type Token struct {
	// Text is the word with keepalived's quoting removed.
	Text string
	// Quoted is set when any part of the word was inside double quotes, so a
	// quoted "{" or "}" is text, not a brace.
	Quoted bool
}

// Line is one logical line after preprocessing (includes, conditionals,
// macros, sequences), split into tokens. Raw keeps the text the tokens came
// from, for keywords that want the line as written (scripts) and for quoting
// it back in diagnostics.
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
	// End is where the closing '}' was (zero if it was missing).
	End Pos
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

// Text returns the node's words joined by single spaces.
func (n *Node) Text() string { return strings.Join(n.Words(), " ") }

func isBrace(t Token, b string) bool { return !t.Quoted && t.Text == b }

// BuildTree groups preprocessed lines into statements and blocks. A
// statement runs to the end of its line, or to a '{' or '}' on it; a '{'
// opens a block for the statement before it, even from the next line.
func BuildTree(c *Ctx, lines []Line) []*Node {
	type frame struct {
		owner *Node
		nodes []*Node
	}
	stack := []frame{{}}
	var last *Node // statement that may still take a '{' on a later line
	for _, ln := range lines {
		toks := ln.Tokens
		for len(toks) > 0 {
			t := toks[0]
			switch {
			case isBrace(t, "{"):
				toks = toks[1:]
				if last == nil || last.HasBlock {
					c.add(Diagnostic{Pos: ln.Pos, Class: ClassUnexpectedBOB, Msg: "Unexpected '{' - ignoring", Quote: ln.Raw})
					continue
				}
				last.HasBlock = true
				stack = append(stack, frame{owner: last})
				last = nil
			case isBrace(t, "}"):
				toks = toks[1:]
				last = nil
				if len(stack) == 1 {
					c.add(Diagnostic{Pos: ln.Pos, Class: ClassUnexpectedEOB, Msg: "Extra '}' found", Quote: ln.Raw})
					continue
				}
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				f.owner.Block = f.nodes
				f.owner.End = ln.Pos
			default:
				j := 0
				for j < len(toks) && !isBrace(toks[j], "{") && !isBrace(toks[j], "}") {
					j++
				}
				n := &Node{Pos: ln.Pos, Raw: ln.Raw, Tokens: toks[:j:j]}
				top := &stack[len(stack)-1]
				top.nodes = append(top.nodes, n)
				last = n
				toks = toks[j:]
			}
		}
	}
	for len(stack) > 1 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		f.owner.Block = f.nodes
		c.add(Diagnostic{Pos: f.owner.Pos, Class: ClassMissingEOB, Msg: fmt.Sprintf("Missing '}' at end of configuration block for '%s'", f.owner.Keyword()), Quote: f.owner.Raw})
	}
	return stack[0].nodes
}
