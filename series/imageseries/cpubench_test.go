package imageseries

import (
	"os"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs fn reps times and returns the best wall time and the CPU
// time of that run.
func measure(reps int, fn func()) (best, cpu time.Duration) {
	best = time.Hour
	for r := 0; r < reps; r++ {
		c0, t0 := cpuNow(), time.Now()
		fn()
		w, c := time.Since(t0), cpuNow()-c0
		if w < best {
			best, cpu = w, c
		}
	}
	return
}

// TestBenchTable prints best-of wall and CPU times of the S workloads
// (QPGO_BENCH=1; QPGO_BENCH_ONLY=S7 to pick one).
func TestBenchTable(t *testing.T) {
	if os.Getenv("QPGO_BENCH") == "" {
		t.Skip("set QPGO_BENCH=1")
	}
	only := os.Getenv("QPGO_BENCH_ONLY")
	ws := benchWorkloads(t)
	prereq := map[string]string{"S2": "S1", "S4": "S3", "S6": "S5"}
	for _, w := range ws {
		if only != "" && only != w.id {
			if prereq[only] == w.id {
				w.run()
			}
			continue
		}
		if w.setup != nil {
			w.setup()
		}
		best, cpu := measure(w.reps, w.run)
		t.Logf("%-4s %-44s best %8.3f s  cpu %8.3f s  upstream %6.2f s  ratio %5.2fx", w.id, w.name, best.Seconds()*w.scale, cpu.Seconds()*w.scale, w.upstream, w.upstream/(best.Seconds()*w.scale))
	}
}

type workload struct {
	id, name string
	upstream float64
	scale    float64 // factor from the measured run to the upstream size
	reps     int
	run      func()
	setup    func()
}

var dark200 *Frame

func benchWorkloads(t *testing.T) []workload {
	dir := t.TempDir()
	s100 := benchStack(100)
	h5f, npz, fch := dir+"/s.h5", dir+"/s.npz", dir+"/s.fch5"
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	// reads go into one reused buffer, as ims_get_frame's callers do
	readAll := func(s ImageSeries, err error) {
		must(err)
		sh := s.Shape()
		buf := newData(s.DType(), sh[0]*sh[1])
		for i := 0; i < s.Len(); i++ {
			must(ReadFrameInto(s, i, buf))
		}
		if c, ok := s.(interface{ Close() error }); ok {
			c.Close()
		}
	}
	var s200v *ArraySeries
	get200 := func() *ArraySeries {
		if s200v == nil {
			s200v = s200()
		}
		return s200v
	}
	return []workload{
		{"S1", "hdf5 write 100 frames (x5)", 13.5, 5, 2, func() { must(Write(s100, h5f, "hdf5", Options{"path": "imageseries"})) }, nil},
		{"S2", "hdf5 read all 100 frames (x5)", 4.88, 5, 2, func() { readAll(Open(h5f, "hdf5", Options{"path": "imageseries"})) }, nil},
		{"S3", "npz write 100 frames thr 200 (x5)", 1.60, 5, 3, func() { must(WriteFrameCache(s100, npz, FrameCacheOptions{Threshold: 200})) }, nil},
		{"S4", "npz read all 100 frames (x5)", 0.64, 5, 3, func() { readAll(OpenFrameCache(npz, "npz")) }, nil},
		{"S5", "fch5 write 100 frames thr 200 (x5)", 1.58, 5, 3, func() {
			must(WriteFrameCache(s100, fch, FrameCacheOptions{Threshold: 200, Style: "fch5", Warn: func(string) {}}))
		}, nil},
		{"S6", "fch5 read all 100 frames (x5)", 0.27, 5, 3, func() { readAll(OpenFrameCache(fch, "fch5")) }, nil},
		{"S7", "median 200 frames", 4.55, 1, 3, func() { _, err := Median(get200(), 0); must(err) }, nil},
		{"S8", "percentile 99 200 frames", 3.49, 1, 3, func() { _, err := Percentile(get200(), 99, 0); must(err) }, nil},
		{"S9", "average 200 frames", 0.15, 1, 5, func() { _, err := Average(get200(), 0); must(err) }, nil},
		{"S10", "max 200 frames", 0.10, 1, 5, func() { _, err := Max(get200(), 0); must(err) }, nil},
		{"S11", "dark(median f32)+flip v, read 200", 1.60, 1, 3, func() {
			s := get200()
			ps, err := NewProcessed(s, []Op{{"dark", *dark200}, {"flip", "v"}}, nil, nil)
			must(err)
			readAll(ps, nil)
		}, func() {
			if dark200 == nil {
				d, err := Median(get200(), 0)
				must(err)
				dark200 = &d
			}
		}},
	}
}

// TestBenchProfile runs one workload repeatedly for -cpuprofile
// (QPGO_BENCH=1 QPGO_BENCH_ONLY=S6).
func TestBenchProfile(t *testing.T) {
	if os.Getenv("QPGO_BENCH") == "" || os.Getenv("QPGO_BENCH_ONLY") == "" {
		t.Skip("set QPGO_BENCH=1 QPGO_BENCH_ONLY=Sx")
	}
	ws := benchWorkloads(t)
	var prep []func()
	for _, w := range ws {
		if w.id == os.Getenv("QPGO_BENCH_ONLY") {
			for _, p := range prep {
				p()
			}
			if w.setup != nil {
				w.setup()
			}
			for i := 0; i < 5; i++ {
				w.run()
			}
			return
		}
		// the writer that produces the file the reader needs
		if map[string]string{"S2": "S1", "S4": "S3", "S6": "S5"}[os.Getenv("QPGO_BENCH_ONLY")] == w.id {
			prep = append(prep, w.run)
		}
	}
}
