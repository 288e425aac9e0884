/*
 * sys/mman.h - memory mappings for programs built with `deno task cc`
 * (picolibc has none). The values are Linux's; the functions are in
 * cc/runtime/sys.c.
 */
#ifndef _OPLET_SYS_MMAN_H
#define _OPLET_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_FAILED ((void *)-1)

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
void *mremap(void *old_addr, size_t old_len, size_t new_len, int flags, ...);
int mprotect(void *addr, size_t len, int prot);

#ifdef __cplusplus
}
#endif

#endif
