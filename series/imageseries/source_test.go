package imageseries

import (
	"errors"
	"reflect"
	"sync/atomic"
	"testing"

	"qpgo/core/qperr"
)

// sourceOf returns a source reading the frames of a and counting the
// largest number of concurrent calls of its function.
func sourceOf(t *testing.T, a *ArraySeries, maxConc *int32) *SourceSeries {
	t.Helper()
	var cur int32
	fn := func(i int, buf []byte) error {
		c := atomic.AddInt32(&cur, 1)
		defer atomic.AddInt32(&cur, -1)
		for {
			m := atomic.LoadInt32(maxConc)
			if c <= m || atomic.CompareAndSwapInt32(maxConc, m, c) {
				break
			}
		}
		f, err := a.Frame(i)
		if err != nil {
			return err
		}
		copy(buf, DataBytes(f.Data))
		return nil
	}
	s, err := NewSource(a.Len(), a.rows, a.cols, a.DType(), fn, a.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSourceMatchesNative(t *testing.T) {
	const n, r, c = 40, 6, 5
	data := make([]uint16, n*r*c)
	for k := range data {
		data[k] = uint16((k*7919 + 13) % 1000)
	}
	a, err := NewArray(data, []int{n, r, c}, Metadata{"omega": nil})
	if err != nil {
		t.Fatal(err)
	}
	var maxConc int32
	s := sourceOf(t, a, &maxConc)
	for _, tc := range []struct {
		name string
		f    func(ImageSeries) (Frame, error)
	}{
		{"median", func(x ImageSeries) (Frame, error) { return Median(x, 0) }},
		{"average", func(x ImageSeries) (Frame, error) { return Average(x, 0) }},
		{"max", func(x ImageSeries) (Frame, error) { return Max(x, 0) }},
		{"percentile", func(x ImageSeries) (Frame, error) { return Percentile(x, 30, 0) }},
	} {
		want, err := tc.f(a)
		if err != nil {
			t.Fatal(err)
		}
		var got Frame
		err = s.Serve(func() error {
			var e error
			got, e = tc.f(s)
			return e
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s over source differs from native", tc.name)
		}
		// Direct use (no Serve) must give the same and stay serialised.
		got, err = tc.f(s)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s direct over source differs: %v", tc.name, err)
		}
	}
	if maxConc != 1 {
		t.Errorf("source function ran %d times concurrently, want 1", maxConc)
	}
	p, err := NewProcessed(s, []Op{{Key: "flip", Data: "v"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pa, _ := NewProcessed(a, []Op{{Key: "flip", Data: "v"}}, nil, nil)
	if FindSource(p) != s {
		t.Fatal("FindSource does not see the source under a processed series")
	}
	err = ServeSources(p, func() error {
		g, e := Sum(p, 0)
		w, _ := Sum(pa, 0)
		if e == nil && !reflect.DeepEqual(g, w) {
			t.Error("processed sum over source differs")
		}
		return e
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSourceErrors(t *testing.T) {
	stop := qperr.New(qperr.Cancelled, "frame source returned 1")
	s, err := NewSource(3, 2, 2, Float64, func(i int, buf []byte) error {
		if i == 2 {
			return stop
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Frame(-1); !errors.Is(err, stop) {
		t.Errorf("Frame(-1) error = %v, want the source's error", err)
	}
	if _, err := s.Frame(3); err == nil {
		t.Error("Frame(3) of 3 frames: no error")
	}
	if err := s.Serve(func() error { _, e := Sum(s, 0); return e }); !errors.Is(err, stop) {
		t.Errorf("Sum under Serve error = %v, want the source's error", err)
	}
	p, _ := NewSource(1, 1, 1, Uint8, func(int, []byte) error { panic("boom") }, nil)
	if _, err := p.Frame(0); qperr.KindOf(err) != qperr.Internal {
		t.Errorf("panicking source: %v, want internal error", err)
	}
	for _, bad := range []func() (*SourceSeries, error){
		func() (*SourceSeries, error) { return NewSource(1, 1, 1, Uint8, nil, nil) },
		func() (*SourceSeries, error) {
			return NewSource(-1, 1, 1, Uint8, func(int, []byte) error { return nil }, nil)
		},
		func() (*SourceSeries, error) {
			return NewSource(1, -1, 1, Uint8, func(int, []byte) error { return nil }, nil)
		},
		func() (*SourceSeries, error) {
			return NewSource(1, 1, 1, Invalid, func(int, []byte) error { return nil }, nil)
		},
	} {
		if _, err := bad(); qperr.KindOf(err) != qperr.BadArgument {
			t.Errorf("bad NewSource: %v, want bad argument", err)
		}
	}
}
