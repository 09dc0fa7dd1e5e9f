/* `outbox list|send|export DIR`: the messages dunning runs queued. */
#include <string.h>
#include "cmd.h"
#include "outbox.h"
#include "status.h"

int cmd_outbox(struct cmd_ctx *ctx, int argc, char **argv)
{
	bool list = argc == 2 && strcmp(argv[1], "list") == 0;
	bool send = argc == 2 && strcmp(argv[1], "send") == 0;
	bool export = argc == 3 && strcmp(argv[1], "export") == 0;
	if (!list && !send && !export)
		return cmd_usage(ctx, "outbox");
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
	} else {
		int count;
		status = outbox_export(s, &ctx->config, argv[2], &count, &cause);
		if (status == DUN_OK)
			fprintf(ctx->out, "exported %d message%s to %s\n", count, count == 1 ? "" : "s", argv[2]);
	}
	return status == DUN_OK ? DUN_OK : cmd_fail(ctx, status, cause);
}
