package fft

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"unsafe"

	"qpgo/core/qperr"
)

// TestMain runs the tests twice: with FFTW (when the library loads) and
// with the Go kernels only, so both backends are covered by every test.
// Benchmarks run once, on the default backend.
func TestMain(m *testing.M) {
	code := m.Run()
	if fftwOn() && flag.Lookup("test.bench").Value.String() == "" {
		fmt.Println("fft: again with the Go kernels (FFTW off)")
		noFFTW = true
		if c := m.Run(); c != 0 {
			code = c
		}
	}
	os.Exit(code)
}

// TestFFTWLoaded: where the library is installed and not disabled, the
// FFTW backend must be in use (or every FFTW test below is vacuous).
func TestFFTWLoaded(t *testing.T) {
	if noFFTW || os.Getenv("QPGO_NO_FFTW") != "" {
		if fftwOn() {
			t.Error("FFTW in use although disabled")
		}
		t.Skip("FFTW disabled")
	}
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/" + fftwLib); err != nil {
		t.Skip("libfftw3 not installed")
	}
	if !fftwOn() {
		t.Error("libfftw3 installed but not loaded")
	}
}

// TestFFTWLoadErrors: a missing library or one without the FFTW functions
// is an error, and leaves a loaded backend working.
func TestFFTWLoadErrors(t *testing.T) {
	if err := loadFFTW("libqpgo-no-such-library.so"); err == nil {
		t.Error("missing library: no error")
	}
	if err := loadFFTW("libm.so.6"); err == nil {
		t.Error("library without fftw symbols: no error")
	}
	a := randC(rand.New(rand.NewPCG(1, 2)), 16*8)
	want := naive2(a, 16, 8, false)
	if err := FFT2(a, 16, 8); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(a, want); d > 1e-12 {
		t.Errorf("after failed loads: differs by %g", d)
	}
}

// TestPlanFailure: when FFTW cannot plan, the Go kernels take over.
func TestPlanFailure(t *testing.T) {
	if !fftwOn() {
		t.Skip("FFTW off")
	}
	testPlanFail = true
	defer func() {
		testPlanFail = false
		fftw.mu.Lock()
		for k, p := range fftw.plans {
			if p == nil {
				delete(fftw.plans, k)
			}
		}
		fftw.mu.Unlock()
	}()
	rows, cols := 37, 20 // sizes no other test plans
	a := randC(rand.New(rand.NewPCG(3, 4)), rows*cols)
	want := naive2(a, rows, cols, false)
	if err := FFT2(a, rows, cols); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(a, want); d > 1e-11 {
		t.Errorf("differs by %g", d)
	}
	if p := fftwPlan(planKey{rows, 1, 1, rows, false}); p != nil {
		t.Error("plan made although planning fails")
	}
}

// TestMisaligned: an array that is not 16-byte aligned is not given to
// FFTW (its plans assume SIMD alignment) but transformed by the Go kernels.
func TestMisaligned(t *testing.T) {
	n := 64
	f := make([]float64, 2*n+1)
	x := unsafe.Slice((*complex128)(unsafe.Pointer(&f[1])), n)
	if uintptr(unsafe.Pointer(&x[0]))%16 == 0 {
		t.Skip("allocation not 16-byte aligned")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range x {
		x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
	}
	want := naive2(append([]complex128(nil), x...), 1, n, false)
	if fw, _ := fftwPair(n, 1, 1, n); fw != nil && fftwExec(fw, x) {
		t.Fatal("FFTW accepted a misaligned array")
	}
	tr, release := line(n)
	tr(x, false)
	release()
	if d := maxDiff(x, want); d > 1e-12 {
		t.Errorf("differs by %g", d)
	}
}

// TestKernelLayout: a Kernel prepared under one backend (transposed blocks
// for FFTW, row-major for Go) gives the same result under the other.
func TestKernelLayout(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	rows, cols := 64, 48
	F, K := randC(rng, rows*cols), randC(rng, rows*cols)
	k, err := NewKernel(K, rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	want, err := k.Convolve2Crop(append([]complex128(nil), F...), 20, 30)
	if err != nil {
		t.Fatal(err)
	}
	was := noFFTW
	noFFTW = !was
	got, err := k.Convolve2Crop(F, 20, 30)
	noFFTW = was
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(got, want); d > 1e-12 {
		t.Errorf("layouts differ by %g", d)
	}
}

// TestConvolve2CropBands: an input given as explicit rows plus affine bands
// (with gaps of zero rows) convolves like the materialised array.
func TestConvolve2CropBands(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	rows, cols, n := 64, 40, 20
	full := make([]complex128, rows*cols)
	copy(full, randC(rng, n*cols))
	var bands []Band
	for _, r0 := range []int{24, 50} { // rows 20..23 and 40..49 stay zero
		b := Band{Row0: r0, Vec: randC(rng, cols), Const: complex(rng.NormFloat64(), 1)}
		for i := 0; i < 14 && r0+i < rows; i++ {
			b.Coef = append(b.Coef, rng.NormFloat64())
			for c, v := range b.Vec {
				full[(r0+i)*cols+c] = b.Const + complex(b.Coef[i], 0)*v
			}
		}
		bands = append(bands, b)
	}
	K := randC(rng, rows*cols)
	for r := 0; r < rows; r++ {
		clear(K[r*cols+16 : r*cols+32]) // one zero column block
	}
	clear(K[10*cols : 30*cols])           // a run of zero rows (skipped in the product)
	clear(K[40*cols+32 : 41*cols])        // zero in part of the blocks only
	clear(K[45*cols+32 : 50*cols+cols-1]) // a shorter run in the last block
	k, err := NewKernel(K, rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	F := append([]complex128(nil), full[:n*cols]...)
	want, err := k.Convolve2Crop(full, 18, 33)
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.Convolve2CropBands(F, n, bands, 18, 33)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(got, want); d > 1e-12 {
		t.Errorf("differs by %g", d)
	}
	for name, bb := range map[string][]Band{
		"overlap":   {bands[0], {Row0: 30, Coef: []float64{1}, Vec: bands[0].Vec}},
		"explicit":  {{Row0: n - 1, Coef: []float64{1}, Vec: bands[0].Vec}},
		"past end":  {{Row0: rows - 1, Coef: []float64{1, 2}, Vec: bands[0].Vec}},
		"bad width": {{Row0: n, Coef: []float64{1}, Vec: bands[0].Vec[1:]}},
	} {
		if _, err := k.Convolve2CropBands(append([]complex128(nil), F...), n, bb, 18, 33); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := k.Convolve2CropBands(F, n, bands, n+1, 33); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("crop below explicit rows: %v", err)
	}
}
