package imagedata

import (
	"runtime"
	"sync/atomic"

	"qpgo/core/h5"
	"qpgo/internal/par"
)

// Read-ahead for iterating a series: while the caller works on one member,
// the images it is expected to read next are read and decoded on another
// core. Only images of read-only files are read ahead, so the result is
// what the later Image call would have read.

// aheadRead is a registered background Image read. Whoever claims it
// first does it: the function of ReadAheadFunc, or Image itself when the
// read has not begun (it then reads at once instead of waiting for a
// goroutine that may still be queued), or DropAhead (which cancels it).
type aheadRead struct {
	claimed atomic.Bool
	done    chan struct{} // closed when the claimed read is finished
	v       []float64
	shape   []int
	err     error
}

// ReadAheadFunc registers a read-ahead of Image and returns the function
// that performs it, to be run once on any goroutine; the next Image call
// returns its result. It returns nil (nothing registered) for a writable
// file or when a read-ahead is registered already. Call DropAhead before
// the file is closed.
func (d *ImageData) ReadAheadFunc() func() {
	if d.G.File().Writable() || d.ahead.Load() != nil {
		return nil
	}
	a := &aheadRead{done: make(chan struct{})}
	if !d.ahead.CompareAndSwap(nil, a) {
		return nil
	}
	return func() {
		if !a.claimed.CompareAndSwap(false, true) {
			return // taken over by Image or dropped
		}
		a.err = par.Safe(func() error {
			var err error
			a.v, a.shape, err = d.imageWithout("", false)
			return err
		})
		close(a.done)
		// Let a caller waiting for this image run now: readied on this P,
		// it would otherwise wait until the scheduler takes the P back
		// from the next cgo call of this goroutine (up to a millisecond,
		// which made a read-ahead loop no faster than a plain one).
		runtime.Gosched()
	}
}

// ReadAhead runs the read of ReadAheadFunc on a new goroutine.
func (d *ImageData) ReadAhead() {
	if f := d.ReadAheadFunc(); f != nil {
		par.Go(func() error { f(); return nil })
	}
}

// DropAhead cancels a registered read-ahead or waits for it and discards
// it; Image then reads again.
func (d *ImageData) DropAhead() {
	if a := d.ahead.Swap(nil); a != nil && !a.claimed.CompareAndSwap(false, true) {
		<-a.done
		if a.err == nil {
			h5.RecycleFloat64(a.v) // read for nobody
		}
	}
}

// ReadingAhead reports whether a read-ahead is registered (not yet taken
// by Image or dropped).
func (d *ImageData) ReadingAhead() bool { return d.ahead.Load() != nil }

// ImageRead reports whether Image has been called on d.
func (d *ImageData) ImageRead() bool { return d.read.Load() }

// takeAhead returns the result of a read-ahead, ok false when there is
// none, it has not begun (Image reads now) or it failed (Image reads
// again, for the error of a plain read).
func (d *ImageData) takeAhead() (v []float64, shape []int, ok bool) {
	a := d.ahead.Swap(nil)
	if a == nil || a.claimed.CompareAndSwap(false, true) {
		return nil, nil, false
	}
	<-a.done
	if a.err != nil {
		return nil, nil, false
	}
	return a.v, a.shape, true
}
