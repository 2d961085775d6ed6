// libdeflate, loaded at run time (Debian's libdeflate0 ships no header in
// the runtime package, so the few prototypes are declared here). Compressor
// and decompressor objects are not thread-safe: each thread keeps its own.
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include "ldeflate.h"

typedef void *(*alloc_c_fn)(int);
typedef size_t (*compress_fn)(void *, const void *, size_t, void *, size_t);
typedef size_t (*bound_fn)(void *, size_t);
typedef void *(*alloc_d_fn)(void);
typedef int (*decompress_fn)(void *, const void *, size_t, void *, size_t, size_t *);

static alloc_c_fn fn_alloc_c;
static compress_fn fn_compress;
static bound_fn fn_bound;
static alloc_d_fn fn_alloc_d;
static decompress_fn fn_decompress;
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
	void *h = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h) return;
	fn_alloc_c = (alloc_c_fn)dlsym(h, "libdeflate_alloc_compressor");
	fn_compress = (compress_fn)dlsym(h, "libdeflate_deflate_compress");
	fn_bound = (bound_fn)dlsym(h, "libdeflate_deflate_compress_bound");
	fn_alloc_d = (alloc_d_fn)dlsym(h, "libdeflate_alloc_decompressor");
	fn_decompress = (decompress_fn)dlsym(h, "libdeflate_deflate_decompress");
	loaded = fn_alloc_c && fn_compress && fn_bound && fn_alloc_d && fn_decompress;
}

int qld_available(void) {
	pthread_once(&once, load);
	return loaded;
}

#define NLEVELS 13
static __thread void *comp[NLEVELS];
static __thread void *decomp;

static void *compressor(int level) {
	if (!qld_available() || level < 0 || level >= NLEVELS) return NULL;
	if (!comp[level]) comp[level] = fn_alloc_c(level);
	return comp[level];
}

// qld_bound is an output size that always suffices, 0 if unavailable.
size_t qld_bound(int level, size_t n) {
	void *c = compressor(level);
	return c ? fn_bound(c, n) : 0;
}

// qld_compress returns the compressed size, 0 when dst is too small or no
// compressor could be made.
size_t qld_compress(int level, const void *src, size_t n, void *dst, size_t cap) {
	void *c = compressor(level);
	return c ? fn_compress(c, src, n, dst, cap) : 0;
}

// qld_decompress returns libdeflate's result (0: success, *got bytes
// written) or -1 when no decompressor could be made.
int qld_decompress(const void *src, size_t n, void *dst, size_t cap, size_t *got) {
	if (!qld_available()) return -1;
	if (!decomp) decomp = fn_alloc_d();
	if (!decomp) return -1;
	return fn_decompress(decomp, src, n, dst, cap, got);
}
