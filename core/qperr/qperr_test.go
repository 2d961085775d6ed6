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
