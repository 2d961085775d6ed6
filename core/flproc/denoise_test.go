package flproc

import (
	"math"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
)

func TestDenoiseFixture(t *testing.T) {
	for _, name := range fixture.Names(t, "denoise") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			frames, rows, cols := loadFrames(t, c, "frames")
			var weight, eps float64
			var maxIter int
			c.Param(t, "weight", &weight)
			c.Param(t, "eps", &eps)
			c.Param(t, "max_num_iter", &maxIter)
			if weight != DenoiseWeight || eps != DefaultTVEps || maxIter != DefaultTVMaxIter {
				t.Fatalf("fixture parameters %v %v %v differ from the defaults", weight, eps, maxIter)
			}
			var serial []float64
			var serial32 []float64
			for i, f := range frames {
				got, err := DenoiseTVChambolle(f, rows, cols, weight)
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				serial = append(serial, got...)
				for _, v := range got {
					serial32 = append(serial32, float64(float32(v)))
				}
			}
			shape := []int{len(frames), rows, cols}
			c.CheckFloat64(t, "denoised_float64", serial, shape)
			// The storage layer writes float32; check that rounding too.
			c.CheckFloat64(t, "denoised", serial32, shape)

			par, err := DenoiseFrames(frames, rows, cols, weight, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := range par {
				for k, v := range par[i] {
					if v != serial[i*rows*cols+k] {
						t.Fatalf("parallel frame %d differs at %d: %v vs %v", i, k, v, serial[i*rows*cols+k])
					}
				}
			}
		})
	}
}

// TestDenoiseStopsEarly checks the eps stop test against the iteration
// limit: a looser eps must stop earlier and so change the result, and
// maxIter=1 must return the input unchanged (out of iteration 0 is image).
func TestDenoiseIterationControl(t *testing.T) {
	c := fixture.Load(t, "fl_denoise")
	frames, rows, cols := loadFrames(t, c, "frames")
	one, err := DenoiseTV(frames[0], rows, cols, 2, DefaultTVEps, 1)
	if err != nil {
		t.Fatal(err)
	}
	for k := range one {
		if one[k] != frames[0][k] {
			t.Fatalf("maxIter=1 changed pixel %d", k)
		}
	}
	tight, _ := DenoiseTV(frames[0], rows, cols, 2, 0, 50)
	loose, _ := DenoiseTV(frames[0], rows, cols, 2, 1e-1, 50)
	same := true
	for k := range tight {
		if tight[k] != loose[k] {
			same = false
			break
		}
	}
	if same {
		t.Error("eps has no effect on the result")
	}
}

func TestDenoiseErrors(t *testing.T) {
	img := []float64{1, 2, 3, 4, 5, 6}
	nan := []float64{1, 2, math.NaN(), 4, 5, 6}
	cases := []struct {
		name       string
		img        []float64
		rows, cols int
		weight     float64
		eps        float64
		iter       int
	}{
		{"shape", img, 2, 2, 2, 2e-4, 200},
		{"zero rows", nil, 0, 3, 2, 2e-4, 200},
		{"empty", []float64{}, 0, 0, 2, 2e-4, 200},
		{"nan", nan, 2, 3, 2, 2e-4, 200},
		{"inf", []float64{1, 2, math.Inf(1), 4, 5, 6}, 2, 3, 2, 2e-4, 200},
		{"weight 0", img, 2, 3, 0, 2e-4, 200},
		{"weight nan", img, 2, 3, math.NaN(), 2e-4, 200},
		{"weight neg", img, 2, 3, -1, 2e-4, 200},
		{"eps neg", img, 2, 3, 2, -1, 200},
		{"iter 0", img, 2, 3, 2, 2e-4, 0},
	}
	for _, tc := range cases {
		if _, err := DenoiseTV(tc.img, tc.rows, tc.cols, tc.weight, tc.eps, tc.iter); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("%s: err = %v, want BadArgument", tc.name, err)
		}
	}
	if _, err := DenoiseFrames(nil, 2, 3, 2, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("no frames: %v", err)
	}
	if _, err := DenoiseFrames([][]float64{img, nan}, 2, 3, 2, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("nan frame: %v", err)
	}
	if _, err := DenoiseFrames([][]float64{img, img[:5]}, 2, 3, 2, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("short frame: %v", err)
	}
	if _, err := DenoiseFrames([][]float64{img}, 2, 3, 0, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("weight 0: %v", err)
	}
}

func TestDenoiseFramesProgressAndCancel(t *testing.T) {
	c := fixture.Load(t, "fl_denoise")
	frames, rows, cols := loadFrames(t, c, "frames")
	// Repeat the stack so there is more work than workers.
	var many [][]float64
	for range 4 {
		many = append(many, frames...)
	}
	var seen []int
	out, err := DenoiseFrames(many, rows, cols, 2, func(done, total int) bool {
		if total != len(many) {
			t.Errorf("total %d, want %d", total, len(many))
		}
		seen = append(seen, done)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(many) || len(seen) != len(many) {
		t.Fatalf("%d results, %d progress calls, want %d", len(out), len(seen), len(many))
	}
	for i, d := range seen {
		if d != i+1 {
			t.Fatalf("progress sequence %v", seen)
		}
	}
	calls := 0
	_, err = DenoiseFrames(many, rows, cols, 2, func(done, total int) bool {
		calls++
		return done < 2
	})
	if !qperr.Is(err, qperr.Cancelled) {
		t.Fatalf("cancel: err = %v, want Cancelled", err)
	}
	if calls != 2 {
		t.Errorf("progress called %d times after cancel, want 2", calls)
	}
}

func TestDenoiseFramesSerialEquality(t *testing.T) {
	// Frames of different content and a non-square shape: the parallel
	// path must give the serial results bit for bit, in frame order.
	rows, cols := 17, 23
	frames := make([][]float64, 7)
	for i := range frames {
		f := make([]float64, rows*cols)
		for k := range f {
			r, c := k/cols, k%cols
			f[k] = 50*math.Exp(-float64((r-8)*(r-8)+(c-11)*(c-11))/float64(10+5*i)) + 3*math.Sin(float64(k*(i+1)))
		}
		frames[i] = f
	}
	par, err := DenoiseFrames(frames, rows, cols, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range frames {
		want, err := DenoiseTVChambolle(f, rows, cols, 2)
		if err != nil {
			t.Fatal(err)
		}
		for k := range want {
			if par[i][k] != want[k] {
				t.Fatalf("frame %d pixel %d: %v vs %v", i, k, par[i][k], want[k])
			}
		}
	}
}

// TestDenoiseFramesWorkerPanic: a panic while denoising one frame is
// returned as an Internal error; the other workers finish and nothing
// hangs.
func TestDenoiseFramesWorkerPanic(t *testing.T) {
	defer func(f func(*tvWork, []float64, float64, float64, int) []float64) { runTV = f }(runTV)
	orig := runTV
	runTV = func(w *tvWork, img []float64, weight, eps float64, maxIter int) []float64 {
		if img[0] == 3 {
			panic("test panic")
		}
		return orig(w, img, weight, eps, maxIter)
	}
	frames := make([][]float64, 9)
	for i := range frames {
		frames[i] = make([]float64, 6*5)
		frames[i][0] = float64(i)
	}
	_, err := DenoiseFrames(frames, 6, 5, DenoiseWeight, nil)
	if !qperr.Is(err, qperr.Internal) {
		t.Fatalf("got %v", err)
	}
}
