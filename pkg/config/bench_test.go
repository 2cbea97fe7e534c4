package config_test

import (
	"io/fs"
	"os"
	"testing"
	"time"

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
	benchParse(b, gen.VRRP(n), benchHost(gen.Interfaces(n)), func(cfg *config.Config) (string, int, int) {
		return "vrrp_instances", len(cfg.Instances), n
	})
}

func BenchmarkParse1kVS10RS(b *testing.B) {
	const nvs, nrs = 1000, 10
	benchParse(b, gen.VirtualServers(nvs, nrs), benchHost(nil), func(cfg *config.Config) (string, int, int) {
		return "virtual_servers", len(cfg.VirtualServers), nvs
	})
}

// benchHost is the machine scripts/bench.sh runs `keepalived -t` on, as a
// fake, so that the numbers do not depend on the machine running the
// benchmark: the generated configuration's interfaces, and the tracked
// script /bin/true as root's, executable and in root's directories, which
// passes keepalived's script security checks.
func benchHost(ifaces []string) config.FakeHost {
	return config.FakeHost{
		Interfaces: ifaces,
		Files: map[string]os.FileInfo{
			"/":         benchFile{"/", fs.ModeDir | 0o755},
			"/bin":      benchFile{"bin", fs.ModeDir | 0o755},
			"/bin/true": benchFile{"true", 0o755},
		},
	}
}

// benchFile is a file's information without an owner, which the checks
// read as root's.
type benchFile struct {
	name string
	mode fs.FileMode
}

func (f benchFile) Name() string       { return f.name }
func (f benchFile) Size() int64        { return 0 }
func (f benchFile) Mode() fs.FileMode  { return f.mode }
func (f benchFile) ModTime() time.Time { return time.Time{} }
func (f benchFile) IsDir() bool        { return f.mode.IsDir() }
func (f benchFile) Sys() any           { return nil }

// benchParse checks once that the text parses into the expected model
// without a single diagnostic, so that the numbers measure a real parse
// and not an early bail-out or an error path, then times Parse.
func benchParse(b *testing.B, src []byte, host config.Host, count func(*config.Config) (string, int, int)) {
	b.Helper()
	opts := config.Options{Host: host}
	cfg, diags := config.Parse("/etc/keepalived/keepalived.conf", src, opts)
	if len(diags) != 0 {
		for i, d := range diags {
			if i == 10 {
				b.Logf("... %d more", len(diags)-10)
				break
			}
			b.Log(d.String())
		}
		b.Fatalf("generated configuration: %d diagnostics (exit code %d), want none", len(diags), diags.ExitCode())
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
