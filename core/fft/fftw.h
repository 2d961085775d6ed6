#ifndef QPGO_FFTW_H
#define QPGO_FFTW_H

int qf_load(const char *name);
void *qf_plan(int n, int howmany, int stride, int dist, int inverse);
int qf_exec(void *plan, void *x);

#endif
