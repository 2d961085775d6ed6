package h5

import (
	"bytes"
	"math/rand"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"qpgo/core/qperr"
)

func TestReadChunkRawAt(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	f, err := Open(filepath.Join(t.TempDir(), "c.h5"), "w")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g := f.Root()
	u16 := make([]uint16, 3*7*9)
	for i := range u16 {
		u16[i] = uint16(r.Intn(40) + 100*(i%5))
	}
	f32 := make([]float32, 5*6)
	for i := range f32 {
		f32[i] = r.Float32()
	}
	u8 := make([]uint8, 4*4)
	for i := range u8 {
		u8[i] = uint8(i)
	}
	type tc struct {
		name   string
		data   any
		shape  []int
		opt    CreateOptions
		chunks [][]int
	}
	cases := []tc{
		{"u16", u16, []int{3, 7, 9}, CreateOptions{Chunks: []int{1, 7, 9}, Shuffle: true, Compress: true, Deflate: 1}, [][]int{{0, 0, 0}, {1, 0, 0}, {2, 0, 0}}},
		{"u16f", u16, []int{3, 7, 9}, CreateOptions{Chunks: []int{2, 4, 9}, Shuffle: true, Compress: true, Deflate: 6, Fletcher32: true}, [][]int{{0, 0, 0}, {0, 4, 0}, {2, 4, 0}}},
		{"f32", f32, []int{5, 6}, CreateOptions{Chunks: []int{2, 6}, Shuffle: true}, [][]int{{0, 0}, {2, 0}, {4, 0}}},
		{"u8", u8, []int{4, 4}, CreateOptions{Chunks: []int{4, 4}, Compress: true, Deflate: 9}, [][]int{{0, 0}}},
	}
	for _, c := range cases {
		if err := g.CreateDataset(c.name, DTypeOf(c.data), c.shape, c.data, c.opt); err != nil {
			t.Fatal(err)
		}
		for _, off := range c.chunks {
			ch, err := g.ReadChunkRawAt(c.name, off)
			if err != nil || ch == nil {
				t.Fatalf("%s %v: %v %v", c.name, off, ch, err)
			}
			got, err := ch.Decode()
			if err != nil {
				t.Fatalf("%s %v: %v", c.name, off, err)
			}
			// compare with libhdf5's own read of the part inside the dataset
			cnt := make([]int, len(off))
			for i := range off {
				cnt[i] = min(c.opt.Chunks[i], c.shape[i]-off[i])
			}
			want := MakeSlice(ch.DType, numel(cnt))
			if err := g.ReadSlab(c.name, off, cnt, want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(crop(got, c.opt.Chunks, cnt), want) {
				t.Errorf("%s %v: decoded chunk differs", c.name, off)
			}
		}
	}
	// parallel decoding
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ch, err := g.ReadChunkRawAt("u16", []int{i, 0, 0})
			if err != nil {
				t.Error(err)
				return
			}
			if v, err := ch.Decode(); err != nil || !reflect.DeepEqual(v, u16[i*63:(i+1)*63]) {
				t.Errorf("chunk %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	// not decodable in Go / bad offsets
	if err := g.CreateDataset("contig", Uint16, []int{4}, []uint16{1, 2, 3, 4}, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if ch, err := g.ReadChunkRawAt("contig", []int{0}); ch != nil || err != nil {
		t.Errorf("contiguous: %v %v", ch, err)
	}
	if _, err := g.ReadChunkRawAt("u16", []int{0, 0}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("rank mismatch: %v", err)
	}
	if _, err := g.ReadChunkRawAt("u16f", []int{0, 1, 0}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("misaligned: %v", err)
	}
	if _, err := g.ReadChunkRawAt("nope", []int{0}); !qperr.Is(err, qperr.NotFound) {
		t.Errorf("missing: %v", err)
	}
	// corrupt data: an error, not a panic
	ch, _ := g.ReadChunkRawAt("u16f", []int{0, 0, 0})
	ch.Data[len(ch.Data)/2] ^= 0xff
	if _, err := ch.Decode(); !qperr.Is(err, qperr.IO) {
		t.Errorf("checksum: %v", err)
	}
	ch, _ = g.ReadChunkRawAt("u16", []int{0, 0, 0})
	ch.Data = ch.Data[:len(ch.Data)/2]
	if _, err := ch.Decode(); !qperr.Is(err, qperr.IO) {
		t.Errorf("truncated: %v", err)
	}
}

func crop(data any, chunk, cnt []int) any {
	if reflect.DeepEqual(chunk, cnt) {
		return data
	}
	v := reflect.ValueOf(data)
	out := reflect.MakeSlice(v.Type(), 0, numel(cnt))
	// rank 2 or 3, C order
	c3 := append(make([]int, 3-len(chunk)), chunk...)
	n3 := append(make([]int, 3-len(cnt)), cnt...)
	for i := range c3 {
		c3[i], n3[i] = max(c3[i], 1), max(n3[i], 1)
	}
	for a := 0; a < n3[0]; a++ {
		for b := 0; b < n3[1]; b++ {
			for c := 0; c < n3[2]; c++ {
				out = reflect.Append(out, v.Index((a*c3[1]+b)*c3[2]+c))
			}
		}
	}
	return out.Interface()
}

func TestUnshuffle(t *testing.T) {
	for _, size := range []int{1, 2, 3, 4, 8} {
		for _, n := range []int{0, 1, 2, 7, 64, 1001} {
			for extra := 0; extra < size; extra++ {
				orig := make([]byte, n*size+extra)
				for i := range orig {
					orig[i] = byte(i*7 + 3)
				}
				// libhdf5's shuffle
				sh := make([]byte, len(orig))
				if n > 1 && size > 1 {
					for b := 0; b < size; b++ {
						for i := 0; i < n; i++ {
							sh[b*n+i] = orig[i*size+b]
						}
					}
					copy(sh[n*size:], orig[n*size:])
				} else {
					copy(sh, orig)
				}
				got := make([]byte, len(orig))
				Unshuffle(got, sh, size)
				if !bytes.Equal(got, orig) {
					t.Errorf("unshuffle: size %d n %d extra %d", size, n, extra)
				}
				Shuffle(got, orig, size)
				if !bytes.Equal(got, sh) {
					t.Errorf("shuffle: size %d n %d extra %d", size, n, extra)
				}
			}
		}
	}
}

func BenchmarkUnshuffle2(b *testing.B) {
	src := make([]byte, 2<<20)
	for i := range src {
		src[i] = byte(i * 13)
	}
	dst := make([]byte, len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Unshuffle(dst, src, 2)
	}
}

func TestShuffleInvertsUnshuffle(t *testing.T) {
	for _, size := range []int{1, 2, 4, 8} {
		src := make([]byte, 8*size+3)
		for i := range src {
			src[i] = byte(i*7 + 1)
		}
		sh := make([]byte, len(src))
		Shuffle(sh, src, size)
		if size > 1 && sh[1] != src[size] {
			t.Fatalf("size %d: plane 0 not first", size)
		}
		back := make([]byte, len(src))
		Unshuffle(back, sh, size)
		if string(back) != string(src) {
			t.Fatalf("size %d: round trip differs", size)
		}
	}
}
