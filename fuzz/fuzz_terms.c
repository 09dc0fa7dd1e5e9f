/* Fuzz target: payment terms. What parses formats to a canonical text that
 * parses to the same terms, and gives a due date on or after the issue
 * date and a discount date between the two. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "terms.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct terms t, again;
	const char *why;
	if (terms_parse(text, &t, &why)) {
		char buf[TERMS_TEXT_MAX];
		if (!terms_parse(terms_format(&t, buf), &again, &why) || memcmp(&t, &again, sizeof t) != 0)
			abort();
		for (day_t issue = date_from_ymd(2023, 12, 25); issue < date_from_ymd(2024, 3, 5); issue += 7) {
			day_t due = terms_due_date(&t, issue), discount = terms_discount_date(&t, issue);
			if (due < issue || (discount != DATE_NONE && (discount < issue || discount > due)))
				abort();
		}
	}
	free(text);
	return 0;
}
