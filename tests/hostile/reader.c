/* Hostile-file reader through the C ABI (tests/hostile): reads cases from
 * stdin, one per line "kind<TAB>dir<TAB>file<TAB>format<TAB>options", changes to dir (YAML
 * files name others relative to the working directory), opens the
 * file and reads everything (images, every frame, metadata), and answers
 * one line per case: "OK <digest>" (an FNV-1a hash of all bytes read) or
 * "ERR <code> <message>", then a tab and the case's peak RSS in kB; "ping"
 * answers "pong" (the runner's ready check). The runner kills and restarts it on a timeout;
 * a crash is the runner's to see. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qpgo.h"

static uint64_t digest;
static char errbuf[600]; /* the first failure's message (closing a handle resets it) */

static void save_msg(void) {
    if (!errbuf[0]) snprintf(errbuf, sizeof errbuf, "%s", qpgo_errmsg());
}

/* FNV-style mixing of 8-byte words (a 400 MB array must not cost the
 * reader more time than the library takes to read it) */
static void mix(const void *p, size_t n) {
    const unsigned char *b = p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        digest = (digest ^ w) * 1099511628211ULL;
    }
    for (; i < n; i++) digest = (digest ^ b[i]) * 1099511628211ULL;
}

#define TRY(call)                                   \
    do {                                            \
        int rc_ = (call);                           \
        if (rc_ != QPGO_OK) { save_msg(); return rc_; } \
    } while (0)

static int read_json(int (*f)(qpgo_handle, char *, int64_t, int64_t *), qpgo_handle h) {
    int64_t need = 0;
    TRY(f(h, NULL, 0, &need));
    char *buf = malloc((size_t)need + 1);
    if (!buf) return -100;
    int rc = f(h, buf, need, &need);
    if (rc == QPGO_OK) mix(buf, strlen(buf));
    free(buf);
    return rc;
}

static int info_qpi(qpgo_handle h, char *b, int64_t n, int64_t *need) { return qpi_info(h, b, n, need); }
static int meta_qpi(qpgo_handle h, char *b, int64_t n, int64_t *need) { return qpi_get_meta_json(h, NULL, b, n, need); }
static int meta_fli(qpgo_handle h, char *b, int64_t n, int64_t *need) { return fli_get_meta_json(h, NULL, b, n, need); }

static int read_qpi(qpgo_handle h) {
    int64_t d[2];
    int rc = qpi_shape(h, d);
    if (rc == QPGO_ERR_NOT_FOUND) return read_json(meta_qpi, h);
    if (rc != QPGO_OK) return rc;
    int64_t n = d[0] * d[1];
    double *buf = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!buf) return -100;
    int (*get[])(qpgo_handle, double *, int64_t) = {qpi_get_pha, qpi_get_amp, qpi_get_bg_pha, qpi_get_bg_amp};
    for (int i = 0; i < 4 && rc == QPGO_OK; i++) {
        rc = get[i](h, buf, n);
        if (rc == QPGO_OK) mix(buf, sizeof(double) * (size_t)n);
    }
    free(buf);
    if (rc != QPGO_OK) return rc;
    TRY(read_json(meta_qpi, h));
    return read_json(info_qpi, h);
}

static int read_fli(qpgo_handle h) {
    int64_t d[2];
    int rc = fli_shape(h, d);
    if (rc == QPGO_ERR_NOT_FOUND) return read_json(meta_fli, h);
    if (rc != QPGO_OK) return rc;
    int64_t n = d[0] * d[1];
    double *buf = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!buf) return -100;
    rc = fli_get_fl(h, buf, n);
    if (rc == QPGO_OK) mix(buf, sizeof(double) * (size_t)n);
    free(buf);
    if (rc != QPGO_OK) return rc;
    return read_json(meta_fli, h);
}

/* Metadata through the typed API: arrays as bytes, other values as JSON. */
static int read_ims_meta(qpgo_handle h) {
    int64_t need = 0;
    TRY(ims_metadata_keys_json(h, NULL, 0, &need));
    char *keys = malloc((size_t)need + 1);
    if (!keys) return -100;
    int rc = ims_metadata_keys_json(h, keys, need, &need);
    for (char *p = keys; rc == QPGO_OK && (p = strstr(p, "{\"name\":\"")) != NULL;) {
        p += 9;
        char name[1024];
        size_t k = 0;
        while (*p && *p != '"' && k < sizeof name - 1) {
            if (*p == '\\' && p[1]) p++;
            name[k++] = *p++;
        }
        name[k] = 0;
        mix(name, k);
        static const char arr[] = "\",\"kind\":\"array\"";
        if (!strncmp(p, arr, sizeof arr - 1)) {
            int dt = 0, nd = 0;
            int64_t dims[64];
            rc = ims_metadata_array_info(h, name, &dt, &nd, dims, 64);
            if (rc != QPGO_OK) break;
            int64_t nb = dt == QPGO_FLOAT64 || dt == QPGO_INT64 || dt == QPGO_UINT64 ? 8
                       : dt == QPGO_FLOAT32 || dt == QPGO_INT32 || dt == QPGO_UINT32 ? 4
                       : dt == QPGO_INT16 || dt == QPGO_UINT16 ? 2 : 1;
            for (int i = 0; i < nd; i++) nb *= dims[i];
            void *buf = malloc((size_t)(nb > 0 ? nb : 1));
            if (!buf) { rc = -100; break; }
            rc = ims_metadata_array(h, name, buf, nb);
            if (rc == QPGO_OK) mix(buf, (size_t)nb);
            free(buf);
        } else {
            int64_t vn = 0;
            rc = ims_metadata_value_json(h, name, NULL, 0, &vn);
            if (rc != QPGO_OK) break;
            char *v = malloc((size_t)vn + 1);
            if (!v) { rc = -100; break; }
            rc = ims_metadata_value_json(h, name, v, vn, &vn);
            if (rc == QPGO_OK) mix(v, strlen(v));
            free(v);
        }
    }
    free(keys);
    return rc;
}

static int read_case(const char *kind, const char *path, const char *format, const char *options) {
    qpgo_handle h = 0;
    int rc;
    if (!strcmp(kind, "qpi")) {
        TRY(qpi_open(path, "r", &h));
        rc = read_qpi(h);
        if (rc != QPGO_OK) save_msg();
        qpi_close(h);
    } else if (!strcmp(kind, "fli")) {
        TRY(fli_open(path, "r", &h));
        rc = read_fli(h);
        if (rc != QPGO_OK) save_msg();
        fli_close(h);
    } else if (!strcmp(kind, "qps") || !strcmp(kind, "fls")) {
        int isq = kind[0] == 'q';
        TRY(isq ? qps_open(path, "r", &h) : fls_open(path, "r", &h));
        int64_t n = 0;
        rc = isq ? qps_len(h, &n) : fls_len(h, &n);
        for (int64_t i = 0; i < n && rc == QPGO_OK; i++) {
            qpgo_handle e = 0;
            rc = isq ? qps_get_qpimage(h, i, &e) : fls_get_flimage(h, i, &e);
            if (rc == QPGO_OK) {
                rc = isq ? read_qpi(e) : read_fli(e);
                if (rc != QPGO_OK) save_msg();
                if (isq) qpi_close(e); else fli_close(e);
            }
        }
        if (rc != QPGO_OK) save_msg();
        if (isq) qps_close(h); else fls_close(h);
    } else if (!strcmp(kind, "ims")) {
        TRY(ims_open(path, format, options[0] ? options : NULL, &h));
        int64_t n = 0, d[2];
        int dt = 0;
        rc = ims_len(h, &n);
        if (rc == QPGO_OK) rc = ims_shape(h, d);
        if (rc == QPGO_OK) rc = ims_dtype(h, &dt);
        size_t esz = dt == QPGO_FLOAT64 || dt == QPGO_INT64 || dt == QPGO_UINT64 ? 8
                   : dt == QPGO_FLOAT32 || dt == QPGO_INT32 || dt == QPGO_UINT32 ? 4
                   : dt == QPGO_INT16 || dt == QPGO_UINT16 ? 2 : 1;
        if (rc == QPGO_OK) {
            int64_t nb = d[0] * d[1] * (int64_t)esz;
            void *buf = malloc((size_t)(nb > 0 ? nb : 1));
            if (!buf) rc = -100;
            for (int64_t i = 0; i < n && rc == QPGO_OK; i++) {
                rc = ims_get_frame(h, i, buf, nb);
                if (rc == QPGO_OK) mix(buf, (size_t)nb);
            }
            free(buf);
        }
        if (rc == QPGO_OK) rc = read_ims_meta(h);
        if (rc != QPGO_OK) save_msg();
        ims_close(h);
    } else {
        return -101;
    }
    return rc;
}

/* peak RSS of this process since the last reset (kB), as the Python worker
 * reports it */
static void peak_reset(void) {
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
}

static long peak_kb(void) {
    char l[256];
    long kb = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    while (fgets(l, sizeof l, f))
        if (!strncmp(l, "VmHWM:", 6)) kb = strtol(l + 6, NULL, 10);
    fclose(f);
    return kb;
}

int main(void) {
    char line[8192];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!strcmp(line, "ping")) {
            printf("pong\t0\n");
            continue;
        }
        peak_reset();
        char *f[5] = {line, "", "", "", ""};
        for (int i = 1; i < 5; i++) {
            char *t = strchr(f[i - 1], '\t');
            if (!t) break;
            *t = 0;
            f[i] = t + 1;
        }
        digest = 1469598103934665603ULL;
        errbuf[0] = 0;
        int rc = chdir(f[1]) == 0 ? read_case(f[0], f[2], f[3], f[4]) : -102;
        if (rc == QPGO_OK) {
            printf("OK %016llx\t%ld\n", (unsigned long long)digest, peak_kb());
        } else {
            char msg[600];
            save_msg();
            snprintf(msg, sizeof msg, "%s", errbuf);
            for (char *p = msg; *p; p++)
                if (*p == '\n') *p = ' ';
            printf("ERR %d %s\t%ld\n", rc, msg, peak_kb());
        }
    }
    return 0;
}
