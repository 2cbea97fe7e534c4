// Command keepalived is gokeepalived's single binary: a drop-in
// replacement for keepalived. The command line lives in internal/cli.
package main

import (
	"os"

	"github.com/gokeepalived/gokeepalived/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
}
