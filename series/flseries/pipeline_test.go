package flseries

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"qpgo/core/flimage"
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

// TestGatedPipeline: nothing starts before open, open(k) starts at most
// the items below k (and within the limit), results come in order.
func TestGatedPipeline(t *testing.T) {
	var started atomic.Int32
	p := newGatedPipeline(6, func(i int) (func() (int, error), error) {
		started.Add(1)
		return func() (int, error) { return 10 * i, nil }, nil
	})
	defer p.stop()
	if started.Load() != 0 {
		t.Fatalf("%d items started before open", started.Load())
	}
	p.open(1)
	if started.Load() != 1 {
		t.Fatalf("open(1) started %d items", started.Load())
	}
	p.open(100)
	if got := int(started.Load()); got != min(6, p.limit) {
		t.Fatalf("open(100) started %d items, limit %d", got, p.limit)
	}
	for i := 0; i < 6; i++ {
		if v, err := p.take(i); err != nil || v != 10*i {
			t.Fatalf("item %d: %v %v", i, v, err)
		}
	}
}

// TestDenoiseNaNTouchesNoOutput: a NaN in a later image fails denoise
// with that image's index while earlier images are already being
// denoised, and the output file is never created.
func TestDenoiseNaNTouchesNoOutput(t *testing.T) {
	s, err := NewInMemory(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 6; i++ {
		d := make([]float64, 12*10)
		for j := range d {
			d[j] = float64(j%7) + float64(i)
		}
		if i == 4 {
			d[17] = math.NaN()
		}
		fli, err := flimage.NewInMemory(&flimage.Array{Data: d, Shape: []int{12, 10}}, nil, flimage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddFLImage(fli, ""); err != nil {
			t.Fatal(err)
		}
		fli.Close()
	}
	out := filepath.Join(t.TempDir(), "dn.h5")
	err = s.Denoise(ToFile(out), nil)
	if !qperr.Is(err, qperr.BadArgument) || !strings.Contains(err.Error(), "image 4 contains NaN") {
		t.Fatalf("NaN: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output created for bad input")
	}
}

// TestPipelineOrder: the workers take the items in index order (one
// worker: exactly in order), so the item the consumer needs next is never
// queued behind later ones; stop skips the items still queued.
func TestPipelineOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var order []int
	p := newPipeline(8, func(i int) (func() (int, error), error) {
		return func() (int, error) { order = append(order, i); return i, nil }, nil
	})
	for i := 0; i < 5; i++ {
		if v, err := p.take(i); err != nil || v != i {
			t.Fatalf("item %d: %v %v", i, v, err)
		}
	}
	p.stop()
	p.stop() // twice is harmless
	if !slices.IsSorted(order) || len(order) > 7 {
		t.Errorf("work order %v", order)
	}
}
