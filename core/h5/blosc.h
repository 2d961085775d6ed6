#ifndef QPGO_BLOSC_H
#define QPGO_BLOSC_H
#include <hdf5.h>

int qb_available(void);
int qb_compress(int clevel, int shuffle, int compcode, size_t typesize, size_t n,
                const void *src, void *dst, size_t cap);
int qb_decompress(const void *src, size_t srclen, void *dst, size_t n);
int qb_info(hid_t d, int rank, int *code, hsize_t *chunk, unsigned *cd);
void qb_chunk_size(hid_t d, const hsize_t *off, hsize_t *nbytes);
herr_t qb_read_chunk(hid_t d, const hsize_t *off, unsigned *mask, void *buf);
herr_t qb_write_chunk(hid_t d, const hsize_t *off, unsigned mask, size_t n, const void *buf);

#endif
