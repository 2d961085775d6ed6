/* qpgo demo: create a QPImage from a generated phase image with meta data,
 * write it to an HDF5 file laid out as qpimage 0.9.3 writes it, reopen it
 * and print what was read. Build: make demo. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "qpgo.h"

#define CHECK(call) do { int rc_ = (call); if (rc_ != QPGO_OK) { \
    fprintf(stderr, "%s failed: %d %s\n", #call, rc_, qpgo_errmsg()); return 1; } } while (0)

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "demo.h5";
    enum { M = 64, N = 80 };
    static double pha[M * N];
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double x = i - M / 2, y = j - N / 2;
            pha[i * N + j] = 2.0 * exp(-(x * x + y * y) / (2 * 10.0 * 10.0)) + 0.01 * x;
        }
    printf("qpgo %s\n", qpgo_version());

    char options[512];
    snprintf(options, sizeof options,
             "{\"h5file\": \"%s\", \"h5mode\": \"w\", \"proc_phase\": false,"
             " \"meta_data\": {\"wavelength\": 5.5e-7, \"pixel size\": 1e-7,"
             " \"medium index\": 1.335, \"identifier\": \"demo cell\"}}", path);
    int64_t dims[2] = {M, N};
    qpgo_handle qpi;
    CHECK(qpi_new("phase", pha, 2, dims, NULL, options, &qpi));
    printf("created %s: %dx%d phase image with meta data\n", path, M, N);
    CHECK(qpi_close(qpi));

    CHECK(qpi_open(path, "r", &qpi));
    int64_t shape[2];
    CHECK(qpi_shape(qpi, shape));
    double *out = malloc(sizeof(double) * shape[0] * shape[1]);
    CHECK(qpi_get_pha(qpi, out, shape[0] * shape[1]));
    double mx = out[0], sum = 0;
    for (int64_t k = 0; k < shape[0] * shape[1]; k++) { if (out[k] > mx) mx = out[k]; sum += out[k]; }
    char text[4096];
    int64_t need;
    CHECK(qpi_repr(qpi, text, sizeof text, &need));
    printf("reopened: %s\n", text);
    printf("pha: shape %lldx%lld, max %.4f rad, mean %.4f rad\n",
           (long long)shape[0], (long long)shape[1], mx, sum / (double)(shape[0] * shape[1]));
    double wl;
    CHECK(qpi_get_meta_double(qpi, "wavelength", &wl));
    printf("meta wavelength: %g m\n", wl);
    CHECK(qpi_info(qpi, text, sizeof text, &need));
    printf("info: %s\n", text);
    free(out);
    CHECK(qpi_close(qpi));
    printf("done: the file opens in h5py/HDFView with the qpimage layout (h5dump -H %s)\n", path);
    return 0;
}
