package imageseries

import "math"

// gaussLaplace is scipy.ndimage.gaussian_laplace(img, (s0, s1)) with mode
// 'reflect' and truncate 4.0. As in scipy, the output has the input dtype
// and every 1-D pass stores its result in that dtype.
func gaussLaplace(f Frame, s0, s1 float64) Frame {
	dt := f.DType()
	in := f.Float64()
	sig := [2]float64{s0, s1}
	d2 := func(axis int) []float64 {
		cur := in
		for ax := 0; ax < 2; ax++ {
			if sig[ax] <= 1e-15 {
				continue
			}
			order := 0
			if ax == axis {
				order = 2
			}
			cur = correlate1d(cur, f.Rows, f.Cols, ax, gaussKernel(sig[ax], order))
			roundTo(cur, dt)
		}
		if &cur[0] == &in[0] {
			cur = append([]float64(nil), cur...)
		}
		return cur
	}
	if len(in) == 0 {
		return f
	}
	out := d2(0)
	tmp := d2(1)
	for i := range out {
		out[i] += tmp[i]
	}
	roundTo(out, dt)
	return Frame{f.Rows, f.Cols, fromFloat64(out, dt)}
}

// roundTo rounds values in place to what storing them in dt would keep.
func roundTo(v []float64, dt DType) {
	switch dt {
	case Float64:
	case Float32:
		for i, x := range v {
			v[i] = float64(float32(x))
		}
	default:
		w := castTo(fromFloat64(v, dt), Float64).([]float64)
		copy(v, w)
	}
}

// gaussKernel is scipy's _gaussian_kernel1d(sigma, order, radius) reversed
// (gaussian_filter1d correlates with the reversed kernel; orders 0 and 2
// are symmetric anyway).
func gaussKernel(sigma float64, order int) []float64 {
	radius := int(4.0*sigma + 0.5)
	s2 := sigma * sigma
	w := make([]float64, 2*radius+1)
	sum := 0.0
	for k := range w {
		x := float64(k - radius)
		w[k] = math.Exp(-0.5 / s2 * x * x)
		sum += w[k]
	}
	for k := range w {
		w[k] /= sum
		if order == 2 {
			x := float64(k - radius)
			w[k] *= x*x/(s2*s2) - 1/s2
		}
	}
	return w
}

// reflectIdx maps i into [0, n) with scipy's 'reflect' (d c b a | a b c d |
// d c b a) extension, repeated for kernels longer than the line.
func reflectIdx(i, n int) int {
	if n == 1 {
		return 0
	}
	p := 2 * n
	i %= p
	if i < 0 {
		i += p
	}
	if i >= n {
		i = p - 1 - i
	}
	return i
}

func correlate1d(in []float64, rows, cols, axis int, w []float64) []float64 {
	out := make([]float64, len(in))
	r := len(w) / 2
	if axis == 1 {
		line := make([]float64, cols)
		for y := 0; y < rows; y++ {
			copy(line, in[y*cols:(y+1)*cols])
			for x := 0; x < cols; x++ {
				s := 0.0
				for k, wk := range w {
					s += wk * line[reflectIdx(x+k-r, cols)]
				}
				out[y*cols+x] = s
			}
		}
		return out
	}
	line := make([]float64, rows)
	for x := 0; x < cols; x++ {
		for y := 0; y < rows; y++ {
			line[y] = in[y*cols+x]
		}
		for y := 0; y < rows; y++ {
			s := 0.0
			for k, wk := range w {
				s += wk * line[reflectIdx(y+k-r, rows)]
			}
			out[y*cols+x] = s
		}
	}
	return out
}
