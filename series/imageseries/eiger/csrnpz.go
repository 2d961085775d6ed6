package eiger

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
	ims "qpgo/series/imageseries"
)

// decodeCSRNPZ decodes a "csrnpz" payload: 8 bytes (the dense size, big
// endian), then a SciPy sparse matrix archive (scipy.sparse.save_npz:
// csr, csc or coo) into the dense rows x cols frame f.
func decodeCSRNPZ(src []byte, f ims.Frame) error {
	if len(src) < 8 {
		return corrupt("csrnpz", "%d bytes", len(src))
	}
	zr, err := zip.NewReader(bytes.NewReader(src[8:]), int64(len(src)-8))
	if err != nil {
		return corrupt("csrnpz", "not an npz archive: %v", err)
	}
	arrs := map[string]*npy.Array{}
	format := ""
	for _, zf := range zr.File {
		if zf.UncompressedSize64 > maxDecoded {
			return corrupt("csrnpz", "%s: %d bytes", zf.Name, zf.UncompressedSize64)
		}
		rc, err := zf.Open()
		if err != nil {
			return corrupt("csrnpz", "%s: %v", zf.Name, err)
		}
		name := strings.TrimSuffix(zf.Name, ".npy")
		if name == "format" {
			// a 0-d |S3 array ("csr", "csc", "coo"): its last 3 bytes
			b, err := io.ReadAll(io.LimitReader(rc, 1<<16))
			rc.Close()
			if err != nil || len(b) < 3 {
				return corrupt("csrnpz", "bad format entry")
			}
			format = string(b[len(b)-3:])
			continue
		}
		a, err := npy.Read(rc)
		rc.Close()
		if err != nil {
			return corrupt("csrnpz", "%s: %v", zf.Name, err)
		}
		arrs[name] = a
	}
	shape, err := ints(arrs["shape"])
	if err != nil || len(shape) != 2 {
		return corrupt("csrnpz", "no 2-d shape")
	}
	if shape[0] != f.Rows || shape[1] != f.Cols {
		return corrupt("csrnpz", "sparse shape %v, the frame is (%d, %d)", shape, f.Rows, f.Cols)
	}
	data := arrs["data"]
	if data == nil {
		return corrupt("csrnpz", "no data array")
	}
	vals := toFloat(data)
	put := func(r, c, k int) error {
		if r < 0 || r >= f.Rows || c < 0 || c >= f.Cols || k < 0 || k >= len(vals) {
			return corrupt("csrnpz", "entry (%d, %d) outside the frame", r, c)
		}
		setAt(f, r*f.Cols+c, vals[k])
		return nil
	}
	switch format {
	case "csr", "csc":
		ind, err1 := ints(arrs["indices"])
		ptr, err2 := ints(arrs["indptr"])
		major := f.Rows
		if format == "csc" {
			major = f.Cols
		}
		if err1 != nil || err2 != nil || len(ptr) != major+1 {
			return corrupt("csrnpz", "bad %s index arrays", format)
		}
		for m := 0; m < major; m++ {
			lo, hi := ptr[m], ptr[m+1]
			if lo < 0 || hi < lo || hi > len(ind) {
				return corrupt("csrnpz", "bad index pointer at %d", m)
			}
			for k := lo; k < hi; k++ {
				r, c := m, ind[k]
				if format == "csc" {
					r, c = ind[k], m
				}
				if err := put(r, c, k); err != nil {
					return err
				}
			}
		}
	case "coo":
		row, err1 := ints(arrs["row"])
		col, err2 := ints(arrs["col"])
		if err1 != nil || err2 != nil || len(row) != len(col) {
			return corrupt("csrnpz", "bad coo index arrays")
		}
		for k := range row {
			if err := put(row[k], col[k], k); err != nil {
				return err
			}
		}
	default:
		return corrupt("csrnpz", "unsupported sparse format %q", format)
	}
	return nil
}

func ints(a *npy.Array) ([]int, error) {
	if a == nil {
		return nil, qperr.New(qperr.IO, "missing array")
	}
	fs := toFloat(a)
	if fs == nil {
		return nil, qperr.New(qperr.IO, "not numeric")
	}
	out := make([]int, len(fs))
	for i, v := range fs {
		out[i] = int(v)
	}
	return out, nil
}

// toFloat converts a numeric npy array to float64 (nil otherwise).
func toFloat(a *npy.Array) []float64 {
	fr, err := ims.NewFrame(1, npy.SliceLen(a.Data), a.Data)
	if err != nil {
		return nil
	}
	return fr.Float64()
}

// setAt stores v (exact for every integer the frame type holds) at flat
// index k of the frame.
func setAt(f ims.Frame, k int, v float64) {
	switch d := f.Data.(type) {
	case []uint8:
		d[k] = uint8(v)
	case []int8:
		d[k] = int8(v)
	case []uint16:
		d[k] = uint16(v)
	case []int16:
		d[k] = int16(v)
	case []uint32:
		d[k] = uint32(v)
	case []int32:
		d[k] = int32(v)
	case []uint64:
		d[k] = uint64(v)
	case []int64:
		d[k] = int64(v)
	case []float32:
		d[k] = float32(v)
	case []float64:
		d[k] = v
	}
}
