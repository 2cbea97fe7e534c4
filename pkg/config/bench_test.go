package config_test

import (
	"os"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
	"github.com/gokeepalived/gokeepalived/test/gen"
)

// The parse benchmarks of issue 2: read and check generated configurations
// of 10,000 vrrp_instances and of 1,000 virtual_servers x 10 real_servers.
// The text is generated once, in memory; each iteration is a whole
// config.Parse (preprocess, tokenize, tree, model, checks) against a fake
// host that has the interfaces. scripts/bench.sh runs these next to
// `keepalived -t` on the same text and writes docs/benchmarks.md.

func BenchmarkParse10kInstances(b *testing.B) {
	const n = 10000
	benchParse(b, gen.VRRP(n), benchHost{config.FakeHost{Interfaces: gen.Interfaces(n)}}, func(cfg *config.Config) (string, int, int) {
		return "vrrp_instances", len(cfg.Instances), n
	})
}

func BenchmarkParse1kVS10RS(b *testing.B) {
	const nvs, nrs = 1000, 10
	benchParse(b, gen.VirtualServers(nvs, nrs), benchHost{}, func(cfg *config.Config) (string, int, int) {
		return "virtual_servers", len(cfg.VirtualServers), nvs
	})
}

// benchHost has the generated configuration's interfaces but the real
// file system, where the tracked script (/bin/true) passes keepalived's
// script checks as it does for `keepalived -t` in scripts/bench.sh.
type benchHost struct{ config.FakeHost }

func (benchHost) Stat(path string) (os.FileInfo, error) { return os.Stat(path) }

// benchParse checks once that the text parses cleanly into the expected
// model, so that the numbers measure a real parse and not an early bail
// out, then times Parse.
func benchParse(b *testing.B, src []byte, host config.Host, count func(*config.Config) (string, int, int)) {
	b.Helper()
	opts := config.Options{Host: host}
	cfg, diags := config.Parse("/etc/keepalived/keepalived.conf", src, opts)
	if code := diags.ExitCode(); code != config.ExitOK {
		for i, d := range diags {
			if i == 10 {
				b.Logf("... %d more", len(diags)-10)
				break
			}
			b.Log(d.String())
		}
		b.Fatalf("generated configuration: exit code %d, want %d", code, config.ExitOK)
	}
	if what, got, want := count(cfg); got != want {
		b.Fatalf("generated configuration: %d %s in the model, want %d", got, what, want)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		config.Parse("/etc/keepalived/keepalived.conf", src, opts)
	}
}
