#ifndef QPGO_SWMR_H
#define QPGO_SWMR_H
#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

/* SWMR (single writer, multiple readers) helpers of package h5 (swmr.go).
 * Self-contained: they use no other qh_* helper. */
hid_t qh_swmr_create(const char *name);
herr_t qh_swmr_start(hid_t f);
hid_t qh_swmr_open_read(const char *name);
int qh_swmr_intent(hid_t f);
herr_t qh_swmr_refresh(hid_t f, const char *name);
herr_t qh_swmr_dflush(hid_t f, const char *name);
herr_t qh_swmr_clear_flags(const char *name);
long long qh_swmr_append(hid_t f, const char *name, int code, int rank, const hsize_t *frame, const void *buf);
long long qh_swmr_len(hid_t f, const char *name);
herr_t qh_swmr_read_row(hid_t f, const char *name, int code, hsize_t row, void *buf, hsize_t n);

/* Pre-filtered frames (shuffle + deflate, HDF5's filter formats). The codec
 * touches no libhdf5 state: call it without the package lock. */
size_t qh_swmr_encode_bound(size_t nbytes);
int qh_swmr_encode(const void *src, size_t nbytes, size_t elemsize, int level,
	unsigned char *tmp, unsigned char *dst, size_t *outlen);
long long qh_swmr_append_chunk(hid_t f, const char *name, uint32_t mask, size_t nbytes, const void *buf);

#endif
