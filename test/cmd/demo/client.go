package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
	"github.com/vishvananda/netns"
)

// client asks http://VIP/ every period from the lab's client namespace,
// prints the answers through a condenser and keeps them as probe samples.
type client struct {
	mu      sync.Mutex
	samples []netlab.Sample
	quit    chan struct{}
	done    chan struct{}
}

func startClient(l *netlab.Lab) *client {
	c := &client{quit: make(chan struct{}), done: make(chan struct{})}
	ready := make(chan error)
	go func() {
		defer close(c.done)
		// Sockets belong to the namespace of the thread that makes them:
		// this thread moves into the client's and dies with the goroutine.
		runtime.LockOSThread()
		ns, err := netns.GetFromName(l.Client)
		if err == nil {
			err = netns.Set(ns)
			ns.Close()
		}
		ready <- err
		if err != nil {
			return
		}
		var cond condenser
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			at := time.Now()
			ans := get("http://"+vip+"/", period)
			c.mu.Lock()
			c.samples = append(c.samples, netlab.Sample{At: at, Who: ans.who()})
			c.mu.Unlock()
			if line, ok := cond.add(at, ans.String()); ok {
				say("%s", line)
			}
			select {
			case <-c.quit:
				return
			case <-t.C:
			}
		}
	}()
	if err := <-ready; err != nil {
		fmt.Fprintf(os.Stderr, "demo: client namespace: %v\n", err)
	}
	return c
}

// waitFor waits until router who (e.g. "r2") has answered, or timeout.
func (c *client) waitFor(who string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		n := len(c.samples)
		last := ""
		if n > 0 {
			last = c.samples[n-1].Who
		}
		c.mu.Unlock()
		if last == who {
			return true
		}
		time.Sleep(period)
	}
	say("    (no answer from %s within %v)", who, timeout)
	return false
}

func (c *client) stop() []netlab.Sample {
	close(c.quit)
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.samples
}

// answer is one request's outcome.
type answer struct {
	status int
	body   string
	err    error
}

// get makes one request on a new connection (as curl does), within
// timeout.
func get(url string, timeout time.Duration) answer {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return answer{err: err}
	}
	req.Close = true
	c, err := net.DialTimeout("tcp", req.URL.Host+fmt.Sprintf(":%d", port), timeout)
	if err != nil {
		return answer{err: err}
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(timeout))
	if err := req.Write(c); err != nil {
		return answer{err: err}
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{err: err}
	}
	return answer{status: resp.StatusCode, body: strings.TrimSpace(string(b))}
}

// who is the router that answered ("r1"), "" for none.
func (a answer) who() string {
	if a.err != nil || a.status != http.StatusOK {
		return ""
	}
	return strings.TrimPrefix(a.body, "served by ")
}

func (a answer) String() string {
	var ne net.Error
	switch {
	case a.err == nil:
		return fmt.Sprintf("%d %s", a.status, a.body)
	case errors.As(a.err, &ne) && ne.Timeout():
		return "no answer (timeout)"
	case strings.Contains(a.err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(a.err.Error(), "no route to host"):
		return "no route to host"
	}
	return a.err.Error()
}

// condenser turns a stream of answers into lines: one whenever the
// answer changes, and while it stays the same one per second saying how
// many there were.
type condenser struct {
	last    string
	printed time.Time
	same    int
}

func (c *condenser) add(at time.Time, ans string) (string, bool) {
	line := fmt.Sprintf("%s  curl http://%s/  ->  %s", stamp(at), vip, ans)
	if ans != c.last || c.printed.IsZero() {
		c.last, c.printed, c.same = ans, at, 0
		return line, true
	}
	c.same++
	if at.Sub(c.printed) < time.Second {
		return "", false
	}
	line += fmt.Sprintf("   (x%d in %.1fs)", c.same, at.Sub(c.printed).Seconds())
	c.printed, c.same = at, 0
	return line, true
}
