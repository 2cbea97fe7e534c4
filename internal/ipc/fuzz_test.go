package ipc

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzDecode: any byte string decodes to a message, io.EOF or a
// *DecodeError of a known kind — never a panic or another error — and a
// decoded message re-encodes to a frame that decodes to the same message.
// Seeds: testdata/fuzz/FuzzDecode plus one frame of every sample.
func FuzzDecode(f *testing.F) {
	for _, m := range samples() {
		b, err := AppendFrame(nil, m, 0)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		for {
			m, err := Decode(r, 1<<16)
			if err == io.EOF {
				return
			}
			if err != nil {
				var de *DecodeError
				if !errors.As(err, &de) || de.Kind < KindTruncated || de.Kind > KindHandshake {
					t.Fatalf("error outside the closed set: %T %v", err, err)
				}
				return
			}
			again, err := AppendFrame(nil, m, 1<<16)
			if err != nil {
				t.Fatalf("decoded %#v does not re-encode: %v", m, err)
			}
			m2, err := Decode(bytes.NewReader(again), 1<<16)
			if err != nil {
				t.Fatalf("re-encoded %#v does not decode: %v", m, err)
			}
			// JSON may spell one message several ways (key case, escapes,
			// empty vs absent lists), so the fixed point is the encoding:
			// the re-encoded frame must encode to itself.
			third, err := AppendFrame(nil, m2, 1<<16)
			if err != nil || !bytes.Equal(again, third) {
				t.Fatalf("round trip changed %q into %q (%v)", again, third, err)
			}
		}
	})
}
