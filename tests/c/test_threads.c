/* Concurrency: 8 threads × 2000 mixed calls on one shared in-memory handle
 * plus private handles (in memory and in files), and per-thread
 * qpgo_errmsg isolation. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include "util.h"
#include "check.h"

#define NTHREADS 8
#define NCALLS 2000
#define M 6
#define N 8
#define MN (M * N)

static char tmpdir[512];
static qpgo_handle shared;
static double shared_pha[MN]; /* expected float32-rounded phase */
static const int64_t dims3[3] = {2, M, N};

typedef struct {
    int id;
    int passed, failed;
} worker;

#define T_CHECK(w, cond, ...)                                               \
    do {                                                                    \
        if (cond) (w)->passed++;                                            \
        else {                                                              \
            (w)->failed++;                                                  \
            fprintf(stderr, "FAIL %s:%d thread %d: ", __FILE__, __LINE__,   \
                    (w)->id);                                               \
            fprintf(stderr, __VA_ARGS__);                                   \
            fprintf(stderr, " (errmsg: %s)\n", qpgo_errmsg());              \
        }                                                                   \
    } while (0)

static void fill(double *d, int seed) {
    for (int i = 0; i < MN; i++) {
        d[i] = 0.001 * seed + 0.01 * i;
        d[MN + i] = 1.0 + 0.0005 * seed + 0.002 * i;
    }
}

static int same_f32(const double *got, const double *src, int n) {
    for (int i = 0; i < n; i++)
        if (got[i] != (double)(float)src[i]) return 0;
    return 1;
}

static void private_image(worker *w, int iter, int in_file) {
    double d[2 * MN], got[MN];
    char opts[900], path[700];
    fill(d, 100 * w->id + iter);
    if (in_file) {
        snprintf(path, sizeof path, "%s/t%d_%d.h5", tmpdir, w->id, iter);
        snprintf(opts, sizeof opts,
                 "{\"proc_phase\": false, \"h5file\": \"%s\", \"h5mode\": \"w\","
                 " \"meta_data\": {\"time\": %d}}", path, iter);
    } else {
        snprintf(opts, sizeof opts, "{\"proc_phase\": false, \"meta_data\": {\"time\": %d}}", iter);
    }
    qpgo_handle h = 0;
    int rc = qpi_new("phase,amplitude", d, 3, dims3, NULL, opts, &h);
    T_CHECK(w, rc == QPGO_OK, "qpi_new rc %d", rc);
    if (rc != QPGO_OK) return;
    rc = qpi_get_pha(h, got, MN);
    T_CHECK(w, rc == QPGO_OK && same_f32(got, d, MN), "private pha rc %d", rc);
    rc = qpi_get_amp(h, got, MN);
    T_CHECK(w, rc == QPGO_OK && same_f32(got, d + MN, MN), "private amp rc %d", rc);
    double t = -1;
    rc = qpi_get_meta_double(h, "time", &t);
    T_CHECK(w, rc == QPGO_OK && t == iter, "private time rc %d t %g", rc, t);
    rc = qpi_close(h);
    T_CHECK(w, rc == QPGO_OK, "close rc %d", rc);
    if (in_file) {
        rc = qpi_open(path, "r", &h);
        T_CHECK(w, rc == QPGO_OK, "reopen rc %d", rc);
        if (rc == QPGO_OK) {
            rc = qpi_get_pha(h, got, MN);
            T_CHECK(w, rc == QPGO_OK && same_f32(got, d, MN), "reopened pha rc %d", rc);
            T_CHECK(w, qpi_close(h) == QPGO_OK, "close reopened");
        }
    }
    rc = qpi_close(h);
    T_CHECK(w, rc == QPGO_ERR_HANDLE, "double close rc %d", rc);
    T_CHECK(w, strstr(qpgo_errmsg(), "closed") != NULL, "own error message: %s", qpgo_errmsg());
    int64_t s[2];
    rc = qpi_shape(shared, s); /* a success clears this thread's message */
    T_CHECK(w, rc == QPGO_OK, "shape after error rc %d", rc);
}

static void *run_worker(void *arg) {
    worker *w = arg;
    double got[MN];
    char buf[128];
    int64_t need = 0;
    for (int i = 0; i < NCALLS; i++) {
        int rc;
        switch (i % 6) {
        case 0: {
            int64_t s[2] = {0, 0};
            rc = qpi_shape(shared, s);
            T_CHECK(w, rc == QPGO_OK && s[0] == M && s[1] == N, "shape rc %d", rc);
            break;
        }
        case 1:
            rc = qpi_get_pha(shared, got, MN);
            T_CHECK(w, rc == QPGO_OK && memcmp(got, shared_pha, sizeof got) == 0, "shared pha rc %d", rc);
            break;
        case 2: {
            /* every thread writes time = id*1000 + i; any read sees one
             * such value */
            rc = qpi_set_meta_double(shared, "time", w->id * 10000.0 + i);
            T_CHECK(w, rc == QPGO_OK, "set time rc %d", rc);
            double t = -1;
            rc = qpi_get_meta_double(shared, "time", &t);
            int valid = t >= 0 && t < NTHREADS * 10000 && (long)t % 10000 < NCALLS &&
                        (long)t % 10000 % 6 == 2;
            T_CHECK(w, rc == QPGO_OK && valid, "get time rc %d t %g", rc, t);
            break;
        }
        case 3:
            rc = qpi_get_meta_string(shared, "identifier", buf, sizeof buf, &need);
            T_CHECK(w, rc == QPGO_OK && !strcmp(buf, "shared") && need == 7, "identifier rc %d", rc);
            break;
        case 4: {
            double wl = 0;
            rc = qpi_get_meta_double(shared, "wavelength", &wl);
            T_CHECK(w, rc == QPGO_OK && wl == 5.5e-7, "wavelength rc %d", rc);
            rc = qpi_repr(shared, buf, sizeof buf, &need);
            T_CHECK(w, rc == QPGO_OK && !strcmp(buf, "QPImage <shared>, 6x8px, \xce\xbb=550.0nm"),
                    "repr rc %d: %s", rc, buf);
            break;
        }
        case 5:
            private_image(w, i, i % 48 == 5);
            break;
        }
        T_CHECK(w, strcmp(qpgo_errmsg(), "") == 0, "errmsg after success: %s", qpgo_errmsg());
    }
    return NULL;
}

/* errmsg isolation: A fails, B succeeds, then each checks its own. */
static pthread_barrier_t barrier;
static void *iso_a(void *arg) {
    worker *w = arg;
    double v;
    int rc = qpi_get_meta_double(shared, "bogus", &v);
    T_CHECK(w, rc == QPGO_ERR_KEY, "A error rc %d", rc);
    pthread_barrier_wait(&barrier); /* 1: A has failed */
    pthread_barrier_wait(&barrier); /* 2: B has succeeded */
    T_CHECK(w, strstr(qpgo_errmsg(), "bogus") != NULL, "A keeps its message");
    return NULL;
}
static void *iso_b(void *arg) {
    worker *w = arg;
    pthread_barrier_wait(&barrier); /* 1 */
    int64_t s[2];
    int rc = qpi_shape(shared, s);
    T_CHECK(w, rc == QPGO_OK, "B success rc %d", rc);
    T_CHECK(w, strcmp(qpgo_errmsg(), "") == 0, "B message empty: %s", qpgo_errmsg());
    pthread_barrier_wait(&barrier); /* 2 */
    return NULL;
}
/* ... and the other way: B's success must not clear A's message. */
static void *iso_c(void *arg) {
    worker *w = arg;
    pthread_barrier_wait(&barrier); /* 1: D has failed */
    int64_t s[2];
    T_CHECK(w, qpi_shape(shared, s) == QPGO_OK, "C success");
    pthread_barrier_wait(&barrier); /* 2 */
    T_CHECK(w, strcmp(qpgo_errmsg(), "") == 0, "C message stays empty: %s", qpgo_errmsg());
    return NULL;
}
static void *iso_d(void *arg) {
    worker *w = arg;
    int64_t s[2];
    T_CHECK(w, qpi_shape(0, s) == QPGO_ERR_HANDLE, "D error");
    pthread_barrier_wait(&barrier); /* 1 */
    pthread_barrier_wait(&barrier); /* 2: C has succeeded */
    T_CHECK(w, strlen(qpgo_errmsg()) > 0, "D keeps its message");
    return NULL;
}

static void run_pair(void *(*fa)(void *), void *(*fb)(void *)) {
    worker wa = {100, 0, 0}, wb = {101, 0, 0};
    pthread_t ta, tb;
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_create(&ta, NULL, fa, &wa);
    pthread_create(&tb, NULL, fb, &wb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&barrier);
    check_passed += wa.passed + wb.passed;
    check_failed += wa.failed + wb.failed;
}

int main(void) {
    double d[2 * MN];
    make_tmpdir(tmpdir, sizeof tmpdir);
    fill(d, 7);
    for (int i = 0; i < MN; i++) shared_pha[i] = (double)(float)d[i];
    CHECK_OK(qpi_new("phase,amplitude", d, 3, dims3, NULL,
                     "{\"proc_phase\": false, \"meta_data\": {\"wavelength\": 5.5e-7,"
                     " \"identifier\": \"shared\"}}", &shared));

    pthread_t th[NTHREADS];
    worker ws[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        ws[i] = (worker){i, 0, 0};
        CHECK(pthread_create(&th[i], NULL, run_worker, &ws[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(th[i], NULL);
        check_passed += ws[i].passed;
        check_failed += ws[i].failed;
    }
    double t = -1;
    CHECK_OK(qpi_get_meta_double(shared, "time", &t));
    CHECK(t >= 0 && (long)t % 10000 % 6 == 2, "final time is one written value");

    run_pair(iso_a, iso_b);
    run_pair(iso_d, iso_c);

    CHECK_OK(qpi_close(shared));
    CHECK_RC(QPGO_ERR_HANDLE, qpi_close(shared));
    remove_tmpdir(tmpdir);
    printf("thread stress: %d threads x %d mixed calls on shared and private handles, no deadlock\n",
           NTHREADS, NCALLS);
    return CHECK_SUMMARY("test_threads");
}
