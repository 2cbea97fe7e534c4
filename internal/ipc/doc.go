// Package ipc is the protocol spoken on the pipes between the keepalived
// parent and its children (--child=vrrp, --child=checker).
//
// keepalived forks its children and shares their memory image, so a child
// starts with the parent's parsed configuration and learns about reloads
// from SIGHUP. A Go program cannot fork safely: our children are the same
// executable re-executed, each given a pipe pair as extra file descriptors
// (DESIGN.md, "Shape"). Everything keepalived's processes share by
// inheritance or signals therefore crosses these pipes as messages:
//
//	parent → child   Config (first snapshot), Reload (a validated new
//	                 snapshot after SIGHUP), Relay (VRRP state the checker
//	                 needs for ha_suspend), Dump (SIGUSR1/SIGUSR2/signal 36
//	                 forwarded), Stop, Ping
//	child → parent   ConfigAck (snapshot loaded or refused; systemd
//	                 READY=1 waits for it), VRRPState, Health, Pong
//	both             Hello (first frame each way)
//
// Every frame is a fixed 12-byte header — magic "GKAP", protocol version,
// message type, payload length, all big-endian — followed by a JSON payload
// of at most MaxPayload bytes (a Conn may lower or raise its own limit).
// Decoding never trusts the length before checking it against the limit,
// and every failure is a *DecodeError whose Kind is one of a closed set.
//
// The two ends of a pipe pair are always the same build (the child is
// /proc/self/exe of the parent), but a mismatch must still fail loudly, not
// misread: Hello frames are accepted at any version so that Handshake can
// say which versions met; every other frame with a foreign version is a
// KindVersion error.
package ipc
