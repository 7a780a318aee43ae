/*
 * penalty.c: reads a <record> of a penalty feed (schema: penalties.rng) and
 * checks what the schema cannot: the credit code's form, dates that cannot
 * be, and a fine that matches the penalty kinds. A credit code that fails
 * only its check character is a warning, not a problem: some early codes
 * are valid and fail the check (GB 32100-2015 pilot areas).
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
 * send it, or NULL when it is sound (penalty_warning may still have
 * something to say). today is YYYY-MM-DD; msg is scratch.
 */
const char *
penalty_problem(const struct penalty *p, const char *today, char *msg,
    size_t msgsz)
{
	int	 fined = strstr(p->kinds.data ? p->kinds.data : "", "罚款") != NULL;

	if (p->code != NULL && credit_code_check(p->code, NULL) == 0) {
		snprintf(msg, msgsz, "credit code %s is not a unified social "
		    "credit code (统一社会信用代码格式不正确)", p->code);
		return msg;
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

/*
 * Returns what the staff should look at in a record that is kept anyway,
 * or NULL: a credit code whose check character is not the one its first
 * 17 characters call for. msg is scratch.
 */
const char *
penalty_warning(const struct penalty *p, char *msg, size_t msgsz)
{
	char	 want;

	if (p->code == NULL || credit_code_check(p->code, &want) != -1)
		return NULL;
	snprintf(msg, msgsz, "credit code %s has a wrong check character: the "
	    "last one should be %c; the record is kept, since some early codes "
	    "fail the check, but compare it with the decision (校验码不符，请核对)",
	    p->code, want);
	return msg;
}

void
penalty_free(struct penalty *p)
{
	buf_free(&p->kinds);
}
