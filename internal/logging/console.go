//go:build !windows && !plan9

package logging

import (
	"strconv"
	"sync"
	"syscall"
	"time"
)

// consoleQueueLen bounds the LOG_CONS lines waiting for the console:
// more than a start-up of a thousand instances logs at once.
const consoleQueueLen = 4096

// consoleDrainTime is how long Close waits for queued console lines:
// the last lines of a stopping daemon are worth a short wait, not a
// stop that hangs on a console nobody reads.
const consoleDrainTime = time.Second

// consoleQueue writes LOG_CONS lines on its own goroutine so that the
// logger never waits for the console. When the queue is full a line is
// dropped and counted (see put).
type consoleQueue struct {
	path  string
	tag   string
	write func(path string, b []byte)
	lines chan []byte
	done  chan struct{}

	mu      sync.Mutex
	dropped int
	closed  bool
}

func newConsoleQueue(path, tag string, n int, write func(string, []byte)) *consoleQueue {
	q := &consoleQueue{path: path, tag: tag, write: write, lines: make(chan []byte, n), done: make(chan struct{})}
	go q.run()
	return q
}

// put queues one line, or counts it lost when the queue is full. Lost
// lines are reported in their place: the first line queued after them
// is preceded by a line saying how many, so a gap in the console is
// never silent.
func (q *consoleQueue) put(b []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if q.dropped > 0 {
		select {
		case q.lines <- []byte(q.tag + strconv.Itoa(q.dropped) + " log lines lost: the console is too slow\r\n"):
			q.dropped = 0
		default:
			q.dropped++
			return
		}
	}
	select {
	case q.lines <- b:
	default:
		q.dropped++
	}
}

func (q *consoleQueue) run() {
	defer close(q.done)
	for b := range q.lines {
		q.write(q.path, b)
	}
}

// close stops taking lines and waits up to wait for the queued ones.
func (q *consoleQueue) close(wait time.Duration) {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.lines)
	}
	q.mu.Unlock()
	select {
	case <-q.done:
	case <-time.After(wait):
	}
}

// writeConsole writes one line as glibc does: the console opened for the
// line and closed again. Non-blocking: a console that does not drain (a
// stopped serial line) loses the line instead of holding the queue. It
// is opened for appending, which a console device ignores, so that a
// file put in its place (tests) keeps every line where glibc would write
// each over the last.
func writeConsole(path string, b []byte) {
	fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_APPEND|syscall.O_NOCTTY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	syscall.Write(fd, b)
	syscall.Close(fd)
}
