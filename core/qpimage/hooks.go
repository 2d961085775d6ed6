package qpimage

import "qpgo/core/qperr"

// The phase processing and field retrieval live in core/unwrap and
// core/holo; these indirections are wired in wire.go.
var (
	processPhase = func(pha []float64, shape []int) ([]float64, error) {
		return nil, qperr.New(qperr.Unsupported, "phase unwrapping is not available in this build (use proc_phase=False)")
	}
	retrieveOAH = func(in *Input, kw map[string]any, sideband any) ([]complex128, []int, any, error) {
		return nil, nil, nil, qperr.New(qperr.Unsupported, "off-axis hologram retrieval is not available in this build")
	}
	retrieveQLSI = func(data, ref *Input, kw map[string]any) (amp, pha []float64, shape []int, err error) {
		return nil, nil, nil, qperr.New(qperr.Unsupported, "QLSI retrieval is not available in this build")
	}
)
