package bgfit

import (
	"math"
	"math/rand"
	"testing"

	"qpgo/core/qperr"
)

// poly2oImage is upstream's test_poly2o input: an exact second-order
// polynomial on linspace(-10, 10, 40)², NumPy's evaluation order.
func poly2oImage() []float64 {
	const size = 40
	mx, my, mxy, ax, ay, off := .5, -.3, .1, -.05, .04, 1.0
	lin := make([]float64, size)
	step := 20.0 / float64(size-1)
	for i := range lin {
		lin[i] = float64(i)*step + -10
	}
	lin[size-1] = 10
	img := make([]float64, size*size)
	for i, x := range lin {
		for j, y := range lin {
			v := off + float64(ax*float64(x*x))
			v += float64(ay * float64(y*y))
			v += float64(mx * x)
			v += float64(my * y)
			v += float64(float64(mxy*x) * y)
			img[i*size+j] = v
		}
	}
	return img
}

func TestPoly2oExact(t *testing.T) {
	img := poly2oImage()
	all := make([]bool, len(img))
	for i := range all {
		all[i] = true
	}
	nonzero := false
	for _, v := range img {
		if math.Abs(v) > 1e-14 {
			nonzero = true
		}
	}
	if !nonzero {
		t.Fatal("test image is ~0")
	}
	check := func(label string, bg []float64) {
		t.Helper()
		worst := 0.0
		for i := range img {
			worst = math.Max(worst, math.Abs(img[i]-bg[i]))
		}
		if !(worst <= 1e-14) {
			t.Errorf("%s: max |pha| = %.3g, want <= 1e-14", label, worst)
		}
	}
	bg, _, err := Estimate(img, 40, 40, "mean", "poly2o", 0, all)
	if err != nil {
		t.Fatal(err)
	}
	check("Estimate", bg)
	// The direct QR least-squares solver reaches the same precision.
	idx, _ := usable(img, all)
	p, err := fitProfileLSQ(img, 40, 40, idx, "poly2o")
	if err != nil {
		t.Fatal(err)
	}
	check("QR", evalProfile("poly2o", p, 40, 40))
}

// TestProfileMatchesLSQ: the lmdif path and the QR solution agree on a
// noisy image (both are the least-squares optimum within lmdif's tolerance).
func TestProfileMatchesLSQ(t *testing.T) {
	rows, cols := 41, 64
	rng := rand.New(rand.NewSource(1))
	img := make([]float64, rows*cols)
	for i := range img {
		x, y := float64(i/cols-rows/2), float64(i%cols-cols/2)
		img[i] = 0.3 + 0.01*x - 0.02*y + 1e-4*x*y + 2e-4*x*x + rng.NormFloat64()*0.05
	}
	mask, _ := Mask(rows, cols, 5, nil)
	idx, _ := usable(img, mask)
	for _, kind := range []string{"tilt", "poly2o"} {
		a, _ := fitProfileParams(img, rows, cols, idx, kind)
		b, _ := fitProfileLSQ(img, rows, cols, idx, kind)
		ba, bb := evalProfile(kind, a, rows, cols), evalProfile(kind, b, rows, cols)
		for i := range ba {
			if math.Abs(ba[i]-bb[i]) > 1e-8 {
				t.Fatalf("%s: lmdif and QR differ by %g at %d", kind, ba[i]-bb[i], i)
			}
		}
	}
}

func wantErr(t *testing.T, err error, kind qperr.Kind, label string) {
	t.Helper()
	if !qperr.Is(err, kind) {
		t.Errorf("%s: got %v (%v), want kind %v", label, err, qperr.KindOf(err), kind)
	}
}

func TestBadInput(t *testing.T) {
	nan := make([]float64, 100)
	for i := range nan {
		nan[i] = math.NaN()
	}
	for _, off := range ValidFitOffsets {
		for _, prof := range []string{"tilt", "poly2o", "offset"} {
			if off == "fit" && prof == "offset" {
				continue
			}
			_, _, err := Estimate(nan, 10, 10, off, prof, 2, nil)
			wantErr(t, err, qperr.BadArgument, "NaN image "+off+"/"+prof)
		}
	}
	img := make([]float64, 100)
	none := make([]bool, 100)
	_, _, err := Estimate(img, 10, 10, "mean", "tilt", 0, none)
	wantErr(t, err, qperr.BadArgument, "all-masked")
	_, _, err = Estimate(img, 10, 10, "mean", "tilt", 3, none)
	wantErr(t, err, qperr.BadArgument, "all-masked with border")
	_, _, err = Estimate(img, 10, 9, "mean", "tilt", 3, nil)
	wantErr(t, err, qperr.BadArgument, "wrong size")
	_, _, err = Estimate(nil, 0, 0, "mean", "tilt", 3, nil)
	wantErr(t, err, qperr.BadArgument, "empty")
	_, _, err = Estimate(img, 10, 10, "mean", "tilt", 3, make([]bool, 99))
	wantErr(t, err, qperr.BadArgument, "mask size")
	_, _, err = Estimate(img, 10, 10, "mean", "tilt", math.NaN(), nil)
	wantErr(t, err, qperr.BadArgument, "NaN border")
	_, _, err = Estimate(img, -10, -10, "mean", "tilt", 1, nil)
	wantErr(t, err, qperr.BadArgument, "negative shape")
	_, err = ProfileTilt(img, 10, 10, make([]bool, 3))
	wantErr(t, err, qperr.BadArgument, "ProfileTilt mask size")
	_, err = ProfilePoly2o(nan, 10, 10, nil)
	wantErr(t, err, qperr.BadArgument, "ProfilePoly2o NaN")
	_, err = OffsetGaussian([]float64{1})
	wantErr(t, err, qperr.BadArgument, "OffsetGaussian n=1")
	_, err = OffsetGaussian([]float64{1, math.NaN(), 2})
	wantErr(t, err, qperr.BadArgument, "OffsetGaussian NaN")
	if v := OffsetMode(nil); !math.IsNaN(v) {
		t.Errorf("OffsetMode(nil) = %v", v)
	}
	if v := OffsetMode([]float64{1, math.Inf(1)}); !math.IsNaN(v) {
		t.Errorf("OffsetMode(Inf) = %v", v)
	}
	if v := OffsetMode([]float64{3}); v != 3 {
		t.Errorf("OffsetMode single = %v", v)
	}
	for _, b := range []float64{math.NaN(), math.Inf(1)} {
		_, err := BorderPixels(0, 0, b, 10, 10, 0, false)
		wantErr(t, err, qperr.BadArgument, "BorderPixels non-finite")
	}
	_, err = BorderPixels(1e-6, 0, 0, 10, 10, 0, true)
	wantErr(t, err, qperr.BadArgument, "zero pixel size")
	_, err = BorderPixels(0, 0, 1e300, 10, 10, 0, false)
	wantErr(t, err, qperr.BadArgument, "huge border")
}

// TestNaNExcluded: non-finite pixels inside the mask are left out, exactly
// as if the mask excluded them; the returned mask is the geometric one.
func TestNaNExcluded(t *testing.T) {
	rows, cols := 20, 24
	rng := rand.New(rand.NewSource(2))
	img := make([]float64, rows*cols)
	for i := range img {
		img[i] = 0.1*float64(i/cols) + rng.NormFloat64()*0.01
	}
	withNaN := append([]float64(nil), img...)
	fm := make([]bool, len(img))
	for i := range fm {
		fm[i] = true
	}
	for _, i := range []int{0, 5, 30, 47, 300} {
		withNaN[i] = math.NaN()
		fm[i] = false
	}
	for _, off := range []string{"mean", "mode", "gauss", "fit"} {
		a, ma, da, err := EstimateDetails(withNaN, rows, cols, off, "tilt", 3, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _, db, err := EstimateDetails(img, rows, cols, off, "tilt", 3, fm)
		if err != nil {
			t.Fatal(err)
		}
		if da.NMask != db.NMask {
			t.Errorf("%s: NMask %d vs %d", off, da.NMask, db.NMask)
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s: NaN pixels not excluded (%d: %v vs %v)", off, i, a[i], b[i])
			}
		}
		if !ma[0] || !ma[5] {
			t.Errorf("%s: returned mask is not the geometric mask", off)
		}
	}
}

func TestOffsetModeNumpyBins(t *testing.T) {
	// np.histogram([0, 1], 2, range=(0, 1)): one count per bin, the first
	// maximum wins: centre of bin 0 = 0.5 - 0.25.
	if v := OffsetMode([]float64{0, 1}); v != 0.25 {
		t.Errorf("tie: %v, want 0.25", v)
	}
	// The last bin is closed: the three 1s are counted in bin 1.
	if v := OffsetMode([]float64{0, 1, 1, 1}); v != 0.75 {
		t.Errorf("closed last bin: %v, want 0.75", v)
	}
	// All equal: range expanded by ±0.5, 2 bins over [1.5, 2.5]; 2.0 is the
	// left edge of bin 1, whose centre is 2.25.
	if v := OffsetMode([]float64{2, 2, 2, 2}); v != 2.25 {
		t.Errorf("constant: %v, want 2.25", v)
	}
}

func TestMaskFrame(t *testing.T) {
	m, err := Mask(6, 7, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		for j := 0; j < 7; j++ {
			want := i < 2 || i >= 4 || j < 2 || j >= 5
			if m[i*7+j] != want {
				t.Fatalf("frame (%d,%d) = %v", i, j, m[i*7+j])
			}
		}
	}
	// 0 < border_px <= 0.5 rounds to 0 and NumPy's a[-0:] selects all.
	for _, b := range []float64{0.3, 0.5, -3, 0, 100} {
		m, _ := Mask(6, 7, b, nil)
		for i, v := range m {
			if !v {
				t.Fatalf("border %v: pixel %d not in mask", b, i)
			}
		}
	}
	// 2.5 rounds to 2 (half to even).
	m25, _ := Mask(6, 7, 2.5, nil)
	if m25[2*7+2] {
		t.Error("border 2.5 should round to 2")
	}
}

// TestRankDeficient: a one-column mask cannot determine my; the fit still
// reproduces the data on that column and does not fail.
func TestRankDeficient(t *testing.T) {
	rows, cols := 10, 8
	img := make([]float64, rows*cols)
	fm := make([]bool, rows*cols)
	for i := range img {
		img[i] = 2 + 0.1*float64(i/cols)
		fm[i] = i%cols == 5
	}
	for _, prof := range []string{"tilt", "poly2o"} {
		bg, _, err := Estimate(img, rows, cols, "fit", prof, 0, fm)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := fitProfileLSQ(img, rows, cols, mustUsable(img, fm), prof)
		bq := evalProfile(prof, p, rows, cols)
		for i := range img {
			if fm[i] && (math.Abs(bg[i]-img[i]) > 1e-9 || math.Abs(bq[i]-img[i]) > 1e-9) {
				t.Fatalf("%s: pixel %d: %v / %v, want %v", prof, i, bg[i], bq[i], img[i])
			}
		}
	}
}

func mustUsable(d []float64, m []bool) []int { idx, _ := usable(d, m); return idx }

func TestBorderPixels(t *testing.T) {
	cases := []struct {
		m, perc, px float64
		rows, cols  int
		ps          float64
		want        int
	}{
		{0, 2.5, 0, 200, 200, 0, 5}, // spec §5.2 test facts
		{0, 2.4, 0, 200, 200, 0, 5},
		{0, 2.1, 0, 200, 200, 0, 4},
		{5 * 1e-7 * 1.05, 0, 0, 200, 200, 1e-7, 5},
		{5 * 1e-7 * 0.95, 0, 0, 200, 200, 1e-7, 5},
		{0, 0, 4.5, 10, 10, 0, 4},
		{0, 0, 5.5, 10, 10, 0, 6},
		{0, 0, -3, 10, 10, 0, -3},
		{0, 0, 0, 10, 10, 0, 0},
		{0, 10, -3, 10, 20, 0, 2}, // largest wins: 1.5 → 2
	}
	for _, c := range cases {
		got, err := BorderPixels(c.m, c.perc, c.px, c.rows, c.cols, c.ps, c.ps != 0)
		if err != nil || got != c.want {
			t.Errorf("%+v: got %d, %v", c, got, err)
		}
	}
	if err := ValidateMask(0, 0, 0, []bool{false, true}); err != nil {
		t.Error(err)
	}
	if err := ValidateMask(0, 0, 1, nil); err != nil {
		t.Error(err)
	}
}

func TestConstants(t *testing.T) {
	if d := (Details{ParamNames: []string{"a"}, Params: []float64{1}}); func() bool { _, ok := d.Param("b"); return ok }() {
		t.Error("Param of unknown name")
	}
}
