package refocus

import "testing"

// BenchmarkPropagateW10b: the propagation step of W10b through the
// interface path (spectrum of a 512² field padded to 1024², kernel cached):
// spectrum·kernel and the cropped inverse FFT.
func BenchmarkPropagateW10b(b *testing.B) {
	f := testField(512)
	spec, R, C, err := Spectrum(f, 512, 512, PadComplex, true, false)
	if err != nil {
		b.Fatal(err)
	}
	p := Params{Wavelength: 550e-9, PixelSize: 1.5e-7, MediumIndex: 1.335, Kernel: "helmholtz"}
	reportCPU(b, func() {
		if _, err := Propagate(spec, R, C, p, 2e-6, 512, 512); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPropagateNewDistance: as W10b with a new distance per call
// (kernel from the cached phase table), as in an autofocus search.
func BenchmarkPropagateNewDistance(b *testing.B) {
	f := testField(512)
	spec, R, C, err := Spectrum(f, 512, 512, PadComplex, true, false)
	if err != nil {
		b.Fatal(err)
	}
	p := Params{Wavelength: 550e-9, PixelSize: 1.5e-7, MediumIndex: 1.335, Kernel: "helmholtz"}
	d := 0.0
	reportCPU(b, func() {
		d += 1e-8
		if _, err := Propagate(spec, R, C, p, d, 512, 512); err != nil {
			b.Fatal(err)
		}
	})
}
