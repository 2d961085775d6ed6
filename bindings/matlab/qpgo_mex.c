/* qpgo_mex.c: the one MEX gateway of the qpgo MATLAB/Octave binding.
 *
 *   out = qpgo_mex(command, args...)
 *
 * Plain MATLAB MEX C API (compiles with MATLAB's `mex` and with Octave's
 * `mkoctfile --mex`); links against libqpgo.so. Handles cross as int64
 * scalars. Arrays cross in MATLAB's own orientation: a MATLAB array of
 * size [d1 d2 ... dk] becomes a C-order (row-major) buffer of dims
 * [d1 d2 ... dk], so A(i,j) in MATLAB is image[i-1][j-1] in qpgo.
 *
 * Every non-zero qpgo result code raises
 *   mexErrMsgIdAndTxt("qpgo:<codeName>", "%s", qpgo_errmsg())
 * with the code names of the table `codes` below. Argument errors found
 * by the gateway itself raise qpgo:badArgument. All temporary memory is
 * mxMalloc'd so that it is released when an error unwinds the call.
 *
 * Commands (h: int64 handle):
 *   'version'                         -> char  (library version)
 *   'version_number'                  -> double
 *   'header_version'                  -> char  (QPGO_VERSION_STRING compiled in)
 *   'close_all'                       -> double (handles closed; what the
 *        gateway's mexAtExit does when Octave/MATLAB exits)
 *   'qpi_new', which, data, bg, opts [, dims] -> h
 *        which: char; data: real double array (complex allowed for
 *        which='field'); bg: [] or like data; opts: JSON char ('' = defaults);
 *        dims: optional double vector overriding size(data) (numel must match)
 *   'qpi_open', path [, mode]         -> h
 *   'qpi_close', h
 *   'qpi_copy', h [, path]            -> h2   ('' or absent: in memory)
 *   'qpi_shape', h                    -> [rows cols]
 *   'qpi_dtype', h                    -> 'float32' | 'float64'
 *   'qpi_get', h, prop                -> rows x cols double (complex for 'field');
 *        prop: pha amp bg_pha bg_amp raw_pha raw_amp field
 *   'qpi_get_bg', h, image, key       -> rows x cols double
 *   'qpi_meta_json', h [, key]        -> char (typed JSON)
 *   'qpi_set_meta', h, json
 *   'qpi_set_meta_double', h, key, value
 *   'qpi_set_meta_string', h, key, value
 *   'qpi_has_meta', h, key            -> logical
 *   'qpi_info', h                     -> char (JSON list of [name, value, type])
 *   'qpi_repr', h                     -> char
 *   'qpi_set_bg_data', h, which, data [, proc_phase [, dims]]   (data [] removes)
 *   'qpi_clear_bg', h, which [, keys] -> char (warnings, one per line)
 *   'qpi_slice', h, ranges            -> h2  (ranges: n x 3 double, start/stop/step
 *        resolved as Python slice.indices, 0-based)
 *   'qpi_equal', h1, h2               -> logical
 *   'qpi_compute_bg', h, options_json [, from_mask] -> rows x cols logical mask used
 *        (from_mask: [] or rows x cols logical/double, non-zero = use pixel)
 *   'qpi_check', h [, checks]         (checks: 'attributes,background'; '' = both)
 *   'qpi_check_file', path [, checks]
 *   'qpi_refocus', h, distance, options_json -> h2
 *
 * Series (index0: 0-based; the classdefs convert MATLAB's 1-based indices):
 *   'qps_new'|'fls_new', options_json  -> h
 *   'qps_open'|'fls_open'|'fli_open', path [, mode] -> h
 *   'qps_close'|'fls_close'|'fli_close'|'ims_close', h
 *   'qps_len'|'fls_len'|'ims_len', h   -> double
 *   'qps_add', h, qpi, identifier [, bg_from_idx0]   ('' identifier: inherit;
 *        bg_from_idx0 [] or absent: none)
 *   'fls_add', h, fli, identifier
 *   'qps_get'|'fls_get', h, index0 | identifier -> member view handle
 *   'qps_contains'|'fls_contains', h, identifier -> logical
 *   'qps_identifier'|'fls_identifier', h -> char
 *   'qps_identifiers_json'|'fls_identifiers_json', h -> char (JSON array)
 * FLImage:
 *   'fli_new', data_or_empty, bg_or_empty, options_json -> h (2-D doubles)
 *   'fli_copy', h [, path] -> h2;  'fli_shape', h -> [rows cols];
 *   'fli_dtype', h -> char;  'fli_get', h, prop (fl raw_fl bg_fl) -> double
 *   'fli_set_bg_data', h, data | [] | int64 FLImage handle
 *   'fli_set_meta', h, json;  'fli_meta_json', h [, key] -> char
 *   'fli_has_meta', h, key -> logical;  'fli_info'|'fli_repr', h -> char
 *   'fli_equal', h1, h2 -> logical
 *   'fls_bleach', h, options_json [, flscorr_or_empty [, progress]]
 *        -> [bg, flint, decay, times, ncalls]  (column vectors)
 *   'fls_denoise', h, options_json [, progress] -> ncalls
 *        progress: [] or a function handle f(done, total) returning a
 *        logical scalar (true cancels -> qpgo:cancelled) or a struct with
 *        identifier/message (an error of the user's callback, raised after
 *        the library call returned). It is called through mexCallMATLAB
 *        from the C callback, on the MATLAB thread (the call is
 *        synchronous); errors are trapped so nothing unwinds through libqpgo.
 * ImageSeries (arrays in their own class; MATLAB rows x cols [x nframes]):
 *   'ims_open', filename, format, options_json -> h
 *   'ims_from_array', data, meta_json -> h   (numeric, not logical)
 *   'ims_shape', h -> [rows cols];  'ims_dtype', h -> 'uint16', 'float32', ...
 *   'ims_frame', h, index0 -> rows x cols of the series class
 *   'ims_metadata_json', h -> char (typed JSON)
 *   'ims_metadata_keys_json', h -> char (JSON list of {name, kind, ...})
 *   'ims_metadata_array', h, key -> array of the reversed shape, its class
 *        (C-order bytes; permute(a, ndim:-1:1) gives the shape)
 *   'ims_omega_wedges_json', h -> char (JSON list of wedges, 0-based first_frame)
 *   'ims_omega_to_frame', h, omega -> [frame0 wedge0] ([-1 -1]: none)
 *   'ims_omega_range_to_frames', h, omin, omax -> 1 x n double (0-based)
 *   'ims_process', h, ops_json [, frame_list0] -> h2
 *   'ims_stats', h, which, percentile, nframes -> rows x cols double
 *   'ims_write', h, filename, format, options_json
 *
 * Build (Octave): mkoctfile --mex -I<repo>/include qpgo_mex.c -L<build> -lqpgo
 *   -Wl,-rpath,<build>. Use Octave's default (separate complex) API: Octave
 *   7.3's -R2018a interleaved mode allocates complex arrays from
 *   mxCreateDoubleMatrix(..., mxCOMPLEX) at half their size (heap overflow
 *   in Octave itself, reproducible with a 5-line MEX). MATLAB: mex works
 *   with both -R2017b and -R2018a (MX_HAS_INTERLEAVED_COMPLEX paths).
 */
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include "mex.h"
#include "qpgo.h"

/* ---- error handling ---------------------------------------------------- */

/* One table: result code -> MATLAB error identifier. */
static const struct { int code; const char *id; } codes[] = {
    {QPGO_ERR_INTERNAL, "qpgo:internal"},
    {QPGO_ERR_ARG, "qpgo:badArgument"},
    {QPGO_ERR_KEY, "qpgo:unknownKey"},
    {QPGO_ERR_NOT_FOUND, "qpgo:notFound"},
    {QPGO_ERR_META_MISSING, "qpgo:metaDataMissing"},
    {QPGO_ERR_IO, "qpgo:io"},
    {QPGO_ERR_INTEGRITY, "qpgo:integrity"},
    {QPGO_ERR_CANCELLED, "qpgo:cancelled"},
    {QPGO_ERR_HANDLE, "qpgo:badHandle"},
    {QPGO_ERR_UNSUPPORTED, "qpgo:unsupported"},
    {QPGO_ERR_BUFFER, "qpgo:buffer"},
    {QPGO_ERR_RUNTIME, "qpgo:runtime"},
};

static const char *code_id(int rc) {
    size_t i;
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (codes[i].code == rc) return codes[i].id;
    return "qpgo:internal";
}

/* check raises the MATLAB error of a non-zero result code. */
static void check(int rc) {
    const char *m;
    char *copy;
    size_t n;
    if (rc == QPGO_OK) return;
    m = qpgo_errmsg();
    if (m == NULL || m[0] == '\0') m = "qpgo error without message";
    n = strlen(m);
    copy = (char *)mxMalloc(n + 1); /* errmsg is thread storage: copy it */
    memcpy(copy, m, n + 1);
    mexErrMsgIdAndTxt(code_id(rc), "%s", copy);
}

static const char *g_cmd = "";

static void bad(const char *fmt, const char *detail) {
    char msg[512];
    snprintf(msg, sizeof msg, fmt, detail);
    mexErrMsgIdAndTxt("qpgo:badArgument", "%s: %s", g_cmd, msg);
}

static void nargs(int nrhs, int lo, int hi, const char *usage) {
    if (nrhs - 1 < lo || nrhs - 1 > hi) bad("wrong number of arguments; usage: %s", usage);
}

/* ---- argument conversion ----------------------------------------------- */

static char *arg_string(const mxArray *a, const char *name) {
    char *s;
    if (!mxIsChar(a)) bad("%s must be a char array (text)", name);
    if (mxGetNumberOfElements(a) == 0) {
        s = (char *)mxMalloc(1);
        s[0] = '\0';
        return s;
    }
    if (mxGetM(a) != 1 && mxGetNumberOfElements(a) != 0) bad("%s must be a char row vector", name);
    s = mxArrayToString(a); /* mxMalloc'd */
    if (s == NULL) bad("%s could not be converted to text", name);
    return s;
}

static double arg_scalar(const mxArray *a, const char *name) {
    if (!mxIsNumeric(a) && !mxIsLogical(a)) bad("%s must be a real numeric scalar", name);
    if (mxIsComplex(a)) bad("%s must be real, not complex", name);
    if (mxGetNumberOfElements(a) != 1) bad("%s must be a scalar", name);
    return mxGetScalar(a);
}

static qpgo_handle arg_handle(const mxArray *a) {
    double d;
    if (mxIsInt64(a) && !mxIsComplex(a) && mxGetNumberOfElements(a) == 1)
        return *(const int64_t *)mxGetData(a);
    if (mxIsDouble(a) && !mxIsComplex(a) && mxGetNumberOfElements(a) == 1) {
        d = mxGetScalar(a);
        if (d == (double)(int64_t)d) return (qpgo_handle)d;
    }
    bad("%s must be an int64 scalar handle", "handle");
    return 0;
}

static mxArray *handle_out(qpgo_handle h) {
    mxArray *r = mxCreateNumericMatrix(1, 1, mxINT64_CLASS, mxREAL);
    *(int64_t *)mxGetData(r) = h;
    return r;
}

static double *real_part(const mxArray *a) {
#if MX_HAS_INTERLEAVED_COMPLEX
    return mxGetDoubles(a);
#else
    return mxGetPr(a);
#endif
}

/* An input array in C order: buf holds n (or 2n interleaved) doubles. */
typedef struct {
    double *buf;
    int ndim;
    int64_t dims[8];
} carray;

/* to_c_order copies the column-major array src (dims d[0..k-1]) into dst
 * in row-major order with the same dims; stride/offset for interleaving. */
static void to_c_order(const double *src, size_t srcstride, const int64_t *d, int k,
                       double *dst, int stride, int offset) {
    int64_t cs[8], sub[8], n = 1, m, ci = 0;
    int i;
    for (i = 0; i < k; i++) n *= d[i];
    if (n == 0) return;
    cs[k - 1] = 1;
    for (i = k - 2; i >= 0; i--) cs[i] = cs[i + 1] * d[i + 1];
    for (i = 0; i < k; i++) sub[i] = 0;
    for (m = 0; m < n; m++) {
        dst[ci * stride + offset] = src[m * srcstride];
        for (i = 0; i < k; i++) { /* advance the column-major subscript */
            sub[i]++;
            ci += cs[i];
            if (sub[i] < d[i]) break;
            ci -= sub[i] * cs[i];
            sub[i] = 0;
        }
    }
}

/* arg_array converts a data argument. complex_ok: interleave (re, im)
 * pairs (field layout; real input gets zero imaginary parts). dims_arg:
 * optional explicit dims. */
static carray arg_array(const mxArray *a, const char *name, int complex_ok, const mxArray *dims_arg) {
    carray c;
    mwSize k = mxGetNumberOfDimensions(a);
    const mwSize *md = mxGetDimensions(a);
    size_t n = mxGetNumberOfElements(a), i;
    int64_t prod = 1;
    if (!mxIsDouble(a) || mxIsSparse(a)) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must be a full double array, got class %s", name, mxGetClassName(a));
        bad("%s", msg);
    }
    if (mxIsComplex(a) && !complex_ok) bad("%s must be real; complex data needs which_data 'field'", name);
    if (n == 0) bad("%s is empty", name);
    if (dims_arg != NULL && !mxIsEmpty(dims_arg)) {
        const double *dd;
        size_t nd = mxGetNumberOfElements(dims_arg);
        if (!mxIsDouble(dims_arg) || mxIsComplex(dims_arg) || nd < 1 || nd > 8)
            bad("dims must be a real double vector of 1..8 elements%s", "");
        dd = real_part(dims_arg);
        c.ndim = (int)nd;
        for (i = 0; i < nd; i++) {
            if (dd[i] < 0 || dd[i] != (double)(int64_t)dd[i]) bad("dims must hold non-negative integers%s", "");
            c.dims[i] = (int64_t)dd[i];
            prod *= c.dims[i];
        }
        if ((size_t)prod != n) bad("prod(dims) must equal numel(%s)", name);
    } else {
        if (k > 8) bad("%s has more than 8 dimensions", name);
        c.ndim = (int)k;
        for (i = 0; i < (size_t)k; i++) c.dims[i] = (int64_t)md[i];
    }
    c.buf = (double *)mxMalloc((complex_ok ? 2 : 1) * n * sizeof(double));
    if (complex_ok) {
#if MX_HAS_INTERLEAVED_COMPLEX
        if (mxIsComplex(a)) {
            const double *z = (const double *)mxGetComplexDoubles(a);
            to_c_order(z, 2, c.dims, c.ndim, c.buf, 2, 0);
            to_c_order(z + 1, 2, c.dims, c.ndim, c.buf, 2, 1);
        } else {
            const double *re = mxGetDoubles(a);
            to_c_order(re, 1, c.dims, c.ndim, c.buf, 2, 0);
            for (i = 0; i < n; i++) c.buf[2 * i + 1] = 0.0;
        }
#else
        to_c_order(mxGetPr(a), 1, c.dims, c.ndim, c.buf, 2, 0);
        if (mxIsComplex(a)) {
            to_c_order(mxGetPi(a), 1, c.dims, c.ndim, c.buf, 2, 1);
        } else {
            for (i = 0; i < n; i++) c.buf[2 * i + 1] = 0.0;
        }
#endif
    } else {
        to_c_order(real_part(a), 1, c.dims, c.ndim, c.buf, 1, 0);
    }
    return c;
}

/* ---- outputs ------------------------------------------------------------ */

static void shape_of(qpgo_handle h, int64_t *dims) {
    check(qpi_shape(h, dims));
}

/* image_out builds a rows x cols MATLAB array from a C-order buffer
 * (backgrounds and statistics; images and frames are written in MATLAB
 * order by the library itself: qpi_get_colmajor, ims_get_frame_colmajor). */
static mxArray *image_out(const double *c, int64_t rows, int64_t cols) {
    mxArray *r = mxCreateDoubleMatrix((mwSize)rows, (mwSize)cols, mxREAL);
    double *o = real_part(r);
    int64_t i, j;
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) o[i + j * rows] = c[i * cols + j];
    return r;
}

typedef int (*strfn)(qpgo_handle, char *, int64_t, int64_t *);

/* string_out runs a (buf, buflen, needed) function: size query, then fill. */
static mxArray *string_out(qpgo_handle h, strfn f) {
    int64_t need = 0;
    char *buf;
    int tries;
    for (tries = 0; tries < 4; tries++) {
        check(f(h, NULL, 0, &need));
        if (need < 1) need = 1;
        buf = (char *)mxMalloc((size_t)need);
        {
            int rc = f(h, buf, need, &need);
            if (rc == QPGO_ERR_BUFFER) continue; /* value grew in between */
            check(rc);
        }
        return mxCreateString(buf);
    }
    check(QPGO_ERR_BUFFER);
    return NULL;
}

/* A (key, buf, buflen, needed) function bound to a key argument (the meta
 * JSON of one key, or of all with key NULL), for string_out. */
typedef int (*metafn)(qpgo_handle, const char *, char *, int64_t, int64_t *);
static metafn g_meta;
static const char *g_key;
static int meta_json_fn(qpgo_handle h, char *buf, int64_t n, int64_t *need) {
    return g_meta(h, g_key, buf, n, need);
}
/* ---- QPSeries / FLImage / FLSeries / ImageSeries helpers ---------------- */


static int64_t arg_int(const mxArray *a, const char *name) {
    double d = arg_scalar(a, name);
    if (d != (double)(int64_t)d) bad("%s must be an integer", name);
    return (int64_t)d;
}

/* arg_image2d converts a real 2-D double image (FLImage data). */
static carray arg_image2d(const mxArray *a, const char *name) {
    if (mxGetNumberOfDimensions(a) != 2) bad("%s must be a 2-D array", name);
    return arg_array(a, name, 0, NULL);
}

static mxArray *column_out(const double *v, int64_t n) {
    mxArray *r = mxCreateDoubleMatrix((mwSize)n, 1, mxREAL);
    if (n > 0) memcpy(real_part(r), v, (size_t)n * sizeof(double));
    return r;
}

/* ---- dtypes -------------------------------------------------------------- */

static const struct { int code; mxClassID cls; size_t size; const char *name; } dtypes[] = {
    {QPGO_BOOL, mxLOGICAL_CLASS, 1, "bool"},
    {QPGO_INT8, mxINT8_CLASS, 1, "int8"},     {QPGO_UINT8, mxUINT8_CLASS, 1, "uint8"},
    {QPGO_INT16, mxINT16_CLASS, 2, "int16"},  {QPGO_UINT16, mxUINT16_CLASS, 2, "uint16"},
    {QPGO_INT32, mxINT32_CLASS, 4, "int32"},  {QPGO_UINT32, mxUINT32_CLASS, 4, "uint32"},
    {QPGO_INT64, mxINT64_CLASS, 8, "int64"},  {QPGO_UINT64, mxUINT64_CLASS, 8, "uint64"},
    {QPGO_FLOAT32, mxSINGLE_CLASS, 4, "float32"}, {QPGO_FLOAT64, mxDOUBLE_CLASS, 8, "float64"},
};
#define NDTYPES (sizeof(dtypes) / sizeof(dtypes[0]))

static int dtype_index_code(int code) {
    size_t i;
    for (i = 0; i < NDTYPES; i++)
        if (dtypes[i].code == code) return (int)i;
    return -1;
}

static int dtype_index_class(mxClassID c) {
    size_t i;
    for (i = 0; i < NDTYPES; i++)
        if (dtypes[i].cls == c) return (int)i;
    return -1;
}

/* ---- progress callback: calls a MATLAB function handle ----------------- */

/* The MATLAB side passes a function handle f(done, total) that never
 * throws: it returns a logical scalar (true = cancel) or, when the user's
 * callback failed, a struct with fields identifier and message. The C
 * callback runs on the MATLAB thread (the qpgo call is synchronous), so
 * mexCallMATLAB is allowed; it must not raise (no longjmp through the Go
 * frames), hence the WithTrap variant. */
typedef struct {
    mxArray *fn;
    int64_t calls;
    int failed;
    char id[128];
    char msg[1024];
} progress_ctx;

/* copy_field reads a text field of a struct (Octave's trap result) or a
 * property of an object (MATLAB's MException). */
static void copy_field(const mxArray *s, const char *f, char *dst, size_t n) {
    mxArray *v = mxIsStruct(s) ? mxGetField(s, 0, f) : mxGetProperty(s, 0, f);
    dst[0] = '\0';
    if (v != NULL && mxIsChar(v)) mxGetString(v, dst, (mwSize)n);
}

static int progress_cb(int64_t done, int64_t total, void *user) {
    progress_ctx *c = (progress_ctx *)user;
    mxArray *in[3], *out[1] = {NULL}, *exc;
    int stop = 0;
    c->calls++;
    if (c->failed) return 1;
    in[0] = c->fn;
    in[1] = mxCreateDoubleScalar((double)done);
    in[2] = mxCreateDoubleScalar((double)total);
    exc = mexCallMATLABWithTrap(1, out, 3, in, "feval");
    mxDestroyArray(in[1]);
    mxDestroyArray(in[2]);
    if (exc != NULL) {
        c->failed = 1;
        copy_field(exc, "identifier", c->id, sizeof c->id);
        copy_field(exc, "message", c->msg, sizeof c->msg);
        if (c->msg[0] == '\0') snprintf(c->msg, sizeof c->msg, "progress callback failed");
        return 1;
    }
    if (out[0] != NULL) {
        if (mxIsStruct(out[0])) {
            c->failed = 1;
            copy_field(out[0], "identifier", c->id, sizeof c->id);
            copy_field(out[0], "message", c->msg, sizeof c->msg);
            stop = 1;
        } else if ((mxIsLogical(out[0]) || mxIsNumeric(out[0])) && mxGetNumberOfElements(out[0]) == 1) {
            stop = mxGetScalar(out[0]) != 0.0;
        }
        mxDestroyArray(out[0]);
    }
    return stop;
}

/* progress_arg: [] -> no callback; a function handle -> ctx. */
static qpgo_progress_fn progress_arg(const mxArray *a, progress_ctx *c) {
    memset(c, 0, sizeof *c);
    if (a == NULL || mxIsEmpty(a)) return NULL;
    if (mxGetClassID(a) != mxFUNCTION_CLASS) bad("progress must be a function handle or []%s", "");
    c->fn = (mxArray *)a;
    return progress_cb;
}

/* progress_check: after the qpgo call; an error of the callback itself
 * wins over the QPGO_ERR_CANCELLED it caused. */
static void progress_check(int rc, const progress_ctx *c) {
    if (c->failed)
        mexErrMsgIdAndTxt(c->id[0] ? c->id : "qpgo:callbackError", "%s", c->msg);
    check(rc);
}

/* ---- extension commands ----------------------------------------------- */

/* ---- handle families ------------------------------------------------------
 * The commands that several handle families share ('<prefix>_close',
 * '<prefix>_meta_json', ...) run one handler each, bound here to the
 * family's C functions; NULL: the family has no such command. */

typedef struct {
    const char *prefix;
    int (*open)(const char *, const char *, qpgo_handle *);
    int (*close)(qpgo_handle);
    int (*copy)(qpgo_handle, const char *, qpgo_handle *);
    int (*shape)(qpgo_handle, int64_t *);
    int (*dtype)(qpgo_handle, int *);
    metafn meta_json;
    int (*set_meta)(qpgo_handle, const char *);
    int (*has_meta)(qpgo_handle, const char *, int *);
    strfn info, repr;
    int (*equal)(qpgo_handle, qpgo_handle, int *);
    int (*new_series)(const char *, qpgo_handle *);
    int (*len)(qpgo_handle, int64_t *);
    int (*get)(qpgo_handle, int64_t, qpgo_handle *);
    int (*get_by_id)(qpgo_handle, const char *, qpgo_handle *);
    int (*contains)(qpgo_handle, const char *, int *);
    strfn identifier, identifiers_json;
} family;

static const family families[] = {
    {.prefix = "qpi", .open = qpi_open, .close = qpi_close, .copy = qpi_copy, .shape = qpi_shape,
     .dtype = qpi_dtype, .meta_json = qpi_get_meta_json, .set_meta = qpi_set_meta,
     .has_meta = qpi_has_meta, .info = qpi_info, .repr = qpi_repr, .equal = qpi_equal},
    {.prefix = "fli", .open = fli_open, .close = fli_close, .copy = fli_copy, .shape = fli_shape,
     .dtype = fli_dtype, .meta_json = fli_get_meta_json, .set_meta = fli_set_meta,
     .has_meta = fli_has_meta, .info = fli_info, .repr = fli_repr, .equal = fli_equal},
    {.prefix = "qps", .open = qps_open, .close = qps_close, .new_series = qps_new, .len = qps_len,
     .get = qps_get_qpimage, .get_by_id = qps_get_qpimage_by_id, .contains = qps_contains,
     .identifier = qps_identifier, .identifiers_json = qps_identifiers_json},
    {.prefix = "fls", .open = fls_open, .close = fls_close, .new_series = fls_new, .len = fls_len,
     .get = fls_get_flimage, .get_by_id = fls_get_flimage_by_id, .contains = fls_contains,
     .identifier = fls_identifier, .identifiers_json = fls_identifiers_json},
    {.prefix = "ims", .close = ims_close, .len = ims_len, .shape = ims_shape, .dtype = ims_dtype},
};

/* usage text "qpgo_mex('<cmd>', args)" of a family command */
static const char *usage_of(const char *args) {
    static char u[160];
    snprintf(u, sizeof u, "qpgo_mex('%s'%s)", g_cmd, args);
    return u;
}

static int dispatch_family(const char *cmd, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    const family *f = NULL;
    const char *op = NULL;
    size_t i;
    for (i = 0; i < sizeof(families) / sizeof(families[0]) && f == NULL; i++) {
        size_t n = strlen(families[i].prefix);
        if (!strncmp(cmd, families[i].prefix, n) && cmd[n] == '_') {
            f = &families[i];
            op = cmd + n + 1;
        }
    }
    if (f == NULL) return 0;
    if (!strcmp(op, "open") && f->open) {
        qpgo_handle h = 0;
        char *path, *mode;
        nargs(nrhs, 1, 2, usage_of(", path [, mode]"));
        path = arg_string(prhs[1], "path");
        mode = nrhs > 2 ? arg_string(prhs[2], "mode") : NULL;
        check(f->open(path, mode, &h));
        plhs[0] = handle_out(h);
    } else if (!strcmp(op, "new") && f->new_series) {
        qpgo_handle h = 0;
        nargs(nrhs, 1, 1, usage_of(", options_json"));
        check(f->new_series(arg_string(prhs[1], "options_json"), &h));
        plhs[0] = handle_out(h);
    } else if (!strcmp(op, "close") && f->close) {
        nargs(nrhs, 1, 1, usage_of(", h"));
        check(f->close(arg_handle(prhs[1])));
    } else if (!strcmp(op, "copy") && f->copy) {
        char *path = NULL;
        qpgo_handle h2 = 0;
        nargs(nrhs, 1, 2, usage_of(", h [, path]"));
        if (nrhs > 2) path = arg_string(prhs[2], "path");
        check(f->copy(arg_handle(prhs[1]), path, &h2));
        plhs[0] = handle_out(h2);
    } else if (!strcmp(op, "shape") && f->shape) {
        int64_t dims[2];
        double *o;
        nargs(nrhs, 1, 1, usage_of(", h"));
        check(f->shape(arg_handle(prhs[1]), dims));
        plhs[0] = mxCreateDoubleMatrix(1, 2, mxREAL);
        o = real_part(plhs[0]);
        o[0] = (double)dims[0];
        o[1] = (double)dims[1];
    } else if (!strcmp(op, "dtype") && f->dtype) {
        int dt = 0, k;
        nargs(nrhs, 1, 1, usage_of(", h"));
        check(f->dtype(arg_handle(prhs[1]), &dt));
        k = dtype_index_code(dt);
        plhs[0] = mxCreateString(k < 0 ? "other" : dtypes[k].name);
    } else if (!strcmp(op, "meta_json") && f->meta_json) {
        nargs(nrhs, 1, 2, usage_of(", h [, key]"));
        g_key = nrhs > 2 ? arg_string(prhs[2], "key") : NULL;
        g_meta = f->meta_json;
        plhs[0] = string_out(arg_handle(prhs[1]), meta_json_fn);
    } else if (!strcmp(op, "set_meta") && f->set_meta) {
        nargs(nrhs, 2, 2, usage_of(", h, json"));
        check(f->set_meta(arg_handle(prhs[1]), arg_string(prhs[2], "json")));
    } else if ((!strcmp(op, "has_meta") && f->has_meta) || (!strcmp(op, "contains") && f->contains)) {
        int has = 0;
        int meta = op[0] == 'h';
        qpgo_handle h;
        nargs(nrhs, 2, 2, usage_of(meta ? ", h, key" : ", h, identifier"));
        h = arg_handle(prhs[1]);
        check((meta ? f->has_meta : f->contains)(h, arg_string(prhs[2], meta ? "key" : "identifier"), &has));
        plhs[0] = mxCreateLogicalScalar(has != 0);
    } else if (!strcmp(op, "equal") && f->equal) {
        int eq = 0;
        qpgo_handle a, b;
        nargs(nrhs, 2, 2, usage_of(", h1, h2"));
        a = arg_handle(prhs[1]);
        b = arg_handle(prhs[2]);
        check(f->equal(a, b, &eq));
        plhs[0] = mxCreateLogicalScalar(eq != 0);
    } else if (!strcmp(op, "len") && f->len) {
        int64_t n = 0;
        nargs(nrhs, 1, 1, usage_of(", h"));
        check(f->len(arg_handle(prhs[1]), &n));
        plhs[0] = mxCreateDoubleScalar((double)n);
    } else if (!strcmp(op, "get") && f->get) {
        qpgo_handle h, out = 0;
        nargs(nrhs, 2, 2, usage_of(", h, index0_or_identifier"));
        h = arg_handle(prhs[1]);
        if (mxIsChar(prhs[2]))
            check(f->get_by_id(h, arg_string(prhs[2], "identifier"), &out));
        else
            check(f->get(h, arg_int(prhs[2], "index"), &out));
        plhs[0] = handle_out(out);
    } else {
        /* the (h) -> char commands */
        strfn fn = !strcmp(op, "info") ? f->info
                 : !strcmp(op, "repr") ? f->repr
                 : !strcmp(op, "identifier") ? f->identifier
                 : !strcmp(op, "identifiers_json") ? f->identifiers_json : NULL;
        if (fn == NULL) return 0;
        nargs(nrhs, 1, 1, usage_of(", h"));
        plhs[0] = string_out(arg_handle(prhs[1]), fn);
    }
    return 1;
}

static int dispatch_ext(const char *cmd, int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    /* QPImage: refocus */
    if (!strcmp(cmd, "qpi_refocus")) {
        qpgo_handle h, h2 = 0;
        double dist;
        nargs(nrhs, 3, 3, "qpgo_mex('qpi_refocus', h, distance, options_json)");
        h = arg_handle(prhs[1]);
        dist = arg_scalar(prhs[2], "distance");
        check(qpi_refocus(h, dist, arg_string(prhs[3], "options_json"), &h2));
        plhs[0] = handle_out(h2);
    /* QPSeries */
    } else if (!strcmp(cmd, "qps_add") || !strcmp(cmd, "fls_add")) {
        qpgo_handle h, img;
        char *id;
        nargs(nrhs, 3, 4, "qpgo_mex('qps_add', h, qpi, identifier [, bg_from_idx0]) | qpgo_mex('fls_add', h, fli, identifier)");
        h = arg_handle(prhs[1]);
        img = arg_handle(prhs[2]);
        id = arg_string(prhs[3], "identifier");
        if (cmd[0] == 'q') {
            int has = nrhs > 4 && !mxIsEmpty(prhs[4]);
            int64_t idx = has ? arg_int(prhs[4], "bg_from_idx") : 0;
            check(qps_add_qpimage(h, img, id[0] ? id : NULL, idx, has));
        } else {
            if (nrhs > 4) bad("fls_add takes no bg_from_idx%s", "");
            check(fls_add_flimage(h, img, id[0] ? id : NULL));
        }
    /* FLImage */
    } else if (!strcmp(cmd, "fli_new")) {
        carray d, b;
        qpgo_handle h = 0;
        nargs(nrhs, 3, 3, "qpgo_mex('fli_new', data_or_empty, bg_or_empty, options_json)");
        d.buf = NULL;
        d.ndim = 0;
        b.buf = NULL;
        if (!mxIsEmpty(prhs[1])) d = arg_image2d(prhs[1], "data");
        if (!mxIsEmpty(prhs[2])) {
            if (d.buf == NULL) bad("bg_data needs data%s", "");
            b = arg_image2d(prhs[2], "bg_data");
            if (b.dims[0] != d.dims[0] || b.dims[1] != d.dims[1]) bad("bg_data must have the size of data%s", "");
        }
        check(fli_new(d.buf, d.ndim, d.buf ? d.dims : NULL, b.buf, arg_string(prhs[3], "options_json"), &h));
        plhs[0] = handle_out(h);
    } else if (!strcmp(cmd, "fli_get")) {
        qpgo_handle h;
        char *prop;
        int64_t dims[2];
        nargs(nrhs, 2, 2, "qpgo_mex('fli_get', h, prop)");
        h = arg_handle(prhs[1]);
        prop = arg_string(prhs[2], "prop");
        check(fli_shape(h, dims));
        plhs[0] = mxCreateDoubleMatrix((mwSize)dims[0], (mwSize)dims[1], mxREAL);
        check(fli_get_colmajor(h, prop, real_part(plhs[0]), dims[0] * dims[1]));
    } else if (!strcmp(cmd, "fli_set_bg_data")) {
        qpgo_handle h;
        carray d;
        nargs(nrhs, 2, 2, "qpgo_mex('fli_set_bg_data', h, data_or_empty_or_handle)");
        h = arg_handle(prhs[1]);
        if (mxIsEmpty(prhs[2])) {
            check(fli_set_bg_data(h, NULL, 0, NULL));
        } else if (mxIsInt64(prhs[2])) {
            check(fli_set_bg_data_fli(h, arg_handle(prhs[2])));
        } else {
            d = arg_array(prhs[2], "bg_data", 0, NULL);
            check(fli_set_bg_data(h, d.buf, d.ndim, d.dims));
        }
    /* FLSeries processing */
    } else if (!strcmp(cmd, "fls_bleach")) {
        qpgo_handle h, corr = 0;
        char *opts;
        int64_t n = 0;
        double bg = 0, *flint, *decay, *times;
        progress_ctx ctx;
        qpgo_progress_fn pf;
        int rc;
        nargs(nrhs, 2, 4, "qpgo_mex('fls_bleach', h, options_json [, flscorr_or_0 [, progress_or_empty]])");
        h = arg_handle(prhs[1]);
        opts = arg_string(prhs[2], "options_json");
        if (nrhs > 3 && !mxIsEmpty(prhs[3])) corr = arg_handle(prhs[3]);
        pf = progress_arg(nrhs > 4 ? prhs[4] : NULL, &ctx);
        check(fls_len(h, &n));
        flint = (double *)mxMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        decay = (double *)mxMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        times = (double *)mxMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        rc = fls_bleach_correction(h, opts, corr, &bg, flint, decay, times, n, pf, &ctx);
        progress_check(rc, &ctx);
        /* plhs holds max(nlhs, 1) slots */
        plhs[0] = mxCreateDoubleScalar(bg);
        if (nlhs > 1) plhs[1] = column_out(flint, n);
        if (nlhs > 2) plhs[2] = column_out(decay, n);
        if (nlhs > 3) plhs[3] = column_out(times, n);
        if (nlhs > 4) plhs[4] = mxCreateDoubleScalar((double)ctx.calls);
    } else if (!strcmp(cmd, "fls_denoise")) {
        qpgo_handle h;
        char *opts;
        progress_ctx ctx;
        qpgo_progress_fn pf;
        int rc;
        nargs(nrhs, 2, 3, "qpgo_mex('fls_denoise', h, options_json [, progress_or_empty])");
        h = arg_handle(prhs[1]);
        opts = arg_string(prhs[2], "options_json");
        pf = progress_arg(nrhs > 3 ? prhs[3] : NULL, &ctx);
        rc = fls_denoise(h, opts, pf, &ctx);
        progress_check(rc, &ctx);
        plhs[0] = mxCreateDoubleScalar((double)ctx.calls);
    /* ImageSeries */
    } else if (!strcmp(cmd, "ims_open")) {
        qpgo_handle h = 0;
        char *fname, *fmt, *opts;
        nargs(nrhs, 3, 3, "qpgo_mex('ims_open', filename, format, options_json)");
        fname = arg_string(prhs[1], "filename");
        fmt = arg_string(prhs[2], "format");
        opts = arg_string(prhs[3], "options_json");
        check(ims_open(fname, fmt, opts, &h));
        plhs[0] = handle_out(h);
    } else if (!strcmp(cmd, "ims_frame")) {
        /* the library writes the frame in MATLAB order into the mxArray */
        qpgo_handle h;
        int64_t idx, dims[2];
        int dt = 0, k;
        nargs(nrhs, 2, 2, "qpgo_mex('ims_frame', h, index0)");
        h = arg_handle(prhs[1]);
        idx = arg_int(prhs[2], "index");
        check(ims_shape(h, dims));
        check(ims_dtype(h, &dt));
        k = dtype_index_code(dt);
        if (k < 0) check(QPGO_ERR_UNSUPPORTED);
        if (dtypes[k].cls == mxLOGICAL_CLASS)
            plhs[0] = mxCreateLogicalMatrix((mwSize)dims[0], (mwSize)dims[1]);
        else
            plhs[0] = mxCreateNumericMatrix((mwSize)dims[0], (mwSize)dims[1], dtypes[k].cls, mxREAL);
        if (dims[0] * dims[1] > 0)
            check(ims_get_frame_colmajor(h, idx, mxGetData(plhs[0]), dims[0] * dims[1] * (int64_t)dtypes[k].size));
    } else if (!strcmp(cmd, "ims_metadata_keys_json")) {
        nargs(nrhs, 1, 1, "qpgo_mex('ims_metadata_keys_json', h)");
        plhs[0] = string_out(arg_handle(prhs[1]), ims_metadata_keys_json);
    } else if (!strcmp(cmd, "ims_metadata_array")) {
        /* the array's C-order bytes as a MATLAB array of the reversed
         * shape (what permute(a, ndim:-1:1) turns into the shape) */
        qpgo_handle h;
        char *key;
        int dt = 0, nd = 0, k, i;
        int64_t dims[32], n = 1;
        mwSize md[32];
        nargs(nrhs, 2, 2, "qpgo_mex('ims_metadata_array', h, key)");
        h = arg_handle(prhs[1]);
        key = arg_string(prhs[2], "key");
        check(ims_metadata_array_info(h, key, &dt, &nd, dims, 32));
        k = dtype_index_code(dt);
        if (k < 0) check(QPGO_ERR_UNSUPPORTED);
        md[0] = 1;
        md[1] = 1;
        for (i = 0; i < nd; i++) {
            md[i] = (mwSize)dims[nd - 1 - i];
            n *= dims[i];
        }
        if (nd == 1) md[1] = 1;
        if (dtypes[k].cls == mxLOGICAL_CLASS)
            plhs[0] = mxCreateLogicalArray(nd < 2 ? 2 : (mwSize)nd, md);
        else
            plhs[0] = mxCreateNumericArray(nd < 2 ? 2 : (mwSize)nd, md, dtypes[k].cls, mxREAL);
        if (n > 0) check(ims_metadata_array(h, key, mxGetData(plhs[0]), n * (int64_t)dtypes[k].size));
    } else if (!strcmp(cmd, "ims_omega_wedges_json")) {
        nargs(nrhs, 1, 1, "qpgo_mex('ims_omega_wedges_json', h)");
        plhs[0] = string_out(arg_handle(prhs[1]), ims_omega_wedges_json);
    } else if (!strcmp(cmd, "ims_omega_to_frame")) {
        qpgo_handle h;
        int64_t fr = -1, w = -1;
        double *o;
        nargs(nrhs, 2, 2, "qpgo_mex('ims_omega_to_frame', h, omega)");
        h = arg_handle(prhs[1]);
        check(ims_omega_to_frame(h, arg_scalar(prhs[2], "omega"), &fr, &w));
        plhs[0] = mxCreateDoubleMatrix(1, 2, mxREAL);
        o = real_part(plhs[0]);
        o[0] = (double)fr;
        o[1] = (double)w;
    } else if (!strcmp(cmd, "ims_omega_range_to_frames")) {
        qpgo_handle h;
        double omin, omax, *o;
        int64_t count = 0, *fr, i;
        nargs(nrhs, 3, 3, "qpgo_mex('ims_omega_range_to_frames', h, omin, omax)");
        h = arg_handle(prhs[1]);
        omin = arg_scalar(prhs[2], "omin");
        omax = arg_scalar(prhs[3], "omax");
        check(ims_omega_range_to_frames(h, omin, omax, NULL, 0, &count));
        fr = (int64_t *)mxMalloc((size_t)(count > 0 ? count : 1) * sizeof(int64_t));
        check(ims_omega_range_to_frames(h, omin, omax, fr, count, &count));
        plhs[0] = mxCreateDoubleMatrix(1, (mwSize)count, mxREAL);
        o = real_part(plhs[0]);
        for (i = 0; i < count; i++) o[i] = (double)fr[i];
    } else if (!strcmp(cmd, "ims_metadata_json")) {
        nargs(nrhs, 1, 1, "qpgo_mex('ims_metadata_json', h)");
        plhs[0] = string_out(arg_handle(prhs[1]), ims_metadata_json);
    } else if (!strcmp(cmd, "ims_from_array")) {
        const mxArray *a;
        mwSize nd;
        const mwSize *md;
        int64_t dims[3], R, C, N, i, j, f;
        int k;
        size_t es;
        unsigned char *buf;
        const unsigned char *src;
        qpgo_handle h = 0;
        nargs(nrhs, 2, 2, "qpgo_mex('ims_from_array', data, meta_json)");
        a = prhs[1];
        k = dtype_index_class(mxGetClassID(a));
        if (k < 0 || mxIsComplex(a) || mxIsSparse(a) || dtypes[k].code == QPGO_BOOL)
            bad("data must be a real numeric array (double, single, int*, uint*), got class %s", mxGetClassName(a));
        nd = mxGetNumberOfDimensions(a);
        md = mxGetDimensions(a);
        if (nd > 3) bad("data must be rows x cols or rows x cols x nframes%s", "");
        if (mxIsEmpty(a)) bad("data is empty%s", "");
        R = (int64_t)md[0];
        C = (int64_t)md[1];
        N = nd == 3 ? (int64_t)md[2] : 1;
        es = dtypes[k].size;
        buf = (unsigned char *)mxMalloc((size_t)(R * C * N) * es);
        src = (const unsigned char *)mxGetData(a);
        for (f = 0; f < N; f++)
            for (j = 0; j < C; j++)
                for (i = 0; i < R; i++)
                    memcpy(buf + (size_t)(f * R * C + i * C + j) * es, src + (size_t)(i + j * R + f * R * C) * es, es);
        if (nd == 3) {
            dims[0] = N; dims[1] = R; dims[2] = C;
        } else {
            dims[0] = R; dims[1] = C;
        }
        check(ims_from_array(buf, dtypes[k].code, nd == 3 ? 3 : 2, dims, arg_string(prhs[2], "meta_json"), &h));
        plhs[0] = handle_out(h);
    } else if (!strcmp(cmd, "ims_process")) {
        qpgo_handle h, h2 = 0;
        char *ops;
        int64_t *fl = NULL, n = 0, i;
        nargs(nrhs, 2, 3, "qpgo_mex('ims_process', h, ops_json [, frame_list0])");
        h = arg_handle(prhs[1]);
        ops = arg_string(prhs[2], "ops_json");
        if (nrhs > 3 && !mxIsEmpty(prhs[3])) {
            const mxArray *a = prhs[3];
            const double *d;
            if (!mxIsDouble(a) || mxIsComplex(a)) bad("frame_list must be a real double vector%s", "");
            n = (int64_t)mxGetNumberOfElements(a);
            d = real_part(a);
            fl = (int64_t *)mxMalloc((size_t)n * sizeof(int64_t));
            for (i = 0; i < n; i++) {
                if (d[i] != (double)(int64_t)d[i]) bad("frame_list must hold integers%s", "");
                fl[i] = (int64_t)d[i];
            }
        }
        check(ims_process(h, ops, fl, n, &h2));
        plhs[0] = handle_out(h2);
    } else if (!strcmp(cmd, "ims_stats")) {
        qpgo_handle h;
        char *which;
        double pctl;
        int64_t nf, dims[2], n;
        double *buf;
        nargs(nrhs, 4, 4, "qpgo_mex('ims_stats', h, which, percentile, nframes)");
        h = arg_handle(prhs[1]);
        which = arg_string(prhs[2], "which");
        pctl = arg_scalar(prhs[3], "percentile");
        nf = arg_int(prhs[4], "nframes");
        check(ims_shape(h, dims));
        n = dims[0] * dims[1];
        buf = (double *)mxMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        check(ims_stats(h, which, pctl, nf, buf, n));
        plhs[0] = image_out(buf, dims[0], dims[1]);
    } else if (!strcmp(cmd, "ims_write")) {
        qpgo_handle h;
        char *fname, *fmt;
        nargs(nrhs, 4, 4, "qpgo_mex('ims_write', h, filename, format, options_json)");
        h = arg_handle(prhs[1]);
        fname = arg_string(prhs[2], "filename");
        fmt = arg_string(prhs[3], "format");
        check(ims_write(h, fname, fmt, arg_string(prhs[4], "options_json")));
    } else {
        return 0;
    }
    return 1;
}

/* ---- unloading ----------------------------------------------------------
 * The gateway stays loaded (mexLock) from its first call on, so that `clear
 * mex` / `clear functions` cannot invalidate the handles of live objects;
 * when the host exits (or the gateway is unloaded anyway), at_exit closes
 * every handle still open, newest first, so files are flushed and closed
 * even for objects whose delete never ran (reference cycles, objects held
 * by function workspaces at exit). A classdef delete that runs later finds
 * its handle closed: HandleBase.delete ignores that. */
static int g_registered = 0;

static void at_exit(void) {
    int64_t n = 0;
    (void)qpgo_close_all(&n);
}


/* ---- commands ----------------------------------------------------------- */

void mexFunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    char *cmd;
    (void)nlhs;
    g_cmd = "";
    if (!g_registered) {
        g_registered = 1;
        mexAtExit(at_exit);
        mexLock();
    }
    if (nrhs < 1 || !mxIsChar(prhs[0]))
        mexErrMsgIdAndTxt("qpgo:badArgument", "usage: qpgo_mex(command, args...): command must be text");
    cmd = mxArrayToString(prhs[0]);
    if (cmd == NULL) mexErrMsgIdAndTxt("qpgo:badArgument", "qpgo_mex: bad command string");
    g_cmd = cmd;

    if (!strcmp(cmd, "version")) {
        nargs(nrhs, 0, 0, "qpgo_mex('version')");
        plhs[0] = mxCreateString(qpgo_version());
    } else if (!strcmp(cmd, "version_number")) {
        nargs(nrhs, 0, 0, "qpgo_mex('version_number')");
        plhs[0] = mxCreateDoubleScalar((double)qpgo_version_number());
    } else if (!strcmp(cmd, "close_all")) {
        int64_t n = 0;
        nargs(nrhs, 0, 0, "qpgo_mex('close_all')");
        check(qpgo_close_all(&n));
        plhs[0] = mxCreateDoubleScalar((double)n);
    } else if (!strcmp(cmd, "header_version")) {
        nargs(nrhs, 0, 0, "qpgo_mex('header_version')");
        plhs[0] = mxCreateString(QPGO_VERSION_STRING);
    } else if (!strcmp(cmd, "qpi_new")) {
        char *which, *opts;
        carray d, b;
        int field;
        qpgo_handle h = 0;
        nargs(nrhs, 4, 5, "qpgo_mex('qpi_new', which_data, data, bg_data_or_empty, options_json [, dims])");
        which = arg_string(prhs[1], "which_data");
        field = strcmp(which, "field") == 0;
        d = arg_array(prhs[2], "data", field, nrhs > 5 ? prhs[5] : NULL);
        b.buf = NULL;
        if (!mxIsEmpty(prhs[3])) {
            b = arg_array(prhs[3], "bg_data", field, nrhs > 5 ? prhs[5] : NULL);
            if (b.ndim != d.ndim || memcmp(b.dims, d.dims, sizeof(int64_t) * d.ndim) != 0)
                bad("bg_data must have the same size as data%s", "");
        }
        opts = arg_string(prhs[4], "options_json");
        check(qpi_new(which, d.buf, d.ndim, d.dims, b.buf, opts, &h));
        plhs[0] = handle_out(h);
    } else if (!strcmp(cmd, "qpi_get")) {
        /* one library call fills the mxArray in MATLAB order (no copy) */
        qpgo_handle h;
        char *prop;
        int64_t dims[2];
        int cplx;
        double *re, *im = NULL;
        nargs(nrhs, 2, 2, "qpgo_mex('qpi_get', h, prop)");
        h = arg_handle(prhs[1]);
        prop = arg_string(prhs[2], "prop");
        shape_of(h, dims);
        cplx = !strcmp(prop, "field");
        plhs[0] = mxCreateNumericMatrix((mwSize)dims[0], (mwSize)dims[1], mxDOUBLE_CLASS, cplx ? mxCOMPLEX : mxREAL);
#if MX_HAS_INTERLEAVED_COMPLEX
        re = cplx ? (double *)mxGetComplexDoubles(plhs[0]) : mxGetDoubles(plhs[0]);
        check(qpi_get_colmajor(h, prop, re, NULL, dims[0] * dims[1] * (cplx ? 2 : 1)));
#else
        re = mxGetPr(plhs[0]);
        if (cplx) im = mxGetPi(plhs[0]);
        check(qpi_get_colmajor(h, prop, re, im, dims[0] * dims[1]));
#endif
    } else if (!strcmp(cmd, "qpi_get_bg")) {
        qpgo_handle h;
        char *img, *key;
        int64_t dims[2], n;
        double *buf;
        nargs(nrhs, 3, 3, "qpgo_mex('qpi_get_bg', h, image, key)");
        h = arg_handle(prhs[1]);
        img = arg_string(prhs[2], "image");
        key = arg_string(prhs[3], "key");
        shape_of(h, dims);
        n = dims[0] * dims[1];
        buf = (double *)mxMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        check(qpi_get_bg(h, img, key, buf, n));
        plhs[0] = image_out(buf, dims[0], dims[1]);
    } else if (!strcmp(cmd, "qpi_set_meta_double")) {
        qpgo_handle h;
        char *key;
        nargs(nrhs, 3, 3, "qpgo_mex('qpi_set_meta_double', h, key, value)");
        h = arg_handle(prhs[1]);
        key = arg_string(prhs[2], "key");
        check(qpi_set_meta_double(h, key, arg_scalar(prhs[3], "value")));
    } else if (!strcmp(cmd, "qpi_set_meta_string")) {
        qpgo_handle h;
        char *key;
        nargs(nrhs, 3, 3, "qpgo_mex('qpi_set_meta_string', h, key, value)");
        h = arg_handle(prhs[1]);
        key = arg_string(prhs[2], "key");
        check(qpi_set_meta_string(h, key, arg_string(prhs[3], "value")));
    } else if (!strcmp(cmd, "qpi_set_bg_data")) {
        qpgo_handle h;
        char *which;
        carray d;
        int proc = 1;
        nargs(nrhs, 3, 5, "qpgo_mex('qpi_set_bg_data', h, which_data, data_or_empty [, proc_phase [, dims]])");
        h = arg_handle(prhs[1]);
        which = arg_string(prhs[2], "which_data");
        if (nrhs > 4) proc = arg_scalar(prhs[4], "proc_phase") != 0;
        if (mxIsEmpty(prhs[3])) {
            check(qpi_set_bg_data(h, which, NULL, 0, NULL, proc));
        } else {
            d = arg_array(prhs[3], "bg_data", strcmp(which, "field") == 0, nrhs > 5 ? prhs[5] : NULL);
            check(qpi_set_bg_data(h, which, d.buf, d.ndim, d.dims, proc));
        }
    } else if (!strcmp(cmd, "qpi_clear_bg")) {
        qpgo_handle h;
        int64_t need = 0;
        char *buf, *g_which, *g_keys;
        int rc;
        nargs(nrhs, 2, 3, "qpgo_mex('qpi_clear_bg', h, which_data [, keys])");
        h = arg_handle(prhs[1]);
        g_which = arg_string(prhs[2], "which_data");
        g_keys = nrhs > 3 ? arg_string(prhs[3], "keys") : NULL;
        /* Clearing changes state, so no size-query round trip: one call
         * with a large buffer; a too-small buffer only loses warnings. */
        buf = (char *)mxMalloc(65536);
        buf[0] = '\0';
        rc = qpi_clear_bg(h, g_which, g_keys, buf, 65536, &need);
        if (rc != QPGO_ERR_BUFFER) check(rc);
        plhs[0] = mxCreateString(rc == QPGO_OK ? buf : "");
    } else if (!strcmp(cmd, "qpi_slice")) {
        qpgo_handle h, h2 = 0;
        const double *r;
        int64_t ranges[6];
        size_t m, i;
        nargs(nrhs, 2, 2, "qpgo_mex('qpi_slice', h, ranges)");
        h = arg_handle(prhs[1]);
        if (!mxIsDouble(prhs[2]) || mxIsComplex(prhs[2]) || mxGetN(prhs[2]) != 3 ||
            (mxGetM(prhs[2]) != 1 && mxGetM(prhs[2]) != 2))
            bad("ranges must be a 1x3 or 2x3 real double matrix [start stop step]%s", "");
        m = mxGetM(prhs[2]);
        r = real_part(prhs[2]);
        for (i = 0; i < m; i++) {
            ranges[3 * i] = (int64_t)r[i];
            ranges[3 * i + 1] = (int64_t)r[i + m];
            ranges[3 * i + 2] = (int64_t)r[i + 2 * m];
        }
        check(qpi_slice(h, ranges, (int)m, &h2));
        plhs[0] = handle_out(h2);
    } else if (!strcmp(cmd, "qpi_compute_bg")) {
        qpgo_handle h;
        char *opts;
        int64_t dims[2], n, i, j;
        uint8_t *mask = NULL, *out;
        mxLogical *o;
        nargs(nrhs, 2, 3, "qpgo_mex('qpi_compute_bg', h, options_json [, from_mask])");
        h = arg_handle(prhs[1]);
        opts = arg_string(prhs[2], "options_json");
        shape_of(h, dims);
        n = dims[0] * dims[1];
        if (nrhs > 3 && !mxIsEmpty(prhs[3])) {
            const mxArray *m = prhs[3];
            if ((!mxIsLogical(m) && !mxIsDouble(m)) || mxIsComplex(m) || mxIsSparse(m))
                bad("from_mask must be a logical or real double array%s", "");
            if (mxGetNumberOfDimensions(m) != 2 || (int64_t)mxGetM(m) != dims[0] || (int64_t)mxGetN(m) != dims[1])
                bad("from_mask must have the image size%s", "");
            mask = (uint8_t *)mxMalloc((size_t)n);
            for (i = 0; i < dims[0]; i++)
                for (j = 0; j < dims[1]; j++) {
                    size_t k = (size_t)(i + j * dims[0]);
                    mask[i * dims[1] + j] = mxIsLogical(m) ? (mxGetLogicals(m)[k] != 0) : (real_part(m)[k] != 0.0);
                }
        }
        out = (uint8_t *)mxMalloc((size_t)(n > 0 ? n : 1));
        check(qpi_compute_bg(h, opts, mask, out, n));
        plhs[0] = mxCreateLogicalMatrix((mwSize)dims[0], (mwSize)dims[1]);
        o = mxGetLogicals(plhs[0]);
        for (i = 0; i < dims[0]; i++)
            for (j = 0; j < dims[1]; j++) o[i + j * dims[0]] = out[i * dims[1] + j] != 0;
    } else if (!strcmp(cmd, "qpi_check")) {
        qpgo_handle h;
        nargs(nrhs, 1, 2, "qpgo_mex('qpi_check', h [, checks])");
        h = arg_handle(prhs[1]);
        check(qpi_check(h, nrhs > 2 ? arg_string(prhs[2], "checks") : NULL));
    } else if (!strcmp(cmd, "qpi_check_file")) {
        char *path;
        nargs(nrhs, 1, 2, "qpgo_mex('qpi_check_file', path [, checks])");
        path = arg_string(prhs[1], "path");
        check(qpi_check_file(path, nrhs > 2 ? arg_string(prhs[2], "checks") : NULL));
    } else if (!dispatch_family(cmd, plhs, nrhs, prhs) && !dispatch_ext(cmd, nlhs, plhs, nrhs, prhs)) {
        bad("unknown command '%s'", cmd);
    }
}
