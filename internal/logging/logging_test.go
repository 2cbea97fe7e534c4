package logging

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var at = time.Date(2026, time.November, 2, 6, 19, 57, 0, time.Local)

func TestFormatIsKeepalivedConsole(t *testing.T) {
	// keepalived -l -n: "Sun Nov  2 06:19:57 2026: (VI_1) Entering MASTER STATE"
	got := Format(at, "(VI_1) Entering MASTER STATE")
	want := "Mon Nov  2 06:19:57 2026: (VI_1) Entering MASTER STATE\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Format(at.AddDate(0, 0, 20), "x"); got != "Sun Nov 22 06:19:57 2026: x\n" {
		t.Errorf("two-digit day: %q", got)
	}
}

func TestWriterDetailGating(t *testing.T) {
	for _, detail := range []bool{false, true} {
		var buf bytes.Buffer
		w, err := New(Options{Console: &buf, Detail: detail, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		Infof(w, "(%s) Entering MASTER STATE", "VI_1")
		Detailf(w, "(%s) sent 0 priority", "VI_1")
		Errorf(w, "boom %d", 1)
		want := "Mon Nov  2 06:19:57 2026: (VI_1) Entering MASTER STATE\n"
		if detail {
			want += "Mon Nov  2 06:19:57 2026: (VI_1) sent 0 priority\n"
		}
		want += "Mon Nov  2 06:19:57 2026: boom 1\n"
		if buf.String() != want {
			t.Errorf("detail=%v: got\n%s\nwant\n%s", detail, buf.String(), want)
		}
		w.Close()
	}
}

func TestWriterFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.log")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := New(Options{File: path, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	Infof(w, "hello")
	w.Close()
	b, _ := os.ReadFile(path)
	if string(b) != "old\nMon Nov  2 06:19:57 2026: hello\n" {
		t.Errorf("file: %q", b)
	}
	if _, err := New(Options{File: filepath.Join(t.TempDir(), "no", "such", "dir")}); err == nil {
		t.Error("log file in a missing directory accepted")
	}
}

func TestFacility(t *testing.T) {
	for name, want := range map[string]string{"daemon": "daemon", "": "daemon", "local3": "local3", "3": "local3", "user": "user", "bogus": "daemon"} {
		if Facility(name) != Facility(want) {
			t.Errorf("%q: %v, want %v", name, Facility(name), Facility(want))
		}
	}
}

func TestSink(t *testing.T) {
	var s Sink
	Infof(&s, "a %d", 1)
	Detailf(&s, "b")
	if got := s.Texts(false); len(got) != 1 || got[0] != "a 1" {
		t.Errorf("Texts(false) = %q", got)
	}
	if got := s.Texts(true); len(got) != 2 {
		t.Errorf("Texts(true) = %q", got)
	}
	if s.Count("b") != 1 {
		t.Error("Count")
	}
	s.Reset()
	if len(s.Lines()) != 0 {
		t.Error("Reset")
	}
}
