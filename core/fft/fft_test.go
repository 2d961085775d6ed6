package fft

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sync"
	"testing"

	"qpgo/core/qperr"
)

// naive2 is the textbook separable DFT, used as the independent reference.
func naive2(a []complex128, rows, cols int, inverse bool) []complex128 {
	sign := -1.0
	if inverse {
		sign = 1
	}
	tmp := make([]complex128, len(a))
	for r := 0; r < rows; r++ {
		for k := 0; k < cols; k++ {
			var s complex128
			for j := 0; j < cols; j++ {
				s += a[r*cols+j] * cmplx.Rect(1, sign*2*math.Pi*float64(j*k%cols)/float64(cols))
			}
			tmp[r*cols+k] = s
		}
	}
	out := make([]complex128, len(a))
	for c := 0; c < cols; c++ {
		for k := 0; k < rows; k++ {
			var s complex128
			for j := 0; j < rows; j++ {
				s += tmp[j*cols+c] * cmplx.Rect(1, sign*2*math.Pi*float64(j*k%rows)/float64(rows))
			}
			out[k*cols+c] = s
		}
	}
	if inverse {
		for i := range out {
			out[i] /= complex(float64(rows*cols), 0)
		}
	}
	return out
}

func randC(rng *rand.Rand, n int) []complex128 {
	a := make([]complex128, n)
	for i := range a {
		a[i] = complex(rng.NormFloat64(), rng.NormFloat64())
	}
	return a
}

func maxDiff(a, b []complex128) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, cmplx.Abs(a[i]-b[i]))
	}
	return m
}

func TestFFT2MatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// Small (serial) and large (parallel) sizes, even and odd, with zero rows.
	for _, sz := range [][2]int{{1, 1}, {3, 5}, {8, 8}, {7, 12}, {130, 136}, {135, 129}, {2, 4}, {4, 2}, {1, 16}, {32, 1}, {16, 32}, {64, 8}, {128, 256}, {512, 64}} {
		rows, cols := sz[0], sz[1]
		a := randC(rng, rows*cols)
		if rows > 4 {
			for j := 0; j < cols; j++ {
				a[2*cols+j] = 0 // an all-zero row is skipped, result must not change
			}
		}
		want := naive2(a, rows, cols, false)
		got := append([]complex128(nil), a...)
		if err := FFT2(got, rows, cols); err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(got, want); d > 1e-9*float64(rows*cols) {
			t.Errorf("%v forward: max diff %g", sz, d)
		}
		wantInv := naive2(a, rows, cols, true)
		gotInv := append([]complex128(nil), a...)
		if err := IFFT2(gotInv, rows, cols); err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(gotInv, wantInv); d > 1e-12 {
			t.Errorf("%v inverse: max diff %g", sz, d)
		}
		// Round trip.
		if err := FFT2(gotInv, rows, cols); err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(gotInv, a); d > 1e-12 {
			t.Errorf("%v round trip: max diff %g", sz, d)
		}
	}
}

func TestIFFT2Crop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rows, cols := 132, 140
	a := randC(rng, rows*cols)
	full := append([]complex128(nil), a...)
	if err := IFFT2(full, rows, cols); err != nil {
		t.Fatal(err)
	}
	got, err := IFFT2Crop(append([]complex128(nil), a...), rows, cols, 50, 61)
	if err != nil {
		t.Fatal(err)
	}
	for r := 0; r < 50; r++ {
		for c := 0; c < 61; c++ {
			if cmplx.Abs(got[r*61+c]-full[r*cols+c]) > 1e-14 {
				t.Fatalf("(%d,%d): %v vs %v", r, c, got[r*61+c], full[r*cols+c])
			}
		}
	}
	if _, err := IFFT2Crop(a, rows, cols, rows+1, 3); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("crop too large: err %v", err)
	}
}

func TestFFT2Real(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sz := range [][4]int{{3, 5, 4, 8}, {40, 48, 128, 128}, {5, 7, 5, 7}, {100, 90, 135, 129}} {
		sr, sc, rows, cols := sz[0], sz[1], sz[2], sz[3]
		src := make([]float64, sr*sc)
		pad := make([]complex128, rows*cols)
		for r := 0; r < sr; r++ {
			for c := 0; c < sc; c++ {
				v := rng.NormFloat64()
				src[r*sc+c] = v
				pad[r*cols+c] = complex(v, 0)
			}
		}
		want := naive2(pad, rows, cols, false)
		got, err := FFT2Real(src, sr, sc, rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(got, want); d > 1e-9*float64(rows*cols) {
			t.Errorf("%v: max diff %g", sz, d)
		}
	}
	if _, err := FFT2Real(make([]float64, 6), 2, 3, 1, 3); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("small grid: err %v", err)
	}
}

func TestShift(t *testing.T) {
	// numpy documentation: fftshift(fftfreq(5)) = [-0.4, -0.2, 0, 0.2, 0.4] and
	// fftshift([0..4]) = [3 4 0 1 2], ifftshift of that gives [0..4] back.
	a := []int{0, 1, 2, 3, 4}
	if got := fmt.Sprint(FFTShift(a, 1, 5)); got != "[3 4 0 1 2]" {
		t.Errorf("fftshift odd: %s", got)
	}
	if got := fmt.Sprint(IFFTShift(a, 1, 5)); got != "[2 3 4 0 1]" {
		t.Errorf("ifftshift odd: %s", got)
	}
	if got := fmt.Sprint(IFFTShift(FFTShift(a, 5, 1), 5, 1)); got != "[0 1 2 3 4]" {
		t.Errorf("round trip: %s", got)
	}
	b := []int{0, 1, 2, 3, 4, 5}
	if got := fmt.Sprint(FFTShift(b, 2, 3)); got != "[5 3 4 2 0 1]" {
		t.Errorf("fftshift 2x3: %s", got)
	}
	if got := fmt.Sprint(Freq(5)); got != "[0 0.2 0.4 -0.4 -0.2]" {
		t.Errorf("Freq(5): %s", got)
	}
	if got := fmt.Sprint(Freq(4)); got != "[0 0.25 -0.5 -0.25]" {
		t.Errorf("Freq(4): %s", got)
	}
	if got := fmt.Sprint(ShiftedFreq(4)); got != "[-0.5 -0.25 0 0.25]" {
		t.Errorf("ShiftedFreq(4): %s", got)
	}
	sf := ShiftedFreq(5)
	if fmt.Sprint(sf) != fmt.Sprint(FFTShift(Freq(5), 1, 5)) {
		t.Errorf("ShiftedFreq(5) = %v", sf)
	}
}

func TestConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	rows, cols := 130, 136
	a := randC(rng, rows*cols)
	want := append([]complex128(nil), a...)
	if err := FFT2(want, rows, cols); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := append([]complex128(nil), a...)
			if err := FFT2(b, rows, cols); err != nil {
				errs <- err.Error()
				return
			}
			if d := maxDiff(b, want); d != 0 {
				errs <- fmt.Sprintf("concurrent result differs by %g", d)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct{ n, r, c int }{{6, 2, 2}, {0, 0, 0}, {4, -2, -2}} {
		if err := FFT2(make([]complex128, c.n), c.r, c.c); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("FFT2 %v: err %v", c, err)
		}
		if err := IFFT2(make([]complex128, c.n), c.r, c.c); !qperr.Is(err, qperr.BadArgument) {
			t.Errorf("IFFT2 %v: err %v", c, err)
		}
	}
}

func BenchmarkFFT2_2048(b *testing.B) {
	a := randC(rand.New(rand.NewPCG(1, 1)), 2048*2048)
	reportCPU(b, func() { _ = FFT2(a, 2048, 2048) })
}

func BenchmarkLine1024(b *testing.B) {
	a := randC(rand.New(rand.NewPCG(1, 1)), 1024)
	p := getPow2(1024)
	reportCPU(b, func() { p.transform(a, false) })
}

func BenchmarkBatch1024x16(b *testing.B) {
	a := randC(rand.New(rand.NewPCG(1, 1)), 1024*16)
	p := getPow2(1024)
	reportCPU(b, func() { p.batch(a, 16, false) })
}

func TestIFFT2CropRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][4]int{{64, 64, 32, 32}, {256, 256, 100, 128}, {12, 10, 5, 7}, {128, 96, 128, 96}} {
		rows, cols, oR, oC := sz[0], sz[1], sz[2], sz[3]
		G := make([]complex128, rows*cols)
		var idx []int
		var M []complex128
		for r := 0; r < rows; r++ {
			if r%3 == 1 || r == rows-1 {
				row := randC(rng, cols)
				copy(G[r*cols:], row)
				idx = append(idx, r)
				M = append(M, row...)
			}
		}
		want, err := IFFT2Crop(append([]complex128(nil), G...), rows, cols, oR, oC)
		if err != nil {
			t.Fatal(err)
		}
		got, err := IFFT2CropRows(M, idx, rows, cols, oR, oC)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(got, want); d > 1e-14 {
			t.Errorf("%v: differs by %g", sz, d)
		}
	}
	if _, err := IFFT2CropRows(make([]complex128, 8), []int{1, 0}, 4, 4, 2, 2); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("unsorted rows: %v", err)
	}
	if out, err := IFFT2CropRows(nil, nil, 4, 4, 2, 2); err != nil || len(out) != 4 || out[0] != 0 {
		t.Errorf("no rows: %v %v", out, err)
	}
}

func TestConvolve2Crop(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sz := range [][4]int{{64, 64, 32, 32}, {256, 128, 100, 128}, {12, 10, 5, 7}} {
		rows, cols, oR, oC := sz[0], sz[1], sz[2], sz[3]
		F, K := randC(rng, rows*cols), randC(rng, rows*cols)
		for r := 0; r < rows; r++ {
			for c := cols / 3; c < cols/2+3; c++ {
				K[r*cols+c] = 0 // zero column blocks are skipped
			}
		}
		clear(K[rows/4*cols : rows/2*cols]) // so are runs of zero rows
		want := append([]complex128(nil), F...)
		if err := FFT2(want, rows, cols); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i] *= K[i]
		}
		w, err := IFFT2Crop(want, rows, cols, oR, oC)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Convolve2Crop(F, K, rows, cols, oR, oC)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(got, w); d > 1e-13 {
			t.Errorf("%v: differs by %g", sz, d)
		}
	}
	if _, err := Convolve2Crop(make([]complex128, 4), make([]complex128, 3), 2, 2, 1, 1); !qperr.Is(err, qperr.BadArgument) {
		t.Errorf("bad kernel: %v", err)
	}
}

// TestWorkerPanic: a panic in a transform worker (serial and parallel
// sizes) is returned as an Internal error instead of crashing the process.
func TestWorkerPanic(t *testing.T) {
	testPanic = true
	defer func() { testPanic = false }()
	for _, n := range []int{8, 256} {
		if err := FFT2(make([]complex128, n*n), n, n); !qperr.Is(err, qperr.Internal) {
			t.Errorf("FFT2 %d: %v", n, err)
		}
		if _, err := FFT2Real(make([]float64, n*n), n, n, n, n); !qperr.Is(err, qperr.Internal) {
			t.Errorf("FFT2Real %d: %v", n, err)
		}
		F, K := make([]complex128, n*n), make([]complex128, n*n)
		if _, err := Convolve2Crop(F, K, n, n, n/2, n/2); !qperr.Is(err, qperr.Internal) {
			t.Errorf("Convolve2Crop %d: %v", n, err)
		}
	}
}
