package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"encoding/json"

	"qpgo/core/imagedata"
	"qpgo/series/flseries"
	"qpgo/series/qpseries"
)

// Shared implementation of the functions that QPSeries (qps_) and
// FLSeries (fls_) handles have in common.
//
// qps_get_qpimage / fls_get_flimage return handles of the image family
// (usable with every qpi_ / fli_ function) that are live views into the
// series file. Ownership rule: the series handle owns the file. Closing a
// view releases only the view (the file stays open); closing the series
// first releases every view it issued that is still open, so a later call
// on such a view fails with QPGO_ERR_HANDLE instead of touching a closed
// file. A view call running concurrently with the series close finishes
// before the file is closed (the close waits for the view's lock).

// views tracks the view handles issued by one series handle.
type views struct {
	fam     family
	handles []int64
}

// add records h, dropping handles that were closed meanwhile.
func (v *views) add(h int64) {
	registry.RLock()
	kept := v.handles[:0]
	for _, x := range v.handles {
		if _, ok := registry.m[x]; ok {
			kept = append(kept, x)
		}
	}
	registry.RUnlock()
	v.handles = append(kept, h)
}

// register registers a member image of the series as a view handle.
func (v *views) register(img closer, out *C.qpgo_handle) {
	h := register(v.fam, img, img.Close)
	v.add(h)
	*out = C.qpgo_handle(h)
}

// releaseAll closes every view still open (already closed ones are skipped).
func (v *views) releaseAll() {
	for _, h := range v.handles {
		_ = release(h, v.fam) // closing a view never closes the series file
	}
	v.handles = nil
}

// series is what *qpseries.QPSeries and *flseries.FLSeries share.
type series interface {
	closer
	Len() int
	Identifier() string
	Identifiers() ([]string, error)
	Contains(id string) bool
}

// seriesObj is the object behind a series handle; views are the image
// handles issued by its get functions.
type seriesObj[S series] struct {
	s     S
	views views
	iters views // iterator handles (series_iter.go)
}

type (
	qpsObj = seriesObj[*qpseries.QPSeries]
	flsObj = seriesObj[*flseries.FLSeries]
)

var (
	qpsKind = kind[*qpsObj](famQPSeries)
	flsKind = kind[*flsObj](famFLSeries)
)

// registerSeries registers s under a new handle of kind k whose member
// views are of family viewFam; closing it releases the views first.
func registerSeries[S series](k kind[*seriesObj[S]], viewFam family, s S, out *C.qpgo_handle) {
	o := &seriesObj[S]{s: s, views: views{fam: viewFam}, iters: views{fam: iterFamily[family(k)]}}
	*out = C.qpgo_handle(register(family(k), o, func() error {
		o.iters.releaseAll() // iterators first: they yield views
		o.views.releaseAll()
		return o.s.Close()
	}))
}

// seriesOpt is qpseries.Options or flseries.Options.
type seriesOpt interface {
	~struct {
		Meta       []imagedata.Attr
		Identifier string
	}
}

// newSeries creates an empty series from the options object (what names
// it in errors) in memory or, with an h5file option, in a file, and
// registers it with reg.
func newSeries[S series, M any, Opt seriesOpt](options *C.qpgo_cchar, out *C.qpgo_handle, what string,
	inMemory func(list []M, opt Opt) (S, error), inFile func(path, mode string, list []M, opt Opt) (S, error),
	reg func(S, *C.qpgo_handle)) C.int {
	return guard(func() error {
		if err := clearOut(out, "out"); err != nil {
			return err
		}
		h5file, h5mode, ident, m, err := seriesOptions(optString(options), what)
		if err != nil {
			return err
		}
		opt := Opt{Meta: m, Identifier: ident}
		var s S
		if h5file == "" {
			s, err = inMemory(nil, opt)
		} else {
			s, err = inFile(h5file, h5mode, nil, opt)
		}
		if err != nil {
			return err
		}
		reg(s, out)
		return nil
	})
}

// seriesLen stores the number of members in *n.
func seriesLen[S series](k kind[*seriesObj[S]], h C.qpgo_handle, n *C.int64_t) C.int {
	return k.callOut(h, n == nil, "n", func(o *seriesObj[S]) error {
		*n = C.int64_t(o.s.Len())
		return nil
	})
}

// seriesAt stores in *out (named outName in errors) a view handle of
// member index (negative counts from the end), got by get.
func seriesAt[S series, I closer](k kind[*seriesObj[S]], h C.qpgo_handle, index C.int64_t,
	out *C.qpgo_handle, outName string, get func(S, int) (I, error)) C.int {
	return guard(func() error {
		if err := clearOut(out, outName); err != nil {
			return err
		}
		return memberView(k, h, out, func(s S) (I, error) { return get(s, int(index)) })
	})
}

// seriesByID is seriesAt for the first member whose identifier is id.
func seriesByID[S series, I closer](k kind[*seriesObj[S]], h C.qpgo_handle, id *C.qpgo_cchar,
	out *C.qpgo_handle, outName string, get func(S, string) (I, error)) C.int {
	return guard(func() error {
		if err := clearOut(out, outName); err != nil {
			return err
		}
		ident, err := goString(id, "id")
		if err != nil {
			return err
		}
		return memberView(k, h, out, func(s S) (I, error) { return get(s, ident) })
	})
}

// memberView registers the member get returns as a view of series h.
func memberView[S series, I closer](k kind[*seriesObj[S]], h C.qpgo_handle, out *C.qpgo_handle, get func(S) (I, error)) error {
	return with(int64(h), family(k), func(o *seriesObj[S]) error {
		img, err := get(o.s)
		if err != nil {
			return err
		}
		o.views.register(img, out)
		return nil
	})
}

// seriesContains stores 1 in *has if a member has the identifier id, else 0.
func seriesContains[S series](k kind[*seriesObj[S]], h C.qpgo_handle, id *C.qpgo_cchar, has *C.int) C.int {
	return hasKey(k, h, id, "id", has, func(o *seriesObj[S], s string) bool { return o.s.Contains(s) })
}

// seriesIdentifier writes the series identifier ("" when there is none).
func seriesIdentifier[S series](k kind[*seriesObj[S]], h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return k.call(h, func(o *seriesObj[S]) error {
		return putString(o.s.Identifier(), buf, buflen, needed)
	})
}

// seriesIdentifiersJSON writes the member identifiers as a JSON array.
func seriesIdentifiersJSON[S series](k kind[*seriesObj[S]], h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return k.call(h, func(o *seriesObj[S]) error {
		ids, err := o.s.Identifiers()
		if err != nil {
			return err
		}
		return putString(identifiersJSON(ids), buf, buflen, needed)
	})
}

// identifiersJSON renders member identifiers as a JSON array, null for a
// member without identifier.
func identifiersJSON(ids []string) string {
	out := make([]any, len(ids))
	for i, s := range ids {
		if s != "" {
			out[i] = s
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}
