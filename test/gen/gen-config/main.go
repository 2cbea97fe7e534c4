// Command gen-config writes the benchmark configurations of package gen.
//
//	go run ./test/gen/gen-config -kind vrrp -n 10000 -o vrrp.conf
//	go run ./test/gen/gen-config -kind vrrp -n 10000 -interfaces   # names, one a line
//	go run ./test/gen/gen-config -kind lvs -n 1000 -rs 10 -o lvs.conf
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/gokeepalived/gokeepalived/test/gen"
)

func main() {
	kind := flag.String("kind", "vrrp", "vrrp (vrrp_instances) or lvs (virtual_servers)")
	n := flag.Int("n", 10000, "vrrp_instances, or virtual_servers")
	rs := flag.Int("rs", 10, "real_servers per virtual_server (lvs)")
	out := flag.String("o", "-", "output file, - for stdout")
	ifaces := flag.Bool("interfaces", false, "print the interface names the configuration needs instead")
	flag.Parse()

	var data []byte
	switch *kind {
	case "vrrp":
		if *ifaces {
			data = []byte(strings.Join(gen.Interfaces(*n), "\n") + "\n")
		} else {
			data = gen.VRRP(*n)
		}
	case "lvs":
		if !*ifaces {
			data = gen.VirtualServers(*n, *rs)
		}
	default:
		fmt.Fprintf(os.Stderr, "gen-config: unknown -kind %q\n", *kind)
		os.Exit(2)
	}
	var err error
	if *out == "-" {
		_, err = os.Stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-config:", err)
		os.Exit(1)
	}
}
