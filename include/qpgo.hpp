// qpgo C++ API: RAII handle classes and exceptions over the C ABI (qpgo.h).
// Header-only; link with -lqpgo (pkg-config --cflags --libs qpgo).
#ifndef QPGO_HPP
#define QPGO_HPP

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "qpgo.h"

namespace qpgo {

// Error carries the qpgo result code and the message of qpgo_errmsg().
class Error : public std::runtime_error {
public:
    Error(int code, const std::string &msg) : std::runtime_error(msg), code_(code) {}
    int code() const noexcept { return code_; }

private:
    int code_;
};

// check throws Error for a non-zero result code.
inline void check(int rc) {
    if (rc != QPGO_OK) throw Error(rc, qpgo_errmsg());
}

inline std::string version() { return qpgo_version(); }

namespace detail {
// text runs a (buf, buflen, needed) call twice: size query, then fill.
template <class F>
std::string text(F f) {
    int64_t need = 0;
    check(f(nullptr, 0, &need));
    std::string s(static_cast<size_t>(need), '\0');
    check(f(&s[0], need, &need));
    s.resize(static_cast<size_t>(need > 0 ? need - 1 : 0));
    return s;
}
}  // namespace detail

// QPImage owns a qpgo QPImage handle; it is movable, not copyable, and
// closes the handle in its destructor.
class QPImage {
public:
    // Create from row-major data (see qpi_new for layouts and options).
    QPImage(const std::string &which_data, const std::vector<double> &data,
            const std::vector<int64_t> &dims, const std::string &options = "{}",
            const std::vector<double> *bg = nullptr) {
        check(qpi_new(which_data.c_str(), data.data(), static_cast<int>(dims.size()), dims.data(),
                      bg ? bg->data() : nullptr, options.c_str(), &h_));
    }
    static QPImage open(const std::string &path, const std::string &mode = "r") {
        qpgo_handle h = 0;
        check(qpi_open(path.c_str(), mode.c_str(), &h));
        return QPImage(h);
    }
    QPImage(QPImage &&o) noexcept : h_(std::exchange(o.h_, 0)) {
        shape_[0] = o.shape_[0];
        shape_[1] = o.shape_[1];
    }
    QPImage &operator=(QPImage &&o) noexcept {
        if (this != &o) {
            reset();
            h_ = std::exchange(o.h_, 0);
            shape_[0] = o.shape_[0];
            shape_[1] = o.shape_[1];
        }
        return *this;
    }
    QPImage(const QPImage &) = delete;
    QPImage &operator=(const QPImage &) = delete;
    ~QPImage() { reset(); }

    qpgo_handle handle() const noexcept { return h_; }
    void close() {
        if (h_) check(qpi_close(std::exchange(h_, 0)));
    }

    // The shape is fixed per handle: asked once, so that an array read is
    // one call into the library.
    std::vector<int64_t> shape() const {
        if (!shape_[0] && !shape_[1]) check(qpi_shape(h_, shape_));
        return {shape_[0], shape_[1]};
    }
    // The arrays written straight into a caller's buffer of n doubles
    // (rows·cols): no allocation, no copy.
    void pha_into(double *out, size_t n) const { check(qpi_get_pha(h_, out, static_cast<int64_t>(n))); }
    void amp_into(double *out, size_t n) const { check(qpi_get_amp(h_, out, static_cast<int64_t>(n))); }
    // The arrays as new vectors (filled by the library in place; returned
    // without a copy).
    std::vector<double> pha() const { return array(qpi_get_pha); }
    std::vector<double> amp() const { return array(qpi_get_amp); }
    std::vector<double> bg_pha() const { return array(qpi_get_bg_pha); }
    std::vector<double> bg_amp() const { return array(qpi_get_bg_amp); }
    std::vector<double> raw_pha() const { return array(qpi_get_raw_pha); }
    std::vector<double> raw_amp() const { return array(qpi_get_raw_amp); }

    double meta_double(const std::string &key) const {
        double v = 0;
        check(qpi_get_meta_double(h_, key.c_str(), &v));
        return v;
    }
    std::string meta_string(const std::string &key) const {
        return detail::text([&](char *b, int64_t n, int64_t *need) {
            return qpi_get_meta_string(h_, key.c_str(), b, n, need);
        });
    }
    void set_meta(const std::string &json) { check(qpi_set_meta(h_, json.c_str())); }
    std::string meta_json() const {
        return detail::text([&](char *b, int64_t n, int64_t *need) {
            return qpi_get_meta_json(h_, nullptr, b, n, need);
        });
    }
    std::string info_json() const {
        return detail::text([&](char *b, int64_t n, int64_t *need) { return qpi_info(h_, b, n, need); });
    }
    std::string repr() const {
        return detail::text([&](char *b, int64_t n, int64_t *need) { return qpi_repr(h_, b, n, need); });
    }
    // compute_bg with a JSON options object; returns the mask used.
    std::vector<uint8_t> compute_bg(const std::string &options) {
        auto d = shape();
        std::vector<uint8_t> mask(static_cast<size_t>(d[0] * d[1]));
        check(qpi_compute_bg(h_, options.c_str(), nullptr, mask.data(), static_cast<int64_t>(mask.size())));
        return mask;
    }
    QPImage copy(const std::string &path = "") const {
        qpgo_handle c = 0;
        check(qpi_copy(h_, path.empty() ? nullptr : path.c_str(), &c));
        return QPImage(c);
    }
    bool operator==(const QPImage &o) const {
        int eq = 0;
        check(qpi_equal(h_, o.h_, &eq));
        return eq != 0;
    }

private:
    explicit QPImage(qpgo_handle h) : h_(h) {}
    void reset() noexcept {
        if (h_) qpi_close(std::exchange(h_, 0));
        shape_[0] = shape_[1] = 0;
    }
    template <class F>
    std::vector<double> array(F get) const {
        auto d = shape();
        std::vector<double> v(static_cast<size_t>(d[0] * d[1]));
        check(get(h_, v.data(), static_cast<int64_t>(v.size())));
        return v;  // moved (NRVO), not copied
    }
    qpgo_handle h_ = 0;
    mutable int64_t shape_[2] = {0, 0};
};

}  // namespace qpgo

#endif
