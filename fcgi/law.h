/* law.h: article numbers of laws: parsing, Chinese numerals, references. */
#ifndef FAZHI_LAW_H
#define FAZHI_LAW_H

#include <stddef.h>

/* The largest article number (民法典 has 1260 articles). */
#define LAW_MAX_ARTICLE		9999
/* The largest 之一, 之二 ... suffix, paragraph (款) and item (项) number. */
#define LAW_MAX_SUB		9
#define LAW_MAX_PARAGRAPH	20
#define LAW_MAX_ITEM		40
/* Bytes of a label such as 第一千二百五十四条之一第二十款第四十项. */
#define LAW_LABEL_MAX		128

/* An article reference: 第n条之sub第paragraph款第item项 (0: not given). */
struct law_ref {
	int	 article;
	int	 sub;
	int	 paragraph;
	int	 item;
};

int	 law_article_parse(const char *, int *, int *);
int	 law_number_parse(const char *, int, int *);
int	 law_numeral(char *, size_t, int);
int	 law_label(char *, size_t, const struct law_ref *);
int	 law_query_article(const char *, int *, int *);

#endif
