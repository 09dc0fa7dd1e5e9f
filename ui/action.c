/* The one-key actions. Calls, notes, allocations and edits go through the
 * core's write functions in one transaction each; promises and disputes
 * run the CLI's `log` command (the same code a script runs), so that the
 * rules about them live in one place. */
#include "action.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "command.h"
#include "customer.h"
#include "form.h"
#include "ledger.h"
#include "money.h"
#include "status.h"
#include "terms.h"
#include "xalloc.h"

/* What a form acts on; freed with the form. */
struct target {
	struct ui *ui;
	int64_t customer_id;
	int64_t invoice_id;
	int64_t version;        /* edit: the customer's version when read */
	char code[64];
	char currency[4];
	int exponent;
	bool resolve;           /* dispute: resolving an open one */
};

/* The words the demo's history uses too, so one history reads one way. */
static const char *const call_outcomes[] = {
	"reached", "no answer", "voicemail", "promise", "payment announced", "call back", "copy requested",
	"refused", "wrong number", NULL,
};
static const char *const dispute_reasons[] = {"billing", "delivery", "quality", "pricing", "other", NULL};

/* The customer in view, or a message saying to pick one. */
static struct target *target_new(struct ui *ui)
{
	static const char *const sql = "SELECT code, currency FROM customer WHERE id = ?1";
	int64_t id = ui_customer(ui);
	if (id == 0 || ui->store == NULL) {
		ui_message(ui, true, "select a customer first");
		return NULL;
	}
	struct target *t = xcalloc(1, sizeof *t);
	t->ui = ui;
	t->customer_id = id;
	t->invoice_id = ui_invoice(ui);
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(t->code, sizeof t->code, "%s", store_column_text(st, 0));
		snprintf(t->currency, sizeof t->currency, "%s", store_column_text(st, 1));
	}
	sqlite3_reset(st);
	t->exponent = money_exponent(t->currency);
	if (t->exponent < 0)
		t->exponent = 2;
	return t;
}

/* After a write: views re-read, the customer's score is recomputed. */
void action_undo_forget(struct ui *ui)
{
	if (ui->undo.kind == UNDO_EDIT)
		customer_edit_free(&ui->undo.before);
	ui->undo.kind = UNDO_NONE;
}

/* Every action ends here; one that can be undone says so after. */
static void done(struct ui *ui, const struct target *t, const char *what)
{
	action_undo_forget(ui);
	ui_changed(ui);
	ui_rescore(ui, t->customer_id);
	ui_message(ui, false, "%s for %s", what, t->code);
}

/* A form on t titled from fmt; the title is the only thing that differs
 * between the actions' openers before their fields. */
static struct form *target_form(struct target *t, int (*submit)(struct ui *, struct form *), const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static struct form *target_form(struct target *t, int (*submit)(struct ui *, struct form *), const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *title = xvasprintf(fmt, ap);
	va_end(ap);
	struct form *f = form_new(title, submit, t);
	free(title);
	return f;
}

/* A failed write: its cause (or "not saved") stays in the form. */
static int form_fail(struct form *f, int rc, char *cause)
{
	snprintf(f->why, sizeof f->why, "%s", cause ? cause : "not saved");
	free(cause);
	return rc;
}

/* Writes one activity in its own transaction. */
static int add_activity(struct ui *ui, struct form *f, const struct ledger_activity *a)
{
	char *cause = NULL;
	int rc = store_begin(ui->store, &cause);
	if (rc == DUN_OK && (rc = ledger_activity_add(ui->store, a, NULL, &cause)) == DUN_OK)
		rc = store_commit(ui->store, &cause);
	else
		store_rollback(ui->store);
	if (rc != DUN_OK)
		return form_fail(f, rc, cause);
	free(cause);
	return rc;
}

/* Writes a call or a note on the form's target, the call linked to the
 * selected invoice; done() says so. */
static int submit_target_activity(struct ui *ui, struct form *f, const char *kind, const char *outcome,
    const char *text, bool link_invoice, const char *message)
{
	struct target *t = f->data;
	link_invoice = link_invoice && t->invoice_id != 0;
	struct ledger_activity a = {
		.customer_id = t->customer_id,
		.date = ui->ctx->today,
		.kind = kind,
		.who = ledger_user(),
		.outcome = outcome,
		.text = text,
		.invoice_ids = link_invoice ? &t->invoice_id : NULL,
		.ninvoices = link_invoice ? 1 : 0,
	};
	int rc = add_activity(ui, f, &a);
	if (rc == DUN_OK)
		done(ui, t, message);
	return rc;
}

static int submit_call(struct ui *ui, struct form *f)
{
	return submit_target_activity(ui, f, "call", form_value(f, 0), form_value(f, 1), true, "call logged");
}

int action_call(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct target *t = target_new(ui);
	if (t == NULL)
		return DUN_EUSAGE;
	struct form *f = target_form(t, submit_call, "Call %s", t->code);
	form_add(f, "outcome", NULL, NULL, call_outcomes);
	form_add(f, "note", "", NULL, NULL);
	form_open(ui, f);
	return DUN_OK;
}

static int submit_note(struct ui *ui, struct form *f)
{
	return submit_target_activity(ui, f, "note", NULL, form_value(f, 0), false, "note added");
}

int action_note(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct target *t = target_new(ui);
	if (t == NULL)
		return DUN_EUSAGE;
	struct form *f = target_form(t, submit_note, "Note on %s", t->code);
	form_add(f, "note", "", form_check_required, NULL);
	form_open(ui, f);
	return DUN_OK;
}

/* Runs `log CODE ...` and keeps its message in the form on failure. */
static int run_log(struct ui *ui, struct form *f, int argc, char **argv)
{
	if (cmd_find("log") == NULL) {
		snprintf(f->why, sizeof f->why, "this dun has no `log` command yet");
		return DUN_EUSAGE;
	}
	char *output = NULL;
	int rc = ui_dispatch(ui, argc, argv, &output);
	if (rc != DUN_OK) {
		const char *msg = strncmp(output, "dun: ", 5) == 0 ? output + 5 : output;
		snprintf(f->why, sizeof f->why, "%s", *msg ? msg : "not saved");
		char *nl = strchr(f->why, '\n');
		if (nl != NULL)
			*nl = '\0';
	}
	free(output);
	return rc;
}

static const char *check_money(struct form *f, int field, const char *text)
{
	(void)field;
	struct target *t = f->data;
	money_t amount;
	const char *why;
	if (!money_parse(text, t->exponent, MONEY_MARK_AUTO, &amount, &why))
		return why;
	if (amount <= 0)
		return "must be more than zero";
	return NULL;
}

static const char *check_future_date(struct form *f, int field, const char *text)
{
	struct target *t = f->data;
	day_t d;
	const char *why = form_check_date(f, field, text);
	if (why != NULL)
		return why;
	date_parse_iso(text, &d);
	return d < t->ui->ctx->today ? "a promise cannot be in the past" : NULL;
}

/* Open invoices of the customer, by number (space-separated). */
static const char *check_invoices(struct form *f, int field, const char *text)
{
	static const char *const sql =
	    "SELECT customer_id, open_amount FROM invoice WHERE number = ?1 AND kind = 'invoice'";
	(void)field;
	struct target *t = f->data;
	char *copy = xstrdup(text), *save = NULL;
	const char *why = NULL;
	for (char *w = strtok_r(copy, " ,;", &save); w != NULL && why == NULL; w = strtok_r(NULL, " ,;", &save)) {
		sqlite3_stmt *st = store_stmt(t->ui->store, sql);
		store_bind_text(st, 1, w);
		if (sqlite3_step(st) != SQLITE_ROW)
			snprintf(f->check_why, sizeof f->check_why, "no invoice %s", w);
		else if (sqlite3_column_int64(st, 0) != t->customer_id)
			snprintf(f->check_why, sizeof f->check_why, "invoice %s is another customer's", w);
		else if (sqlite3_column_int64(st, 1) == 0)
			snprintf(f->check_why, sizeof f->check_why, "invoice %s is paid", w);
		else
			f->check_why[0] = '\0';
		sqlite3_reset(st);
		if (f->check_why[0])
			why = f->check_why;
	}
	free(copy);
	return why;
}

static const char *check_one_invoice(struct form *f, int field, const char *text)
{
	if (strchr(text, ' ') != NULL || *text == '\0')
		return "one invoice number";
	return check_invoices(f, field, text);
}

/* The customer's overdue invoices (at most eight) as the default cover. */
static char *overdue_numbers(struct ui *ui, const struct target *t, money_t *total)
{
	static const char *const sql =
	    "SELECT number, open_amount FROM invoice WHERE customer_id = ?1 AND open_amount <> 0 AND kind = 'invoice' "
	    "AND due_date < ?2 AND currency = ?3 ORDER BY due_date, number";
	struct buf b = {0};
	int n = 0;
	*total = 0;
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, t->customer_id);
	store_bind_date(st, 2, ui->ctx->today);
	store_bind_text(st, 3, t->currency);
	while (sqlite3_step(st) == SQLITE_ROW) {
		*total += sqlite3_column_int64(st, 1);
		if (n++ < 8)
			buf_printf(&b, "%s%s", b.len ? " " : "", store_column_text(st, 0));
	}
	sqlite3_reset(st);
	return b.len ? buf_take(&b) : xstrdup("");
}

static char *invoice_number(struct ui *ui, int64_t invoice_id)
{
	static const char *const sql = "SELECT number FROM invoice WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, invoice_id);
	char *n = xstrdup(sqlite3_step(st) == SQLITE_ROW ? store_column_text(st, 0) : "");
	sqlite3_reset(st);
	return n;
}

static int submit_promise(struct ui *ui, struct form *f)
{
	struct target *t = f->data;
	char *argv[32] = {"log", t->code, "--promise", (char *)form_value(f, 0), (char *)form_value(f, 1)};
	int argc = 5;
	char *copy = xstrdup(form_value(f, 2)), *save = NULL;
	for (char *w = strtok_r(copy, " ,;", &save); w != NULL && argc < 31; w = strtok_r(NULL, " ,;", &save))
		argv[argc++] = w;
	int rc = run_log(ui, f, argc, argv);
	free(copy);
	if (rc == DUN_OK)
		done(ui, t, "promise recorded");
	return rc;
}

int action_promise(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct target *t = target_new(ui);
	if (t == NULL)
		return DUN_EUSAGE;
	money_t total;
	char *numbers = overdue_numbers(ui, t, &total), date[DATE_TEXT_MAX], amount[MONEY_TEXT_MAX];
	struct form *f = target_form(t, submit_promise, "Promise to pay from %s (%s)", t->code, t->currency);
	form_add(f, "date", date_format_iso(ui->ctx->today + 7, date), check_future_date, NULL);
	form_add(f, "amount", total > 0 ? money_format(total, t->exponent, amount) : "", check_money, NULL);
	form_add(f, "invoices", numbers, check_invoices, NULL);
	free(numbers);
	form_open(ui, f);
	return DUN_OK;
}

static int submit_dispute(struct ui *ui, struct form *f)
{
	struct target *t = f->data;
	int rc;
	if (t->resolve) {
		char *argv[] = {"log", t->code, "--resolve", (char *)form_value(f, 0), (char *)form_value(f, 1), NULL};
		rc = run_log(ui, f, 5, argv);
	} else {
		char *argv[] = {"log", t->code, "--dispute", (char *)form_value(f, 0), (char *)form_value(f, 1),
		    "--owner", (char *)form_value(f, 2), NULL};
		rc = run_log(ui, f, 7, argv);
	}
	if (rc == DUN_OK)
		done(ui, t, t->resolve ? "dispute resolved" : "dispute opened");
	return rc;
}

int action_dispute(struct ui *ui, int argc, char **argv)
{
	static const char *const sql = "SELECT 1 FROM dispute WHERE invoice_id = ?1 AND resolved IS NULL";
	(void)argc;
	(void)argv;
	struct target *t = target_new(ui);
	if (t == NULL)
		return DUN_EUSAGE;
	if (t->invoice_id != 0) {
		sqlite3_stmt *st = store_stmt(ui->store, sql);
		sqlite3_bind_int64(st, 1, t->invoice_id);
		t->resolve = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
	}
	char *number = t->invoice_id ? invoice_number(ui, t->invoice_id) : xstrdup("");
	struct form *f = target_form(t, submit_dispute, t->resolve ? "Resolve the dispute on %s" : "Open a dispute for %s",
	    t->resolve ? number : t->code);
	form_add(f, "invoice", number, check_one_invoice, NULL);
	if (t->resolve) {
		form_add(f, "resolution", "", form_check_required, NULL);
	} else {
		form_add(f, "reason", NULL, NULL, dispute_reasons);
		form_add(f, "owner", ledger_user(), form_check_required, NULL);
	}
	free(number);
	form_open(ui, f);
	return DUN_OK;
}

/* ---- allocate: an unapplied payment to an invoice ---- */

static const char *check_payment(struct form *f, int field, const char *text)
{
	static const char *const sql =
	    "SELECT unapplied, customer_id FROM payment WHERE reference = ?1 AND unapplied > 0 ORDER BY date, id";
	(void)field;
	struct target *t = f->data;
	sqlite3_stmt *st = store_stmt(t->ui->store, sql);
	store_bind_text(st, 1, text);
	const char *why = "no unapplied payment with this reference";
	while (sqlite3_step(st) == SQLITE_ROW) {
		why = NULL;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL && sqlite3_column_int64(st, 1) != t->customer_id)
			why = "that payment is another customer's";
		else
			break;
	}
	sqlite3_reset(st);
	return why;
}

static int64_t payment_id(struct ui *ui, const struct target *t, const char *reference)
{
	static const char *const sql =
	    "SELECT id FROM payment WHERE reference = ?1 AND unapplied > 0 AND (customer_id IS NULL OR customer_id = ?2) "
	    "ORDER BY date, id LIMIT 1";
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	store_bind_text(st, 1, reference);
	sqlite3_bind_int64(st, 2, t->customer_id);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

static int submit_allocate(struct ui *ui, struct form *f)
{
	struct target *t = f->data;
	char *cause = NULL;
	money_t amount;
	const char *why;
	money_parse(form_value(f, 2), t->exponent, MONEY_MARK_AUTO, &amount, &why);
	int64_t pid = payment_id(ui, t, form_value(f, 0)), iid = ledger_invoice_id(ui->store, form_value(f, 1)), aid = 0;
	int rc = store_begin(ui->store, &cause);
	if (rc == DUN_OK && (rc = ledger_allocate_payment(ui->store, pid, iid, amount, LEDGER_MANUAL, &aid, &cause)) == DUN_OK)
		rc = store_commit(ui->store, &cause);
	else
		store_rollback(ui->store);
	if (rc != DUN_OK)
		return form_fail(f, rc, cause);
	done(ui, t, "payment allocated (u undoes it)");
	ui->undo.kind = UNDO_ALLOCATION;
	ui->undo.allocation = aid;
	return DUN_OK;
}

int action_allocate(struct ui *ui, int argc, char **argv)
{
	static const char *const sql =
	    "SELECT reference, unapplied FROM payment WHERE unapplied > 0 AND currency = ?2 AND (customer_id = ?1 "
	    "OR customer_id IS NULL) ORDER BY customer_id IS NULL, date, id LIMIT 1";
	static const char *const sql_open = "SELECT open_amount FROM invoice WHERE id = ?1";
	(void)argc;
	(void)argv;
	struct target *t = target_new(ui);
	if (t == NULL)
		return DUN_EUSAGE;
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, t->customer_id);
	store_bind_text(st, 2, t->currency);
	char *reference = NULL;
	money_t unapplied = 0, open = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		reference = xstrdup(store_column_text(st, 0));
		unapplied = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	st = store_stmt(ui->store, sql_open);
	sqlite3_bind_int64(st, 1, t->invoice_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		open = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	char amount[MONEY_TEXT_MAX], *number = t->invoice_id ? invoice_number(ui, t->invoice_id) : xstrdup("");
	money_t proposed = unapplied < open ? unapplied : open;
	struct form *f = target_form(t, submit_allocate, "Allocate a payment to %s", t->code);
	form_add(f, "payment", reference ? reference : "", check_payment, NULL);
	form_add(f, "invoice", number, check_one_invoice, NULL);
	form_add(f, "amount", proposed > 0 ? money_format(proposed, t->exponent, amount) : "", check_money, NULL);
	free(reference);
	free(number);
	form_open(ui, f);
	return DUN_OK;
}

/* ---- edit the customer, refused when someone else changed it first ---- */

enum { EDIT_EMAIL, EDIT_PHONE, EDIT_COLLECTOR, EDIT_SEGMENT, EDIT_LIMIT, EDIT_TERMS, EDIT_HOLD };

/* "on hold": collection paused (no dunning, off the call list). */
static const char *const hold_choices[] = {"no", "yes", NULL};

static const char *check_terms(struct form *f, int field, const char *text)
{
	(void)f;
	(void)field;
	struct terms terms;
	const char *why;
	return terms_parse(text, &terms, &why) ? NULL : why;
}

static const char *check_limit(struct form *f, int field, const char *text)
{
	(void)field;
	struct target *t = f->data;
	money_t amount;
	const char *why;
	if (!money_parse(text, t->exponent, MONEY_MARK_AUTO, &amount, &why))
		return why;
	return amount < 0 ? "must not be negative" : NULL;
}

static int submit_edit(struct ui *ui, struct form *f)
{
	struct target *t = f->data;
	const char *why;
	struct customer_edit e = {
		.customer_id = t->customer_id,
		.version = t->version,
		.email = form_value(f, EDIT_EMAIL),
		.phone = form_value(f, EDIT_PHONE),
		.collector = form_value(f, EDIT_COLLECTOR),
		.segment = form_value(f, EDIT_SEGMENT),
		.terms = form_value(f, EDIT_TERMS),
		.on_hold = strcmp(form_value(f, EDIT_HOLD), "yes") == 0,
		.today = ui->ctx->today,
		.who = ledger_user(),
	};
	money_parse(form_value(f, EDIT_LIMIT), t->exponent, MONEY_MARK_AUTO, &e.credit_limit, &why);
	char *cause = NULL;
	struct customer_edit before;
	int rc = customer_edit_load(ui->store, t->customer_id, &before, &cause);
	if (rc == DUN_OK && (rc = customer_update(ui->store, &e, &cause)) != DUN_OK)
		customer_edit_free(&before);
	if (rc != DUN_OK)
		return form_fail(f, rc, cause);
	done(ui, t, "customer saved (u undoes it)");
	before.version = t->version + 1;
	ui->undo.kind = UNDO_EDIT;
	ui->undo.before = before;
	return DUN_OK;
}

int action_edit(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct target *t = target_new(ui);
	if (t == NULL)
		return DUN_EUSAGE;
	struct customer_edit e;
	char *cause = NULL;
	if (customer_edit_load(ui->store, t->customer_id, &e, &cause) != DUN_OK) {
		ui_message(ui, true, "%s", cause);
		free(cause);
		free(t);
		return DUN_EDATA;
	}
	t->version = e.version;
	char limit[MONEY_TEXT_MAX];
	struct form *f = target_form(t, submit_edit, "Edit %s", t->code);
	form_add(f, "e-mail", e.email, NULL, NULL);
	form_add(f, "phone", e.phone, NULL, NULL);
	form_add(f, "collector", e.collector, NULL, NULL);
	form_add(f, "segment", e.segment, NULL, NULL);
	form_add(f, "credit limit", money_format(e.credit_limit, t->exponent, limit), check_limit, NULL);
	form_add(f, "terms", e.terms, check_terms, NULL);
	form_add(f, "on hold", hold_choices[e.on_hold], NULL, hold_choices);
	customer_edit_free(&e);
	form_open(ui, f);
	return DUN_OK;
}

/* ---- undo and statement ---- */

int action_undo(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char *cause = NULL;
	int rc = DUN_OK;
	switch (ui->undo.kind) {
	case UNDO_NONE:
		ui_message(ui, true, "nothing to undo: the last allocation or customer edit made here can be undone "
		    "(calls, notes, promises and disputes stay in the history)");
		return DUN_EUSAGE;
	case UNDO_ALLOCATION:
		rc = store_begin(ui->store, &cause);
		if (rc == DUN_OK && (rc = ledger_unallocate(ui->store, ui->undo.allocation, ledger_user(), ui->ctx->today,
		    &cause)) == DUN_OK)
			rc = store_commit(ui->store, &cause);
		else
			store_rollback(ui->store);
		break;
	case UNDO_EDIT:
		/* the edit's own activity stays; the undo is one more edit */
		ui->undo.before.today = ui->ctx->today;
		ui->undo.before.who = ledger_user();
		rc = customer_update(ui->store, &ui->undo.before, &cause);
		if (rc == DUN_OK)
			ui_rescore(ui, ui->undo.before.customer_id); /* the limit may have changed back */
		break;
	}
	if (rc != DUN_OK) {
		ui_message(ui, true, "undo: %s", cause ? cause : "failed");
		free(cause);
		return rc;
	}
	const char *what = ui->undo.kind == UNDO_EDIT ? "customer edit undone" : "allocation undone";
	action_undo_forget(ui);
	ui_changed(ui);
	ui_message(ui, false, "%s", what);
	return DUN_OK;
}

int action_statement(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct target *t = target_new(ui);
	if (t == NULL)
		return DUN_EUSAGE;
	char *words[] = {"statement", t->code, NULL}, *output = NULL;
	int rc = ui_dispatch(ui, 2, words, &output);
	output[strcspn(output, "\n")] = '\0';
	/* the command prints the file's name, relative to where dun started:
	 * say where it is and what it holds */
	char *where = rc == DUN_OK ? realpath(output, NULL) : NULL;
	if (rc == DUN_OK)
		ui_message(ui, false, "statement of %s written to %s", t->code, where ? where : output);
	else
		ui_message(ui, true, "%s", *output ? output : "statement: failed");
	free(where);
	free(output);
	free(t);
	return DUN_OK;
}
