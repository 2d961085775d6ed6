// N-d attributes and scalar string datasets (hexrd imageseries metadata:
// omega (n, 2), fch5 "dtype"), in the forms h5py writes them.
#include <stdlib.h>
#include <string.h>
#include "qh.h"
#include "nd.h"

// qh_awrite_nd is qh_awrite with an N-d dataspace (rank 0: scalar).
herr_t qh_awrite_nd(hid_t obj, const char *name, const char *tmpname, int kind, int code,
                    size_t size, int rank, const hsize_t *dims, const void *buf) {
	hid_t t = kind == 1 ? qh_vlen_str_type() : (kind == 2 ? qh_fixed_str_type(size) : qh_native(code));
	if (t < 0) return -1;
	hid_t s = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
	if (s < 0) { H5Tclose(t); return -1; }
	hid_t a = H5Acreate2(obj, tmpname, t, s, H5P_DEFAULT, H5P_DEFAULT);
	herr_t r = -1;
	if (a >= 0) {
		r = H5Awrite(a, t, buf);
		H5Aclose(a);
		if (r >= 0) {
			if (H5Aexists(obj, name) > 0) r = H5Adelete(obj, name);
			if (r >= 0) r = H5Arename(obj, tmpname, name);
		} else {
			H5Adelete(obj, tmpname);
		}
	}
	H5Sclose(s);
	H5Tclose(t);
	return r;
}

// qh_aopen_nd opens an attribute and reports its type code (as
// qh_type_code), element size, rank and dims (at most 32).
hid_t qh_aopen_nd(hid_t obj, const char *name, int *code, size_t *size, int *rank, hsize_t *dims) {
	hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
	if (a < 0) return -1;
	hid_t t = H5Aget_type(a);
	*code = qh_type_code(t, size);
	H5Tclose(t);
	hid_t s = H5Aget_space(a);
	int r = H5Sget_simple_extent_ndims(s);
	if (r < 0 || r > 32) { H5Sclose(s); H5Aclose(a); return -1; }
	*rank = r;
	H5Sget_simple_extent_dims(s, dims, NULL);
	H5Sclose(s);
	return a;
}

// qh_dwrite_string writes a scalar variable-length string dataset (h5py's
// form for a Python str; ascii selects H5T_CSET_ASCII as hexrd's fch5
// "dtype" has it).
herr_t qh_dwrite_string(hid_t loc, const char *name, const char *value, int ascii) {
	hid_t t = qh_vlen_str_type();
	if (ascii) H5Tset_cset(t, H5T_CSET_ASCII);
	hid_t s = H5Screate(H5S_SCALAR);
	hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
	H5Pset_obj_track_times(dcpl, 0);
	hid_t d = H5Dcreate2(loc, name, t, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	herr_t r = -1;
	if (d >= 0) {
		const char *v[1] = {value};
		r = H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
		H5Dclose(d);
	}
	H5Pclose(dcpl);
	H5Sclose(s);
	H5Tclose(t);
	return r;
}

// qh_dread_string reads a scalar (or first element of a) string dataset,
// variable or fixed length, into buf and returns the bytes needed without
// the NUL (-1 on error).
ssize_t qh_dread_string(hid_t loc, const char *name, char *buf, size_t size) {
	hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
	if (d < 0) return -1;
	hid_t ft = H5Dget_type(d);
	ssize_t n = -1;
	if (H5Tget_class(ft) == H5T_STRING) {
		hid_t s = H5Dget_space(d);
		hssize_t np = H5Sget_simple_extent_npoints(s);
		if (np >= 1) {
			hid_t ms = H5Screate(H5S_SCALAR);
			hsize_t start[32] = {0}, count[32];
			int rank = H5Sget_simple_extent_ndims(s);
			for (int i = 0; i < rank && i < 32; i++) count[i] = 1;
			if (rank > 0) H5Sselect_hyperslab(s, H5S_SELECT_SET, start, NULL, count, NULL);
			if (H5Tis_variable_str(ft) > 0) {
				// Same character set as stored: libhdf5 does not convert
				// between ASCII and UTF-8.
				hid_t mt = H5Tcopy(ft);
				char *v[1] = {NULL};
				if (qh_read(d, mt, ms, s, v) >= 0 && v[0]) {
					n = (ssize_t)strlen(v[0]);
					if (buf && size > 0) { strncpy(buf, v[0], size - 1); buf[size - 1] = 0; }
					H5free_memory(v[0]);
				}
				H5Tclose(mt);
			} else {
				size_t sz = H5Tget_size(ft);
				char *tmp = calloc(1, sz + 1);
				hid_t mt = H5Tcopy(ft);
				if (tmp && qh_read(d, mt, ms, s, tmp) >= 0) {
					n = (ssize_t)strlen(tmp);
					if (buf && size > 0) { strncpy(buf, tmp, size - 1); buf[size - 1] = 0; }
				}
				H5Tclose(mt);
				free(tmp);
			}
			H5Sclose(ms);
		}
		H5Sclose(s);
	}
	H5Tclose(ft);
	H5Dclose(d);
	return n;
}
