/* QPSeries, FLImage, FLSeries and the bg_estimate module functions
 * through the C ABI: upstream series files, hard-linked backgrounds,
 * member views and their lifetime, bleach correction and denoising with
 * progress callbacks (counting and cancelling), background estimation
 * against the fixtures, and the error codes of every new function. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "check.h"
#include "npy.h"
#include <pthread.h>
#include <time.h>

#ifndef FIXTURES
#error "compile with -DFIXTURES=\"/path/to/shared/fixtures\""
#endif

static char tmpdir[512];

static int load(const char *dir, const char *file, npy_array *a) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s/%s", FIXTURES, dir, file);
    int rc = npy_load(p, a);
    CHECK(rc == 0, p);
    return rc;
}

static const char *fixture(const char *dir, const char *file) {
    static char p[1024];
    snprintf(p, sizeof p, "%s/%s/%s", FIXTURES, dir, file);
    return p;
}

static const char *tmpfile_(const char *name) {
    static char p[1024];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

/* ------------------------------------------------------------------ */
/* QPSeries                                                            */

static void test_qpseries_fixture(void) {
    qpgo_handle s = 0, v = 0;
    REQUIRE_OK(qps_open(fixture("h5_qpseries", "qpseries.h5"), "r", &s));
    int64_t n = -1;
    CHECK_OK(qps_len(s, &n));
    CHECK(n == 3, "length 3");
    char *str = NULL;
    CHECK_OK(fetch_string(qps_identifier, s, &str));
    CHECK_STREQ(str, "my_series");
    free(str);
    CHECK_OK(fetch_string(qps_identifiers_json, s, &str));
    CHECK_STREQ(str, "[\"img1\",\"img2\",\"img3\"]");
    free(str);
    int has = -1;
    CHECK_OK(qps_contains(s, "img2", &has));
    CHECK(has == 1, "contains img2");
    CHECK_OK(qps_contains(s, "img9", &has));
    CHECK(has == 0, "no img9");

    const char *pha_npy[3] = {"member0_pha.npy", "member1_pha.npy", "member2_raw_pha.npy"};
    const char *bg_npy[3] = {"member0_bg_pha.npy", "member0_bg_pha.npy", "member2_bg_pha.npy"};
    const char *reprs[3] = {"QPImage <img1>, 20x24px, \xce\xbb=550.0nm",
                            "QPImage <img2>, 20x24px, \xce\xbb=550.0nm",
                            "QPImage <img3>, 20x24px, \xce\xbb=550.0nm"};
    double got[20 * 24];
    for (int i = 0; i < 3; i++) {
        npy_array e;
        CHECK_OK(qps_get_qpimage(s, i, &v));
        if (load("h5_qpseries", pha_npy[i], &e) == 0) {
            CHECK(e.n == 20 * 24, "member size");
            CHECK_OK(qpi_get_pha(v, got, 20 * 24));
            CHECK_ARRAY_EXACT(got, e.data, e.n, pha_npy[i]);
            npy_free(&e);
        }
        if (load("h5_qpseries", bg_npy[i], &e) == 0) {
            CHECK_OK(qpi_get_bg_pha(v, got, 20 * 24));
            CHECK_ARRAY_EXACT(got, e.data, e.n, bg_npy[i]);
            npy_free(&e);
        }
        CHECK_OK(fetch_string(qpi_repr, v, &str));
        CHECK_STREQ(str, reprs[i]);
        free(str);
        CHECK_OK(qpi_close(v)); /* closing a view keeps the series open */
    }
    double t = 0;
    CHECK_OK(qps_get_qpimage(s, 0, &v));
    CHECK_OK(qpi_get_meta_double(v, "time", &t));
    CHECK(t == 0.5, "member 0 time");
    CHECK_OK(qpi_close(v));

    /* negative index, by identifier, errors */
    CHECK_OK(qps_get_qpimage(s, -1, &v));
    CHECK_OK(fetch_string(qpi_repr, v, &str));
    CHECK_STREQ(str, reprs[2]);
    free(str);
    CHECK_OK(qpi_close(v));
    CHECK_OK(qps_get_qpimage_by_id(s, "img2", &v));
    CHECK_OK(fetch_string(qpi_repr, v, &str));
    CHECK_STREQ(str, reprs[1]);
    free(str);
    CHECK_OK(qpi_close(v));
    CHECK_RC(QPGO_ERR_NOT_FOUND, qps_get_qpimage_by_id(s, "nope", &v));
    CHECK(v == 0, "out zeroed on error");
    CHECK_CONTAINS(qpgo_errmsg(), "QPImage identifier 'nope' not found!");
    CHECK_RC(QPGO_ERR_NOT_FOUND, qps_get_qpimage(s, 3, &v));
    CHECK_RC(QPGO_ERR_ARG, qps_get_qpimage(s, -4, &v));
    /* read-only: adding fails */
    qpgo_handle q = 0;
    CHECK_OK(qps_get_qpimage(s, 0, &q));
    CHECK_RC(QPGO_ERR_IO, qps_add_qpimage(s, q, "new", 0, 0));

    /* views after the series is closed: a clean handle error */
    qpgo_handle v2 = 0;
    CHECK_OK(qps_get_qpimage(s, 1, &v2));
    CHECK_OK(qps_close(s));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_pha(q, got, 20 * 24));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_bg_pha(v2, got, 20 * 24));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_repr(v2, NULL, 0, &n));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_close(q));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_close(v2));
    CHECK_RC(QPGO_ERR_HANDLE, qps_close(s));
    CHECK_RC(QPGO_ERR_HANDLE, qps_len(s, &n));
}

#define M 6
#define N 5
#define MN (M * N)

static qpgo_handle make_qpi(double scale, const char *ident, double bgoff) {
    double d[MN], bg[MN];
    int64_t dims[2] = {M, N};
    for (int i = 0; i < MN; i++) {
        d[i] = scale * (0.1 + 0.01 * i);
        bg[i] = bgoff + 0.002 * i;
    }
    char opts[256];
    snprintf(opts, sizeof opts, "{\"proc_phase\": false, \"meta_data\": {\"wavelength\": 5e-7, "
             "\"identifier\": \"%s\"}}", ident);
    qpgo_handle h = 0;
    CHECK_OK(qpi_new("phase", d, 2, dims, bg, opts, &h));
    return h;
}

static void test_qpseries_build(void) {
    const char *path = tmpfile_("built_qps.h5");
    char opts[1200];
    snprintf(opts, sizeof opts, "{\"h5file\": \"%s\", \"h5mode\": \"w\", \"identifier\": \"built\"}", path);
    qpgo_handle s = 0;
    REQUIRE_OK(qps_new(opts, &s));
    qpgo_handle a = make_qpi(1.0, "a", 0.05), b = make_qpi(1.1, "b", 0.3);
    double bga[MN], bgb_own[MN], got[MN], got0[MN];
    CHECK_OK(qpi_get_bg_pha(a, bga, MN));
    CHECK_OK(qpi_get_bg_pha(b, bgb_own, MN));
    CHECK(bga[0] != bgb_own[0], "different backgrounds");

    CHECK_OK(qps_add_qpimage(s, a, NULL, 0, 0));
    CHECK_RC(QPGO_ERR_ARG, qps_add_qpimage(s, a, NULL, 0, 0)); /* duplicate identifier "a" */
    CHECK_RC(QPGO_ERR_HANDLE, qps_add_qpimage(s, 0, NULL, 0, 0));
    CHECK_RC(QPGO_ERR_HANDLE, qps_add_qpimage(s, s, NULL, 0, 0)); /* a series is not an image */
    CHECK_OK(qps_add_qpimage(s, b, NULL, 0, 1));                  /* hard link to member 0 */
    CHECK_OK(qps_add_qpimage(s, a, "a2", -1, 1));                 /* link to member 1 → member 0's */
    int64_t n = 0;
    CHECK_OK(qps_len(s, &n));
    CHECK(n == 3, "three members");

    qpgo_handle m0 = 0, m1 = 0, m2 = 0;
    CHECK_OK(qps_get_qpimage(s, 0, &m0));
    CHECK_OK(qps_get_qpimage(s, 1, &m1));
    CHECK_OK(qps_get_qpimage_by_id(s, "a2", &m2));
    CHECK_OK(qpi_get_bg_pha(m0, got0, MN));
    CHECK_OK(qpi_get_bg_pha(m1, got, MN));
    CHECK_ARRAY_EXACT(got, got0, MN, "member 1 bg_pha is member 0's");
    CHECK_OK(qpi_get_bg_pha(m2, got, MN));
    CHECK_ARRAY_EXACT(got, got0, MN, "member 2 bg_pha is member 0's");
    for (int i = 0; i < MN; i++) bga[i] = (double)(float)bga[i];
    CHECK_ARRAY_EXACT(got0, bga, MN, "member 0 bg_pha is a's (float32)");
    double t = 0;
    char *str = NULL;
    CHECK_OK(fetch_keyed(qpi_get_meta_string, m1, "identifier", &str));
    CHECK_STREQ(str, "b");
    free(str);

    /* The views are live: a change through one is visible in the series. */
    CHECK_OK(qpi_set_meta(m1, "{\"medium index\": 1.335}"));
    qpgo_handle m1b = 0;
    CHECK_OK(qps_get_qpimage_by_id(s, "b", &m1b));
    CHECK_OK(qpi_get_meta_double(m1b, "medium index", &t));
    CHECK(t == 1.335, "write through a view");

    CHECK_OK(qpi_close(m0));
    CHECK_OK(qps_len(s, &n)); /* the series survives closing a view */
    CHECK_OK(qpi_get_pha(m2, got, MN));
    CHECK_RC(QPGO_ERR_NOT_FOUND, qps_add_qpimage(s, b, "x", 7, 1)); /* no member 7 */
    CHECK_RC(QPGO_ERR_NOT_FOUND, qps_add_qpimage(s, b, "x", 3, 1));
    CHECK_RC(QPGO_ERR_ARG, qps_add_qpimage(s, b, "x", -9, 1));
    CHECK_OK(qps_len(s, &n));
    CHECK(n == 3, "failed adds leave no member");
    CHECK_OK(qps_close(s));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_pha(m1, got, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_get_pha(m1b, got, MN));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_close(m2));
    /* the source images are independent of the series */
    CHECK_OK(qpi_get_bg_pha(b, got, MN));
    CHECK_ARRAY_EXACT(got, bgb_own, MN, "source image unchanged");
    CHECK_OK(qpi_close(a));
    CHECK_OK(qpi_close(b));

    /* reopened from disk with meta_data: written into every member */
    snprintf(opts, sizeof opts, "{\"h5file\": \"%s\", \"meta_data\": {\"time\": 1.25}}", path);
    REQUIRE_OK(qps_new(opts, &s));
    CHECK_OK(qps_close(s));
    REQUIRE_OK(qps_open(path, NULL, &s));
    CHECK_OK(qps_len(s, &n));
    CHECK(n == 3, "reopened length");
    CHECK_OK(fetch_string(qps_identifiers_json, s, &str));
    CHECK_STREQ(str, "[\"a\",\"b\",\"a2\"]");
    free(str);
    CHECK_OK(qps_get_qpimage(s, 0, &m0));
    CHECK_OK(qps_get_qpimage(s, 2, &m2));
    CHECK_OK(qpi_get_bg_pha(m0, got0, MN));
    CHECK_OK(qpi_get_bg_pha(m2, got, MN));
    CHECK_ARRAY_EXACT(got, got0, MN, "reopened: linked background");
    for (int k = 0; k < 3; k++) {
        qpgo_handle m = 0;
        t = 0;
        CHECK_OK(qps_get_qpimage(s, k, &m));
        CHECK_OK(qpi_get_meta_double(m, "time", &t));
        CHECK(t == 1.25, "series meta_data written into every member");
    }
    CHECK_OK(fetch_string(qps_identifier, s, &str));
    CHECK_STREQ(str, "built");
    free(str);
    CHECK_OK(qps_close(s));

    /* iterating the read-only file (members read ahead): the members in
     * index order, as qps_get_qpimage gives them, then 0 */
    REQUIRE_OK(qps_open(path, "r", &s));
    for (int pass = 0; pass < 2; pass++) {
        qpgo_handle it = 0, m = 0;
        REQUIRE_OK(qps_iter_new(s, &it));
        int k = 0;
        for (;;) {
            CHECK_OK(qps_iter_next(it, &m));
            if (!m) break;
            qpgo_handle byidx = 0;
            double want[MN];
            CHECK_OK(qps_get_qpimage(s, k, &byidx));
            CHECK_OK(qpi_get_pha(byidx, want, MN));
            CHECK_OK(qpi_get_pha(m, got, MN));
            CHECK_ARRAY_EXACT(got, want, MN, "iterated member's phase");
            CHECK_OK(qpi_get_bg_pha(m, got, MN));
            k++;
            if (pass == 1 && k == 2) break; /* leave the loop early */
        }
        CHECK(k == (pass == 0 ? 3 : 2), "members yielded");
        if (pass == 0) {
            CHECK_OK(qps_iter_next(it, &m)); /* past the end: still 0 */
            CHECK(m == 0, "no member after the last");
        }
        CHECK_OK(qps_iter_close(it));
        CHECK_RC(QPGO_ERR_HANDLE, qps_iter_next(it, &m));
        CHECK_RC(QPGO_ERR_HANDLE, qps_iter_close(it));
    }
    {
        /* the series close releases its iterators; views they gave too */
        qpgo_handle it = 0, m = 0, other = 0;
        REQUIRE_OK(qps_iter_new(s, &it));
        CHECK_OK(qps_iter_next(it, &m));
        CHECK_RC(QPGO_ERR_ARG, qps_iter_next(it, NULL));
        CHECK_RC(QPGO_ERR_ARG, qps_iter_new(s, NULL));
        CHECK_RC(QPGO_ERR_HANDLE, qps_iter_new(m, &other));   /* an image is not a series */
        CHECK_RC(QPGO_ERR_HANDLE, fls_iter_next(it, &other)); /* a QPSeries iterator */
        CHECK_RC(QPGO_ERR_HANDLE, qps_iter_next(s, &other));  /* a series is not an iterator */
        CHECK_OK(qps_close(s));
        CHECK_RC(QPGO_ERR_HANDLE, qps_iter_next(it, &other));
        CHECK_RC(QPGO_ERR_HANDLE, qpi_get_pha(m, got, MN));
        CHECK_RC(QPGO_ERR_HANDLE, qps_iter_close(it));
    }

    /* in-memory series, no identifier */
    REQUIRE_OK(qps_new(NULL, &s));
    CHECK_OK(fetch_string(qps_identifier, s, &str));
    CHECK_STREQ(str, "");
    free(str);
    qpgo_handle c = make_qpi(1.0, "c", 0);
    CHECK_OK(qps_add_qpimage(s, c, "", 0, 0));
    CHECK_OK(qps_add_qpimage(s, c, "c2", 0, 1));
    CHECK_OK(fetch_string(qps_identifiers_json, s, &str));
    CHECK_STREQ(str, "[\"c\",\"c2\"]");
    free(str);
    CHECK_OK(qpi_close(c));
    CHECK_OK(qps_close(s));
}


/* Views used on other threads while the series is closed: every call
 * either succeeds or fails with QPGO_ERR_HANDLE, never touches a closed
 * file and never crashes. */
typedef struct {
    qpgo_handle view;
    int ok, last_rc;
} view_worker;

static void *view_loop(void *arg) {
    view_worker *w = arg;
    double buf[MN];
    for (;;) {
        int rc = qpi_get_pha(w->view, buf, MN);
        if (rc != QPGO_OK) {
            w->last_rc = rc;
            return NULL;
        }
        w->ok++;
    }
}

static void test_views_close_race(void) {
    qpgo_handle s = 0, a = make_qpi(1.0, "r", 0.1);
    REQUIRE_OK(qps_new(NULL, &s));
    CHECK_OK(qps_add_qpimage(s, a, NULL, 0, 0));
    enum { T = 4 };
    view_worker w[T];
    pthread_t th[T];
    for (int i = 0; i < T; i++) {
        w[i].ok = 0;
        w[i].last_rc = 0;
        CHECK_OK(qps_get_qpimage(s, 0, &w[i].view));
        pthread_create(&th[i], NULL, view_loop, &w[i]);
    }
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    CHECK_OK(qps_close(s));
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        CHECK(w[i].last_rc == QPGO_ERR_HANDLE, "view ends with a handle error");
    }
    CHECK_OK(qpi_close(a));
}

/* ------------------------------------------------------------------ */
/* FLImage                                                             */

static void test_flimage(void) {
    enum { R = 4, C = 6, RC = R * C };
    double d[RC], bg[RC], got[RC], exp_[RC];
    int64_t dims[2] = {R, C};
    for (int i = 0; i < RC; i++) {
        d[i] = 100.0 + 1.37 * i;
        bg[i] = 10.0 + 0.11 * i;
    }
    const char *path = tmpfile_("fli.h5");
    char opts[1200];
    snprintf(opts, sizeof opts, "{\"h5file\": \"%s\", \"h5mode\": \"w\", \"meta_data\": "
             "{\"time\": 1.5, \"pixel size\": 2e-7, \"identifier\": \"img_a\", \"angle\": 3}}", path);
    qpgo_handle h = 0;
    REQUIRE_OK(fli_new(d, 2, dims, bg, opts, &h));
    CHECK_OK(fli_close(h));
    REQUIRE_OK(fli_open(path, "a", &h));
    int64_t shape[2] = {0, 0};
    CHECK_OK(fli_shape(h, shape));
    CHECK(shape[0] == R && shape[1] == C, "fli shape");
    int dt = 0;
    CHECK_OK(fli_dtype(h, &dt));
    CHECK(dt == QPGO_FLOAT32, "fli dtype float32");
    for (int i = 0; i < RC; i++) exp_[i] = (float)d[i];
    CHECK_OK(fli_get_raw_fl(h, got, RC));
    CHECK_ARRAY_EXACT(got, exp_, RC, "raw_fl");
    for (int i = 0; i < RC; i++) exp_[i] = (float)bg[i];
    CHECK_OK(fli_get_bg_fl(h, got, RC));
    CHECK_ARRAY_EXACT(got, exp_, RC, "bg_fl");
    for (int i = 0; i < RC; i++) exp_[i] = (double)(float)d[i] - (double)(float)bg[i];
    CHECK_OK(fli_get_fl(h, got, RC));
    CHECK_ARRAY_EXACT(got, exp_, RC, "fl");
    CHECK_RC(QPGO_ERR_BUFFER, fli_get_fl(h, got, RC - 1));

    double v = 0;
    CHECK_OK(fli_get_meta_double(h, "time", &v));
    CHECK(v == 1.5, "time");
    CHECK_RC(QPGO_ERR_META_MISSING, fli_get_meta_double(h, "date", &v));
    CHECK_RC(QPGO_ERR_KEY, fli_get_meta_double(h, "wavelength", &v)); /* not an FLImage key */
    char *s = NULL;
    CHECK_OK(fetch_keyed(fli_get_meta_string, h, "identifier", &s));
    CHECK_STREQ(s, "img_a");
    free(s);
    CHECK_RC(QPGO_ERR_ARG, fli_get_meta_string(h, "time", NULL, 0, &shape[0]));
    int has = -1;
    CHECK_OK(fli_has_meta(h, "angle", &has));
    CHECK(has == 1, "has angle");
    CHECK_OK(fli_has_meta(h, "date", &has));
    CHECK(has == 0, "no date");
    CHECK_OK(fetch_keyed(fli_get_meta_json, h, NULL, &s));
    if (s) {
        CHECK_CONTAINS(s, "\"angle\":{\"type\":\"int64\",\"value\":3}");
        CHECK_CONTAINS(s, "\"flimage version\":{\"type\":\"str\",\"value\":\"0.3.3\"}");
        CHECK_CONTAINS(s, "\"time\":{\"type\":\"float64\",\"value\":1.5}");
        free(s);
    }
    CHECK_OK(fetch_keyed(fli_get_meta_json, h, "time", &s));
    CHECK_STREQ(s, "{\"type\":\"float64\",\"value\":1.5}");
    free(s);
    CHECK_OK(fli_set_meta(h, "{\"date\": \"2024-01-02\", \"time\": 2}"));
    CHECK_OK(fetch_keyed(fli_get_meta_string, h, "date", &s));
    CHECK_STREQ(s, "2024-01-02");
    free(s);
    CHECK_RC(QPGO_ERR_KEY, fli_set_meta(h, "{\"time\": 5, \"wavelength\": 5e-7}"));
    CHECK_OK(fli_get_meta_double(h, "time", &v));
    CHECK(v == 2.0, "nothing written on an unknown key");
    CHECK_OK(fetch_string(fli_info, h, &s));
    if (s) {
        CHECK_CONTAINS(s, "[\"identifier\",\"img_a\",\"str\"]");
        CHECK_CONTAINS(s, "[\"fluorescence background CLASS\",\"IMAGE\",\"bytes\"]");
        free(s);
    }
    CHECK_OK(fetch_string(fli_repr, h, &s));
    CHECK_STREQ(s, "FLImage <img_a>, 4x6px");
    free(s);

    /* copy, equal, slice, backgrounds */
    qpgo_handle c = 0, c2 = 0, sl = 0;
    int eq = -1;
    CHECK_OK(fli_copy(h, NULL, &c));
    CHECK_OK(fli_equal(h, c, &eq));
    CHECK(eq == 1, "copy equal");
    CHECK_OK(fli_copy(h, tmpfile_("fli_copy.h5"), &c2));
    CHECK_OK(fli_equal(c2, h, &eq));
    CHECK(eq == 1, "file copy equal");
    CHECK_OK(fli_set_bg_data(c, NULL, 0, NULL));
    CHECK_OK(fli_equal(h, c, &eq));
    CHECK(eq == 0, "no longer equal without background");
    for (int i = 0; i < RC; i++) exp_[i] = (float)d[i];
    CHECK_OK(fli_get_fl(c, got, RC));
    CHECK_ARRAY_EXACT(got, exp_, RC, "fl without background");
    double bgrow[C];
    int64_t bdims[1] = {C};
    for (int i = 0; i < C; i++) bgrow[i] = 1.0 * i;
    CHECK_OK(fli_set_bg_data(c, bgrow, 1, bdims)); /* broadcast over rows */
    CHECK_OK(fli_get_bg_fl(c, got, RC));
    CHECK(got[C + 2] == 2.0 && got[3 * C + 5] == 5.0, "broadcast background");
    int64_t bad[2] = {R + 1, C};
    double big[(R + 1) * C];
    memset(big, 0, sizeof big);
    CHECK_RC(QPGO_ERR_ARG, fli_set_bg_data(c, big, 2, bad));
    CHECK_OK(fli_set_bg_data_fli(c, h));
    CHECK_OK(fli_get_bg_fl(c, got, RC));
    for (int i = 0; i < RC; i++) exp_[i] = (double)(float)((double)(float)d[i] - (double)(float)bg[i]);
    CHECK_ARRAY_EXACT(got, exp_, RC, "background from another FLImage");

    int64_t ranges[6] = {1, 3, 1, 0, 6, 2};
    CHECK_OK(fli_slice(h, ranges, 2, &sl));
    CHECK_OK(fli_shape(sl, shape));
    CHECK(shape[0] == 2 && shape[1] == 3, "slice shape");
    double sgot[6], all[RC];
    CHECK_OK(fli_get_fl(sl, sgot, 6));
    CHECK_OK(fli_get_fl(h, all, RC));
    double sexp[6] = {all[C + 0], all[C + 2], all[C + 4], all[2 * C + 0], all[2 * C + 2], all[2 * C + 4]};
    CHECK_ARRAY_EXACT(sgot, sexp, 6, "slice fl (background carried over)");
    CHECK_OK(fli_close(sl));
    ranges[2] = 0;
    CHECK_RC(QPGO_ERR_ARG, fli_slice(h, ranges, 1, &sl));
    CHECK_RC(QPGO_ERR_ARG, fli_slice(h, ranges, 3, &sl));
    CHECK(sl == 0, "out zeroed");
    CHECK_OK(fli_close(c));
    CHECK_OK(fli_close(c2));
    CHECK_OK(fli_close(h));

    /* read-only file */
    REQUIRE_OK(fli_open(path, NULL, &h));
    CHECK_RC(QPGO_ERR_IO, fli_set_meta(h, "{\"time\": 3}"));
    CHECK_OK(fli_close(h));

    /* float64 storage, in memory, without data */
    CHECK_OK(fli_new(d, 2, dims, NULL, "{\"h5dtype\": \"float64\"}", &h));
    CHECK_OK(fli_get_fl(h, got, RC));
    CHECK_ARRAY_EXACT(got, d, RC, "float64 fl");
    CHECK_OK(fli_dtype(h, &dt));
    CHECK(dt == QPGO_FLOAT64, "dtype float64");
    CHECK_OK(fetch_string(fli_repr, h, &s));
    CHECK_CONTAINS(s, ", 4x6px");
    free(s);
    CHECK_OK(fli_close(h));
    CHECK_OK(fli_new(NULL, 0, NULL, NULL, NULL, &h));
    CHECK_OK(fli_close(h));

    /* the upstream file */
    npy_array e;
    REQUIRE_OK(fli_open(fixture("fl_image_file", "flimage.h5"), "r", &h));
    CHECK_OK(fetch_string(fli_repr, h, &s));
    CHECK_STREQ(s, "FLImage <img_a>, 32x36px");
    free(s);
    double fbuf[32 * 36];
    const char *names[3] = {"fl.npy", "bg_fl.npy", "expected_fl.npy"};
    int (*getters[3])(qpgo_handle, double *, int64_t) = {fli_get_raw_fl, fli_get_bg_fl, fli_get_fl};
    for (int k = 0; k < 3; k++) {
        if (load("fl_image_file", names[k], &e) == 0) {
            CHECK_OK(getters[k](h, fbuf, 32 * 36));
            CHECK_ARRAY_EXACT(fbuf, e.data, e.n, names[k]);
            npy_free(&e);
        }
    }
    CHECK_OK(fetch_string(fli_info, h, &s));
    if (s) {
        CHECK_CONTAINS(s, "[\"angle\",0.1,\"float64\"],[\"date\",\"2024-01-02\",\"str\"]");
        free(s);
    }
    CHECK_OK(fli_close(h));
}

/* ------------------------------------------------------------------ */
/* FLSeries                                                            */

typedef struct {
    int calls;
    int64_t last_done, last_total;
    int64_t cancel_at; /* 0: never */
    int monotonic;
} progress_state;

static int on_progress(int64_t done, int64_t total, void *user) {
    progress_state *p = user;
    if (done < p->last_done || done > total) p->monotonic = 0;
    p->calls++;
    p->last_done = done;
    p->last_total = total;
    return p->cancel_at && done >= p->cancel_at;
}

static void test_flseries_build(void) {
    qpgo_handle s = 0, f = 0, v = 0;
    REQUIRE_OK(fls_new("{\"identifier\": \"fs\"}", &s));
    double d[12];
    int64_t dims[2] = {3, 4};
    for (int i = 0; i < 12; i++) d[i] = i;
    for (int k = 0; k < 3; k++) {
        char opts[200];
        snprintf(opts, sizeof opts, "{\"meta_data\": {\"time\": %d, \"identifier\": \"f%d\"}}", k, k);
        CHECK_OK(fli_new(d, 2, dims, NULL, opts, &f));
        CHECK_OK(fls_add_flimage(s, f, NULL));
        CHECK_RC(QPGO_ERR_ARG, fls_add_flimage(s, f, NULL)); /* duplicate */
        CHECK_OK(fli_close(f));
    }
    CHECK_RC(QPGO_ERR_HANDLE, fls_add_flimage(s, f, NULL));
    int64_t n = 0;
    CHECK_OK(fls_len(s, &n));
    CHECK(n == 3, "fls len");
    char *str = NULL;
    CHECK_OK(fetch_string(fls_identifier, s, &str));
    CHECK_STREQ(str, "fs");
    free(str);
    CHECK_OK(fetch_string(fls_identifiers_json, s, &str));
    CHECK_STREQ(str, "[\"f0\",\"f1\",\"f2\"]");
    free(str);
    int has = 0;
    CHECK_OK(fls_contains(s, "f1", &has));
    CHECK(has == 1, "contains f1");
    CHECK_OK(fls_get_flimage(s, -1, &v));
    double t = -1;
    CHECK_OK(fli_get_meta_double(v, "time", &t));
    CHECK(t == 2.0, "last member time");
    CHECK_OK(fli_close(v));
    CHECK_OK(fls_get_flimage_by_id(s, "f1", &v));
    CHECK_OK(fli_get_meta_double(v, "time", &t));
    CHECK(t == 1.0, "member f1");
    CHECK_RC(QPGO_ERR_NOT_FOUND, fls_get_flimage(s, 3, &f));
    CHECK_RC(QPGO_ERR_ARG, fls_get_flimage(s, -4, &f));
    CHECK_RC(QPGO_ERR_NOT_FOUND, fls_get_flimage_by_id(s, "zz", &f));
    CHECK_OK(fls_close(s));
    CHECK_RC(QPGO_ERR_HANDLE, fli_get_meta_double(v, "time", &t));
    CHECK_RC(QPGO_ERR_HANDLE, fli_close(v));
}

static void test_bleach(void) {
    const char *dir = "fl_bleach_border4";
    qpgo_handle s = 0;
    REQUIRE_OK(fls_open(fixture(dir, "series_in.h5"), "r", &s));
    int64_t n = 0;
    CHECK_OK(fls_len(s, &n));
    CHECK(n == 6, "6 frames");
    double bg = 0, flint[8], decay[8], times[8];
    progress_state p = {0, 0, 0, 0, 1};
    const char *out = tmpfile_("bleach_out.h5");
    char opts[1200];
    snprintf(opts, sizeof opts, "{\"h5out\": \"%s\", \"border_px\": 4}", out);
    REQUIRE_OK(fls_bleach_correction(s, opts, 0, &bg, flint, decay, times, 8, on_progress, &p));
    CHECK(fabs(bg - 17.549753695395257) <= 1e-9 + 1e-12 * 17.55, "bg");
    npy_array e;
    if (load(dir, "flint.npy", &e) == 0) {
        CHECK(e.n == 6, "flint size");
        CHECK_ARRAY_CLOSE(flint, e.data, e.n, 1e-10, 1e-6, "flint");
        npy_free(&e);
    }
    if (load(dir, "decay.npy", &e) == 0) {
        CHECK_ARRAY_CLOSE(decay, e.data, e.n, 1e-6, 1e-6, "decay");
        npy_free(&e);
    }
    if (load(dir, "times.npy", &e) == 0) {
        CHECK_ARRAY_EXACT(times, e.data, e.n, "times");
        npy_free(&e);
    }
    CHECK(p.calls == 18 && p.last_done == 18 && p.last_total == 18 && p.monotonic,
          "progress counts 2N + N written");

    /* the written series */
    qpgo_handle o = 0, v = 0;
    REQUIRE_OK(fls_open(out, "r", &o));
    CHECK_OK(fls_len(o, &n));
    CHECK(n == 6, "6 corrected images");
    if (load(dir, "corrected.npy", &e) == 0) {
        double buf[32 * 36];
        for (int i = 0; i < 6; i++) {
            CHECK_OK(fls_get_flimage(o, i, &v));
            CHECK_OK(fli_get_fl(v, buf, 32 * 36));
            CHECK_ARRAY_CLOSE(buf, e.data + i * 32 * 36, 32 * 36, 1e-5, 1e-4, "corrected");
            CHECK_OK(fli_close(v));
        }
        npy_free(&e);
    }
    char *str = NULL;
    CHECK_OK(fetch_string(fls_identifiers_json, o, &str));
    CHECK_STREQ(str, "[\"frame0\",\"frame1\",\"frame2\",\"frame3\",\"frame4\",\"frame5\"]");
    free(str);
    CHECK_OK(fls_close(o));

    /* no output, NULL outputs, flscorr = the series itself */
    double bg2 = 0;
    CHECK_OK(fls_bleach_correction(s, "{\"border_px\": 4}", s, &bg2, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK(bg2 == bg, "same background without output");
    CHECK_RC(QPGO_ERR_BUFFER, fls_bleach_correction(s, "{\"border_px\": 4}", 0, NULL, flint, NULL, NULL, 5, NULL, NULL));
    /* writing again into the same output: identifier clash, nothing written */
    CHECK_RC(QPGO_ERR_ARG, fls_bleach_correction(s, opts, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL));

    /* cancelled half way through writing: a valid series of 3 images */
    const char *out2 = tmpfile_("bleach_cancel.h5");
    snprintf(opts, sizeof opts, "{\"h5out\": \"%s\", \"border_px\": 4}", out2);
    progress_state pc = {0, 0, 0, 15, 1};
    CHECK_RC(QPGO_ERR_CANCELLED, fls_bleach_correction(s, opts, 0, &bg2, flint, decay, times, 8, on_progress, &pc));
    CHECK(pc.calls == 15, "cancelled at the 15th call");
    REQUIRE_OK(fls_open(out2, "r", &o));
    CHECK_OK(fls_len(o, &n));
    CHECK(n == 3, "3 of 6 images written before cancelling");
    CHECK_OK(fls_get_flimage(o, 2, &v));
    double t = 0;
    CHECK_OK(fli_get_meta_double(v, "time", &t));
    CHECK(t == 4.872256959462249, "third image's time");
    CHECK_OK(fls_close(o));

    /* cancelled before the output is touched: no file */
    const char *out3 = tmpfile_("bleach_cancel_early.h5");
    snprintf(opts, sizeof opts, "{\"h5out\": \"%s\"}", out3);
    progress_state pe = {0, 0, 0, 2, 1};
    CHECK_RC(QPGO_ERR_CANCELLED, fls_bleach_correction(s, opts, 0, NULL, NULL, NULL, NULL, 0, on_progress, &pe));
    CHECK(access(out3, F_OK) != 0, "no output file after an early cancel");
    CHECK_OK(fls_close(s));

    /* missing "time" meta data */
    qpgo_handle ms = 0, f = 0;
    double d[64];
    int64_t dims[2] = {8, 8};
    for (int i = 0; i < 64; i++) d[i] = i;
    CHECK_OK(fls_new(NULL, &ms));
    CHECK_OK(fli_new(d, 2, dims, NULL, NULL, &f));
    CHECK_OK(fls_add_flimage(ms, f, "x"));
    CHECK_RC(QPGO_ERR_META_MISSING, fls_bleach_correction(ms, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_OK(fli_close(f));
    CHECK_OK(fls_close(ms));
}

static void test_denoise(void) {
    const char *dir = "fl_denoise";
    qpgo_handle s = 0, o = 0, v = 0;
    REQUIRE_OK(fls_open(fixture(dir, "series_in.h5"), NULL, &s));
    const char *out = tmpfile_("denoised.h5");
    char opts[1200];
    snprintf(opts, sizeof opts, "{\"h5file\": \"%s\"}", out);
    progress_state p = {0, 0, 0, 0, 1};
    REQUIRE_OK(fls_denoise(s, opts, on_progress, &p));
    CHECK(p.calls == 3 && p.last_done == 3 && p.last_total == 3 && p.monotonic, "denoise progress");
    REQUIRE_OK(fls_open(out, "r", &o));
    int64_t n = 0;
    CHECK_OK(fls_len(o, &n));
    CHECK(n == 3, "3 denoised images");
    npy_array e;
    if (load(dir, "denoised.npy", &e) == 0) {
        double buf[32 * 36];
        for (int i = 0; i < 3 && i < n; i++) {
            CHECK_OK(fls_get_flimage(o, i, &v));
            CHECK_OK(fli_get_raw_fl(v, buf, 32 * 36));
            CHECK_ARRAY_CLOSE(buf, e.data + i * 32 * 36, 32 * 36, 1e-6, 2e-5, "denoised");
        }
        npy_free(&e);
    }
    CHECK_OK(fls_close(o));
    CHECK_RC(QPGO_ERR_HANDLE, fli_close(v));
    /* again into the same file: identifier clash */
    CHECK_RC(QPGO_ERR_ARG, fls_denoise(s, opts, NULL, NULL));
    /* cancelled after the first image */
    const char *out2 = tmpfile_("denoised_cancel.h5");
    snprintf(opts, sizeof opts, "{\"h5file\": \"%s\"}", out2);
    progress_state pc = {0, 0, 0, 1, 1};
    CHECK_RC(QPGO_ERR_CANCELLED, fls_denoise(s, opts, on_progress, &pc));
    REQUIRE_OK(fls_open(out2, "r", &o));
    CHECK_OK(fls_len(o, &n));
    CHECK(n == 1, "one image before cancelling");
    CHECK_OK(fls_close(o));
    CHECK_RC(QPGO_ERR_ARG, fls_denoise(s, NULL, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, fls_denoise(s, "{\"h5file\": 3}", NULL, NULL));
    CHECK_OK(fls_close(s));
}

/* ------------------------------------------------------------------ */
/* bg_estimate                                                         */

static void test_bg_estimate(void) {
    npy_array pha, e;
    if (load("bg_tilt_mean", "pha.npy", &pha) != 0) return;
    int64_t rows = pha.shape[0], cols = pha.shape[1];
    long n = pha.n;
    double *bg = malloc(sizeof(double) * n), *prof = malloc(sizeof(double) * n);
    uint8_t *mask = malloc(n);
    CHECK_OK(qpgo_bg_estimate(pha.data, rows, cols,
                              "{\"fit_offset\": \"mean\", \"fit_profile\": \"tilt\", \"border_px\": 4}",
                              NULL, bg, mask));
    if (load("bg_tilt_mean", "bg_fit_pha_float64.npy", &e) == 0) {
        CHECK_ARRAY_CLOSE(bg, e.data, n, 1e-8, 3e-8, "bg_fit_pha_float64");
        CHECK_OK(qpgo_bg_profile(pha.data, rows, cols, "tilt", mask, prof));
        CHECK_ARRAY_CLOSE(prof, e.data, n, 1e-8, 3e-8, "profile_tilt (offset ~1e-11)");
        npy_free(&e);
    }
    if (load("bg_tilt_mean", "returned_mask.npy", &e) == 0) {
        int same = 1, cnt = 0;
        for (long i = 0; i < n; i++) {
            same &= mask[i] == (e.data[i] != 0);
            cnt += mask[i];
        }
        CHECK(same, "returned mask");
        CHECK(cnt == 416, "416 border pixels");
        npy_free(&e);
    }
    /* same result with the mask given instead of the border */
    double *bg2 = malloc(sizeof(double) * n);
    CHECK_OK(qpgo_bg_estimate(pha.data, rows, cols, "{\"fit_profile\": \"tilt\"}", mask, bg2, NULL));
    CHECK_ARRAY_EXACT(bg2, bg, n, "from_mask = border frame");
    CHECK_OK(qpgo_bg_profile(pha.data, rows, cols, "poly2o", NULL, prof));
    CHECK_OK(qpgo_bg_profile(pha.data, rows, cols, "tilt", NULL, prof));
    /* errors */
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_estimate(pha.data, rows, cols, "{\"fit_profile\": \"cubic\"}", NULL, bg, NULL));
    CHECK_CONTAINS(qpgo_errmsg(), "`fit_profile` must be one of");
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_estimate(pha.data, rows, cols, "{\"fit_offset\": \"fit\", \"fit_profile\": \"offset\"}", NULL, bg, NULL));
    CHECK_RC(QPGO_ERR_KEY, qpgo_bg_estimate(pha.data, rows, cols, "{\"border_m\": 1}", NULL, bg, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_estimate(NULL, rows, cols, NULL, NULL, bg, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_estimate(pha.data, rows, cols, NULL, NULL, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_estimate(pha.data, 0, cols, NULL, NULL, bg, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_estimate(pha.data, rows, -1, NULL, NULL, bg, NULL));
    memset(mask, 0, n);
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_estimate(pha.data, rows, cols, NULL, mask, bg, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_profile(pha.data, rows, cols, "offset", NULL, prof));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_profile(pha.data, rows, cols, NULL, NULL, prof));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_profile(NULL, rows, cols, "tilt", NULL, prof));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_profile(pha.data, rows, cols, "tilt", NULL, NULL));
    free(bg);
    free(bg2);
    free(prof);
    free(mask);
    npy_free(&pha);

    /* the reference numbers of qpimage.md §5.2 */
    if (load("bg_offset_reference_200", "pha.npy", &pha) != 0) return;
    n = pha.n;
    bg = malloc(sizeof(double) * n);
    mask = malloc(n);
    const char *offs[3] = {"mean", "mode", "gauss"};
    const double expect[3] = {-0.0011984843060164104, -0.04402273169144009, -0.00039833492128835563};
    const double atol[3] = {1e-12, 1e-12, 1e-7};
    const double mean_in = 2.5003227280152887;
    double offset[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        char opts[200];
        snprintf(opts, sizeof opts, "{\"fit_offset\": \"%s\", \"fit_profile\": \"offset\", \"border_px\": 5}", offs[k]);
        CHECK_OK(qpgo_bg_estimate(pha.data, 200, 200, opts, NULL, bg, mask));
        double sum = 0;
        for (long i = 0; i < n; i++) sum += pha.data[i] - bg[i];
        double mean = sum / n;
        offset[k] = bg[0];
        CHECK(fabs(mean - expect[k]) <= atol[k], offs[k]);
        if (fabs(mean - expect[k]) > atol[k])
            fprintf(stderr, "  %s: mean %.17g expected %.17g\n", offs[k], mean, expect[k]);
    }
    /* the border values directly through offset_mode / offset_gaussian */
    double *border = malloc(sizeof(double) * n);
    long nb = 0;
    for (long i = 0; i < n; i++)
        if (mask[i]) border[nb++] = pha.data[i];
    CHECK(nb == 3900, "3900 border pixels");
    double om = 0, og = 0;
    CHECK_OK(qpgo_bg_offset_mode(border, nb, &om));
    CHECK(om == offset[1], "offset_mode = estimate's mode offset");
    CHECK(fabs((mean_in - om) - expect[1]) <= 1e-11, "offset_mode reference");
    CHECK_OK(qpgo_bg_offset_gaussian(border, nb, &og));
    CHECK(og == offset[2], "offset_gaussian = estimate's gauss offset");
    CHECK(fabs((mean_in - og) - expect[2]) <= 1e-7, "offset_gaussian reference");
    double one = 3.5;
    CHECK_OK(qpgo_bg_offset_mode(&one, 1, &om));
    CHECK(om == 3.5, "single value");
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_mode(border, 0, &om));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_mode(NULL, 3, &om));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_mode(border, 3, NULL));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_gaussian(border, -1, &og));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_gaussian(NULL, 3, &og));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_gaussian(border, 3, NULL));
    border[1] = NAN;
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_mode(border, 3, &om));
    CHECK_RC(QPGO_ERR_ARG, qpgo_bg_offset_gaussian(border, 3, &og));
    free(border);
    free(bg);
    free(mask);
    npy_free(&pha);
}

/* ------------------------------------------------------------------ */
/* NULL pointers, bad handles, unknown keys                            */

static void test_errors(void) {
    qpgo_handle out = 123, q = 0, s = 0, f = 0, fs = 0;
    int64_t n = 0, dims[2] = {2, 2};
    int i = 0;
    double d[4] = {1, 2, 3, 4}, buf[4];
    char sbuf[3];
    int64_t rng[3] = {0, 2, 1};

    /* QPSeries */
    CHECK_RC(QPGO_ERR_ARG, qps_new(NULL, NULL));
    CHECK_RC(QPGO_ERR_KEY, qps_new("{\"h5dtype\": \"float32\"}", &out));
    CHECK(out == 0, "out zeroed");
    CHECK_RC(QPGO_ERR_KEY, qps_new("{\"meta_data\": {\"colour\": 1}}", &out));
    CHECK_RC(QPGO_ERR_ARG, qps_new("{\"identifier\": 5}", &out));
    CHECK_RC(QPGO_ERR_ARG, qps_new("[1]", &out));
    CHECK_RC(QPGO_ERR_ARG, qps_open(NULL, "r", &out));
    CHECK_RC(QPGO_ERR_ARG, qps_open(tmpfile_("x.h5"), "r", NULL));
    CHECK_RC(QPGO_ERR_IO, qps_open(tmpfile_("missing.h5"), "r", &out));
    CHECK_RC(QPGO_ERR_ARG, qps_open(tmpfile_("x.h5"), "q", &out));
    CHECK_RC(QPGO_ERR_HANDLE, qps_close(0));
    CHECK_RC(QPGO_ERR_HANDLE, qps_close(-3));
    CHECK_RC(QPGO_ERR_HANDLE, qps_len(0, &n));
    CHECK_RC(QPGO_ERR_HANDLE, qps_add_qpimage(0, 0, NULL, 0, 0));
    CHECK_RC(QPGO_ERR_HANDLE, qps_get_qpimage(99999, 0, &out));
    CHECK_RC(QPGO_ERR_HANDLE, qps_get_qpimage_by_id(99999, "a", &out));
    CHECK_RC(QPGO_ERR_HANDLE, qps_contains(99999, "a", &i));
    CHECK_RC(QPGO_ERR_HANDLE, qps_identifier(99999, NULL, 0, &n));
    CHECK_RC(QPGO_ERR_HANDLE, qps_identifiers_json(99999, NULL, 0, &n));

    REQUIRE_OK(qps_new("{\"identifier\": \"abc\"}", &s));
    REQUIRE_OK(qpi_new("phase", d, 2, dims, NULL, NULL, &q));
    REQUIRE_OK(fli_new(d, 2, dims, NULL, NULL, &f));
    REQUIRE_OK(fls_new(NULL, &fs));
    CHECK_RC(QPGO_ERR_ARG, qps_len(s, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, qps_len(fs, &n)); /* wrong family */
    CHECK_RC(QPGO_ERR_HANDLE, qps_len(q, &n));
    CHECK_RC(QPGO_ERR_HANDLE, qps_add_qpimage(s, f, NULL, 0, 0));
    CHECK_RC(QPGO_ERR_NOT_FOUND, qps_add_qpimage(s, q, NULL, 0, 1)); /* no member 0 yet */
    CHECK_RC(QPGO_ERR_ARG, qps_get_qpimage(s, 0, NULL));
    CHECK_RC(QPGO_ERR_NOT_FOUND, qps_get_qpimage(s, 0, &out));
    CHECK_RC(QPGO_ERR_ARG, qps_get_qpimage_by_id(s, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, qps_get_qpimage_by_id(s, "a", NULL));
    CHECK_RC(QPGO_ERR_ARG, qps_contains(s, NULL, &i));
    CHECK_RC(QPGO_ERR_ARG, qps_contains(s, "a", NULL));
    CHECK_RC(QPGO_ERR_ARG, qps_identifier(s, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_BUFFER, qps_identifier(s, sbuf, sizeof sbuf, NULL));
    CHECK_RC(QPGO_ERR_ARG, qps_identifiers_json(s, NULL, 0, NULL));

    /* FLImage */
    CHECK_RC(QPGO_ERR_ARG, fli_new(d, 2, dims, NULL, NULL, NULL));
    CHECK_RC(QPGO_ERR_KEY, fli_new(d, 2, dims, NULL, "{\"proc_phase\": true}", &out));
    CHECK_RC(QPGO_ERR_KEY, fli_new(d, 2, dims, NULL, "{\"meta_data\": {\"wavelength\": 5e-7}}", &out));
    CHECK_RC(QPGO_ERR_ARG, fli_new(d, 2, dims, NULL, "{\"h5dtype\": \"int8\"}", &out));
    CHECK_RC(QPGO_ERR_ARG, fli_new(d, 2, NULL, NULL, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, fli_new(d, 1, dims, NULL, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, fli_new(NULL, 2, dims, d, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, fli_open(NULL, "r", &out));
    CHECK_RC(QPGO_ERR_ARG, fli_open(tmpfile_("x.h5"), "r", NULL));
    CHECK_RC(QPGO_ERR_IO, fli_open(tmpfile_("missing.h5"), "r", &out));
    CHECK_RC(QPGO_ERR_HANDLE, fli_close(0));
    CHECK_RC(QPGO_ERR_HANDLE, fli_close(q));
    CHECK_RC(QPGO_ERR_HANDLE, fli_copy(q, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, fli_copy(f, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, fli_shape(f, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fli_shape(s, dims));
    CHECK_RC(QPGO_ERR_ARG, fli_dtype(f, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fli_dtype(0, &i));
    CHECK_RC(QPGO_ERR_ARG, fli_get_fl(f, NULL, 4));
    CHECK_RC(QPGO_ERR_ARG, fli_get_raw_fl(f, NULL, 4));
    CHECK_RC(QPGO_ERR_ARG, fli_get_bg_fl(f, NULL, 4));
    CHECK_RC(QPGO_ERR_BUFFER, fli_get_raw_fl(f, buf, 3));
    CHECK_RC(QPGO_ERR_HANDLE, fli_get_fl(q, buf, 4));
    CHECK_RC(QPGO_ERR_HANDLE, fli_get_raw_fl(0, buf, 4));
    CHECK_RC(QPGO_ERR_HANDLE, fli_get_bg_fl(0, buf, 4));
    CHECK_RC(QPGO_ERR_ARG, fli_set_bg_data(f, d, 2, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fli_set_bg_data(q, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fli_set_bg_data_fli(f, q));
    CHECK_RC(QPGO_ERR_ARG, fli_set_meta(f, NULL));
    CHECK_RC(QPGO_ERR_ARG, fli_set_meta(f, "{\"time\": null}"));
    CHECK_RC(QPGO_ERR_KEY, fli_set_meta(f, "{\"medium index\": 1}"));
    CHECK_RC(QPGO_ERR_HANDLE, fli_set_meta(q, "{\"time\": 1}"));
    CHECK_RC(QPGO_ERR_ARG, fli_get_meta_double(f, NULL, buf));
    CHECK_RC(QPGO_ERR_ARG, fli_get_meta_double(f, "time", NULL));
    CHECK_RC(QPGO_ERR_ARG, fli_get_meta_string(f, NULL, NULL, 0, &n));
    CHECK_RC(QPGO_ERR_KEY, fli_get_meta_string(f, "colour", NULL, 0, &n));
    CHECK_RC(QPGO_ERR_KEY, fli_get_meta_json(f, "colour", NULL, 0, &n));
    CHECK_RC(QPGO_ERR_META_MISSING, fli_get_meta_json(f, "time", NULL, 0, &n));
    CHECK_RC(QPGO_ERR_ARG, fli_get_meta_json(f, NULL, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_ARG, fli_has_meta(f, NULL, &i));
    CHECK_RC(QPGO_ERR_ARG, fli_has_meta(f, "time", NULL));
    CHECK_RC(QPGO_ERR_ARG, fli_info(f, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_BUFFER, fli_repr(f, sbuf, sizeof sbuf, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fli_info(q, NULL, 0, &n));
    CHECK_RC(QPGO_ERR_HANDLE, fli_repr(0, NULL, 0, &n));
    CHECK_RC(QPGO_ERR_ARG, fli_equal(f, f, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fli_equal(f, q, &i));
    CHECK_RC(QPGO_ERR_ARG, fli_slice(f, NULL, 1, &out));
    CHECK_RC(QPGO_ERR_HANDLE, fli_slice(q, rng, 1, &out));

    /* FLSeries */
    CHECK_RC(QPGO_ERR_ARG, fls_new(NULL, NULL));
    CHECK_RC(QPGO_ERR_KEY, fls_new("{\"h5out\": \"x\"}", &out));
    CHECK_RC(QPGO_ERR_KEY, fls_new("{\"meta_data\": {\"colour\": 1}}", &out));
    CHECK_RC(QPGO_ERR_ARG, fls_open(NULL, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, fls_open(tmpfile_("x.h5"), NULL, NULL));
    CHECK_RC(QPGO_ERR_IO, fls_open(tmpfile_("missing.h5"), NULL, &out));
    CHECK_RC(QPGO_ERR_HANDLE, fls_close(s));
    CHECK_RC(QPGO_ERR_HANDLE, fls_len(s, &n));
    CHECK_RC(QPGO_ERR_ARG, fls_len(fs, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_add_flimage(fs, q, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_add_flimage(0, f, NULL));
    CHECK_RC(QPGO_ERR_ARG, fls_get_flimage(fs, 0, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_get_flimage(s, 0, &out));
    CHECK_RC(QPGO_ERR_ARG, fls_get_flimage_by_id(fs, NULL, &out));
    CHECK_RC(QPGO_ERR_ARG, fls_get_flimage_by_id(fs, "a", NULL));
    CHECK_RC(QPGO_ERR_ARG, fls_contains(fs, NULL, &i));
    CHECK_RC(QPGO_ERR_ARG, fls_contains(fs, "a", NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_contains(0, "a", &i));
    CHECK_RC(QPGO_ERR_ARG, fls_identifier(fs, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_identifier(s, NULL, 0, &n));
    CHECK_RC(QPGO_ERR_ARG, fls_identifiers_json(fs, NULL, 0, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_identifiers_json(0, NULL, 0, &n));
    CHECK_RC(QPGO_ERR_KEY, fls_bleach_correction(fs, "{\"border\": 4}", 0, NULL, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, fls_bleach_correction(fs, "{\"border_px\": \"4\"}", 0, NULL, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_bleach_correction(s, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_bleach_correction(fs, NULL, s, NULL, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_bleach_correction(fs, NULL, 99999, NULL, NULL, NULL, NULL, 0, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, fls_bleach_correction(fs, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL)); /* empty series */
    CHECK_RC(QPGO_ERR_KEY, fls_denoise(fs, "{\"h5out\": \"x\"}", NULL, NULL));
    CHECK_RC(QPGO_ERR_HANDLE, fls_denoise(s, "{\"h5file\": \"x\"}", NULL, NULL));

    CHECK_OK(qpi_close(q));
    CHECK_OK(fli_close(f));
    CHECK_OK(fls_close(fs));
    CHECK_OK(qps_close(s));
}

int main(void) {
    make_tmpdir(tmpdir, sizeof tmpdir);
    test_qpseries_fixture();
    test_qpseries_build();
    test_views_close_race();
    test_flimage();
    test_flseries_build();
    test_bleach();
    test_denoise();
    test_bg_estimate();
    test_errors();
    remove_tmpdir(tmpdir);
    return CHECK_SUMMARY("test_series");
}
