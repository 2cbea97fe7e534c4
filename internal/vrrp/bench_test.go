package vrrp

import (
	"fmt"
	"net/netip"
	"testing"
)

// BenchmarkStep1000 is the steady state of 1,000 instances at advert_int
// 1: half are masters whose advert timer fires, half are backups that
// receive their master's advert. One op is one Step.
func BenchmarkStep1000(b *testing.B) {
	const n = 1000
	ms := make([]*Machine, n)
	ads := make([]Event, n)
	for i := range ms {
		p := Params{Name: fmt.Sprintf("VI_%d", i), VRID: 1 + i%255, Priority: 100, AdvertIntUsec: usecPerSec,
			SrcIP:    netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 1}),
			VIPs:     []VIP{{Addr: netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)}), Dev: "eth0"}},
			Trackers: []TrackerParam{{Name: "eth0", Kind: KindInterface}}}
		if i%2 == 0 {
			p.Priority, p.WantMaster = PrioOwner, true
		}
		m := New(p)
		m.Step(Start{}, epoch)
		if i%2 == 0 {
			at, _ := m.Deadline()
			m.Step(TimerFired{Timer: TimerMain}, at)
		}
		ms[i] = m
		ads[i] = &Advert{Version: 2, VRID: p.VRID, Priority: 200, AdvertIntCs: 100,
			Src: netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 2})}
	}
	fire := Event(TimerFired{Timer: TimerMain})
	now := epoch.Add(5 * usec(usecPerSec))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % n
		m := ms[k]
		if k%2 == 0 {
			at, _ := m.Deadline()
			if acts := m.Step(fire, at); len(acts) != 2 {
				b.Fatalf("master step: %v", acts)
			}
		} else {
			if k == 1 {
				now = now.Add(usec(usecPerSec))
			}
			if acts := m.Step(ads[k], now); len(acts) != 1 {
				b.Fatalf("backup step: %v", acts)
			}
		}
	}
}
