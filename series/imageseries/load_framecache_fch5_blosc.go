package imageseries

import (
	"sync"
	"unsafe"

	"qpgo/core/h5"
	"qpgo/internal/par"
)

// Direct Blosc chunk I/O for fch5 caches. Going through libhdf5, every
// Blosc chunk of "data" and "indices" is (de)compressed by the filter
// plugin inside H5Dwrite/H5Dread, under core/h5's lock, on one core. When
// libblosc is available (h5.BloscAvailable) the writer compresses whole
// chunks itself on all cores and stores them with H5Dwrite_chunk, and the
// reader takes the stored chunks with H5Dread_chunk and decompresses them
// in parallel. The stored bytes are those of the filter, so h5py and the
// plugin read the files as before. Anything unexpected (another filter, an
// unallocated or undecodable chunk) falls back to ordinary slab I/O, which
// also gives libhdf5's error for a corrupt chunk.

// useDirectBlosc lets tests force the libhdf5 filter path.
var useDirectBlosc = true

// bloscIO moves rows of a 2-D (m, w) dataset with Blosc chunks (C, cw)
// between row-major byte buffers and stored chunks.
type bloscIO struct {
	g     *h5.Group
	b     *h5.BloscInfo
	es    int // element size
	w     int // dataset columns
	c, cw int // chunk dims
}

// newBloscIO returns nil when the dataset cannot take the direct path.
func newBloscIO(g *h5.Group, name string, dt DType) *bloscIO {
	if !useDirectBlosc || !h5.BloscAvailable() {
		return nil
	}
	b, err := g.BloscDataset(name)
	if err != nil || b == nil || len(b.Shape) != 2 || b.DType.Size() != dt.Size() || fromH5DType(b.DType) != dt {
		return nil
	}
	return &bloscIO{g: g, b: b, es: dt.Size(), w: b.Shape[1], c: b.Chunks[0], cw: b.Chunks[1]}
}

// chunk is one chunk of rows [r, r+c) and columns [col, col+cw).
type chunk struct {
	r, col int
	data   []byte
	mask   uint32
}

func (x *bloscIO) chunksOf(r0, r1 int) []chunk {
	var cs []chunk
	for r := r0; r < r1; r += x.c {
		for col := 0; col < x.w; col += x.cw {
			cs = append(cs, chunk{r: r, col: col})
		}
	}
	return cs
}

// writeRows stores rows [r0, r0+n) held row-major in src; r0 is a
// multiple of the chunk rows and so is n unless these are the last rows
// (the edge chunk is padded with zeros, as libhdf5 stores it).
func (x *bloscIO) writeRows(r0, n int, src []byte) error {
	cs := x.chunksOf(r0, r0+n)
	err := par.Do(len(cs), 0, func(i int) error {
		raw := make([]byte, x.b.ChunkBytes())
		x.pack(raw, src, cs[i].r-r0, n, cs[i].col)
		var err error
		cs[i].data, cs[i].mask, err = x.b.BloscCompress(raw)
		return err
	})
	if err != nil {
		return err
	}
	offs, data, masks := make([][]int, len(cs)), make([][]byte, len(cs)), make([]uint32, len(cs))
	for i, c := range cs {
		offs[i], data[i], masks[i] = []int{c.r, c.col}, c.data, c.mask
	}
	return x.g.WriteChunks(x.b, offs, data, masks)
}

var chunkPool sync.Pool

// readCols decodes rows [r0, r1) into the columns cols (w of them, each
// r1-r0 elements); r0 is a multiple of the chunk rows. A full chunk of a
// one-column layout (that of real caches) decodes straight into its
// column. ok false: some chunk cannot be read directly.
func (x *bloscIO) readCols(r0, r1 int, cols [][]byte) (ok bool, err error) {
	cs := x.chunksOf(r0, r1)
	offs := make([][]int, len(cs))
	for i, c := range cs {
		offs[i] = []int{c.r, c.col}
	}
	data, masks, err := x.g.ReadChunks(x.b, offs)
	if err != nil {
		return false, err
	}
	for _, d := range data {
		if d == nil {
			return false, nil
		}
	}
	cb := x.b.ChunkBytes()
	err = par.Do(len(cs), 0, func(i int) error {
		c := cs[i]
		n := min(x.c, r1-c.r)
		if x.cw == 1 && n == x.c {
			o := (c.r - r0) * x.es
			return x.b.BloscDecompress(data[i], masks[i], cols[c.col][o:o+cb])
		}
		bp, _ := chunkPool.Get().(*[]byte)
		if bp == nil || cap(*bp) < cb {
			b := make([]byte, cb)
			bp = &b
		}
		defer chunkPool.Put(bp)
		raw := (*bp)[:cb]
		if err := x.b.BloscDecompress(data[i], masks[i], raw); err != nil {
			return err
		}
		deinterleave(cols[c.col:min(c.col+x.cw, x.w)], raw, c.r-r0, n, x.cw, x.es)
		return nil
	})
	return err == nil, nil
}

// deinterleave copies n rows of src (stride elements of es bytes a row)
// into the columns cols from row r: cols[j][r+i] = src[i][j].
func deinterleave(cols [][]byte, src []byte, r, n, stride, es int) {
	if es == 2 {
		s := u16(src)
		for j, col := range cols {
			d := u16(col)[r : r+n]
			for i := range d {
				d[i] = s[i*stride+j]
			}
		}
		return
	}
	for j, col := range cols {
		for i := range n {
			copy(col[(r+i)*es:(r+i+1)*es], src[(i*stride+j)*es:])
		}
	}
}

// pack copies rows [r, r+c) ∩ [0, n) of the row-major src (n rows of w
// elements), columns [col, col+cw) ∩ [0, w), into the chunk raw (zeros
// elsewhere).
func (x *bloscIO) pack(raw, src []byte, r, n, col int) {
	clear(raw)
	rows := min(x.c, n-r)
	if rows > 0 && x.cw == 1 && x.es == 2 {
		d, s := u16(raw), u16(src)
		for i := range rows {
			d[i] = s[(r+i)*x.w+col]
		}
		return
	}
	x.walk(r, n, col, func(k, s, l int) { copy(raw[k:k+l], src[s:s+l]) })
}

// walk calls f(chunk byte offset, buffer byte offset, byte length) for
// every row of the chunk at (r, col) inside a buffer of n rows.
func (x *bloscIO) walk(r, n, col int, f func(k, s, l int)) {
	rows := min(x.c, n-r)
	cols := min(x.cw, x.w-col)
	if rows <= 0 || cols <= 0 {
		return
	}
	if x.cw == x.w {
		f(0, r*x.w*x.es, rows*x.w*x.es)
		return
	}
	for i := range rows {
		f(i*x.cw*x.es, ((r+i)*x.w+col)*x.es, cols*x.es)
	}
}

// u16 views b (even length, 2-byte aligned: Go allocations are) as uint16.
func u16(b []byte) []uint16 {
	if len(b) < 2 {
		return nil
	}
	return unsafe.Slice((*uint16)(unsafe.Pointer(&b[0])), len(b)/2)
}
