package par

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"qpgo/core/qperr"
)

func TestDo(t *testing.T) {
	var sum atomic.Int64
	if err := Do(100, 3, func(i int) error { sum.Add(int64(i)); return nil }); err != nil || sum.Load() != 4950 {
		t.Fatalf("sum %d err %v", sum.Load(), err)
	}
	err := Do(10, 4, func(i int) error {
		if i == 7 {
			var m map[int]int
			m[1] = 1 // nil map write: a panic
		}
		if i == 8 {
			return errors.New("later error")
		}
		return nil
	})
	if !qperr.Is(err, qperr.Internal) || !strings.Contains(err.Error(), "nil map") {
		t.Fatalf("panic not converted: %v", err)
	}
	if err := Do(0, 0, nil); err != nil {
		t.Fatal(err)
	}
	wait := Go(func() error { panic("boom") })
	if err := wait(); !qperr.Is(err, qperr.Internal) {
		t.Fatalf("Go: %v", err)
	}
}
