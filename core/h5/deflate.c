// The deflate filter of this process, in place of libhdf5's own.
//
// libhdf5 1.10 takes whatever its deflate filter returns as the chunk and
// copies the chunk's declared size out of it: a damaged chunk that
// inflates to fewer bytes is read past the end of its buffer (heap garbage
// for small chunks, SIGSEGV in H5Dread for big ones; h5py crashes so on
// such files). Files over the validation child's data limit (validate.go)
// are not read whole before their first open, so this is reachable there.
//
// qh_read tells the filter, for the read it makes, how many bytes every
// chunk of the dataset must inflate to (qh_chunk_expect: the chunk's
// elements times the stored element size, plus four per Fletcher-32 that
// comes before deflate in the pipeline); a chunk that inflates to any other
// size fails the read with libhdf5's "filter returned failure" — a clean
// error instead of an overread. With the size known the chunk is inflated
// in one call (libdeflate when loaded, else zlib; qh_decode_chunk).
//
// Outside qh_read (h5py in the same process, writes that re-read partial
// chunks) the size is unknown and the filter is libhdf5's, step for step:
// zlib inflate into a buffer doubled as needed, and for writes compress2
// at the dataset's level into ceil(n*1.001)+12 bytes, so the bytes stored
// are the ones libhdf5 1.10.8 stores.
//
// libhdf5's public H5Zregister refuses to replace a predefined filter;
// H5Z_register (exported by libhdf5, without that check) replaces the
// table entry in place, as it does for any re-registered filter.
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <zlib.h>
#include "qh.h"

herr_t H5Z_register(const H5Z_class2_t *cls);

static __thread size_t qh_expect;
static __thread size_t qh_short; // the size a chunk of the last qh_read failed to inflate to

// qh_chunk_expect is the size every chunk of d inflates to, or 0 when it is
// not known here (not chunked, not deflated, other filters in the pipeline).
size_t qh_chunk_expect(hid_t d) {
	size_t want = 0;
	hid_t p = H5Dget_create_plist(d);
	if (p < 0) return 0;
	int nf = H5Pget_layout(p) == H5D_CHUNKED ? H5Pget_nfilters(p) : 0;
	int deflate = -1, ok = nf > 0, before = 0;
	for (int i = 0; ok && i < nf; i++) {
		unsigned flags, cd[8], fc;
		size_t ncd = 8;
		char name[8];
		H5Z_filter_t id = H5Pget_filter2(p, (unsigned)i, &flags, &ncd, cd, sizeof name, name, &fc);
		if (id == H5Z_FILTER_DEFLATE && deflate < 0) deflate = i;
		else if (id == H5Z_FILTER_FLETCHER32) before += deflate < 0;
		else if (id != H5Z_FILTER_SHUFFLE) ok = 0;
	}
	hsize_t chunks[32];
	int rank = ok && deflate >= 0 ? H5Pget_chunk(p, 32, chunks) : -1;
	hid_t t = rank > 0 ? H5Dget_type(d) : -1;
	// variable-length data and references are stored in chunks in another
	// form than their type's size says: not checked
	if (t >= 0 && (H5Tdetect_class(t, H5T_VLEN) != 0 || H5Tdetect_class(t, H5T_REFERENCE) != 0 ||
			H5Tis_variable_str(t) != 0)) {
		H5Tclose(t);
		t = -1;
	}
	if (t >= 0) {
		size_t n = H5Tget_size(t);
		for (int i = 0; i < rank && n; i++)
			n = chunks[i] && n <= (size_t)-1 / chunks[i] ? n * (size_t)chunks[i] : 0;
		if (n) want = n + 4 * (size_t)before;
		H5Tclose(t);
	}
	H5Pclose(p);
	return want;
}

// qh_read is H5Dread with the chunk size of d known to the deflate filter.
herr_t qh_read(hid_t d, hid_t mt, hid_t ms, hid_t fs, void *buf) {
	size_t prev = qh_expect;
	qh_expect = qh_chunk_expect(d);
	qh_short = 0;
	herr_t r = H5Dread(d, mt, ms, fs, H5P_DEFAULT, buf);
	qh_expect = prev;
	return r;
}

// qh_take_short reports (and forgets) the chunk size the last qh_read of
// this thread found a chunk not inflating to, or 0.
size_t qh_take_short(void) {
	size_t n = qh_short;
	qh_short = 0;
	return n;
}

static size_t qh_inflate_any(size_t nbytes, size_t *buf_size, void **buf) {
	size_t nalloc = *buf_size ? *buf_size : 1;
	unsigned char *out = malloc(nalloc);
	if (!out) return 0;
	z_stream z;
	memset(&z, 0, sizeof z);
	z.next_in = (Bytef *)*buf;
	z.avail_in = (uInt)nbytes;
	z.next_out = out;
	z.avail_out = (uInt)nalloc;
	if (nbytes > (uInt)-1 || nalloc > (uInt)-1 || inflateInit(&z) != Z_OK) {
		free(out);
		return 0;
	}
	for (;;) {
		int st = inflate(&z, Z_SYNC_FLUSH);
		if (st == Z_STREAM_END) break;
		if (st != Z_OK) goto fail;
		if (z.avail_out == 0) {
			if (nalloc > ((uInt)-1) / 2) goto fail;
			unsigned char *g = realloc(out, nalloc * 2);
			if (!g) goto fail;
			out = g;
			z.next_out = out + nalloc;
			z.avail_out = (uInt)nalloc;
			nalloc *= 2;
		}
	}
	inflateEnd(&z);
	free(*buf);
	*buf = out;
	*buf_size = nalloc;
	return z.total_out;
fail:
	inflateEnd(&z);
	free(out);
	return 0;
}

static size_t qh_deflate_filter(unsigned flags, size_t cd_nelmts, const unsigned cd_values[],
		size_t nbytes, size_t *buf_size, void **buf) {
	if (cd_nelmts != 1 || cd_values[0] > 9) return 0;
	if (flags & H5Z_FLAG_REVERSE) {
		size_t want = qh_expect;
		if (!want) return qh_inflate_any(nbytes, buf_size, buf);
		unsigned char *out = malloc(want);
		if (!out) return 0;
		if (qh_decode_chunk((const unsigned char *)*buf, nbytes, 1, 0, out, want) != 0) {
			free(out);
			qh_short = want;
			return 0; // does not inflate to the chunk's size: damaged
		}
		free(*buf);
		*buf = out;
		*buf_size = want;
		return want;
	}
	uLongf zn = (uLongf)(ceil((double)nbytes * 1.001) + 12.0);
	unsigned char *out = malloc(zn);
	if (!out) return 0;
	if (compress2(out, &zn, (const Bytef *)*buf, (uLong)nbytes, (int)cd_values[0]) != Z_OK) {
		free(out);
		return 0; // does not shrink enough: the optional filter is skipped
	}
	free(*buf);
	*buf = out;
	*buf_size = nbytes;
	return zn;
}

static const H5Z_class2_t qh_deflate_class = {
	H5Z_CLASS_T_VERS, H5Z_FILTER_DEFLATE, 1, 1, "deflate", NULL, NULL, qh_deflate_filter,
};

int qh_register_deflate(void) { return H5Z_register(&qh_deflate_class) < 0 ? -1 : 0; }
