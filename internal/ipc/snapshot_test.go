package ipc

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// TestSnapshotSeeds sends every seed configuration through a Config
// frame: the model the child decodes must be the parent's, field for
// field as far as the model's JSON shows it.
func TestSnapshotSeeds(t *testing.T) {
	files, err := filepath.Glob("../../test/testdata/seeds/*.conf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed configurations (%v)", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cfg, _ := config.Load(config.Options{File: f, FS: config.OSFS{}, Host: config.FakeHost{}})
			if cfg == nil {
				t.Skip("no model")
			}
			snap, err := NewSnapshot(3, f, "", cfg)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Encode(&buf, &Config{Snapshot: snap}, 0); err != nil {
				t.Fatal(err)
			}
			m, err := Decode(&buf, 0)
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.(*Config).Config()
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(cfg)
			have, _ := json.Marshal(got)
			if !bytes.Equal(want, have) {
				t.Fatalf("model changed on the way:\nsent %s\ngot  %s", want, have)
			}
			if len(cfg.Instances) != len(got.Instances) || len(cfg.VirtualServers) != len(got.VirtualServers) {
				t.Fatalf("instances %d→%d, virtual servers %d→%d", len(cfg.Instances), len(got.Instances),
					len(cfg.VirtualServers), len(got.VirtualServers))
			}
		})
	}
}

func TestSnapshotBadModel(t *testing.T) {
	s := Snapshot{Generation: 4, Model: []byte(`{"vrrp_instances":"nope"}`)}
	if _, err := s.Config(); err == nil {
		t.Fatal("a model of the wrong shape decoded")
	}
}
