/* conn.h: a FastCGI connection: handing it to libfcgi, answering in one write, closing at once. */
#ifndef FAZHI_CONN_H
#define FAZHI_CONN_H

#include <stddef.h>

#include <fcgiapp.h>

/* FastCGI record types (FastCGI 1.0, section 8). */
#define CONN_END_REQUEST	3
#define CONN_STDOUT		6

/* Most content bytes in one FastCGI record (its length field is 16 bits). */
#define CONN_MAX_RECORD		65535

/* Most records one writev(2) sends: bounds the iovec array on the stack. */
#define CONN_MAX_BATCH		32

void	conn_begin(FCGX_Request *, int);
int	conn_send(int, int, const char *, size_t, const char *, size_t);
void	conn_answer(FCGX_Request *, const char *, size_t, const char *, size_t);

#endif
