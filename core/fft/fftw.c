// C side of the optional FFTW backend; see fftw.go. libfftw3 is dlopened,
// not linked, so the build needs neither its headers nor the library: the
// few prototypes and constants used are declared here (FFTW 3.3 API).
#include "fftw.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

#define QF_FORWARD (-1)
#define QF_BACKWARD (+1)
#define QF_ESTIMATE (1U << 6)

typedef void *(*qf_plan_many_fn)(int rank, const int *n, int howmany,
	void *in, const int *inembed, int istride, int idist,
	void *out, const int *onembed, int ostride, int odist,
	int sign, unsigned flags);
typedef void (*qf_exec_fn)(void *plan, void *in, void *out);
typedef int (*qf_align_fn)(const double *p);

static pthread_mutex_t qf_mu = PTHREAD_MUTEX_INITIALIZER;
static qf_plan_many_fn qf_plan_many;
static qf_exec_fn qf_execute;
static qf_align_fn qf_alignment_of;

// qf_load dlopens the FFTW library name and resolves the functions used.
// Returns 0 on success, 1 when the library cannot be opened, 2 when a
// symbol is missing. Only the first success installs the functions; a
// failure changes nothing.
int qf_load(const char *name) {
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) return 1;
	void *p = dlsym(h, "fftw_plan_many_dft");
	void *e = dlsym(h, "fftw_execute_dft");
	void *a = dlsym(h, "fftw_alignment_of");
	if (!p || !e || !a) {
		dlclose(h);
		return 2;
	}
	// Other code in the process (Octave, pyFFTW) may plan with the same
	// library; its thread-safety hook serialises all planners. Optional:
	// our own mutex already serialises ours.
	void *t = dlopen("libfftw3_threads.so.3", RTLD_NOW | RTLD_LOCAL);
	if (t) {
		void (*safe)(void) = (void (*)(void))dlsym(t, "fftw_make_planner_thread_safe");
		if (safe) safe();
	}
	pthread_mutex_lock(&qf_mu);
	if (!qf_plan_many) {
		qf_execute = (qf_exec_fn)e;
		qf_alignment_of = (qf_align_fn)a;
		qf_plan_many = (qf_plan_many_fn)p;
	}
	pthread_mutex_unlock(&qf_mu);
	return 0;
}

// qf_plan returns an in-place plan for howmany transforms of length n
// (element k of transform j at j·dist + k·stride), or NULL. The planner is
// not thread-safe, hence the mutex. Planning uses a 64-byte aligned array,
// so the plan may assume SIMD alignment and qf_exec checks it.
void *qf_plan(int n, int howmany, int stride, int dist, int inverse) {
	pthread_mutex_lock(&qf_mu);
	qf_plan_many_fn plan = qf_plan_many;
	pthread_mutex_unlock(&qf_mu);
	if (!plan || n <= 0 || howmany <= 0 || stride <= 0 || dist < 0) return NULL;
	size_t extent = (size_t)(n - 1) * stride + (size_t)(howmany - 1) * dist + 1;
	void *buf = NULL;
	if (posix_memalign(&buf, 64, extent * 16) != 0) return NULL;
	pthread_mutex_lock(&qf_mu);
	void *p = plan(1, &n, howmany, buf, NULL, stride, dist, buf, NULL, stride, dist,
		inverse ? QF_BACKWARD : QF_FORWARD, QF_ESTIMATE);
	pthread_mutex_unlock(&qf_mu);
	free(buf);
	return p;
}

// qf_exec runs plan in place on x (new-array execute, thread-safe). Returns
// 0, or -1 without touching x when x lacks the alignment the plan assumes.
int qf_exec(void *plan, void *x) {
	if (qf_alignment_of((const double *)x) != 0) return -1;
	qf_execute(plan, x, x);
	return 0;
}
