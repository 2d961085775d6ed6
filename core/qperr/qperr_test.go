package qperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOf(t *testing.T) {
	base := New(MissingMeta, "No meta data was defined for %q", "wavelength")
	wrapped := fmt.Errorf("outer: %w", base)
	if KindOf(wrapped) != MissingMeta {
		t.Fatalf("KindOf(wrapped) = %v", KindOf(wrapped))
	}
	if KindOf(errors.New("plain")) != Internal {
		t.Fatal("plain error must be Internal")
	}
	if KindOf(nil) != -1 {
		t.Fatal("nil must be -1")
	}
	if Wrap(IO, nil, "x") != nil {
		t.Fatal("Wrap(nil) must be nil")
	}
	w := Wrap(IO, errors.New("disk full"), "writing %s", "a.h5")
	if w.Error() != "writing a.h5: disk full" || !Is(w, IO) {
		t.Fatalf("Wrap: %v", w)
	}
	if BadHandle.String() != "bad handle" || Kind(99).String() != "kind(99)" {
		t.Fatal("String")
	}
}

// A message made from its cause says it once; another message gets the
// cause appended.
func TestErrorSaysCauseOnce(t *testing.T) {
	cause := errors.New("npy: header has no simple 'descr': \"{}\"")
	for _, c := range []struct {
		err  error
		want string
	}{
		{Wrap(IO, cause, "%v", cause), cause.Error()},
		{Wrap(Integrity, cause, "frame cache f.npz member '0_data': %v", cause), "frame cache f.npz member '0_data': " + cause.Error()},
		{Wrap(IO, cause, "reading f.npz"), "reading f.npz: " + cause.Error()},
		{Wrap(IO, cause, ""), cause.Error()},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	if k := KindOf(New(Runtime, "specified dtype will truncate image")); k != Runtime || k.String() != "runtime error" {
		t.Errorf("Runtime kind: %v", k)
	}
}

func TestInFile(t *testing.T) {
	cause := errors.New("checksum")
	io := Wrap(IO, cause, "Unable to read dataset %q", "/phase/raw")
	got := InFile(io, "/data/a.h5")
	if got.Error() != `/data/a.h5: Unable to read dataset "/phase/raw": checksum` || !Is(got, IO) || !errors.Is(got, cause) {
		t.Errorf("IO error: %q kind %v", got, KindOf(got))
	}
	if again := InFile(got, "/data/a.h5"); again.Error() != got.Error() {
		t.Errorf("named twice: %q", again)
	}
	if e := InFile(New(Integrity, "a.h5 is damaged"), "/data/a.h5"); e.Error() != "a.h5 is damaged" {
		t.Errorf("message naming the base name: %q", e)
	}
	if e := InFile(New(Integrity, "bad"), "c.npz"); e.Error() != "c.npz: bad" || !Is(e, Integrity) {
		t.Errorf("integrity: %q", e)
	}
	// upstream's messages of other kinds stay verbatim
	nf := New(NotFound, "Unable to open object (object 'nope' doesn't exist)")
	if InFile(nf, "a.h5") != nf || InFile(nil, "a.h5") != nil || InFile(io, "") != io {
		t.Error("other kinds, nil or no name changed")
	}
}
