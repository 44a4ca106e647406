#ifndef GOLIVE_CLINUX_SHIM_H
#define GOLIVE_CLINUX_SHIM_H

// Linux calls Swift's Glibc module leaves out (they need _GNU_SOURCE), declared as glibc has them.
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>

extern int pipe2(int fds[2], int flags);
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);

#endif
