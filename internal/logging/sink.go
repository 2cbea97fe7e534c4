package logging

import (
	"strings"
	"sync"
)

// Sink is a Logger for tests: it keeps every line, detail lines
// included, in order.
type Sink struct {
	mu    sync.Mutex
	lines []Line
}

// Log records the line.
func (s *Sink) Log(l Line) {
	s.mu.Lock()
	s.lines = append(s.lines, l)
	s.mu.Unlock()
}

// Lines returns a copy of the lines recorded so far.
func (s *Sink) Lines() []Line {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Line(nil), s.lines...)
}

// Texts returns the texts of the lines recorded so far; with detail
// false, the lines a daemon without -D would print.
func (s *Sink) Texts(detail bool) []string {
	var out []string
	for _, l := range s.Lines() {
		if detail || !l.Detail {
			out = append(out, l.Text)
		}
	}
	return out
}

// Count returns how many lines contain sub.
func (s *Sink) Count(sub string) int {
	n := 0
	for _, l := range s.Lines() {
		if strings.Contains(l.Text, sub) {
			n++
		}
	}
	return n
}

// Reset forgets the lines recorded so far.
func (s *Sink) Reset() {
	s.mu.Lock()
	s.lines = nil
	s.mu.Unlock()
}
