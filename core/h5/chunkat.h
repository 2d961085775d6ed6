#ifndef QPGO_CHUNKAT_H
#define QPGO_CHUNKAT_H
#include <hdf5.h>

int qh_chunk_at(hid_t d, int rank, const hsize_t *off, int *code, hsize_t *chunk,
                int *shuffle_idx, int *deflate_idx, int *fletcher_idx, hsize_t *nbytes);
herr_t qh_read_chunk_at(hid_t d, const hsize_t *off, unsigned *mask, void *buf);

#endif
