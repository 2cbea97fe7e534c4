// Package configtest is the differential harness for `keepalived -t`: it
// runs Debian's keepalived 2.2.7 and our bin/keepalived on the same
// configuration, inside the same throw-away network namespace that has the
// interfaces the configuration names, and compares the verdicts (exit
// codes) and the diagnostic messages.
//
// The corpora live under testdata/:
//
//	seeds/   every configuration of the user's seed notes, text as written,
//	         with INDEX saying where each one came from;
//	diff/    tricky inputs written for this harness (typos, numbers, braces,
//	         includes, macros, conditionals, interfaces, VRIDs, scripts);
//
// and the samples keepalived's Debian package installs under
// /usr/share/doc/keepalived/samples.
//
// The tests need root, iproute2 and Debian's keepalived 2.2.7. Without them
// they skip with a message, except under CI=true where they fail: a CI run
// that silently compared nothing would be worse than a red one.
package configtest
