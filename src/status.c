/* The first error wins: later failures while unwinding keep the cause. */
#include "status.h"
#include <stdarg.h>
#include <stddef.h>
#include "xalloc.h"

int dun_fail(char **cause, int status, const char *fmt, ...)
{
	if (cause != NULL && *cause == NULL) {
		va_list ap;
		va_start(ap, fmt);
		*cause = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return status;
}
