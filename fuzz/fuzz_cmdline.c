/* Fuzz target: the ':' command line of the workstation (word splitting and
 * dispatch to the command table's usage checks, with no ledger). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = xstrndup((const char *)data, size);
	int argc;
	char **argv;
	char *cause = NULL;
	if (cmd_split(line, &argc, &argv, &cause) == 0) {
		/* Only `help` runs: other commands would touch a ledger. */
		if (argc > 0 && strcmp(argv[0], "help") == 0) {
			struct cmd_ctx ctx = {0};
			ctx.out = fopen("/dev/null", "w");
			ctx.err = ctx.out;
			cmd_dispatch(&ctx, argc, argv);
			fclose(ctx.out);
		}
		cmd_words_free(argc, argv);
	}
	free(cause);
	free(line);
	return 0;
}
