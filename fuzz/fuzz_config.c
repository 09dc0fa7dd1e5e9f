/* Fuzz target: the configuration file. Whatever it reads, what it accepts
 * holds: increasing buckets, a grace within bounds, a confidence in
 * [0, 1], a non-negative indemnity. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "config.h"
#include "status.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0;
	struct config cfg;
	config_defaults(&cfg);
	cfg.path = xstrdup("fuzz.ini");
	char *cause = NULL;
	if (config_read(f, &cfg, &cause) == DUN_OK) {
		for (int i = 1; i < cfg.aging_bucket_count; i++)
			if (cfg.aging_buckets[i] <= cfg.aging_buckets[i - 1])
				abort();
		if (cfg.promise_grace_days < 0 || cfg.promise_grace_days > 365 || cfg.match_min_confidence < 0 ||
		    cfg.match_min_confidence > 1 || cfg.recovery_indemnity < 0)
			abort();
	} else if (cause == NULL) {
		abort();
	}
	free(cause);
	fclose(f);
	config_free(&cfg);
	return 0;
}
