package fft

import (
	"qpgo/core/qperr"
	"qpgo/internal/par"
)

// Kernel is a rows×cols frequency-domain multiplier (unshifted layout)
// prepared for Convolve2Crop. It is stored the way the column pass consumes
// it: one rows×w row-major block per colBlock columns, so each block is read
// sequentially instead of as rows×256-byte pieces 16·cols bytes apart, and
// blocks that are entirely zero (evanescent bands) are dropped up front. The
// inverse normalisation 1/(rows·cols) is folded into the values. A Kernel is
// read-only and may be used by concurrent calls.
type Kernel struct {
	rows, cols int
	blocks     [][]complex128 // per column block; nil when zero
	// zero[blk] is the longest run [lo, hi) of rows that are zero in every
	// column of the block (the evanescent band of a propagation kernel):
	// the product there is zero without reading the kernel.
	zero [][2]int
	// tr: blocks are transposed (w×rows, each column contiguous), the
	// layout FFTW transforms fastest (contiguous lines: ~3 µs per 1024-point
	// column instead of ~4.5 µs for interleaved ones); the Go kernels prefer
	// rows×w (pow2Plan.batch).
	tr bool
}

// NewKernel prepares K (rows×cols, C order) for Convolve2Crop.
func NewKernel(K []complex128, rows, cols int) (*Kernel, error) {
	if err := check(len(K), rows, cols); err != nil {
		return nil, err
	}
	nb := (cols + colBlock - 1) / colBlock
	k := &Kernel{rows: rows, cols: cols, blocks: make([][]complex128, nb), zero: make([][2]int, nb), tr: fftwOn()}
	scale := 1 / float64(rows*cols)
	err := parallelFor(nb, rows*cols, func(lo, hi int) {
		for blk := lo; blk < hi; blk++ {
			c0 := blk * colBlock
			w := min(colBlock, cols-c0)
			// Longest run of zero rows; the block is dropped when it spans all.
			var best [2]int
			run := 0
			for r := 0; r < rows; r++ {
				if !allZero(K[r*cols+c0 : r*cols+c0+w]) {
					run = 0
					continue
				}
				run++
				if run > best[1]-best[0] {
					best = [2]int{r + 1 - run, r + 1}
				}
			}
			if best[1]-best[0] == rows {
				continue
			}
			k.zero[blk] = best
			b := make([]complex128, rows*w)
			for r := 0; r < rows; r++ {
				for t, v := range K[r*cols+c0 : r*cols+c0+w] {
					b[k.index(r, t, w)] = complex(real(v)*scale, imag(v)*scale)
				}
			}
			k.blocks[blk] = b
		}
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// Convolve2Crop returns numpy.fft.ifft2(numpy.fft.fft2(F) * K)[:outRows,
// :outCols] for rows×cols arrays F and K (K in the unshifted frequency
// layout). F is used as scratch space and left in an unspecified state.
// The forward column transform, the product with K and the inverse column
// transform run on one gathered block of columns at a time (one pass over
// memory instead of three); blocks where K is zero are not transformed, and
// only the outRows rows that survive the crop get the inverse row
// transform. Callers that reuse K should prepare it once with NewKernel.
func Convolve2Crop(F, K []complex128, rows, cols, outRows, outCols int) ([]complex128, error) {
	if err := check(len(F), rows, cols); err != nil {
		return nil, err
	}
	k, err := NewKernel(K, rows, cols)
	if err != nil {
		return nil, err
	}
	return k.Convolve2Crop(F, outRows, outCols)
}

// Convolve2Crop is the package function Convolve2Crop with the prepared
// kernel k; F must have k's shape.
func (k *Kernel) Convolve2Crop(F []complex128, outRows, outCols int) ([]complex128, error) {
	return k.Convolve2CropBands(F, k.rows, nil, outRows, outCols)
}

// Band is a run of rows that is affine in one vector: row Row0+i of an
// input equals Const + Coef[i]·Vec (Vec as wide as the input). Linear-ramp
// padding consists of such runs. The row transform of a band is
// Const·cols·δ + Coef[i]·DFT(Vec), so a band costs one line transform and
// is never materialised: its values are synthesised in the gathered column
// blocks, which halves the memory traffic of a 2× padded input.
type Band struct {
	Row0  int
	Coef  []float64
	Vec   []complex128
	Const complex128
}

// Convolve2CropBands is Convolve2Crop for a rows×cols input (k's shape)
// given as its first n rows F (n×cols) and bands within rows [n, rows);
// rows covered by neither are zero. The crop must satisfy outRows ≤ n (F
// is the scratch space for it). F is left in an unspecified state.
func (k *Kernel) Convolve2CropBands(F []complex128, n int, bands []Band, outRows, outCols int) ([]complex128, error) {
	rows, cols := k.rows, k.cols
	if n < 0 || n > rows || len(F) != n*cols {
		return nil, qperr.New(qperr.BadArgument, "fft: %d values are not %d rows of %d (grid %dx%d)", len(F), n, cols, rows, cols)
	}
	if outRows <= 0 || outCols <= 0 || outRows > n || outCols > cols {
		return nil, qperr.New(qperr.BadArgument, "fft: crop %dx%d outside the %dx%d explicit rows", outRows, outCols, n, cols)
	}
	next := n
	for _, b := range bands {
		if b.Row0 < next || b.Row0+len(b.Coef) > rows || len(b.Vec) != cols {
			return nil, qperr.New(qperr.BadArgument, "fft: band of %d rows at %d (width %d) outside rows [%d, %d) or overlapping", len(b.Coef), b.Row0, len(b.Vec), next, rows)
		}
		next = b.Row0 + len(b.Coef)
	}
	if err := rowPass(F, n, cols, false, 1); err != nil {
		return nil, err
	}
	// Row transforms of the bands: Coef[i]·vec[c], plus Const·cols at c = 0.
	vecs := make([][]complex128, len(bands))
	if len(bands) > 0 {
		err := par.Safe(func() error {
			tr, release := line(cols)
			defer release()
			for i, b := range bands {
				vecs[i] = append([]complex128(nil), b.Vec...)
				tr(vecs[i], false)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	err := parallelFor(len(k.blocks), rows*cols, func(lo, hi int) {
		bp := getScratch(rows * colBlock)
		defer scratch.Put(bp)
		transform, release := blockTransformer(rows, k.tr)
		defer release()
		for blk := lo; blk < hi; blk++ {
			c0 := blk * colBlock
			w := min(colBlock, cols-c0)
			kb := k.blocks[blk]
			if kb == nil {
				for r := 0; r < outRows; r++ {
					clear(F[r*cols+c0 : r*cols+c0+w])
				}
				continue
			}
			B := (*bp)[:rows*w]
			gatherRows(B, F, n, rows, cols, c0, w, k.tr)
			next := n // rows before next are filled
			for i, b := range bands {
				zeroRows(B, next, b.Row0, rows, w, k.tr)
				k.fillBand(B, b, vecs[i], c0, w, cols)
				next = b.Row0 + len(b.Coef)
			}
			zeroRows(B, next, rows, rows, w, k.tr)
			transform(B, w, false)
			k.multiply(B, kb, blk, w)
			transform(B, w, true)
			scatter(F, B, outRows, rows, cols, c0, w, k.tr)
		}
	})
	if err != nil {
		return nil, err
	}
	// Inverse rows; each crop row is copied out while still in cache.
	out := make([]complex128, outRows*outCols)
	err = parallelFor(outRows, outRows*cols, func(lo, hi int) {
		tr, release := line(cols)
		defer release()
		for r := lo; r < hi; r++ {
			row := F[r*cols : (r+1)*cols]
			if !allZero(row) {
				tr(row, true)
			}
			copy(out[r*outCols:(r+1)*outCols], row)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// multiply sets the gathered block B to B·kb (block blk, w columns),
// skipping the block's zero rows.
func (k *Kernel) multiply(B, kb []complex128, blk, w int) {
	z0, z1 := k.zero[blk][0], k.zero[blk][1]
	mul := func(b, kv []complex128) {
		kv = kv[:len(b)]
		for i, v := range kv {
			b[i] *= v
		}
	}
	if !k.tr {
		mul(B[:z0*w], kb[:z0*w])
		clear(B[z0*w : z1*w])
		mul(B[z1*w:len(kb)], kb[z1*w:])
		return
	}
	rows := k.rows
	for t := 0; t < w; t++ {
		b, kv := B[t*rows:(t+1)*rows], kb[t*rows:(t+1)*rows]
		mul(b[:z0], kv[:z0])
		clear(b[z0:z1])
		mul(b[z1:], kv[z1:])
	}
}

// fillBand writes the row-transformed band b (vec = DFT(b.Vec)) into
// columns [c0, c0+w) of the gathered block B.
func (k *Kernel) fillBand(B []complex128, b Band, vec []complex128, c0, w, cols int) {
	for t := 0; t < w; t++ {
		v := vec[c0+t]
		var c complex128
		if c0+t == 0 {
			c = b.Const * complex(float64(cols), 0)
		}
		if k.tr {
			line := B[t*k.rows+b.Row0 : t*k.rows+b.Row0+len(b.Coef)]
			for i, s := range b.Coef {
				line[i] = complex(s*real(v)+real(c), s*imag(v)+imag(c))
			}
		} else {
			for i, s := range b.Coef {
				B[(b.Row0+i)*w+t] = complex(s*real(v)+real(c), s*imag(v)+imag(c))
			}
		}
	}
}

// index is the position of element (r, t) of a rows×w column block in k's
// layout.
func (k *Kernel) index(r, t, w int) int {
	if k.tr {
		return t*k.rows + r
	}
	return r*w + t
}
