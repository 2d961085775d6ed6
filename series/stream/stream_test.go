package stream

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
	"qpgo/core/qpimage"
	"qpgo/series/qpseries"
)

// testFrame is a deterministic frame: a Gaussian phase bump that moves with
// the index, and an amplitude that encodes the index.
func testFrame(i, rows, cols int) (pha, amp []float64) {
	pha = make([]float64, rows*cols)
	amp = make([]float64, rows*cols)
	cx := float64(cols) * (0.3 + 0.4*float64(i%17)/16)
	cy := float64(rows) / 2
	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			pha[y*cols+x] = 2 * math.Exp(-(dx*dx+dy*dy)/(2*float64(cols*cols)/64))
			amp[y*cols+x] = 1 + 0.001*float64(i) + 0.0001*float64(x)
		}
	}
	return
}

func testMeta() []imagedata.Attr {
	return []imagedata.Attr{
		{Name: "wavelength", Value: 550e-9},
		{Name: "pixel size", Value: 0.1e-6},
		{Name: "medium index", Value: 1.335},
		{Name: "identifier", Value: "acq"},
	}
}

func f32(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(float32(x))
	}
	return out
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func checkFrame(t *testing.T, fr *Frame, rows, cols int) {
	t.Helper()
	pha, amp := testFrame(fr.Index, rows, cols)
	if !equal(fr.Phase, f32(pha)) || !equal(fr.Amplitude, f32(amp)) {
		t.Fatalf("frame %d content differs", fr.Index)
	}
	if fr.Time != float64(fr.Index)*0.5 || fr.Source != SourcePhaseAmplitude {
		t.Fatalf("frame %d: time %v source %v", fr.Index, fr.Time, fr.Source)
	}
}

func TestWriteReadConcurrent(t *testing.T) {
	for _, swmr := range []bool{true, false} {
		for _, compress := range []bool{true, false} {
			t.Run(fmt.Sprintf("swmr=%v,compress=%v", swmr, compress), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "acq.h5")
				const rows, cols, n = 24, 32, 40
				w, err := Create(path, rows, cols, Options{SWMR: swmr, Compress: compress, Meta: testMeta()})
				if err != nil {
					t.Fatal(err)
				}
				r, err := OpenReader(path)
				if err != nil {
					t.Fatal(err)
				}
				if r.SWMR() != swmr {
					t.Errorf("reader SWMR %v", r.SWMR())
				}
				var wg sync.WaitGroup
				done := make(chan struct{})
				wg.Add(1)
				go func() { // a viewer polling the newest frame
					defer wg.Done()
					last := -1
					for {
						select {
						case <-done:
							return
						default:
						}
						fr, err := r.Newest()
						if qperr.Is(err, qperr.NotFound) {
							continue
						}
						if err != nil {
							t.Error(err)
							return
						}
						if fr.Index < last {
							t.Errorf("newest went back from %d to %d", last, fr.Index)
						}
						last = fr.Index
						checkFrame(t, fr, rows, cols)
					}
				}()
				for i := 0; i < n; i++ {
					pha, amp := testFrame(i, rows, cols)
					idx, err := w.Append(pha, amp, float64(i)*0.5)
					if err != nil || idx != i {
						t.Fatalf("append %d: %d %v", i, idx, err)
					}
					if k, err := r.Len(); err != nil || k < i+1 {
						t.Fatalf("reader len %d after append %d: %v", k, i, err)
					}
				}
				close(done)
				wg.Wait()
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				if k, _ := r.Len(); k != n {
					t.Fatalf("len %d", k)
				}
				for i := 0; i < n; i++ {
					fr, err := r.Frame(i)
					if err != nil {
						t.Fatal(err)
					}
					checkFrame(t, fr, rows, cols)
				}
				if _, err := r.Frame(n); !qperr.Is(err, qperr.NotFound) {
					t.Errorf("frame past end: %v", err)
				}
				if fr, err := r.Frame(-1); err != nil || fr.Index != n-1 {
					t.Errorf("frame -1: %v", err)
				}
				m, err := r.Meta()
				if err != nil || len(m) != 5 {
					t.Errorf("meta %v %v", m, err)
				}
				r.Close()
				// The closed file opens plainly (status flags cleared).
				f, err := h5.Open(path, "r")
				if err != nil {
					t.Fatal(err)
				}
				info, err := f.Root().DatasetInfo(DSPhase)
				f.Close()
				if err != nil || info.Shape[0] != n || (len(info.Filters) > 0) != compress {
					t.Errorf("phase dataset %v %v", info, err)
				}
				// Pre-filtered chunks are written for exactly this pipeline.
				if compress && (len(info.Filters) != 2 || info.Filters[0].ID != h5.FilterShuffle || info.Filters[1].ID != h5.FilterDeflate) {
					t.Errorf("filters %v", info.Filters)
				}
			})
		}
	}
}

func TestAppendNoAmplitudeAndProcPhase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.h5")
	w, err := Create(path, 8, 8, Options{SWMR: true, ProcPhase: true})
	if err != nil {
		t.Fatal(err)
	}
	pha := make([]float64, 64)
	for i := range pha {
		pha[i] = math.Mod(float64(i)*0.3, 2*math.Pi) - math.Pi // wrapped ramp
	}
	if _, err := w.Append(pha, nil, 1); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fr, err := r.Newest()
	if err != nil {
		t.Fatal(err)
	}
	if fr.Source != SourcePhase || fr.Amplitude[5] != 1 {
		t.Errorf("source %v amp %v", fr.Source, fr.Amplitude[5])
	}
	q, err := qpimage.NewInMemory(&qpimage.Input{WhichData: qpimage.ConvWhichData("phase"), Arrays: [][]float64{pha}, Shape: []int{8, 8}}, nil, qpimage.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	want, _, _ := q.Pha()
	if !equal(fr.Phase, want) {
		t.Errorf("processed phase differs from QPImage's")
	}
}

// synthHologram is an off-axis hologram of a phase bump (carrier period
// about 4 pixels), quantised like a camera image.
func synthHologram(rows, cols int, shift float64) []float64 {
	h := make([]float64, rows*cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			x, y := float64(i-rows/2), float64(j)-float64(cols)*shift
			p := 1.5 * math.Exp(-(x*x+y*y)/(2*float64(rows*rows)/49))
			v := 2 + 2*math.Cos(2*math.Pi*(-0.23*x-0.14*float64(j))+p)
			h[i*cols+j] = math.Round(60 * v)
		}
	}
	return h
}

func TestAppendHologramMatchesQPImage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.h5")
	const rows, cols = 64, 64
	w, err := Create(path, rows, cols, Options{SWMR: true, Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	holo := synthHologram(rows, cols, 0.4)
	kw := map[string]any{"filter_name": "disk", "filter_size": 1.0 / 3}
	if idx, err := w.AppendHologram(holo, 2.5, kw); err != nil || idx != 0 {
		t.Fatal(idx, err)
	}
	if _, err := w.AppendHologram(holo[:10], 0, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("short hologram: %v", err)
	}
	if _, err := w.AppendHologram(holo, 0, map[string]any{"bogus": 1}); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("unknown option: %v", err)
	}
	w.Close()
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fr, err := r.Frame(0)
	if err != nil {
		t.Fatal(err)
	}
	opt := qpimage.DefaultOptions()
	opt.QPRetrieveKW = kw
	q, err := qpimage.NewInMemory(&qpimage.Input{WhichData: qpimage.ConvWhichData("raw-oah"), Arrays: [][]float64{holo}, Shape: []int{rows, cols}}, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	pha, _, _ := q.Pha()
	amp, _, _ := q.Amp()
	if !equal(fr.Phase, pha) || !equal(fr.Amplitude, amp) || fr.Source != SourceHologram || fr.Time != 2.5 {
		t.Errorf("hologram frame differs from QPImage(raw-oah)")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range fr.Phase {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	t.Logf("phase range %v .. %v", lo, hi)
}

func TestExportQPSeries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "acq.h5")
	const rows, cols, n = 16, 20, 5
	w, err := Create(path, rows, cols, Options{SWMR: true, Compress: true, Meta: testMeta()})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		pha, amp := testFrame(i, rows, cols)
		if _, err := w.Append(pha, amp, float64(i)*0.5); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "series.h5")
	// Export while the writer is still open, as an acquisition program would.
	k, err := ExportQPSeries(path, out)
	if err != nil || k != n {
		t.Fatal(k, err)
	}
	w.Close()
	s, err := qpseries.Open(out, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Len() != n || s.Identifier() != "acq" {
		t.Fatalf("len %d id %q", s.Len(), s.Identifier())
	}
	for i := 0; i < n; i++ {
		q, err := s.GetQPImage(i)
		if err != nil {
			t.Fatal(err)
		}
		pha, amp := testFrame(i, rows, cols)
		gp, _, _ := q.Pha()
		ga, _, _ := q.Amp()
		if !equal(gp, f32(pha)) || !equal(ga, f32(amp)) {
			t.Errorf("member %d data differ", i)
		}
		tm, err := q.GetMeta("time")
		wl, err2 := q.GetMeta("wavelength")
		if err != nil || err2 != nil || tm != float64(i)*0.5 || wl != 550e-9 {
			t.Errorf("member %d meta time=%v wavelength=%v %v %v", i, tm, wl, err, err2)
		}
		if q.Identifier() != fmt.Sprintf("acq:%d", i) {
			t.Errorf("member %d identifier %q", i, q.Identifier())
		}
	}
	// The export has the upstream layout: the earliest file format.
	if v, _ := h5.SuperblockVersion(out); v != 0 {
		t.Errorf("export superblock version %d", v)
	}
	if v, _ := h5.SuperblockVersion(path); v != 3 {
		t.Errorf("SWMR superblock version %d", v)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "e.h5")
	if _, err := Create(p, 0, 4, Options{}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("zero rows: %v", err)
	}
	if _, err := Create(p, 4, 4, Options{Meta: []imagedata.Attr{{Name: "colour", Value: 1.0}}}); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("bad key: %v", err)
	}
	if _, err := Create(p, 4, 4, Options{Meta: []imagedata.Attr{{Name: "time", Value: 1.0}}}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("time key: %v", err)
	}
	if _, err := Create(p, 4, 4, Options{Level: 12}); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("level: %v", err)
	}
	w, err := Create(p, 4, 4, Options{SWMR: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Append(make([]float64, 15), nil, 0); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("short phase: %v", err)
	}
	if _, err := w.Append(make([]float64, 16), make([]float64, 3), 0); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("short amplitude: %v", err)
	}
	w.Close()
	if _, err := w.Append(make([]float64, 16), nil, 0); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("closed writer: %v", err)
	}
	r, err := OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Newest(); !qperr.Is(err, qperr.NotFound) {
		t.Errorf("empty newest: %v", err)
	}
	r.Close()
	// Not an acquisition file.
	f, _ := h5.Open(filepath.Join(dir, "other.h5"), "w")
	f.Close()
	if _, err := OpenReader(filepath.Join(dir, "other.h5")); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("other file: %v", err)
	}
	if _, err := OpenReader(filepath.Join(dir, "missing.h5")); !qperr.Is(err, qperr.IO) {
		t.Errorf("missing file: %v", err)
	}
}

// The helper process is this test binary run with STREAM_HELPER set: it
// writes frames and prints "written <i>" after each Append returns.
func TestMain(m *testing.M) {
	if p := os.Getenv("STREAM_HELPER"); p != "" {
		pause, _ := strconv.Atoi(os.Getenv("STREAM_HELPER_PAUSE"))
		os.Exit(helper(p, os.Getenv("STREAM_HELPER_SWMR") == "1", pause))
	}
	os.Exit(m.Run())
}

// helper writes frames; with pause > 0 it stops after frame pause, prints
// "paused" and waits to be killed (a kill between two appends).
func helper(path string, swmr bool, pause int) int {
	const rows, cols = 24, 32
	w, err := Create(path, rows, cols, Options{SWMR: swmr, Compress: true, Meta: testMeta()})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("created")
	for i := 0; i < 100000; i++ {
		pha, amp := testFrame(i, rows, cols)
		if _, err := w.Append(pha, amp, float64(i)*0.5); err != nil {
			fmt.Println("error", err)
			return 1
		}
		fmt.Println("written", i)
		if pause > 0 && i == pause {
			fmt.Println("paused")
			select {}
		}
	}
	return 0
}

func startHelper(t *testing.T, path string, swmr bool, pause int) (*exec.Cmd, *bufio.Scanner) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STREAM_HELPER="+path, "STREAM_HELPER_SWMR="+map[bool]string{true: "1", false: "0"}[swmr],
		"STREAM_HELPER_PAUSE="+strconv.Itoa(pause))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// TestCrossProcessAndKill follows a SWMR writer from another process, kills
// it with SIGKILL and checks every frame it reported as written. SWMR
// guarantees that for a kill at any moment; without SWMR HDF5 1.10 gives no
// guarantee for a kill in the middle of an append (doc.go; once in a CI run
// the file's index was torn), so the plain writer is killed between two
// appends, where every flushed frame must be readable.
func TestCrossProcessAndKill(t *testing.T) {
	const rows, cols = 24, 32
	for _, swmr := range []bool{true, false} {
		t.Run(fmt.Sprintf("swmr=%v", swmr), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.h5")
			pause := 0
			if !swmr {
				pause = 60
			}
			cmd, sc := startHelper(t, path, swmr, pause)
			written := -1
			var r *Reader
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "error") {
					t.Fatal(line)
				}
				if v, ok := strings.CutPrefix(line, "written "); ok {
					written, _ = strconv.Atoi(v)
				}
				if swmr && written == 5 && r == nil {
					var err error
					if r, err = OpenReader(path); err != nil {
						t.Fatal(err)
					}
				}
				if r != nil && written%10 == 0 {
					fr, err := r.Newest()
					if err != nil {
						t.Fatal(err)
					}
					if fr.Index < written {
						t.Fatalf("newest %d < written %d", fr.Index, written)
					}
					checkFrame(t, fr, rows, cols)
				}
				if written >= 60 && (swmr || line == "paused") {
					break
				}
			}
			cmd.Process.Signal(syscall.SIGKILL)
			// Read what the writer printed before it died.
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "written "); ok {
					written, _ = strconv.Atoi(v)
				}
			}
			cmd.Wait()
			if r != nil {
				r.Close()
			}
			time.Sleep(10 * time.Millisecond)
			r, err := OpenReader(path)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := r.Len()
			if n < written+1 {
				t.Fatalf("%d frames readable, %d were written", n, written+1)
			}
			for i := 0; i <= written; i++ {
				fr, err := r.Frame(i)
				if err != nil {
					t.Fatal(err)
				}
				checkFrame(t, fr, rows, cols)
			}
			r.Close()
			if swmr {
				f, err := h5.Open(path, "r")
				if err == nil || !strings.Contains(err.Error(), "already open for write") {
					t.Errorf("plain open of a killed SWMR file: %v", err)
				}
				if f != nil {
					f.Close()
				}
				if err := RecoverFile(path); err != nil {
					t.Fatal(err)
				}
				f, err = h5.Open(path, "r")
				if err != nil {
					t.Fatalf("plain open after RecoverFile: %v", err)
				}
				f.Close()
			}
		})
	}
}

// TestEncodePanic: a panic in the goroutine that compresses the amplitude
// is returned by Append as an Internal error instead of crashing; the
// frame is not written and the writer goes on.
func TestEncodePanic(t *testing.T) {
	w, err := Create(filepath.Join(t.TempDir(), "p.h5"), 4, 4, Options{Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer func(f func(any, int) ([]byte, error)) { encodeChunk = f }(encodeChunk)
	encodeChunk = func(any, int) ([]byte, error) { panic("test panic") }
	if _, err := w.Append(make([]float64, 16), make([]float64, 16), 0); !qperr.Is(err, qperr.Internal) {
		t.Fatalf("got %v", err)
	}
	encodeChunk = h5.EncodeShuffleDeflate
	if i, err := w.Append(make([]float64, 16), make([]float64, 16), 0); err != nil || i != 0 {
		t.Fatalf("after the panic: %d %v", i, err)
	}
}
