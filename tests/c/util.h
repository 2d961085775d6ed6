/* Shared helpers for the qpgo C tests: temp directories and string
 * fetching through the (buf NULL → size query) convention. */
#ifndef QPGO_TEST_UTIL_H
#define QPGO_TEST_UTIL_H
#ifndef _POSIX_C_SOURCE
#error "define _POSIX_C_SOURCE 200809L before any include"
#endif
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include "qpgo.h"

/* Creates a fresh temp directory (mkdtemp) and returns its path. */
static inline const char *make_tmpdir(char *buf, size_t len) {
    const char *base = getenv("TMPDIR");
    snprintf(buf, len, "%s/qpgo_ctest_XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        exit(2);
    }
    return buf;
}

/* Removes the plain files of dir and dir itself. */
static inline void remove_tmpdir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Redirects stderr (fd 2) into the file path; returns the saved fd. */
static inline int stderr_capture_begin(const char *path) {
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    return saved;
}

/* Restores stderr and returns the number of bytes written meanwhile
 * (the text is copied into buf, NUL-terminated). */
static inline long stderr_capture_end(int saved, const char *path, char *buf, size_t len) {
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = 0;
    fseek(f, 0, SEEK_END);
    long total = ftell(f);
    fclose(f);
    unlink(path);
    return total;
}

/* A string-returning qpgo call: fn(h, buf, buflen, needed). */
typedef int (*qpgo_str_fn)(qpgo_handle, char *, int64_t, int64_t *);

/* Queries the size, then fetches the string into a malloc'd buffer.
 * Returns the result code; *out is NULL on failure (free it otherwise). */
static inline int fetch_string(qpgo_str_fn fn, qpgo_handle h, char **out) {
    int64_t need = 0;
    *out = NULL;
    int rc = fn(h, NULL, 0, &need);
    if (rc != QPGO_OK) return rc;
    if (need < 1) return QPGO_ERR_INTERNAL;
    char *buf = malloc((size_t)need);
    int64_t need2 = 0;
    rc = fn(h, buf, need, &need2);
    if (rc != QPGO_OK || need2 != need || strlen(buf) + 1 != (size_t)need) {
        free(buf);
        return rc != QPGO_OK ? rc : QPGO_ERR_INTERNAL;
    }
    *out = buf;
    return QPGO_OK;
}

/* Same for the keyed meta getters: fn(h, key, buf, buflen, needed). */
typedef int (*qpgo_keystr_fn)(qpgo_handle, qpgo_cchar *, char *, int64_t, int64_t *);

static inline int fetch_keyed(qpgo_keystr_fn fn, qpgo_handle h, const char *key, char **out) {
    int64_t need = 0;
    *out = NULL;
    int rc = fn(h, key, NULL, 0, &need);
    if (rc != QPGO_OK) return rc;
    if (need < 1) return QPGO_ERR_INTERNAL;
    char *buf = malloc((size_t)need);
    rc = fn(h, key, buf, need, &need);
    if (rc != QPGO_OK || strlen(buf) + 1 != (size_t)need) {
        free(buf);
        return rc != QPGO_OK ? rc : QPGO_ERR_INTERNAL;
    }
    *out = buf;
    return QPGO_OK;
}
#endif
