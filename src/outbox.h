/* The outbox: e-mails and letters queued by dunning runs, kept in the
 * ledger with their state, sent through the configured transport or
 * exported as files.
 *
 * States: queued -> sending -> sent. A message is marked sending (and its
 * attempt counted) in its own transaction before the transport is called,
 * and sent in another after. A failure puts it back to queued with the
 * error. A process killed mid-send leaves it sending; the next send
 * retries it with the same Message-ID. So delivery is at least once: a
 * crash between the server's acceptance and our commit sends it again,
 * with a Message-ID the receiving side can use to drop the duplicate;
 * at most once would lose a formal notice silently, which is worse. A
 * message never goes twice once marked sent. 'held' messages wait. */
#ifndef DUN_OUTBOX_H
#define DUN_OUTBOX_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "config.h"
#include "date.h"
#include "report.h"
#include "store.h"

struct outbox_new {
	int64_t customer_id;
	day_t date;                  /* the as-of date the message speaks of */
	const char *channel;         /* "email" or "letter" */
	const char *template_name, *language;
	const char *recipient;       /* e-mail address, may be "" */
	const char *subject, *body;
	bool attach_statement;
};

/* Adds a queued message with a new Message-ID, inside the caller's
 * transaction. *id (if not NULL) gets its id. */
int outbox_queue(struct store *s, const struct config *cfg, const struct outbox_new *m, int64_t *id, char **cause);

/* Prints the messages (id,customer,date,channel,template,recipient,subject,
 * state,attempts,error) by id, through report.h. */
int outbox_list(struct store *s, FILE *out, enum report_format format, char **cause);

/* Sends every queued or sending e-mail through cfg->mail_transport; one
 * line per message on out ("sent 12 to a@b" / "failed 12: why"). *failed
 * gets the number of failures. today dates the activities. */
int outbox_send(struct store *s, const struct config *cfg, day_t today, FILE *out, int *failed, char **cause);

/* Writes each queued message to dir as NNNNNN-CODE-TEMPLATE.eml, the MIME
 * message: a letter too, marked "X-Dun-Channel: letter" for whoever prints
 * it, its body the page with both postal addresses (send leaves letters
 * queued). Each file is written whole under a temporary name, then
 * renamed. A message that cannot be composed (a bad address) is named on
 * err and counted in *failed; the others are still written. */
int outbox_export(struct store *s, const struct config *cfg, const char *dir, FILE *err, int *count, int *failed,
    char **cause);
/* Writes message id as export would (the MIME message) to out, whatever
 * its state: the preview. */
int outbox_show(struct store *s, const struct config *cfg, int64_t id, FILE *out, char **cause);

/* Holds a queued message (send and export leave it) or releases a held
 * one; anything else is DUN_EDATA. */
int outbox_hold(struct store *s, int64_t id, bool hold, char **cause);
#endif
