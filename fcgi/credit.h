/* credit.h: the unified social credit code (GB 32100-2015). */
#ifndef FAZHI_CREDIT_H
#define FAZHI_CREDIT_H

/* Characters in a unified social credit code. */
#define CREDIT_CODE_LEN		18

int	credit_code_check(const char *, char *);

#endif
