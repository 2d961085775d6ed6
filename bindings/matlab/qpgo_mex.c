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

/* image_out builds a rows x cols MATLAB array from a C-order buffer. */
static mxArray *image_out(const double *c, int64_t rows, int64_t cols, int cplx) {
    mxArray *r = mxCreateNumericMatrix((mwSize)rows, (mwSize)cols, mxDOUBLE_CLASS, cplx ? mxCOMPLEX : mxREAL);
    int64_t i, j;
    if (!cplx) {
        double *o = real_part(r);
        for (i = 0; i < rows; i++)
            for (j = 0; j < cols; j++) o[i + j * rows] = c[i * cols + j];
    } else {
#if MX_HAS_INTERLEAVED_COMPLEX
        double *o = (double *)mxGetComplexDoubles(r);
        for (i = 0; i < rows; i++)
            for (j = 0; j < cols; j++) {
                o[2 * (i + j * rows)] = c[2 * (i * cols + j)];
                o[2 * (i + j * rows) + 1] = c[2 * (i * cols + j) + 1];
            }
#else
        double *re = mxGetPr(r), *im = mxGetPi(r);
        for (i = 0; i < rows; i++)
            for (j = 0; j < cols; j++) {
                re[i + j * rows] = c[2 * (i * cols + j)];
                im[i + j * rows] = c[2 * (i * cols + j) + 1];
            }
#endif
    }
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

static const char *g_key; /* key argument for meta_json_fn */
static int meta_json_fn(qpgo_handle h, char *buf, int64_t n, int64_t *need) {
    return qpi_get_meta_json(h, g_key, buf, n, need);
}
/* ---- commands ----------------------------------------------------------- */

void mexFunction(int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[]) {
    char *cmd;
    (void)nlhs;
    g_cmd = "";
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
    } else if (!strcmp(cmd, "qpi_open")) {
        char *path, *mode;
        qpgo_handle h = 0;
        nargs(nrhs, 1, 2, "qpgo_mex('qpi_open', path [, mode])");
        path = arg_string(prhs[1], "path");
        mode = nrhs > 2 ? arg_string(prhs[2], "mode") : NULL;
        check(qpi_open(path, mode, &h));
        plhs[0] = handle_out(h);
    } else if (!strcmp(cmd, "qpi_close")) {
        nargs(nrhs, 1, 1, "qpgo_mex('qpi_close', h)");
        check(qpi_close(arg_handle(prhs[1])));
    } else if (!strcmp(cmd, "qpi_copy")) {
        char *path = NULL;
        qpgo_handle h2 = 0;
        nargs(nrhs, 1, 2, "qpgo_mex('qpi_copy', h [, path])");
        if (nrhs > 2) path = arg_string(prhs[2], "path");
        check(qpi_copy(arg_handle(prhs[1]), path, &h2));
        plhs[0] = handle_out(h2);
    } else if (!strcmp(cmd, "qpi_shape")) {
        int64_t dims[2];
        double *o;
        nargs(nrhs, 1, 1, "qpgo_mex('qpi_shape', h)");
        shape_of(arg_handle(prhs[1]), dims);
        plhs[0] = mxCreateDoubleMatrix(1, 2, mxREAL);
        o = real_part(plhs[0]);
        o[0] = (double)dims[0];
        o[1] = (double)dims[1];
    } else if (!strcmp(cmd, "qpi_dtype")) {
        int dt = 0;
        nargs(nrhs, 1, 1, "qpgo_mex('qpi_dtype', h)");
        check(qpi_dtype(arg_handle(prhs[1]), &dt));
        plhs[0] = mxCreateString(dt == QPGO_FLOAT32 ? "float32" : dt == QPGO_FLOAT64 ? "float64" : "other");
    } else if (!strcmp(cmd, "qpi_get")) {
        static const struct { const char *name; int (*fn)(qpgo_handle, double *, int64_t); } props[] = {
            {"pha", qpi_get_pha}, {"amp", qpi_get_amp}, {"bg_pha", qpi_get_bg_pha},
            {"bg_amp", qpi_get_bg_amp}, {"raw_pha", qpi_get_raw_pha}, {"raw_amp", qpi_get_raw_amp},
            {"field", qpi_get_field},
        };
        qpgo_handle h;
        char *prop;
        int64_t dims[2], n;
        double *buf;
        size_t i;
        int found = -1, cplx;
        nargs(nrhs, 2, 2, "qpgo_mex('qpi_get', h, prop)");
        h = arg_handle(prhs[1]);
        prop = arg_string(prhs[2], "prop");
        for (i = 0; i < sizeof(props) / sizeof(props[0]); i++)
            if (!strcmp(prop, props[i].name)) found = (int)i;
        if (found < 0) bad("unknown property '%s' (pha amp bg_pha bg_amp raw_pha raw_amp field)", prop);
        shape_of(h, dims);
        cplx = props[found].fn == qpi_get_field;
        n = dims[0] * dims[1] * (cplx ? 2 : 1);
        buf = (double *)mxMalloc((size_t)(n > 0 ? n : 1) * sizeof(double));
        check(props[found].fn(h, buf, n));
        plhs[0] = image_out(buf, dims[0], dims[1], cplx);
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
        plhs[0] = image_out(buf, dims[0], dims[1], 0);
    } else if (!strcmp(cmd, "qpi_meta_json")) {
        nargs(nrhs, 1, 2, "qpgo_mex('qpi_meta_json', h [, key])");
        g_key = nrhs > 2 ? arg_string(prhs[2], "key") : NULL;
        plhs[0] = string_out(arg_handle(prhs[1]), meta_json_fn);
    } else if (!strcmp(cmd, "qpi_set_meta")) {
        nargs(nrhs, 2, 2, "qpgo_mex('qpi_set_meta', h, json)");
        check(qpi_set_meta(arg_handle(prhs[1]), arg_string(prhs[2], "json")));
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
    } else if (!strcmp(cmd, "qpi_has_meta")) {
        int has = 0;
        qpgo_handle h;
        nargs(nrhs, 2, 2, "qpgo_mex('qpi_has_meta', h, key)");
        h = arg_handle(prhs[1]);
        check(qpi_has_meta(h, arg_string(prhs[2], "key"), &has));
        plhs[0] = mxCreateLogicalScalar(has != 0);
    } else if (!strcmp(cmd, "qpi_info")) {
        nargs(nrhs, 1, 1, "qpgo_mex('qpi_info', h)");
        plhs[0] = string_out(arg_handle(prhs[1]), qpi_info);
    } else if (!strcmp(cmd, "qpi_repr")) {
        nargs(nrhs, 1, 1, "qpgo_mex('qpi_repr', h)");
        plhs[0] = string_out(arg_handle(prhs[1]), qpi_repr);
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
    } else if (!strcmp(cmd, "qpi_equal")) {
        int eq = 0;
        qpgo_handle a, b;
        nargs(nrhs, 2, 2, "qpgo_mex('qpi_equal', h1, h2)");
        a = arg_handle(prhs[1]);
        b = arg_handle(prhs[2]);
        check(qpi_equal(a, b, &eq));
        plhs[0] = mxCreateLogicalScalar(eq != 0);
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
    } else {
        bad("unknown command '%s'", cmd);
    }
}
