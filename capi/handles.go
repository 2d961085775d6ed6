package main

import (
	"sync"

	"qpgo/core/qperr"
)

// Family tells which kind of object a handle refers to; a handle used with
// the functions of another family is a bad handle.
type family int

const (
	famQPImage family = iota + 1
	famQPSeries
	famFLImage
	famFLSeries
	famImageSeries
	famQPSeriesIter
	famFLSeriesIter
)

var familyNames = map[family]string{famQPImage: "QPImage", famQPSeries: "QPSeries",
	famFLImage: "FLImage", famFLSeries: "FLSeries", famImageSeries: "ImageSeries",
	famQPSeriesIter: "QPSeries iterator", famFLSeriesIter: "FLSeries iterator"}

// entry is one registered object. Its mutex serialises calls on the same
// handle (an object's operations are several HDF5 steps); calls on
// different handles run concurrently up to the HDF5 lock.
type entry struct {
	mu     sync.Mutex
	fam    family
	obj    any
	closer func() error
}

// registry maps handles to objects. Handles count up from 1 and are never
// reused, so a stale handle can never reach another caller's object.
var registry = struct {
	sync.RWMutex
	next int64
	m    map[int64]*entry
}{m: map[int64]*entry{}}

func register(fam family, obj any, closer func() error) int64 {
	registry.Lock()
	defer registry.Unlock()
	registry.next++
	registry.m[registry.next] = &entry{fam: fam, obj: obj, closer: closer}
	return registry.next
}

func lookup(h int64, fam family) (*entry, error) {
	if h <= 0 {
		return nil, qperr.New(qperr.BadHandle, "invalid %s handle %d", familyNames[fam], h)
	}
	registry.RLock()
	e, ok := registry.m[h]
	registry.RUnlock()
	if !ok {
		return nil, qperr.New(qperr.BadHandle, "%s handle %d is closed or was never opened", familyNames[fam], h)
	}
	if e.fam != fam {
		return nil, qperr.New(qperr.BadHandle, "handle %d is a %s, not a %s", h, familyNames[e.fam], familyNames[fam])
	}
	return e, nil
}

// with runs f with the object of handle h locked.
func with[T any](h int64, fam family, f func(T) error) error {
	e, err := lookup(h, fam)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.obj == nil { // closed while we waited
		return qperr.New(qperr.BadHandle, "%s handle %d is closed", familyNames[fam], h)
	}
	return f(e.obj.(T))
}

// release removes the handle and closes its object.
func release(h int64, fam family) error {
	e, err := lookup(h, fam)
	if err != nil {
		return err
	}
	registry.Lock()
	delete(registry.m, h)
	registry.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.obj = nil
	if e.closer != nil {
		return e.closer()
	}
	return nil
}

// with2 runs f with the objects of handles a and b locked. The locks are
// taken in handle order so that two calls with swapped handles cannot
// deadlock; a == b locks once.
func with2[T any](a, b int64, fam family, f func(x, y T) error) error {
	if a == b {
		return with(a, fam, func(x T) error { return f(x, x) })
	}
	first, second := a, b
	if first > second {
		first, second = second, first
	}
	return with(first, fam, func(p T) error {
		return with(second, fam, func(q T) error {
			if a == first {
				return f(p, q)
			}
			return f(q, p)
		})
	})
}
