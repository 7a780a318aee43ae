/* log.h: one line per event on stderr, with a level; access lines per request. */
#ifndef FAZHI_LOG_H
#define FAZHI_LOG_H

#include <stddef.h>

/* Bytes of one line, its newline included; a longer line is cut to fit. */
#define LOG_LINE_MAX	1024

/* Bytes of access lines log_hold keeps before writing them (some 40 lines). */
#define LOG_HOLD_MAX	4096

void	log_init(const char *role);
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_hold(int on);
void	log_flush(void);
void	log_access(const char *method, const char *uri, int status,
	    size_t bytes, long usec);

#endif
