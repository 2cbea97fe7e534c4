package script

import (
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// fakeHost swaps the user database for the test.
func fakeHost(t *testing.T, users map[string][2]int, groups map[string]int) {
	t.Helper()
	old := host
	host = config.FakeHost{Users: users, Groups: groups}
	t.Cleanup(func() { host = old })
}

func TestLookupCred(t *testing.T) {
	fakeHost(t, map[string][2]int{"alice": {1000, 1001}, "1000": {5, 6}}, map[string]int{"ops": 2000})
	for _, tc := range []struct {
		user, group string
		want        Cred
		err         string
	}{
		{user: "alice", want: Cred{User: "alice", UID: 1000, GID: 1001, Groups: []uint32{1001}}},
		{user: "alice", group: "ops", want: Cred{User: "alice", UID: 1000, GID: 2000, Groups: []uint32{2000}}},
		{user: "root", want: Cred{User: "root", Groups: []uint32{0}}},
		// getpwnam: a number is a name.
		{user: "1000", want: Cred{User: "1000", UID: 5, GID: 6, Groups: []uint32{6}}},
		{user: "2000", err: "script user '2000' does not exist"},
		{user: "bob", err: "script user 'bob' does not exist"},
		{user: "alice", group: "nope", err: "script group 'nope' does not exist"},
	} {
		got, err := LookupCred(tc.user, tc.group)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %s: err %v, want %q", tc.user, tc.group, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: %+v, %v; want %+v", tc.user, tc.group, got, err, tc.want)
		}
	}
}

func TestDefaultCred(t *testing.T) {
	for _, tc := range []struct {
		name               string
		users              map[string][2]int
		scriptUser, sGroup string
		want               *Cred
		err                bool
	}{
		{name: "script_user", users: map[string][2]int{"alice": {1000, 1001}, "keepalived_script": {900, 900}}, scriptUser: "alice",
			want: &Cred{User: "alice", UID: 1000, GID: 1001, Groups: []uint32{1001}}},
		{name: "script_user and group", users: map[string][2]int{"alice": {1000, 1001}}, scriptUser: "alice", sGroup: "root",
			want: &Cred{User: "alice", UID: 1000, GID: 0, Groups: []uint32{0}}},
		{name: "script_user root", users: map[string][2]int{"keepalived_script": {900, 900}}, scriptUser: "root"},
		{name: "script_user unknown", scriptUser: "bob", err: true},
		{name: "keepalived_script", users: map[string][2]int{"keepalived_script": {900, 901}},
			want: &Cred{User: "keepalived_script", UID: 900, GID: 901, Groups: []uint32{901}}},
		{name: "root", users: map[string][2]int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fakeHost(t, tc.users, nil)
			got, err := DefaultCred(tc.scriptUser, tc.sGroup)
			if (err != nil) != tc.err || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%+v, %v; want %+v (error %v)", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestCredential(t *testing.T) {
	for _, tc := range []struct {
		in   *Cred
		want *syscall.Credential
	}{
		{nil, nil},
		{&Cred{User: "root"}, nil},
		{&Cred{UID: 0, GID: 5}, &syscall.Credential{Uid: 0, Gid: 5, Groups: []uint32{5}}},
		{&Cred{UID: 7, GID: 8}, &syscall.Credential{Uid: 7, Gid: 8, Groups: []uint32{8}}},
		{&Cred{UID: 7, GID: 8, Groups: []uint32{8, 9}}, &syscall.Credential{Uid: 7, Gid: 8, Groups: []uint32{8, 9}}},
	} {
		if got := credential(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("credential(%+v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}
