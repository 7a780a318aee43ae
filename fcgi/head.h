/* head.h: the status line and headers of a FastCGI answer. */
#ifndef FAZHI_HEAD_H
#define FAZHI_HEAD_H

#include <stddef.h>

struct req_out;

/*
 * Longest header block of an answer, status line included. One that does
 * not fit is never sent cut short: the answer becomes a 500 (worker.c).
 */
#define HEAD_MAX	2048

const char	*head_reason(int);
int		 head_format(const struct req_out *, const char *, char *,
		    size_t);

#endif
