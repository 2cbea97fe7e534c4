package configtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The one documented departure from keepalived 2.2.7's verdicts (issue 2,
// README): `vrrp_garp_interval 0` and `vrrp_gna_interval 0`, which the seed
// configurations use to mean "no delay", are accepted by us, while
// keepalived ≥ 2.2 reports "vrrp_garp_interval '0' is invalid" and -t
// exits 5. For a configuration with such lines, the reference verdict is
// keepalived's on a copy where those lines are blanked (blanked, not
// removed, so that line numbers stay the same).
var garpKeywords = map[string]bool{"vrrp_garp_interval": true, "vrrp_gna_interval": true}

// GarpZeroLines returns the 0-based indexes of the lines that set
// vrrp_garp_interval or vrrp_gna_interval to zero.
func GarpZeroLines(text string) []int {
	var out []int
	for i, line := range strings.Split(text, "\n") {
		w := configWords(line)
		if len(w) < 2 || !garpKeywords[w[0]] {
			continue
		}
		if f, err := strconv.ParseFloat(w[1], 64); err == nil && f == 0 {
			out = append(out, i)
		}
	}
	return out
}

// BlankLines returns text with the lines at the given indexes emptied.
func BlankLines(text string, idx []int) string {
	lines := strings.Split(text, "\n")
	for _, i := range idx {
		if i >= 0 && i < len(lines) {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// Comparison is the outcome of running both implementations on a case.
type Comparison struct {
	Case Case
	// Ref is keepalived's verdict to compare with: on the configuration, or
	// on its blanked copy when GarpZero is set.
	Ref Verdict
	// RefOriginal is keepalived's verdict on the configuration as written,
	// when GarpZero is set (it differs from Ref by the improvement).
	RefOriginal *Verdict
	Ours        Verdict
	GarpZero    bool
}

// Missing returns keepalived's messages that ours lacks.
func (c *Comparison) Missing() []string {
	ours := c.Ours.Messages()
	var out []string
	for _, m := range c.Ref.Messages() {
		if !HasMessage(ours, m) {
			out = append(out, m)
		}
	}
	return out
}

// Extra returns our messages keepalived does not print (information: our
// hints, deprecation notes, and anything we say beyond keepalived).
func (c *Comparison) Extra() []string {
	ref := c.Ref.Messages()
	var out []string
	for _, o := range c.Ours.Messages() {
		found := false
		for _, m := range ref {
			if o == m || strings.HasPrefix(o, m+" - ") {
				found = true
				break
			}
		}
		if !found {
			out = append(out, o)
		}
	}
	return out
}

// Report renders the comparison for a test log.
func (c *Comparison) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: keepalived %s, ours %s", c.Case.Name, c.Ref.Outcome(), c.Ours.Outcome())
	if c.GarpZero {
		fmt.Fprintf(&b, " (keepalived on the text as written: %s; compared with its verdict without the vrrp_garp/gna_interval 0 lines)", c.RefOriginal.Outcome())
	}
	fmt.Fprintf(&b, "\n  interfaces: %s", strings.Join(c.Case.Ifaces, " "))
	if c.Case.Etc != "" {
		fmt.Fprintf(&b, "\n  /etc overlay: %s", c.Case.Etc)
	}
	b.WriteString("\n  keepalived says:")
	for _, m := range c.Ref.Messages() {
		b.WriteString("\n    " + m)
	}
	b.WriteString("\n  we say:")
	for _, m := range c.Ours.Messages() {
		b.WriteString("\n    " + m)
	}
	return b.String()
}

// Compare runs keepalived and ours on the case inside ns, which must be
// fresh: Compare creates the case's interfaces and /etc overlay in it.
// tmp is a scratch directory for the blanked copy.
func Compare(ctx context.Context, ns *Namespace, c Case, ours, tmp string) (*Comparison, error) {
	if err := ns.AddInterfaces(c.Ifaces); err != nil {
		return nil, err
	}
	if err := ns.SetEtc(c.Etc); err != nil {
		return nil, err
	}
	for _, ch := range c.Chmod {
		if err := ns.ChmodEtc(ch.Path, ch.Mode); err != nil {
			return nil, err
		}
	}
	cmp := &Comparison{Case: c}
	var err error
	if cmp.Ref, err = RunCheck(ctx, ns, Reference, c.Args, c.Conf); err != nil {
		return nil, err
	}
	if cmp.Ours, err = RunCheck(ctx, ns, ours, c.Args, c.Conf); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(c.Conf)
	if err != nil {
		return nil, err
	}
	zero := GarpZeroLines(string(data))
	if len(zero) == 0 {
		return cmp, nil
	}
	// The copy sits in a copy of the configuration's directory, so that
	// relative includes still resolve; paths in its messages are mapped
	// back to the original directory.
	dir := filepath.Dir(c.Conf)
	if err := copyTree(dir, tmp); err != nil {
		return nil, err
	}
	copyPath := filepath.Join(tmp, filepath.Base(c.Conf))
	if err := os.WriteFile(copyPath, []byte(BlankLines(string(data), zero)), 0o644); err != nil {
		return nil, err
	}
	blanked, err := RunCheck(ctx, ns, Reference, c.Args, copyPath)
	if err != nil {
		return nil, err
	}
	blanked.Stderr = strings.ReplaceAll(blanked.Stderr, tmp, dir)
	orig := cmp.Ref
	cmp.RefOriginal, cmp.Ref, cmp.GarpZero = &orig, blanked, true
	return cmp, nil
}
