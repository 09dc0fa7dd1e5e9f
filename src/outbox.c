/* The outbox: queue, list, send, export. */
#include "outbox.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ledger.h"
#include "mail.h"
#include "status.h"
#include "xalloc.h"
#include "xlsx.h"

/* <YYYYMMDD.RANDOM@DOMAIN>: unique without coordination between ledgers,
 * under the sender's domain when one is configured. */
static char *message_id_new(const struct config *cfg, day_t date)
{
	unsigned char r[12];
	size_t got = 0;
	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n > 0)
			got += (size_t)n;
		else if (errno != EINTR)
			break;
	}
	char *name = NULL, *address = NULL;
	const char *domain = "dun.invalid";
	if (cfg->mail_from && *cfg->mail_from && mail_address_parse(cfg->mail_from, &name, &address, NULL) == DUN_OK)
		domain = strchr(address, '@') + 1;
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	struct buf b = { 0 };
	buf_printf(&b, "<%04d%02d%02d.", y, m, d);
	for (size_t i = 0; i < sizeof r; i++)
		buf_printf(&b, "%02x", r[i]);
	buf_printf(&b, "@%s>", domain);
	free(name);
	free(address);
	return buf_take(&b);
}

int outbox_queue(struct store *s, const struct config *cfg, const struct outbox_new *m, int64_t *id, char **cause)
{
	char *message_id = message_id_new(cfg, m->date);
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO outbox (customer_id, date, channel, template, language, recipient, subject, body, message_id,"
	    " attach_statement) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, m->customer_id);
	store_bind_date(st, 2, m->date);
	store_bind_text(st, 3, m->channel);
	store_bind_text(st, 4, m->template_name);
	store_bind_text(st, 5, m->language);
	store_bind_text(st, 6, m->recipient ? m->recipient : "");
	store_bind_text(st, 7, m->subject);
	store_bind_text(st, 8, m->body);
	store_bind_text(st, 9, message_id);
	sqlite3_bind_int(st, 10, m->attach_statement);
	free(message_id);
	if (store_step_done(st) != SQLITE_DONE)
		return store_error(s, "queue a message", cause);
	if (id)
		*id = sqlite3_last_insert_rowid(store_db(s));
	return DUN_OK;
}

static const struct report_column list_columns[] = {
	{ "id", REPORT_NUMBER }, { "customer", REPORT_TEXT }, { "date", REPORT_DATE }, { "channel", REPORT_TEXT },
	{ "template", REPORT_TEXT }, { "recipient", REPORT_TEXT }, { "subject", REPORT_TEXT }, { "state", REPORT_TEXT },
	{ "attempts", REPORT_NUMBER }, { "error", REPORT_TEXT },
};

int outbox_list(struct store *s, FILE *out, enum report_format format, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT o.id, c.code, o.date, o.channel, o.template, o.recipient, o.subject, o.state, o.attempts, o.error"
	    " FROM outbox o JOIN customer c ON c.id = o.customer_id ORDER BY o.id");
	struct report *r = report_begin(out, format, list_columns, (int)(sizeof list_columns / sizeof list_columns[0]));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		report_int(r, sqlite3_column_int64(st, 0));
		report_text(r, store_column_text(st, 1));
		report_date(r, store_column_date(st, 2));
		for (int col = 3; col <= 7; col++)
			report_text(r, store_column_text(st, col));
		report_int(r, sqlite3_column_int64(st, 8));
		report_text(r, store_column_text(st, 9));
		report_row_end(r);
	}
	sqlite3_reset(st);
	int wrc = report_end(r);
	if (rc != SQLITE_DONE)
		return store_error(s, "list the outbox", cause);
	if (wrc != 0)
		return dun_fail(cause, DUN_EDATA, "cannot write the list: %s", strerror(errno));
	return DUN_OK;
}

/* One message as stored, with what composing it needs. */
struct stored {
	int64_t id, customer_id;
	char *code, *name, *address, *recipient, *subject, *body, *message_id, *channel, *template_name;
	day_t date;
	bool attach_statement;
};

static void stored_free(struct stored *m)
{
	free(m->code);
	free(m->name);
	free(m->address);
	free(m->recipient);
	free(m->subject);
	free(m->body);
	free(m->message_id);
	free(m->channel);
	free(m->template_name);
}

static const char sql_message[] =
    "SELECT o.id, o.customer_id, c.code, c.name, c.address, o.recipient, o.subject, o.body, o.message_id, o.channel,"
    " o.template, o.date, o.attach_statement FROM outbox o JOIN customer c ON c.id = o.customer_id"
    " WHERE CASE WHEN ?2 <> 0 THEN o.id = ?2 ELSE o.state IN ('queued', 'sending') AND (?1 = '' OR o.channel = ?1) END"
    " ORDER BY o.id";

/* The messages waiting (of one channel, or all with ""), or message id in
 * whatever state when id is not 0; read whole before any is sent, so no
 * statement stays open across the transport. */
static int stored_read(struct store *s, const char *channel, int64_t id, struct stored **out, int *n, char **cause)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, sql_message);
	store_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xreallocarray(*out, (size_t)*n + 1, sizeof **out);
		(*out)[(*n)++] = (struct stored){
			.id = sqlite3_column_int64(st, 0), .customer_id = sqlite3_column_int64(st, 1),
			.code = xstrdup(store_column_text(st, 2)), .name = xstrdup(store_column_text(st, 3)),
			.address = xstrdup(store_column_text(st, 4)), .recipient = xstrdup(store_column_text(st, 5)),
			.subject = xstrdup(store_column_text(st, 6)), .body = xstrdup(store_column_text(st, 7)),
			.message_id = xstrdup(store_column_text(st, 8)), .channel = xstrdup(store_column_text(st, 9)),
			.template_name = xstrdup(store_column_text(st, 10)), .date = store_column_date(st, 11),
			.attach_statement = sqlite3_column_int(st, 12) != 0,
		};
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read the outbox", cause);
	return DUN_OK;
}

static void stored_free_all(struct stored *v, int n)
{
	for (int i = 0; i < n; i++)
		stored_free(&v[i]);
	free(v);
}

/* The customer's statement as of the message's date, read into memory. */
static int statement_read(struct store *s, const struct config *cfg, const struct stored *m,
    void **data, size_t *size, char **cause)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/dun-statement-XXXXXX.xlsx", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 5);
	if (fd < 0) {
		int status = dun_fail(cause, DUN_EDATA, "%s: %s", path, strerror(errno));
		free(path);
		return status;
	}
	close(fd);
	int status = xlsx_statement_write(s, cfg, m->customer_id, m->date, path, cause);
	FILE *f = status == DUN_OK ? fopen(path, "rb") : NULL;
	if (status == DUN_OK && !f)
		status = dun_fail(cause, DUN_EDATA, "%s: %s", path, strerror(errno));
	if (f) {
		struct buf b = { 0 };
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&b, chunk, n);
		fclose(f);
		*size = b.len;
		*data = buf_take(&b);
	}
	unlink(path);
	free(path);
	return status;
}

/* Letters are printed and posted: the body is a page with both postal
 * addresses above the template's text. */
static char *letter_text(const struct config *cfg, const struct stored *m)
{
	char date[DATE_TEXT_MAX];
	struct buf b = { 0 };
	const char *sender[] = { cfg->company_name, cfg->company_address };
	bool any = false;
	for (size_t i = 0; i < 2; i++)
		if (sender[i] && *sender[i]) {
			buf_printf(&b, "%s\n", sender[i]);
			any = true;
		}
	if (any)
		buf_putc(&b, '\n');
	buf_printf(&b, "%s\n", m->name);
	if (*m->address)
		buf_printf(&b, "%s\n", m->address);
	buf_printf(&b, "\n%s\n\n%s\n\n%s", date_format_iso(m->date, date), m->subject, m->body);
	return buf_take(&b);
}

/* The message as it goes out or is exported: an e-mail, or a letter as a
 * message of its own (see mail_message.letter) that needs no e-mail
 * address, nor a sender when none is configured (one under the reserved
 * .invalid domain then, as for Message-IDs). */
static int compose(struct store *s, const struct config *cfg, const struct stored *m, char **out, size_t *len,
    char **cause)
{
	bool letter = strcmp(m->channel, "letter") == 0;
	bool sender = cfg->mail_from && *cfg->mail_from;
	if (!sender && !letter)
		return dun_fail(cause, DUN_EDATA, "no sender: set [mail] from in the configuration");
	void *data = NULL;
	size_t size = 0;
	struct mail_attachment attachment = { 0 };
	if (m->attach_statement) {
		int status = statement_read(s, cfg, m, &data, &size, cause);
		if (status != DUN_OK)
			return status;
		char *file = xlsx_file_name(m->code, m->customer_id);
		attachment = (struct mail_attachment){
			.file_name = file, .data = data, .size = size,
			.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		};
	}
	char *from = sender ? xstrdup(cfg->mail_from) : xasprintf("%s <letters@dun.invalid>",
	    cfg->company_name && *cfg->company_name ? cfg->company_name : "dun");
	char *body = letter ? letter_text(cfg, m) : NULL;
	struct mail_message msg = {
		.from = from, .to_name = m->name, .to_address = m->recipient, .subject = m->subject,
		.body = letter ? body : m->body, .message_id = m->message_id, .date = m->date,
		.attachment = m->attach_statement ? &attachment : NULL, .letter = letter,
	};
	int status = mail_compose(&msg, out, len, cause);
	free(body);
	free(from);
	free((char *)attachment.file_name);
	free(data);
	return status;
}

static int state_set(struct store *s, int64_t id, const char *sql, const char *error, char **cause)
{
	int status = store_begin(s, cause);
	if (status != DUN_OK)
		return status;
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_int64(st, 1, id);
	if (error)
		store_bind_text(st, 2, error);
	if (store_step_done(st) != SQLITE_DONE) {
		status = store_error(s, "update the outbox", cause);
		store_rollback(s);
		return status;
	}
	return store_commit(s, cause);
}

/* Sent: the state and the activity in one transaction. */
static int mark_sent(struct store *s, const struct stored *m, day_t today, char **cause)
{
	int status = store_begin(s, cause);
	if (status != DUN_OK)
		return status;
	time_t now = time(NULL);
	struct tm tm;
	char at[32];
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	sqlite3_stmt *st = store_stmt(s, "UPDATE outbox SET state = 'sent', sent_at = ?2, error = '' WHERE id = ?1");
	sqlite3_bind_int64(st, 1, m->id);
	store_bind_text(st, 2, at);
	if (store_step_done(st) != SQLITE_DONE)
		goto fail;
	int64_t *ids = NULL;
	int n = 0;
	st = store_stmt(s, "SELECT invoice_id FROM dunning_log WHERE outbox_id = ?1 ORDER BY invoice_id");
	sqlite3_bind_int64(st, 1, m->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, (size_t)n + 1, sizeof *ids);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	char *text = xasprintf("%s sent to %s: %s", m->template_name, m->recipient, m->subject);
	struct ledger_activity a = {
		.customer_id = m->customer_id, .date = today, .kind = "sent", .who = ledger_user(), .text = text,
		.outcome = m->message_id, .invoice_ids = ids, .ninvoices = n,
	};
	status = ledger_activity_add(s, &a, NULL, cause);
	free(text);
	free(ids);
	if (status != DUN_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, cause);
fail:
	status = store_error(s, "update the outbox", cause);
	store_rollback(s);
	return status;
}

int outbox_send(struct store *s, const struct config *cfg, day_t today, FILE *out, int *failed, char **cause)
{
	*failed = 0;
	struct stored *v;
	int n;
	int status = stored_read(s, "email", 0, &v, &n, cause);
	if (status != DUN_OK)
		return status;
	char *from_name = NULL, *from_address = NULL;
	char *from_error = NULL;
	mail_address_parse(cfg->mail_from ? cfg->mail_from : "", &from_name, &from_address, &from_error);
	for (int i = 0; i < n && status == DUN_OK; i++) {
		const struct stored *m = &v[i];
		/* Claimed in its own transaction before the transport is called. */
		status = state_set(s, m->id,
		    "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?1", NULL, cause);
		if (status != DUN_OK)
			break;
		char *message = NULL, *error = NULL;
		size_t len;
		if (from_error && cfg->mail_from && *cfg->mail_from)
			error = xasprintf("[mail] from: %s", from_error);
		else if (compose(s, cfg, m, &message, &len, &error) == DUN_OK)
			mail_send(cfg->mail_transport, from_address, m->recipient, message, len, &error);
		if (error) {
			fprintf(out, "failed %lld %s: %s\n", (long long)m->id, m->code, error);
			status = state_set(s, m->id, "UPDATE outbox SET state = 'queued', error = ?2 WHERE id = ?1", error, cause);
			(*failed)++;
		} else {
			status = mark_sent(s, m, today, cause);
			if (status == DUN_OK)
				fprintf(out, "sent %lld %s %s\n", (long long)m->id, m->code, m->recipient);
		}
		free(error);
		free(message);
	}
	free(from_name);
	free(from_address);
	free(from_error);
	stored_free_all(v, n);
	return status;
}

/* NNNNNN-CODE-TEMPLATE.eml: a code keeps only [A-Za-z0-9_-] (others
 * become '_'); the id prefix keeps names distinct and no name can leave
 * the folder or be hidden. */
static char *export_name(const struct stored *m)
{
	struct buf b = { 0 };
	buf_printf(&b, "%06lld-", (long long)m->id);
	for (const char *p = m->code; *p && p - m->code < 64; p++)
		buf_putc(&b, (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ? *p : '_');
	buf_putc(&b, '-');
	for (const char *p = m->template_name; *p; p++)
		buf_putc(&b, (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ? *p : '_');
	buf_puts(&b, ".eml");
	return buf_take(&b);
}

static int file_write_whole(const char *dir, const char *name, const char *data, size_t len, char **cause)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	int status = DUN_OK;
	int fd = mkstemp(tmp);
	if (fd < 0)
		status = dun_fail(cause, DUN_EDATA, "%s: %s", tmp, strerror(errno));
	else {
		size_t done = 0;
		while (done < len) {
			ssize_t w = write(fd, data + done, len - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			done += (size_t)w;
		}
		if (done < len || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
			status = dun_fail(cause, DUN_EDATA, "%s: %s", path, strerror(errno));
			unlink(tmp);
		}
	}
	free(tmp);
	free(path);
	return status;
}

/* A message as a file holds it: the MIME message, of a letter too. A
 * message that cannot be composed (a bad address) is DUN_EDATA naming it;
 * a ledger error keeps its own status. */
static int render(struct store *s, const struct config *cfg, const struct stored *m, char **data, size_t *len,
    char **cause)
{
	char *error = NULL;
	int status = compose(s, cfg, m, data, len, &error);
	if (error) {
		status = dun_fail(cause, status, "message %lld (%s): %s", (long long)m->id, m->code, error);
		free(error);
	}
	return status;
}

int outbox_export(struct store *s, const struct config *cfg, const char *dir, FILE *err, int *count, int *failed,
    char **cause)
{
	*count = *failed = 0;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return dun_fail(cause, DUN_EDATA, "%s: %s", dir, strerror(errno));
	struct stored *v;
	int n;
	int status = stored_read(s, "", 0, &v, &n, cause);
	for (int i = 0; i < n && status == DUN_OK; i++) {
		char *data = NULL;
		size_t len = 0;
		status = render(s, cfg, &v[i], &data, &len, cause);
		if (status == DUN_EDATA) {
			/* one customer's bad address must not keep the others' letters back */
			fprintf(err, "dun: %s\n", *cause);
			free(*cause);
			*cause = NULL;
			(*failed)++;
			status = DUN_OK;
		} else if (status == DUN_OK) {
			char *name = export_name(&v[i]);
			status = file_write_whole(dir, name, data, len, cause);
			free(name);
			if (status == DUN_OK)
				(*count)++;
		}
		free(data);
	}
	stored_free_all(v, n);
	return status;
}

int outbox_show(struct store *s, const struct config *cfg, int64_t id, FILE *out, char **cause)
{
	struct stored *v;
	int n;
	int status = stored_read(s, "", id, &v, &n, cause);
	if (status == DUN_OK && n == 0)
		status = dun_fail(cause, DUN_EDATA, "message %lld: no such message", (long long)id);
	if (status == DUN_OK) {
		char *data = NULL;
		size_t len;
		status = render(s, cfg, &v[0], &data, &len, cause);
		if (status == DUN_OK)
			fwrite(data, 1, len, out);
		free(data);
	}
	stored_free_all(v, n);
	return status;
}

int outbox_hold(struct store *s, int64_t id, bool hold, char **cause)
{
	int status = store_begin(s, cause);
	if (status != DUN_OK)
		return status;
	sqlite3_stmt *st = store_stmt(s,
	    "UPDATE outbox SET state = CASE WHEN ?2 THEN 'held' ELSE 'queued' END"
	    " WHERE id = ?1 AND state = CASE WHEN ?2 THEN 'queued' ELSE 'held' END");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, hold);
	if (store_step_done(st) != SQLITE_DONE) {
		status = store_error(s, "update the outbox", cause);
		store_rollback(s);
		return status;
	}
	if (sqlite3_changes(store_db(s)) == 0) {
		store_rollback(s);
		return dun_fail(cause, DUN_EDATA, "message %lld: no such %s message", (long long)id, hold ? "queued" : "held");
	}
	return store_commit(s, cause);
}
