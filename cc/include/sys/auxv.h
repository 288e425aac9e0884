/*
 * sys/auxv.h - picolibc's <sys/auxv.h>, plus the Linux auxiliary-vector
 * types it leaves out. getauxval is in cc/runtime/sys.c: it reads the
 * vector the kernel (or the emulator) put on the initial stack.
 */
#include_next <sys/auxv.h>

#ifndef _OPLET_SYS_AUXV_H
#define _OPLET_SYS_AUXV_H

#ifndef AT_NULL
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31
#endif

#endif
