/* dun's entry point: global options, then a command from the table, or the
 * workstation when there is none. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "status.h"
#include "../ui/ui.h"

/* Takes a global option out of argv wherever it stands (before "--"), so
 * `dun aging --format csv` and `dun --format csv aging` both work. */
static const char *take_option(int *argc, char **argv, const char *name, int *status)
{
	size_t len = strlen(name);
	const char *value = NULL;
	for (int i = 1; i < *argc && strcmp(argv[i], "--") != 0;) {
		int used = 0;
		if (strcmp(argv[i], name) == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "dun: %s needs a value\n", name);
				*status = DUN_EUSAGE;
				return NULL;
			}
			value = argv[i + 1];
			used = 2;
		} else if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') {
			value = argv[i] + len + 1;
			used = 1;
		}
		if (used) {
			memmove(argv + i, argv + i + used, (size_t)(*argc - i - used + 1) * sizeof *argv);
			*argc -= used;
		} else {
			i++;
		}
	}
	return value;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = {0};
	int status = DUN_OK;
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.workstation = ui_run;
	ctx.db_option = take_option(&argc, argv, "--db", &status);
	ctx.config_option = take_option(&argc, argv, "--config", &status);
	const char *as_of = take_option(&argc, argv, "--as-of", &status);
	const char *format = take_option(&argc, argv, "--format", &status);
	if (status != DUN_OK)
		return status;
	if (!date_today(&ctx.today)) {
		fprintf(stderr, "dun: DUN_TODAY \"%s\": expected a date YYYY-MM-DD\n", getenv("DUN_TODAY"));
		return DUN_EUSAGE;
	}
	ctx.as_of = ctx.today;
	if (as_of != NULL) {
		if (cmd_parse_date(&ctx, "--as-of", as_of, &ctx.as_of) != DUN_OK)
			return DUN_EUSAGE;
		ctx.as_of_given = true;
	}
	ctx.format = isatty(STDOUT_FILENO) ? REPORT_TABLE : REPORT_CSV;
	if (format != NULL && report_format_parse(format, &ctx.format) != DUN_OK) {
		fprintf(stderr, "dun: --format \"%s\": expected table, csv or json\n", format);
		return DUN_EUSAGE;
	}
	config_defaults(&ctx.config);
	char *cause = NULL;
	if (config_load(ctx.config_option, &ctx.config, &cause) != DUN_OK) {
		status = cmd_fail(&ctx, DUN_EDATA, cause);
	} else if (argc < 2) {
		/* `dun` alone opens the workstation; without a terminal, the help */
		if (ctx.workstation != NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			status = ctx.workstation(&ctx);
		else
			status = cmd_help(&ctx, 1, argv);
	} else {
		status = cmd_dispatch(&ctx, argc - 1, argv + 1);
	}
	store_close(ctx.store);
	config_free(&ctx.config);
	if (fflush(stdout) != 0 && status == DUN_OK) {
		perror("dun: write");
		status = DUN_EDATA;
	}
	return status;
}
