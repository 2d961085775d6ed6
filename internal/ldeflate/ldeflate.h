#ifndef QPGO_LDEFLATE_H
#define QPGO_LDEFLATE_H
#include <stddef.h>

int qld_available(void);
size_t qld_bound(int level, size_t n);
size_t qld_compress(int level, const void *src, size_t n, void *dst, size_t cap);
int qld_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *got);

#endif
