package imageseries

// Layout operations (flip, transpose, insert) move elements without
// arithmetic, so they are written once for every element type.

func flipFrame(f Frame, code string) Frame {
	if o := opsOf(f.Data); o != nil {
		return o.flip(f.Data, f.Rows, f.Cols, code)
	}
	return f
}

// flipT implements hexrd's flip codes; unknown codes leave the frame as is.
func flipT[T any](v []T, rows, cols int, code string) Frame {
	switch code {
	case "y", "v": // img[:, ::-1]
		out := make([]T, len(v))
		for r := 0; r < rows; r++ {
			src, dst := v[r*cols:(r+1)*cols], out[r*cols:(r+1)*cols]
			for c := range src {
				dst[cols-1-c] = src[c]
			}
		}
		return Frame{rows, cols, out}
	case "x", "h": // img[::-1, :]
		out := make([]T, len(v))
		for r := 0; r < rows; r++ {
			copy(out[(rows-1-r)*cols:(rows-r)*cols], v[r*cols:(r+1)*cols])
		}
		return Frame{rows, cols, out}
	case "vh", "hv", "r180": // img[::-1, ::-1]
		out := make([]T, len(v))
		for i := range v {
			out[len(v)-1-i] = v[i]
		}
		return Frame{rows, cols, out}
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
