/*
 * penalty.c: reads a <record> of a penalty feed (schema: penalties.rng) and
 * checks what the schema cannot: the credit code's check character, dates
 * that cannot be, and a fine that matches the penalty kinds.
 */
#include <stdio.h>
#include <string.h>

#include "credit.h"
#include "penalty.h"
#include "xml.h"

static const char *
penalty_opt(xmlNodePtr rec, const char *name)
{
	xmlNodePtr	 n = xml_child(rec, name);

	return n != NULL ? xml_text(n) : NULL;
}

/*
 * Fills p from a schema-valid <record>. The strings point into the
 * document, which must outlive p; p->kinds is p's own (penalty_free).
 */
void
penalty_read(xmlNodePtr rec, struct penalty *p)
{
	xmlNodePtr	 k;

	memset(p, 0, sizeof(*p));
	p->number = xml_text(xml_child(rec, "decision-number"));
	p->party = xml_text(xml_child(rec, "party"));
	p->code = penalty_opt(rec, "credit-code");
	p->date = xml_text(xml_child(rec, "decision-date"));
	p->fine = penalty_opt(rec, "fine");
	p->severity = xml_text(xml_child(rec, "severity"));
	p->domain = xml_text(xml_child(rec, "domain"));
	p->fulfilled = penalty_opt(rec, "fulfilled");
	p->line = xmlGetLineNo(rec);
	for (k = xml_child(xml_child(rec, "kinds"), "kind"); k != NULL;
	    k = xml_next(k, "kind")) {
		if (p->kinds.len > 0)
			buf_puts(&p->kinds, "、");
		buf_puts(&p->kinds, xml_text(k));
	}
}

/*
 * Returns why the record cannot be published, in words for the staff who
 * send it, or NULL when it is sound. today is YYYY-MM-DD; msg is scratch.
 */
const char *
penalty_problem(const struct penalty *p, const char *today, char *msg,
    size_t msgsz)
{
	char	 want;
	int	 fined = strstr(p->kinds.data ? p->kinds.data : "", "罚款") != NULL;

	if (p->code != NULL) {
		switch (credit_code_check(p->code, &want)) {
		case 0:
			snprintf(msg, msgsz, "credit code %s is not a unified social "
			    "credit code (统一社会信用代码格式不正确)", p->code);
			return msg;
		case -1:
			snprintf(msg, msgsz, "credit code %s has a wrong check "
			    "character: the last one should be %c (校验码错误)",
			    p->code, want);
			return msg;
		}
	}
	if (strcmp(p->date, today) > 0) {
		snprintf(msg, msgsz, "decision date %s is in the future "
		    "(处罚决定日期晚于今天)", p->date);
		return msg;
	}
	if (p->fulfilled != NULL && strcmp(p->fulfilled, p->date) < 0) {
		snprintf(msg, msgsz, "fulfilled date %s is before the decision "
		    "date %s (履行日期早于决定日期)", p->fulfilled, p->date);
		return msg;
	}
	if (fined != (p->fine != NULL)) {
		snprintf(msg, msgsz, fined ? "罚款 is listed but no <fine> amount "
		    "is given" : "a <fine> amount is given but 罚款 is not among "
		    "the kinds");
		return msg;
	}
	return NULL;
}

void
penalty_free(struct penalty *p)
{
	buf_free(&p->kinds);
}
