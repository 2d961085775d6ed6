package imageseries

// Layout operations (flip, transpose, insert) move elements without
// arithmetic, so they are written once for every element type.

func flipFrame(f Frame, code string) Frame {
	if o := opsOf(f.Data); o != nil {
		return o.flip(f.Data, f.Rows, f.Cols, code)
	}
	return f
}

// flipKeepsShape reports the flip codes flipIntoT writes: those that keep
// the frame's shape.
func flipKeepsShape(code string) bool {
	switch code {
	case "y", "v", "x", "h", "vh", "hv", "r180":
		return true
	}
	return false
}

// flipIntoT writes the flip (a code of flipKeepsShape) of v, rows×cols,
// into out of the same size, rows split over the cores.
func flipIntoT[T any](v, out []T, rows, cols int, code string) {
	n := len(v)
	parallelRange(rows, flipRowsPer(cols), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			src := v[r*cols : (r+1)*cols]
			switch code {
			case "y", "v": // img[:, ::-1]
				dst := out[r*cols : (r+1)*cols]
				for c, j := 0, len(dst)-1; j >= 0; c, j = c+1, j-1 {
					dst[j] = src[c]
				}
			case "x", "h": // img[::-1, :]
				copy(out[(rows-1-r)*cols:(rows-r)*cols], src)
			default: // img[::-1, ::-1]
				dst := out[n-(r+1)*cols : n-r*cols]
				for c, j := 0, len(dst)-1; j >= 0; c, j = c+1, j-1 {
					dst[j] = src[c]
				}
			}
		}
	})
}

// flipRowsPer is the least number of rows of cols pixels worth a goroutine
// (about 256 Ki pixels).
func flipRowsPer(cols int) int { return max(1, (1<<18)/max(cols, 1)) }

// flipT implements hexrd's flip codes; unknown codes leave the frame as is.
func flipT[T any](v []T, rows, cols int, code string) Frame {
	if flipKeepsShape(code) {
		out := make([]T, len(v))
		flipIntoT(v, out, rows, cols, code)
		return Frame{rows, cols, out}
	}
	switch code {
	case "t", "T": // img.T
		out := make([]T, len(v))
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				out[c*rows+r] = v[r*cols+c]
			}
		}
		return Frame{cols, rows, out}
	case "ccw90", "r90": // img.T[::-1, :]: out[i, j] = img[j, cols-1-i]
		out := make([]T, len(v))
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				out[(cols-1-c)*rows+r] = v[r*cols+c]
			}
		}
		return Frame{cols, rows, out}
	case "cw90", "r270": // img.T[:, ::-1]: out[i, j] = img[rows-1-j, i]
		out := make([]T, len(v))
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				out[c*rows+rows-1-r] = v[r*cols+c]
			}
		}
		return Frame{cols, rows, out}
	}
	return Frame{rows, cols, v}
}

// insertZero implements np.insert(img, index, 0, axis) for axis 0 (row) or
// 1 (column); index is already normalised to [0, n].
func insertZero(f Frame, index, axis int) Frame {
	if o := opsOf(f.Data); o != nil {
		return o.insert(f.Data, f.Rows, f.Cols, index, axis)
	}
	return f
}

func insertT[T any](v []T, rows, cols, index, axis int) Frame {
	if axis == 0 {
		out := make([]T, (rows+1)*cols)
		copy(out, v[:index*cols])
		copy(out[(index+1)*cols:], v[index*cols:])
		return Frame{rows + 1, cols, out}
	}
	nc := cols + 1
	out := make([]T, rows*nc)
	for r := 0; r < rows; r++ {
		copy(out[r*nc:r*nc+index], v[r*cols:r*cols+index])
		copy(out[r*nc+index+1:(r+1)*nc], v[r*cols+index:(r+1)*cols])
	}
	return Frame{rows, nc, out}
}
