package vrrp

import (
	"fmt"
	"regexp"
	"testing"
)

func TestErrors(t *testing.T) {
	all := Errors()
	if len(all) != int(errEnd)-1 || all[0] != ErrTooShort || all[len(all)-1] != ErrAddrFamily {
		t.Fatalf("Errors() = %v", all)
	}
	label := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	seen := map[string]bool{}
	for _, e := range all {
		s := e.String()
		if !label.MatchString(s) || seen[s] || s == "unknown" {
			t.Errorf("%d: label %q", e, s)
		}
		seen[s] = true
		if e.Error() == "" || e.Error() == Error(0).Error() {
			t.Errorf("%d: text %q", e, e.Error())
		}
		if got := ReasonOf(fmt.Errorf("wrapped: %w", e)); got != e {
			t.Errorf("ReasonOf(%v) = %v", e, got)
		}
	}
	if Error(0).String() != "unknown" || errEnd.String() != "unknown" || errEnd.Error() != "vrrp: unknown error" {
		t.Error("out of range")
	}
	if ReasonOf(nil) != 0 || ReasonOf(fmt.Errorf("other")) != 0 {
		t.Error("ReasonOf of no Error")
	}
}

// TestDecodeAllocFreeErrors: returning an Error as error does not allocate.
func TestDecodeAllocFreeErrors(t *testing.T) {
	var p Packet
	b := []byte{0x21}
	if n := testing.AllocsPerRun(100, func() { _ = Decode(b, IP{}, &p, nil) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
