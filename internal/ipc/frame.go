package ipc

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

const (
	// Version is the protocol version this build speaks.
	Version uint16 = 1
	// HeaderSize is the fixed frame header: magic, version, type, length.
	HeaderSize = 12
	// MaxPayload is the default payload limit. A configuration snapshot
	// is the largest message: a generated 10 000-instance configuration
	// is about 20 MB as JSON, so 64 MiB leaves room without letting a
	// corrupt length make the reader allocate gigabytes.
	MaxPayload = 64 << 20
)

// magic opens every frame; a reader that finds anything else is out of
// step with the writer and must not guess where the next frame starts.
var magic = [4]byte{'G', 'K', 'A', 'P'}

// AppendFrame appends m's frame to b. It fails if m cannot be encoded or
// its payload exceeds max (MaxPayload if max <= 0).
func AppendFrame(b []byte, m Message, max int) ([]byte, error) {
	if max <= 0 {
		max = MaxPayload
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return b, fmt.Errorf("ipc: encoding %v: %w", m.Type(), err)
	}
	if len(payload) > max {
		return b, fmt.Errorf("ipc: %v payload of %d bytes exceeds the %d-byte limit", m.Type(), len(payload), max)
	}
	b = append(b, magic[:]...)
	b = binary.BigEndian.AppendUint16(b, Version)
	b = binary.BigEndian.AppendUint16(b, uint16(m.Type()))
	b = binary.BigEndian.AppendUint32(b, uint32(len(payload)))
	return append(b, payload...), nil
}

// Encode writes m as one frame with a single Write.
func Encode(w io.Writer, m Message, max int) error {
	b, err := AppendFrame(nil, m, max)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Decode reads one frame from r. A clean end of stream before the first
// header byte is io.EOF; every other failure is a *DecodeError. Reading
// stops at the frame's end, so r stays in step for the next call unless
// the error is KindTruncated, KindBadMagic or KindTooLarge (the payload is
// not consumed: the stream cannot be trusted after those).
func Decode(r io.Reader, max int) (Message, error) {
	if max <= 0 {
		max = MaxPayload
	}
	var h [HeaderSize]byte
	if n, err := io.ReadFull(r, h[:]); err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, &DecodeError{Kind: KindTruncated, Detail: fmt.Sprintf("header: %d of %d bytes", n, HeaderSize), Err: err}
	}
	if !bytes.Equal(h[:4], magic[:]) {
		return nil, &DecodeError{Kind: KindBadMagic, Detail: fmt.Sprintf("%q", h[:4])}
	}
	ver := binary.BigEndian.Uint16(h[4:])
	typ := Type(binary.BigEndian.Uint16(h[6:]))
	n := binary.BigEndian.Uint32(h[8:])
	if uint64(n) > uint64(max) {
		return nil, &DecodeError{Kind: KindTooLarge, Type: typ, Detail: fmt.Sprintf("payload of %d bytes, limit %d", n, max)}
	}
	payload := make([]byte, n)
	if got, err := io.ReadFull(r, payload); err != nil {
		return nil, &DecodeError{Kind: KindTruncated, Type: typ, Detail: fmt.Sprintf("payload: %d of %d bytes", got, n), Err: err}
	}
	// A Hello is readable at any version: Handshake turns a foreign one
	// into a message naming both versions.
	if ver != Version && typ != TypeHello {
		return nil, &DecodeError{Kind: KindVersion, Type: typ, Detail: fmt.Sprintf("frame version %d, ours %d", ver, Version)}
	}
	m := newMessage(typ)
	if m == nil {
		return nil, &DecodeError{Kind: KindUnknownType, Type: typ}
	}
	if err := unmarshal(payload, m); err != nil {
		return nil, &DecodeError{Kind: KindBadPayload, Type: typ, Err: err}
	}
	if v, ok := m.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return nil, &DecodeError{Kind: KindBadPayload, Type: typ, Detail: err.Error()}
		}
	}
	return m, nil
}

// unmarshal decodes exactly one JSON value with only known fields: both
// ends are the same build, so anything else is corruption or a bug. The
// Hello alone tolerates unknown fields, so that a later version's Hello
// still yields the version number Handshake reports.
func unmarshal(b []byte, m Message) error {
	d := json.NewDecoder(bytes.NewReader(b))
	if m.Type() != TypeHello {
		d.DisallowUnknownFields()
	}
	if err := d.Decode(m); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}
