/* QPImage through the C ABI: file round trip, meta, info/repr, in-memory
 * images, copy/equal, backgrounds, slicing, clear_bg warnings, field. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "check.h"

#define M 5
#define N 7
#define MN (M * N)

static double f32(double v) { return (double)(float)v; }

static char tmpdir[512];

/* Phase (small, smooth: unwrapping is a no-op) and amplitude inputs whose
 * values are not all representable in float32. */
static void make_inputs(double *data /* [2][M][N] */) {
    for (int i = 0; i < MN; i++) {
        int r = i / N, c = i % N;
        data[i] = 0.1 * r - 0.07 * c + 0.01;       /* phase */
        data[MN + i] = 1.0 + 0.013 * r + 0.021 * c; /* amplitude */
    }
}

/* proc_phase: "true" (the default, not passed) or "false". */
static void test_file_round_trip(int proc_phase) {
    double data[2 * MN], got[MN], exp_[MN];
    int64_t dims[3] = {2, M, N};
    char path[600], opts[1200];
    make_inputs(data);
    snprintf(path, sizeof path, "%s/rt%d.h5", tmpdir, proc_phase);
    snprintf(opts, sizeof opts,
             "{%s\"h5file\": \"%s\", \"h5mode\": \"w\", \"meta_data\": {"
             "\"wavelength\": 5.5e-7, \"pixel size\": 1.25e-7, \"angle\": 3, "
             "\"identifier\": \"rt\", \"sim center\": [8.0, 9.5]}}",
             proc_phase ? "" : "\"proc_phase\": false, ", path);
    qpgo_handle h = 0;
    REQUIRE_OK(qpi_new("phase,amplitude", data, 3, dims, NULL, opts, &h));
    CHECK(h > 0, "handle issued");
    CHECK_OK(qpi_close(h));

    REQUIRE_OK(qpi_open(path, "r", &h));
    int64_t shape[2] = {0, 0};
    CHECK_OK(qpi_shape(h, shape));
    CHECK(shape[0] == M && shape[1] == N, "shape [M, N]");
    int dt = 0;
    CHECK_OK(qpi_dtype(h, &dt));
    CHECK(dt == QPGO_FLOAT32, "dtype float32");

    for (int i = 0; i < MN; i++) exp_[i] = f32(data[i]);
    CHECK_OK(qpi_get_pha(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "pha");
    CHECK_OK(qpi_get_raw_pha(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "raw_pha");
    for (int i = 0; i < MN; i++) exp_[i] = f32(data[MN + i]);
    CHECK_OK(qpi_get_amp(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "amp");
    CHECK_OK(qpi_get_raw_amp(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "raw_amp");
    /* A larger buffer than needed is fine. */
    double big[MN + 5];
    CHECK_OK(qpi_get_amp(h, big, MN + 5));

    double v = 0;
    CHECK_OK(qpi_get_meta_double(h, "wavelength", &v));
    CHECK(v == 5.5e-7, "wavelength");
    CHECK_OK(qpi_get_meta_double(h, "pixel size", &v));
    CHECK(v == 1.25e-7, "pixel size");
    CHECK_OK(qpi_get_meta_double(h, "angle", &v));
    CHECK(v == 3.0, "angle (int64) read as double");

    char *s = NULL;
    CHECK_OK(fetch_keyed(qpi_get_meta_string, h, "identifier", &s));
    CHECK_STREQ(s, "rt");
    free(s);
    int64_t need = 0;
    CHECK_OK(qpi_get_meta_string(h, "identifier", NULL, 0, &need));
    CHECK(need == 3, "needed counts the NUL");

    int has = -1;
    CHECK_OK(qpi_has_meta(h, "angle", &has));
    CHECK(has == 1, "has angle");
    CHECK_OK(qpi_has_meta(h, "time", &has));
    CHECK(has == 0, "no time");

    CHECK_OK(fetch_keyed(qpi_get_meta_json, h, NULL, &s));
    if (s) {
        CHECK_CONTAINS(s, "\"angle\":{\"type\":\"int64\",\"value\":3}");
        CHECK_CONTAINS(s, "\"identifier\":{\"type\":\"str\",\"value\":\"rt\"}");
        CHECK_CONTAINS(s, "\"sim center\":{\"type\":\"float64[2]\",\"value\":[8,9.5]}");
        CHECK_CONTAINS(s, "\"wavelength\":{\"type\":\"float64\"");
        CHECK_CONTAINS(s, "\"pixel size\":{\"type\":\"float64\"");
        CHECK_CONTAINS(s, "\"qpimage version\":{\"type\":\"str\",\"value\":\"0.9.3\"}");
        /* name order (HDF5 attribute order) */
        CHECK(strstr(s, "\"angle\"") < strstr(s, "\"identifier\"") &&
              strstr(s, "\"identifier\"") < strstr(s, "\"wavelength\""), s);
        free(s);
    }
    CHECK_OK(fetch_keyed(qpi_get_meta_json, h, "angle", &s));
    CHECK_STREQ(s, "{\"type\":\"int64\",\"value\":3}");
    free(s);

    CHECK_OK(fetch_string(qpi_info, h, &s));
    if (s) {
        CHECK(s[0] == '[', s);
        CHECK_CONTAINS(s, "[\"angle\",3,\"int64\"]");
        CHECK_CONTAINS(s, "[\"identifier\",\"rt\",\"str\"]");
        CHECK_CONTAINS(s, "[\"qpimage version\",\"0.9.3\",\"str\"]");
        CHECK_CONTAINS(s, "[\"wavelength\",");
        free(s);
    }
    CHECK_OK(fetch_string(qpi_repr, h, &s));
    CHECK_STREQ(s, "QPImage <rt>, 5x7px, \xce\xbb=550.0nm");
    free(s);
    CHECK_OK(qpi_close(h));
}

/* Builds an in-memory image with proc_phase false from phase values > π
 * (proc_phase would remove a 2π offset). */
static qpgo_handle make_memory_image(double *data) {
    int64_t dims[3] = {2, M, N};
    for (int i = 0; i < MN; i++) {
        data[i] = 7.0 + 0.03 * i;
        data[MN + i] = 0.5 + 0.011 * i;
    }
    qpgo_handle h = 0;
    CHECK_OK(qpi_new("phase,amplitude", data, 3, dims, NULL,
                     "{\"proc_phase\": false, \"meta_data\": {\"wavelength\": 5e-7,"
                     " \"identifier\": \"mem\", \"medium index\": 1.333}}", &h));
    return h;
}

static void test_memory_copy_equal(void) {
    double data[2 * MN], got[MN], exp_[MN];
    qpgo_handle h = make_memory_image(data);
    for (int i = 0; i < MN; i++) exp_[i] = f32(data[i]);
    CHECK_OK(qpi_get_pha(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "in-memory pha (proc_phase false)");
    char *s = NULL;
    CHECK_OK(fetch_string(qpi_repr, h, &s));
    CHECK_STREQ(s, "QPImage <mem>, 5x7px, \xce\xbb=500.0nm");
    free(s);

    qpgo_handle c1 = 0, c2 = 0, c3 = 0;
    int eq = -1;
    CHECK_OK(qpi_copy(h, NULL, &c1));
    CHECK(c1 > 0 && c1 != h, "memory copy handle");
    CHECK_OK(qpi_equal(h, c1, &eq));
    CHECK(eq == 1, "memory copy equals original");
    CHECK_OK(qpi_copy(h, "", &c3));
    CHECK_OK(qpi_equal(c3, h, &eq));
    CHECK(eq == 1, "copy with path \"\" equals original");

    char path[600];
    snprintf(path, sizeof path, "%s/copy.h5", tmpdir);
    CHECK_OK(qpi_copy(h, path, &c2));
    CHECK_OK(qpi_equal(h, c2, &eq));
    CHECK(eq == 1, "file copy equals original");
    CHECK(access(path, F_OK) == 0, "copy file exists");
    CHECK_OK(qpi_get_pha(c2, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "file copy pha");
    double v = 0;
    CHECK_OK(qpi_get_meta_double(c2, "medium index", &v));
    CHECK(v == 1.333, "file copy meta");

    CHECK_OK(qpi_set_meta_double(c1, "wavelength", 6e-7));
    CHECK_OK(qpi_equal(h, c1, &eq));
    CHECK(eq == 0, "changed wavelength makes copy unequal");
    CHECK_OK(qpi_get_meta_double(h, "wavelength", &v));
    CHECK(v == 5e-7, "original unchanged by the copy's meta change");
    /* identifier is not a DATA_KEY: still equal */
    CHECK_OK(qpi_set_meta_string(c3, "identifier", "other"));
    CHECK_OK(qpi_equal(h, c3, &eq));
    CHECK(eq == 1, "identifier ignored by equality");
    CHECK_OK(qpi_equal(h, h, &eq));
    CHECK(eq == 1, "image equals itself");

    /* file copy reopened with mode "a": writable */
    CHECK_OK(qpi_set_meta(c2, "{\"time\": 2.5, \"date\": \"2024-02-01\"}"));
    CHECK_OK(qpi_get_meta_double(c2, "time", &v));
    CHECK(v == 2.5, "file copy is writable (mode a)");
    CHECK_OK(qpi_close(c1));
    CHECK_OK(qpi_close(c2));
    CHECK_OK(qpi_close(c3));
    CHECK_OK(qpi_close(h));
}

/* Slicing an image with a background: the slice gets the merged bg. */
static void check_slice(qpgo_handle h) {
    /* slice rows 1:4, columns ::-2 (resolved: 6, -1, -2) */
    double pha_full[MN], amp_full[MN];
    CHECK_OK(qpi_get_pha(h, pha_full, MN));
    CHECK_OK(qpi_get_amp(h, amp_full, MN));
    int64_t ranges[6] = {1, 4, 1, 6, -1, -2};
    qpgo_handle s = 0;
    REQUIRE_OK(qpi_slice(h, ranges, 2, &s));
    int64_t shape[2] = {0, 0};
    CHECK_OK(qpi_shape(s, shape));
    CHECK(shape[0] == 3 && shape[1] == 4, "slice shape [3, 4]");
    double sp[12], sa[12], ep[12], ea[12];
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 4; c++) {
            ep[r * 4 + c] = pha_full[(1 + r) * N + (6 - 2 * c)];
            ea[r * 4 + c] = amp_full[(1 + r) * N + (6 - 2 * c)];
        }
    CHECK_OK(qpi_get_pha(s, sp, 12));
    CHECK_ARRAY_CLOSE(sp, ep, 12, 0, 1e-6, "slice pha");
    CHECK_OK(qpi_get_amp(s, sa, 12));
    CHECK_ARRAY_CLOSE(sa, ea, 12, 1e-6, 0, "slice amp");
    double v = 0;
    CHECK_OK(qpi_get_meta_double(s, "medium index", &v));
    CHECK(v == 1.333, "slice keeps meta");
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_pha(s, sp, 11));
    CHECK_OK(qpi_close(s));
    /* one range: rows only */
    int64_t r1[3] = {0, 2, 1};
    CHECK_OK(qpi_slice(h, r1, 1, &s));
    CHECK_OK(qpi_shape(s, shape));
    CHECK(shape[0] == 2 && shape[1] == N, "row slice shape [2, N]");
    CHECK_OK(qpi_close(s));

}

static void test_bg_and_slice(void) {
    double data[2 * MN], bg[2 * MN], got[MN], exp_[MN];
    int64_t dims[3] = {2, M, N};
    qpgo_handle h = make_memory_image(data);
    for (int i = 0; i < MN; i++) {
        bg[i] = 0.2 + 0.001 * i;      /* phase bg */
        bg[MN + i] = 0.9 + 0.002 * i; /* amplitude bg */
    }
    CHECK_OK(qpi_set_bg_data(h, "phase,amplitude", bg, 3, dims, 0));
    for (int i = 0; i < MN; i++) exp_[i] = f32(bg[i]);
    CHECK_OK(qpi_get_bg_pha(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "bg_pha = float32(bg)");
    CHECK_OK(qpi_get_bg(h, "phase", "data", got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "phase bg data");
    for (int i = 0; i < MN; i++) exp_[i] = f32(data[i]) - f32(bg[i]);
    CHECK_OK(qpi_get_pha(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "pha = raw - bg");
    for (int i = 0; i < MN; i++) exp_[i] = f32(bg[MN + i]);
    CHECK_OK(qpi_get_bg_amp(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "bg_amp = float32(bg amp)");
    for (int i = 0; i < MN; i++) exp_[i] = f32(data[MN + i]) / f32(bg[MN + i]);
    CHECK_OK(qpi_get_amp(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "amp = raw / bg");
    CHECK_RC(QPGO_ERR_NOT_FOUND, qpi_get_bg(h, "phase", "fit", got, MN));

    check_slice(h);

    /* clear_bg: "fit" is absent for both images → one warning each,
     * amplitude first (upstream order), naming the ImageData repr. */
    char *w = NULL;
    int64_t need = 0;
    CHECK_OK(qpi_clear_bg(h, "phase,amplitude", "fit", NULL, 0, &need));
    CHECK_OK(qpi_clear_bg(h, "phase,amplitude", "fit", NULL, 0, &need));
    CHECK(need > 1, "warnings expected");
    w = malloc((size_t)need);
    CHECK_OK(qpi_clear_bg(h, "phase,amplitude", "fit", w, need, &need));
    CHECK_STREQ(w, "No bg data to clear for 'fit' in Amplitude image, 5x7px.\n"
                   "No bg data to clear for 'fit' in Phase image, 5x7px.");
    free(w);
    /* clearing "data" removes the background: no warnings */
    char wb[256] = "x";
    CHECK_OK(qpi_clear_bg(h, "phase,amplitude", "data", wb, sizeof wb, &need));
    CHECK_STREQ(wb, "");
    CHECK(need == 1, "empty warnings need 1 byte");
    for (int i = 0; i < MN; i++) exp_[i] = 0;
    CHECK_OK(qpi_get_bg_pha(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "bg_pha after clear");
    for (int i = 0; i < MN; i++) exp_[i] = f32(data[i]);
    CHECK_OK(qpi_get_pha(h, got, MN));
    CHECK_ARRAY_EXACT(got, exp_, MN, "pha after clear");
    CHECK_OK(qpi_clear_bg(h, "phase", "data", wb, sizeof wb, &need));
    CHECK_STREQ(wb, "No bg data to clear for 'data' in Phase image, 5x7px.");
    CHECK_OK(qpi_close(h));
}

/* proc_phase 1: default options (unwrapping), 0: {"proc_phase": false}. */
static void test_field(int proc_phase) {
    double field[2 * MN], got[2 * MN];
    int64_t dims[2] = {M, N};
    for (int i = 0; i < MN; i++) {
        int r = i / N, c = i % N;
        double amp = 0.8 + 0.02 * r + 0.01 * c;
        double pha = 0.3 * sin(0.5 * r) + 0.2 * cos(0.7 * c);
        field[2 * i] = amp * cos(pha);
        field[2 * i + 1] = amp * sin(pha);
    }
    qpgo_handle h = 0;
    REQUIRE_OK(qpi_new("field", field, 2, dims, NULL,
                       proc_phase ? NULL : "{\"proc_phase\": false}", &h));
    int64_t shape[2] = {0, 0};
    CHECK_OK(qpi_shape(h, shape));
    CHECK(shape[0] == M && shape[1] == N, "field shape");
    CHECK_RC(QPGO_ERR_BUFFER, qpi_get_field(h, got, MN));
    CHECK_OK(qpi_get_field(h, got, 2 * MN));
    int ok = 1;
    for (int i = 0; i < MN && ok; i++) {
        double dre = got[2 * i] - field[2 * i], dim = got[2 * i + 1] - field[2 * i + 1];
        double mod = hypot(field[2 * i], field[2 * i + 1]);
        if (hypot(dre, dim) > 1e-6 * mod) {
            ok = 0;
            fprintf(stderr, "field[%d] = %g%+gi, expected %g%+gi\n", i, got[2 * i],
                    got[2 * i + 1], field[2 * i], field[2 * i + 1]);
        }
    }
    CHECK(ok, "field round trip within 1e-6 relative");
    CHECK_OK(qpi_close(h));
}

int main(void) {
    make_tmpdir(tmpdir, sizeof tmpdir);
    test_file_round_trip(0);
    test_file_round_trip(1);
    test_memory_copy_equal();
    test_bg_and_slice();
    test_field(0);
    test_field(1);
    remove_tmpdir(tmpdir);
    return CHECK_SUMMARY("test_qpimage");
}
