// SPDX-License-Identifier: MIT
/*
 * exec() replaces the image without running its destructors, so the
 * statistics of the calls made before it would be lost.  With statistics
 * on, every exec function of the C library is taken over: it reports
 * (stats.c, the header line marked "at=exec") and then execs.  The lines
 * reported are taken off the counters, so that an exec that fails, and
 * the exit report after it, never count a call twice; the new image
 * reports its own calls at its exit, under the same pid.  glibc's exec
 * functions call its internal execve, out of the preload's sight: each
 * needs its own wrapper.  A vfork child reports nothing: its counters are
 * its parent's memory (vfork.c).
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <unistd.h>

#include "preload.h"

#define PL_EXPORT __attribute__((visibility("default")))

extern char **environ;

typedef int (*execve_fn)(const char *, char *const[], char *const[]);
typedef int (*execvp_fn)(const char *, char *const[]);
typedef int (*fexecve_fn)(int, char *const[], char *const[]);
typedef int (*execveat_fn)(int, const char *, char *const[], char *const[],
			   int);

static struct {
	execve_fn execve, execvpe_;
	execvp_fn execvp;
	fexecve_fn fexecve;
	execveat_fn execveat;
} real;

/* From the constructor: an exec in a vfork child must not call dlsym. */
void pl_exec_resolve(void)
{
	real.execve = (execve_fn)dlsym(RTLD_NEXT, "execve");
	real.execvpe_ = (execve_fn)dlsym(RTLD_NEXT, "execvpe");
	real.execvp = (execvp_fn)dlsym(RTLD_NEXT, "execvp");
	real.fexecve = (fexecve_fn)dlsym(RTLD_NEXT, "fexecve");
	real.execveat = (execveat_fn)dlsym(RTLD_NEXT, "execveat");
}

static void before_exec(void)
{
	if (pl_config.stats && !pl_tls_vfork)
		pl_stats_report(1);
	if (!real.execve)
		pl_exec_resolve(); /* an exec before our constructor ran */
}

PL_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	before_exec();
	return real.execve(path, argv, envp);
}

PL_EXPORT int execv(const char *path, char *const argv[])
{
	before_exec();
	return real.execve(path, argv, environ);
}

PL_EXPORT int execvpe(const char *file, char *const argv[],
		      char *const envp[])
{
	before_exec();
	return real.execvpe_(file, argv, envp);
}

PL_EXPORT int execvp(const char *file, char *const argv[])
{
	before_exec();
	return real.execvp(file, argv);
}

PL_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	before_exec();
	return real.fexecve(fd, argv, envp);
}

PL_EXPORT int execveat(int dirfd, const char *path, char *const argv[],
		       char *const envp[], int flags)
{
	before_exec();
	return real.execveat(dirfd, path, argv, envp, flags);
}

/*
 * The list forms: the arguments into a vector on the stack (no malloc:
 * they may run in a vfork child), then the vector form.  execle's
 * environment follows the terminating NULL.
 */
#define LIST_TO_VECTOR(arg0, last, argv, envp_out)                           \
	va_list ap;                                                          \
	size_t n = 1;                                                        \
	va_start(ap, last);                                                  \
	while (va_arg(ap, char *))                                           \
		n++;                                                         \
	va_end(ap);                                                          \
	char *argv[n + 1];                                                   \
	argv[0] = (char *)(arg0);                                            \
	va_start(ap, last);                                                  \
	for (size_t i_ = 1; i_ <= n; i_++)                                   \
		argv[i_] = va_arg(ap, char *);                               \
	envp_out;                                                            \
	va_end(ap)

PL_EXPORT int execl(const char *path, const char *arg, ...)
{
	LIST_TO_VECTOR(arg, arg, argv, (void)0);
	before_exec();
	return real.execve(path, argv, environ);
}

PL_EXPORT int execlp(const char *file, const char *arg, ...)
{
	LIST_TO_VECTOR(arg, arg, argv, (void)0);
	before_exec();
	return real.execvp(file, argv);
}

PL_EXPORT int execle(const char *path, const char *arg, ...)
{
	char **envp;

	LIST_TO_VECTOR(arg, arg, argv, envp = va_arg(ap, char **));
	before_exec();
	return real.execve(path, argv, envp);
}
