// C helpers of package h5; see capi.go for why they exist.
#include "qh.h"
#include <stdio.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>

#include <stdlib.h>
#include <string.h>

// qh_quiet turns off libhdf5's automatic error printing for the calling
// thread (per thread in thread-safe builds); errors are reported through
// qh_errmsg instead.
void qh_quiet(void) {
	static __thread int quiet;
	if (!quiet) {
		H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
		quiet = 1;
	}
}

void qh_init(void) {
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
	// reads of damaged chunks fail instead of overreading (deflate.c)
	qh_register_deflate();
	// Filter plugins (Blosc for frame caches) live in Debian's plugin
	// directory; add it unless the user chose a path.
	if (!getenv("HDF5_PLUGIN_PATH"))
		H5PLappend("/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins");
}

typedef struct { char *buf; size_t len; size_t used; } qh_errbuf;

static herr_t qh_errwalk(unsigned n, const H5E_error2_t *e, void *data) {
	qh_errbuf *b = (qh_errbuf *)data;
	if (b->used + 4 >= b->len) return 0;
	const char *desc = e->desc ? e->desc : "";
	int w = snprintf(b->buf + b->used, b->len - b->used, "%s%s(): %s",
		b->used ? "; " : "", e->func_name ? e->func_name : "?", desc);
	if (w > 0) {
		b->used += (size_t)w;
		if (b->used >= b->len) b->used = b->len - 1;
	}
	return 0;
}

// qh_errmsg copies the innermost error descriptions of the default stack
// into buf and clears the stack.
void qh_errmsg(char *buf, size_t len) {
	qh_errbuf b = {buf, len, 0};
	buf[0] = 0;
	H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, qh_errwalk, &b);
	H5Eclear2(H5E_DEFAULT);
}

hid_t qh_fopen(const char *name, int rdwr) {
	return H5Fopen(name, rdwr ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT);
}

hid_t qh_fcreate(const char *name, int excl) {
	return H5Fcreate(name, excl ? H5F_ACC_EXCL : H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
}

// qh_fcreate_core creates a file on the core driver without backing store,
// as h5py's File(name, "w", driver="core", backing_store=False) does.
hid_t qh_fcreate_core(const char *name, size_t increment) {
	hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
	if (fapl < 0) return -1;
	if (H5Pset_fapl_core(fapl, increment, 0) < 0) { H5Pclose(fapl); return -1; }
	hid_t f = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
	H5Pclose(fapl);
	return f;
}

int qh_is_core(hid_t f) {
	hid_t fapl = H5Fget_access_plist(f);
	if (fapl < 0) return 0;
	int core = H5Pget_driver(fapl) == H5FD_CORE;
	H5Pclose(fapl);
	return core;
}

// qh_objkind reports the kind of the object at the absolute path p: -1
// none (also when an intermediate group is missing or a link dangles,
// which is no error), else the H5O type (0 group, 1 dataset, 2 named
// type). One lookup: H5Oget_info_by_name fails cleanly on every missing
// component (the error stack is silenced by the lock and cleared here),
// so walking the components with H5Lexists first only costs time.
int qh_objkind(hid_t f, const char *p) {
	H5O_info_t info;
	if (H5Oget_info_by_name2(f, p, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
		H5Eclear2(H5E_DEFAULT);
		return -1;
	}
	return (int)info.type;
}

// qh_objinfo reports the object type (0 group, 1 dataset, 2 named type),
// its reference count (number of hard links) and its address.
int qh_objinfo(hid_t loc, const char *name, int *type, unsigned *rc, haddr_t *addr) {
	H5O_info_t info;
	if (H5Oget_info_by_name2(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
	*type = (int)info.type;
	*rc = info.rc;
	*addr = info.addr;
	return 0;
}

hid_t qh_gcreate(hid_t loc, const char *name) {
	return H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

long long qh_nlinks(hid_t loc, const char *name) {
	hid_t g = H5Gopen2(loc, name, H5P_DEFAULT);
	if (g < 0) return -1;
	H5G_info_t info;
	herr_t r = H5Gget_info(g, &info);
	H5Gclose(g);
	if (r < 0) return -1;
	return (long long)info.nlinks;
}

ssize_t qh_link_name(hid_t loc, const char *group, hsize_t idx, char *buf, size_t size) {
	return H5Lget_name_by_idx(loc, group, H5_INDEX_NAME, H5_ITER_INC, idx, buf, size, H5P_DEFAULT);
}

herr_t qh_delete(hid_t loc, const char *name) {
	return H5Ldelete(loc, name, H5P_DEFAULT);
}

herr_t qh_hardlink(hid_t file, const char *target, const char *name) {
	return H5Lcreate_hard(file, target, file, name, H5P_DEFAULT, H5P_DEFAULT);
}

// Types. Numeric codes match the Go DType constants.
hid_t qh_bool_type(void) {
	hid_t t = H5Tenum_create(H5T_NATIVE_SCHAR);
	if (t < 0) return -1;
	signed char v = 0;
	H5Tenum_insert(t, "FALSE", &v);
	v = 1;
	H5Tenum_insert(t, "TRUE", &v);
	return t;
}

hid_t qh_native(int code) {
	switch (code) {
	case 1: return qh_bool_type();
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

hid_t qh_vlen_str_type(void) {
	hid_t t = H5Tcopy(H5T_C_S1);
	H5Tset_size(t, H5T_VARIABLE);
	H5Tset_cset(t, H5T_CSET_UTF8);
	return t;
}

hid_t qh_fixed_str_type(size_t n) {
	hid_t t = H5Tcopy(H5T_C_S1);
	H5Tset_size(t, n ? n : 1);
	H5Tset_strpad(t, H5T_STR_NULLPAD);
	H5Tset_cset(t, H5T_CSET_ASCII);
	return t;
}

// qh_type_code classifies a stored datatype: 0 unsupported, 1..11 as
// qh_native, 20 vlen string, 21 fixed string.
int qh_type_code(hid_t t, size_t *size) {
	H5T_class_t c = H5Tget_class(t);
	size_t s = H5Tget_size(t);
	*size = s;
	if (c == H5T_STRING) return H5Tis_variable_str(t) > 0 ? 20 : 21;
	if (c == H5T_ENUM) {
		// h5py stores bool as an enum over int8 with FALSE=0, TRUE=1.
		if (H5Tget_nmembers(t) == 2 && s == 1) return 1;
		return 0;
	}
	if (c == H5T_FLOAT) return s == 4 ? 10 : (s == 8 ? 11 : 0);
	if (c == H5T_INTEGER) {
		int sgn = H5Tget_sign(t) == H5T_SGN_2;
		switch (s) {
		case 1: return sgn ? 2 : 3;
		case 2: return sgn ? 4 : 5;
		case 4: return sgn ? 6 : 7;
		case 8: return sgn ? 8 : 9;
		}
	}
	return 0;
}

// Dataset creation. h5py order of filters: shuffle, compression, fletcher32.
hid_t qh_dcpl(int rank, const hsize_t *chunks, int shuffle, int deflate,
		int filter_id, unsigned ncd, const unsigned *cd, int fletcher) {
	hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
	if (dcpl < 0) return -1;
	if (H5Pset_obj_track_times(dcpl, 0) < 0) goto fail;
	if (H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC) < 0) goto fail;
	if (chunks) {
		if (H5Pset_chunk(dcpl, rank, chunks) < 0) goto fail;
		if (shuffle && H5Pset_shuffle(dcpl) < 0) goto fail;
		if (deflate >= 0 && H5Pset_deflate(dcpl, (unsigned)deflate) < 0) goto fail;
		if (filter_id > 0 && H5Pset_filter(dcpl, (H5Z_filter_t)filter_id, H5Z_FLAG_OPTIONAL, ncd, cd) < 0) goto fail;
		if (fletcher && H5Pset_fletcher32(dcpl) < 0) goto fail;
	}
	return dcpl;
fail:
	H5Pclose(dcpl);
	return -1;
}

hid_t qh_dcreate(hid_t loc, const char *name, int code, int rank, const hsize_t *dims,
		const hsize_t *maxdims, hid_t dcpl) {
	hid_t t = qh_native(code);
	if (t < 0) return -1;
	hid_t s = H5Screate_simple(rank, dims, maxdims);
	if (s < 0) { H5Tclose(t); return -1; }
	hid_t d = H5Dcreate2(loc, name, t, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	H5Sclose(s);
	H5Tclose(t);
	return d;
}

// qh_dwrite writes a hyperslab (or all when start is NULL) of an open dataset.
herr_t qh_dwrite(hid_t d, int code, int rank, const hsize_t *start, const hsize_t *count, const void *buf) {
	hid_t t = qh_native(code);
	if (t < 0) return -1;
	herr_t r;
	if (!start) {
		r = H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
	} else {
		hid_t fs = H5Dget_space(d);
		hid_t ms = H5Screate_simple(rank, count, NULL);
		r = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
		if (r >= 0) r = H5Dwrite(d, t, ms, fs, H5P_DEFAULT, buf);
		H5Sclose(ms);
		H5Sclose(fs);
	}
	H5Tclose(t);
	return r;
}

herr_t qh_dread(hid_t d, int code, int rank, const hsize_t *start, const hsize_t *count, void *buf) {
	hid_t t = qh_native(code);
	if (t < 0) return -1;
	herr_t r;
	if (!start) {
		r = qh_read(d, t, H5S_ALL, H5S_ALL, buf);
	} else {
		hid_t fs = H5Dget_space(d);
		hid_t ms = H5Screate_simple(rank, count, NULL);
		r = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
		if (r >= 0) r = qh_read(d, t, ms, fs, buf);
		H5Sclose(ms);
		H5Sclose(fs);
	}
	H5Tclose(t);
	return r;
}

herr_t qh_dextend(hid_t d, int rank, const hsize_t *dims) {
	return H5Dset_extent(d, dims);
}

// qh_dinfo reports type code, element size, rank, dims, maxdims (-1 for unlimited),
// layout (0 compact, 1 contiguous, 2 chunked), chunk dims and the number of filters.
int qh_dinfo(hid_t d, int *code, size_t *size, int *rank, hsize_t *dims, hsize_t *maxdims,
		int *layout, hsize_t *chunks, int *nfilters, int *fill_time, int *alloc_time) {
	hid_t t = H5Dget_type(d);
	if (t < 0) return -1;
	*code = qh_type_code(t, size);
	H5Tclose(t);
	hid_t s = H5Dget_space(d);
	if (s < 0) return -1;
	int r = H5Sget_simple_extent_ndims(s);
	if (r < 0 || r > 32) { H5Sclose(s); return -1; }
	*rank = r;
	H5Sget_simple_extent_dims(s, dims, maxdims);
	H5Sclose(s);
	hid_t p = H5Dget_create_plist(d);
	if (p < 0) return -1;
	*layout = (int)H5Pget_layout(p);
	if (*layout == H5D_CHUNKED) H5Pget_chunk(p, r, chunks);
	*nfilters = H5Pget_nfilters(p);
	H5D_fill_time_t ft; H5D_alloc_time_t at;
	H5Pget_fill_time(p, &ft); H5Pget_alloc_time(p, &at);
	*fill_time = (int)ft; *alloc_time = (int)at;
	H5Pclose(p);
	return 0;
}

int qh_dfilter(hid_t d, unsigned idx, unsigned *flags, size_t *ncd, unsigned *cd, char *name, size_t namelen) {
	hid_t p = H5Dget_create_plist(d);
	if (p < 0) return -1;
	unsigned fc;
	H5Z_filter_t id = H5Pget_filter2(p, idx, flags, ncd, cd, namelen, name, &fc);
	H5Pclose(p);
	return (int)id;
}

hsize_t qh_dstorage(hid_t d) { return H5Dget_storage_size(d); }

// Attributes.
int qh_anum(hid_t obj) {
	H5O_info_t info;
	if (H5Oget_info2(obj, &info, H5O_INFO_NUM_ATTRS) < 0) return -1;
	return (int)info.num_attrs;
}

typedef struct { char *buf; size_t size, used; } qh_names;

static herr_t qh_aname_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data) {
	(void)loc; (void)info;
	qh_names *n = (qh_names *)data;
	size_t l = strlen(name) + 1;
	if (n->used + l <= n->size) memcpy(n->buf + n->used, name, l);
	n->used += l;
	return 0;
}

// qh_anames writes all attribute names, each NUL-terminated, into buf in
// native (storage) order and returns the bytes needed (-1 on error). Native
// order needs no name index: building that index from a damaged object
// header crashes libhdf5 1.10, iterating does not. The caller sorts.
ssize_t qh_anames(hid_t obj, char *buf, size_t size) {
	qh_names n = {buf, size, 0};
	hsize_t idx = 0;
	if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, qh_aname_cb, &n) < 0) return -1;
	return (ssize_t)n.used;
}

int qh_aexists(hid_t obj, const char *name) {
	htri_t r = H5Aexists(obj, name);
	if (r < 0) { H5Eclear2(H5E_DEFAULT); return 0; }
	return r > 0;
}

// qh_ainfo opens an attribute and reports its type code, element size,
// rank and number of elements (rank <= 1 supported by the Go side).
hid_t qh_aopen(hid_t obj, const char *name, int *code, size_t *size, int *rank, hssize_t *n) {
	hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
	if (a < 0) return -1;
	hid_t t = H5Aget_type(a);
	*code = qh_type_code(t, size);
	H5Tclose(t);
	hid_t s = H5Aget_space(a);
	*rank = H5Sget_simple_extent_ndims(s);
	*n = H5Sget_simple_extent_npoints(s);
	H5Sclose(s);
	return a;
}

herr_t qh_aread_native(hid_t a, int code, void *buf) {
	hid_t t = qh_native(code);
	if (t < 0) return -1;
	herr_t r = H5Aread(a, t, buf);
	H5Tclose(t);
	return r;
}

// qh_aread_vlen reads n variable-length strings; the caller frees them with qh_free_vlen.
herr_t qh_aread_vlen(hid_t a, char **out) {
	hid_t t = qh_vlen_str_type();
	herr_t r = H5Aread(a, t, out);
	H5Tclose(t);
	return r;
}

void qh_free_vlen(char **p, size_t n) {
	for (size_t i = 0; i < n; i++) if (p[i]) H5free_memory(p[i]);
}

herr_t qh_aread_fixed(hid_t a, size_t size, void *buf) {
	hid_t t = qh_fixed_str_type(size);
	herr_t r = H5Aread(a, t, buf);
	H5Tclose(t);
	return r;
}

// qh_awrite writes an attribute like h5py 3.x does (AttributeManager.create):
// delete an old attribute of that name, create the new one under its own
// name, write it, and delete it again if the write fails. (h5py 2.x created
// it under a temporary name and renamed it; a rename that changes the
// name's length re-appends the message with the "don't share" flag 0x04,
// which h5py 3.7 files do not have.)
// kind: 0 native numeric (code), 1 vlen strings, 2 fixed string of size.
herr_t qh_awrite(hid_t obj, const char *name, int kind, int code,
		size_t size, int rank, hsize_t n, const void *buf) {
	hid_t t = kind == 1 ? qh_vlen_str_type() : (kind == 2 ? qh_fixed_str_type(size) : qh_native(code));
	if (t < 0) return -1;
	hsize_t dims[1] = {n};
	hid_t s = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, dims, NULL);
	if (s < 0) { H5Tclose(t); return -1; }
	herr_t r = 0;
	htri_t ex = H5Aexists(obj, name);
	if (ex < 0) r = -1;
	else if (ex > 0) r = H5Adelete(obj, name);
	if (r >= 0) {
		hid_t a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
		if (a < 0) {
			r = -1;
		} else {
			r = H5Awrite(a, t, buf);
			H5Aclose(a);
			if (r < 0) H5Adelete(obj, name);
		}
	}
	H5Sclose(s);
	H5Tclose(t);
	return r;
}

// ---- validation of untrusted files -------------------------------------
//
// libhdf5 1.10 can crash (not fail) on damaged object headers, e.g. in
// H5A__attr_release_table while listing attributes. A file that is opened
// for reading is therefore first walked in a forked child: every object,
// its datatype, dataspace, creation properties and attributes. If the child
// dies from a signal, the parent reports the file as corrupt instead of
// crashing the host program later. The child runs C only (no Go runtime)
// and leaves with _exit.

static herr_t qh_validate_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data) {
	(void)info; (void)data;
	hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
	if (a < 0) return 0;
	hid_t t = H5Aget_type(a), s = H5Aget_space(a);
	hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
	if (t >= 0 && n > 0 && n < (1 << 20)) {
		// Read the value as qpgo will: vlen strings through the global heap,
		// everything else as raw bytes of the stored type.
		size_t sz;
		int code = qh_type_code(t, &sz);
		if (code == 20) {
			char **v = calloc((size_t)n, sizeof(char *));
			hid_t mt = qh_vlen_str_type();
			if (v && H5Aread(a, mt, v) >= 0) qh_free_vlen(v, (size_t)n);
			H5Tclose(mt);
			free(v);
		} else if (sz > 0 && sz < (1 << 16)) {
			void *buf = malloc((size_t)n * sz);
			hid_t mt = H5Tget_native_type(t, H5T_DIR_DEFAULT);
			if (buf && mt >= 0) H5Aread(a, mt, buf);
			if (mt >= 0) H5Tclose(mt);
			free(buf);
		}
	}
	if (t >= 0) H5Tclose(t);
	if (s >= 0) H5Sclose(s);
	H5Aclose(a);
	return 0;
}

// qh_vread_data is set in the child when every dataset is also read whole
// (H5Dread through the filters and the chunk index), qh_vmax bounds what
// one such read may allocate, qh_vnomem records that libhdf5 ran out of
// memory (the child's RLIMIT_AS) on the way.
static int qh_vread_data;
static long long qh_vmax;
static int qh_vnomem;
// qh_vdefer_min: a dataset with a filter of its own (not deflate, which is
// qpgo's, shuffle or Fletcher-32) storing more bytes than this is not read
// in the walk (0: every dataset is); core/h5 reads it in a child of its own
// before the first read through libhdf5's filters (qh_ds_deferred). Readers
// that decode such chunks themselves (Blosc frame caches) never pay it.
static long long qh_vdefer_min;

// qh_ds_deferred reports whether the walk leaves dataset d to be read on
// demand (see qh_vdefer_min).
int qh_ds_deferred(hid_t d, long long defer_min) {
	if (defer_min <= 0 || (long long)H5Dget_storage_size(d) <= defer_min) return 0;
	hid_t p = H5Dget_create_plist(d);
	if (p < 0) return 0;
	int n = H5Pget_nfilters(p), foreign = 0;
	for (int i = 0; i < n; i++) {
		unsigned fl, cd[16], fc;
		size_t ncd = 16;
		char nm[8];
		H5Z_filter_t id = H5Pget_filter2(p, (unsigned)i, &fl, &ncd, cd, sizeof nm, nm, &fc);
		if (id != H5Z_FILTER_DEFLATE && id != H5Z_FILTER_SHUFFLE && id != H5Z_FILTER_FLETCHER32) foreign = 1;
	}
	H5Pclose(p);
	return foreign;
}

static herr_t qh_vwalk_err(unsigned n, const H5E_error2_t *e, void *data) {
	(void)n; (void)data;
	if (e->maj_num == H5E_RESOURCE && (e->min_num == H5E_NOSPACE || e->min_num == H5E_CANTALLOC)) qh_vnomem = 1;
	return 0;
}

// qh_validate_read_chunks reads every allocated chunk of the chunked
// dataset o (memory type mt of msz bytes, file space s) one at a time,
// each into a buffer of its own shape, when its chunks do not span the
// trailing dimensions: read whole, libhdf5 would scatter each chunk into
// the strided rows of one buffer element by element (a (N, 2) dataset
// chunked by column, as hexrd's fch5 "indices", took 5x longer so). Every
// chunk still goes through the filters and the chunk index, and only fully
// allocated datasets are read so, so that every chunk position is looked
// up as a whole read would (and the chunk index is walked, as the
// structural walk does). Returns 1 if it read the dataset this way, 0 if
// the caller should read it whole.
static int qh_validate_read_chunks(hid_t o, hid_t mt, size_t msz, hid_t s) {
	hid_t p = H5Dget_create_plist(o);
	if (p < 0) return 0;
	int rank = H5Sget_simple_extent_ndims(s);
	hsize_t dims[32], ch[32], cnt[32], nchunks = 0;
	int strided = 0, ok = H5Pget_layout(p) == H5D_CHUNKED && rank >= 2 && rank <= 32 &&
		H5Pget_chunk(p, rank, ch) == rank && H5Sget_simple_extent_dims(s, dims, NULL) == rank;
	H5Pclose(p);
	for (int i = 1; ok && i < rank; i++) strided |= ch[i] < dims[i];
	// H5Dget_chunk_info(k) walks the index up to k: few chunks only
	if (!ok || !strided || H5Dget_num_chunks(o, s, &nchunks) < 0 || nchunks == 0 || nchunks > 4096) return 0;
	// only a fully allocated dataset: then every chunk position a read can
	// look up in the index is looked up here too
	hsize_t positions = 1;
	for (int i = 0; i < rank && positions <= nchunks; i++) {
		if (ch[i] == 0) return 0;
		positions *= (dims[i] + ch[i] - 1) / ch[i];
	}
	if (positions != nchunks) return 0;
	long long per = (long long)msz;
	for (int i = 0; i < rank && per <= qh_vmax; i++) per *= (long long)ch[i];
	if (per > qh_vmax) return 0;
	void *buf = malloc((size_t)per);
	if (!buf) return 0;
	for (hsize_t k = 0; k < nchunks; k++) {
		hsize_t off[32];
		unsigned fm;
		haddr_t addr;
		hsize_t size;
		if (H5Dget_chunk_info(o, s, k, off, &fm, &addr, &size) < 0) continue;
		int inside = 1;
		for (int i = 0; i < rank; i++) {
			if (off[i] >= dims[i]) inside = 0;
			else cnt[i] = ch[i] < dims[i] - off[i] ? ch[i] : dims[i] - off[i];
		}
		if (!inside) continue;
		hid_t fs = H5Scopy(s);
		hid_t ms = H5Screate_simple(rank, cnt, NULL);
		if (fs >= 0 && ms >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) >= 0 &&
				qh_read(o, mt, ms, fs, buf) < 0)
			H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, qh_vwalk_err, NULL);
		if (ms >= 0) H5Sclose(ms);
		if (fs >= 0) H5Sclose(fs);
	}
	free(buf);
	return 1;
}

// qh_validate_read reads dataset o whole; it returns 1 when it did so
// chunk by chunk (having walked the chunk index).
static int qh_validate_read(hid_t o, hid_t t, hid_t s) {
	hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
	if (t < 0 || n <= 0 || qh_ds_deferred(o, qh_vdefer_min)) return 0;
	size_t sz;
	int code = qh_type_code(t, &sz);
	if (code == 20) {
		if ((long long)n * 16 > qh_vmax) return 0;
		char **v = calloc((size_t)n, sizeof(char *));
		hid_t mt = qh_vlen_str_type();
		if (v && qh_read(o, mt, H5S_ALL, H5S_ALL, v) >= 0) qh_free_vlen(v, (size_t)n);
		else H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, qh_vwalk_err, NULL);
		H5Tclose(mt);
		free(v);
		return 0;
	}
	hid_t mt = H5Tget_native_type(t, H5T_DIR_DEFAULT);
	if (mt < 0) return 0;
	size_t msz = H5Tget_size(mt);
	int walked = 0;
	if (H5Tdetect_class(mt, H5T_VLEN) <= 0 && msz > 0 && (long long)n <= qh_vmax / (long long)msz &&
			!(walked = qh_validate_read_chunks(o, mt, msz, s))) {
		void *buf = malloc((size_t)n * msz);
		if (buf && qh_read(o, mt, H5S_ALL, H5S_ALL, buf) < 0)
			H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, qh_vwalk_err, NULL);
		free(buf);
	}
	H5Tclose(mt);
	return walked;
}

static herr_t qh_validate_obj(hid_t root, const char *name, const H5O_info_t *info, void *data) {
	(void)data;
	hid_t o = H5Oopen(root, name, H5P_DEFAULT);
	if (o < 0) return 0;
	hsize_t idx = 0;
	H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, qh_validate_attr, NULL);
	idx = 0;
	H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_INC, &idx, qh_validate_attr, NULL);
	if (info->type == H5O_TYPE_DATASET) {
		hid_t t = H5Dget_type(o), s = H5Dget_space(o), p = H5Dget_create_plist(o);
		if (p >= 0) { int n = H5Pget_nfilters(p); for (int i = 0; i < n; i++) {
			unsigned fl, cd[16], fc; size_t ncd = 16; char nm[64];
			H5Pget_filter2(p, (unsigned)i, &fl, &ncd, cd, sizeof nm, nm, &fc); } H5Pclose(p); }
		H5Dget_storage_size(o);
		// read first: a chunk-by-chunk read walks the chunk index itself
		if (!(qh_vread_data && qh_validate_read(o, t, s))) {
			hsize_t nchunks = 0;
			hid_t fs = H5Dget_space(o);
			if (fs >= 0 && H5Dget_num_chunks(o, fs, &nchunks) >= 0 && nchunks < (1 << 20)) {
				for (hsize_t i = 0; i < nchunks; i++) {
					hsize_t off[32]; unsigned fm; haddr_t addr; hsize_t size;
					H5Dget_chunk_info(o, fs, i, off, &fm, &addr, &size);
				}
			}
			if (fs >= 0) H5Sclose(fs);
		}
		if (t >= 0) H5Tclose(t);
		if (s >= 0) H5Sclose(s);
	} else if (info->type == H5O_TYPE_GROUP) {
		H5G_info_t gi;
		H5Gget_info(o, &gi);
	}
	H5Oclose(o);
	return 0;
}

// qh_vm_bytes is the calling process's virtual size (RLIMIT_AS counts it).
static long long qh_vm_bytes(void) {
	long long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%lld", &pages) != 1) pages = 0;
		fclose(f);
	}
	return pages * (long long)sysconf(_SC_PAGESIZE);
}

// qh_validate walks the file in a forked child with a deadline of
// timeout_s seconds and at most mem_bytes of memory beyond what the
// process has mapped; with read_data set the child also reads every
// dataset whole (so a chunk index libhdf5 loops on is caught here, not in
// the caller) but those qh_ds_deferred(defer_min) leaves for later; with
// only set, the child reads just the dataset at that path whole. It
// returns 0 if the walk finished (errors are fine: the parent will report
// them), -1 if the child died from a signal, -2 if it
// did not finish in time (it is killed), -3 if libhdf5 ran out of the
// child's memory, 1 if no child could be started.
int qh_validate(const char *name, double timeout_s, long long mem_bytes, int read_data,
		long long defer_min, const char *only) {
	fflush(NULL);
	long long vm = qh_vm_bytes();
	pid_t pid = fork();
	if (pid < 0) return 1;
	if (pid == 0) {
		int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGALRM};
		for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) signal(sigs[i], SIG_DFL);
		// a backstop should the parent be gone; the parent's deadline rules
		alarm((unsigned)timeout_s + 2);
		if (vm > 0 && mem_bytes > 0) {
			struct rlimit rl = {.rlim_cur = (rlim_t)(vm + mem_bytes), .rlim_max = (rlim_t)(vm + mem_bytes)};
			setrlimit(RLIMIT_AS, &rl);
		}
		qh_vread_data = read_data;
		qh_vdefer_min = defer_min;
		qh_vmax = mem_bytes > 0 ? mem_bytes / 2 : (1LL << 30);
		H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
		hid_t f = H5Fopen(name, H5F_ACC_RDONLY, H5P_DEFAULT);
		if (f >= 0 && only) {
			// one deferred dataset, read whole
			qh_vdefer_min = 0;
			qh_validate_obj(f, only, &(H5O_info_t){.type = H5O_TYPE_DATASET}, NULL);
		} else if (f >= 0) {
			H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_NATIVE, qh_validate_obj, NULL, H5O_INFO_BASIC);
			qh_validate_obj(f, ".", &(H5O_info_t){.type = H5O_TYPE_GROUP}, NULL);
		}
		_exit(qh_vnomem ? 3 : 0);
	}
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	// wait for the child's exit on a pidfd (poll wakes when it exits), or,
	// where there is none, by polling every 0.05 ms doubling to 1 ms: a
	// coarser poll made every walk cost up to its next wake-up (a 14 ms walk
	// was seen 25 ms late)
	int pfd = -1;
#ifdef SYS_pidfd_open
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	long sleep_ns = 50000;
	int status = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		clock_gettime(CLOCK_MONOTONIC, &now);
		double el = (double)(now.tv_sec - t0.tv_sec) + 1e-9 * (double)(now.tv_nsec - t0.tv_nsec);
		// a walk seen finished only after the deadline counts as over time
		// too, so the verdict does not depend on when the parent looked
		if (r == pid) {
			if (pfd >= 0) close(pfd);
			if (el > timeout_s) return -2;
			break;
		}
		if (r < 0 && errno != EINTR) {
			if (pfd >= 0) close(pfd);
			return 1;
		}
		if (el > timeout_s) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
			if (pfd >= 0) close(pfd);
			return -2;
		}
		if (pfd >= 0) {
			struct pollfd pd = {.fd = pfd, .events = POLLIN};
			int ms = (int)((timeout_s - el) * 1000.0) + 1;
			poll(&pd, 1, ms < 1000 ? ms : 1000);
		} else {
			struct timespec ts = {0, sleep_ns};
			nanosleep(&ts, NULL);
			if (sleep_ns < 1000000) sleep_ns *= 2;
		}
	}
	if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGALRM ? -2 : -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return -3;
	return 0;
}

// ---- pre-filtered chunk I/O ---------------------------------------------
//
// A disk image dataset is one chunk with the pipeline [deflate(level),
// fletcher32] (see imagedata). Running that pipeline inside libhdf5 keeps
// zlib under the package lock on one core; instead the chunk is filtered
// here, byte for byte as HDF5 1.10.8's filters do it, and handed to
// H5Dwrite_chunk (read: H5Dread_chunk, then qh_decode_chunk).
//
// H5Zdeflate.c (1.10.8) compresses with compress2() into a buffer of
// ceil(nbytes*1.001)+12 bytes; when that fails (Z_BUF_ERROR for data that
// does not shrink enough) the filter returns 0 and, the filter being
// optional, the pipeline leaves the buffer as it was and sets the filter's
// bit in the chunk's filter mask. H5Zfletcher32.c appends
// H5_checksum_fletcher32() of the (compressed) bytes as a little-endian
// uint32. H5_checksum_fletcher32 is exported by libhdf5 (not declared in
// its public headers); it is a pure function of its arguments (it reads
// the buffer and touches no global state), so it is safe without the lock.

#include <zlib.h>
#include <math.h>
#include <dlfcn.h>
#include <pthread.h>

uint32_t H5_checksum_fletcher32(const void *data, size_t len);

#include "fletcher.h"

// qh_fletcher32_lib is libhdf5's own checksum, which the tests compare
// qh_fletcher32_fast (used here) with.
uint32_t qh_fletcher32_lib(const void *buf, size_t len) { return H5_checksum_fletcher32(buf, len); }

int qh_zlib_compress(unsigned char *dst, size_t *dstlen, const void *src, size_t n, int level);

static size_t qh_deflate_size(size_t n) {
	return (size_t)(ceil((double)n * 1.001) + 12.0);
}

// qh_encode_bound is the destination size qh_encode_chunk needs.
size_t qh_encode_bound(size_t n, int level, int fletcher) {
	size_t m = n;
	if (level >= 0) {
		size_t z = qh_deflate_size(n);
		if (z > m) m = z;
	}
	return m + (fletcher ? 4 : 0);
}

// qh_encode_chunk filters n bytes of src into dst (qh_encode_bound bytes):
// deflate at level (level < 0: no deflate filter), then the Fletcher-32
// checksum when fletcher is set. *mask gets bit 0 when the (optional)
// deflate filter failed and was skipped, as libhdf5 records it. Returns 0.
int qh_encode_chunk(const void *src, size_t n, int level, int fletcher,
		unsigned char *dst, size_t *outlen, unsigned *mask) {
	size_t len = n;
	*mask = 0;
	if (level >= 0) {
		size_t zlen = qh_deflate_size(n);
		if (qh_zlib_compress(dst, &zlen, src, n, level) == 0) {
			len = zlen;
		} else {
			// any failure of the optional filter: libhdf5 skips it
			if (n) memcpy(dst, src, n);
			*mask |= 1u;
		}
	} else if (n) {
		memcpy(dst, src, n);
	}
	if (fletcher) {
		uint32_t f = qh_fletcher32_fast(dst, len);
		dst[len] = (unsigned char)(f & 0xff);
		dst[len + 1] = (unsigned char)((f >> 8) & 0xff);
		dst[len + 2] = (unsigned char)((f >> 16) & 0xff);
		dst[len + 3] = (unsigned char)((f >> 24) & 0xff);
		len += 4;
	}
	*outlen = len;
	return 0;
}

// Inflating has exactly one correct result, so any correct inflater will
// do: libdeflate (about twice as fast as zlib) is used when the system has
// it — loaded with dlopen, so it is no link or install dependency — and
// zlib otherwise (QPGO_NO_LIBDEFLATE set: always zlib). libdeflate's
// decompressor objects are not thread-safe: each thread keeps its own
// (about 32 KiB, for the life of the thread).
typedef int (*qh_inflate_fn)(void *d, const void *in, size_t in_n, void *out, size_t out_n, size_t *got);
static qh_inflate_fn qh_fast_fn;
static void *(*qh_alloc_fn)(void);
static pthread_once_t qh_fast_once = PTHREAD_ONCE_INIT;

// Deflating has many correct results: libdeflate's zlib streams differ
// from zlib's but every inflater reads them. At level 9 on float32 image
// data libdeflate is ~2.4x faster than zlib for the same size (±0.5 %), so
// it compresses too unless qh_set_exact_zlib(1) asks for the bytes
// libhdf5's own deflate filter (zlib compress2) would store. Compressor
// objects are per level and not thread-safe: a small mutex-guarded free
// list per level lends them out.
typedef size_t (*qh_deflate_fn)(void *c, const void *in, size_t n, void *out, size_t avail);
static qh_deflate_fn qh_fast_deflate_fn;
static void *(*qh_alloc_comp_fn)(int);
static void (*qh_free_comp_fn)(void *);
static int qh_exact_zlib;

static void qh_fast_load(void) {
	if (getenv("QPGO_NO_LIBDEFLATE")) return;
	void *h = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h) return;
	void *a = dlsym(h, "libdeflate_alloc_decompressor");
	void *f = dlsym(h, "libdeflate_zlib_decompress");
	if (a && f) {
		qh_alloc_fn = (void *(*)(void))a;
		qh_fast_fn = (qh_inflate_fn)f;
	}
	void *ca = dlsym(h, "libdeflate_alloc_compressor");
	void *cf = dlsym(h, "libdeflate_free_compressor");
	void *cz = dlsym(h, "libdeflate_zlib_compress");
	if (ca && cf && cz) {
		qh_alloc_comp_fn = (void *(*)(int))ca;
		qh_free_comp_fn = (void (*)(void *))cf;
		qh_fast_deflate_fn = (qh_deflate_fn)cz;
	}
}

static qh_inflate_fn qh_fast_inflate(void) {
	pthread_once(&qh_fast_once, qh_fast_load);
	return qh_fast_fn;
}

#define QH_POOL 8
static pthread_mutex_t qh_pool_mu = PTHREAD_MUTEX_INITIALIZER;
static void *qh_pool[10][QH_POOL];
static int qh_npool[10];

// qh_set_exact_zlib chooses zlib (on != 0) or libdeflate (when loaded) for
// compression and returns the previous setting.
int qh_set_exact_zlib(int on) {
	pthread_mutex_lock(&qh_pool_mu);
	int was = qh_exact_zlib;
	qh_exact_zlib = on != 0;
	pthread_mutex_unlock(&qh_pool_mu);
	return was;
}

// qh_deflate_engine reports the compressor in use: 1 libdeflate, 0 zlib.
int qh_deflate_engine(void) {
	pthread_once(&qh_fast_once, qh_fast_load);
	pthread_mutex_lock(&qh_pool_mu);
	int fast = qh_fast_deflate_fn != NULL && !qh_exact_zlib;
	pthread_mutex_unlock(&qh_pool_mu);
	return fast;
}

// qh_zlib_compress writes a zlib stream of src (level 0..9) into dst of
// *dstlen bytes and sets *dstlen to its length. Returns 0, or 1 when the
// stream does not fit (then dst holds garbage), as compress2's Z_BUF_ERROR.
int qh_zlib_compress(unsigned char *dst, size_t *dstlen, const void *src, size_t n, int level) {
	if (level >= 1 && level <= 9 && qh_deflate_engine()) {
		void *c = NULL;
		pthread_mutex_lock(&qh_pool_mu);
		if (qh_npool[level] > 0) c = qh_pool[level][--qh_npool[level]];
		pthread_mutex_unlock(&qh_pool_mu);
		if (!c) c = qh_alloc_comp_fn(level);
		if (c) {
			size_t z = qh_fast_deflate_fn(c, src, n, dst, *dstlen);
			pthread_mutex_lock(&qh_pool_mu);
			if (qh_npool[level] < QH_POOL) {
				qh_pool[level][qh_npool[level]++] = c;
				c = NULL;
			}
			pthread_mutex_unlock(&qh_pool_mu);
			if (c) qh_free_comp_fn(c);
			if (z > 0) {
				*dstlen = z;
				return 0;
			}
			// does not fit: let zlib decide, as libhdf5 would
		}
	}
	uLongf zlen = (uLongf)*dstlen;
	if (compress2(dst, &zlen, (const Bytef *)src, (uLong)n, level) != Z_OK) return 1;
	*dstlen = (size_t)zlen;
	return 0;
}

static void *qh_inflater(void) {
	static __thread void *d;
	if (!d) d = qh_alloc_fn();
	return d;
}

// qh_decode_chunk reverses qh_encode_chunk into dst of exactly dstlen
// bytes: verify the checksum when fletcher is set (accepting, as
// H5Zfletcher32.c does, the byte-swapped value of pre-1.6.3 writers), then
// inflate when inflate is set. Returns 0, 1 for a checksum mismatch, 2 for
// an inflate failure and 3 when the result does not have dstlen bytes.
int qh_decode_chunk(const unsigned char *src, size_t n, int inflate, int fletcher,
		void *dst, size_t dstlen) {
	if (fletcher) {
		if (n < 4) return 1;
		n -= 4;
		const unsigned char *p = src + n;
		uint32_t stored = (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
			((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
		uint32_t f = qh_fletcher32_fast(src, n);
		unsigned char c[4];
		memcpy(c, &f, 4);
		unsigned char t = c[1]; c[1] = c[0]; c[0] = t;
		t = c[3]; c[3] = c[2]; c[2] = t;
		uint32_t rev;
		memcpy(&rev, c, 4);
		if (stored != f && stored != rev) return 1;
	}
	if (inflate) {
		qh_inflate_fn fast = qh_fast_inflate();
		void *dec = fast ? qh_inflater() : NULL;
		if (dec) {
			size_t got = 0;
			int st = fast(dec, src, n, dst, dstlen, &got);
			if (st == 0 && got == dstlen) return 0;
			// anything unusual: let zlib decide
		}
		uLongf dl = (uLongf)dstlen;
		uLong sl = (uLong)n;
		int st = uncompress2((Bytef *)dst, &dl, src, &sl);
		if (st != Z_OK) return 2;
		if ((size_t)dl != dstlen) return 3;
		return 0;
	}
	if (n != dstlen) return 3;
	if (n) memcpy(dst, src, n);
	return 0;
}

// qh_single_chunk reports whether dataset d is stored as one allocated
// chunk covering its whole extent, with the stored type equal to the
// native type of code and a pipeline qh_decode_chunk can undo: [deflate],
// [fletcher32] or [deflate, fletcher32] (or none). It sets the pipeline
// indices (-1 when absent) and the chunk's stored size. Returns 1 or 0.
int qh_native_numeric(hid_t d);

int qh_single_chunk(hid_t d, int code, int *deflate_idx, int *fletcher_idx, hsize_t *nbytes) {
	int ok = 0;
	*deflate_idx = *fletcher_idx = -1;
	*nbytes = 0;
	hid_t p = H5Dget_create_plist(d);
	if (p < 0) goto out;
	if (H5Pget_layout(p) != H5D_CHUNKED) goto out;
	hid_t s = H5Dget_space(d);
	if (s < 0) goto out;
	int rank = H5Sget_simple_extent_ndims(s);
	hsize_t dims[32], chunks[32];
	if (rank < 1 || rank > 32 || H5Sget_simple_extent_dims(s, dims, NULL) < 0) { H5Sclose(s); goto out; }
	H5Sclose(s);
	if (H5Pget_chunk(p, rank, chunks) != rank) goto out;
	for (int i = 0; i < rank; i++)
		if (dims[i] == 0 || chunks[i] != dims[i]) goto out;
	int nf = H5Pget_nfilters(p);
	if (nf < 0 || nf > 2) goto out;
	for (int i = 0; i < nf; i++) {
		unsigned flags, cd[8], fc;
		size_t ncd = 8;
		char name[64];
		H5Z_filter_t id = H5Pget_filter2(p, (unsigned)i, &flags, &ncd, cd, sizeof name, name, &fc);
		if (id == H5Z_FILTER_DEFLATE && i == 0) *deflate_idx = i;
		else if (id == H5Z_FILTER_FLETCHER32 && *fletcher_idx < 0) *fletcher_idx = i;
		else goto out;
	}
	if (qh_native_numeric(d) != code) goto out;
	hsize_t off[32] = {0};
	if (H5Dget_chunk_storage_size(d, off, nbytes) < 0 || *nbytes == 0) goto out;
	ok = 1;
out:
	if (p >= 0) H5Pclose(p);
	H5Eclear2(H5E_DEFAULT);
	return ok;
}

herr_t qh_read_chunk(hid_t d, int rank, unsigned *mask, void *buf) {
	hsize_t off[32] = {0};
	(void)rank;
	uint32_t m = 0;
	herr_t r = H5Dread_chunk(d, H5P_DEFAULT, off, &m, buf);
	*mask = m;
	return r;
}

herr_t qh_write_chunk(hid_t d, int rank, unsigned mask, size_t nbytes, const void *buf) {
	hsize_t off[32] = {0};
	(void)rank;
	return H5Dwrite_chunk(d, H5P_DEFAULT, (uint32_t)mask, off, nbytes, buf);
}

// qh_native_numeric returns the numeric type code (1..11) of dataset d
// when its stored type is that code's native type (so its bytes can be
// used as they are), else 0.
int qh_native_numeric(hid_t d) {
	hid_t t = H5Dget_type(d);
	if (t < 0) return 0;
	size_t size;
	int c = qh_type_code(t, &size);
	hid_t n = (c >= 1 && c <= 11) ? qh_native(c) : -1;
	htri_t eq = n >= 0 ? H5Tequal(t, n) : -1;
	H5Tclose(t);
	if (n >= 0) H5Tclose(n);
	return eq > 0 ? c : 0;
}
