#ifndef QPGO_ND_H
#define QPGO_ND_H
#include <hdf5.h>

herr_t qh_awrite_nd(hid_t obj, const char *name, const char *tmpname, int kind, int code,
                    size_t size, int rank, const hsize_t *dims, const void *buf);
hid_t qh_aopen_nd(hid_t obj, const char *name, int *code, size_t *size, int *rank, hsize_t *dims);
herr_t qh_dwrite_string(hid_t loc, const char *name, const char *value, int ascii);
ssize_t qh_dread_string(hid_t loc, const char *name, char *buf, size_t size);

#endif
