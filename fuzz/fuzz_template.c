/* Fuzz target: the template language and the scenario INI reader, the two
 * parsers of user-edited dunning files. The first byte picks one. A
 * rendered template must never contain a byte the data did not bring or
 * the template did not hold; here it is enough that nothing crashes, leaks
 * or reads out of bounds, and that an error always comes with a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scenario.h"
#include "status.h"
#include "template.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct template_invoice invoices[] = {
	{ "F-1", "2026-01-01", "2026-01-31", "3", "100.00", "100.00", "1.00", "40.00", "https://pay/F-1" },
	{ "F-2", "2026-01-02", "2026-02-01", "0", "50.00", "25.00", "0.00", "40.00", "https://pay/F-2" },
};

static const struct template_data sample = {
	.customer_name = "Évian \"Ltd\"\r\nBcc: x@y", .customer_code = "C1", .company_name = "Example",
	.date = "2026-11-22", .currency = "EUR", .base_currency = "EUR", .total_overdue = "100.00",
	.total_open = "125.00", .total_interest = "1.00", .total_indemnity = "80.00", .total_due = "206.00",
	.payment_link = "https://pay/C1", .statement = true, .late_interest = true,
	.invoices = invoices, .ninvoices = 2,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* Kept whole, NUL bytes included: the template reader takes a length. */
	char *text = xmalloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	char *cause = NULL;
	if (data[0] & 1) {
		struct scenario_set set;
		if (scenario_parse(text, "fuzz.ini", &set, &cause) == DUN_OK)
			scenario_set_free(&set);
		else if (cause == NULL)
			abort();
	} else {
		char *out = NULL;
		if (template_render(text, size - 1, "fuzz.txt", &sample, &out, &cause) == DUN_OK)
			free(out);
		else if (cause == NULL)
			abort();
	}
	free(cause);
	free(text);
	return 0;
}
