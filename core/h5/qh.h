#ifndef QPGO_QH_H
#define QPGO_QH_H
#include <hdf5.h>
#include <stdint.h>

void qh_init(void);
int qh_register_deflate(void);
size_t qh_chunk_expect(hid_t d);
herr_t qh_read(hid_t d, hid_t mt, hid_t ms, hid_t fs, void *buf);
size_t qh_take_short(void);
void qh_quiet(void);
void qh_errmsg(char *buf, size_t len);
hid_t qh_fopen(const char *name, int rdwr);
hid_t qh_fcreate(const char *name, int excl);
hid_t qh_fcreate_core(const char *name, size_t increment);
int qh_is_core(hid_t f);
int qh_objkind(hid_t f, const char *p);
int qh_objinfo(hid_t loc, const char *name, int *type, unsigned *rc, haddr_t *addr);
hid_t qh_gcreate(hid_t loc, const char *name);
long long qh_nlinks(hid_t loc, const char *name);
ssize_t qh_link_name(hid_t loc, const char *group, hsize_t idx, char *buf, size_t size);
herr_t qh_delete(hid_t loc, const char *name);
herr_t qh_hardlink(hid_t file, const char *target, const char *name);
hid_t qh_bool_type(void);
hid_t qh_native(int code);
hid_t qh_vlen_str_type(void);
hid_t qh_fixed_str_type(size_t n);
int qh_type_code(hid_t t, size_t *size);
int qh_native_numeric(hid_t d);
hid_t qh_dcpl(int rank, const hsize_t *chunks, int shuffle, int deflate, int filter_id, unsigned ncd, const unsigned *cd, int fletcher);
hid_t qh_dcreate(hid_t loc, const char *name, int code, int rank, const hsize_t *dims, const hsize_t *maxdims, hid_t dcpl);
herr_t qh_dwrite(hid_t d, int code, int rank, const hsize_t *start, const hsize_t *count, const void *buf);
herr_t qh_dread(hid_t d, int code, int rank, const hsize_t *start, const hsize_t *count, void *buf);
herr_t qh_dextend(hid_t d, int rank, const hsize_t *dims);
int qh_dinfo(hid_t d, int *code, size_t *size, int *rank, hsize_t *dims, hsize_t *maxdims, int *layout, hsize_t *chunks, int *nfilters, int *fill_time, int *alloc_time);
int qh_dfilter(hid_t d, unsigned idx, unsigned *flags, size_t *ncd, unsigned *cd, char *name, size_t namelen);
hsize_t qh_dstorage(hid_t d);
int qh_anum(hid_t obj);
ssize_t qh_anames(hid_t obj, char *buf, size_t size);
int qh_aexists(hid_t obj, const char *name);
hid_t qh_aopen(hid_t obj, const char *name, int *code, size_t *size, int *rank, hssize_t *n);
herr_t qh_aread_native(hid_t a, int code, void *buf);
herr_t qh_aread_vlen(hid_t a, char **out);
void qh_free_vlen(char **p, size_t n);
herr_t qh_aread_fixed(hid_t a, size_t size, void *buf);
herr_t qh_awrite(hid_t obj, const char *name, int kind, int code, size_t size, int rank, hsize_t n, const void *buf);

int qh_validate(const char *name, double timeout_s, long long mem_bytes, int read_data,
	long long defer_min, const char *only);
int qh_ds_deferred(hid_t d, long long defer_min);

/* Pre-filtered chunk I/O (chunk.go). The codec functions touch no libhdf5
 * state and run without the package lock. */
size_t qh_encode_bound(size_t n, int level, int fletcher);
int qh_encode_chunk(const void *src, size_t n, int level, int fletcher,
	unsigned char *dst, size_t *outlen, unsigned *mask);
int qh_decode_chunk(const unsigned char *src, size_t n, int inflate, int fletcher,
	void *dst, size_t dstlen);
uint32_t qh_fletcher32_lib(const void *buf, size_t len); /* libhdf5 own, for tests */
int qh_zlib_compress(unsigned char *dst, size_t *dstlen, const void *src, size_t n, int level);
int qh_set_exact_zlib(int on);
int qh_deflate_engine(void);
int qh_single_chunk(hid_t d, int code, int *deflate_idx, int *fletcher_idx, hsize_t *nbytes);
herr_t qh_read_chunk(hid_t d, int rank, unsigned *mask, void *buf);
herr_t qh_write_chunk(hid_t d, int rank, unsigned mask, size_t nbytes, const void *buf);

#endif
