/* Error paths of the C ABI: NULL pointers, bad handles, bad modes and
 * files, unknown keys, missing meta, buffers, dims, read-only writes,
 * errmsg and version. Every call must return its code, never crash. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "check.h"

#ifndef FIXTURES
#error "compile with -DFIXTURES=\"/path/to/shared/fixtures\""
#endif

#define M 4
#define N 6
#define MN (M * N)

static char tmpdir[512];
static double pa[2 * MN]; /* phase,amplitude data [2, M, N] */
static const int64_t dims3[3] = {2, M, N};

static qpgo_handle new_image(void) {
    qpgo_handle h = 0;
    CHECK_OK(qpi_new("phase,amplitude", pa, 3, dims3, NULL,
                     "{\"proc_phase\": false, \"meta_data\": {\"wavelength\": 5e-7,"
                     " \"identifier\": \"err\"}}", &h));
    return h;
}

static void test_null_pointers(void) {
    qpgo_handle h = new_image(), out = 0;
    double buf[2 * MN];
    char sbuf[64];
    int64_t need = 0, d2[2];
    int iv = 0;
    double dv = 0;
    int64_t ranges[3] = {0, 2, 1};

    CHECK_RC(QPGO_ERR_ARG, qpi_new(NULL, pa, 3, dims3, NULL, NULL, &out));
    /* data NULL is an image without data (upstream QPImage()); a
     * background without data is an error. */
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", NULL, 3, dims3, pa, NULL, &out));
    CHECK_OK(qpi_new("phase,amplitude", NULL, 3, dims3, NULL, NULL, &out));
    CHECK_RC(QPGO_ERR_NOT_FOUND, qpi_shape(out, d2));
    CHECK_OK(qpi_close(out));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", pa, 3, NULL, NULL, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", pa, 3, dims3, NULL, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_open(NULL, "r", &out));
    CHECK_RC(QPGO_ERR_ARG, qpi_open("/nonexistent.h5", "r", NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_copy(h, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_shape(h, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_dtype(h, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_pha(h, NULL, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_amp(h, NULL, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_bg_pha(h, NULL, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_bg_amp(h, NULL, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_raw_pha(h, NULL, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_raw_amp(h, NULL, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_field(h, NULL, 2 * MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_bg(h, NULL, "data", buf, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_bg(h, "phase", NULL, buf, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_meta(h, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_meta_double(h, NULL, 1.0));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_meta_string(h, NULL, "x"));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_meta_string(h, "identifier", NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_double(h, NULL, &dv));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_double(h, "wavelength", NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_string(h, NULL, sbuf, sizeof sbuf, &need));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_string(h, "identifier", NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_json(h, NULL, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_json(h, "wavelength", NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_has_meta(h, NULL, &iv));
    CHECK_RC(QPGO_ERR_ARG, qpi_has_meta(h, "wavelength", NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_info(h, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_repr(h, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_bg_data(h, NULL, pa, 3, dims3, 0));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_bg_data(h, "phase,amplitude", pa, 3, NULL, 0));
    CHECK_RC(QPGO_ERR_ARG, qpi_clear_bg(h, NULL, "data", NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_slice(h, NULL, 1, &out));
    CHECK_RC(QPGO_ERR_ARG, qpi_slice(h, ranges, 1, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_equal(h, h, NULL));

    /* optional pointers: NULL is valid */
    CHECK_OK(qpi_get_meta_json(h, NULL, NULL, 0, &need));   /* all meta */
    CHECK_OK(qpi_clear_bg(h, "phase", NULL, NULL, 0, NULL)); /* keys "fit", no warnings buffer */
    CHECK_OK(qpi_set_bg_data(h, "phase,amplitude", NULL, 0, NULL, 1)); /* remove bg */
    CHECK_OK(qpi_copy(h, NULL, &out));                       /* in memory */
    CHECK_OK(qpi_close(out));
    CHECK_OK(qpi_shape(h, d2));
    CHECK_OK(qpi_close(h));
}

/* Every handle-taking function with handle bad must give QPGO_ERR_HANDLE. */
static void check_bad_handle(qpgo_handle bad, qpgo_handle good, const char *what) {
    double buf[2 * MN];
    char sbuf[256];
    int64_t need = 0, d2[2], ranges[3] = {0, 2, 1};
    int iv = 0;
    double dv = 0;
    qpgo_handle out = 77;
    int before = check_failed;
    CHECK_RC(QPGO_ERR_HANDLE, qpi_copy(bad, NULL, &out));
    CHECK(out == 0, "out reset to 0 on failure");
    CHECK_RC(QPGO_ERR_HANDLE, qpi_shape(bad, d2));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_dtype(bad, &iv));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_pha(bad, buf, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_amp(bad, buf, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_bg_pha(bad, buf, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_bg_amp(bad, buf, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_raw_pha(bad, buf, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_raw_amp(bad, buf, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_field(bad, buf, 2 * MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_bg(bad, "phase", "data", buf, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_set_meta(bad, "{\"time\": 1.0}"));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_set_meta_double(bad, "time", 1.0));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_set_meta_string(bad, "identifier", "x"));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_meta_double(bad, "wavelength", &dv));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_meta_string(bad, "identifier", sbuf, sizeof sbuf, &need));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_meta_json(bad, NULL, sbuf, sizeof sbuf, &need));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_has_meta(bad, "wavelength", &iv));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_info(bad, NULL, 0, &need));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_repr(bad, NULL, 0, &need));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_set_bg_data(bad, "phase,amplitude", pa, 3, dims3, 0));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_set_bg_data_qpi(bad, good));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_set_bg_data_qpi(good, bad));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_clear_bg(bad, "phase", "data", NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_slice(bad, ranges, 1, &out));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_equal(bad, good, &iv));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_equal(good, bad, &iv));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_close(bad));
    if (check_failed != before) fprintf(stderr, "  (bad handle case: %s)\n", what);
}

static void test_handles(void) {
    qpgo_handle good = new_image(), h = new_image();
    CHECK_OK(qpi_close(h));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_close(h));
    CHECK_CONTAINS(qpgo_errmsg(), "closed");
    check_bad_handle(h, good, "closed");
    check_bad_handle(0, good, "0");
    check_bad_handle(-1, good, "-1");
    check_bad_handle(INT64_MIN, good, "INT64_MIN");
    check_bad_handle(h + 1000000, good, "never issued");
    /* the good handle is untouched by all that */
    int64_t d2[2] = {0, 0};
    CHECK_OK(qpi_shape(good, d2));
    CHECK(d2[0] == M && d2[1] == N, "good handle still works");
    CHECK_OK(qpi_close(good));
}

static void copy_half(const char *src, const char *dst) {
    FILE *in = fopen(src, "rb");
    if (!in) {
        fprintf(stderr, "FATAL: missing fixture %s\n", src);
        exit(3);
    }
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *b = malloc((size_t)size);
    if (fread(b, 1, (size_t)size, in) != (size_t)size) exit(3);
    fclose(in);
    FILE *out = fopen(dst, "wb");
    fwrite(b, 1, (size_t)(size / 2), out);
    fclose(out);
    free(b);
}

static void test_files(void) {
    qpgo_handle h = 55;
    char path[700];
    CHECK_RC(QPGO_ERR_ARG, qpi_open("/tmp/x.h5", "q", &h));
    CHECK(h == 0, "out reset to 0");
    CHECK_RC(QPGO_ERR_ARG, qpi_open("/tmp/x.h5", "rw", &h));
    snprintf(path, sizeof path, "%s/missing.h5", tmpdir);
    CHECK_RC(QPGO_ERR_IO, qpi_open(path, "r", &h));
    CHECK_RC(QPGO_ERR_IO, qpi_open(path, "r+", &h));
    CHECK(access(path, F_OK) != 0, "r+ does not create a file");
    CHECK_RC(QPGO_ERR_IO, qpi_open(path, NULL, &h)); /* NULL mode = "r" */

    snprintf(path, sizeof path, "%s/text.h5", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("this is not an HDF5 file\n", f);
    fclose(f);
    CHECK_RC(QPGO_ERR_IO, qpi_open(path, "r", &h));
    CHECK_RC(QPGO_ERR_IO, qpi_open(path, "a", &h));
    CHECK(strlen(qpgo_errmsg()) > 0, "message set");

    /* truncated upstream file: open or the first reads fail with IO */
    snprintf(path, sizeof path, "%s/truncated.h5", tmpdir);
    copy_half(FIXTURES "/h5_qpimage_full/qpimage.h5", path);
    /* the library must not print (e.g. HDF5 error stacks) to stderr */
    char cap[700], captured[400];
    snprintf(cap, sizeof cap, "%s/stderr.txt", tmpdir);
    int saved = stderr_capture_begin(cap);
    int rc = qpi_open(path, "r", &h);
    long printed = stderr_capture_end(saved, cap, captured, sizeof captured);
    CHECK(printed == 0, "qpi_open of a truncated file prints nothing to stderr");
    if (printed) fprintf(stderr, "  printed %ld bytes: %.200s...\n", printed, captured);
    if (rc == QPGO_OK) {
        double buf[20 * 24];
        int64_t d2[2];
        int r1 = qpi_shape(h, d2);
        int r2 = qpi_get_pha(h, buf, 20 * 24);
        int r3 = qpi_get_amp(h, buf, 20 * 24);
        int r4 = qpi_get_bg_pha(h, buf, 20 * 24);
        CHECK(r1 == QPGO_ERR_IO || r2 == QPGO_ERR_IO || r3 == QPGO_ERR_IO || r4 == QPGO_ERR_IO,
              "truncated file: some read fails with IO");
        CHECK((r1 == QPGO_OK || r1 == QPGO_ERR_IO) && (r2 == QPGO_OK || r2 == QPGO_ERR_IO) &&
                  (r3 == QPGO_OK || r3 == QPGO_ERR_IO) && (r4 == QPGO_OK || r4 == QPGO_ERR_IO),
              "truncated file: only OK or IO");
        CHECK_OK(qpi_close(h));
    } else {
        CHECK(rc == QPGO_ERR_IO, "truncated file: open fails with IO");
        if (rc != QPGO_ERR_IO) fprintf(stderr, "  rc %d: %s\n", rc, qpgo_errmsg());
    }

    /* read-only file: writes fail with IO */
    snprintf(path, sizeof path, "%s/ro.h5", tmpdir);
    char opts[900];
    snprintf(opts, sizeof opts, "{\"proc_phase\": false, \"h5file\": \"%s\", \"h5mode\": \"w\"}", path);
    REQUIRE_OK(qpi_new("phase,amplitude", pa, 3, dims3, NULL, opts, &h));
    CHECK_OK(qpi_close(h));
    REQUIRE_OK(qpi_open(path, "r", &h));
    CHECK_RC(QPGO_ERR_IO, qpi_set_meta_double(h, "time", 1.0));
    CHECK_RC(QPGO_ERR_IO, qpi_set_meta_string(h, "identifier", "x"));
    CHECK_RC(QPGO_ERR_IO, qpi_set_meta(h, "{\"time\": 1.0}"));
    CHECK_RC(QPGO_ERR_IO, qpi_set_bg_data(h, "phase,amplitude", pa, 3, dims3, 0));
    int has = -1;
    CHECK_OK(qpi_has_meta(h, "time", &has));
    CHECK(has == 0, "nothing written to the read-only file");
    CHECK_OK(qpi_close(h));
    /* "w-"/"x" on an existing file fail */
    CHECK_RC(QPGO_ERR_IO, qpi_open(path, "w-", &h));
    CHECK_RC(QPGO_ERR_IO, qpi_open(path, "x", &h));
}

static void test_keys_and_meta(void) {
    qpgo_handle h = 0;
    CHECK_RC(QPGO_ERR_KEY, qpi_new("phase,amplitude", pa, 3, dims3, NULL, "{\"bogus\": 1}", &h));
    CHECK_CONTAINS(qpgo_errmsg(), "bogus");
    CHECK_RC(QPGO_ERR_KEY, qpi_new("phase,amplitude", pa, 3, dims3, NULL,
                                   "{\"proc_phase\": false, \"meta_data\": {\"bogus\": 1}}", &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", pa, 3, dims3, NULL, "[1, 2]", &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", pa, 3, dims3, NULL, "{\"proc_phase\": ", &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", pa, 3, dims3, NULL, "{\"h5dtype\": \"int8\"}", &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", pa, 3, dims3, NULL, "{\"proc_phase\": \"yes\"}", &h));

    h = new_image();
    double v = 0;
    CHECK_RC(QPGO_ERR_KEY, qpi_set_meta(h, "{\"time\": 1.5, \"bogus\": 1}"));
    int has = -1;
    CHECK_OK(qpi_has_meta(h, "time", &has));
    CHECK(has == 0, "set_meta with an unknown key writes nothing");
    CHECK_RC(QPGO_ERR_KEY, qpi_set_meta_double(h, "bogus", 1.0));
    CHECK_RC(QPGO_ERR_KEY, qpi_set_meta_string(h, "bogus", "x"));
    CHECK_RC(QPGO_ERR_KEY, qpi_get_meta_double(h, "bogus", &v));
    CHECK_CONTAINS(qpgo_errmsg(), "bogus");
    char sbuf[256];
    int64_t need = 0;
    CHECK_RC(QPGO_ERR_KEY, qpi_get_meta_string(h, "bogus", sbuf, sizeof sbuf, &need));
    CHECK_RC(QPGO_ERR_KEY, qpi_get_meta_json(h, "bogus", sbuf, sizeof sbuf, &need));
    CHECK_OK(qpi_has_meta(h, "bogus", &has)); /* `key in qpi`: no error */
    CHECK(has == 0, "unknown key is not contained");

    CHECK_RC(QPGO_ERR_META_MISSING, qpi_get_meta_double(h, "time", &v));
    CHECK_RC(QPGO_ERR_META_MISSING, qpi_get_meta_string(h, "date", sbuf, sizeof sbuf, &need));
    CHECK_RC(QPGO_ERR_META_MISSING, qpi_get_meta_json(h, "medium index", sbuf, sizeof sbuf, &need));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_double(h, "identifier", &v));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_meta_string(h, "wavelength", sbuf, sizeof sbuf, &need));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_meta(h, "{\"time\": null}"));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_meta(h, "not json"));

    /* buffers */
    need = 0;
    CHECK_OK(qpi_repr(h, NULL, 0, &need));
    CHECK(need == (int64_t)strlen("QPImage <err>, 4x6px, \xce\xbb=500.0nm") + 1, "repr needed size");
    char small[8];
    char want[64];
    CHECK_RC(QPGO_ERR_BUFFER, qpi_repr(h, small, sizeof small, &need));
    snprintf(want, sizeof want, "%lld", (long long)need);
    CHECK_CONTAINS(qpgo_errmsg(), want);
    CHECK_RC(QPGO_ERR_BUFFER, qpi_repr(h, small, 0, NULL));
    CHECK_RC(QPGO_ERR_BUFFER, qpi_repr(h, small, -5, NULL));
    CHECK_RC(QPGO_ERR_BUFFER, qpi_info(h, small, sizeof small, &need));
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_meta_string(h, "identifier", small, 3, &need));
    CHECK(need == 4, "needed reported with the BUFFER error");
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_meta_json(h, NULL, small, sizeof small, &need));
    double arr[2 * MN];
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_pha(h, arr, MN - 1));
    snprintf(want, sizeof want, "%d", MN);
    CHECK_CONTAINS(qpgo_errmsg(), want);
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_amp(h, arr, 0));
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_raw_pha(h, arr, -1));
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_field(h, arr, 2 * MN - 1));
    snprintf(want, sizeof want, "%d", 2 * MN);
    CHECK_CONTAINS(qpgo_errmsg(), want);

    /* errmsg is "" after a successful call */
    CHECK(strlen(qpgo_errmsg()) > 0, "message after failure");
    CHECK_OK(qpi_shape(h, (int64_t[2]){0, 0}));
    CHECK_STREQ(qpgo_errmsg(), "");
    CHECK_RC(QPGO_ERR_KEY, qpi_get_meta_double(h, "bogus", &v));
    CHECK_OK(qpi_get_meta_double(h, "wavelength", &v));
    CHECK_STREQ(qpgo_errmsg(), "");
    CHECK_OK(qpi_close(h));
}

static void test_dims_and_which(void) {
    qpgo_handle h = 0, out = 0;
    int64_t neg[2] = {-1, N}, d9[9] = {1, 1, 1, 1, 1, 1, 1, M, N}, d3[3] = {3, M, N};
    int64_t d2[2] = {M, N}, zero[2] = {0, N}, d2w[3] = {2, M, N};
    static double big[3 * MN];
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase", pa, 2, neg, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase", pa, 9, d9, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase", pa, -1, d2, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", big, 3, d3, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase,amplitude", pa, 2, d2, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phase", pa, 2, zero, NULL, "{\"proc_phase\": false}", &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("phaze", pa, 2, d2, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("", pa, 2, d2, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, qpi_new("amplitude,phase,field", pa, 3, d2w, NULL, NULL, &h));
    CHECK(h == 0, "no handle on failure");

    h = new_image();
    CHECK_RC(QPGO_ERR_ARG, qpi_set_bg_data(h, "phaze", pa, 2, d2, 0));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_bg_data(h, "phase,amplitude", pa, 3, d3, 0));
    CHECK_RC(QPGO_ERR_ARG, qpi_set_bg_data(h, "phase,amplitude", pa, 9, d9, 0));
    /* upstream accepts a bg of another shape and fails on access */
    double buf[MN];
    CHECK_OK(qpi_set_bg_data(h, "phase", pa, 2, (int64_t[2]){M + 1, N}, 0));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_pha(h, buf, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_amp(h, buf, MN));
    CHECK_OK(qpi_set_bg_data(h, "phase", NULL, 0, NULL, 0));
    CHECK_OK(qpi_get_pha(h, buf, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_clear_bg(h, "foo", "data", NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_clear_bg(h, "phase", "bogus", NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_bg(h, "field", "data", buf, MN));
    CHECK_RC(QPGO_ERR_ARG, qpi_get_bg(h, "phase", "bogus", buf, MN));
    CHECK_RC(QPGO_ERR_NOT_FOUND, qpi_get_bg(h, "phase", "fit", buf, MN));

    int64_t r0[3] = {0, 2, 0}, r_ok[6] = {0, 2, 1, 0, 3, 1}, r_oob[3] = {0, M + 10, 1};
    CHECK_RC(QPGO_ERR_ARG, qpi_slice(h, r0, 1, &out));
    CHECK_RC(QPGO_ERR_ARG, qpi_slice(h, r_ok, 0, &out));
    CHECK_RC(QPGO_ERR_ARG, qpi_slice(h, r_ok, 3, &out));
    /* a range that is not resolved for the axis: the contract leaves the
     * result open (the Go core clamps); it must not crash or be INTERNAL */
    int rc = qpi_slice(h, r_oob, 1, &out);
    CHECK(rc != QPGO_ERR_INTERNAL, qpgo_errmsg());
    if (rc == QPGO_OK) CHECK_OK(qpi_close(out));
    CHECK_OK(qpi_close(h));
}

static void test_version(void) {
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", QPGO_VERSION_MAJOR, QPGO_VERSION_MINOR,
             QPGO_VERSION_PATCH);
    CHECK_STREQ(qpgo_version(), want);
    CHECK_STREQ(qpgo_version(), QPGO_VERSION_STRING);
    CHECK(qpgo_version_number() ==
              QPGO_VERSION_MAJOR * 10000 + QPGO_VERSION_MINOR * 100 + QPGO_VERSION_PATCH,
          "version number");
    CHECK_STREQ(qpgo_errmsg(), ""); /* fresh thread state */
}

/* qpgo_set_limits / qpgo_get_limits: NULL and bad JSON are QPGO_ERR_ARG;
 * a budget smaller than a dataset makes reading it QPGO_ERR_IO naming the
 * dataset and both sizes, and restoring the default reads it again. */
static void test_limits(void) {
    char buf[256], path[700], opts[900];
    int64_t need = 0;
    CHECK_RC(QPGO_ERR_ARG, qpgo_set_limits(NULL));
    CHECK_RC(QPGO_ERR_ARG, qpgo_set_limits("{"));
    CHECK_RC(QPGO_ERR_ARG, qpgo_set_limits("{\"max_alloc\": 5}"));
    CHECK_RC(QPGO_ERR_ARG, qpgo_set_limits("{\"max_alloc_bytes\": -1}"));
    CHECK_RC(QPGO_ERR_ARG, qpgo_set_limits("{\"validate_timeout_s\": -2}"));
    CHECK_RC(QPGO_ERR_ARG, qpgo_get_limits(NULL, 0, NULL));
    CHECK_OK(qpgo_get_limits(NULL, 0, &need));
    CHECK(need > 10 && need < (int64_t)sizeof buf, "limits JSON size");
    CHECK_RC(QPGO_ERR_BUFFER, qpgo_get_limits(buf, 4, &need));

    qpgo_handle h = 0;
    snprintf(path, sizeof path, "%s/limits.h5", tmpdir);
    snprintf(opts, sizeof opts, "{\"proc_phase\": false, \"h5file\": \"%s\", \"h5mode\": \"w\"}", path);
    REQUIRE_OK(qpi_new("phase,amplitude", pa, 3, dims3, NULL, opts, &h));
    CHECK_OK(qpi_close(h));

    CHECK_OK(qpgo_set_limits("{\"max_alloc_bytes\": 64}"));
    CHECK_OK(qpgo_get_limits(buf, sizeof buf, &need));
    CHECK_CONTAINS(buf, "\"max_alloc_bytes\":64");
    double d[MN];
    char msg[512] = "";
    int rc = qpi_open(path, "r", &h);
    if (rc == QPGO_OK) {
        rc = qpi_get_pha(h, d, MN);
        snprintf(msg, sizeof msg, "%s", qpgo_errmsg());
        CHECK_OK(qpi_close(h));
    } else {
        snprintf(msg, sizeof msg, "%s", qpgo_errmsg());
    }
    CHECK_RC(QPGO_ERR_IO, rc);
    CHECK_CONTAINS(msg, "/phase/raw\" of shape [4 6]: needs 96 bytes, over the memory budget of 64 bytes");

    CHECK_OK(qpgo_set_limits("{\"max_alloc_bytes\": 0, \"validate_timeout_s\": 0}"));
    CHECK_OK(qpgo_get_limits(buf, sizeof buf, &need));
    CHECK(strstr(buf, "\"max_alloc_bytes\":64") == NULL, "default budget restored");
    REQUIRE_OK(qpi_open(path, NULL, &h)); /* NULL mode = "r" */
    CHECK_OK(qpi_get_pha(h, d, MN));
    CHECK(fabs(d[MN - 1] - pa[MN - 1]) < 1e-6, "phase read with the default budget");
    if (fabs(d[MN - 1] - pa[MN - 1]) >= 1e-6) fprintf(stderr, "  pha %g, want %g\n", d[MN - 1], pa[MN - 1]);
    CHECK_OK(qpi_close(h));
}

/* Typed image-series metadata: keys with kinds, arrays as dtype + shape +
 * bytes (the fixture's intarr is [4, 5, 6, 7] int64 as written by upstream;
 * scalar a 0-d float64),
 * other values as typed JSON; NULL and misuse are codes. */
static void test_ims_typed_meta(void) {
    qpgo_handle h = 0;
    REQUIRE_OK(ims_open(FIXTURES "/imageseries/framecache_npz_uint16/cache.npz", "frame-cache",
                        "{\"style\": \"npz\"}", &h));
    char keys[1024];
    int64_t need = 0;
    CHECK_OK(ims_metadata_keys_json(h, keys, sizeof keys, &need));
    CHECK_CONTAINS(keys, "{\"name\":\"intarr\",\"kind\":\"array\",\"dtype\":8,\"shape\":[4]}");
    CHECK_CONTAINS(keys, "{\"name\":\"panel\",\"kind\":\"json\"}");
    CHECK_CONTAINS(keys, "{\"name\":\"scalar\",\"kind\":\"array\",\"dtype\":11,\"shape\":[]}");
    int dt = 0, nd = 0;
    int64_t dims[4] = {0}, v[4] = {0};
    CHECK_OK(ims_metadata_array_info(h, "intarr", &dt, &nd, dims, 4));
    CHECK(dt == QPGO_INT64 && nd == 1 && dims[0] == 4, "intarr info");
    CHECK_OK(ims_metadata_array(h, "intarr", v, sizeof v));
    CHECK(v[0] == 4 && v[1] == 5 && v[2] == 6 && v[3] == 7, "intarr values (upstream fixture)");
    CHECK_RC(QPGO_ERR_BUFFER, ims_metadata_array(h, "intarr", v, 24));
    CHECK_RC(QPGO_ERR_ARG, ims_metadata_array(h, "intarr", NULL, 24));
    CHECK_RC(QPGO_ERR_ARG, ims_metadata_array(h, NULL, v, 24));
    CHECK_RC(QPGO_ERR_NOT_FOUND, ims_metadata_array(h, "nope", v, 24));
    CHECK_RC(QPGO_ERR_ARG, ims_metadata_array(h, "panel", v, 24));
    CHECK_RC(QPGO_ERR_ARG, ims_metadata_array_info(h, "intarr", NULL, &nd, dims, 4));
    CHECK_RC(QPGO_ERR_ARG, ims_metadata_array_info(h, "intarr", &dt, &nd, dims, 0));
    char js[256];
    CHECK_OK(ims_metadata_value_json(h, "panel", js, sizeof js, &need));
    CHECK_CONTAINS(js, "\"type\":\"ndarray\"");
    CHECK_RC(QPGO_ERR_ARG, ims_metadata_value_json(h, NULL, js, sizeof js, &need));
    CHECK_RC(QPGO_ERR_ARG, ims_metadata_keys_json(h, NULL, 0, NULL));
    CHECK_OK(ims_close(h));
    CHECK_RC(QPGO_ERR_HANDLE, ims_metadata_keys_json(h, keys, sizeof keys, &need));
}

int main(void) {
    for (int i = 0; i < MN; i++) {
        pa[i] = 0.01 * i;
        pa[MN + i] = 1.0 + 0.001 * i;
    }
    make_tmpdir(tmpdir, sizeof tmpdir);
    test_version();
    test_null_pointers();
    test_handles();
    test_files();
    test_keys_and_meta();
    test_dims_and_which();
    test_limits();
    test_ims_typed_meta();
    remove_tmpdir(tmpdir);
    return CHECK_SUMMARY("test_errors");
}
