package ipc

import (
	"bufio"
	"fmt"
	"io"
	"sync"
)

// Conn is one end of a parent/child pipe pair. Send may be called from
// any number of goroutines (each frame goes out whole); Recv from one.
type Conn struct {
	r   *bufio.Reader
	wmu sync.Mutex
	w   io.Writer
	// Max is the payload limit for both directions (MaxPayload if 0).
	Max int
}

// NewConn makes a Conn reading frames from r and writing them to w.
func NewConn(r io.Reader, w io.Writer) *Conn {
	return &Conn{r: bufio.NewReaderSize(r, 64<<10), w: w}
}

// Send writes m as one frame.
func (c *Conn) Send(m Message) error {
	b, err := AppendFrame(nil, m, c.Max)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err = c.w.Write(b)
	return err
}

// Recv reads the next frame: io.EOF when the peer closed its end
// between frames, a *DecodeError for a bad frame, or the I/O error.
func (c *Conn) Recv() (Message, error) {
	return Decode(c.r, c.Max)
}

// Handshake sends our Hello and reads the peer's, which must come first
// and carry our protocol version and the role want (0: any role). Both
// ends send before they read, and a Hello fits in a pipe's buffer, so the
// two can call Handshake at the same time.
func (c *Conn) Handshake(self Hello, want Role) (Hello, error) {
	self.Version = Version
	if err := c.Send(&self); err != nil {
		return Hello{}, fmt.Errorf("ipc: sending hello: %w", err)
	}
	m, err := c.Recv()
	if err != nil {
		if err == io.EOF {
			return Hello{}, &DecodeError{Kind: KindHandshake, Detail: "peer closed the pipe before its hello", Err: err}
		}
		return Hello{}, err
	}
	h, ok := m.(*Hello)
	if !ok {
		return Hello{}, &DecodeError{Kind: KindHandshake, Type: m.Type(), Detail: "first frame is not a Hello"}
	}
	if h.Version != Version {
		return *h, &DecodeError{Kind: KindVersion, Type: TypeHello, Detail: fmt.Sprintf(
			"%v (pid %d, %q) speaks pipe protocol version %d, this process speaks %d: parent and children must be the same keepalived executable",
			h.Role, h.PID, h.Build, h.Version, Version)}
	}
	if want != 0 && h.Role != want {
		return *h, &DecodeError{Kind: KindHandshake, Type: TypeHello, Detail: fmt.Sprintf("peer is %v, expected %v", h.Role, want)}
	}
	return *h, nil
}
