// Package vrrptest runs our keepalived binary in network namespaces and
// checks what an operator would see: who holds the VIP (with its label),
// the log lines, and how fast a backup takes over.
//
// Every test makes its own namespaces, named gv-<pid>-<n>-<role>, joined
// by a bridge in a "c" (client) namespace; nothing is created on the
// host's interfaces. Daemons run as `ip netns exec NS keepalived -n -l -D
// -f CONF -p PID -r PID`, and are killed by their own PID, and the
// namespaces deleted, when the test ends, pass or fail. The tests need
// root: without it they skip, or fail under CI=true.
package vrrptest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// binary is our keepalived, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	// The test binary doubles as the TCP server the client reaches
	// through the VIP (run inside a router's namespace).
	if spec := os.Getenv(helperEnv); spec != "" {
		serveHelper(spec)
		return
	}
	dir, err := os.MkdirTemp("", "gokeepalived-vrrptest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "keepalived")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	build := exec.Command(goTool, "build", "-buildvcs=false", "-o", binary, "github.com/gokeepalived/gokeepalived/cmd/keepalived")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		fmt.Fprintln(os.Stderr, "building keepalived:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// helperEnv asks the test binary to serve TCP: "ADDR NAME" listens on
// ADDR and answers every connection with NAME.
const helperEnv = "GV_VRRPTEST_SERVE"

func serveHelper(spec string) {
	addr, name, _ := strings.Cut(spec, " ")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("listening")
	for {
		c, err := ln.Accept()
		if err != nil {
			os.Exit(1)
		}
		c.Write([]byte(name))
		c.Close()
	}
}
