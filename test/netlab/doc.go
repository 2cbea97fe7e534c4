// Package netlab builds the network-namespace labs the VRRP network tests,
// the interop tests, `make demo` and the failover benchmarks run in: a
// client namespace holding a bridge, router namespaces joined to it by
// veth pairs, daemons (ours or Debian's keepalived) started inside the
// routers, a TCP server on each router and a client dialling the VIP.
//
// Every name starts with a per-lab prefix (gv-<pid>-<n>); nothing is
// created on the host's own interfaces. Everything a lab starts is
// stopped by its own PID, and every namespace deleted, by the cleanups it
// registers, pass or fail.
package netlab
