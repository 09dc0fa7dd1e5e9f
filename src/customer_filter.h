/* The filter that narrows the workstation's customer list (SPEC §11
 * "Customers /filter"): space-separated terms, all of which must hold —
 * profile=NAME (the payer profile of risk.c), class=A..E, collector=NAME,
 * segment=NAME, overdue (something overdue), and a bare word, a PCRE2
 * pattern (user_regex.h) on the code or the name. */
#ifndef DUN_CUSTOMER_FILTER_H
#define DUN_CUSTOMER_FILTER_H
#include <stdbool.h>

struct customer_filter {
	/* NULL: any */
	char *profile, *class, *collector, *segment, *pattern;
	bool overdue;
	char *text;    /* the terms as given, single-spaced; NULL: no filter */
};

/* Parses expr into *f (freed with customer_filter_free; an empty expr is
 * no filter). An unknown term, a repeated one, a bad value or a pattern
 * that does not compile is refused with DUN_EUSAGE and the reason in
 * *cause; *f is then left empty. */
int customer_filter_parse(const char *expr, struct customer_filter *f, char **cause);
void customer_filter_free(struct customer_filter *f);
#endif
