package imagedata

import (
	"runtime"
	"slices"

	"qpgo/core/h5"
	"qpgo/internal/par"
)

// ImageInto writes Image() into dst (at least as many elements as the
// image) and returns the image shape. The common layout — raw and up to
// two backgrounds of the raw shape, all float32 or all float64 — is read
// in its stored type and converted, combined and corrected in one pass
// straight into dst (float32→float64, background subtraction or division,
// with the arithmetic of Image, so the values are bit-identical); any
// other layout, and every error, takes Image plus a copy. ok false: dst
// is too short (nothing written; shape is the image's).
func (d *ImageData) ImageInto(dst []float64) (shape []int, ok bool, err error) {
	d.read.Store(true)
	if v, shape, ok := d.takeAhead(); ok {
		if len(dst) < len(v) {
			return shape, false, nil
		}
		copy(dst, v)
		h5.RecycleFloat64(v) // the read-ahead's own buffer
		return shape, true, nil
	}
	if keys, err := d.BGKeys(); err == nil && len(keys) <= 2 {
		if shape, done := d.fusedInto(dst, keys); done {
			return shape, true, nil
		}
	}
	v, shape, err := d.imageWithout("", false)
	if err != nil {
		return nil, false, err
	}
	if len(dst) < len(v) {
		return shape, false, nil
	}
	copy(dst, v)
	return shape, true, nil
}

// fusedInto is the one-pass path of ImageInto; done false leaves dst
// unspecified and the caller takes the general path.
func (d *ImageData) fusedInto(dst []float64, keys []string) ([]int, bool) {
	names := append([]string{"raw"}, bgNames(keys, "")...)
	vals := make([]any, len(names))
	shapes := make([][]int, len(names))
	dones := make([]func(), len(names))
	defer func() {
		for _, done := range dones {
			if done != nil {
				done()
			}
		}
	}()
	err := par.Do(len(names), len(names), func(i int) error {
		var err error
		vals[i], shapes[i], dones[i], err = d.G.ReadDatasetTemp(names[i])
		return err
	})
	if err != nil {
		return nil, false
	}
	n := numel(shapes[0])
	if len(dst) < n {
		return nil, false
	}
	for i := 1; i < len(names); i++ {
		if !slices.Equal(shapes[i], shapes[0]) {
			return nil, false
		}
	}
	mul := d.Kind.multiplicative()
	switch raw := vals[0].(type) {
	case []float32:
		bg := make([][]float32, len(vals)-1)
		for i, v := range vals[1:] {
			b, ok := v.([]float32)
			if !ok {
				return nil, false
			}
			bg[i] = b
		}
		fuse(dst[:n], raw[:n], bg, mul)
	case []float64:
		bg := make([][]float64, len(vals)-1)
		for i, v := range vals[1:] {
			b, ok := v.([]float64)
			if !ok {
				return nil, false
			}
			bg[i] = b
		}
		fuse(dst[:n], raw[:n], bg, mul)
	default:
		return nil, false
	}
	return shapes[0], true
}

// fuse is imageWithout's arithmetic in one pass: the backgrounds folded
// as combineAll does (additive: 0 + b0 [+ b1]; multiplicative: b0 [* b1]),
// then raw - bg or raw / bg; no background: raw.
func fuse[T float32 | float64](dst []float64, raw []T, bg [][]T, mul bool) {
	n := len(dst)
	chunk := 1 << 16
	parts := (n + chunk - 1) / chunk
	workers := min(runtime.GOMAXPROCS(0), parts)
	if workers < 1 {
		workers = 1
	}
	_ = par.Do(parts, workers, func(p int) error {
		lo, hi := p*chunk, min((p+1)*chunk, n)
		out, r := dst[lo:hi], raw[lo:hi]
		switch {
		case len(bg) == 0:
			for i, v := range r {
				out[i] = float64(v)
			}
		case len(bg) == 1 && mul:
			b0 := bg[0][lo:hi]
			for i, v := range r {
				out[i] = float64(v) / float64(b0[i])
			}
		case len(bg) == 1:
			b0 := bg[0][lo:hi]
			for i, v := range r {
				out[i] = float64(v) - (0 + float64(b0[i]))
			}
		case mul:
			b0, b1 := bg[0][lo:hi], bg[1][lo:hi]
			for i, v := range r {
				out[i] = float64(v) / (float64(b0[i]) * float64(b1[i]))
			}
		default:
			b0, b1 := bg[0][lo:hi], bg[1][lo:hi]
			for i, v := range r {
				out[i] = float64(v) - ((0 + float64(b0[i])) + float64(b1[i]))
			}
		}
		return nil
	})
}
