package refocus

import (
	"math"
	"math/cmplx"
	"testing"

	"qpgo/core/qperr"
)

// Expected values computed by nrefocus 0.5.3 (numpy 1.24, numexpr) on
// makeField, the field of scripts/compare/refocus.py.

// makeField is scripts/compare/refocus.py's make_field.
func makeField(rows, cols int) []complex128 {
	f := make([]complex128, rows*cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			y, x := float64(i), float64(j)
			a := (y - 0.45*float64(rows)) / (0.3 * float64(rows))
			b := (x - 0.55*float64(cols)) / (0.25 * float64(cols))
			r2 := a*a + b*b
			pha := 1.8*math.Exp(-r2) + 0.3*math.Sin(0.21*x+0.13*y)
			amp := 1 + 0.08*math.Cos(0.37*x*0.7+0.11*y*y/float64(rows)) - 0.15*math.Exp(-2*r2)
			f[i*cols+j] = complex(amp, 0) * cmplx.Rect(1, pha)
		}
	}
	return f
}

var testParams = Params{Wavelength: 550e-9, PixelSize: 0.14e-6, MediumIndex: 1.335, Distance: 0.3e-6}

func relErr(got, want []complex128) float64 {
	worst, scale := 0.0, 0.0
	for i := range want {
		worst = math.Max(worst, cmplx.Abs(got[i]-want[i]))
		scale = math.Max(scale, cmplx.Abs(want[i]))
	}
	return worst / scale
}

func TestPropagateUpstream(t *testing.T) {
	want := []complex128{complex(0.5376439967869312, 0.36797589311195866), complex(0.5076414316780636, 0.30621915180382653), complex(0.7156051380967845, 0.3830308134311637), complex(0.7271540766891307, 0.5271607694521906), complex(0.6138192426011843, 0.5823892872594888), complex(0.5656802708500546, 0.5272933438047169), complex(0.58627840251069, 0.45172543536294246), complex(0.936601558941733, 0.4505240057993185), complex(0.9880426351727422, 0.6311640399593247), complex(0.7842700870139229, 0.7851151231310287), complex(0.5818408281938112, 0.6282832257971992), complex(0.6288360468377808, 0.5146709700065818), complex(1.0973449077346897, 0.3988530806656997), complex(1.1742603319466518, 0.5916528697727155), complex(0.8668312957117087, 0.8756480171538223), complex(0.593776674382328, 0.6550833921474735), complex(0.6508624316288216, 0.5430464027852715), complex(1.153039003035631, 0.41233548874512804), complex(1.2318755998640751, 0.6053069219491967), complex(0.8818419313736497, 0.9121885822306135), complex(0.6050381123027069, 0.6306520262467873), complex(0.6505799660222316, 0.5841414773520236), complex(1.0751563689152488, 0.5688068764628507), complex(1.130378538864357, 0.7474498233953768), complex(0.8326644524709048, 0.9300797579230475), complex(0.5662066155441284, 0.5125693436341562), complex(0.5562455998752103, 0.5272175014339007), complex(0.8369783299703388, 0.6310920430216946), complex(0.8496444755333208, 0.7704338968323139), complex(0.6392940431018211, 0.8070068989850924)}
	spec, R, C, err := Spectrum(makeField(6, 5), 6, 5, PadComplex, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if R != 12 || C != 10 {
		t.Fatalf("spectrum shape %dx%d", R, C)
	}
	p := testParams
	p.Kernel = "helmholtz"
	got, err := Propagate(spec, R, C, p, 1.3e-6, 6, 5)
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(got, want); e > 1e-12 {
		t.Errorf("propagate differs from upstream by %g", e)
	}
	// the one-call path (QPImage.refocus) gives the same field
	one, err := Refocus(makeField(6, 5), 6, 5, 1.0e-6, p.Wavelength, p.PixelSize, p.MediumIndex, "helmholtz", true)
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(one, want); e > 1e-11 {
		t.Errorf("Refocus differs from upstream by %g", e)
	}
}

func TestPadAddGeneralUpstream(t *testing.T) {
	in := []float64{5, -7, 30, 2, 100, 2, 9, -40, 3, 3, 8, 1}
	f := make([]complex128, len(in))
	for i, v := range in {
		f[i] = complex(v, 0)
	}
	want := []float64{5, -7, 30, 2, 6, 10, 10, 7, 100, 2, 9, -40, -15, 10, 10, 55, 3, 3, 8, 1, 5, 10, 10, 6, 6, 6, 9, 5, 7, 10, 10, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}
	got, err := PadAddGeneral(f, 3, 4, 6, 8, 1, PadInteger, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if got[i] != complex(w, 0) {
			t.Fatalf("element %d = %v, upstream %v (integer ramps are floored)", i, got[i], w)
		}
	}
	wantC := []complex128{complex(1.0799986806309445, 0.0016201237148134719), complex(1.0645346240347437, 0.16312714854899604), complex(1.0283043192086216, 0.29004538214324), complex(1.0023140571342006, 0.3490548747482336), complex(0.9763237950597795, 0.40806436735322726), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(1.0151661068081514, 0.23434699183651717), complex(1.0785282331899648, 0.05518819790552671), complex(0.7097461834535018, 0.7763043807275175), complex(0.1680058273259705, 0.9820299022157173), complex(0.4287817292124332, 0.8103778881298851), complex(0.6895576310988958, 0.638725874044053), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(1.0144308830876616, 0.2611310289318738), complex(1.0751891526705353, 0.09223156541883905), complex(0.8516234378736246, 0.6340600000031413), complex(0.5136997194761824, 0.891350054148745), complex(0.6592443239792412, 0.749924656085237), complex(0.8047889284822998, 0.6084992580217289), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(1.012761342827947, 0.27965271268853), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087), complex(0.9503335329853585, 0.46707385995822087)}
	gotC, err := PadAddGeneral(makeField(3, 3), 3, 3, 5, 8, 1, PadComplex, false)
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(gotC, wantC); e > 1e-14 {
		t.Errorf("complex pad to 5x8 differs by %g", e)
	}
	// the default size equals PadAdd (the band-based refocus path)
	f24 := makeField(24, 21)
	a, err := PadAddGeneral(f24, 24, 21, 48, 42, stlen, PadComplex, false)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _, err := PadAdd(f24, 24, 21)
	if err != nil {
		t.Fatal(err)
	}
	if e := relErr(a, b); e > 1e-15 {
		t.Errorf("PadAddGeneral and PadAdd differ by %g", e)
	}
	if _, err := PadAddGeneral(f24, 24, 21, 24, 42, stlen, PadComplex, false); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("size not larger: %v", err)
	}
}

func TestMetricsUpstream(t *testing.T) {
	spec, R, C, err := Spectrum(makeField(24, 24), 24, 24, PadComplex, true, false)
	if err != nil {
		t.Fatal(err)
	}
	p := testParams
	p.Kernel = "helmholtz"
	want := map[string]float64{"average gradient": 0.00014976836300562805, "med gradient": 5.50365396181791e-05, "rms contrast": 0.39002316930454256, "spectrum": 6.760959254152759, "std gradient": 0.012237852328694954}
	for name, w := range want {
		got, err := Metric(spec, R, C, p, 1.1e-6, 24, 24, name, nil, false)
		if err != nil {
			t.Fatal(name, err)
		}
		if math.Abs(got-w) > 1e-10*math.Abs(w) {
			t.Errorf("%s = %.17g, upstream %.17g", name, got, w)
		}
	}
	roi := &ROI{R0: 2, RN: 18, RS: 1, C0: 3, CN: 14, CS: 1}
	wantROI := map[string]float64{"average gradient": 0.00020941678036417717, "med gradient": 7.87735251523994e-05, "rms contrast": 0.3152844349389285, "std gradient": 0.014419278599506903}
	for name, w := range wantROI {
		got, err := Metric(spec, R, C, p, 1.1e-6, 24, 24, name, roi, false)
		if err != nil {
			t.Fatal(name, err)
		}
		if math.Abs(got-w) > 1e-10*math.Abs(w) {
			t.Errorf("%s (roi) = %.17g, upstream %.17g", name, got, w)
		}
	}
	if _, err := Metric(spec, R, C, p, 1.1e-6, 24, 24, "spectrum", roi, false); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("spectrum with roi: %v", err)
	}
	if _, err := Metric(spec, R, C, p, 1.1e-6, 24, 24, "sharpness", nil, false); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("unknown metric: %v", err)
	}
	if _, err := Metric(spec, R, C, p, 1.1e-6, 24, 24, "average gradient", &ROI{R0: 20, RN: 5, RS: 1, CN: 1, CS: 1}, false); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("roi outside: %v", err)
	}
	q := p
	q.Kernel = "angular"
	if _, err := Propagate(spec, R, C, q, 1e-6, 24, 24); !qperr.Is(err, qperr.UnknownKey) {
		t.Errorf("unknown kernel: %v", err)
	}
	// non-square spectrum: upstream's swapped-axes mask indexes outside
	s2, R2, C2, err := Spectrum(makeField(31, 47), 31, 47, PadComplex, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Metric(s2, R2, C2, p, 1e-6, 31, 47, "spectrum", nil, false); err == nil {
		t.Error("non-square spectrum metric: no error")
	}
	// one row: no gradient along axis 0
	s3, R3, C3, _ := Spectrum(makeField(1, 8), 1, 8, PadComplex, false, false)
	if _, err := Metric(s3, R3, C3, p, 1e-6, 1, 8, "average gradient", nil, false); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("1-row gradient: %v", err)
	}
}

func TestAutofocusLegacyUpstream(t *testing.T) {
	spec, R, C, err := Spectrum(makeField(20, 20), 20, 20, PadComplex, false, false)
	if err != nil {
		t.Fatal(err)
	}
	p := testParams
	p.Kernel = "helmholtz"
	roi := &ROI{R0: 2, RN: 16, RS: 1, C0: 2, CN: 16, CS: 1}
	res, err := AutofocusLegacy(spec, R, C, p, 20, 20, "std gradient", roi, false, -4e-6, 4e-6, 4, 0.005)
	if err != nil {
		t.Fatal(err)
	}
	if d := 5.185185185185185e-07; math.Abs(res.Distance-d) > 1e-12*math.Abs(d) {
		t.Errorf("distance %.17g, upstream %.17g", res.Distance, d)
	}
	grid, vals := []float64{-4e-06, -1.6666666666666667e-06, 4e-06}, []float64{0.10005435813454615, 0.0888290213046446, 0.09619856053216362}
	for k, i := range []int{0, 7, 24} {
		if math.Abs(res.Grid[i]-grid[k]) > 1e-20 || math.Abs(res.Values[i]-vals[k]) > 1e-10*vals[k] {
			t.Errorf("grid[%d] = %g: %g, upstream %g: %g", i, res.Grid[i], res.Values[i], grid[k], vals[k])
		}
	}
	if _, err := AutofocusLegacy(spec, R, C, p, 20, 20, "std gradient", roi, false, -4e-6, 4e-6, 0, 0.005); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("coarse_acc 0: %v", err)
	}
}

// TestAutofocusLmfitUpstream: nrefocus' "lmfit" minimizer (lmfit 1.1.0).
// The grid search is exact; the fitted distance ends where leastsq's
// tolerances stop it (xtol 1.49e-8 on the arcsine-transformed parameter),
// so it is compared to 1e-6.
func TestAutofocusLmfitUpstream(t *testing.T) {
	spec, R, C, err := Spectrum(makeField(24, 24), 24, 24, PadComplex, true, false)
	if err != nil {
		t.Fatal(err)
	}
	p := testParams
	p.Kernel = "helmholtz"
	res, err := AutofocusLmfit(spec, R, C, p, 24, 24, "average gradient", nil, false, -4e-6, 3e-6)
	if err != nil {
		t.Fatal(err)
	}
	grid := []float64{-4e-06, -2.8999999999999993e-06, -1.7999999999999995e-06, -6.999999999999994e-07, 4.000000000000006e-07, 1.5000000000000007e-06, 2.600000000000001e-06}
	vals := []float64{0.0026751102265002375, 0.0023046666046622854, 0.0016306992335037886, 0.000802555773753213, 0.00020817429375973303, 0.00027120068550707567, 0.0010655664043451168}
	if len(res.Grid) != len(grid) {
		t.Fatalf("grid of %d points, upstream %d", len(res.Grid), len(grid))
	}
	for i := range grid {
		if math.Abs(res.Grid[i]-grid[i]) > 1e-21 || math.Abs(res.Values[i]-vals[i]) > 1e-12*vals[i] {
			t.Errorf("grid %d: %g %g, upstream %g %g", i, res.Grid[i], res.Values[i], grid[i], vals[i])
		}
	}
	if d := 8.991345456074662e-07; math.Abs(res.Distance-d) > 1e-6*d {
		t.Errorf("distance %.17g, upstream %.17g", res.Distance, d)
	}
	// an interval narrower than the grid step: no grid search
	roi := &ROI{R0: 2, RN: 18, RS: 1, C0: 3, CN: 14, CS: 1}
	res, err = AutofocusLmfit(spec, R, C, p, 24, 24, "std gradient", roi, false, 0, 1.9*p.Wavelength)
	if err != nil {
		t.Fatal(err)
	}
	if d := 8.628263969294172e-07; res.Grid != nil || math.Abs(res.Distance-d) > 1e-6*d {
		t.Errorf("narrow interval: distance %.17g (grid %v), upstream %.17g", res.Distance, res.Grid, d)
	}
	if _, err := AutofocusLmfit(spec, R, C, p, 24, 24, "std gradient", nil, false, 1e-6, 1e-6); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("empty interval: %v", err)
	}
}

func TestAllocationBudget(t *testing.T) {
	p := testParams
	p.Kernel = "fresnel"
	if _, err := Kernel(1<<20, 1<<20, p, 1e-6); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("huge kernel: %v", err)
	}
	if _, err := PadAddGeneral(makeField(2, 2), 2, 2, 1<<20, 1<<20, 1, PadComplex, false); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("huge pad: %v", err)
	}
}

// TestKernelMirror: the mirrored rows/columns of makeKernel equal the
// kernel evaluated directly at every frequency (odd and even shapes).
func TestKernelMirror(t *testing.T) {
	for _, sh := range [][2]int{{1, 9}, {2, 3}, {7, 8}, {12, 10}, {33, 47}, {64, 50}} {
		for _, kern := range []string{"helmholtz", "fresnel"} {
			p := testParams
			p.Kernel = kern
			got, err := Kernel(sh[0], sh[1], p, 2.3e-6)
			if err != nil {
				t.Fatal(err)
			}
			R, C := sh[0], sh[1]
			km := 2 * math.Pi * p.MediumIndex / (p.Wavelength / p.PixelSize)
			d := (2.3e-6 - p.Distance) / p.PixelSize
			kx, ky := pyFreq(R), pyFreq(C)
			for i := 0; i < R; i++ {
				for j := 0; j < C; j++ {
					a, b := kx[i]*2*math.Pi, ky[j]*2*math.Pi
					var want complex128
					if kern == "helmholtz" {
						if root := km*km - a*a - b*b; root > 0 {
							s, c := math.Sincos(d * (math.Sqrt(root) - km))
							want = complex(c, s)
						}
					} else {
						s, c := math.Sincos(-d * (a*a + b*b) / (2 * km))
						want = complex(c, s)
					}
					if got[i*C+j] != want {
						t.Fatalf("%v %s: K[%d,%d] = %v, direct %v", sh, kern, i, j, got[i*C+j], want)
					}
				}
			}
		}
	}
}

// TestPropagateFusedEqualsCached: the first propagation to a distance
// computes the kernel rows on the fly, a repeated one caches the kernel;
// both give the same bits.
func TestPropagateFusedEqualsCached(t *testing.T) {
	for _, sh := range [][2]int{{7, 8}, {12, 10}, {33, 47}} {
		for _, kern := range []string{"helmholtz", "fresnel"} {
			spec, R, C, err := Spectrum(makeField(sh[0], sh[1]), sh[0], sh[1], PadComplex, true, false)
			if err != nil {
				t.Fatal(err)
			}
			p := testParams
			p.Kernel = kern
			var first []complex128
			for n := 0; n < 3; n++ {
				got, err := Propagate(spec, R, C, p, 1.7e-6, sh[0], sh[1])
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					first = got
					continue
				}
				for i := range got {
					if got[i] != first[i] {
						t.Fatalf("%v %s call %d: element %d %v != %v", sh, kern, n, i, got[i], first[i])
					}
				}
			}
			if !cachedKernel(kernelKey{R, C, 1.7e-6 - p.Distance, p.Wavelength, p.PixelSize, p.MediumIndex, kern}) {
				t.Errorf("%v %s: repeated distance not cached", sh, kern)
			}
		}
	}
}
