package ipc

import (
	"errors"
	"fmt"
)

// ErrorKind classifies why a frame could not be decoded. The set is closed:
// callers may switch over it exhaustively.
type ErrorKind uint8

const (
	// KindTruncated: the stream ended inside a frame (header or payload).
	KindTruncated ErrorKind = iota + 1
	// KindBadMagic: the first four bytes are not "GKAP"; the stream is
	// not this protocol or is out of step.
	KindBadMagic
	// KindVersion: the frame (or the peer's Hello) carries a protocol
	// version other than ours.
	KindVersion
	// KindUnknownType: the message type is not one this version defines.
	KindUnknownType
	// KindTooLarge: the announced payload length exceeds the limit.
	KindTooLarge
	// KindBadPayload: the payload is not a valid encoding of its type.
	KindBadPayload
	// KindHandshake: the first frame was not a Hello, or the Hello names
	// an unexpected role.
	KindHandshake
)

var kindNames = [...]string{
	KindTruncated:   "truncated frame",
	KindBadMagic:    "bad magic",
	KindVersion:     "protocol version mismatch",
	KindUnknownType: "unknown message type",
	KindTooLarge:    "frame too large",
	KindBadPayload:  "bad payload",
	KindHandshake:   "handshake failed",
}

func (k ErrorKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("ErrorKind(%d)", uint8(k))
}

// DecodeError is every error Decode and Conn.Recv return for a bad frame
// (a clean end of stream between frames is io.EOF instead).
type DecodeError struct {
	Kind ErrorKind
	// Type is the frame's message type when the header was read.
	Type Type
	// Detail says what exactly was wrong, for the log.
	Detail string
	// Err is the underlying error, if any (I/O, JSON).
	Err error
}

func (e *DecodeError) Error() string {
	s := "ipc: " + e.Kind.String()
	if e.Type != 0 {
		s += " (" + e.Type.String() + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *DecodeError) Unwrap() error { return e.Err }

// KindOf returns the ErrorKind of err if it is (or wraps) a *DecodeError,
// and 0 otherwise.
func KindOf(err error) ErrorKind {
	var d *DecodeError
	if errors.As(err, &d) {
		return d.Kind
	}
	return 0
}
