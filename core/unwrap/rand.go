package unwrap

// glibcRand reproduces glibc's rand() after srand(seed) (the default
// TYPE_3 additive feedback generator, r[i] = r[i-3] + r[i-31]). skimage
// gives border pixels these values as initial reliabilities, so the
// processing order of border edges, and with it the result of images with
// phase residues, depends on them.
type glibcRand struct {
	f, b int // indices of r[i-3] and r[i-31] in the ring of 31
	ring [31]uint32
}

func newGlibcRand(seed uint32) *glibcRand {
	g := &glibcRand{}
	if seed == 0 {
		seed = 1
	}
	var r [31]int32
	r[0] = int32(seed)
	for i := 1; i < 31; i++ {
		// Schrage's method for 16807*x mod (2^31-1) as glibc computes it.
		w := int64(r[i-1])
		hi, lo := w/127773, w%127773
		w = 16807*lo - 2836*hi
		if w < 0 {
			w += 2147483647
		}
		r[i] = int32(w)
	}
	for i := range r {
		g.ring[i] = uint32(r[i])
	}
	g.f, g.b = 3, 0
	for range 310 {
		g.next()
	}
	return g
}

// next returns the next rand() value (0 ≤ v < 2^31).
func (g *glibcRand) next() uint32 {
	g.ring[g.f] += g.ring[g.b]
	v := g.ring[g.f] >> 1
	g.f++
	if g.f == 31 {
		g.f = 0
	}
	g.b++
	if g.b == 31 {
		g.b = 0
	}
	return v
}
