// Command keepalived is gokeepalived's single binary: a drop-in
// replacement for keepalived. The command line lives in internal/cli, the
// daemon in internal/daemon.
package main

import (
	"os"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/daemon"
)

func main() {
	os.Exit(cli.Main(os.Args, cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Daemon: daemon.Run}))
}
