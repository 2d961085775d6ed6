package imagedata

import "qpgo/core/qperr"

// Broadcast expands v of shape vshape to shape with NumPy's rules, as a
// stored background of shape (M, 1) is used against an (M, N) image.
func Broadcast(v []float64, vshape, shape []int) ([]float64, error) {
	idx, err := broadcastIndex(shape, vshape)
	if err != nil {
		return nil, qperr.Wrap(qperr.BadArgument, err, "background")
	}
	out := make([]float64, numel(shape))
	for i := range out {
		out[i] = v[idx(i)]
	}
	return out, nil
}
