// Per-thread error message storage and the version calls. The message
// lives in thread-local storage so that concurrent callers never see each
// other's errors; Go code runs on the calling C thread, so it sets this
// thread's copy.
#include <string.h>
#include "qpgo_types.h"

static __thread char errbuf[2048];

const char *qpgo_errmsg(void) { return errbuf; }

void qpgo__set_errmsg(const char *msg) {
	if (!msg) { errbuf[0] = 0; return; }
	strncpy(errbuf, msg, sizeof errbuf - 1);
	errbuf[sizeof errbuf - 1] = 0;
}

const char *qpgo_version(void) { return QPGO_VERSION_STRING; }

int qpgo_version_number(void) {
	return QPGO_VERSION_MAJOR * 10000 + QPGO_VERSION_MINOR * 100 + QPGO_VERSION_PATCH;
}
