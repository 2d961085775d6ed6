// Blosc chunks outside libhdf5 (blosc.go): libblosc.so.1 loaded at run
// time (Debian's libblosc1 ships no header in the runtime package, so the
// few prototypes are declared here), and raw chunk reads and writes of
// datasets whose only filter is Blosc (filter 32001).
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include "qh.h"
#include "blosc.h"

typedef int (*compress_ctx_fn)(int, int, size_t, size_t, const void *, void *, size_t,
                               const char *, size_t, int);
typedef int (*decompress_ctx_fn)(const void *, void *, size_t, int);
typedef int (*validate_fn)(const void *, size_t, size_t *);
typedef int (*compname_fn)(int, const char **);

static compress_ctx_fn fn_compress;
static decompress_ctx_fn fn_decompress;
static validate_fn fn_validate;
static compname_fn fn_compname;
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
	void *h = dlopen("libblosc.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h) return;
	fn_compress = (compress_ctx_fn)dlsym(h, "blosc_compress_ctx");
	fn_decompress = (decompress_ctx_fn)dlsym(h, "blosc_decompress_ctx");
	fn_validate = (validate_fn)dlsym(h, "blosc_cbuffer_validate");
	fn_compname = (compname_fn)dlsym(h, "blosc_compcode_to_compname");
	loaded = fn_compress && fn_decompress && fn_validate && fn_compname;
}

int qb_available(void) {
	pthread_once(&once, load);
	return loaded;
}

// qb_compress is what the HDF5 Blosc filter does to a chunk of n bytes
// (blosc_compress with an output buffer of n bytes), with the thread-safe
// context API and one internal thread. Returns the compressed size, 0 when
// the data do not fit in cap (the filter then fails and, being optional,
// leaves the chunk unfiltered), -1 on error.
int qb_compress(int clevel, int shuffle, int compcode, size_t typesize, size_t n,
                const void *src, void *dst, size_t cap) {
	const char *name = NULL;
	if (!qb_available() || fn_compname(compcode, &name) < 0 || !name) return -1;
	int r = fn_compress(clevel, shuffle, typesize, n, src, dst, cap, name, 0, 1);
	return r < 0 ? -1 : r;
}

// qb_decompress decodes the Blosc buffer src (srclen bytes, exactly one
// Blosc frame as the filter stores it) into n bytes at dst. Returns 0, or
// -1 when the header is inconsistent with srclen or n, or decoding fails.
int qb_decompress(const void *src, size_t srclen, void *dst, size_t n) {
	size_t nbytes = 0;
	if (!qb_available() || fn_validate(src, srclen, &nbytes) != 0 || nbytes != n) return -1;
	return fn_decompress(src, dst, n, 1) == (int)n ? 0 : -1;
}

// qb_info reports whether the chunked dataset d of the given rank has the
// pipeline [Blosc] alone with its local parameters set (cd[0..6]: filter
// version, format, typesize, chunk bytes, clevel, shuffle, compressor) and
// a native numeric type. Sets the type code and chunk dims. Returns 1 or 0
// (never leaves an error on the stack).
int qb_info(hid_t d, int rank, int *code, hsize_t *chunk, unsigned *cd) {
	int ok = 0;
	*code = 0;
	hid_t p = H5Dget_create_plist(d);
	if (p < 0) goto out;
	if (H5Pget_layout(p) != H5D_CHUNKED) goto out;
	if (rank < 1 || rank > 32 || H5Pget_chunk(p, rank, chunk) != rank) goto out;
	if (H5Pget_nfilters(p) != 1) goto out;
	unsigned flags, fc;
	size_t ncd = 7;
	char name[64];
	for (int i = 0; i < 7; i++) cd[i] = 0;
	H5Z_filter_t id = H5Pget_filter2(p, 0, &flags, &ncd, cd, sizeof name, name, &fc);
	if (id != 32001 || ncd < 4) goto out;
	if (ncd < 5) cd[4] = 5; // the filter's defaults
	if (ncd < 6) cd[5] = 1;
	if (ncd < 7) cd[6] = 0;
	int c = qh_native_numeric(d);
	if (c == 0) goto out;
	*code = c;
	ok = 1;
out:
	if (p >= 0) H5Pclose(p);
	H5Eclear2(H5E_DEFAULT);
	return ok;
}

// qb_chunk_size sets *nbytes to the stored size of the chunk at off, 0
// for an unallocated chunk (never leaves an error on the stack).
void qb_chunk_size(hid_t d, const hsize_t *off, hsize_t *nbytes) {
	*nbytes = 0;
	if (H5Dget_chunk_storage_size(d, off, nbytes) < 0) {
		H5Eclear2(H5E_DEFAULT);
		*nbytes = 0;
	}
}

// qb_read_chunk reads the stored bytes of the (allocated) chunk at off
// into buf, of its stored size.
herr_t qb_read_chunk(hid_t d, const hsize_t *off, unsigned *mask, void *buf) {
	uint32_t m = 0;
	herr_t r = H5Dread_chunk(d, H5P_DEFAULT, off, &m, buf);
	*mask = m;
	return r;
}

herr_t qb_write_chunk(hid_t d, const hsize_t *off, unsigned mask, size_t n, const void *buf) {
	return H5Dwrite_chunk(d, H5P_DEFAULT, (uint32_t)mask, off, n, buf);
}
