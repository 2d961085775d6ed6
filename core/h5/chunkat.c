// Raw reads of one chunk at a given offset (chunkat.go): the stored bytes
// of any chunk of a dataset whose pipeline Go can undo without libhdf5
// (shuffle, deflate, Fletcher-32, in h5py's order).
#include "qh.h"
#include "chunkat.h"

// qh_chunk_at reports whether the chunk of the chunked dataset d at the
// logical offset off (rank coordinates, a multiple of the chunk dims) can
// be decoded outside libhdf5: the stored type equals the native type of a
// numeric code, the pipeline is a subsequence of [shuffle, deflate,
// fletcher32] in that order, and the chunk is allocated. Sets the type
// code, the chunk dims, the pipeline indices (-1 when absent) and the
// stored size. Returns 1 or 0 (never leaves an error on the stack).
int qh_chunk_at(hid_t d, int rank, const hsize_t *off, int *code, hsize_t *chunk,
                int *shuffle_idx, int *deflate_idx, int *fletcher_idx, hsize_t *nbytes) {
	int ok = 0;
	*shuffle_idx = *deflate_idx = *fletcher_idx = -1;
	*nbytes = 0;
	*code = 0;
	hid_t p = H5Dget_create_plist(d);
	if (p < 0) goto out;
	if (H5Pget_layout(p) != H5D_CHUNKED) goto out;
	if (rank < 1 || rank > 32 || H5Pget_chunk(p, rank, chunk) != rank) goto out;
	int nf = H5Pget_nfilters(p);
	if (nf < 0 || nf > 3) goto out;
	int stage = 0; // 1 shuffle, 2 deflate, 3 fletcher: strictly increasing
	for (int i = 0; i < nf; i++) {
		unsigned flags, cd[8], fc;
		size_t ncd = 8;
		char name[64];
		H5Z_filter_t id = H5Pget_filter2(p, (unsigned)i, &flags, &ncd, cd, sizeof name, name, &fc);
		int s;
		if (id == H5Z_FILTER_SHUFFLE) { s = 1; *shuffle_idx = i; }
		else if (id == H5Z_FILTER_DEFLATE) { s = 2; *deflate_idx = i; }
		else if (id == H5Z_FILTER_FLETCHER32) { s = 3; *fletcher_idx = i; }
		else goto out;
		if (s <= stage) goto out;
		stage = s;
	}
	int c = qh_native_numeric(d);
	if (c == 0) goto out;
	*code = c;
	if (H5Dget_chunk_storage_size(d, off, nbytes) < 0 || *nbytes == 0) goto out;
	ok = 1;
out:
	if (p >= 0) H5Pclose(p);
	H5Eclear2(H5E_DEFAULT);
	return ok;
}

herr_t qh_read_chunk_at(hid_t d, const hsize_t *off, unsigned *mask, void *buf) {
	uint32_t m = 0;
	herr_t r = H5Dread_chunk(d, H5P_DEFAULT, off, &m, buf);
	*mask = m;
	return r;
}
