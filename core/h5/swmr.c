// SWMR helpers of package h5; see swmr.go. Every function keeps its
// property lists, dataspaces and dataset identifiers local, so no error
// path leaks an identifier.
#include "swmr.h"
#include "qh.h"
#include "shuffle.h"
#include <string.h>
#include <zlib.h>

// swmr_native returns a copy of the native type for a Go DType code
// (the numeric codes only; bool is not appendable).
static hid_t swmr_native(int code) {
	switch (code) {
	case 2: return H5Tcopy(H5T_NATIVE_SCHAR);
	case 3: return H5Tcopy(H5T_NATIVE_UCHAR);
	case 4: return H5Tcopy(H5T_NATIVE_SHORT);
	case 5: return H5Tcopy(H5T_NATIVE_USHORT);
	case 6: return H5Tcopy(H5T_NATIVE_INT);
	case 7: return H5Tcopy(H5T_NATIVE_UINT);
	case 8: return H5Tcopy(H5T_NATIVE_LLONG);
	case 9: return H5Tcopy(H5T_NATIVE_ULLONG);
	case 10: return H5Tcopy(H5T_NATIVE_FLOAT);
	case 11: return H5Tcopy(H5T_NATIVE_DOUBLE);
	}
	return -1;
}

// qh_swmr_create creates (truncates) a file in the latest file format
// (superblock 3, version-2 object headers), which SWMR requires.
hid_t qh_swmr_create(const char *name) {
	hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
	if (fapl < 0) return -1;
	if (H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST) < 0) {
		H5Pclose(fapl);
		return -1;
	}
	hid_t f = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
	H5Pclose(fapl);
	return f;
}

herr_t qh_swmr_start(hid_t f) { return H5Fstart_swmr_write(f); }

// qh_swmr_open_read opens a file read-only for SWMR reading. It also opens
// a file whose writer died (superblock status flags still set), which a
// plain open refuses with "file is already open for write".
hid_t qh_swmr_open_read(const char *name) {
	return H5Fopen(name, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, H5P_DEFAULT);
}

// qh_swmr_intent returns 1 for a file open for SWMR writing, 2 for SWMR
// reading, 0 otherwise (as opened in this process: every identifier on
// the file shares the flags), -1 on error.
int qh_swmr_intent(hid_t f) {
	unsigned intent = 0;
	if (H5Fget_intent(f, &intent) < 0) return -1;
	if (intent & H5F_ACC_SWMR_WRITE) return 1;
	if (intent & H5F_ACC_SWMR_READ) return 2;
	return 0;
}

// qh_swmr_refresh makes a SWMR reader see the dataset's current extent and
// chunk index (H5Drefresh). In a process that has the file open for
// writing, every identifier shares the writer's metadata cache, which is
// always current: there the refresh is skipped (evicting the writer's
// entries would only cost time).
herr_t qh_swmr_refresh(hid_t f, const char *name) {
	unsigned intent = 0;
	if (H5Fget_intent(f, &intent) < 0) return -1;
	if (intent & H5F_ACC_RDWR) return 0;
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	if (d < 0) return -1;
	herr_t r = (intent & H5F_ACC_SWMR_READ) ? H5Drefresh(d) : 0;
	H5Dclose(d);
	return r;
}

herr_t qh_swmr_dflush(hid_t f, const char *name) {
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	if (d < 0) return -1;
	herr_t r = H5Dflush(d);
	H5Dclose(d);
	return r;
}

// qh_swmr_clear_flags is `h5clear -s`: it opens the file read/write with
// the file-access property h5clear itself uses ("clear_status_flags", a
// library-private property present in every HDF5 1.10 file-access list),
// which resets the superblock status flags a killed writer left set.
herr_t qh_swmr_clear_flags(const char *name) {
	hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
	if (fapl < 0) return -1;
	hbool_t clear = 1;
	if (H5Pset(fapl, "clear_status_flags", &clear) < 0) {
		H5Pclose(fapl);
		return -1;
	}
	hid_t f = H5Fopen(name, H5F_ACC_RDWR, fapl);
	H5Pclose(fapl);
	if (f < 0) return -1;
	return H5Fclose(f);
}

// qh_swmr_append grows axis 0 of a chunked dataset by one and writes buf
// (of the frame shape dims[1..rank-1], type code) into the new row. It
// returns the new length of axis 0, or -1.
long long qh_swmr_append(hid_t f, const char *name, int code, int rank, const hsize_t *frame, const void *buf) {
	if (rank < 1 || rank > 32) return -1;
	hid_t t = swmr_native(code);
	if (t < 0) return -1;
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	if (d < 0) { H5Tclose(t); return -1; }
	long long out = -1;
	hsize_t dims[32], start[32], count[32];
	hid_t fs = H5Dget_space(d), ms = -1;
	if (fs < 0 || H5Sget_simple_extent_ndims(fs) != rank) goto done;
	if (H5Sget_simple_extent_dims(fs, dims, NULL) < 0) goto done;
	for (int i = 1; i < rank; i++)
		if (dims[i] != frame[i - 1]) goto done;
	H5Sclose(fs);
	fs = -1;
	dims[0] += 1;
	if (H5Dset_extent(d, dims) < 0) goto done;
	if ((fs = H5Dget_space(d)) < 0) goto done;
	start[0] = dims[0] - 1;
	count[0] = 1;
	for (int i = 1; i < rank; i++) {
		start[i] = 0;
		count[i] = dims[i];
	}
	if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0) goto done;
	if ((ms = H5Screate_simple(rank, count, NULL)) < 0) goto done;
	if (H5Dwrite(d, t, ms, fs, H5P_DEFAULT, buf) < 0) goto done;
	out = (long long)dims[0];
done:
	if (ms >= 0) H5Sclose(ms);
	if (fs >= 0) H5Sclose(fs);
	H5Dclose(d);
	H5Tclose(t);
	return out;
}

// qh_swmr_len returns the extent of axis 0, -1 on error.
long long qh_swmr_len(hid_t f, const char *name) {
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	if (d < 0) return -1;
	hid_t fs = H5Dget_space(d);
	long long out = -1;
	hsize_t dims[32];
	if (fs >= 0 && H5Sget_simple_extent_ndims(fs) >= 1 && H5Sget_simple_extent_ndims(fs) <= 32 &&
			H5Sget_simple_extent_dims(fs, dims, NULL) >= 0)
		out = (long long)dims[0];
	if (fs >= 0) H5Sclose(fs);
	H5Dclose(d);
	return out;
}

// qh_swmr_read_row reads row `row` of axis 0 (n elements, type code).
herr_t qh_swmr_read_row(hid_t f, const char *name, int code, hsize_t row, void *buf, hsize_t n) {
	hid_t t = swmr_native(code);
	if (t < 0) return -1;
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	if (d < 0) { H5Tclose(t); return -1; }
	herr_t r = -1;
	hsize_t dims[32], start[32], count[32], total = 1;
	hid_t ms = -1, fs = H5Dget_space(d);
	int rank = fs >= 0 ? H5Sget_simple_extent_ndims(fs) : -1;
	if (rank < 1 || rank > 32 || H5Sget_simple_extent_dims(fs, dims, NULL) < 0) goto done;
	if (row >= dims[0]) goto done;
	start[0] = row;
	count[0] = 1;
	for (int i = 1; i < rank; i++) {
		start[i] = 0;
		count[i] = dims[i];
		total *= dims[i];
	}
	if (total != n) goto done;
	if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0) goto done;
	if ((ms = H5Screate_simple(rank, count, NULL)) < 0) goto done;
	r = qh_read(d, t, ms, fs, buf);
done:
	if (ms >= 0) H5Sclose(ms);
	if (fs >= 0) H5Sclose(fs);
	H5Dclose(d);
	H5Tclose(t);
	return r;
}

size_t qh_swmr_encode_bound(size_t nbytes) { return (size_t)compressBound((uLong)nbytes); }

// qh_swmr_encode applies HDF5's shuffle filter (byte planes: byte 0 of
// every element, then byte 1, …) into tmp (nbytes) and then its deflate
// filter (a zlib stream: qh_zlib_compress) into dst of
// qh_swmr_encode_bound(nbytes) bytes. Returns 0, or -1 on a zlib error.
int qh_swmr_encode(const void *src, size_t nbytes, size_t elemsize, int level,
		unsigned char *tmp, unsigned char *dst, size_t *outlen) {
	const unsigned char *s = src;
	if (elemsize > 1) {
		qh_shuffle(tmp, src, nbytes, elemsize);
		s = tmp;
	}
	size_t len = (size_t)compressBound((uLong)nbytes);
	if (qh_zlib_compress(dst, &len, s, nbytes, level) != 0) return -1;
	*outlen = len;
	return 0;
}

// qh_swmr_append_chunk grows axis 0 of a dataset whose chunk is one whole
// row (chunks (1, d1, …)) and writes the pre-filtered chunk buf of nbytes
// into the new row with H5Dwrite_chunk (mask: filters skipped). Returns
// the new length of axis 0, or -1.
long long qh_swmr_append_chunk(hid_t f, const char *name, uint32_t mask, size_t nbytes, const void *buf) {
	hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
	if (d < 0) return -1;
	long long out = -1;
	hsize_t dims[32], off[32];
	hid_t fs = H5Dget_space(d);
	int rank = fs >= 0 ? H5Sget_simple_extent_ndims(fs) : -1;
	if (rank < 1 || rank > 32 || H5Sget_simple_extent_dims(fs, dims, NULL) < 0) goto done;
	dims[0] += 1;
	if (H5Dset_extent(d, dims) < 0) goto done;
	memset(off, 0, sizeof off);
	off[0] = dims[0] - 1;
	if (H5Dwrite_chunk(d, H5P_DEFAULT, mask, off, nbytes, buf) < 0) goto done;
	out = (long long)dims[0];
done:
	if (fs >= 0) H5Sclose(fs);
	H5Dclose(d);
	return out;
}
