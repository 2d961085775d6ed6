package qpimage

// PhaInto writes Pha() into dst in one pass (imagedata.ImageInto): the
// shape, and ok false when dst is too short (nothing written).
func (q *QPImage) PhaInto(dst []float64) ([]int, bool, error) { return q.pha.ImageInto(dst) }

// AmpInto writes Amp() into dst as PhaInto does.
func (q *QPImage) AmpInto(dst []float64) ([]int, bool, error) { return q.amp.ImageInto(dst) }
