package config

import (
	"fmt"
	"sort"
)

// Handler applies one keyword statement to the value being built.
type Handler[T any] func(c *Ctx, n *Node, t *T)

// Entry describes one keyword of a block.
type Entry[T any] struct {
	// H handles the statement (its arguments and, for blocks, n.Block).
	H Handler[T]
	// Block is set when the keyword opens a '{' block. keepalived reports a
	// block keyword without '{' and a plain keyword followed by '{'.
	Block bool
	// Alias names the current keyword when this one is a deprecated spelling
	// keepalived still accepts; the engine logs keepalived's warning.
	Alias string
	// Quiet suppresses the deprecation warning (aliases keepalived accepts
	// silently).
	Quiet bool
}

// Table is the set of keywords valid inside one kind of block.
type Table[T any] struct {
	Name    string
	Entries map[string]Entry[T]
	names   []string
}

// allKeywords maps every keyword of every table to the blocks that accept it,
// so an unknown keyword can be pointed at the block it belongs to.
var allKeywords = map[string][]string{}

// NewTable registers a keyword table for the block called name.
func NewTable[T any](name string, entries map[string]Entry[T]) *Table[T] {
	t := &Table[T]{Name: name, Entries: entries}
	for k := range entries {
		t.names = append(t.names, k)
		allKeywords[k] = append(allKeywords[k], name)
	}
	sort.Strings(t.names)
	return t
}

// Names returns the table's keywords, sorted.
func (t *Table[T]) Names() []string { return t.names }

// Apply runs each statement of nodes through the table, in order.
//
// A '{' that keepalived does not expect (after an unknown keyword, or after
// a keyword that takes no block) is ignored by keepalived: it reads the
// block's statements at the current level, and the block's '}' then closes
// the *current* block, so what followed moves up one level and the current
// block's own '}' becomes a stray one further up. We reproduce that, because
// it decides which keywords are later reported unknown (keepalived 2.2.7,
// checked with -t). The statements that move up are left in c.spill for the
// enclosing Apply.
func Apply[T any](c *Ctx, nodes []*Node, tbl *Table[T], v *T) {
	queue := nodes
	for i := 0; i < len(queue); i++ {
		n := queue[i]
		if c.strays[n] {
			if c.depth == 0 {
				// At the top level a stray '}' is just an unknown keyword.
				c.Report(n, ClassUnknownKeyword, "Unknown keyword '}'")
				continue
			}
			// It closes this level: the rest belongs to the enclosing one.
			c.spill = append(append([]*Node(nil), queue[i+1:]...), c.spill...)
			c.closedEarly = true
			return
		}
		e, known := tbl.Entries[n.Keyword()]
		if n.HasBlock && (!known || !e.Block) {
			// keepalived reads the keyword line first and the '{' after
			// it, as a line of its own.
			if known {
				runEntry(c, n, e, v)
			} else {
				c.unknownKeyword(n, tbl.Name, tbl.names)
			}
			c.unexpectedOpen(n)
			rest := append([]*Node(nil), n.Block...)
			if n.End.Line > 0 {
				rest = append(rest, c.strayClose(n.End))
			}
			queue = append(rest, queue[i+1:]...)
			i = -1
			continue
		}
		c.depth++
		ApplyOne(c, n, tbl, v)
		c.depth--
		if c.closedEarly {
			// n's block was closed early; its own '}' is now stray here.
			rest := c.spill
			c.spill, c.closedEarly = nil, false
			if n.End.Line > 0 {
				rest = append(rest, c.strayClose(n.End))
			}
			queue = append(rest, queue[i+1:]...)
			i = -1
		}
	}
}

// unexpectedOpen reports the '{' after n that keepalived ignores, where the
// '{' is: keepalived prints the line it read it from, which is not n's line
// when the '{' stands on a line of its own.
func (c *Ctx) unexpectedOpen(n *Node) {
	const msg = "Unexpected '{' - ignoring"
	if n.Open.Line == 0 || n.Open == n.Pos {
		c.Report(n, ClassUnexpectedBOB, msg)
		return
	}
	c.add(Diagnostic{Pos: n.Open, Class: ClassUnexpectedBOB, Msg: msg, Quote: "{"})
}

// strayClose is a '}' that no longer closes the block it was written for.
func (c *Ctx) strayClose(p Pos) *Node {
	n := &Node{Pos: p, Raw: "}", Tokens: []Token{{Text: "}"}}}
	if c.strays == nil {
		c.strays = map[*Node]bool{}
	}
	c.strays[n] = true
	return n
}

// ApplyOne runs one statement through the table. It returns false when the
// keyword is unknown (the diagnostic has been reported).
func ApplyOne[T any](c *Ctx, n *Node, tbl *Table[T], v *T) bool {
	kw := n.Keyword()
	e, ok := tbl.Entries[kw]
	if !ok {
		c.unknownKeyword(n, tbl.Name, tbl.names)
		return false
	}
	if e.Block && !n.HasBlock {
		c.Report(n, ClassMissingBOB, "Missing '{' at beginning of configuration block")
		return true
	}
	runEntry(c, n, e, v)
	return true
}

func runEntry[T any](c *Ctx, n *Node, e Entry[T], v *T) {
	if e.Alias != "" && !e.Quiet {
		c.Deprecated(n, n.Keyword(), e.Alias)
	}
	if e.H != nil {
		e.H(c, n, v)
	}
}

func (c *Ctx) unknownKeyword(n *Node, block string, names []string) {
	kw := n.Keyword()
	d := Diagnostic{Pos: n.Pos, Class: ClassUnknownKeyword, Msg: fmt.Sprintf("Unknown keyword '%s'", kw), Quote: n.Raw}
	if s := closest(kw, names); s != "" {
		d.Hint = fmt.Sprintf("did you mean '%s'?", s)
	} else if where, ok := allKeywords[kw]; ok {
		d.Hint = fmt.Sprintf("'%s' belongs in %s, not in %s", kw, joinOr(where), block)
	}
	c.add(d)
}

func joinOr(s []string) string {
	u := map[string]bool{}
	var out []string
	for _, x := range s {
		if !u[x] {
			u[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	r := ""
	for i, x := range out {
		switch {
		case i == 0:
		case i == len(out)-1:
			r += " or "
		default:
			r += ", "
		}
		r += x
	}
	return r
}

// closest returns the candidate nearest to s by edit distance when it is
// near enough to be a plausible typo.
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(s, c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if len(s) >= 12 {
		limit = 3
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the Damerau-Levenshtein (optimal string alignment)
// distance, so a swapped pair of letters ("prority"/"priroity") counts once.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	la, lb := len(a), len(b)
	d := make([][]int, la+1)
	for i := range d {
		d[i] = make([]int, lb+1)
		d[i][0] = i
	}
	for j := 0; j <= lb; j++ {
		d[0][j] = j
	}
	for i := 1; i <= la; i++ {
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, d[i-2][j-2]+1)
			}
			d[i][j] = v
		}
	}
	return d[la][lb]
}
