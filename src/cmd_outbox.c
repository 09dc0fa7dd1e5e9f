/* `outbox list|send|export DIR|show ID|hold ID|release ID`: the messages
 * dunning runs queued. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "outbox.h"
#include "status.h"

int cmd_outbox(struct cmd_ctx *ctx, int argc, char **argv)
{
	bool list = argc == 2 && strcmp(argv[1], "list") == 0;
	bool send = argc == 2 && strcmp(argv[1], "send") == 0;
	bool export = argc == 3 && strcmp(argv[1], "export") == 0;
	bool show = argc == 3 && strcmp(argv[1], "show") == 0;
	bool hold = argc == 3 && strcmp(argv[1], "hold") == 0;
	bool release = argc == 3 && strcmp(argv[1], "release") == 0;
	if (!list && !send && !export && !show && !hold && !release)
		return cmd_usage(ctx, "outbox");
	long long id = 0;
	if (show || hold || release) {
		char *end;
		errno = 0;
		id = strtoll(argv[2], &end, 10);
		if (errno || end == argv[2] || *end || id <= 0)
			return cmd_error(ctx, DUN_EUSAGE, "message \"%s\": expected a message id (see `dun outbox list`)", argv[2]);
	}
	struct store *s;
	int status = cmd_store(ctx, 0, &s);
	if (status != DUN_OK)
		return status;
	char *cause = NULL;
	if (list)
		status = outbox_list(s, ctx->out, ctx->format, &cause);
	else if (send) {
		int failed;
		status = outbox_send(s, &ctx->config, ctx->today, ctx->out, &failed, &cause);
		/* A failed message stays queued with its error: bad data, exit 1. */
		if (status == DUN_OK && failed > 0)
			return cmd_error(ctx, DUN_EDATA, "%d message%s not sent (kept in the outbox with the error)",
			    failed, failed == 1 ? "" : "s");
	} else if (show)
		status = outbox_show(s, &ctx->config, id, ctx->out, &cause);
	else if (hold || release) {
		status = outbox_hold(s, id, hold, &cause);
		if (status == DUN_OK)
			fprintf(ctx->out, "message %lld %s\n", id, hold ? "held" : "released");
	} else {
		int count, failed;
		status = outbox_export(s, &ctx->config, argv[2], ctx->err, &count, &failed, &cause);
		if (status == DUN_OK)
			fprintf(ctx->out, "exported %d message%s to %s\n", count, count == 1 ? "" : "s", argv[2]);
		if (status == DUN_OK && failed > 0)
			return cmd_error(ctx, DUN_EDATA, "%d message%s not exported (kept in the outbox)", failed,
			    failed == 1 ? "" : "s");
	}
	return status == DUN_OK ? DUN_OK : cmd_fail(ctx, status, cause);
}
