// Command keepalived is gokeepalived's single binary.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "gokeepalived: first cut")
	os.Exit(1)
}
