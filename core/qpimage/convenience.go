package qpimage

import (
	"fmt"
	"math"
	"strings"
	"unsafe"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/meta"
	"qpgo/core/qperr"
)

// Repr is upstream's "QPImage <id>, MxNpx, λ=550.0nm".
func (q *QPImage) Repr() string {
	shape, err := q.amp.Shape()
	if err != nil {
		shape = nil
	}
	return FormatRepr("QPImage", q.Identifier(), uintptr(unsafe.Pointer(q)), shape, q.G.Attrs())
}

// pyExp formats like Python's "{:.<prec>e}" (exponent with at least two digits).
func pyExp(v float64, prec int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return fmt.Sprintf("%.*e", prec, v) // Go also writes two exponent digits: 1.00e-06
}

// InfoItem is one (name, value) of info.
type InfoItem = imagedata.InfoItem

// Info is upstream QPImage.info: every root attribute in name order, then
// the background entries of amplitude and phase.
func (q *QPImage) Info() ([]InfoItem, error) { return InfoOf(q.G, q.amp, q.pha) }

// Equal is upstream __eq__: same shape, allclose amp and pha (NaN is never
// close), and equal values of the DATA_KEYS present. Unlike upstream
// (defect D2) a nil other is simply not equal.
func (q *QPImage) Equal(other *QPImage) (bool, error) {
	if eq, err := EqualData(q, other, (*QPImage).Shape, (*QPImage).Amp, (*QPImage).Pha); !eq || err != nil {
		return false, err
	}
	m1, err := q.Meta()
	if err != nil {
		return false, err
	}
	m2, err := other.Meta()
	if err != nil {
		return false, err
	}
	var v1, v2 []string
	for _, k := range meta.DataKeys {
		if v, err := m1.Get(k); err == nil {
			v1 = append(v1, fmt.Sprintf("%T:%v", v, v))
		}
		if v, err := m2.Get(k); err == nil {
			v2 = append(v2, fmt.Sprintf("%T:%v", v, v))
		}
	}
	return strings.Join(v1, "|") == strings.Join(v2, "|"), nil
}

// Range is a Python slice start:stop:step of one axis. HasStart/HasStop
// false mean omitted.
type Range struct {
	Start, Stop, Step int
	HasStart, HasStop bool
	// Resolved means Start/Stop/Step came from Python's slice.indices(n):
	// they are used as they are (Stop -1 with a negative step is "before 0").
	Resolved bool
}

// Full is the slice ":".
var Full = Range{Step: 1}

// Indices resolves a slice like Python's slice.indices(n) and lists the
// selected indices.
func (r Range) Indices(n int) ([]int, error) {
	step := r.Step
	if step == 0 {
		if r == (Range{}) {
			step = 1
		} else {
			return nil, qperr.New(qperr.BadArgument, "slice step cannot be zero")
		}
	}
	var start, stop int
	if step > 0 {
		start, stop = 0, n
	} else {
		start, stop = n-1, -1
	}
	clamp := func(v int, lo, hi int) int { return max(lo, min(hi, v)) }
	if r.Resolved {
		if step > 0 {
			start, stop = clamp(r.Start, 0, n), clamp(r.Stop, 0, n)
		} else {
			start, stop = clamp(r.Start, -1, n-1), clamp(r.Stop, -1, n-1)
		}
	} else if r.HasStart {
		start = r.Start
		if start < 0 {
			start += n
		}
		if step > 0 {
			start = clamp(start, 0, n)
		} else {
			start = clamp(start, -1, n-1)
		}
	}
	if r.HasStop && !r.Resolved {
		stop = r.Stop
		if stop < 0 {
			stop += n
		}
		if step > 0 {
			stop = clamp(stop, 0, n)
		} else {
			stop = clamp(stop, -1, n-1)
		}
	}
	var out []int
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		out = append(out, i)
	}
	return out, nil
}

// Slice is upstream __getitem__ with a slice or tuple of slices: a new
// in-memory QPImage of the raw data and the combined background (one "data"
// background, fit attributes and mask dropped), the same meta data,
// proc_phase=False for the data (the background phase is processed again,
// §3.4). One range slices the rows only.
func (q *QPImage) Slice(ranges ...Range) (*QPImage, error) {
	if err := CheckSliceRanges(ranges); err != nil {
		return nil, err
	}
	shape, err := q.Shape()
	if err != nil {
		return nil, err
	}
	sl, err := NewSlicer(shape, ranges...)
	if err != nil {
		return nil, err
	}
	var arrs [4][]float64
	for i, get := range []func() ([]float64, []int, error){q.RawPha, q.RawAmp, q.BgPha, q.BgAmp} {
		v, _, err := get()
		if err != nil {
			return nil, err
		}
		arrs[i] = sl.Take(v)
	}
	nshape := sl.Shape()
	pa := WhichData{Items: []string{"phase", "amplitude"}, Tuple: true}
	m, err := q.Meta()
	if err != nil {
		return nil, err
	}
	opt := Options{ProcPhase: false, H5DType: h5.Float32, QPRetrieveKW: q.QPRetrieveKW, Meta: MetaAttrs(m)}
	return NewInMemory(&Input{WhichData: pa, Arrays: [][]float64{arrs[0], arrs[1]}, Shape: nshape},
		&Input{WhichData: pa, Arrays: [][]float64{arrs[2], arrs[3]}, Shape: nshape}, opt)
}
