/* finish.h: ending a FastCGI request without waiting for nginx to close. */
#ifndef FAZHI_FINISH_H
#define FAZHI_FINISH_H

#include <fcgiapp.h>

void	finish_request(FCGX_Request *);

#endif
