// Package par runs work on goroutines without letting a panic escape: a
// panic in any worker becomes an Internal error of the call that started
// it. qpgo is a library loaded into other programs (Python, MATLAB, camera
// software); a panic on a goroutine of its own would kill the host process,
// because only the calling goroutine's recover (capi's guard) sees panics.
package par

import (
	"runtime"
	"runtime/debug"
	"sync"

	"qpgo/core/qperr"
)

// Do runs f(0), …, f(n-1) on at most workers goroutines (workers ≤ 0:
// GOMAXPROCS) and returns the first error in index order. A panic in f is
// returned as a qperr.Internal error carrying the stack.
func Do(n, workers int, f func(i int) error) error {
	if n <= 0 {
		return nil
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	errs := make([]error, n)
	if workers == 1 {
		for i := 0; i < n; i++ {
			errs[i] = Safe(func() error { return f(i) })
		}
		return first(errs)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = Safe(func() error { return f(i) })
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first(errs)
}

// Go starts f on a goroutine and returns a function that waits for it and
// returns its error (a panic becomes an Internal error).
func Go(f func() error) (wait func() error) {
	done := make(chan error, 1)
	go func() { done <- Safe(f) }()
	return func() error { return <-done }
}

// Safe calls f and converts a panic into an Internal error.
func Safe(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = qperr.New(qperr.Internal, "internal error: %v\n%s", r, debug.Stack())
		}
	}()
	return f()
}

func first(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
