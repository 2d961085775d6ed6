/* qpgo-info FILE: what a qpgo/upstream file holds, through the C ABI only
 * (kind from qpgo_file_kind, members and shapes from the *_open calls).
 * Built by `make build` into build/qpgo-info. Exit 1 on any error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpgo.h"

static int fail(const char *what) {
    fprintf(stderr, "qpgo-info: %s: %s\n", what, qpgo_errmsg());
    return 1;
}

/* value of "key":"..." in the flat JSON object js, into out (n bytes) */
static int json_str(const char *js, const char *key, char *out, size_t n) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(js, pat);
    if (!p) return 0;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    if (!e || (size_t)(e - p) >= n) return 0;
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = 0;
    return 1;
}

static char *get_info(int (*f)(qpgo_handle, char *, int64_t, int64_t *), qpgo_handle h) {
    int64_t need = 0;
    if (f(h, NULL, 0, &need) != QPGO_OK) return NULL;
    char *buf = malloc((size_t)need);
    if (buf && f(h, buf, need, &need) != QPGO_OK) { free(buf); return NULL; }
    return buf;
}

static int image(const char *label, qpgo_handle h, int fl) {
    int64_t dims[2];
    if ((fl ? fli_shape(h, dims) : qpi_shape(h, dims)) != QPGO_OK) return fail("shape");
    char *meta = get_info(fl ? fli_info : qpi_info, h);
    if (!meta) return fail("info");
    printf("%sshape %lldx%lld, info %s\n", label, (long long)dims[0], (long long)dims[1], meta);
    free(meta);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: qpgo-info FILE\n");
        return 2;
    }
    const char *path = argv[1];
    int64_t need = 0;
    if (qpgo_file_kind(path, NULL, 0, &need) != QPGO_OK) return fail(path);
    char *js = malloc((size_t)need);
    if (!js || qpgo_file_kind(path, js, need, &need) != QPGO_OK) return fail(path);
    char kind[64] = "", fmt[32] = "", opt[256] = "", grp[128], dn[64], style[16];
    json_str(js, "kind", kind, sizeof kind);
    printf("file: %s\nkind: %s\n", path, kind);
    qpgo_handle h;
    int rc = 0;
    if (!strcmp(kind, "qpimage") || !strcmp(kind, "FLImage")) {
        int fl = kind[0] == 'F';
        if ((fl ? fli_open(path, "r", &h) : qpi_open(path, "r", &h)) != QPGO_OK) return fail("open");
        printf("members: 1\n");
        rc = image("  ", h, fl);
        fl ? fli_close(h) : qpi_close(h);
    } else if (!strcmp(kind, "QPSeries") || !strcmp(kind, "FLSeries")) {
        int fl = kind[0] == 'F';
        int64_t n = 0;
        if ((fl ? fls_open(path, "r", &h) : qps_open(path, "r", &h)) != QPGO_OK) return fail("open");
        if ((fl ? fls_len(h, &n) : qps_len(h, &n)) != QPGO_OK) return fail("len");
        printf("members: %lld\n", (long long)n);
        for (int64_t i = 0; i < n && rc == 0; i++) {
            qpgo_handle m;
            if ((fl ? fls_get_flimage(h, i, &m) : qps_get_qpimage(h, i, &m)) != QPGO_OK) return fail("member");
            char label[32];
            snprintf(label, sizeof label, "  [%lld] ", (long long)i);
            rc = image(label, m, fl);
            fl ? fli_close(m) : qpi_close(m);
        }
        fl ? fls_close(h) : qps_close(h);
    } else {
        json_str(js, "format", fmt, sizeof fmt);
        if (json_str(js, "style", style, sizeof style))
            snprintf(opt, sizeof opt, "{\"style\":\"%s\"}", style);
        else if (json_str(js, "path", grp, sizeof grp) && json_str(js, "dataname", dn, sizeof dn))
            snprintf(opt, sizeof opt, "{\"path\":\"%s\",\"dataname\":\"%s\"}", grp, dn);
        if (ims_open(path, fmt, opt, &h) != QPGO_OK) return fail("ims_open");
        int64_t n = 0, dims[2];
        int dtype = 0;
        if (ims_len(h, &n) != QPGO_OK || ims_shape(h, dims) != QPGO_OK || ims_dtype(h, &dtype) != QPGO_OK)
            return fail("imageseries");
        printf("open as: ims_open(path, \"%s\", %s)\nmembers: %lld frames\nframe shape: %lldx%lld, dtype code %d\n",
               fmt, opt, (long long)n, (long long)dims[0], (long long)dims[1], dtype);
        ims_close(h);
    }
    free(js);
    return rc;
}
