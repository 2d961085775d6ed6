package imageseries

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// genSeries is a function-backed stack like the benchmark "frame stack":
// 1024×1024 uint16 frames, about 1 % spots (1000–3999), the rest 100–131.
// Pixel values are a hash of (frame, pixel), so frames are generated on the
// fly and any row band can be produced alone (Region).
type genSeries struct{ n, rows, cols int }

func (g genSeries) Len() int           { return g.n }
func (g genSeries) Shape() []int       { return []int{g.rows, g.cols} }
func (g genSeries) DType() DType       { return Uint16 }
func (g genSeries) Metadata() Metadata { return Metadata{} }
func (g genSeries) Frame(i int) (Frame, error) {
	return g.Region(i, Rect{0, g.rows, 0, g.cols})
}
func (g genSeries) Region(i int, r Rect) (Frame, error) {
	i, err := normIndex(i, g.n)
	if err != nil {
		return Frame{}, err
	}
	c := r.clip(g.rows, g.cols)
	nr, nc := c.R1-c.R0, c.C1-c.C0
	out := make([]uint16, nr*nc)
	for y := 0; y < nr; y++ {
		for x := 0; x < nc; x++ {
			h := uint32(i)*2654435761 ^ uint32((c.R0+y)*g.cols+c.C0+x)*2246822519
			h ^= h >> 15
			h *= 2654435761
			h ^= h >> 13
			v := uint16(100 + h%32)
			if h>>24 < 3 { // ~1.2 %
				v = uint16(1000 + (h>>8)%3000)
			}
			out[y*nc+x] = v
		}
	}
	return Frame{nr, nc, out}, nil
}

// TestStatsBoundedMemory streams 2000 frames of 1024×1024 uint16 (4 GB of
// frame data) through Max and Median and checks the peak heap stays far
// below the data size. Skipped with -short and under the race detector
// (it takes ~30 s of CPU without instrumentation).
func TestStatsBoundedMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("big-memory streaming test: run without -short and without -race")
	}
	g := genSeries{2000, 1024, 1024}
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	mx, err := Max(g, 0)
	if err != nil {
		t.Fatal(err)
	}
	md, err := Median(g, 0)
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	// spot check pixel 0 of the median against a direct computation
	col := make([]uint16, g.n)
	for i := range col {
		f, _ := g.Region(i, Rect{0, 1, 0, 1})
		col[i] = f.Data.([]uint16)[0]
	}
	prev, next, gamma := pctIndex(g.n, 0.5)
	want := pixelPercentile(col, prev, next, gamma)
	if md.Data.([]float32)[0] != want {
		t.Errorf("median px0 %v, want %v", md.Data.([]float32)[0], want)
	}
	var m uint16
	for _, v := range col {
		m = max(m, v)
	}
	if mx.Data.([]uint16)[0] != m {
		t.Errorf("max px0 %v, want %v", mx.Data.([]uint16)[0], m)
	}
	hwm := peakRSS(t)
	t.Logf("peak heap %.0f MB, peak RSS of the process %.0f MB (2000 frames, %.1f GB of frame data)",
		float64(peak.Load())/1e6, float64(hwm)/1e6, float64(g.n*g.rows*g.cols*2)/1e9)
	if peak.Load() > 400e6 {
		t.Errorf("peak heap %d bytes exceeds 400 MB", peak.Load())
	}
	if hwm > 400e6 {
		t.Errorf("peak RSS %d bytes exceeds 400 MB", hwm)
	}
}

func benchStack(n int) *ArraySeries {
	g := genSeries{n, 1024, 1024}
	data := make([]uint16, 0, n*1024*1024)
	for i := 0; i < n; i++ {
		f, _ := g.Frame(i)
		data = append(data, f.Data.([]uint16)...)
	}
	s, _ := NewArray(data, []int{n, 1024, 1024}, nil)
	return s
}

// S3/S4 use 100 frames (upstream: 500); scale by 5 for the comparison.
func BenchmarkS3WriteNPZ100(b *testing.B) {
	s := benchStack(100)
	out := filepath.Join(b.TempDir(), "c.npz")
	b.ResetTimer()
	for range b.N {
		if err := WriteFrameCache(s, out, FrameCacheOptions{Threshold: 200}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	st, _ := os.Stat(out)
	b.ReportMetric(float64(st.Size()), "bytes")
}

// BenchmarkS4ReadNPZ100 reads every frame into one reused buffer
// (ReadFrameInto), as a caller of ims_get_frame does;
// BenchmarkS4ReadNPZ100Alloc calls Frame (a new slice per frame).
func BenchmarkS4ReadNPZ100(b *testing.B)      { benchReadNPZ(b, true) }
func BenchmarkS4ReadNPZ100Alloc(b *testing.B) { benchReadNPZ(b, false) }

func benchReadNPZ(b *testing.B, into bool) {
	s := benchStack(100)
	out := filepath.Join(b.TempDir(), "c.npz")
	if err := WriteFrameCache(s, out, FrameCacheOptions{Threshold: 200}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		forgetSharedMemos() // time the decoding, not the memo of the last open
		fc, err := OpenFrameCache(out, "npz")
		if err != nil {
			b.Fatal(err)
		}
		readAll(b, fc, into)
		fc.(*FrameCache).Close()
	}
}

// readAll reads every frame of ims: into one buffer (ReadFrameInto) when
// into is set, else with Frame.
func readAll(b *testing.B, ims ImageSeries, into bool) {
	sh := ims.Shape()
	var buf any
	if into {
		buf = newData(ims.DType(), sh[0]*sh[1])
	}
	for i := 0; i < ims.Len(); i++ {
		var err error
		if into {
			err = ReadFrameInto(ims, i, buf)
		} else {
			_, err = ims.Frame(i)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

var stack200 struct {
	once sync.Once
	s    *ArraySeries
}

func s200() *ArraySeries {
	stack200.once.Do(func() { stack200.s = benchStack(200) })
	return stack200.s
}

func BenchmarkS7Median200(b *testing.B) {
	s := s200()
	b.ResetTimer()
	for range b.N {
		Median(s, 0)
	}
}

func BenchmarkS8Percentile99(b *testing.B) {
	s := s200()
	b.ResetTimer()
	for range b.N {
		Percentile(s, 99, 0)
	}
}

func BenchmarkS9Average200(b *testing.B) {
	s := s200()
	b.ResetTimer()
	for range b.N {
		Average(s, 0)
	}
}

func BenchmarkS10Max200(b *testing.B) {
	s := s200()
	b.ResetTimer()
	for range b.N {
		Max(s, 0)
	}
}

func BenchmarkS11DarkFlip200(b *testing.B) {
	s := s200()
	dark, _ := Median(s, 0)
	b.ResetTimer()
	for range b.N {
		ps, err := NewProcessed(s, []Op{{"dark", dark}, {"flip", "v"}}, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < ps.Len(); i++ {
			ps.Frame(i)
		}
	}
}

// peakRSS is the process's resident-set high-water mark (VmHWM).
func peakRSS(t *testing.T) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb uint64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%d kB", &kb)
			return kb * 1024
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}
