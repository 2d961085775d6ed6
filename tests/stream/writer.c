/* Kill-test helper for series/stream across the C ABI.
 *
 *   writer write PATH swmr|plain [MAXFRAMES]
 *       creates the acquisition file and appends deterministic frames,
 *       printing "created" and then "written <index>" after each
 *       qps_stream_append returns (stdout flushed each line).
 *   writer check PATH WRITTEN
 *       opens the file with a stream reader and verifies that it holds at
 *       least WRITTEN frames and that every frame it reports (also one
 *       flushed but not yet announced) has exactly the expected content.
 *       Prints "check: <frames> readable, <bad> bad" and exits 1 on failure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qpgo.h"

enum { M = 192, N = 256 };

/* Frame i, stored as float32: the expected values are float-rounded. */
static void frame(int64_t i, double *pha, double *amp) {
    for (int k = 0; k < M * N; k++) {
        pha[k] = (double)(float)sin(0.0037 * k + 0.11 * (double)i);
        amp[k] = (double)(float)(1.0 + 0.001 * (double)i + 0.01 * (k % 7));
    }
}

static double frame_time(int64_t i) { return 0.25 * (double)i; }

static int do_write(const char *path, int swmr, int64_t max) {
    char opt[256];
    snprintf(opt, sizeof opt,
             "{\"swmr\": %s, \"compress\": true, \"meta_data\": {\"wavelength\": 5.5e-7,"
             " \"pixel size\": 1e-7, \"medium index\": 1.335}}", swmr ? "true" : "false");
    qpgo_handle w;
    if (qps_stream_create(path, M, N, opt, &w) != QPGO_OK) {
        printf("error create: %s\n", qpgo_errmsg());
        return 1;
    }
    printf("created\n");
    fflush(stdout);
    double *pha = malloc(sizeof(double) * M * N), *amp = malloc(sizeof(double) * M * N);
    for (int64_t i = 0; i < max; i++) {
        frame(i, pha, amp);
        int64_t index;
        if (qps_stream_append(w, pha, amp, frame_time(i), &index) != QPGO_OK || index != i) {
            printf("error append %lld: %s\n", (long long)i, qpgo_errmsg());
            return 1;
        }
        printf("written %lld\n", (long long)index);
        fflush(stdout);
    }
    free(pha);
    free(amp);
    return qps_stream_close(w) == QPGO_OK ? 0 : 1;
}

static int do_check(const char *path, int64_t written) {
    qpgo_handle r;
    if (qps_stream_open_reader(path, &r) != QPGO_OK) {
        printf("check: cannot open %s: %s\n", path, qpgo_errmsg());
        return 1;
    }
    int64_t n = 0, bad = 0;
    if (qps_stream_len(r, &n) != QPGO_OK) {
        printf("check: len failed: %s\n", qpgo_errmsg());
        return 1;
    }
    double *pha = malloc(sizeof(double) * M * N), *amp = malloc(sizeof(double) * M * N);
    double *gp = malloc(sizeof(double) * M * N), *ga = malloc(sizeof(double) * M * N);
    for (int64_t i = 0; i < n; i++) {
        double t = -1;
        frame(i, pha, amp);
        if (qps_stream_read(r, i, gp, ga, M * N, &t) != QPGO_OK) {
            printf("check: frame %lld unreadable: %s\n", (long long)i, qpgo_errmsg());
            bad++;
            continue;
        }
        if (memcmp(pha, gp, sizeof(double) * M * N) || memcmp(amp, ga, sizeof(double) * M * N) ||
            t != frame_time(i)) {
            printf("check: frame %lld differs\n", (long long)i);
            bad++;
        }
    }
    int64_t lost = written > n ? written - n : 0;
    printf("check: %lld readable, %lld bad, %lld lost\n", (long long)n, (long long)bad, (long long)lost);
    qps_stream_close(r);
    free(pha); free(amp); free(gp); free(ga);
    return bad || lost ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc >= 4 && !strcmp(argv[1], "write"))
        return do_write(argv[2], !strcmp(argv[3], "swmr"), argc > 4 ? atoll(argv[4]) : 1000000);
    if (argc == 4 && !strcmp(argv[1], "check"))
        return do_check(argv[2], atoll(argv[3]));
    fprintf(stderr, "usage: writer write PATH swmr|plain [MAXFRAMES] | writer check PATH WRITTEN\n");
    return 2;
}
