package numbered

import (
	"runtime"

	"qpgo/internal/par"
)

// Read-ahead of All on read-only files: while the caller works on member
// i, the images it read from the member before (the pattern of a loop
// that reads, say, the phase of every member) are read and decoded for
// the next GOMAXPROCS members (imagedata.ReadAheadFunc) by GOMAXPROCS
// worker goroutines that take the reads in member order (goroutines per
// read would run the newest first). A read no worker has begun when the
// caller asks for the image is done by the caller. Members are opened in
// index order on the iterating goroutine; their errors are yielded in
// turn, as the plain loop does. Every read-ahead is dropped (cancelled or
// waited for) when its member is left, and the workers end before All
// returns, so nothing outlives the iteration (the caller may close the
// file after it).

type aheadEntry[M any] struct {
	m       M
	err     error
	started bool
}

func (s *Series[M]) allAhead(n int, yield func(M, error) bool) {
	depth := max(1, runtime.GOMAXPROCS(0))
	var queue []aheadEntry[M] // opened, not yet yielded: members i, i+1, …
	var used []bool           // images the last member left had read; nil: none yet
	reads := make(chan func(), 4*(depth+1))
	var workers []func() error
	drop := func(e *aheadEntry[M]) {
		if e.started {
			for _, d := range s.kind.Images(e.m) {
				d.DropAhead()
			}
		}
	}
	defer func() {
		for k := range queue {
			drop(&queue[k])
		}
		close(reads)
		for _, wait := range workers {
			wait()
		}
	}()
	opened := 0
	for i := 0; i < n; i++ {
		for ; opened < n && opened <= i+depth; opened++ {
			m, err := Get(s, opened)
			queue = append(queue, aheadEntry[M]{m: m, err: err})
		}
		if used != nil {
			for k := range queue {
				e := &queue[k]
				if e.started || e.err != nil {
					continue
				}
				e.started = true
				for j, d := range s.kind.Images(e.m) {
					if j >= len(used) || !used[j] {
						continue
					}
					if f := d.ReadAheadFunc(); f != nil {
						if len(workers) < depth {
							workers = append(workers, par.Go(func() error {
								for f := range reads {
									f()
								}
								return nil
							}))
						}
						reads <- f
					}
				}
			}
		}
		e := queue[0]
		queue = queue[1:]
		ok := yield(e.m, e.err)
		if e.err == nil {
			imgs := s.kind.Images(e.m)
			used = make([]bool, len(imgs))
			for j, d := range imgs {
				used[j] = d.ImageRead()
			}
		}
		drop(&e)
		if !ok {
			return
		}
	}
}
