// libhdf5's shuffle filter (H5Zshuffle.c) and its inverse, for chunks
// filtered outside libhdf5. Written as plain byte loops that GCC turns into
// SIMD unpack/shuffle code at -O3 (about 20x faster than the Go loops
// this replaced on 2-byte frames); the pragma keeps -O3 to this file.
#pragma GCC optimize("O3")
#include <string.h>
#include "shuffle.h"

// qh_shuffle: dst gets the byte planes of the nbytes/size elements of src
// (plane b = byte b of every element), then the nbytes%size trailing bytes.
void qh_shuffle(unsigned char *restrict dst, const unsigned char *restrict src, size_t nbytes, size_t size) {
	size_t n = size ? nbytes / size : 0;
	if (size <= 1 || n <= 1) {
		memcpy(dst, src, nbytes);
		return;
	}
	if (size == 2) {
		unsigned char *lo = dst, *hi = dst + n;
		for (size_t i = 0; i < n; i++) {
			lo[i] = src[2 * i];
			hi[i] = src[2 * i + 1];
		}
	} else if (size == 4) {
		unsigned char *p0 = dst, *p1 = dst + n, *p2 = dst + 2 * n, *p3 = dst + 3 * n;
		for (size_t i = 0; i < n; i++) {
			p0[i] = src[4 * i];
			p1[i] = src[4 * i + 1];
			p2[i] = src[4 * i + 2];
			p3[i] = src[4 * i + 3];
		}
	} else {
		for (size_t b = 0; b < size; b++)
			for (size_t i = 0; i < n; i++) dst[b * n + i] = src[i * size + b];
	}
	memcpy(dst + n * size, src + n * size, nbytes - n * size);
}

// qh_unshuffle is the inverse of qh_shuffle.
void qh_unshuffle(unsigned char *restrict dst, const unsigned char *restrict src, size_t nbytes, size_t size) {
	size_t n = size ? nbytes / size : 0;
	if (size <= 1 || n <= 1) {
		memcpy(dst, src, nbytes);
		return;
	}
	if (size == 2) {
		const unsigned char *lo = src, *hi = src + n;
		for (size_t i = 0; i < n; i++) {
			dst[2 * i] = lo[i];
			dst[2 * i + 1] = hi[i];
		}
	} else if (size == 4) {
		const unsigned char *p0 = src, *p1 = src + n, *p2 = src + 2 * n, *p3 = src + 3 * n;
		for (size_t i = 0; i < n; i++) {
			dst[4 * i] = p0[i];
			dst[4 * i + 1] = p1[i];
			dst[4 * i + 2] = p2[i];
			dst[4 * i + 3] = p3[i];
		}
	} else {
		for (size_t b = 0; b < size; b++)
			for (size_t i = 0; i < n; i++) dst[i * size + b] = src[b * n + i];
	}
	memcpy(dst + n * size, src + n * size, nbytes - n * size);
}
