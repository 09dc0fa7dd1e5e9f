/* Fuzz target: bank statements as banks send them. The input goes through
 * format detection and each of the camt.053, MT940 and OFX parsers (CSV
 * has its own target), and its text through the matcher's reference key,
 * RF check and name normalisation. A parse either fails with a message
 * naming the file or gives lines whose strings are all set. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bank.h"
#include "match.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*parser)(const char *, const char *, size_t, struct bank_file *, char **);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const parser parsers[] = { bank_camt_parse, bank_mt940_parse, bank_ofx_parse };
	const char *text = (const char *)data;
	enum bank_format format;
	(void)bank_detect(text, size, &format);
	for (size_t i = 0; i < sizeof parsers / sizeof parsers[0]; i++) {
		struct bank_file f;
		char *cause = NULL;
		memset(&f, 0, sizeof f);
		if (parsers[i]("fuzz", text, size, &f, &cause) == 0) {
			for (size_t s = 0; s < f.nstatements; s++) {
				bank_statement_finish(&f.statements[s]);
				for (size_t l = 0; l < f.statements[s].nlines; l++)
					if (f.statements[s].lines[l].reference == NULL || f.statements[s].lines[l].amount < 0)
						abort();
			}
		} else if (cause == NULL || strncmp(cause, "fuzz:", 5) != 0) {
			abort();
		}
		free(cause);
		bank_file_free(&f);
	}
	char *copy = xstrndup(text, size);
	free(match_reference_key(copy, strlen(copy)));
	free(match_name_normalise(copy));
	(void)match_rf_valid(copy);
	free(copy);
	return 0;
}
