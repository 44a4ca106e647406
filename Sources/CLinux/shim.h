#ifndef GOLIVE_CSYSTEM_SHIM_H
#define GOLIVE_CSYSTEM_SHIM_H

// Linux calls Swift's Glibc module leaves out (they need _GNU_SOURCE), declared as glibc has them.
#include <pthread.h>
#include <sched.h>
#include <stddef.h>

extern int sched_getcpu(void);
extern int sched_getaffinity(int pid, size_t size, cpu_set_t *mask);
extern int pthread_attr_setaffinity_np(pthread_attr_t *attr, size_t size, const cpu_set_t *mask);

/// Makes `attr`'s thread start on one of this process's CPUs other than the caller's: a new
/// thread otherwise waits on its parent's CPU until the scheduler moves it (3–4 ms seen). 0 when
/// set, -1 when there is no other CPU to use.
static inline int golive_start_on_another_cpu(pthread_attr_t *attr) {
    cpu_set_t allowed;
    int here = sched_getcpu();
    if (here < 0 || sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    unsigned char *bits = (unsigned char *)&allowed;
    if ((size_t)here / 8 < sizeof allowed) bits[here / 8] &= (unsigned char)~(1u << (here % 8));
    int any = 0;
    for (size_t i = 0; i < sizeof allowed; i++) any |= bits[i];
    if (!any) return -1;
    return pthread_attr_setaffinity_np(attr, sizeof allowed, &allowed) == 0 ? 0 : -1;
}

#endif
