package flseries

import (
	"runtime"
	"sync/atomic"

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
// is started. The work runs on GOMAXPROCS worker goroutines under par (a
// panic becomes that item's Internal error) that take the items in index
// order: a goroutine per item would let the scheduler run the newest item
// first (it goes to the front of the run queue), so the consumer would
// wait for the oldest one while later items take the cores.
//
// A gated pipeline (newGatedPipeline) starts nothing until open lets it:
// its items become available while the consumer is still producing their
// input (denoise starts on the first images while later ones are read).
type pipeline[T any] struct {
	n, limit int
	avail    int // items that may be started (n unless gated)
	next     int // next item to take
	start    func(i int) (func() (T, error), error)
	items    []*pipeItem[T]
	started  int  // items started so far
	stopped  bool // start failed or stop was called: start no more

	queue   chan *pipeItem[T] // started items, in index order, for the workers
	workers []func() error    // waits for the workers (par.Go)
	quit    atomic.Bool       // stop: workers skip the work still queued
}

type pipeItem[T any] struct {
	v    T
	err  error
	work func() (T, error)
	done chan struct{} // closed when v, err are set; nil: err set by start
}

func newPipeline[T any](n int, start func(i int) (func() (T, error), error)) *pipeline[T] {
	p := newGatedPipeline(n, start)
	p.open(n)
	return p
}

// newGatedPipeline is newPipeline that starts no item before open.
func newGatedPipeline[T any](n int, start func(i int) (func() (T, error), error)) *pipeline[T] {
	procs := runtime.GOMAXPROCS(0)
	return &pipeline[T]{n: n, limit: procs + 1, start: start, items: make([]*pipeItem[T], n),
		queue: make(chan *pipeItem[T], procs+1)}
}

// open makes items 0 … k-1 available and starts what the limit allows.
func (p *pipeline[T]) open(k int) {
	p.avail = max(p.avail, min(k, p.n))
	p.fill(p.next)
}

// fill starts the available items up to i+limit-1.
func (p *pipeline[T]) fill(i int) {
	for !p.stopped && p.started < p.avail && p.started < i+p.limit {
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
		it.work, it.done = work, make(chan struct{})
		if len(p.workers) < cap(p.queue)-1 && len(p.workers) < p.n {
			p.workers = append(p.workers, par.Go(p.worker))
		}
		p.queue <- it // never blocks: at most limit items are queued or running
	}
}

// worker runs the queued items in order until stop closes the queue.
func (p *pipeline[T]) worker() error {
	for it := range p.queue {
		if p.quit.Load() {
			it.err = qperr.New(qperr.Cancelled, "pipeline stopped")
		} else {
			it.err = par.Safe(func() error {
				var err error
				it.v, err = it.work()
				return err
			})
		}
		it.work = nil
		close(it.done)
	}
	return nil
}

// take returns item i; items must be taken in index order. After take
// the item's work has finished.
func (p *pipeline[T]) take(i int) (T, error) {
	it := p.items[i]
	p.items[i] = nil
	p.next = i + 1
	if it == nil { // not started: an earlier item failed to start, or not opened
		var zero T
		return zero, qperr.New(qperr.Internal, "pipeline: item %d taken after an earlier failure", i)
	}
	if it.done != nil {
		<-it.done
	}
	if it.err == nil {
		p.fill(i + 1) // keeps at most limit items in flight
	}
	return it.v, it.err
}

// stop waits for the work still running and starts nothing more; call it
// before the files the work uses are closed (deferred, it is harmless
// after the last take and when called twice).
func (p *pipeline[T]) stop() {
	if p.stopped && p.queue == nil {
		return
	}
	p.stopped = true
	p.quit.Store(true)
	close(p.queue)
	for _, wait := range p.workers {
		wait()
	}
	p.queue, p.workers = nil, nil
	clear(p.items)
}
