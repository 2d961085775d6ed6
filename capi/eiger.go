package main

/*
#include <stdint.h>
#include "qpgo_types.h"
*/
import "C"

import (
	"unsafe"

	"qpgo/series/imageseries/eiger"
)

// The Eiger stream adapters ("eiger-stream-v1", "eiger-stream-v2") register
// themselves with series/imageseries when package eiger is linked in.

// ims_eiger_decompress decodes one Dectris Eiger stream payload (hexrd
// load.eiger.decompress_frame): compression "lz4" or "bslz4" (bitshuffle +
// LZ4; elem_size bytes per element), src (srclen bytes, with its 12-byte
// header) into out, which must hold exactly the decoded size (outlen bytes;
// the header's size).
// Errors: QPGO_ERR_ARG (NULL pointers, unknown compression, outlen not the
// decoded size, bad elem_size), QPGO_ERR_IO (corrupt payload).
//
//export ims_eiger_decompress
func ims_eiger_decompress(compression *C.qpgo_cchar, src unsafe.Pointer, srclen C.int64_t, elemSize C.int64_t, out unsafe.Pointer, outlen C.int64_t) C.int {
	return guard(func() error {
		kind, err := goString(compression, "compression")
		if err != nil {
			return err
		}
		if srclen < 0 || outlen < 0 || srclen > maxElems || outlen > maxElems {
			return argErr("srclen = %d or outlen = %d is invalid", int64(srclen), int64(outlen))
		}
		if (src == nil && srclen > 0) || (out == nil && outlen > 0) {
			return argErr("src or out is NULL")
		}
		var s, d []byte
		if srclen > 0 {
			s = unsafe.Slice((*byte)(src), int(srclen))
		}
		if outlen > 0 {
			d = unsafe.Slice((*byte)(out), int(outlen))
		}
		return eiger.Decompress(kind, s, int(elemSize), d)
	})
}
