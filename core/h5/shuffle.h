#ifndef QPGO_SHUFFLE_H
#define QPGO_SHUFFLE_H
#include <stddef.h>

void qh_shuffle(unsigned char *dst, const unsigned char *src, size_t nbytes, size_t size);
void qh_unshuffle(unsigned char *dst, const unsigned char *src, size_t nbytes, size_t size);

#endif
