#ifndef QPGO_H5_FLETCHER_H
#define QPGO_H5_FLETCHER_H
#include <stddef.h>
#include <stdint.h>
// qh_fletcher32_fast is H5_checksum_fletcher32 of len bytes (fletcher.c).
uint32_t qh_fletcher32_fast(const void *data, size_t len);
#endif
