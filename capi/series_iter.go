package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"iter"

	"qpgo/core/flimage"
	"qpgo/core/qpimage"
	"qpgo/series/flseries"
	"qpgo/series/qpseries"
)

// Iterating a series (upstream `for qpi in qps`) through an iterator
// handle. Each step yields the next member as a view handle, as
// qps_get_qpimage does; on a read-only file the images the loop reads are
// decoded ahead on the other cores (numbered.Series.All), which access
// member by member cannot do. Locks are taken series first, then
// iterator, by a step and by the series close alike.

// seriesIter is the object behind an iterator handle: a pulled All().
type seriesIter struct {
	series int64 // the series handle
	next   func() (closer, error, bool)
	stop   func()
}

// allSeries is a series whose All yields members of type M.
type allSeries[M any] interface {
	series
	All() iter.Seq2[M, error]
}

// iterFamily is the iterator family of each series family.
var iterFamily = map[family]family{famQPSeries: famQPSeriesIter, famFLSeries: famFLSeriesIter}

// seriesIterNew registers an iterator over the members of series h.
func seriesIterNew[S allSeries[M], M closer](k kind[*seriesObj[S]], h C.qpgo_handle, out *C.qpgo_handle) C.int {
	itFam := iterFamily[family(k)]
	return guard(func() error {
		if err := clearOut(out, "iter_out"); err != nil {
			return err
		}
		return with(int64(h), family(k), func(o *seriesObj[S]) error {
			next, stop := iter.Pull2(o.s.All())
			it := &seriesIter{series: int64(h), stop: stop, next: func() (closer, error, bool) { return next() }}
			ih := register(itFam, it, func() error { it.stop(); return nil })
			o.iters.add(ih)
			*out = C.qpgo_handle(ih)
			return nil
		})
	})
}

// seriesIterNext stores the next member's view handle in *out, or 0 after
// the last member.
func seriesIterNext[S series](k kind[*seriesObj[S]], it C.qpgo_handle, out *C.qpgo_handle, outName string) C.int {
	itFam := iterFamily[family(k)]
	return guard(func() error {
		if err := clearOut(out, outName); err != nil {
			return err
		}
		var sh int64
		if err := with(int64(it), itFam, func(si *seriesIter) error { sh = si.series; return nil }); err != nil {
			return err
		}
		return with(sh, family(k), func(o *seriesObj[S]) error {
			return with(int64(it), itFam, func(si *seriesIter) error {
				m, err, ok := si.next()
				if !ok {
					return nil
				}
				if err != nil {
					return err
				}
				o.views.register(m, out)
				return nil
			})
		})
	})
}

// qps_iter_new stores in *iter_out an iterator over the members of the
// QPSeries h in index order (upstream `for qpi in qps`); qps_iter_next
// steps it, qps_iter_close releases it (qps_close releases it too).
// Members are read as by qps_get_qpimage; on a read-only file the images
// that the loop reads from one member are read and decoded ahead for the
// next members on the other cores. Errors: QPGO_ERR_ARG (NULL),
// QPGO_ERR_HANDLE.
//
//export qps_iter_new
func qps_iter_new(h C.qpgo_handle, iterOut *C.qpgo_handle) C.int {
	return seriesIterNew[*qpseries.QPSeries, *qpimage.QPImage](qpsKind, h, iterOut)
}

// qps_iter_next stores in *qpi_out a view handle of the next member (as
// qps_get_qpimage), or 0 when every member has been yielded. An error
// reading one member is returned for that step; the next step goes on
// with the member after it. Errors: QPGO_ERR_ARG (NULL),
// QPGO_ERR_HANDLE (iterator or its series closed), QPGO_ERR_IO.
//
//export qps_iter_next
func qps_iter_next(iter C.qpgo_handle, qpiOut *C.qpgo_handle) C.int {
	return seriesIterNext(qpsKind, iter, qpiOut, "qpi_out")
}

// qps_iter_close releases the iterator; images still being read ahead are
// waited for and dropped. The member views it yielded stay valid.
// Errors: QPGO_ERR_HANDLE.
//
//export qps_iter_close
func qps_iter_close(iter C.qpgo_handle) C.int {
	return guard(func() error { return release(int64(iter), famQPSeriesIter) })
}

// fls_iter_new is qps_iter_new for an FLSeries.
//
//export fls_iter_new
func fls_iter_new(h C.qpgo_handle, iterOut *C.qpgo_handle) C.int {
	return seriesIterNew[*flseries.FLSeries, *flimage.FLImage](flsKind, h, iterOut)
}

// fls_iter_next is qps_iter_next for an FLSeries iterator (*fli_out: an
// FLImage view handle).
//
//export fls_iter_next
func fls_iter_next(iter C.qpgo_handle, fliOut *C.qpgo_handle) C.int {
	return seriesIterNext(flsKind, iter, fliOut, "fli_out")
}

// fls_iter_close is qps_iter_close for an FLSeries iterator.
//
//export fls_iter_close
func fls_iter_close(iter C.qpgo_handle) C.int {
	return guard(func() error { return release(int64(iter), famFLSeriesIter) })
}
