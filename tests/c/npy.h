/* Minimal .npy reader for the fixture arrays: format 1.x-3.x, C order,
 * little endian '<f4', '<f8', '<c16' (interleaved re, im) and '|b1'.
 * Values are returned as doubles. */
#ifndef QPGO_NPY_H
#define QPGO_NPY_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef struct {
    double *data;    /* n doubles (2n for complex) */
    long n;          /* number of elements */
    int ndim;
    long shape[8];
    int complex_;    /* 1 for '<c16' */
    char descr[8];
} npy_array;

static inline void npy_free(npy_array *a) { free(a->data); a->data = NULL; }

/* Returns 0 on success, -1 (with a message on stderr) on failure. */
static inline int npy_load(const char *path, npy_array *a) {
    memset(a, 0, sizeof *a);
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "npy: cannot open %s\n", path); return -1; }
    unsigned char pre[10];
    if (fread(pre, 1, 8, f) != 8 || memcmp(pre, "\x93NUMPY", 6) != 0) goto bad;
    size_t hlen;
    if (pre[6] == 1) {
        if (fread(pre, 1, 2, f) != 2) goto bad;
        hlen = pre[0] | (size_t)pre[1] << 8;
    } else if (pre[6] == 2 || pre[6] == 3) {
        if (fread(pre, 1, 4, f) != 4) goto bad;
        hlen = pre[0] | (size_t)pre[1] << 8 | (size_t)pre[2] << 16 | (size_t)pre[3] << 24;
    } else goto bad;
    char *hdr = calloc(1, hlen + 1);
    if (fread(hdr, 1, hlen, f) != hlen) { free(hdr); goto bad; }
    const char *d = strstr(hdr, "'descr': '");
    const char *fo = strstr(hdr, "'fortran_order': False");
    const char *sh = strstr(hdr, "'shape': (");
    if (!d || !fo || !sh) { free(hdr); goto bad; }
    sscanf(d + 10, "%7[^']", a->descr);
    a->n = 1;
    for (const char *p = sh + 10; *p && *p != ')';) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p) { p++; continue; }
        if (a->ndim == 8) { free(hdr); goto bad; }
        a->shape[a->ndim++] = v;
        a->n *= v;
        p = end;
    }
    free(hdr);
    int size;
    if (!strcmp(a->descr, "<f4")) size = 4;
    else if (!strcmp(a->descr, "<f8")) size = 8;
    else if (!strcmp(a->descr, "<c16")) { size = 16; a->complex_ = 1; }
    else if (!strcmp(a->descr, "|b1")) size = 1;
    else { fprintf(stderr, "npy: unsupported dtype %s in %s\n", a->descr, path); fclose(f); return -1; }
    long nd = a->complex_ ? 2 * a->n : a->n;
    unsigned char *raw = malloc((size_t)(a->n * size) + 1);
    if (fread(raw, (size_t)size, (size_t)a->n, f) != (size_t)a->n) { free(raw); goto bad; }
    a->data = malloc(sizeof(double) * (size_t)(nd ? nd : 1));
    for (long i = 0; i < nd; i++) {
        if (size == 4) { float v; memcpy(&v, raw + 4 * i, 4); a->data[i] = v; }
        else if (size == 1) a->data[i] = raw[i] ? 1.0 : 0.0;
        else memcpy(&a->data[i], raw + 8 * i, 8); /* f8 and c16 halves */
    }
    free(raw);
    fclose(f);
    return 0;
bad:
    fprintf(stderr, "npy: malformed file %s\n", path);
    fclose(f);
    return -1;
}
#endif
