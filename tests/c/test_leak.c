/* Leak test: LEAK_CYCLES (20 000) open/compute/close cycles through the C
 * ABI. The resident set size after a warm-up must stay flat (growth below
 * LEAK_SLACK_KB), and the binary is linked with LeakSanitizer, which
 * reports any malloc'd block (libhdf5, cgo strings, the error buffers) that
 * is unreachable at exit. Prints the bytes the RSS grew by. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

#ifndef LEAK_CYCLES
#define LEAK_CYCLES 20000
#endif
#define LEAK_SLACK_KB 8192
#define M 16
#define N 16

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cycle(int i, const char *file) {
    static double pha[M * N], out[M * N];
    for (int k = 0; k < M * N; k++) pha[k] = 0.01 * (k % N) + 0.02 * (k / N) + 0.001 * (i % 7);
    int64_t dims[2] = {M, N};
    qpgo_handle h = 0, c = 0;
    char opts[512];
    if (file && i % 100 == 0)
        snprintf(opts, sizeof opts, "{\"proc_phase\": %s, \"h5file\": \"%s\", \"h5mode\": \"w\", \"meta_data\": {\"time\": %d}}",
                 i % 3 ? "false" : "true", file, i);
    else
        snprintf(opts, sizeof opts, "{\"proc_phase\": %s, \"meta_data\": {\"time\": %d}}", i % 3 ? "false" : "true", i);
    if (qpi_new("phase", pha, 2, dims, NULL, opts, &h) != QPGO_OK) return 0;
    int ok = qpi_compute_bg(h, "{\"fit_profile\": \"tilt\", \"border_px\": 2}", NULL, NULL, 0) == QPGO_OK;
    ok &= qpi_get_pha(h, out, M * N) == QPGO_OK;
    if (i % 50 == 0) { /* error paths and copies allocate too */
        ok &= qpi_get_meta_double(h, "wavelength", out) == QPGO_ERR_META_MISSING;
        ok &= qpi_copy(h, NULL, &c) == QPGO_OK && qpi_close(c) == QPGO_OK;
    }
    ok &= qpi_close(h) == QPGO_OK;
    if (file && i % 100 == 0) {
        ok &= qpi_open(file, "r", &h) == QPGO_OK;
        ok &= qpi_get_pha(h, out, M * N) == QPGO_OK && qpi_close(h) == QPGO_OK;
    }
    return ok;
}

int main(void) {
    char file[] = "/tmp/qpgo_leak_XXXXXX";
    int fd = mkstemp(file);
    if (fd >= 0) close(fd);
    int warm = LEAK_CYCLES / 10, bad = 0;
    for (int i = 0; i < warm; i++) bad += !cycle(i, file);
    long before = rss_kb();
    for (int i = warm; i < LEAK_CYCLES; i++) bad += !cycle(i, file);
    long after = rss_kb();
    unlink(file);
    CHECK(bad == 0, "every cycle succeeds");
    printf("leak: %d cycles, RSS %ld kB after warm-up, %ld kB at the end: grew by %ld bytes\n",
           LEAK_CYCLES, before, after, (after - before) * 1024);
    CHECK(after - before < LEAK_SLACK_KB, "RSS stays flat");
    return CHECK_SUMMARY("test_leak");
}
