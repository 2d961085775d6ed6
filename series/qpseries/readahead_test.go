package qpseries

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"qpgo/core/qpimage"
)

// TestReadAhead: iterating a read-only series reads the images the loop
// uses ahead (from the second member on, the phase of members read for
// the phase), returns the same values as the plain loop of a writable
// file, reads nothing ahead for a loop that reads nothing, and leaves no
// read running after a break.
func TestReadAhead(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	path := filepath.Join(t.TempDir(), "s.h5")
	s, err := NewFile(path, "w", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 7
	for i := 0; i < n; i++ {
		pha := make([]float64, 12*9)
		for k := range pha {
			pha[k] = float64(k%11)*0.1 + float64(i)
		}
		q, err := qpimage.NewInMemory(&qpimage.Input{WhichData: qpimage.ConvWhichData("phase"),
			Arrays: [][]float64{pha}, Shape: []int{12, 9}}, nil, qpimage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddQPImage(q, fmt.Sprintf("m%d", i), NoBG); err != nil {
			t.Fatal(err)
		}
		q.Close()
	}
	// the plain loop (writable file: no read-ahead)
	var want [][]float64
	for q, err := range s.All() {
		if err != nil {
			t.Fatal(err)
		}
		if q.PhaseData().ReadingAhead() {
			t.Fatal("read-ahead on a writable file")
		}
		v, _, err := q.Pha()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, v)
	}
	s.Close()

	r, err := Open(path, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	i := 0
	var kept []*qpimage.QPImage
	for q, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		if ahead := q.PhaseData().ReadingAhead(); ahead != (i >= 1) {
			t.Errorf("member %d: phase read ahead %v", i, ahead)
		}
		if q.AmplitudeData().ReadingAhead() {
			t.Errorf("member %d: amplitude read ahead, never read", i)
		}
		v, _, err := q.Pha()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v, want[i]) {
			t.Fatalf("member %d: phase differs from the plain read", i)
		}
		kept = append(kept, q)
		i++
	}
	if i != n {
		t.Fatalf("%d members", i)
	}
	// nothing read: nothing read ahead; break: nothing left running
	i = 0
	for q := range r.All() {
		if q.PhaseData().ReadingAhead() || q.AmplitudeData().ReadingAhead() {
			t.Errorf("member %d read ahead, nothing was read", i)
		}
		i++
	}
	for q := range r.All() {
		q.Pha()
		kept = append(kept, q)
		if len(kept) == n+3 {
			break
		}
	}
	for k, q := range kept {
		if q.PhaseData().ReadingAhead() {
			t.Errorf("member %d still reading ahead after the loop", k)
		}
		// a member read again after the loop reads the file
		if v, _, err := q.Pha(); err != nil || !slices.Equal(v, want[k%n]) {
			t.Fatalf("member %d after the loop: %v", k, err)
		}
	}
}
