/* ims_get_frame through every kind of source: an in-memory array, npz and
 * fch5 frame caches, HDF5 (frames decoded into the caller's buffer, also
 * through read-ahead), a processed frame list and a processed series with
 * ops (copied). Each frame must equal the expected dense frame, also into
 * a misaligned buffer (copy path), and the error codes must stay: NULL
 * buffer ARG, index out of range NOT_FOUND, short buffer BUFFER. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"
#include "check.h"

#define NF 6
#define ROWS 33
#define COLS 47
#define NPX (ROWS * COLS)
#define THRESH 100

static uint16_t stack[NF][NPX];

/* expected: frame i of the source (kept pixels only for frame caches,
 * mirrored left-right, img[:, ::-1], for the "flip v" series) */
static uint16_t want_px(int i, int p, int sparse, int flip) {
    if (flip) p = (p / COLS) * COLS + COLS - 1 - p % COLS;
    uint16_t v = stack[i][p];
    return sparse && v <= THRESH ? 0 : v;
}

static void check_source(const char *what, qpgo_handle h, int sparse, int flip, const int *frames, int nf) {
    int64_t n = 0;
    CHECK_OK(ims_len(h, &n));
    CHECK(n == nf, what);
    static uint16_t buf[NPX];
    static unsigned char raw[NPX * 2 + 2];
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0 forward (sequential: HDF5 reads ahead), pass 1 backward
         * with negative indices */
        for (int k = 0; k < nf; k++) {
            int64_t idx = pass ? -1 - k : k;
            int fi = frames[pass ? nf - 1 - k : k];
            memset(buf, 0xAB, sizeof buf);
            int rc = ims_get_frame(h, idx, buf, sizeof buf);
            CHECK_RC(QPGO_OK, rc);
            int bad = 0;
            for (int p = 0; p < NPX; p++) bad += buf[p] != want_px(fi, p, sparse, flip);
            if (bad) printf("%s: frame %lld: %d pixels differ\n", what, (long long)idx, bad);
            CHECK(bad == 0, what);
        }
    }
    /* a misaligned buffer takes the copying path */
    unsigned char *odd = raw + 1;
    CHECK_OK(ims_get_frame(h, 1, odd, NPX * 2));
    int bad = 0;
    for (int p = 0; p < NPX; p++) {
        uint16_t v;
        memcpy(&v, odd + 2 * p, 2);
        bad += v != want_px(frames[1], p, sparse, flip);
    }
    CHECK(bad == 0, what);
    CHECK_RC(QPGO_ERR_ARG, ims_get_frame(h, 0, NULL, sizeof buf));
    CHECK_RC(QPGO_ERR_NOT_FOUND, ims_get_frame(h, nf, buf, sizeof buf));
    CHECK_RC(QPGO_ERR_NOT_FOUND, ims_get_frame(h, -nf - 1, buf, sizeof buf));
    CHECK_RC(QPGO_ERR_BUFFER, ims_get_frame(h, 0, buf, sizeof buf - 1));
    /* a short buffer and a bad index: the index is reported */
    CHECK_RC(QPGO_ERR_NOT_FOUND, ims_get_frame(h, nf, buf, 4));
}

static char tmpdir[512];

/* warnings of ims_write_warn, collected by the callback */
static int nwarn;
static char firstwarn[256];

static void on_warn(const char *msg, void *user) {
    if (nwarn++ == 0) snprintf(firstwarn, sizeof firstwarn, "%s", msg);
    *(int *)user += 1;
}

/* ims_write_warn reports one sparsity warning per frame more than 10 %
 * full (the array frames are ~3 % above THRESH, all of them above 0) on the
 * calling thread; NULL drops them. ims_info_json names the adapter. */
static void check_warn_info(qpgo_handle arr) {
    char path[1024];
    snprintf(path, sizeof path, "%s/w.npz", tmpdir);
    int calls = 0;
    nwarn = 0;
    CHECK_OK(ims_write_warn(arr, path, "frame-cache", "{\"threshold\": 100}", on_warn, &calls));
    CHECK(nwarn == 0 && calls == 0, "no warning above the cutoff");
    CHECK_OK(ims_write_warn(arr, path, "frame-cache", "{\"threshold\": -1}", on_warn, &calls));
    CHECK(nwarn == NF && calls == NF, "one warning per full frame");
    CHECK(strncmp(firstwarn, "frame 0 is 0.00% sparse", 23) == 0, firstwarn);
    CHECK_OK(ims_write_warn(arr, path, "frame-cache", "{\"threshold\": -1}", NULL, NULL));
    CHECK_RC(QPGO_ERR_NOT_FOUND, ims_write_warn(arr, path, "frame-cache", "{}", on_warn, &calls));
    char buf[512];
    int64_t need = 0;
    CHECK_OK(ims_info_json(arr, NULL, 0, &need));
    CHECK(need > 10 && need < (int64_t)sizeof buf, "info size");
    CHECK_OK(ims_info_json(arr, buf, sizeof buf, &need));
    CHECK(strstr(buf, "\"summary\"") != NULL, buf);
    CHECK_RC(QPGO_ERR_ARG, ims_info_json(arr, NULL, 0, NULL));
}

static void run(void) {
    char path[1024];
    uint32_t x = 12345;
    for (int i = 0; i < NF; i++)
        for (int p = 0; p < NPX; p++) {
            x = x * 1664525u + 1013904223u;
            stack[i][p] = (x >> 24) < 8 ? (uint16_t)(1000 + (x >> 8) % 3000) : (uint16_t)(x >> 27);
        }
    int all[NF];
    for (int i = 0; i < NF; i++) all[i] = i;
    int64_t dims[3] = {NF, ROWS, COLS};
    qpgo_handle arr = 0;
    REQUIRE_OK(ims_from_array((const uint8_t *)stack, QPGO_UINT16, 3, dims, NULL, &arr));
    check_source("array", arr, 0, 0, all, NF);
    check_warn_info(arr);

    const char *kinds[][4] = {
        /* name, file, write format, write options; open options */
        {"npz", "c.npz", "frame-cache", "{\"threshold\": 100}"},
        {"fch5", "c.fch5", "frame-cache", "{\"threshold\": 100, \"style\": \"fch5\"}"},
        {"hdf5", "s.h5", "hdf5", "{\"path\": \"imageseries\"}"},
        {"hdf5-rows", "r.h5", "hdf5", "{\"path\": \"imageseries\", \"chunk_rows\": 5}"},
    };
    const char *open_opts[] = {"{\"style\": \"npz\"}", "{\"style\": \"fch5\"}", "{\"path\": \"imageseries\"}",
                               "{\"path\": \"imageseries\"}"};
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, kinds[k][1]);
        REQUIRE_OK(ims_write(arr, path, kinds[k][2], kinds[k][3]));
        qpgo_handle h = 0;
        REQUIRE_OK(ims_open(path, kinds[k][2], open_opts[k], &h));
        int sparse = k < 2;
        check_source(kinds[k][0], h, sparse, 0, all, NF);
        if (k == 2) {
            int64_t list[4] = {5, 0, 3, 3};
            int listi[4] = {5, 0, 3, 3};
            qpgo_handle p = 0;
            REQUIRE_OK(ims_process(h, "[]", list, 4, &p));
            check_source("frame list", p, 0, 0, listi, 4);
            CHECK_OK(ims_close(p));
        }
        if (k == 0) {
            qpgo_handle p = 0;
            REQUIRE_OK(ims_process(h, "[[\"flip\", \"v\"]]", NULL, 0, &p));
            check_source("processed flip", p, 1, 1, all, NF);
            CHECK_OK(ims_close(p));
        }
        CHECK_OK(ims_close(h));
    }
    CHECK_OK(ims_close(arr));
}

/* An image reader callback for "*.q16" files: 2 frames of 3x4 uint16
 * (frame k, element e: 100k + e); "*.fail" files fail; others unknown. */
static int q16_reads;
static int q16_reader(const char *name, int64_t frame, int64_t *nframes, int64_t *dims, int *dtype,
                      char *cls, int64_t clen, void *out, int64_t nbytes, void *user) {
    (void)user;
    size_t n = strlen(name);
    if (n > 5 && !strcmp(name + n - 5, ".fail")) return 7;
    if (n < 4 || strcmp(name + n - 4, ".q16")) return 1;
    if (!out) {
        *nframes = 2;
        dims[0] = 3;
        dims[1] = 4;
        *dtype = QPGO_UINT16;
        snprintf(cls, (size_t)clen, "Q16Image");
        return 0;
    }
    if (nbytes != 3 * 4 * 2) return 9;
    for (int e = 0; e < 12; e++) ((uint16_t *)out)[e] = (uint16_t)(100 * frame + e);
    q16_reads++;
    return 0;
}

static void test_image_reader(void) {
    char path[4200], yml[4400];
    snprintf(path, sizeof path, "%s/a.q16", tmpdir);
    FILE *f = fopen(path, "w");
    fputs("x", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/b.fail", tmpdir);
    f = fopen(path, "w");
    fputs("x", f);
    fclose(f);
    snprintf(yml, sizeof yml, "image-files:\n  directory: %s\n  files: 'a.q16'\noptions: {}\nmeta: {}\n", tmpdir);
    qpgo_handle h = 0;
    CHECK_RC(QPGO_ERR_UNSUPPORTED, ims_open(yml, "image-files", NULL, &h)); /* no reader */
    CHECK_OK(ims_set_image_reader(q16_reader, NULL));
    REQUIRE_OK(ims_open(yml, "image-files", NULL, &h));
    int64_t n = 0, dims[2] = {0, 0};
    int dt = 0;
    CHECK_OK(ims_len(h, &n));
    CHECK_OK(ims_shape(h, dims));
    CHECK_OK(ims_dtype(h, &dt));
    CHECK(n == 2 && dims[0] == 3 && dims[1] == 4 && dt == QPGO_UINT16, "series of the reader's file");
    uint16_t fr[12];
    CHECK_OK(ims_get_frame(h, 1, fr, sizeof fr));
    CHECK(fr[0] == 100 && fr[11] == 111, "frame 1 from the reader");
    CHECK(q16_reads == 1, "one read for one frame");
    CHECK_OK(ims_close(h));
    snprintf(yml, sizeof yml, "image-files:\n  directory: %s\n  files: 'b.fail'\noptions: {}\nmeta: {}\n", tmpdir);
    CHECK_RC(QPGO_ERR_CANCELLED, ims_open(yml, "image-files", NULL, &h));
    CHECK(strstr(qpgo_errmsg(), "returned 7") != NULL, qpgo_errmsg());
    CHECK_OK(ims_set_image_reader(NULL, NULL));
    snprintf(yml, sizeof yml, "image-files:\n  directory: %s\n  files: 'a.q16'\noptions: {}\nmeta: {}\n", tmpdir);
    CHECK_RC(QPGO_ERR_UNSUPPORTED, ims_open(yml, "image-files", NULL, &h)); /* removed */
}

int main(void) {
    make_tmpdir(tmpdir, sizeof tmpdir);
    run();
    test_image_reader();
    remove_tmpdir(tmpdir);
    return CHECK_SUMMARY("test_ims");
}
