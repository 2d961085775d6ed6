package imageseries

// ZeroedFrameReaderInto is implemented by the sparse series (frame caches):
// FrameIntoZeroed is FrameInto for a dst that is all zeros already (e.g.
// fresh calloc'd memory), so only the kept pixels are written and the
// untouched pages of dst are never faulted in.
type ZeroedFrameReaderInto interface {
	FrameIntoZeroed(i int, dst any) error
}

// FrameIntoZeroed writes the kept pixels of frame i into the zeroed dst.
func (c *FrameCache) FrameIntoZeroed(i int, dst any) error {
	return sparseIntoZeroed(c.sparse, c.dt, c.rows, c.cols, i, dst)
}

// FrameIntoZeroed writes the kept pixels of frame i into the zeroed dst.
func (c *FCH5Cache) FrameIntoZeroed(i int, dst any) error {
	return sparseIntoZeroed(c.sparse, c.dt, c.rows, c.cols, i, dst)
}

func sparseIntoZeroed(sparse func(int) (*sparseFrame, error), dt DType, rows, cols, i int, dst any) error {
	if err := checkDst(dst, dt, rows*cols); err != nil {
		return err
	}
	sf, err := sparse(i)
	if err != nil {
		return err
	}
	switch d := dst.(type) {
	case []uint16:
		scatterZeroed(sf, cols, sf.data.([]uint16), d)
	case []uint8:
		scatterZeroed(sf, cols, sf.data.([]uint8), d)
	case []int16:
		scatterZeroed(sf, cols, sf.data.([]int16), d)
	case []int8:
		scatterZeroed(sf, cols, sf.data.([]int8), d)
	case []uint32:
		scatterZeroed(sf, cols, sf.data.([]uint32), d)
	case []int32:
		scatterZeroed(sf, cols, sf.data.([]int32), d)
	case []uint64:
		scatterZeroed(sf, cols, sf.data.([]uint64), d)
	case []int64:
		scatterZeroed(sf, cols, sf.data.([]int64), d)
	case []float32:
		scatterZeroed(sf, cols, sf.data.([]float32), d)
	case []float64:
		scatterZeroed(sf, cols, sf.data.([]float64), d)
	default: // another type: the dense fill writes every element
		fillSparse(sf, cols, dst)
	}
	return nil
}

// scatterZeroed is fillT without the clearing (dst is zero): the first value at
// a position is stored as is, repeated positions (unsorted caches) summed,
// as fillT and upstream's CSR toarray do.
func scatterZeroed[T number](sf *sparseFrame, nc int, src, dst []T) {
	row, col := sf.row[:len(src)], sf.col[:len(src)]
	prev := -1
	for k, v := range src {
		q := int(row[k])*nc + int(col[k])
		if q <= prev {
			for k := k; k < len(src); k++ {
				dst[int(row[k])*nc+int(col[k])] += src[k]
			}
			return
		}
		dst[q] = v
		prev = q
	}
}
