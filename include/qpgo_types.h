/* qpgo C ABI: types, result codes and library calls. Included by the
 * generated header qpgo.h; the cgo preambles of capi include it too, so it
 * holds declarations only. */
#ifndef QPGO_TYPES_H
#define QPGO_TYPES_H
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the C ABI. Compatibility rule: the same QPGO_VERSION_MAJOR
 * keeps every function signature and meaning; minor versions only add. */
#define QPGO_VERSION_MAJOR 0
#define QPGO_VERSION_MINOR 1
#define QPGO_VERSION_PATCH 0
#define QPGO_VERSION_STRING "0.1.0"

/* An opaque handle to an object owned by the library. 0 is never valid;
 * a closed handle stays invalid forever (handles are never reused). */
typedef int64_t qpgo_handle;

/* Read-only input types (cgo cannot spell const in exported signatures). */
typedef const char qpgo_cchar;
typedef const double qpgo_cdouble;
typedef const int64_t qpgo_cint64;
typedef const uint8_t qpgo_cuint8;

/* Result codes: every function returns one of these. Besides the codes a
 * function's comment lists, any call may return QPGO_ERR_INTERNAL (a bug,
 * including a recovered panic; the library stays usable). Handles of the
 * wrong family, 0, closed or never issued give QPGO_ERR_HANDLE. A NULL
 * where a pointer is required gives QPGO_ERR_ARG. qpgo_errmsg() names the
 * argument and the value that were wrong. */
enum qpgo_result {
    QPGO_OK = 0,
    QPGO_ERR_INTERNAL = -1,     /* a bug in qpgo (incl. a recovered panic) */
    QPGO_ERR_ARG = -2,          /* bad value, shape, type, NULL pointer, mode (Python ValueError) */
    QPGO_ERR_KEY = -3,          /* unknown key: meta key, option name (KeyError) */
    QPGO_ERR_NOT_FOUND = -4,    /* valid key or index with nothing stored (KeyError) */
    QPGO_ERR_META_MISSING = -5, /* meta data needed but not set (MetaDataMissingError) */
    QPGO_ERR_IO = -6,           /* file or HDF5 error, corrupt or truncated file (OSError) */
    QPGO_ERR_INTEGRITY = -7,    /* integrity check failed (IntegrityCheckError) */
    QPGO_ERR_CANCELLED = -8,    /* a progress callback asked to stop */
    QPGO_ERR_HANDLE = -9,       /* handle is 0, closed, or of another family */
    QPGO_ERR_UNSUPPORTED = -10, /* valid request this build cannot serve */
    QPGO_ERR_BUFFER = -11,      /* caller buffer too small: query the size first */
    QPGO_ERR_RUNTIME = -12      /* valid request failing on the data, e.g. values that do not fit a dtype (RuntimeError) */
};

/* Element types of arrays (match the Go h5.DType codes). */
enum qpgo_dtype {
    QPGO_BOOL = 1, QPGO_INT8 = 2, QPGO_UINT8 = 3, QPGO_INT16 = 4, QPGO_UINT16 = 5,
    QPGO_INT32 = 6, QPGO_UINT32 = 7, QPGO_INT64 = 8, QPGO_UINT64 = 9,
    QPGO_FLOAT32 = 10, QPGO_FLOAT64 = 11
};

/* Progress callback: return non-zero to cancel. Called on the calling thread. */
typedef int (*qpgo_progress_fn)(int64_t done, int64_t total, void *user);

/* Warning callback: msg is valid during the call only. Called on the calling
 * thread, after the work is done. */
typedef void (*qpgo_warn_fn)(const char *msg, void *user);

/* Frame source callback (ims_from_source): fill out (nbytes bytes) with
   frame index and return 0; non-zero fails the operation. Never called
   concurrently. */
typedef int (*qpgo_frame_fn)(int64_t index, void *out, int64_t nbytes, void *user);

/* Image file reader callback (ims_set_image_reader), for image-files
   series of formats the library does not decode: for frame (0-based) of
   the image file name, with out NULL store the file's frame count in
   *nframes, its fabio class name in class_buf (class_len bytes, NUL
   terminated), the frame's dims[0..1] and qpgo_dtype code in *dtype; with
   out non-NULL write the frame (nbytes bytes, row-major, native byte
   order). Return 0, 1 when the format is unknown to it too, anything else
   to fail the read. Never called concurrently, possibly from a library
   thread. */
typedef int (*qpgo_image_fn)(const char *name, int64_t frame, int64_t *nframes, int64_t *dims,
                             int *dtype, char *class_buf, int64_t class_len, void *out,
                             int64_t nbytes, void *user);

/* The message of the last error on the calling thread ("" after success). */
const char *qpgo_errmsg(void);
/* The library version ("0.1.0"); see QPGO_VERSION_*. */
const char *qpgo_version(void);
/* The library version as MAJOR*10000 + MINOR*100 + PATCH. */
int qpgo_version_number(void);

/* internal */
void qpgo__set_errmsg(const char *msg);

#ifdef __cplusplus
}
#endif
#endif
