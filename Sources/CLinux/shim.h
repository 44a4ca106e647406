#ifndef GOLIVE_CLINUX_SHIM_H
#define GOLIVE_CLINUX_SHIM_H

// Linux calls Swift's Glibc module leaves out (they need _GNU_SOURCE), declared as glibc has
// them, and the one byte scanner that needs SIMD.
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

extern int sched_getcpu(void);
extern int sched_getaffinity(int pid, size_t size, cpu_set_t *mask);
extern int pthread_attr_setaffinity_np(pthread_attr_t *attr, size_t size, const cpu_set_t *mask);
extern int pipe2(int fds[2], int flags);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);

/// The CPUs a thread may run on.
typedef struct { cpu_set_t set; } golive_cpus;

/// Makes `attr`'s thread start on one of this process's CPUs other than the caller's: a new
/// thread otherwise waits on its parent's CPU until the scheduler moves it (3–4 ms seen). `all`
/// receives the caller's own CPUs, for the thread to take back once it runs
/// (`golive_allow_cpus`): pinned for its whole life, it could wait for a busy CPU while its
/// parent's idled. 0 when set, -1 when there is no other CPU to use.
static inline int golive_start_on_another_cpu(pthread_attr_t *attr, golive_cpus *all) {
    cpu_set_t allowed;
    int here = sched_getcpu();
    if (here < 0 || sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    all->set = allowed;
    unsigned char *bits = (unsigned char *)&allowed;
    if ((size_t)here / 8 < sizeof allowed) bits[here / 8] &= (unsigned char)~(1u << (here % 8));
    int any = 0;
    for (size_t i = 0; i < sizeof allowed; i++) any |= bits[i];
    if (!any) return -1;
    return pthread_attr_setaffinity_np(attr, sizeof allowed, &allowed) == 0 ? 0 : -1;
}

/// The calling thread may run on `all` again.
static inline void golive_allow_cpus(const golive_cpus *all) {
    (void)pthread_setaffinity_np(pthread_self(), sizeof all->set, &all->set);
}

/// From `p[i]`, an object or array, the index just past its matching bracket (strings taken
/// whole, their escapes passed over); -1 when it does not end within `n`. Sixteen bytes at a time
/// where SSE2 is there and the bytes hold no backslash: state.json's items are located this way
/// (a byte loop was most of reading state.json, issue 14).
static inline long golive_skip_bracketed(const uint8_t *p, long n, long i) {
    long depth = 0;
    int in_string = 0;
    while (i < n) {
#if defined(__SSE2__)
        if (i + 16 <= n) {
            __m128i chunk = _mm_loadu_si128((const __m128i *)(p + i));
            unsigned slashes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\')));
            if (slashes == 0) {
                unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"')));
                unsigned open = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('{')), _mm_cmpeq_epi8(chunk, _mm_set1_epi8('['))));
                unsigned close = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('}')), _mm_cmpeq_epi8(chunk, _mm_set1_epi8(']'))));
                unsigned rest = quotes | open | close;
                for (;;) {
                    unsigned candidates = in_string ? (rest & quotes) : rest;
                    if (candidates == 0) break;
                    int b = __builtin_ctz(candidates);
                    unsigned bit = 1u << b;
                    rest &= ~((bit << 1) - 1u);
                    if (quotes & bit) {
                        in_string = !in_string;
                    } else if (open & bit) {
                        depth++;
                    } else if (--depth == 0) {
                        return i + b + 1;
                    }
                }
                i += 16;
                continue;
            }
        }
#endif
        uint8_t c = p[i++];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) return i;
        }
    }
    return -1;
}

#endif
