package flproc

import (
	"math"
	"testing"

	"qpgo/core/qperr"
	"qpgo/internal/fixture"
	"qpgo/internal/numpysum"
)

// loadFrames reads a (n, rows, cols) stack as float64 frames.
func loadFrames(t testing.TB, c *fixture.Case, name string) ([][]float64, int, int) {
	t.Helper()
	v, shape := c.Float64(t, name)
	if len(shape) != 3 {
		t.Fatalf("%s: shape %v, want 3-D", name, shape)
	}
	n, rows, cols := shape[0], shape[1], shape[2]
	frames := make([][]float64, n)
	for i := range frames {
		frames[i] = v[i*rows*cols : (i+1)*rows*cols]
	}
	return frames, rows, cols
}

type fitParams struct {
	Amplitude   float64 `json:"amplitude"`
	BleachDecay float64 `json:"bleach_decay"`
	Offset      float64 `json:"offset"`
}

type fitDetails struct {
	Initial fitParams `json:"initial"`
	Fitted  fitParams `json:"fitted"`
	NFev    int       `json:"nfev"`
}

type fitTol struct {
	Initial fixture.Tol `json:"initial"`
	Fitted  fixture.Tol `json:"fitted"`
}

func checkParams(t *testing.T, label string, tol fixture.Tol, got Params, want fitParams) {
	t.Helper()
	g := []float64{got.Amplitude, got.BleachDecay, got.Offset}
	w := []float64{want.Amplitude, want.BleachDecay, want.Offset}
	for i, name := range []string{"amplitude", "bleach_decay", "offset"} {
		if !tol.Close(g[i], w[i]) {
			t.Errorf("%s %s = %.17g, want %.17g (tol %+v)", label, name, g[i], w[i], tol)
		}
	}
}

func TestBleachCorrectionFixtures(t *testing.T) {
	for _, name := range fixture.Names(t, "bleach_correction") {
		t.Run(name, func(t *testing.T) {
			c := fixture.Load(t, name)
			frames, rows, cols := loadFrames(t, c, "frames")
			times, _ := c.Float64(t, "times")
			var border int
			c.Param(t, "border_px", &border)

			calls := 0
			res, err := BleachCorrection(frames, rows, cols, times, border, func(done, total int) bool {
				calls++
				if done != calls || total != 2*len(frames) {
					t.Errorf("progress(%d, %d) at call %d", done, total, calls)
				}
				return true
			})
			if err != nil {
				t.Fatal(err)
			}
			if calls != 2*len(frames) {
				t.Errorf("progress called %d times, want %d", calls, 2*len(frames))
			}
			var bg float64
			c.Want(t, "bg", &bg)
			if tol := c.Tol(t, "bg"); !tol.Close(res.Bg, bg) {
				t.Errorf("bg = %.17g, want %.17g", res.Bg, bg)
			}
			c.CheckFloat64(t, "flint", res.Flint, []int{len(res.Flint)})
			c.CheckFloat64(t, "times", res.Times, []int{len(res.Times)})
			c.CheckFloat64(t, "decay", res.Decay, []int{len(res.Decay)})

			var fd fitDetails
			c.Want(t, "fit_details", &fd)
			var ft fitTol
			if err := jsonUnmarshal(c.Tolerance["fit_details"], &ft); err != nil {
				t.Fatal(err)
			}
			checkParams(t, "initial", ft.Initial, res.Fit.Initial, fd.Initial)
			checkParams(t, "fitted", ft.Fitted, res.Fit.Fitted, fd.Fitted)
			if !res.Fit.Success {
				t.Errorf("fit not successful: info %d", res.Fit.Info)
			}
			t.Logf("nfev %d (lmfit reported %d), info %d", res.Fit.NFev, fd.NFev, res.Fit.Info)
			dec, _ := c.Float64(t, "decay")
			worst := 0.0
			for i := range dec {
				worst = math.Max(worst, math.Abs(res.Decay[i]-dec[i])/math.Abs(dec[i]))
			}
			t.Logf("decay max rel diff %.3g", worst)

			corrected, err := ApplyCorrection(frames, rows, cols, res.Bg, res.Corr, nil)
			if err != nil {
				t.Fatal(err)
			}
			flat := make([]float64, 0, len(frames)*rows*cols)
			for _, f := range corrected {
				flat = append(flat, f...)
			}
			c.CheckFloat64(t, "corrected", flat, []int{len(frames), rows, cols})
		})
	}
}

func TestBorderMask(t *testing.T) {
	count := func(m []bool) int {
		n := 0
		for _, v := range m {
			if v {
				n++
			}
		}
		return n
	}
	cases := []struct{ rows, cols, b, want int }{
		{32, 36, 0, 32 * 36},       // 0:-0 is empty: whole image is border
		{32, 36, 4, 32*36 - 24*28}, // interior [4:28, 4:32]
		{32, 36, 16, 32 * 36},      // 16:-16 empty along rows
		{32, 36, 40, 32 * 36},      // beyond the image
		{32, 36, 15, 32*36 - 2*6},  // interior [15:17, 15:21]
		{5, 5, -1, 5*5 - 0},        // -1:1 is empty
		{5, 5, -4, 5*5 - 3*3},      // -4:4 = 1:4
	}
	for _, tc := range cases {
		m, err := BorderMask(tc.rows, tc.cols, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := count(m); got != tc.want {
			t.Errorf("BorderMask(%d, %d, %d): %d border pixels, want %d", tc.rows, tc.cols, tc.b, got, tc.want)
		}
	}
	m, _ := BorderMask(10, 12, 2)
	if !m[0] || !m[1*12+5] || m[2*12+2] || m[7*12+9] || !m[8*12+9] || !m[5*12+10] {
		t.Error("BorderMask(10, 12, 2): wrong pixels")
	}
	if _, err := BorderMask(0, 3, 1); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("empty shape: %v", err)
	}
}

func TestBleachErrors(t *testing.T) {
	c := fixture.Load(t, "fl_bleach_border4")
	frames, rows, cols := loadFrames(t, c, "frames")
	times, _ := c.Float64(t, "times")
	bad := func(name string, err error, kind qperr.Kind) {
		t.Helper()
		if !qperr.Is(err, kind) {
			t.Errorf("%s: err = %v, want %v", name, err, kind)
		}
	}
	_, err := BleachCorrection(nil, rows, cols, nil, 4, nil)
	bad("no frames", err, qperr.BadArgument)
	_, err = BleachCorrection(frames, rows, cols, times[:5], 4, nil)
	bad("times length", err, qperr.BadArgument)
	_, err = BleachCorrection(frames[:2], rows, cols, times[:2], 4, nil)
	bad("two frames", err, qperr.BadArgument)
	_, err = BleachCorrection(frames, rows, cols+1, times, 4, nil)
	bad("shape", err, qperr.BadArgument)
	rev := append([]float64(nil), times...)
	rev[2], rev[3] = rev[3], rev[2]
	_, err = BleachCorrection(frames, rows, cols, rev, 4, nil)
	bad("unordered times", err, qperr.BadArgument)

	withNaN := append([][]float64(nil), frames...)
	f := append([]float64(nil), frames[1]...)
	f[0] = math.NaN() // a border pixel: the background becomes NaN
	withNaN[1] = f
	_, err = BleachCorrection(withNaN, rows, cols, times, 4, nil)
	bad("nan border", err, qperr.BadArgument)
	f = append([]float64(nil), frames[1]...)
	f[16*cols+18] = math.NaN() // an interior pixel: only the trace sees it
	withNaN[1] = f
	_, err = BleachCorrection(withNaN, rows, cols, times, 4, nil)
	bad("nan interior", err, qperr.BadArgument)

	same := [][]float64{frames[0], frames[0], frames[0], frames[0], frames[0], frames[0]}
	_, err = BleachCorrection(same, rows, cols, times, 4, nil)
	bad("constant trace", err, qperr.BadArgument)

	// Cancel in the trace pass (item N+1 of 2N).
	calls := 0
	_, err = BleachCorrection(frames, rows, cols, times, 4, func(done, total int) bool {
		calls++
		return done <= len(frames)
	})
	bad("cancel", err, qperr.Cancelled)
	if calls != len(frames)+1 {
		t.Errorf("progress called %d times, want %d", calls, len(frames)+1)
	}
	_, err = Background(frames, rows, cols, 4, func(int, int) bool { return false })
	bad("cancel background", err, qperr.Cancelled)

	_, err = Flint(frames[0], rows, cols, math.NaN())
	bad("flint nan bg", err, qperr.BadArgument)
	_, err = Flint(frames[0][:10], rows, cols, 0)
	bad("flint shape", err, qperr.BadArgument)
	_, err = BorderMean(frames[0], rows, cols, make([]bool, 3))
	bad("mask length", err, qperr.BadArgument)
	_, err = BorderMean(frames[0], rows, cols, make([]bool, rows*cols))
	bad("empty mask", err, qperr.BadArgument)

	_, err = CorrectionFactors(nil)
	bad("no decay", err, qperr.BadArgument)
	_, err = CorrectionFactors([]float64{1, 0})
	bad("zero decay", err, qperr.BadArgument)
	_, err = ApplyCorrection(frames, rows, cols, 1, []float64{1, 1}, nil)
	bad("more frames than factors", err, qperr.BadArgument)
	_, err = ApplyCorrection(frames, rows, cols, 1, make([]float64, 6), func(int, int) bool { return false })
	bad("cancel apply", err, qperr.Cancelled)

	if e := MissingTime(); !qperr.Is(e, qperr.MissingMeta) {
		t.Errorf("MissingTime kind %v", qperr.KindOf(e))
	}
}

// TestFlintPositiveOnly: only pixels above the background count.
func TestFlintPositiveOnly(t *testing.T) {
	got, err := Flint([]float64{1, 5, 3, 10}, 2, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got != 2+7 {
		t.Errorf("Flint = %v, want 9", got)
	}
}

// TestBackgroundMatchesMask: the row-range fast path of Background must
// give exactly the mean over frames of BorderMean with BorderMask.
func TestBackgroundMatchesMask(t *testing.T) {
	c := fixture.Load(t, "fl_bleach_border8")
	frames, rows, cols := loadFrames(t, c, "frames")
	for _, b := range []int{0, 1, 4, 8, 15, 16, 40, -3, -20} {
		mask, err := BorderMask(rows, cols, b)
		if err != nil {
			t.Fatal(err)
		}
		avg := make([]float64, len(frames))
		for i, f := range frames {
			if avg[i], err = BorderMean(f, rows, cols, mask); err != nil {
				t.Fatal(err)
			}
		}
		want := numpysum.Mean(avg)
		got, err := Background(frames, rows, cols, b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("border %d: Background %v, masked mean %v", b, got, want)
		}
	}
	// A negative border that spans the whole image leaves no border pixel.
	if _, err := Background(frames, 5, 5, -5, nil); err == nil {
		t.Error("frames of the wrong shape accepted")
	}
	sq := [][]float64{make([]float64, 25)}
	if _, err := Background(sq, 5, 5, -5, nil); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("empty border: %v", err)
	}
}
