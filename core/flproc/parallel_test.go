package flproc

import (
	"runtime"
	"strings"
	"testing"

	"qpgo/core/qperr"
)

// TestBleachParallelEqualsSerial: background, trace and corrected frames
// computed on several workers equal those of one worker bit for bit, and
// progress still counts up in order.
func TestBleachParallelEqualsSerial(t *testing.T) {
	frames, times := flStack(37)
	run := func(procs int) (*BleachResult, [][]float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		last := 0
		res, err := BleachCorrection(frames, 256, 256, times, 20, func(done, total int) bool {
			if done != last+1 || total != 2*len(frames) {
				t.Errorf("progress(%d, %d) after %d", done, total, last)
			}
			last = done
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		corrected, err := ApplyCorrection(frames, 256, 256, res.Bg, res.Corr, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res, corrected
	}
	serial, sc := run(1)
	par, pc := run(4)
	if serial.Bg != par.Bg {
		t.Fatalf("bg %v vs %v", par.Bg, serial.Bg)
	}
	for i := range serial.Flint {
		if serial.Flint[i] != par.Flint[i] || serial.Corr[i] != par.Corr[i] {
			t.Fatalf("frame %d: flint %v vs %v, corr %v vs %v", i, par.Flint[i], serial.Flint[i], par.Corr[i], serial.Corr[i])
		}
		for k := range sc[i] {
			if sc[i][k] != pc[i][k] {
				t.Fatalf("corrected frame %d differs at %d", i, k)
			}
		}
	}
}

// TestBleachParallelErrorOrder: the first bad frame is reported, frames
// before it are counted by progress, and a refusal cancels.
func TestBleachParallelErrorOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	frames, times := flStack(40)
	frames[33] = frames[33][:100]
	frames[35] = frames[35][:10]
	done := 0
	_, err := BleachCorrection(frames, 256, 256, times, 20, func(d, _ int) bool { done = d; return true })
	if !qperr.Is(err, qperr.BadArgument) || !strings.Contains(err.Error(), "frame 33") || done != 33 {
		t.Fatalf("bad frame: %v after progress %d", err, done)
	}
	frames, times = flStack(40)
	_, err = BleachCorrection(frames, 256, 256, times, 20, func(d, _ int) bool { return d < 5 })
	if !qperr.Is(err, qperr.Cancelled) || !strings.Contains(err.Error(), "after 5 of") {
		t.Fatalf("cancel: %v", err)
	}
}

// TestForFramesPanic: a panic in one frame is that call's Internal error
// and neither loses a buffer nor blocks the other frames.
func TestForFramesPanic(t *testing.T) {
	for _, procs := range []int{1, 3} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			done := 0
			err := forFrames(40, 8, func(i int, buf []float64) error {
				if len(buf) != 8 {
					t.Errorf("buffer of %d", len(buf))
				}
				if i == 3 || i == 20 {
					panic("test panic")
				}
				return nil
			}, func(int) error { done++; return nil })
			if !qperr.Is(err, qperr.Internal) || done != 3 {
				t.Errorf("procs %d: %v after %d frames", procs, err, done)
			}
		}()
	}
}
