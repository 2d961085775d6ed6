/* qpgo acquisition example: a simulated camera thread appends frames to a
 * SWMR acquisition file — a moving Gaussian phase bump, and every 4th frame
 * a synthetic off-axis hologram of it, converted on the fly — while the
 * main thread, like a live viewer, opens a reader and prints the newest
 * frame a few times. At the end the acquisition file is exported to an
 * upstream-layout QPSeries file, which is read back with qps_open/qps_len.
 * Build and run: make -C tests/stream acquire-run (or see its Makefile). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "qpgo.h"

#define CHECK(call) do { int rc_ = (call); if (rc_ != QPGO_OK) { \
    fprintf(stderr, "%s failed: %d %s\n", #call, rc_, qpgo_errmsg()); exit(1); } } while (0)

enum { M = 128, N = 128, FRAMES = 40 };

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The sample: a Gaussian bump of 1.5 rad moving left to right. */
static double bump(int k, int i, int j) {
    double cx = N * (0.25 + 0.5 * k / (double)FRAMES), cy = M / 2.0;
    double x = j - cx, y = i - cy;
    return 1.5 * exp(-(x * x + y * y) / (2 * 12.0 * 12.0));
}

typedef struct {
    qpgo_handle writer;
    int done;
    pthread_mutex_t mu;
} camera_t;

static void *camera(void *arg) {
    camera_t *cam = arg;
    double *pha = malloc(sizeof(double) * M * N);
    double *amp = malloc(sizeof(double) * M * N);
    for (int k = 0; k < FRAMES; k++) {
        int64_t index;
        double t = 0.05 * k;
        if (k % 4 == 3) {
            /* Raw off-axis hologram: a carrier of 32 x 16 cycles per frame (on the FFT grid), camera counts. */
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) {
                    double v = 2 + 2 * cos(2 * M_PI * (-0.25 * i - 0.125 * j) + bump(k, i, j));
                    pha[i * N + j] = round(60 * v);
                }
            CHECK(qps_stream_append_hologram(cam->writer, pha, t, "{\"filter_name\": \"disk\"}", &index));
        } else {
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) {
                    pha[i * N + j] = bump(k, i, j);
                    amp[i * N + j] = 1 - 0.1 * bump(k, i, j);
                }
            CHECK(qps_stream_append(cam->writer, pha, amp, t, &index));
        }
        sleep_ms(10); /* the camera's frame period */
    }
    free(pha);
    free(amp);
    pthread_mutex_lock(&cam->mu);
    cam->done = 1;
    pthread_mutex_unlock(&cam->mu);
    return NULL;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "acquire.h5";
    const char *out = argc > 2 ? argv[2] : "acquire_series.h5";
    camera_t cam = {0, 0, PTHREAD_MUTEX_INITIALIZER};
    CHECK(qps_stream_create(path, M, N,
        "{\"swmr\": true, \"compress\": true, \"meta_data\": {\"wavelength\": 5.5e-7,"
        " \"pixel size\": 1e-7, \"medium index\": 1.335, \"identifier\": \"acquire demo\"}}",
        &cam.writer));
    printf("acquiring %d frames of %dx%d into %s (SWMR)\n", FRAMES, M, N, path);
    pthread_t th;
    pthread_create(&th, NULL, camera, &cam);

    /* The viewer: a reader of the same file, in this thread. */
    qpgo_handle reader;
    CHECK(qps_stream_open_reader(path, &reader));
    double *view = malloc(sizeof(double) * M * N);
    int shown = 0;
    for (;;) {
        pthread_mutex_lock(&cam.mu);
        int done = cam.done;
        pthread_mutex_unlock(&cam.mu);
        int64_t index;
        double t;
        int rc = qps_stream_newest(reader, view, NULL, M * N, &t, &index);
        if (rc == QPGO_OK) {
            double mx = view[0];
            for (int k = 1; k < M * N; k++) if (view[k] > mx) mx = view[k];
            printf("viewer: newest frame %lld (t = %.2f s%s): max phase %.3f rad\n",
                   (long long)index, t, index % 4 == 3 ? ", from hologram" : "", mx);
            shown++;
        } else if (rc != QPGO_ERR_NOT_FOUND) {
            CHECK(rc);
        }
        if (done) break;
        sleep_ms(80);
    }
    pthread_join(th, NULL);
    int64_t n;
    CHECK(qps_stream_len(reader, &n));
    printf("viewer showed %d frames; the file holds %lld\n", shown, (long long)n);
    CHECK(qps_stream_close(reader));
    CHECK(qps_stream_close(cam.writer));

    int64_t exported;
    CHECK(qps_stream_export(path, out, &exported));
    printf("exported %lld frames to the QPSeries file %s\n", (long long)exported, out);
    qpgo_handle qps;
    CHECK(qps_open(out, "r", &qps));
    int64_t len;
    CHECK(qps_len(qps, &len));
    printf("qps_open(%s): %lld QPImages\n", out, (long long)len);
    CHECK(qps_close(qps));
    free(view);
    if (len != FRAMES || exported != FRAMES) {
        fprintf(stderr, "expected %d frames\n", FRAMES);
        return 1;
    }
    return 0;
}
