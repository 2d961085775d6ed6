/* ims_from_source: a series fed frame by frame by a C callback must give
 * the same stats (bit for bit), processed frames and written files as the
 * same data through ims_from_array; the callback is never entered twice at
 * once; a non-zero return fails the operation with QPGO_ERR_CANCELLED;
 * bad arguments are QPGO_ERR_ARG. */
#define _POSIX_C_SOURCE 200809L
#include <stdatomic.h>
#include <stdint.h>
#include "util.h"
#include "check.h"

#define NF 25
#define ROWS 9
#define COLS 7
#define NPX (ROWS * COLS)

static int16_t stack[NF][NPX];
static atomic_int inflight, maxflight, calls;

struct src {
    int fail_at; /* frame index whose read fails, -1: none */
};

static int read_frame(int64_t index, void *out, int64_t nbytes, void *user) {
    struct src *s = user;
    int c = atomic_fetch_add(&inflight, 1) + 1;
    int m = atomic_load(&maxflight);
    while (c > m && !atomic_compare_exchange_weak(&maxflight, &m, c)) {}
    atomic_fetch_add(&calls, 1);
    int rc = 0;
    if (index < 0 || index >= NF || nbytes != (int64_t)sizeof stack[0]) rc = 2;
    else if (index == s->fail_at) rc = 1;
    else memcpy(out, stack[index], sizeof stack[0]);
    atomic_fetch_sub(&inflight, 1);
    return rc;
}

static char tmpdir[512];

static void run(void) {
    for (int i = 0; i < NF; i++)
        for (int p = 0; p < NPX; p++)
            stack[i][p] = (int16_t)(((i * 7919 + p * 104729) % 2001) - 1000);
    int64_t dims3[3] = {NF, ROWS, COLS}, dims2[2] = {ROWS, COLS};
    const char *meta = "{\"omega\": [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9], [9, 10], [10, 11], [11, 12], [12, 13], [13, 14], [14, 15], [15, 16], [16, 17], [17, 18], [18, 19], [19, 20], [20, 21], [21, 22], [22, 23], [23, 24], [24, 25]]}";
    qpgo_handle arr = 0, src = 0;
    struct src ok = {-1};
    CHECK_OK(ims_from_array((const uint8_t *)stack, QPGO_INT16, 3, dims3, meta, &arr));
    CHECK_OK(ims_from_source(NF, 2, dims2, QPGO_INT16, read_frame, &ok, meta, &src));
    int64_t n = 0, d[2] = {0, 0};
    int dt = 0;
    CHECK_OK(ims_len(src, &n));
    CHECK(n == NF, "len");
    CHECK_OK(ims_shape(src, d));
    CHECK(d[0] == ROWS && d[1] == COLS, "shape");
    CHECK_OK(ims_dtype(src, &dt));
    CHECK(dt == QPGO_INT16, "dtype");
    int16_t buf[NPX];
    CHECK_OK(ims_get_frame(src, -2, buf, sizeof buf));
    CHECK(memcmp(buf, stack[NF - 2], sizeof buf) == 0, "frame -2");

    static double a[NPX], b[NPX];
    const char *which[] = {"max", "min", "sum", "average", "median", "percentile"};
    for (size_t k = 0; k < sizeof which / sizeof which[0]; k++) {
        CHECK_OK(ims_stats(arr, which[k], 37.5, 0, a, NPX));
        CHECK_OK(ims_stats(src, which[k], 37.5, 0, b, NPX));
        CHECK(memcmp(a, b, sizeof a) == 0, which[k]);
    }

    /* Processed over the source equals processed over the array. */
    qpgo_handle pa = 0, ps = 0;
    int64_t fl[3] = {4, 0, 17};
    CHECK_OK(ims_process(arr, "[[\"flip\", \"v\"]]", fl, 3, &pa));
    CHECK_OK(ims_process(src, "[[\"flip\", \"v\"]]", fl, 3, &ps));
    CHECK_OK(ims_stats(pa, "median", 0, 0, a, NPX));
    CHECK_OK(ims_stats(ps, "median", 0, 0, b, NPX));
    CHECK(memcmp(a, b, sizeof a) == 0, "processed median");
    int16_t fa[NPX], fs[NPX];
    CHECK_OK(ims_get_frame(pa, 2, fa, sizeof fa));
    CHECK_OK(ims_get_frame(ps, 2, fs, sizeof fs));
    CHECK(memcmp(fa, fs, sizeof fa) == 0, "processed frame");

    /* Omega works from the source's metadata. */
    int64_t fr = -1, we = -1;
    CHECK_OK(ims_omega_to_frame(src, 12.5, &fr, &we));
    CHECK(fr == 12 && we == 0, "omega_to_frame");

    /* Written through the source, read back equal to the data. */
    char fname[700];
    snprintf(fname, sizeof fname, "%s/src.h5", tmpdir);
    CHECK_OK(ims_write(src, fname, "hdf5", "{\"path\": \"imgs\"}"));
    qpgo_handle back = 0;
    CHECK_OK(ims_open(fname, "hdf5", "{\"path\": \"imgs\"}", &back));
    int bad = 0;
    for (int i = 0; i < NF; i++) {
        CHECK_RC(QPGO_OK, ims_get_frame(back, i, buf, sizeof buf));
        bad += memcmp(buf, stack[i], sizeof buf) != 0;
    }
    CHECK(bad == 0, "written frames");
    CHECK(atomic_load(&maxflight) == 1, "callback never entered concurrently");

    /* A failing callback fails the operation with CANCELLED and a message. */
    qpgo_handle failing = 0;
    struct src f3 = {3};
    CHECK_OK(ims_from_source(NF, 2, dims2, QPGO_INT16, read_frame, &f3, NULL, &failing));
    CHECK_RC(QPGO_ERR_CANCELLED, ims_stats(failing, "median", 0, 0, b, NPX));
    CHECK(strstr(qpgo_errmsg(), "frame 3") != NULL, qpgo_errmsg());
    CHECK_RC(QPGO_ERR_CANCELLED, ims_get_frame(failing, 3, buf, sizeof buf));
    CHECK_OK(ims_get_frame(failing, 2, buf, sizeof buf));

    /* Bad arguments. */
    qpgo_handle h = 0;
    CHECK_RC(QPGO_ERR_ARG, ims_from_source(NF, 2, dims2, QPGO_INT16, NULL, NULL, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, ims_from_source(NF, 2, dims2, QPGO_INT16, read_frame, &ok, NULL, NULL));
    CHECK_RC(QPGO_ERR_ARG, ims_from_source(-1, 2, dims2, QPGO_INT16, read_frame, &ok, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, ims_from_source(NF, 3, dims3, QPGO_INT16, read_frame, &ok, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, ims_from_source(NF, 2, dims2, QPGO_BOOL, read_frame, &ok, NULL, &h));
    CHECK_RC(QPGO_ERR_ARG, ims_from_source(NF, 2, dims2, QPGO_INT16, read_frame, &ok, "{bad", &h));

    CHECK_OK(ims_close(back));
    CHECK_OK(ims_close(failing));
    CHECK_OK(ims_close(ps));
    CHECK_OK(ims_close(pa));
    CHECK_OK(ims_close(src));
    CHECK_OK(ims_close(arr));
}

int main(void) {
    make_tmpdir(tmpdir, sizeof tmpdir);
    run();
    remove_tmpdir(tmpdir);
    return CHECK_SUMMARY("test_source");
}
