#ifndef GOLIVE_CLINUX_SHIM_H
#define GOLIVE_CLINUX_SHIM_H

// Linux calls Swift's Glibc module leaves out (they need _GNU_SOURCE), declared as glibc has them.
#include <malloc.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

extern int pipe2(int fds[2], int flags);
extern int accept4(int socket, struct sockaddr *address, socklen_t *length, int flags);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);
extern ssize_t copy_file_range(int fd_in, int64_t *off_in, int fd_out, int64_t *off_out, size_t len, unsigned int flags);


// glibc's malloc grows and trims its heaps `bytes` beyond what is asked at a time (M_TOP_PAD).
static inline int golive_heap_top_pad(int bytes) { return mallopt(M_TOP_PAD, bytes); }

// What glibc.malloc.hugetlb=1 does to malloc's heaps (ask for transparent huge pages), done from
// inside the process: that tunable is read only as a process starts. x86-64's huge page is 2 MB.
#define GOLIVE_HUGE_PAGE ((uintptr_t)2 << 20)

// The main heap (the break) made to grow now by the top pad, and the whole 2 MB pages of what it
// grew by advised. The break's later growth is not advised: the kernel keeps it a mapping apart.
static inline void golive_advise_main_heap_huge(void) {
    // Under malloc's smallest mmap threshold (128 KB), so it comes from the break.
    void *p = malloc(120 << 10);
    if (p == NULL) return;
    uintptr_t start = ((uintptr_t)p + GOLIVE_HUGE_PAGE - 1) & ~(GOLIVE_HUGE_PAGE - 1);
    uintptr_t stop = (uintptr_t)sbrk(0) & ~(GOLIVE_HUGE_PAGE - 1);
    if (stop > start) madvise((void *)start, stop - start, MADV_HUGEPAGE);
    free(p);
}

// The calling thread's heap advised whole. glibc reserves a thread's arena 64 MB at a time,
// aligned to its size, and grows it within; memory under the break is the main heap's, not
// the thread's own, and is left alone. Were glibc's layout other than this, the advice would
// fall on some other mapping of this process: it changes no contents, only the page size.
static inline void golive_advise_thread_heap_huge(void) {
    const uintptr_t reserved = (uintptr_t)64 << 20;
    void *p = malloc(1);
    if (p == NULL) return;
    if ((uintptr_t)p > (uintptr_t)sbrk(0)) madvise((void *)((uintptr_t)p & ~(reserved - 1)), reserved, MADV_HUGEPAGE);
    free(p);
}

// Descriptor passing over a Unix socket (SCM_RIGHTS): the CMSG_* macros do not reach Swift.
// One byte travels with the descriptors so that the message is never empty.
/// A one-byte message with room for `room` bytes of control data: what both directions share.
static inline void golive_message(struct msghdr *message, struct iovec *iov, char *byte, char *control, size_t room) {
    memset(message, 0, sizeof *message);
    iov->iov_base = byte;
    iov->iov_len = 1;
    message->msg_iov = iov;
    message->msg_iovlen = 1;
    message->msg_control = control;
    message->msg_controllen = room;
}

static inline long golive_send_descriptors(int socket, const int *fds, int count) {
    if (count < 1 || count > 3) return -1;
    char byte = 'F';
    struct iovec iov;
    union { char buffer[CMSG_SPACE(sizeof(int) * 3)]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message;
    golive_message(&message, &iov, &byte, control.buffer, CMSG_SPACE(sizeof(int) * count));
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * count);
    memcpy(CMSG_DATA(header), fds, sizeof(int) * count);
    return (long)sendmsg(socket, &message, MSG_NOSIGNAL);
}

/// Receives the byte and up to `max` (at most 3) descriptors sent with it; returns how many
/// descriptors came (0 when none), or -1 with errno set. Descriptors beyond `max` are closed.
static inline int golive_receive_descriptors(int socket, int *fds, int max) {
    char byte = 0;
    struct iovec iov;
    union { char buffer[CMSG_SPACE(sizeof(int) * 8)]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message;
    golive_message(&message, &iov, &byte, control.buffer, sizeof control.buffer);
    long n = recvmsg(socket, &message, 0x40000000 /* MSG_CMSG_CLOEXEC */);
    if (n <= 0) return n == 0 ? -2 : -1;
    int count = 0;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&message); h != NULL; h = CMSG_NXTHDR(&message, h)) {
        if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS) continue;
        int carried = (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int received[8];
        memcpy(received, CMSG_DATA(h), sizeof(int) * (carried > 8 ? 8 : carried));
        for (int i = 0; i < carried && i < 8; i++) {
            if (count < max) fds[count++] = received[i]; else close(received[i]);
        }
    }
    return count;
}

#endif
