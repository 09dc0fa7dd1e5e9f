/* Templates: fields, the invoice section, conditionals, standalone block
 * lines, control characters in values, and errors that name the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"
#include "template.h"

static const struct template_invoice invoices[] = {
	{ .number = "F-1", .open = "100.00", .days_overdue = "3" },
	{ .number = "F-2", .open = "50.00", .days_overdue = "0" },
};

static const struct template_data data = {
	.customer_name = "Acme", .customer_code = "C1", .currency = "EUR", .total_open = "150.00",
	.invoices = invoices, .ninvoices = 2, .late_interest = true,
};

static char *render(const char *text, const struct template_data *d)
{
	char *out = NULL, *cause = NULL;
	int status = template_render(text, strlen(text), "t.txt", d, &out, &cause);
	if (status != DUN_OK)
		fail_msg("%s", cause);
	return out;
}

static void render_fails(const char *text, const char *want)
{
	char *out = NULL, *cause = NULL;
	assert_int_equal(template_render(text, strlen(text), "t.txt", &data, &out, &cause), DUN_EDATA);
	assert_null(out);
	assert_string_equal(cause, want);
	free(cause);
}

static void test_fields(void **state)
{
	(void)state;
	char *out = render("Dear {{customer.name}} ({{customer.code}}): {{total_open}} {{currency}}.", &data);
	assert_string_equal(out, "Dear Acme (C1): 150.00 EUR.");
	free(out);
}

/* The invoice table lines up: amounts to the right, each column as wide
 * as its widest value. */
static void test_sections_and_standalone_lines(void **state)
{
	(void)state;
	char *out = render("Items:\n{{#invoices}}\n  {{invoice.number}} {{invoice.open}}\n{{/invoices}}\nEnd\n", &data);
	assert_string_equal(out, "Items:\n  F-1 100.00\n  F-2  50.00\nEnd\n");
	free(out);
	/* widths in characters: "1\u202f000,00" is eight wide, like "1 000,00" */
	static const struct template_invoice wide[] = {
		{ .number = "FÉ-10", .open = "1\xe2\x80\xaf" "000,00" },
		{ .number = "F-2", .open = "50,00" },
	};
	struct template_data d = data;
	d.invoices = wide;
	out = render("{{#invoices}}\n[{{invoice.number}}|{{invoice.open}}]\n{{/invoices}}\n", &d);
	assert_string_equal(out, "[FÉ-10|1\xe2\x80\xaf" "000,00]\n[F-2  |   50,00]\n");
	free(out);
}

static void test_conditionals(void **state)
{
	(void)state;
	const char *text = "{{#if late_interest}}\ninterest\n{{else}}\nnone\n{{/if}}\n{{#if statement}}attached{{/if}}.";
	char *out = render(text, &data);
	assert_string_equal(out, "interest\n.");
	free(out);
	struct template_data d = data;
	d.late_interest = false;
	d.statement = true;
	out = render(text, &d);
	assert_string_equal(out, "none\nattached.");
	free(out);
	/* A text field is true when not empty, inside the invoice section too. */
	out = render("{{#invoices}}{{#if invoice.open}}{{invoice.number}};{{/if}}{{/invoices}}", &data);
	assert_string_equal(out, "F-1;F-2;");
	free(out);
}

static void test_control_characters_in_values(void **state)
{
	(void)state;
	struct template_data d = data;
	d.customer_name = "Evil\r\nBcc: x@y";
	char *out = render("Subject: {{customer.name}}\n", &d);
	assert_string_equal(out, "Subject: Evil  Bcc: x@y\n");
	free(out);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	render_fails("a\n{{nope}}", "t.txt:2: tag \"{{nope}}\": unknown field");
	render_fails("a\nb\n{{customer.name", "t.txt:3: tag \"{{customer.name\": no closing }} on its line");
	render_fails("{{invoice.number}}", "t.txt:1: tag \"{{invoice.number}}\": an invoice field outside {{#invoices}}");
	render_fails("x\n{{#invoices}}\n{{invoice.number}}\n", "t.txt:2: tag \"{{#invoices}}\": not closed by {{/invoices}}");
	render_fails("{{#if statement}}\n{{/invoices}}", "t.txt:1: tag \"{{#if statement}}\": closed by the wrong tag");
	render_fails("ok\n{{/if}}", "t.txt:2: tag \"{{/if}}\": closes no open block");
	render_fails("{{#each x}}", "t.txt:1: tag \"{{#each x}}\": unknown block ({{#invoices}}, {{/invoices}}, {{#if FIELD}}, {{else}}, {{/if}})");
	render_fails("{{#invoices}}{{#invoices}}{{/invoices}}{{/invoices}}",
	    "t.txt:1: tag \"{{#invoices}}\": {{#invoices}} inside {{#invoices}}");
}

static void test_embedded_templates(void **state)
{
	(void)state;
	static const char *const names[] = { "preventive", "reminder-1", "reminder-2", "formal-notice" };
	static const char *const langs[] = { "en", "fr" };
	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 2; j++) {
			char *subject = NULL, *body = NULL, *cause = NULL;
			if (template_render_message(names[i], langs[j], &data, &subject, &body, &cause) != DUN_OK)
				fail_msg("%s", cause);
			assert_non_null(strstr(subject, "Acme"));
			assert_non_null(strstr(body, "F-2"));
			assert_int_not_equal(body[0], '\n');
			free(subject);
			free(body);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_sections_and_standalone_lines),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_control_characters_in_values),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_embedded_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
