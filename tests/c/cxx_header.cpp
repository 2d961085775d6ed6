// C++ use of the qpgo header: must compile (-fsyntax-only) and link, i.e.
// every declaration of qpgo.h and qpgo_types.h has C linkage.
#include "qpgo.h"
#include <cstdio>
#include <cstring>

int main() {
    int passed = 0, failed = 0;
    qpgo_handle h = 0;
    double data[4] = {0.1, 0.2, 0.3, 0.4};
    const int64_t dims[2] = {2, 2};
    if (qpi_new("phase", data, 2, dims, nullptr, nullptr, &h) == QPGO_OK) passed++;
    else failed++;
    if (qpi_close(h) == QPGO_OK && std::strcmp(qpgo_errmsg(), "") == 0) passed++;
    else failed++;
    if (std::strcmp(qpgo_version(), QPGO_VERSION_STRING) == 0 &&
        qpgo_version_number() == QPGO_VERSION_MAJOR * 10000 + QPGO_VERSION_MINOR * 100 +
                                     QPGO_VERSION_PATCH) passed++;
    else failed++;
    std::printf("cxx_link: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
