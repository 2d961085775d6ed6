/* Upstream QPImage files (written by qpimage 0.9.3 / h5py) read through
 * the C ABI and compared with the expected .npy arrays of each case. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "check.h"
#include "npy.h"

#ifndef FIXTURES
#error "compile with -DFIXTURES=\"/path/to/shared/fixtures\""
#endif

/* Array getters by the expected-name of case.json. "phase_bg_data" etc.
 * are the stored background datasets (qpi_get_bg). */
typedef struct {
    const char *name, *npy;
} arr_map;

typedef struct {
    const char *key;
    const char *str; /* text value, or NULL for a number */
    double num;
} meta_exp;

typedef struct {
    const char *dir, *file;
    int dtype;
    const char *repr;   /* exact repr, or NULL: no identifier (hex id) */
    const char *repr_tail;
    int n_phase_class;  /* "phase background CLASS" rows in info */
    arr_map arrays[12]; /* all rules in these cases are {"exact": true} */
    meta_exp meta[20];
} fixture_case;

/* Transcribed from the case.json of each h5_qpimage_* folder ("expected",
 * "repr", "tolerance"); keep in sync when fixtures change. */
static const fixture_case cases[] = {
    {"h5_qpimage_copy_from_memory", "qpimage_copy.h5", QPGO_FLOAT32,
     "QPImage <mem>, 20x24px, \xce\xbb=500.0nm", NULL, 1,
     {{"raw_pha", "raw_pha.npy"}, {"raw_amp", "raw_amp.npy"}, {"bg_pha", "bg_pha.npy"},
      {"bg_amp", "bg_amp.npy"}, {"pha", "expected_pha.npy"}, {"amp", "raw_amp.npy"},
      {"phase_bg_fit", "bg_pha.npy"}},
     {{"identifier", "mem", 0}, {"pixel size", NULL, 1.1e-07},
      {"qpimage version", "0.9.3", 0}, {"wavelength", NULL, 5e-07}}},
    {"h5_qpimage_field", "qpimage_field.h5", QPGO_FLOAT32,
     "QPImage <fld>, 20x24px, \xce\xbb=550.0nm", NULL, 1,
     {{"raw_pha", "raw_pha.npy"}, {"raw_amp", "raw_amp.npy"}, {"bg_pha", "bg_pha.npy"},
      {"bg_amp", "bg_amp.npy"}, {"pha", "pha.npy"}, {"amp", "amp.npy"},
      {"amplitude_bg_data", "bg_amp.npy"}, {"phase_bg_data", "bg_pha.npy"},
      {"field", "expected_field.npy"} /* complex, atol = rtol = 1e-12 */},
     {{"identifier", "fld", 0}, {"qpimage version", "0.9.3", 0}, {"wavelength", NULL, 5.5e-07}}},
    {"h5_qpimage_float64", "qpimage_f64.h5", QPGO_FLOAT64,
     NULL, ", 20x24px, \xce\xbb=633.0nm", 2,
     {{"raw_pha", "pha.npy"}, {"raw_amp", "raw_amp.npy"}, {"bg_pha", "expected_bg_pha.npy"},
      {"bg_amp", "raw_amp.npy"}, {"pha", "expected_pha.npy"}, {"amp", "raw_amp.npy"},
      {"amplitude_bg_data", "raw_amp.npy"}, {"phase_bg_data", "bg_pha.npy"},
      {"phase_bg_fit", "phase_bg_fit.npy"}},
     {{"medium index", NULL, 1.0}, {"pixel size", NULL, 3.45e-07},
      {"qpimage version", "0.9.3", 0}, {"time", NULL, 0.25}, {"wavelength", NULL, 6.33e-07}}},
    {"h5_qpimage_full", "qpimage.h5", QPGO_FLOAT32,
     "QPImage <cell_A>, 20x24px, \xce\xbb=550.0nm", NULL, 2,
     {{"raw_pha", "raw_pha.npy"}, {"raw_amp", "raw_amp.npy"}, {"bg_pha", "expected_bg_pha.npy"},
      {"bg_amp", "expected_bg_amp.npy"}, {"pha", "expected_pha.npy"}, {"amp", "expected_amp.npy"},
      {"amplitude_bg_data", "amplitude_bg_data.npy"}, {"amplitude_bg_fit", "amplitude_bg_fit.npy"},
      {"phase_bg_data", "phase_bg_data.npy"}, {"phase_bg_fit", "phase_bg_fit.npy"}},
     {{"angle", NULL, 0}, {"date", "2024-01-31", 0}, {"device", "DHM unit 3", 0},
      {"focus", NULL, -1.2e-06}, {"identifier", "cell_A", 0}, {"medium index", NULL, 1.335},
      {"numerical aperture", NULL, 0.7}, {"pixel size", NULL, 1e-07}, {"pos x", NULL, 1e-05},
      {"pos y", NULL, -2e-05}, {"qpimage version", "0.9.3", 0}, {"sim index", NULL, 1.36},
      {"sim model", "projection", 0}, {"sim radius", NULL, 5e-06}, {"software", "acq 2.1", 0},
      {"time", NULL, 1.5}, {"wavelength", NULL, 5.5e-07}}},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

static int get_array(qpgo_handle h, const char *name, double *out, int64_t n) {
    if (!strcmp(name, "pha")) return qpi_get_pha(h, out, n);
    if (!strcmp(name, "amp")) return qpi_get_amp(h, out, n);
    if (!strcmp(name, "bg_pha")) return qpi_get_bg_pha(h, out, n);
    if (!strcmp(name, "bg_amp")) return qpi_get_bg_amp(h, out, n);
    if (!strcmp(name, "raw_pha")) return qpi_get_raw_pha(h, out, n);
    if (!strcmp(name, "raw_amp")) return qpi_get_raw_amp(h, out, n);
    if (!strcmp(name, "field")) return qpi_get_field(h, out, n);
    if (!strcmp(name, "phase_bg_data")) return qpi_get_bg(h, "phase", "data", out, n);
    if (!strcmp(name, "phase_bg_fit")) return qpi_get_bg(h, "phase", "fit", out, n);
    if (!strcmp(name, "amplitude_bg_data")) return qpi_get_bg(h, "amplitude", "data", out, n);
    if (!strcmp(name, "amplitude_bg_fit")) return qpi_get_bg(h, "amplitude", "fit", out, n);
    fprintf(stderr, "unknown array name %s\n", name);
    return QPGO_ERR_INTERNAL;
}

static int count(const char *s, const char *sub) {
    int c = 0;
    for (const char *p = s; (p = strstr(p, sub)); p += strlen(sub)) c++;
    return c;
}

static void run_case(const fixture_case *fc) {
    char path[1024], label[256];
    qpgo_handle h = 0;
    snprintf(path, sizeof path, "%s/%s/%s", FIXTURES, fc->dir, fc->file);
    REQUIRE_OK(qpi_open(path, "r", &h));
    int64_t shape[2] = {0, 0};
    CHECK_OK(qpi_shape(h, shape));
    CHECK(shape[0] == 20 && shape[1] == 24, fc->dir);
    int dt = 0;
    CHECK_OK(qpi_dtype(h, &dt));
    CHECK(dt == fc->dtype, fc->dir);
    const long n = 20 * 24;

    for (int i = 0; i < 12 && fc->arrays[i].name; i++) {
        const arr_map *am = &fc->arrays[i];
        npy_array e;
        snprintf(path, sizeof path, "%s/%s/%s", FIXTURES, fc->dir, am->npy);
        snprintf(label, sizeof label, "%s %s", fc->dir, am->name);
        if (npy_load(path, &e) != 0) {
            CHECK(0, label);
            continue;
        }
        CHECK(e.n == n && e.ndim == 2, label);
        long nd = e.complex_ ? 2 * n : n;
        double *got = calloc((size_t)nd, sizeof(double));
        int rc = get_array(h, am->name, got, nd);
        CHECK(rc == QPGO_OK, label);
        if (rc != QPGO_OK) fprintf(stderr, "  %s: rc %d: %s\n", label, rc, qpgo_errmsg());
        else if (e.complex_) {
            /* |got - expected| <= 1e-12 + 1e-12 |expected| (complex modulus) */
            int ok = 1;
            for (long k = 0; k < n && ok; k++) {
                double d = hypot(got[2 * k] - e.data[2 * k], got[2 * k + 1] - e.data[2 * k + 1]);
                if (!(d <= 1e-12 + 1e-12 * hypot(e.data[2 * k], e.data[2 * k + 1]))) {
                    ok = 0;
                    fprintf(stderr, "  %s[%ld]: %.17g%+.17gi, expected %.17g%+.17gi\n", label, k,
                            got[2 * k], got[2 * k + 1], e.data[2 * k], e.data[2 * k + 1]);
                }
            }
            CHECK(ok, label);
        } else {
            CHECK_ARRAY_EXACT(got, e.data, n, label);
        }
        free(got);
        npy_free(&e);
    }

    for (int i = 0; i < 20 && fc->meta[i].key; i++) {
        const meta_exp *me = &fc->meta[i];
        snprintf(label, sizeof label, "%s meta %s", fc->dir, me->key);
        if (me->str) {
            char *s = NULL;
            CHECK_OK(fetch_keyed(qpi_get_meta_string, h, me->key, &s));
            CHECK(s && !strcmp(s, me->str), label);
            free(s);
        } else {
            double v = NAN;
            CHECK_OK(qpi_get_meta_double(h, me->key, &v));
            CHECK(v == me->num, label);
        }
    }

    char *s = NULL;
    CHECK_OK(fetch_string(qpi_repr, h, &s));
    if (s && fc->repr) CHECK_STREQ(s, fc->repr);
    if (s && fc->repr_tail) {
        size_t ls = strlen(s), lt = strlen(fc->repr_tail);
        CHECK(!strncmp(s, "QPImage <0x", 11) && ls > lt && !strcmp(s + ls - lt, fc->repr_tail), s);
    }
    free(s);
    CHECK_OK(fetch_string(qpi_info, h, &s));
    if (s) {
        snprintf(label, sizeof label, "%s info: %d phase CLASS rows in %s", fc->dir,
                 fc->n_phase_class, s);
        CHECK(count(s, "[\"phase background CLASS\",\"IMAGE\",\"bytes\"]") == fc->n_phase_class,
              label);
        CHECK_CONTAINS(s, "[\"qpimage version\",\"0.9.3\",\"str\"]");
        free(s);
    }
    CHECK_OK(qpi_close(h));
}

int main(void) {
    /* Every h5_qpimage_* folder must be in the table (fail loudly on new
     * or missing fixtures). */
    DIR *d = opendir(FIXTURES);
    if (!d) {
        fprintf(stderr, "FATAL: fixtures directory %s is missing\n", FIXTURES);
        printf("test_fixtures: 0 passed, 1 failed\n");
        return 1;
    }
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "h5_qpimage_", 11) != 0) continue;
        found++;
        int known = 0;
        for (int i = 0; i < NCASES; i++) known |= !strcmp(cases[i].dir, e->d_name);
        CHECK(known, e->d_name);
    }
    closedir(d);
    CHECK(found == NCASES, "number of h5_qpimage_* fixtures");
    for (int i = 0; i < NCASES; i++) run_case(&cases[i]);
    return CHECK_SUMMARY("test_fixtures");
}
