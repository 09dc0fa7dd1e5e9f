/* Message templates (SPEC §7): a small merge-field language for dunning
 * e-mails and letters.
 *
 *   {{customer.name}}                 a field
 *   {{#invoices}} ... {{/invoices}}   once per invoice, with invoice.* fields
 *   {{#if late_interest}} ... {{else}} ... {{/if}}
 *
 * A block tag alone on its line takes the line with it. Field values have
 * their control characters turned into spaces, so imported text cannot
 * break a line (the Subject: line above all). Errors name the line. */
#ifndef DUN_TEMPLATE_H
#define DUN_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>

/* One invoice of the table; every text is ready to print. */
struct template_invoice {
	const char *number, *issue_date, *due_date, *days_overdue;
	const char *amount, *open, *interest, *indemnity, *payment_link;
};

struct template_data {
	const char *customer_name, *customer_code, *company_name;
	const char *date;            /* as-of, ISO */
	const char *currency;        /* the customer's */
	const char *base_currency;   /* indemnities are in it */
	const char *total_overdue, *total_open, *total_interest, *total_indemnity, *total_due;
	const char *payment_link;
	bool statement;              /* the statement is attached */
	bool late_interest;          /* interest and indemnity apply (formal notice) */
	const struct template_invoice *invoices;
	int ninvoices;
};

/* Checks text (len bytes, NUL not needed): syntax and field names. file
 * names it in messages ("FILE:LINE: ..."). */
int template_check(const char *text, size_t len, const char *file, char **cause);
/* Renders text with data into *out (the caller frees). */
int template_render(const char *text, size_t len, const char *file,
    const struct template_data *data, char **out, char **cause);
/* Renders the embedded templates/LANG/NAME.txt and splits off its first
 * line, which must be "Subject: ...". The caller frees both. */
int template_render_message(const char *name, const char *language,
    const struct template_data *data, char **subject, char **body, char **cause);
#endif
