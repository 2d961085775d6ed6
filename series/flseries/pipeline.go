package flseries

import (
	"runtime"

	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// pipeline runs per-item work ahead of an in-order consumer: the consumer
// takes items 0, 1, … in order; while it handles item i, the work of the
// next items runs in the background (at most GOMAXPROCS+1 items in
// flight, so memory stays bounded). start(i) is called on the consumer's
// goroutine, in index order and before item i's work begins (it may use
// the libhdf5 files in program order); it returns the background work or
// an error that take(i) reports. After an error from start no later item
// is started. Every goroutine runs under par (a panic becomes that item's
// Internal error).
type pipeline[T any] struct {
	n, limit int
	start    func(i int) (func() (T, error), error)
	items    []*pipeItem[T]
	started  int  // items started so far
	stopped  bool // start failed or stop was called: start no more
}

type pipeItem[T any] struct {
	v    T
	err  error
	wait func() error // nil: err set by start
}

func newPipeline[T any](n int, start func(i int) (func() (T, error), error)) *pipeline[T] {
	p := &pipeline[T]{n: n, limit: runtime.GOMAXPROCS(0) + 1, start: start, items: make([]*pipeItem[T], n)}
	p.fill(0)
	return p
}

// fill starts the items up to i+limit-1.
func (p *pipeline[T]) fill(i int) {
	for !p.stopped && p.started < p.n && p.started < i+p.limit {
		k := p.started
		p.started++
		it := &pipeItem[T]{}
		p.items[k] = it
		work, err := p.start(k)
		if err != nil {
			it.err = err
			p.stopped = true
			return
		}
		it.wait = par.Go(func() error {
			var err error
			it.v, err = work()
			return err
		})
	}
}

// take returns item i; items must be taken in index order. After take
// the item's work has finished.
func (p *pipeline[T]) take(i int) (T, error) {
	it := p.items[i]
	p.items[i] = nil
	if it == nil { // not started: an earlier item failed to start
		var zero T
		return zero, qperr.New(qperr.Internal, "pipeline: item %d taken after an earlier failure", i)
	}
	if it.wait != nil {
		it.err = it.wait()
	}
	if it.err == nil {
		p.fill(i + 1) // keeps at most limit items in flight
	}
	return it.v, it.err
}

// stop waits for the work still running and starts nothing more; call it
// before the files the work uses are closed (deferred, it is harmless
// after the last take).
func (p *pipeline[T]) stop() {
	p.stopped = true
	for i, it := range p.items {
		if it != nil && it.wait != nil {
			it.wait()
		}
		p.items[i] = nil
	}
}
