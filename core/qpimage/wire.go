package qpimage

import (
	"qpgo/core/qperr"
	"qpgo/core/unwrap"
)

func init() {
	processPhase = func(pha []float64, shape []int) ([]float64, error) {
		if len(shape) != 2 {
			return nil, qperr.New(qperr.BadArgument, "phase processing needs a 2-D image, got shape %v", shape)
		}
		return unwrap.ProcessPhase(pha, shape[0], shape[1])
	}
}
