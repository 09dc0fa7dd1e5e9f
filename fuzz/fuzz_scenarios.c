/* Fuzz target: the dunning scenario INI. What parses exports to INI that
 * parses again and exports to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scenario.h"
#include "status.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct scenario_set set, again;
	if (scenario_parse(text, "fuzz.ini", &set, NULL) == DUN_OK) {
		struct buf first = { 0 }, second = { 0 };
		buf_puts(&first, "");
		buf_puts(&second, "");
		scenario_export(&set, &first);
		if (scenario_parse(first.data, "export.ini", &again, NULL) != DUN_OK)
			abort();
		scenario_export(&again, &second);
		if (strcmp(first.data, second.data) != 0)
			abort();
		scenario_set_free(&again);
		scenario_set_free(&set);
		buf_free(&first);
		buf_free(&second);
	}
	free(text);
	return 0;
}
