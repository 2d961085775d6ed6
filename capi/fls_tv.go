package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import "qpgo/core/flproc"

// fls_denoise_tv_chambolle is skimage's denoise_tv_chambolle(image,
// weight, eps, max_num_iter) of a row-major rows×cols float64 image (the
// filter flimage's FLSeries.denoise uses), written to out (rows·cols).
// Errors: QPGO_ERR_ARG (NULL, shape, NaN/Inf pixels, weight, eps, max_num_iter).
//
//export fls_denoise_tv_chambolle
func fls_denoise_tv_chambolle(data *C.qpgo_cdouble, rows, cols C.int64_t, weight, eps C.double,
	maxIter C.int64_t, out *C.double) C.int {
	return guard(func() error {
		if rows <= 0 || cols <= 0 {
			return argErr("shape must be positive, got %d×%d", int64(rows), int64(cols))
		}
		n := int(rows) * int(cols)
		img, err := copyDoubles(data, n, "data")
		if err != nil {
			return err
		}
		res, err := flproc.DenoiseTV(img, int(rows), int(cols), float64(weight), float64(eps), int(maxIter))
		if err != nil {
			return err
		}
		return putDoubles(out, C.int64_t(n), res, "out")
	})
}
