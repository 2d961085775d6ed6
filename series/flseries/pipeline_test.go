package flseries

import (
	"errors"
	"sync/atomic"
	"testing"

	"qpgo/core/qperr"
)

// TestPipeline: results in order, a start error stops later starts and is
// reported at its index, a panic becomes that item's Internal error, and
// no more than GOMAXPROCS+1 items are ever in flight.
func TestPipeline(t *testing.T) {
	var running, peak atomic.Int32
	bad := errors.New("start 7")
	var starts []int
	p := newPipeline(10, func(i int) (func() (int, error), error) {
		starts = append(starts, i)
		if i == 7 {
			return nil, bad
		}
		return func() (int, error) {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			if i == 5 {
				panic("test panic")
			}
			return i * i, nil
		}, nil
	})
	defer p.stop()
	for i := 0; i < 5; i++ {
		if v, err := p.take(i); err != nil || v != i*i {
			t.Fatalf("item %d: %v %v", i, v, err)
		}
	}
	if _, err := p.take(5); !qperr.Is(err, qperr.Internal) {
		t.Fatalf("panic: %v", err)
	}
	if _, err := p.take(6); err != nil {
		t.Fatal(err)
	}
	if _, err := p.take(7); err != bad {
		t.Fatalf("start error: %v", err)
	}
	if starts[len(starts)-1] != 7 {
		t.Errorf("started after the failure: %v", starts)
	}
	if peak.Load() > int32(p.limit) {
		t.Errorf("%d items in flight, limit %d", peak.Load(), p.limit)
	}
}
