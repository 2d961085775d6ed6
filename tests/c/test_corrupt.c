#define _DEFAULT_SOURCE
/* Corrupted and truncated HDF5 files through every entry point.
 *
 * From each upstream reference file a set of damaged copies is generated
 * (truncations and overwritten byte runs spread over the whole file) and
 * each is opened and read through the C ABI. Every call must come back
 * with a result code of the enum — an error or, where the damage hit only
 * unused bytes, success — and the process must survive. Prints how many
 * variants failed cleanly and how many still opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static const char *files[] = {
    FIXTURES "/h5_qpimage_full/qpimage.h5",
    FIXTURES "/h5_qpimage_float64/qpimage_f64.h5",
    FIXTURES "/h5_qpimage_copy_from_memory/qpimage_copy.h5",
    FIXTURES "/h5_qpseries/qpseries.h5",
    FIXTURES "/fl_image_file/flimage.h5",
    FIXTURES "/fl_series_file/flseries.h5",
    FIXTURES "/imageseries/hdf5_default_uint16/ims.h5",
    FIXTURES "/imageseries/framecache_fch5_uint16/cache.fch5",
};

static unsigned char *slurp(const char *path, long *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)*n);
    if (b && fread(b, 1, (size_t)*n, f) != (size_t)*n) { free(b); b = NULL; }
    fclose(f);
    return b;
}

static int valid_rc(int rc) { return rc <= 0 && rc >= QPGO_ERR_BUFFER; }

static int opened = 0, refused = 0;

/* series, fluorescence and imageseries entry points on the same file:
 * each either refuses it or reads every member. */
static void exercise_others(const char *path) {
    qpgo_handle h = 0, m = 0;
    int64_t n = 0, shape[2];
    double *buf;
    if (valid_rc(qps_open(path, "r", &h)) && h) {
        if (qps_len(h, &n) == QPGO_OK)
            for (int64_t i = 0; i < n && i < 16; i++)
                if (qps_get_qpimage(h, i, &m) == QPGO_OK && qpi_shape(m, shape) == QPGO_OK &&
                    shape[0] * shape[1] < (1 << 24)) {
                    buf = malloc(sizeof(double) * (size_t)(shape[0] * shape[1]));
                    CHECK(valid_rc(qpi_get_pha(m, buf, shape[0] * shape[1])), "series member pha");
                    free(buf);
                }
        CHECK(valid_rc(qps_close(h)), "qps_close");
    }
    h = 0;
    if (valid_rc(fli_open(path, "r", &h)) && h) {
        if (fli_shape(h, shape) == QPGO_OK && shape[0] * shape[1] < (1 << 24)) {
            buf = malloc(sizeof(double) * (size_t)(shape[0] * shape[1]));
            CHECK(valid_rc(fli_get_fl(h, buf, shape[0] * shape[1])), "fl");
            free(buf);
        }
        CHECK(valid_rc(fli_close(h)), "fli_close");
    }
    h = 0;
    if (valid_rc(fls_open(path, "r", &h)) && h) {
        if (fls_len(h, &n) == QPGO_OK)
            for (int64_t i = 0; i < n && i < 16; i++)
                if (fls_get_flimage(h, i, &m) == QPGO_OK && fli_shape(m, shape) == QPGO_OK &&
                    shape[0] * shape[1] < (1 << 24)) {
                    buf = malloc(sizeof(double) * (size_t)(shape[0] * shape[1]));
                    CHECK(valid_rc(fli_get_fl(m, buf, shape[0] * shape[1])), "fls member fl");
                    free(buf);
                }
        CHECK(valid_rc(fls_close(h)), "fls_close");
    }
    const char *formats[][2] = {{"hdf5", "{\"path\": \"imageseries\"}"}, {"frame-cache", NULL}};
    for (int k = 0; k < 2; k++) {
        h = 0;
        int rc = ims_open(path, formats[k][0], formats[k][1], &h);
        CHECK(valid_rc(rc), "ims_open");
        if (rc != QPGO_OK) continue;
        if (ims_len(h, &n) == QPGO_OK && ims_shape(h, shape) == QPGO_OK && shape[0] * shape[1] < (1 << 24)) {
            buf = malloc(sizeof(double) * (size_t)(shape[0] * shape[1]));
            for (int64_t i = 0; i < n && i < 16; i++)
                CHECK(valid_rc(ims_get_frame_f64(h, i, buf, shape[0] * shape[1])), "ims frame");
            free(buf);
        }
        CHECK(valid_rc(ims_close(h)), "ims_close");
    }
}

/* exercise opens the damaged file and uses every read path. */
static void exercise(const char *path) {
    exercise_others(path);
    if (getenv("QPGO_CORRUPT_TRACE")) { fprintf(stderr, "variant %s\n", path); fflush(stderr); }
    qpgo_handle h = 0;
    int rc = qpi_open(path, "r", &h);
    CHECK(valid_rc(rc), path);
    CHECK(valid_rc(qpi_check_file(path, NULL)), "qpi_check_file");
    if (rc != QPGO_OK) { refused++; return; }
    opened++;
    int64_t shape[2] = {0, 0}, need = 0;
    char text[8192];
    if (qpi_shape(h, shape) == QPGO_OK && shape[0] > 0 && shape[1] > 0 && shape[0] * shape[1] < (1 << 24)) {
        size_t n = (size_t)(shape[0] * shape[1]);
        double *buf = malloc(2 * n * sizeof(double));
        CHECK(valid_rc(qpi_get_pha(h, buf, (int64_t)n)), "pha");
        CHECK(valid_rc(qpi_get_amp(h, buf, (int64_t)n)), "amp");
        CHECK(valid_rc(qpi_get_field(h, buf, (int64_t)(2 * n))), "field");
        CHECK(valid_rc(qpi_get_bg(h, "phase", "fit", buf, (int64_t)n)), "bg fit");
        free(buf);
    }
    CHECK(valid_rc(qpi_info(h, text, sizeof text, &need)), "info");
    CHECK(valid_rc(qpi_get_meta_json(h, NULL, text, sizeof text, &need)), "meta");
    CHECK(valid_rc(qpi_repr(h, text, sizeof text, &need)), "repr");
    CHECK(valid_rc(qpi_check(h, NULL)), "check");
    qpgo_handle c = 0;
    if (qpi_copy(h, NULL, &c) == QPGO_OK) qpi_close(c);
    CHECK_OK(qpi_close(h));
}

int main(void) {
    char dir[] = "/tmp/qpgo_corrupt_XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[512];
    snprintf(path, sizeof path, "%s/damaged.h5", dir);
    for (size_t fi = 0; fi < sizeof files / sizeof *files; fi++) {
        long n = 0;
        unsigned char *orig = slurp(files[fi], &n);
        CHECK(orig != NULL, files[fi]);
        if (!orig) continue;
        /* truncations */
        long cuts[] = {0, 7, 8, 64, 95, 96, 512, 800, 1024, 2048, 4096, n / 4, n / 2, 3 * n / 4, n - 4, n - 1};
        for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
            if (cuts[k] < 0 || cuts[k] > n) continue;
            FILE *f = fopen(path, "wb");
            fwrite(orig, 1, (size_t)cuts[k], f);
            fclose(f);
            exercise(path);
        }
        /* overwritten runs of 16 bytes at 96 places over the file */
        for (int k = 0; k < 96; k++) {
            long off = (long)((double)k / 96.0 * (double)(n - 16));
            unsigned char *b = malloc((size_t)n);
            memcpy(b, orig, (size_t)n);
            for (int j = 0; j < 16; j++) b[off + j] ^= (unsigned char)(0xA5 + 31 * j);
            FILE *f = fopen(path, "wb");
            fwrite(b, 1, (size_t)n, f);
            fclose(f);
            free(b);
            if (getenv("QPGO_CORRUPT_TRACE")) { fprintf(stderr, "file %zu offset %ld\n", fi, off); }
            exercise(path);
        }
        free(orig);
    }
    unlink(path);
    rmdir(dir);
    printf("corrupt files: %d refused with an error, %d opened (damage in unused or checksummed bytes)\n", refused, opened);
    printf("test_corrupt: %d passed, %d failed\n", check_passed, check_failed);
    return check_failed != 0;
}
