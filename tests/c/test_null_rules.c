/* The NULL rules documented in include/qpgo.h (issue 18), walked function
 * by function: a pointer the header requires gives QPGO_ERR_ARG when NULL
 * (never a crash, never QPGO_OK), and a pointer the header allows to be
 * NULL ("NULL or \"\": defaults", "NULL: none", "buf NULL queries the
 * size", "(if not NULL)") works. Every call gets valid handles and
 * otherwise valid arguments, so the code returned is the one of the NULL. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define ARG(call) CHECK_RC(QPGO_ERR_ARG, call)

/* The buf/buflen/needed convention: both NULL is QPGO_ERR_ARG; buf NULL
 * with needed is a size query (QPGO_OK, needed > 0); a large enough buf
 * with needed NULL is fine. */
#define STRING_RULES(fn, ...)                                            \
    do {                                                                 \
        int64_t need_ = 0;                                               \
        ARG(fn(__VA_ARGS__, NULL, 0, NULL));                             \
        CHECK_OK(fn(__VA_ARGS__, NULL, 0, &need_));                      \
        CHECK(need_ > 0 && need_ <= (int64_t)sizeof sbuf, #fn " size");  \
        CHECK_OK(fn(__VA_ARGS__, sbuf, (int64_t)sizeof sbuf, NULL));     \
    } while (0)

static char sbuf[1 << 16];
static double img[64], out64[4096];
static const int64_t dims2[2] = {8, 8};
static char tmpdir[256];

static void path_in_tmp(char *p, size_t n, const char *name) { snprintf(p, n, "%s/%s", tmpdir, name); }

static void test_library(void) {
    int a, b, c;
    ARG(qpgo_hdf5_version(NULL, &b, &c));
    ARG(qpgo_hdf5_version(&a, NULL, &c));
    ARG(qpgo_hdf5_version(&a, &b, NULL));
    CHECK_OK(qpgo_hdf5_version(&a, &b, &c));
    ARG(qpgo_set_limits(NULL));
    CHECK_OK(qpgo_set_limits("{}"));
    {
        int64_t need = 0;
        ARG(qpgo_get_limits(NULL, 0, NULL));
        CHECK_OK(qpgo_get_limits(NULL, 0, &need));
        CHECK_OK(qpgo_get_limits(sbuf, sizeof sbuf, NULL));
    }
}

static void test_bg_and_filters(void) {
    double o = 0, bg[64];
    uint8_t mask[64];
    for (int i = 0; i < 64; i++) img[i] = (i % 8) * 0.1 + (i / 8) * 0.05 + (i % 3) * 0.01;
    ARG(qpgo_bg_estimate(NULL, 8, 8, NULL, NULL, bg, NULL));
    ARG(qpgo_bg_estimate(img, 8, 8, NULL, NULL, NULL, NULL));
    CHECK_OK(qpgo_bg_estimate(img, 8, 8, NULL, NULL, bg, NULL)); /* options, from_mask, mask_out NULL */
    CHECK_OK(qpgo_bg_estimate(img, 8, 8, "", NULL, bg, mask));
    ARG(qpgo_bg_offset_mode(NULL, 64, &o));
    ARG(qpgo_bg_offset_mode(img, 64, NULL));
    CHECK_OK(qpgo_bg_offset_mode(img, 64, &o));
    ARG(qpgo_bg_offset_gaussian(NULL, 64, &o));
    ARG(qpgo_bg_offset_gaussian(img, 64, NULL));
    ARG(qpgo_bg_profile(NULL, 8, 8, "tilt", NULL, bg));
    ARG(qpgo_bg_profile(img, 8, 8, NULL, NULL, bg));
    ARG(qpgo_bg_profile(img, 8, 8, "tilt", NULL, NULL));
    CHECK_OK(qpgo_bg_profile(img, 8, 8, "tilt", NULL, bg)); /* mask NULL: all pixels */
    ARG(fls_denoise_tv_chambolle(NULL, 8, 8, 0.1, 2e-4, 200, out64));
    ARG(fls_denoise_tv_chambolle(img, 8, 8, 0.1, 2e-4, 200, NULL));
    CHECK_OK(fls_denoise_tv_chambolle(img, 8, 8, 0.1, 2e-4, 200, out64));
    double field[128], pha[64];
    for (int i = 0; i < 128; i++) field[i] = i % 2 ? 0.0 : 1.0;
    ARG(qpgo_pad_add(NULL, 8, 8, out64));
    ARG(qpgo_pad_add(field, 8, 8, NULL));
    ARG(qpgo_pad_rem(NULL, 8, 8, out64));
    ARG(qpgo_pad_rem(field, 8, 8, NULL));
    ARG(qpgo_filter_array(NULL, 0.5, 0, 0, 8, 8, out64));
    ARG(qpgo_filter_array("disk", 0.5, 0, 0, 8, 8, NULL));
    memcpy(pha, img, sizeof pha);
    ARG(qpi_unwrap(NULL, 8, 8, NULL, 0));
    CHECK_OK(qpi_unwrap(pha, 8, 8, NULL, 0)); /* mask NULL */
}

static void test_qpi(qpgo_handle *qout) {
    qpgo_handle q = 0, o = 0;
    int64_t d[2];
    int dt, has;
    double v;
    ARG(qpi_new("phase", img, 2, dims2, NULL, NULL, NULL));
    CHECK_OK(qpi_new("phase", img, 2, dims2, NULL, NULL, &o)); /* bg_data, options NULL */
    qpi_close(o);
    CHECK_OK(qpi_new("phase", img, 2, dims2, NULL,
                     "{\"meta_data\": {\"wavelength\": 5.5e-7, \"pixel size\": 1e-7, \"medium index\": 1.33,"
                     " \"time\": 0.5}}", &q));
    CHECK_OK(qpi_new(NULL, NULL, 0, NULL, NULL, "", &o));       /* data NULL: an image without data */
    qpi_close(o);
    char p[300];
    path_in_tmp(p, sizeof p, "qpi.h5");
    CHECK_OK(qpi_copy(q, p, &o));
    qpi_close(o);
    ARG(qpi_open(NULL, "r", &o));
    ARG(qpi_open(p, "r", NULL));
    CHECK_OK(qpi_open(p, NULL, &o)); /* mode NULL: "r" */
    qpi_close(o);
    ARG(qpi_copy(q, NULL, NULL));
    CHECK_OK(qpi_copy(q, NULL, &o)); /* path NULL: in memory */
    ARG(qpi_shape(q, NULL));
    CHECK_OK(qpi_shape(q, d));
    ARG(qpi_dtype(q, NULL));
    CHECK_OK(qpi_dtype(q, &dt));
    int (*get[])(qpgo_handle, double *, int64_t) = {qpi_get_pha, qpi_get_amp, qpi_get_bg_pha, qpi_get_bg_amp,
                                                     qpi_get_raw_pha, qpi_get_raw_amp};
    for (size_t i = 0; i < sizeof get / sizeof get[0]; i++) {
        ARG(get[i](q, NULL, 64));
        CHECK_OK(get[i](q, out64, 64));
    }
    ARG(qpi_get_field(q, NULL, 128));
    CHECK_OK(qpi_get_field(q, out64, 128));
    ARG(qpi_set_meta(q, NULL));
    ARG(qpi_set_meta_double(q, NULL, 1.0));
    CHECK_OK(qpi_set_meta_double(q, "wavelength", 5.5e-7));
    ARG(qpi_set_meta_string(q, NULL, "x"));
    ARG(qpi_set_meta_string(q, "identifier", NULL));
    CHECK_OK(qpi_set_meta_string(q, "identifier", "img"));
    ARG(qpi_get_meta_double(q, NULL, &v));
    ARG(qpi_get_meta_double(q, "wavelength", NULL));
    CHECK_OK(qpi_get_meta_double(q, "wavelength", &v));
    ARG(qpi_get_meta_string(q, NULL, sbuf, sizeof sbuf, NULL));
    STRING_RULES(qpi_get_meta_string, q, "identifier");
    STRING_RULES(qpi_get_meta_json, q, NULL); /* key NULL: all meta data */
    STRING_RULES(qpi_get_meta_json, q, "wavelength");
    ARG(qpi_has_meta(q, NULL, &has));
    ARG(qpi_has_meta(q, "wavelength", NULL));
    CHECK_OK(qpi_has_meta(q, "wavelength", &has));
    STRING_RULES(qpi_info, q);
    STRING_RULES(qpi_repr, q);
    CHECK_OK(qpi_set_bg_data(q, "phase", NULL, 0, NULL, 1)); /* data NULL removes it */
    CHECK_OK(qpi_clear_bg(q, "phase", "data", NULL, 0, NULL)); /* warnings may be NULL */
    int64_t r[6] = {0, 4, 1, 0, 4, 1};
    ARG(qpi_slice(q, NULL, 2, &o));
    ARG(qpi_slice(q, r, 2, NULL));
    int eq;
    ARG(qpi_equal(q, q, NULL));
    CHECK_OK(qpi_equal(q, q, &eq));
    CHECK_OK(qpi_compute_bg(q, "{\"border_px\": 2}", NULL, NULL, 0)); /* from_mask, mask_out NULL */
    CHECK_OK(qpi_check(q, NULL));                      /* checks NULL: both */
    ARG(qpi_check_file(NULL, NULL));
    CHECK_OK(qpi_check_file(p, NULL));
    ARG(qpi_set_bg(q, NULL, "data", img, 2, dims2, NULL));
    ARG(qpi_set_bg(q, "phase", NULL, img, 2, dims2, NULL));
    CHECK_OK(qpi_set_bg(q, "phase", "data", img, 2, dims2, NULL)); /* attrs_json NULL */
    ARG(qpi_get_bg(q, NULL, "data", out64, 64));
    ARG(qpi_get_bg(q, "phase", NULL, out64, 64));
    ARG(qpi_get_bg(q, "phase", "data", NULL, 64));
    CHECK_OK(qpi_get_bg(q, "phase", "data", out64, 64));
    CHECK_OK(qpi_set_bg(q, "phase", "data", NULL, 0, NULL, NULL)); /* data NULL deletes it */
    ARG(qpi_copy_h5id(q, 1, NULL));
    int64_t fid = 0;
    ARG(qpgo_h5_ref(q, NULL, sbuf, sizeof sbuf, NULL));
    ARG(qpgo_h5_ref(q, &fid, NULL, 0, NULL));
    ARG(qpi_refocus(q, 1e-6, NULL, NULL));
    *qout = q;
    qpi_close(o);
}

static void test_fli(qpgo_handle *fout) {
    qpgo_handle f = 0, o = 0;
    int64_t d[2];
    int dt, has, eq;
    double v;
    ARG(fli_new(img, 2, dims2, NULL, NULL, NULL));
    CHECK_OK(fli_new(img, 2, dims2, NULL, NULL, &f));
    char p[300];
    path_in_tmp(p, sizeof p, "fli.h5");
    CHECK_OK(fli_copy(f, p, &o));
    fli_close(o);
    ARG(fli_open(NULL, "r", &o));
    ARG(fli_open(p, "r", NULL));
    CHECK_OK(fli_open(p, NULL, &o));
    fli_close(o);
    ARG(fli_copy(f, NULL, NULL));
    ARG(fli_shape(f, NULL));
    CHECK_OK(fli_shape(f, d));
    ARG(fli_dtype(f, NULL));
    CHECK_OK(fli_dtype(f, &dt));
    int (*get[])(qpgo_handle, double *, int64_t) = {fli_get_fl, fli_get_raw_fl, fli_get_bg_fl};
    for (int i = 0; i < 3; i++) {
        ARG(get[i](f, NULL, 64));
        CHECK_OK(get[i](f, out64, 64));
    }
    CHECK_OK(fli_set_bg_data(f, NULL, 0, NULL)); /* data NULL removes it */
    ARG(fli_set_meta(f, NULL));
    CHECK_OK(fli_set_meta(f, "{\"time\": 1.5, \"identifier\": \"f\"}"));
    ARG(fli_get_meta_double(f, NULL, &v));
    ARG(fli_get_meta_double(f, "time", NULL));
    CHECK_OK(fli_get_meta_double(f, "time", &v));
    STRING_RULES(fli_get_meta_string, f, "identifier");
    STRING_RULES(fli_get_meta_json, f, NULL);
    ARG(fli_has_meta(f, NULL, &has));
    ARG(fli_has_meta(f, "time", NULL));
    STRING_RULES(fli_info, f);
    STRING_RULES(fli_repr, f);
    ARG(fli_equal(f, f, NULL));
    CHECK_OK(fli_equal(f, f, &eq));
    int64_t r[6] = {0, 4, 1, 0, 4, 1};
    ARG(fli_slice(f, NULL, 2, &o));
    ARG(fli_slice(f, r, 2, NULL));
    ARG(fli_copy_h5id(f, 1, NULL));
    *fout = f;
}

static void test_qps(qpgo_handle q) {
    qpgo_handle s = 0, o = 0;
    int64_t n;
    int has;
    ARG(qps_new(NULL, NULL));
    CHECK_OK(qps_new(NULL, &s)); /* options NULL */
    CHECK_OK(qps_add_qpimage(s, q, NULL, 0, 0)); /* identifier NULL: the image's */
    ARG(qps_len(s, NULL));
    CHECK_OK(qps_len(s, &n));
    ARG(qps_get_qpimage(s, 0, NULL));
    CHECK_OK(qps_get_qpimage(s, 0, &o));
    qpi_close(o);
    ARG(qps_get_qpimage_by_id(s, NULL, &o));
    ARG(qps_get_qpimage_by_id(s, "img", NULL));
    ARG(qps_contains(s, NULL, &has));
    ARG(qps_contains(s, "img", NULL));
    CHECK_OK(qps_contains(s, "img", &has));
    STRING_RULES(qps_identifier, s);
    STRING_RULES(qps_identifiers_json, s);
    char p[300];
    path_in_tmp(p, sizeof p, "qps.h5");
    char opts[400];
    snprintf(opts, sizeof opts, "{\"h5file\": \"%s\"}", p);
    CHECK_OK(qps_new(opts, &o));
    CHECK_OK(qps_add_qpimage(o, q, "", 0, 0));
    qps_close(o);
    ARG(qps_open(NULL, "r", &o));
    ARG(qps_open(p, "r", NULL));
    CHECK_OK(qps_open(p, NULL, &o));
    qps_close(o);
    qps_close(s);
}

static void test_fls(qpgo_handle f) {
    qpgo_handle s = 0, o = 0;
    int64_t n;
    int has;
    ARG(fls_new(NULL, NULL));
    CHECK_OK(fls_new(NULL, &s));
    CHECK_OK(fls_add_flimage(s, f, NULL));
    ARG(fls_len(s, NULL));
    CHECK_OK(fls_len(s, &n));
    ARG(fls_get_flimage(s, 0, NULL));
    ARG(fls_get_flimage_by_id(s, NULL, &o));
    ARG(fls_get_flimage_by_id(s, "f", NULL));
    ARG(fls_contains(s, NULL, &has));
    ARG(fls_contains(s, "f", NULL));
    STRING_RULES(fls_identifier, s);
    STRING_RULES(fls_identifiers_json, s);
    ARG(fls_open(NULL, "r", &o));
    char p[300];
    path_in_tmp(p, sizeof p, "fls.h5");
    char opts[400];
    snprintf(opts, sizeof opts, "{\"h5file\": \"%s\"}", p);
    CHECK_OK(fls_new(opts, &o));
    CHECK_OK(fls_add_flimage(o, f, NULL));
    fls_close(o);
    ARG(fls_open(p, "r", NULL));
    CHECK_OK(fls_open(p, NULL, &o));
    fls_close(o);
    fls_close(s);
}

static int frame_fn(int64_t index, void *out, int64_t nbytes, void *user) {
    (void)index, (void)user;
    memset(out, 0, (size_t)nbytes);
    return 0;
}

static void test_ims(void) {
    uint16_t frames[2 * 64];
    for (int i = 0; i < 128; i++) frames[i] = (uint16_t)i;
    const int64_t d3[3] = {2, 8, 8};
    const char *meta = "{\"omega\": [[0, 1], [1, 2]], \"name\": \"x\"}";
    const char *meta5 = "{\"omega\": [[0, 1], [1, 2]]}"; /* (hdf5 stores NumPy types only) */
    qpgo_handle m = 0, o = 0;
    ARG(ims_from_array(NULL, QPGO_UINT16, 3, d3, NULL, &m));
    ARG(ims_from_array((const uint8_t *)frames, QPGO_UINT16, 3, NULL, NULL, &m));
    ARG(ims_from_array((const uint8_t *)frames, QPGO_UINT16, 3, d3, NULL, NULL));
    CHECK_OK(ims_from_array((const uint8_t *)frames, QPGO_UINT16, 3, d3, NULL, &o)); /* meta_json NULL */
    ims_close(o);
    CHECK_OK(ims_from_array((const uint8_t *)frames, QPGO_UINT16, 3, d3, meta, &m));
    int64_t n, d[2], fr, we, cnt;
    int dt, nd;
    ARG(ims_len(m, NULL));
    ARG(ims_shape(m, NULL));
    ARG(ims_dtype(m, NULL));
    CHECK_OK(ims_dtype(m, &dt));
    CHECK_OK(ims_len(m, &n));
    CHECK_OK(ims_shape(m, d));
    ARG(ims_get_frame(m, 0, NULL, 128));
    CHECK_OK(ims_get_frame(m, 0, frames, 128));
    ARG(ims_get_frame_f64(m, 0, NULL, 64));
    CHECK_OK(ims_get_frame_f64(m, 0, out64, 64));
    STRING_RULES(ims_metadata_json, m);
    STRING_RULES(ims_info_json, m);
    STRING_RULES(ims_metadata_keys_json, m);
    STRING_RULES(ims_metadata_value_json, m, "name");
    ARG(ims_metadata_value_json(m, NULL, sbuf, sizeof sbuf, NULL));
    int64_t md[4];
    ARG(ims_metadata_array_info(m, NULL, &dt, &nd, md, 4));
    ARG(ims_metadata_array_info(m, "omega", NULL, &nd, md, 4));
    ARG(ims_metadata_array_info(m, "omega", &dt, NULL, md, 4));
    ARG(ims_metadata_array_info(m, "omega", &dt, &nd, NULL, 4));
    CHECK_OK(ims_metadata_array_info(m, "omega", &dt, &nd, md, 4));
    ARG(ims_metadata_array(m, NULL, out64, sizeof out64));
    ARG(ims_metadata_array(m, "omega", NULL, sizeof out64));
    CHECK_OK(ims_metadata_array(m, "omega", out64, sizeof out64));
    ARG(ims_omega_to_frame(m, 0.5, NULL, &we));
    ARG(ims_omega_to_frame(m, 0.5, &fr, NULL));
    CHECK_OK(ims_omega_to_frame(m, 0.5, &fr, &we));
    STRING_RULES(ims_omega_wedges_json, m);
    int64_t fl[16];
    ARG(ims_omega_range_to_frames(m, 0, 2, fl, 16, NULL)); /* count NULL */
    CHECK_OK(ims_omega_range_to_frames(m, 0, 2, NULL, 0, &cnt)); /* frames NULL queries the count */
    ARG(ims_process(m, "[]", NULL, 0, NULL));
    CHECK_OK(ims_process(m, NULL, NULL, 0, &o)); /* ops_json NULL: no operations */
    ims_close(o);
    CHECK_OK(ims_process(m, "[]", NULL, 0, &o)); /* frame_list NULL: all frames */
    ims_close(o);
    ARG(ims_stats(m, NULL, 0, 0, out64, 64));
    ARG(ims_stats(m, "max", 0, 0, NULL, 64));
    CHECK_OK(ims_stats(m, "max", 0, 0, out64, 64));
    char p[300];
    path_in_tmp(p, sizeof p, "ims.h5");
    qpgo_handle m5 = 0;
    CHECK_OK(ims_from_array((const uint8_t *)frames, QPGO_UINT16, 3, d3, meta5, &m5));
    ARG(ims_write(m, NULL, "hdf5", "{\"path\": \"imageseries\"}"));
    ARG(ims_write(m, p, NULL, "{\"path\": \"imageseries\"}"));
    CHECK_OK(ims_write_warn(m5, p, "hdf5", "{\"path\": \"imageseries\"}", NULL, NULL)); /* warn NULL: dropped */
    ims_close(m5);
    ARG(ims_open(NULL, "hdf5", "{\"path\": \"imageseries\"}", &o));
    ARG(ims_open(p, NULL, "{\"path\": \"imageseries\"}", &o));
    ARG(ims_open(p, "hdf5", "{\"path\": \"imageseries\"}", NULL));
    CHECK_OK(ims_open(p, "hdf5", "{\"path\": \"imageseries\"}", &o));
    ims_close(o);
    char npz[300];
    path_in_tmp(npz, sizeof npz, "cache.npz");
    CHECK_OK(ims_write_warn(m, npz, "frame-cache", "{\"threshold\": 0}", NULL, NULL)); /* warnings dropped */
    CHECK_OK(ims_open(npz, "frame-cache", NULL, &o)); /* options NULL */
    ims_close(o);
    STRING_RULES(qpgo_file_kind, p);
    ARG(qpgo_file_kind(NULL, sbuf, sizeof sbuf, NULL));
    const int64_t fd[2] = {8, 8};
    ARG(ims_from_source(2, 2, fd, QPGO_UINT16, NULL, NULL, NULL, &o));
    ARG(ims_from_source(2, 2, NULL, QPGO_UINT16, frame_fn, NULL, NULL, &o));
    ARG(ims_from_source(2, 2, fd, QPGO_UINT16, frame_fn, NULL, NULL, NULL));
    CHECK_OK(ims_from_source(2, 2, fd, QPGO_UINT16, frame_fn, NULL, NULL, &o)); /* user, meta_json NULL */
    ims_close(o);
    ims_close(m);
}

static void test_stream(void) {
    char p[300], e[300];
    path_in_tmp(p, sizeof p, "acq.h5");
    path_in_tmp(e, sizeof e, "export.h5");
    qpgo_handle w = 0, r = 0;
    int64_t idx, n, d[2];
    double t;
    ARG(qps_stream_create(NULL, 8, 8, NULL, &w));
    ARG(qps_stream_create(p, 8, 8, NULL, NULL));
    CHECK_OK(qps_stream_create(p, 8, 8, NULL, &w)); /* options NULL */
    ARG(qps_stream_append(w, NULL, NULL, 0.0, &idx));
    CHECK_OK(qps_stream_append(w, img, NULL, 0.0, NULL)); /* amp NULL: ones; index_out NULL */
    CHECK_OK(qps_stream_append(w, img, img, 1.0, &idx));
    ARG(qps_stream_append_hologram(w, NULL, 2.0, NULL, &idx));
    ARG(qps_stream_len(w, NULL));
    ARG(qps_stream_shape(w, NULL));
    CHECK_OK(qps_stream_shape(w, d));
    CHECK_OK(qps_stream_close(w));
    ARG(qps_stream_open_reader(NULL, &r));
    ARG(qps_stream_open_reader(p, NULL));
    CHECK_OK(qps_stream_open_reader(p, &r));
    CHECK_OK(qps_stream_len(r, &n));
    ARG(qps_stream_read(r, 0, NULL, NULL, 64, &t));           /* not both */
    CHECK_OK(qps_stream_read(r, 0, out64, NULL, 64, NULL));    /* amp_out, time NULL */
    CHECK_OK(qps_stream_read(r, 0, NULL, out64, 64, &t));      /* pha_out NULL */
    ARG(qps_stream_newest(r, NULL, NULL, 64, &t, &idx));
    CHECK_OK(qps_stream_newest(r, out64, NULL, 64, NULL, NULL)); /* time, index_out NULL */
    CHECK_OK(qps_stream_close(r));
    ARG(qps_stream_export(NULL, e, &n));
    ARG(qps_stream_export(p, NULL, &n));
    CHECK_OK(qps_stream_export(p, e, NULL)); /* n_out NULL */
    ARG(qps_stream_recover(NULL));
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/qpgo-null-rules-XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    qpgo_handle q = 0, f = 0;
    test_library();
    test_bg_and_filters();
    test_qpi(&q);
    test_fli(&f);
    test_qps(q);
    test_fls(f);
    test_ims();
    test_stream();
    qpi_close(q);
    fli_close(f);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return CHECK_SUMMARY("test_null_rules");
}
