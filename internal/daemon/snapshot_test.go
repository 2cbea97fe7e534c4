package daemon

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// A child parses the parent's snapshot into the parent's model, even
// after the files changed on disk.
func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("keepalived.conf", "global_defs {\n  router_id R1\n}\ninclude conf.d/*.conf\n")
	write("conf.d/a.conf", "vrrp_instance VI_1 {\n  interface lo\n  virtual_router_id 51\n  priority 100\n  virtual_ipaddress {\n    10.0.0.1/32\n  }\n}\n")
	write("conf.d/b.conf", "vrrp_instance VI_2 {\n  interface lo\n  virtual_router_id 52\n  virtual_ipaddress {\n    10.0.0.2/32\n  }\n}\n")
	opts := config.Options{File: filepath.Join(dir, "keepalived.conf")}
	cfg, _, rec := recordingLoad(opts)
	snap := rec.snapshot(7, opts)
	// Across the pipe: JSON.
	b, err := json.Marshal(&ipc.Config{Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	var got ipc.Config
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	// The files change after the parent read them.
	write("conf.d/b.conf", "# emptied\n")
	os.Remove(filepath.Join(dir, "conf.d/a.conf"))

	child := loadSnapshot(&got.Snapshot)
	if len(cfg.Instances) != 2 || len(child.Instances) != 2 {
		t.Fatalf("instances: parent %d, child %d", len(cfg.Instances), len(child.Instances))
	}
	a, _ := buildSpecs(cfg)
	c, _ := buildSpecs(child)
	if !reflect.DeepEqual(a, c) {
		t.Errorf("child's specs differ from the parent's:\n%+v\n%+v", a, c)
	}
	if got.Generation != 7 || got.Path != opts.File {
		t.Errorf("generation %d path %q", got.Generation, got.Path)
	}
}
