package dump

import "io"

// WriteStats writes keepalived.stats, the SIGUSR2 dump: each instance's
// counters under keepalived's headings.
func WriteStats(out io.Writer, s *Snapshot) error {
	w := newWriter(out)
	for i := range s.Instances {
		v := &s.Instances[i]
		c := &v.Stats
		w.line("VRRP Instance: %s", v.Name)
		w.line("  Advertisements:")
		w.line("    Received: %d", c.AdvertRcvd)
		w.line("    Sent: %d", c.AdvertSent)
		w.line("  Became master: %d", c.BecomeMaster)
		w.line("  Released master: %d", c.ReleaseMaster)
		w.line("  Packet Errors:")
		w.line("    Length: %d", c.PacketLenErr)
		w.line("    TTL: %d", c.IPTTLErr)
		w.line("    Invalid Type: %d", c.InvalidTypeRcvd)
		w.line("    Advertisement Interval: %d", c.AdvertIntervalErr)
		w.line("    Address List: %d", c.AddrListErr)
		w.line("  Authentication Errors:")
		w.line("    Invalid Type: %d", c.InvalidAuthType)
		w.line("    Type Mismatch: %d", c.AuthTypeMismatch)
		w.line("    Failure: %d", c.AuthFailure)
		w.line("  Priority Zero:")
		w.line("    Received: %d", c.PriZeroRcvd)
		w.line("    Sent: %d", c.PriZeroSent)
	}
	return w.flush()
}
