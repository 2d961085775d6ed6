package imageseries

import (
	"reflect"
	"testing"

	"qpgo/core/h5"
)

// FrameIntoZeroed on a zeroed buffer gives Frame(i) for the frame caches of
// every dtype, negative indices included; a wrong buffer is refused.
func TestFrameIntoZeroed(t *testing.T) {
	tested := 0
	for _, dt := range intoDTypes {
		src := intoStack(t, dt)
		for name, s := range intoSources(t, src) {
			z, ok := s.(ZeroedFrameReaderInto)
			if !ok {
				continue
			}
			tested++
			for _, i := range []int{0, 3, -1} {
				want, err := s.Frame(i)
				if err != nil {
					t.Fatal(err)
				}
				hd, _ := h5.ParseDType(dt.String())
				dst := h5.MakeSlice(hd, 7*9)
				if err := z.FrameIntoZeroed(i, dst); err != nil {
					t.Fatalf("%s %s frame %d: %v", name, dt, i, err)
				}
				if !reflect.DeepEqual(dst, want.Data) {
					t.Fatalf("%s %s frame %d differs", name, dt, i)
				}
			}
			if err := z.FrameIntoZeroed(0, make([]float64, 3)); err == nil {
				t.Fatalf("%s %s: short buffer accepted", name, dt)
			}
		}
	}
	if tested != 2*len(intoDTypes) {
		t.Fatalf("%d frame caches tested, want npz and fch5 of every dtype", tested)
	}
}
