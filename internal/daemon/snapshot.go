package daemon

import (
	"maps"
	"sync"

	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The parent reads and checks the configuration; its children run what
// it checked. The snapshot it sends is the text it read — every file and
// so that a child parses exactly those
// bytes into exactly the parent's model, even if the files change in
// between (keepalived's children re-read the files themselves after a
// fork). The parsed model does not cross the pipe: parsing is cheap and
// the text is the one representation nothing is lost from.

// recordingFS is the real file system, remembering what the parse read.
type recordingFS struct {
	config.OSFS
	mu    sync.Mutex
	files map[string][]byte
}

func newRecordingFS() *recordingFS {
	return &recordingFS{files: map[string][]byte{}}
}

func (r *recordingFS) ReadFile(name string) ([]byte, error) {
	b, err := r.OSFS.ReadFile(name)
	if err == nil {
		r.mu.Lock()
		r.files[name] = b
		r.mu.Unlock()
	}
	return b, err
}

// snapshot is what the parse read, for ipc.Snapshot.
func (r *recordingFS) snapshot(gen uint64, o configOptions) ipc.Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ipc.Snapshot{Generation: gen, Path: o.File, ConfigID: o.ConfigID, AllConfig: o.AllConfig,
		Files: maps.Clone(r.files), Wd: r.Getwd()}
}

// configOptions are the parts of config.Options a snapshot carries.
type configOptions = config.Options

// snapshotFS serves a snapshot's files to a child's parse: the files as
// an in-memory file system (directories implied, globs matched against
// the names), with the parent's working directory.
type snapshotFS struct {
	config.MapFS
	wd string
}

func (f snapshotFS) Getwd() string { return f.wd }

// loadSnapshot parses a snapshot as the parent parsed the files. The
// diagnostics were the parent's to log; the child only needs the model.
func loadSnapshot(s *ipc.Snapshot) *config.Config {
	fsys := snapshotFS{MapFS: config.MapFS(s.Files), wd: s.Wd}
	if fsys.MapFS == nil {
		fsys.MapFS = config.MapFS{}
	}
	cfg, _ := config.Load(config.Options{File: s.Path, ConfigID: s.ConfigID, AllConfig: s.AllConfig, FS: fsys})
	return cfg
}

// recordingLoader is the parent's loader: config.Load through a
// recordingFS, whose snapshot it returns too.
func recordingLoad(o config.Options) (*config.Config, config.Diagnostics, *recordingFS) {
	r := newRecordingFS()
	o.FS = r
	cfg, diags := config.Load(o)
	return cfg, diags, r
}
