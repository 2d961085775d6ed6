package qpimage

import (
	"qpgo/core/holo"
	"qpgo/core/qperr"
)

func init() {
	retrieveOAH = oahField
	retrieveQLSI = qlsiAmpPha
}

// rawImage returns the 2-D hologram of an input (first channel of RGB).
func rawImage(in *Input) ([]float64, int, int, error) {
	if len(in.Arrays) != 1 {
		return nil, 0, 0, qperr.New(qperr.BadArgument, "raw data need one array")
	}
	switch len(in.Shape) {
	case 2:
		return in.Arrays[0], in.Shape[0], in.Shape[1], nil
	case 3:
		v, err := holo.FirstChannel(in.Arrays[0], in.Shape[0], in.Shape[1], in.Shape[2])
		return v, in.Shape[0], in.Shape[1], err
	}
	return nil, 0, 0, qperr.New(qperr.BadArgument, "raw data must be 2-D (or RGB 3-D), got shape %v", in.Shape)
}

// oahField runs qpretrieve's OffAxisHologram pipeline (0.3.2: 2-D in, 2-D
// out). A background hologram goes through the same options and so has
// its sideband searched independently unless sideband_freq is given.
func oahField(in *Input, kw map[string]any, _ any) ([]complex128, []int, any, error) {
	opt, err := holo.ParseOAHOptions(kw)
	if err != nil {
		return nil, nil, nil, err
	}
	data, rows, cols, err := rawImage(in)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := holo.OffAxisDetail(data, rows, cols, opt)
	if err != nil {
		return nil, nil, nil, err
	}
	return r.Field, []int{r.Rows, r.Cols}, r.SidebandFreq, nil
}

// qlsiAmpPha runs the QLSInterferogram pipeline with the reference
// interferogram (consumed: no background dataset is written).
func qlsiAmpPha(data, ref *Input, kw map[string]any) (amp, pha []float64, shape []int, err error) {
	opt, err := holo.ParseQLSIOptions(kw)
	if err != nil {
		return nil, nil, nil, err
	}
	d, rows, cols, err := rawImage(data)
	if err != nil {
		return nil, nil, nil, err
	}
	var r []float64
	if ref != nil {
		var rr, rc int
		if r, rr, rc, err = rawImage(ref); err != nil {
			return nil, nil, nil, err
		}
		if rr != rows || rc != cols {
			return nil, nil, nil, qperr.New(qperr.BadArgument, "reference shape %dx%d differs from data %dx%d", rr, rc, rows, cols)
		}
	}
	amp, pha, err = holo.QLSI(d, r, rows, cols, opt)
	return amp, pha, []int{rows, cols}, err
}
