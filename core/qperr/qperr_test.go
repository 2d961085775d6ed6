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
