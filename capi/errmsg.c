// Per-thread error message storage and the version calls.
//
// The message lives in a per-thread heap buffer reached through a pthread
// key, not in a __thread array: a shared library loaded with dlopen
// (ctypes, Octave, MATLAB) gets only a small static-TLS reserve, and a
// 2 KiB __thread buffer makes dlopen fail with "cannot allocate memory in
// static TLS block". Go code runs on the calling C thread, so it sets the
// caller's copy.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "qpgo_types.h"

enum { ERRBUF = 2048 };

static pthread_key_t errkey;
static pthread_once_t errkey_once = PTHREAD_ONCE_INIT;

static void make_key(void) { pthread_key_create(&errkey, free); }

static char *errbuf(void) {
	pthread_once(&errkey_once, make_key);
	char *b = pthread_getspecific(errkey);
	if (!b) {
		b = calloc(1, ERRBUF);
		if (b && pthread_setspecific(errkey, b) != 0) {
			free(b);
			b = NULL;
		}
	}
	return b;
}

const char *qpgo_errmsg(void) {
	char *b = errbuf();
	return b ? b : "out of memory for the error message";
}

void qpgo__set_errmsg(const char *msg) {
	char *b = errbuf();
	if (!b) return;
	if (!msg) { b[0] = 0; return; }
	strncpy(b, msg, ERRBUF - 1);
	b[ERRBUF - 1] = 0;
}

const char *qpgo_version(void) { return QPGO_VERSION_STRING; }

int qpgo_version_number(void) {
	return QPGO_VERSION_MAJOR * 10000 + QPGO_VERSION_MINOR * 100 + QPGO_VERSION_PATCH;
}
