package cli

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

type dumpState int

func (s dumpState) String() string {
	switch s {
	case 1:
		return "MASTER"
	case 2:
		return "BACKUP"
	}
	return "INIT"
}

type dumpBase struct {
	Shared string `json:"shared"`
}

type dumpNode struct {
	Name string    `json:"name"`
	Next *dumpNode `json:"next,omitempty"`
}

type dumpModel struct {
	dumpBase
	Name     string            `json:"name"`
	Empty    string            `json:"empty"`
	Skipped  string            `json:"skipped,omitempty"`
	Hidden   int               `json:"-"`
	Priority int               `json:"priority"`
	Enabled  bool              `json:"enabled"`
	Ratio    float64           `json:"ratio"`
	Interval time.Duration     `json:"interval"`
	State    dumpState         `json:"state"`
	Addr     netip.Addr        `json:"addr"`
	Prefixes []netip.Prefix    `json:"prefixes"`
	Tags     []string          `json:"tags"`
	NoTags   []string          `json:"no_tags"`
	Env      map[string]string `json:"env"`
	Child    *dumpNode         `json:"child"`
	Nil      *dumpNode         `json:"nil"`
	Nodes    []*dumpNode       `json:"nodes"`
	Matrix   [][]int           `json:"matrix"`
	Zero     struct{}          `json:"zero"`
	Untagged int
	private  int
	Fn       func() `json:"fn"`
}

func TestDumpText(t *testing.T) {
	m := &dumpModel{
		dumpBase: dumpBase{Shared: "s"},
		Name:     "VI_1",
		Hidden:   7,
		Priority: 100,
		Enabled:  true,
		Ratio:    1.5,
		Interval: 1500 * time.Millisecond,
		State:    1,
		Addr:     netip.MustParseAddr("10.0.0.1"),
		Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")},
		Tags:     []string{"a", "b c"},
		Env:      map[string]string{"z": "1", "a": "2"},
		Child:    &dumpNode{Name: "c1", Next: &dumpNode{Name: "c2"}},
		Nodes:    []*dumpNode{{Name: "n1"}, {Name: "n2", Next: &dumpNode{Name: "n3"}}},
		Matrix:   [][]int{{1, 2}, {}},
		private:  1,
	}
	want := `shared: "s"
name: "VI_1"
empty: ""
priority: 100
enabled: true
ratio: 1.5
interval: 1.5s
state: MASTER
addr: "10.0.0.1"
prefixes:
  - "10.0.0.0/24"
tags:
  - "a"
  - "b c"
no_tags: []
env:
  a: "2"
  z: "1"
child:
  name: "c1"
  next:
    name: "c2"
nil: null
nodes:
  - name: "n1"
  - name: "n2"
    next:
      name: "n3"
matrix:
  - - 1
    - 2
  - []
zero: {}
Untagged: 0
`
	var b bytes.Buffer
	if err := DumpText(&b, m); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != want {
		t.Errorf("text dump:\n%s\nwant:\n%s", got, want)
	}
}

func TestDumpTextCycle(t *testing.T) {
	a := &dumpNode{Name: "a"}
	a.Next = &dumpNode{Name: "b", Next: a}
	var b bytes.Buffer
	if err := DumpText(&b, a); err != nil {
		t.Fatal(err)
	}
	want := "name: \"a\"\nnext:\n  name: \"b\"\n  next: <cycle>\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestDumpTextMatchesJSONFields: the text dump shows exactly the keys the
// JSON dump has, for the real model.
func TestDumpTextMatchesJSONFields(t *testing.T) {
	cfg := config.NewConfig()
	var j bytes.Buffer
	if err := DumpJSON(&j, cfg); err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(j.Bytes(), &top); err != nil {
		t.Fatalf("JSON dump does not parse: %v\n%s", err, j.String())
	}
	var txt bytes.Buffer
	if err := DumpText(&txt, cfg); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range strings.Split(txt.String(), "\n") {
		if l == "" || l[0] == ' ' || l[0] == '-' {
			continue
		}
		k, _, _ := strings.Cut(l, ":")
		keys = append(keys, k)
	}
	if len(keys) != len(top) {
		t.Errorf("text top-level keys %q, JSON has %d keys", keys, len(top))
	}
	for _, k := range keys {
		if _, ok := top[k]; !ok {
			t.Errorf("text key %q not in the JSON dump", k)
		}
	}
}

// TestDumpJSONRoundTrip: the JSON dump of a parsed configuration reads back
// into the model and gives the same JSON again.
func TestDumpJSONRoundTrip(t *testing.T) {
	src := "global_defs {\n  router_id lb1\n}\nvrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n  priority 150\n  virtual_ipaddress {\n    192.168.1.10/24\n  }\n}\n"
	cfg, _ := config.Parse("keepalived.conf", []byte(src), config.Options{Host: config.FakeHost{Interfaces: []string{"eth0"}}})
	var first bytes.Buffer
	if err := DumpJSON(&first, cfg); err != nil {
		t.Fatal(err)
	}
	back := new(config.Config)
	if err := json.Unmarshal(first.Bytes(), back); err != nil {
		t.Fatalf("JSON dump does not read back: %v\n%s", err, first.String())
	}
	var second bytes.Buffer
	if err := DumpJSON(&second, back); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("round trip differs:\n%s\nvs\n%s", first.String(), second.String())
	}

	// A value set in the model comes out where its json tag says.
	cfg.Global.RouterID = "lb1"
	var b bytes.Buffer
	if err := DumpJSON(&b, cfg); err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(b.Bytes(), &generic); err != nil {
		t.Fatal(err)
	}
	if gd, _ := generic["global_defs"].(map[string]any); gd == nil || gd["router_id"] != "lb1" {
		t.Errorf("global_defs.router_id missing from the JSON dump: %v", generic["global_defs"])
	}
}

func TestFieldsFollowJSONTags(t *testing.T) {
	v := reflect.ValueOf(dumpModel{})
	var names []string
	for _, f := range fields(v) {
		names = append(names, f.name)
	}
	want := []string{"shared", "name", "empty", "priority", "enabled", "ratio", "interval", "state", "addr",
		"prefixes", "tags", "no_tags", "env", "child", "nil", "nodes", "matrix", "zero", "Untagged"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("fields = %q\nwant %q", names, want)
	}
}
