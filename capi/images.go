package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"encoding/json"
	"strings"
	"unsafe"

	"qpgo/core/flimage"
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
)

// Shared implementation of the functions that QPImage (qpi_) and FLImage
// (fli_) handles have in common. Each exported function stays a thin
// wrapper naming its handle kind; the helpers run it under guard and with
// and follow the conventions of qpi.go.

// kind is a handle family typed with the Go type of its objects, so that
// the generic helpers infer the object type from the kind they are given.
type kind[T any] family

var (
	qpiKind = kind[*qpimage.QPImage](famQPImage)
	fliKind = kind[*flimage.FLImage](famFLImage)
)

// call runs f under guard with the object of handle h locked.
func (k kind[T]) call(h C.qpgo_handle, f func(T) error) C.int {
	return guard(func() error { return with(int64(h), family(k), f) })
}

// callOut is call for a function with the output argument name, which
// must not be NULL (isNil): that is checked before the handle.
func (k kind[T]) callOut(h C.qpgo_handle, isNil bool, name string, f func(T) error) C.int {
	if isNil {
		return guard(func() error { return argErr("%s is NULL", name) })
	}
	return k.call(h, f)
}

// hasKey stores 1 in *has if test(object, key) holds, else 0; keyName
// names key in errors.
func hasKey[T any](k kind[T], h C.qpgo_handle, key *C.qpgo_cchar, keyName string, has *C.int, test func(T, string) bool) C.int {
	return guard(func() error {
		s, err := goString(key, keyName)
		if err != nil {
			return err
		}
		if has == nil {
			return argErr("has is NULL")
		}
		return with(int64(h), family(k), func(obj T) error {
			*has = 0
			if test(obj, s) {
				*has = 1
			}
			return nil
		})
	})
}

// metaObject is an object with root-attribute meta data, info and repr.
type metaObject interface {
	Meta() (*meta.Dict, error)
	GetMeta(key string) (any, error)
	SetMeta(key string, value any) error
	HasMeta(key string) bool
	Info() ([]imagedata.InfoItem, error)
	Repr() string
}

// image is what *qpimage.QPImage and *flimage.FLImage share (T is the
// image type itself).
type image[T any] interface {
	metaObject
	Shape() ([]int, error)
	DType() (h5.DType, error)
	Equal(other T) (bool, error)
	Slice(ranges ...qpimage.Range) (T, error)
	CopyToMemory() (T, error)
	CopyToFile(path string) (T, error)
	CopyToGroup(g *h5.Group) (T, error)
	Close() error
}

// closer is an object a handle owns.
type closer interface{ Close() error }

// registerObj registers obj under a new handle of kind k, closed with the handle.
func registerObj[T closer](k kind[T], obj T, out *C.qpgo_handle) {
	*out = C.qpgo_handle(register(family(k), obj, obj.Close))
}

// clearOut checks and zeroes an output handle argument.
func clearOut(out *C.qpgo_handle, name string) error {
	if out == nil {
		return argErr("%s is NULL", name)
	}
	*out = 0
	return nil
}

// openObj opens the file at path with an h5py mode (NULL or "": "r") and
// registers the object with reg.
func openObj[T any](path, mode *C.qpgo_cchar, out *C.qpgo_handle,
	open func(path, mode string) (T, error), reg func(T, *C.qpgo_handle)) C.int {
	return guard(func() error {
		if err := clearOut(out, "out"); err != nil {
			return err
		}
		p, err := goString(path, "path")
		if err != nil {
			return err
		}
		obj, err := open(p, optStringOr(mode, "r"))
		if err != nil {
			return err
		}
		reg(obj, out)
		return nil
	})
}

// newImage creates an image from data and an optional background of the
// same layout (read by array; data NULL: no data, bg_data then not
// allowed) with the options read by options, in memory or, with an
// h5file option, in a file.
func newImage[In, Opt any, T image[T]](k kind[T], data, bgData *C.qpgo_cdouble, out *C.qpgo_handle,
	array func(data *C.qpgo_cdouble, what string) (In, error),
	options func() (opt Opt, h5file, h5mode string, err error),
	inMemory func(data, bg In, opt Opt) (T, error),
	inFile func(path, mode string, data, bg In, opt Opt) (T, error)) C.int {
	return guard(func() error {
		if err := clearOut(out, "out"); err != nil {
			return err
		}
		var in, bg In
		var err error
		if data != nil {
			if in, err = array(data, "data"); err != nil {
				return err
			}
		} else if bgData != nil {
			return argErr("bg_data given without data")
		}
		if bgData != nil {
			if bg, err = array(bgData, "bg_data"); err != nil {
				return err
			}
		}
		opt, h5file, h5mode, err := options()
		if err != nil {
			return err
		}
		var img T
		if h5file == "" {
			img, err = inMemory(in, bg, opt)
		} else {
			img, err = inFile(h5file, h5mode, in, bg, opt)
		}
		if err != nil {
			return err
		}
		registerObj(k, img, out)
		return nil
	})
}

// copyImage copies an image in memory (path NULL or "") or to a new file.
func copyImage[T image[T]](k kind[T], h C.qpgo_handle, path *C.qpgo_cchar, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if err := clearOut(out, "out"); err != nil {
			return err
		}
		p := optString(path)
		return with(int64(h), family(k), func(img T) error {
			var c T
			var err error
			if p == "" {
				c, err = img.CopyToMemory()
			} else {
				c, err = img.CopyToFile(p)
			}
			if err != nil {
				return err
			}
			registerObj(k, c, out)
			return nil
		})
	})
}

// copyImageToID copies the image into the HDF5 file or group with the
// libhdf5 identifier id (same libhdf5 in this process); group gives the
// image's own group, which must not contain the target.
func copyImageToID[T image[T]](k kind[T], h C.qpgo_handle, id C.int64_t, out *C.qpgo_handle, group func(T) *h5.Group) C.int {
	return guard(func() error {
		if err := clearOut(out, "out"); err != nil {
			return err
		}
		g, err := h5.WrapID(int64(id))
		if err != nil {
			return err
		}
		return with(int64(h), family(k), func(img T) error {
			if err := inside(group(img), g); err != nil {
				return err
			}
			c, err := img.CopyToGroup(g)
			if err != nil {
				return err
			}
			registerObj(k, c, out)
			return nil
		})
	})
}

// imageShape stores the 2-D image shape in dims[0..1].
func imageShape[T image[T]](k kind[T], h C.qpgo_handle, dims *C.int64_t) C.int {
	return k.callOut(h, dims == nil, "dims", func(img T) error {
		s, err := img.Shape()
		if err != nil {
			return err
		}
		if len(s) != 2 {
			return qperr.New(qperr.Unsupported, "image of shape %v is not 2-D", s)
		}
		d := unsafe.Slice(dims, 2)
		d[0], d[1] = C.int64_t(s[0]), C.int64_t(s[1])
		return nil
	})
}

// imageDType stores the storage type of the image data.
func imageDType[T image[T]](k kind[T], h C.qpgo_handle, dtype *C.int) C.int {
	return k.callOut(h, dtype == nil, "dtype", func(img T) error {
		dt, err := img.DType()
		*dtype = C.int(dt)
		return err
	})
}

// getArray copies one property into a caller buffer of n doubles (a
// complex property as interleaved (re, im) pairs).
func getArray[T any, V float64 | complex128](k kind[T], h C.qpgo_handle, out *C.double, n C.int64_t, what string,
	get func(T) ([]V, []int, error)) C.int {
	return k.call(h, func(obj T) error {
		v, _, err := get(obj)
		if err != nil {
			return err
		}
		switch v := any(v).(type) {
		case []complex128:
			return putComplex(out, n, v, what)
		default:
			return putDoubles(out, n, v.([]float64), what)
		}
	})
}

// setMetaJSON sets meta data from a JSON object after checking every key
// with keyErr (nil for a valid key), so that an unknown key writes
// nothing. checkFirst checks the keys before the handle is looked up,
// otherwise they are checked with the object locked.
func setMetaJSON[T metaObject](k kind[T], h C.qpgo_handle, metaJSON *C.qpgo_cchar,
	keyErr func(key string) error, checkFirst bool) C.int {
	return guard(func() error {
		text, err := goString(metaJSON, "meta_json")
		if err != nil {
			return err
		}
		items, err := metaItems(text)
		if err != nil {
			return err
		}
		check := func() error {
			for _, it := range items {
				if err := keyErr(it.Name); err != nil {
					return err
				}
			}
			return nil
		}
		if checkFirst {
			if err := check(); err != nil {
				return err
			}
		}
		return with(int64(h), family(k), func(obj T) error {
			if !checkFirst {
				if err := check(); err != nil {
					return err
				}
			}
			for _, it := range items {
				if err := obj.SetMeta(it.Name, it.Value); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// getMetaDouble reads a numeric meta value.
func getMetaDouble[T metaObject](k kind[T], h C.qpgo_handle, key *C.qpgo_cchar, value *C.double) C.int {
	return guard(func() error {
		name, err := goString(key, "key")
		if err != nil {
			return err
		}
		if value == nil {
			return argErr("value is NULL")
		}
		return with(int64(h), family(k), func(obj T) error {
			m, err := obj.Meta()
			if err != nil {
				return err
			}
			f, err := m.Float(name)
			*value = C.double(f)
			return err
		})
	})
}

// getMetaString reads a text meta value into buf.
func getMetaString[T metaObject](k kind[T], h C.qpgo_handle, key *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return guard(func() error {
		name, err := goString(key, "key")
		if err != nil {
			return err
		}
		return with(int64(h), family(k), func(obj T) error {
			v, err := obj.GetMeta(name)
			if err != nil {
				return err
			}
			s, ok := v.(string)
			if !ok {
				return argErr("meta data '%s' is not text", name)
			}
			return putString(s, buf, buflen, needed)
		})
	})
}

// getMetaJSON writes all meta data (key NULL) or one value as typed JSON.
func getMetaJSON[T metaObject](k kind[T], h C.qpgo_handle, key *C.qpgo_cchar, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return k.call(h, func(obj T) error {
		m, err := obj.Meta()
		if err != nil {
			return err
		}
		if key != nil {
			v, err := m.Get(optString(key))
			if err != nil {
				return err
			}
			t, err := typedJSON(v)
			if err != nil {
				return err
			}
			b, err := json.Marshal(t)
			if err != nil {
				return err
			}
			return putString(string(b), buf, buflen, needed)
		}
		var parts []string
		for _, name := range m.Keys() {
			v, _ := m.Get(name)
			t, err := typedJSON(v)
			if err != nil {
				return err
			}
			kb, _ := json.Marshal(name)
			vb, _ := json.Marshal(t)
			parts = append(parts, string(kb)+":"+string(vb))
		}
		return putString("{"+strings.Join(parts, ",")+"}", buf, buflen, needed)
	})
}

// hasMeta stores 1 in *has if the root attribute key exists, else 0.
func hasMeta[T metaObject](k kind[T], h C.qpgo_handle, key *C.qpgo_cchar, has *C.int) C.int {
	return hasKey(k, h, key, "key", has, func(obj T, name string) bool { return obj.HasMeta(name) })
}

// info writes Info as a JSON list of [name, value, type] triples.
func info[T metaObject](k kind[T], h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return k.call(h, func(obj T) error {
		items, err := obj.Info()
		if err != nil {
			return err
		}
		rows := make([][]any, 0, len(items))
		for _, it := range items {
			t, err := typedJSON(it.Value)
			if err != nil {
				return err
			}
			rows = append(rows, []any{it.Name, t["value"], t["type"]})
		}
		b, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		return putString(string(b), buf, buflen, needed)
	})
}

// repr writes the repr text.
func repr[T metaObject](k kind[T], h C.qpgo_handle, buf *C.char, buflen C.int64_t, needed *C.int64_t) C.int {
	return k.call(h, func(obj T) error {
		return putString(obj.Repr(), buf, buflen, needed)
	})
}

// imageEqual stores 1 in *equal if the images are equal (upstream __eq__).
func imageEqual[T image[T]](k kind[T], a, b C.qpgo_handle, equal *C.int) C.int {
	return guard(func() error {
		if equal == nil {
			return argErr("equal is NULL")
		}
		*equal = 0
		return with2(int64(a), int64(b), family(k), func(x, y T) error {
			eq, err := x.Equal(y)
			if eq {
				*equal = 1
			}
			return err
		})
	})
}

// imageSlice registers a new in-memory image of a sub-array given by
// nranges (1 or 2) resolved start, stop, step triples.
func imageSlice[T image[T]](k kind[T], h C.qpgo_handle, ranges *C.qpgo_cint64, nranges C.int, out *C.qpgo_handle) C.int {
	return guard(func() error {
		if out == nil || ranges == nil {
			return argErr("ranges or out is NULL")
		}
		*out = 0
		if nranges < 1 || nranges > 2 {
			return argErr("Only slicing and meta data keys allowed for `__getitem__`")
		}
		r := unsafe.Slice(ranges, 3*int(nranges))
		var rs []qpimage.Range
		for i := 0; i < int(nranges); i++ {
			step := int(r[3*i+2])
			if step == 0 {
				return argErr("slice step cannot be zero")
			}
			rs = append(rs, qpimage.Range{Start: int(r[3*i]), Stop: int(r[3*i+1]), Step: step, Resolved: true})
		}
		return with(int64(h), family(k), func(img T) error {
			s, err := img.Slice(rs...)
			if err != nil {
				return err
			}
			registerObj(k, s, out)
			return nil
		})
	})
}
