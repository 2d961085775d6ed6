package flseries

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"

	"qpgo/core/flimage"
	"qpgo/core/h5"
	"qpgo/core/imagedata"
	"qpgo/core/qperr"
	"qpgo/internal/fixture"
	"qpgo/internal/fixture/qptest"
)

// stack returns raw_fl of all members, concatenated, with shape (n, r, c).
func stack(t *testing.T, s *FLSeries, get func(*flimage.FLImage) ([]float64, []int, error)) ([]float64, []int) {
	t.Helper()
	var out []float64
	var shape []int
	for fli, err := range s.All() {
		if err != nil {
			t.Fatal(err)
		}
		v, sh, err := get(fli)
		if err != nil {
			t.Fatal(err)
		}
		out, shape = append(out, v...), sh
	}
	return out, append([]int{s.Len()}, shape...)
}

// checkMemberMeta compares every member's meta with a list of typed meta objects.
func checkMemberMeta(t *testing.T, c *fixture.Case, s *FLSeries, name string) {
	t.Helper()
	var want []json.RawMessage
	c.Want(t, name, &want)
	if s.Len() != len(want) {
		t.Fatalf("%s: %d members, want %d", name, s.Len(), len(want))
	}
	for i, w := range want {
		fli, err := s.GetFLImage(i)
		if err != nil {
			t.Fatal(err)
		}
		qptest.CheckMeta(t, fmt.Sprintf("%s[%d]", name, i), fli, w)
	}
}

func checkSeriesFile(t *testing.T, c *fixture.Case, s *FLSeries) {
	t.Helper()
	var n int
	c.Want(t, "length", &n)
	var id string
	c.Want(t, "identifier", &id)
	if s.Len() != n || s.Identifier() != id {
		t.Errorf("len %d identifier %q", s.Len(), s.Identifier())
	}
	got, shape := stack(t, s, (*flimage.FLImage).RawFl)
	c.CheckFloat64(t, "fl_stack", got, shape)
	got, shape = stack(t, s, (*flimage.FLImage).Fl)
	c.CheckFloat64(t, "fl_stack", got, shape)
	var times []float64
	c.Want(t, "member_times", &times)
	for i, want := range times {
		fli, _ := s.GetFLImage(i)
		if v, err := fli.GetMeta("time"); err != nil || v != want {
			t.Errorf("time %d: %v %v", i, v, err)
		}
	}
	checkMemberMeta(t, c, s, "member_meta")
	qptest.CheckLayoutFile(t, s.G, c.Path("flseries_layout.json"))
	if fli, err := s.GetFLImageByID("frame3"); err != nil || fli.G.Path() != "/fli_3" {
		t.Errorf("by id: %v", err)
	}
	if !s.Contains("frame5") || s.Contains("frame9") {
		t.Error("contains")
	}
}

func TestReadUpstreamSeries(t *testing.T) {
	c := fixture.Load(t, "fl_series_file")
	s, err := Open(c.Path("flseries.h5"), "r")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkSeriesFile(t, c, s)
}

func TestWriteLikeUpstream(t *testing.T) {
	c := fixture.Load(t, "fl_series_file")
	frames, fshape := c.Float64(t, "frames")
	times, _ := c.Float64(t, "times")
	path := filepath.Join(t.TempDir(), "flseries.h5")
	s, err := NewFile(path, "w", nil, Options{Identifier: "series_x"})
	if err != nil {
		t.Fatal(err)
	}
	sz := fshape[1] * fshape[2]
	for i := range times {
		fli, err := flimage.NewInMemory(&flimage.Array{Data: frames[i*sz : (i+1)*sz], Shape: fshape[1:]}, nil,
			flimage.Options{Meta: []imagedata.Attr{{Name: "time", Value: times[i]}, {Name: "pixel size", Value: 2e-7},
				{Name: "identifier", Value: fmt.Sprintf("frame%d", i)}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddFLImage(fli, ""); err != nil {
			t.Fatal(err)
		}
		fli.Close()
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	qptest.CheckH5Dump(t, path, c.Path("flseries.h5"))
	r, err := Open(path, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	checkSeriesFile(t, c, r)
}

func TestBleachCorrectionFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "bleach_correction") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			var border int
			c.Param(t, "border_px", &border)
			s, err := Open(c.Path("series_in.h5"), "r")
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			out := filepath.Join(t.TempDir(), "series_out.h5")
			var calls []int
			res, err := s.BleachCorrection(ToFile(out), border, nil, func(done, total int) bool {
				calls = append(calls, done)
				if total != 3*s.Len() {
					t.Errorf("total %d", total)
				}
				return true
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(calls) != 3*s.Len() || calls[len(calls)-1] != 3*s.Len() {
				t.Errorf("progress calls %v", calls)
			}
			var bg float64
			c.Want(t, "bg", &bg)
			if tol := c.Tol(t, "bg"); !tol.Close(res.Bg, bg) {
				t.Errorf("bg %v want %v", res.Bg, bg)
			}
			c.CheckFloat64(t, "flint", res.Flint, []int{len(res.Flint)})
			c.CheckFloat64(t, "decay", res.Decay, []int{len(res.Decay)})
			c.CheckFloat64(t, "times", res.Times, []int{len(res.Times)})
			r, err := Open(out, "r")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Identifier() != "" {
				t.Error("output series has an identifier")
			}
			got, shape := stack(t, r, (*flimage.FLImage).RawFl)
			c.CheckFloat64(t, "corrected", got, shape)
			checkMemberMeta(t, c, r, "corrected_meta")
			if _, ok := c.Expected["series_out"]; ok {
				qptest.CheckH5Dump(t, out, c.Path("series_out.h5"))
			}
			// without output: same numbers, 2N progress
			res2, err := s.BleachCorrection(nil, border, nil, nil)
			if err != nil || res2.Bg != res.Bg || !reflect.DeepEqual(res2.Decay, res.Decay) {
				t.Errorf("without output: %v", err)
			}
		})
	}
}

func TestDenoiseFixture(t *testing.T) {
	c := fixture.Load(t, "fl_denoise")
	s, err := Open(c.Path("series_in.h5"), "r")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := filepath.Join(t.TempDir(), "series_dn.h5")
	if err := s.Denoise(ToFile(out), nil); err != nil {
		t.Fatal(err)
	}
	r, err := Open(out, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, shape := stack(t, r, (*flimage.FLImage).RawFl)
	c.CheckFloat64(t, "denoised", got, shape)
	checkMemberMeta(t, c, r, "denoised_meta")
	qptest.CheckH5Dump(t, out, c.Path("series_dn.h5"))
}

// synthSeries writes an in-memory series of n frames with times.
func synthSeries(t testing.TB, n, rows, cols int, withTime bool) *FLSeries {
	s, err := NewInMemory(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		d := make([]float64, rows*cols)
		for j := range d {
			r, c := j/cols, j%cols
			d[j] = 17 + 100*expDecay(i)*gauss(r-rows/2, c-cols/2, float64(rows)/6) + float64((j*7919+i*31)%13)/13
		}
		m := []imagedata.Attr{{Name: "identifier", Value: fmt.Sprintf("f%d", i)}}
		if withTime {
			m = append(m, imagedata.Attr{Name: "time", Value: float64(i)})
		}
		fli, err := flimage.NewInMemory(&flimage.Array{Data: d, Shape: []int{rows, cols}}, nil, flimage.Options{Meta: m})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddFLImage(fli, ""); err != nil {
			t.Fatal(err)
		}
		fli.Close()
	}
	return s
}

func TestCancelLeavesValidOutput(t *testing.T) {
	s := synthSeries(t, 8, 24, 20, true)
	defer s.Close()
	dir := t.TempDir()
	for _, kind := range []string{"bleach", "denoise"} {
		t.Run(kind, func(t *testing.T) {
			out := filepath.Join(dir, kind+".h5")
			cancelAt := 4 // images written before cancelling
			var err error
			if kind == "bleach" {
				_, err = s.BleachCorrection(ToFile(out), 2, nil, func(done, total int) bool { return done < 2*8+cancelAt })
			} else {
				err = s.Denoise(ToFile(out), func(done, total int) bool { return done < cancelAt })
			}
			if !qperr.Is(err, qperr.Cancelled) {
				t.Fatalf("err %v", err)
			}
			r, err := Open(out, "r")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Len() != cancelAt {
				t.Fatalf("%d images after cancel, want %d", r.Len(), cancelAt)
			}
			for fli, err := range r.All() {
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := fli.Fl(); err != nil {
					t.Errorf("%s: %v", fli.G.Path(), err)
				}
			}
		})
	}
	// cancelled during the numerics: no output at all
	out := filepath.Join(dir, "early.h5")
	if _, err := s.BleachCorrection(ToFile(out), 2, nil, func(done, total int) bool { return done < 3 }); !qperr.Is(err, qperr.Cancelled) {
		t.Fatal(err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output created by a run cancelled before writing")
	}
}

// TestParallelEqualsSerial runs Denoise and BleachCorrection with one and
// with several threads: the output files hold identical values.
func TestParallelEqualsSerial(t *testing.T) {
	s := synthSeries(t, 6, 32, 28, true)
	defer s.Close()
	dir := t.TempDir()
	run := func(procs int) ([]float64, []float64) {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		dn := filepath.Join(dir, fmt.Sprintf("dn%d.h5", procs))
		bl := filepath.Join(dir, fmt.Sprintf("bl%d.h5", procs))
		if err := s.Denoise(ToFile(dn), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.BleachCorrection(ToFile(bl), 3, nil, nil); err != nil {
			t.Fatal(err)
		}
		var out [2][]float64
		for i, p := range []string{dn, bl} {
			r, err := Open(p, "r")
			if err != nil {
				t.Fatal(err)
			}
			out[i], _ = stack(t, r, (*flimage.FLImage).RawFl)
			r.Close()
		}
		return out[0], out[1]
	}
	d1, b1 := run(1)
	d4, b4 := run(4)
	if !reflect.DeepEqual(d1, d4) || !reflect.DeepEqual(b1, b4) {
		t.Error("parallel results differ from serial")
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	// missing time
	s := synthSeries(t, 5, 16, 16, false)
	defer s.Close()
	out := filepath.Join(dir, "notime.h5")
	_, err := s.BleachCorrection(ToFile(out), 2, nil, nil)
	if !qperr.Is(err, qperr.MissingMeta) || err.Error() != "No meta data was defined for 'time'! Please make sure you passed the dictionary `meta_data` when you loaded your data." {
		t.Errorf("missing time: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output written despite missing time")
	}
	// constant trace: identical frames
	c, _ := NewInMemory(nil, Options{})
	defer c.Close()
	d := make([]float64, 16*16)
	for i := range d {
		d[i] = 5 + float64(i%16)
	}
	for i := 0; i < 4; i++ {
		fli, _ := flimage.NewInMemory(&flimage.Array{Data: d, Shape: []int{16, 16}}, nil,
			flimage.Options{Meta: []imagedata.Attr{{Name: "time", Value: float64(i)}}})
		if err := c.AddFLImage(fli, ""); err != nil {
			t.Fatal(err)
		}
	}
	out = filepath.Join(dir, "const.h5")
	if _, err := c.BleachCorrection(ToFile(out), 2, nil, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("constant trace: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output written for a constant trace")
	}
	// flscorr longer than the series
	good := synthSeries(t, 4, 16, 16, true)
	defer good.Close()
	long := synthSeries(t, 6, 16, 16, true)
	defer long.Close()
	if _, err := good.BleachCorrection(ToFile(out), 2, long, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("long flscorr: %v", err)
	}
	// too short for the fit
	short := synthSeries(t, 2, 16, 16, true)
	defer short.Close()
	if _, err := short.BleachCorrection(ToFile(out), 2, nil, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("2 frames: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output written for bad input")
	}
	// flscorr shorter than the series works (corrects only its images)
	if _, err := long.BleachCorrection(ToFile(out), 2, good, nil); err != nil {
		t.Fatal(err)
	}
	// running again into the same output: identifier clash, file unchanged
	if _, err := long.BleachCorrection(ToFile(out), 2, good, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("identifier clash: %v", err)
	}
	r, _ := Open(out, "r")
	if r.Len() != 4 {
		t.Errorf("output has %d images", r.Len())
	}
	r.Close()
	// output into a group of an open file
	mf, _ := h5.CreateInMemory("grp.h5")
	defer mf.Close()
	g, _ := mf.Root().RequireGroup("dn")
	if err := good.Denoise(ToGroup(g), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(mustKeys(t, g)); n != 4 {
		t.Errorf("group output has %d members", n)
	}
}

func mustKeys(t *testing.T, g *h5.Group) []string {
	k, err := g.Keys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSeriesErrors(t *testing.T) {
	c := fixture.Load(t, "fl_image_file")
	if _, err := Open(c.Path("flimage.h5"), "r"); !qperr.Is(err, qperr.BadArgument) || err.Error() != "`h5file` is an FLImage file, not an FLSeries file!" {
		t.Errorf("FLImage file: %v", err)
	}
	s := synthSeries(t, 3, 8, 8, true)
	defer s.Close()
	if _, err := s.GetFLImage(-4); err == nil || err.Error() != "Index -4 out of bounds for FLSeries of size 3!" {
		t.Errorf("-4: %v", err)
	}
	if _, err := s.GetFLImage(3); !qperr.Is(err, qperr.NotFound) {
		t.Errorf("3: %v", err)
	}
	if f, err := s.GetFLImage(-1); err != nil || f.Identifier() != "f2" {
		t.Errorf("-1: %v", err)
	}
	if _, err := s.GetFLImageByID("peter"); !qperr.Is(err, qperr.NotFound) || err.Error() != "FLImage identifier 'peter' not found!" {
		t.Errorf("by id: %v", err)
	}
	f0, _ := s.GetFLImage(0)
	if err := s.AddFLImage(f0, ""); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("duplicate: %v", err)
	}
	if err := s.AddFLImage(f0, "peter"); err != nil {
		t.Fatal(err)
	}
	if f, err := s.GetFLImage(3); err != nil || f.Identifier() != "peter" {
		t.Errorf("identifier argument: %v", err)
	}
	// meta_data overrides every member; mode r with meta is refused
	path := filepath.Join(t.TempDir(), "s.h5")
	w, err := NewFile(path, "w", []*flimage.FLImage{f0}, Options{Meta: []imagedata.Attr{{Name: "pixel size", Value: 3e-7}}, Identifier: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := w.GetFLImage(0); f != nil {
		if v, _ := f.GetMeta("pixel size"); v != 3e-7 {
			t.Errorf("pixel size %v", v)
		}
	}
	w.Close()
	if _, err := NewFile(path, "r", nil, Options{Meta: []imagedata.Attr{{Name: "time", Value: 1.0}}}); err == nil ||
		err.Error() != "`h5mode` must not be 'r' if `meta_data` is given!" {
		t.Errorf("meta with r: %v", err)
	}
	r, _ := Open(path, "r")
	defer r.Close()
	if r.Len() != 1 || r.Identifier() != "x" {
		t.Errorf("reopened: %d %q", r.Len(), r.Identifier())
	}
	if eq, err := func() (bool, error) { f, _ := r.GetFLImage(0); return f.Equal(f0) }(); eq || err != nil {
		t.Errorf("override should change pixel size: %v %v", eq, err)
	}
}

func expDecay(i int) float64 { return math.Exp(-0.15 * float64(i)) }

func gauss(dr, dc int, s float64) float64 {
	return math.Exp(-float64(dr*dr+dc*dc) / (2 * s * s))
}

// TestDenoiseWorkerPanic: a panic while denoising an image is returned as
// an Internal error instead of crashing the process.
func TestDenoiseWorkerPanic(t *testing.T) {
	s := synthSeries(t, 6, 12, 10, true)
	defer s.Close()
	defer func(f func([]float64, int, int, float64) ([]float64, error)) { denoiseTV = f }(denoiseTV)
	var calls atomic.Int32
	orig := denoiseTV
	denoiseTV = func(img []float64, rows, cols int, weight float64) ([]float64, error) {
		if calls.Add(1) == 3 {
			panic("test panic")
		}
		return orig(img, rows, cols, weight)
	}
	out := filepath.Join(t.TempDir(), "dn.h5")
	if err := s.Denoise(ToFile(out), nil); !qperr.Is(err, qperr.Internal) {
		t.Fatalf("got %v", err)
	}
}
