/* Fuzz target: amounts and dates as imports read them. Checks that a parsed
 * amount formats back to a text that parses to the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "money.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int exponent = data[0] % 5;
	char *text = xstrndup((const char *)data + 1, size - 1);
	for (int mark = MONEY_MARK_AUTO; mark <= MONEY_MARK_COMMA; mark++) {
		money_t v, again;
		const char *why;
		if (money_parse(text, exponent, (enum money_mark)mark, &v, &why)) {
			char buf[MONEY_TEXT_MAX];
			money_format(v, exponent, buf);
			if (!money_parse(buf, exponent, MONEY_MARK_DOT, &again, &why) || again != v)
				abort();
		}
	}
	day_t d;
	if (date_parse_iso(text, &d)) {
		char buf[DATE_TEXT_MAX];
		if (strcmp(date_format_iso(d, buf), text) != 0)
			abort();
	}
	date_parse_format(text, "%d/%m/%Y", &d);
	date_parse_format(text, "%d.%m.%y", &d);
	free(text);
	return 0;
}
