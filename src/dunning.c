/* The dunning run: one pass over the open invoices, grouped by customer. */
#include "dunning.h"
#include <stdlib.h>
#include <string.h>
#include "ledger.h"
#include "outbox.h"
#include "status.h"
#include "template.h"
#include "xalloc.h"

/* Every open invoice issued by ?1, customer by customer in code order,
 * with what pauses it at ?1 (?2 is "+N days", the promise grace). */
static const char sql_open_invoices[] =
    "SELECT c.id, c.code, c.name, c.segment, c.scenario, c.language, c.email, c.currency,"
    " c.dunning_snooze_until >= ?1,"
    " (SELECT max(l.date) FROM dunning_log l WHERE l.customer_id = c.id),"
    " i.id, i.number, i.issue_date, i.due_date, i.currency, i.amount, i.open_amount, i.dunning_step,"
    " EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.opened <= ?1"
    "   AND (d.resolved IS NULL OR d.resolved > ?1)),"
    " EXISTS (SELECT 1 FROM promise_invoice pi JOIN promise p ON p.id = pi.promise_id"
    "   WHERE pi.invoice_id = i.id AND p.made_date <= ?1 AND date(p.promised_date, ?2) >= ?1"
    "   AND (p.settled_date IS NULL OR p.settled_date > ?1))"
    " FROM customer c JOIN invoice i ON i.customer_id = c.id"
    " WHERE i.kind = 'invoice' AND i.open_amount > 0 AND i.issue_date <= ?1 AND (?3 = 0 OR c.id = ?3)"
    " ORDER BY c.code, i.number";

enum {
	COL_CUSTOMER_ID, COL_CODE, COL_NAME, COL_SEGMENT, COL_SCENARIO, COL_LANGUAGE, COL_EMAIL, COL_CUSTOMER_CURRENCY,
	COL_SNOOZED, COL_LAST_STEP, COL_INVOICE_ID, COL_NUMBER, COL_ISSUE, COL_DUE, COL_CURRENCY, COL_AMOUNT, COL_OPEN,
	COL_STEP, COL_DISPUTED, COL_PROMISED,
};

static void copy_currency(char dst[4], const char *src)
{
	snprintf(dst, 4, "%s", src);
}

/* The step an invoice is due for, or NULL. */
static const struct scenario_step *next_step(const struct scenario *sc, int taken, day_t due, money_t open,
    const char *currency, day_t as_of)
{
	int pos = taken < 0 ? 0 : taken;
	/* A preventive step is for before the due date only. */
	while (pos < sc->nsteps && sc->steps[pos].offset < 0 && as_of > due)
		pos++;
	if (pos >= sc->nsteps)
		return NULL;
	const struct scenario_step *step = &sc->steps[pos];
	if (due + step->offset > as_of)
		return NULL;
	int exponent = money_exponent(currency);
	money_t min;
	const char *why;
	/* The minimum was checked at load with three decimals: a value with
	 * more decimals than this currency has never matches. */
	if (exponent < 0 || !money_parse(step->min_amount, exponent, MONEY_MARK_DOT, &min, &why))
		return NULL;
	return open >= min ? step : NULL;
}

struct customer_acc {
	bool have;
	int64_t id;
	char *code, *name, *email, *language;
	char currency[4];
	const struct scenario *scenario;
	bool blocked;        /* snoozed, or min gap not reached */
	money_t overdue;
	int first_row;
	const struct scenario_step *best;
};

static void customer_end(struct dunning_plan *plan, struct customer_acc *c)
{
	if (!c->have)
		return;
	if (c->best && plan->nrows > c->first_row) {
		plan->actions = xreallocarray(plan->actions, (size_t)plan->nactions + 1, sizeof *plan->actions);
		struct dunning_action *a = &plan->actions[plan->nactions++];
		*a = (struct dunning_action){
			.customer_id = c->id, .code = c->code, .name = c->name, .email = c->email,
			.language = c->language, .scenario = c->scenario, .step = c->best,
			.first_row = c->first_row, .nrows = plan->nrows - c->first_row, .overdue = c->overdue,
		};
		copy_currency(a->currency, c->currency);
	} else {
		free(c->code);
		free(c->name);
		free(c->email);
		free(c->language);
	}
	*c = (struct customer_acc){ 0 };
}

static void customer_begin(struct dunning_plan *plan, struct customer_acc *c, sqlite3_stmt *st)
{
	*c = (struct customer_acc){
		.have = true, .id = sqlite3_column_int64(st, COL_CUSTOMER_ID),
		.code = xstrdup(store_column_text(st, COL_CODE)), .name = xstrdup(store_column_text(st, COL_NAME)),
		.email = xstrdup(store_column_text(st, COL_EMAIL)), .language = xstrdup(store_column_text(st, COL_LANGUAGE)),
		.first_row = plan->nrows,
	};
	copy_currency(c->currency, store_column_text(st, COL_CUSTOMER_CURRENCY));
	c->scenario = scenario_for(&plan->scenarios, store_column_text(st, COL_SCENARIO), store_column_text(st, COL_SEGMENT));
	day_t last = store_column_date(st, COL_LAST_STEP);
	c->blocked = sqlite3_column_int(st, COL_SNOOZED) == 1;
	if (c->scenario && last != DATE_NONE && (last >= plan->as_of || plan->as_of - last < c->scenario->min_gap_days))
		c->blocked = true;
}

static void invoice_add(struct dunning_plan *plan, struct customer_acc *c, sqlite3_stmt *st)
{
	day_t due = store_column_date(st, COL_DUE);
	money_t open = sqlite3_column_int64(st, COL_OPEN);
	const char *currency = store_column_text(st, COL_CURRENCY);
	int days = plan->as_of > due ? plan->as_of - due : 0;
	if (days > 0 && strcmp(currency, c->currency) == 0)
		money_add(c->overdue, open, &c->overdue);
	if (!c->scenario || sqlite3_column_int(st, COL_DISPUTED) || sqlite3_column_int(st, COL_PROMISED))
		return;
	if (days > c->scenario->max_amicable_days) {
		plan->escalations = xreallocarray(plan->escalations, (size_t)plan->nescalations + 1, sizeof *plan->escalations);
		struct dunning_escalation *e = &plan->escalations[plan->nescalations++];
		*e = (struct dunning_escalation){
			.customer = xstrdup(c->code), .number = xstrdup(store_column_text(st, COL_NUMBER)),
			.scenario = xstrdup(c->scenario->code), .days_overdue = days, .open = open,
		};
		copy_currency(e->currency, currency);
	}
	if (c->blocked)
		return;
	const struct scenario_step *step = next_step(c->scenario, sqlite3_column_int(st, COL_STEP), due, open,
	    currency, plan->as_of);
	if (!step)
		return;
	plan->rows = xreallocarray(plan->rows, (size_t)plan->nrows + 1, sizeof *plan->rows);
	struct dunning_row *r = &plan->rows[plan->nrows++];
	*r = (struct dunning_row){
		.invoice_id = sqlite3_column_int64(st, COL_INVOICE_ID), .number = xstrdup(store_column_text(st, COL_NUMBER)),
		.step = step, .days_overdue = days, .amount = sqlite3_column_int64(st, COL_AMOUNT), .open = open,
		.issue_date = store_column_date(st, COL_ISSUE), .due_date = due,
	};
	copy_currency(r->currency, currency);
	if (!c->best || step->position > c->best->position)
		c->best = step;
}

int dunning_plan_compute(struct store *s, const struct config *cfg, day_t as_of, int64_t customer_id,
    struct dunning_plan *plan, char **cause)
{
	*plan = (struct dunning_plan){ .as_of = as_of };
	int status = scenario_load(s, &plan->scenarios, cause);
	if (status != DUN_OK)
		return status;
	char grace[32];
	snprintf(grace, sizeof grace, "%+d days", cfg->promise_grace_days);
	sqlite3_stmt *st = store_stmt(s, sql_open_invoices);
	store_bind_date(st, 1, as_of);
	store_bind_text(st, 2, grace);
	sqlite3_bind_int64(st, 3, customer_id);
	struct customer_acc c = { 0 };
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!c.have || c.id != sqlite3_column_int64(st, COL_CUSTOMER_ID)) {
			customer_end(plan, &c);
			customer_begin(plan, &c, st);
		}
		invoice_add(plan, &c, st);
	}
	customer_end(plan, &c);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		status = store_error(s, "plan the dunning run", cause);
		dunning_plan_free(plan);
	}
	return status;
}

void dunning_plan_free(struct dunning_plan *plan)
{
	for (int i = 0; i < plan->nrows; i++)
		free(plan->rows[i].number);
	free(plan->rows);
	for (int i = 0; i < plan->nactions; i++) {
		struct dunning_action *a = &plan->actions[i];
		free(a->code);
		free(a->name);
		free(a->email);
		free(a->language);
	}
	free(plan->actions);
	for (int i = 0; i < plan->nescalations; i++) {
		free(plan->escalations[i].customer);
		free(plan->escalations[i].number);
		free(plan->escalations[i].scenario);
	}
	free(plan->escalations);
	scenario_set_free(&plan->scenarios);
	*plan = (struct dunning_plan){ 0 };
}

/* Appends text to b with every byte outside RFC 3986's unreserved set
 * percent-encoded, so a code cannot change the link's meaning. */
static void url_encode(struct buf *b, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

/* The configured pattern with {invoice}, {customer} and {amount} filled. */
static char *payment_link(const char *pattern, const char *invoice, const char *customer, const char *amount)
{
	if (!pattern || !*pattern)
		return xstrdup("");
	struct buf b = { 0 };
	buf_puts(&b, "");
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{invoice}", 9) == 0) {
			url_encode(&b, invoice);
			p += 9;
		} else if (strncmp(p, "{customer}", 10) == 0) {
			url_encode(&b, customer);
			p += 10;
		} else if (strncmp(p, "{amount}", 8) == 0) {
			url_encode(&b, amount);
			p += 8;
		} else
			buf_putc(&b, *p++);
	}
	return buf_take(&b);
}

/* Statutory late interest on open for days late at an annual rate given in
 * percent with up to four decimals (rate_e4 = rate x 10^4): exact, rounded
 * once. */
static money_t late_interest(money_t open, int64_t rate_e4, int days)
{
	money_t out;
	if (days <= 0 || rate_e4 <= 0 || !money_muldiv(open, rate_e4 * days, 365LL * 100 * 10000, &out))
		return 0;
	return out;
}

/* The strings one message's template reads, owned here. */
struct message_text {
	struct template_data data;
	struct template_invoice *invoices;
	char **strings;
	int nstrings;
};

static const char *keep(struct message_text *m, char *s)
{
	m->strings = xreallocarray(m->strings, (size_t)m->nstrings + 1, sizeof *m->strings);
	m->strings[m->nstrings++] = s;
	return s;
}

static const char *keep_money(struct message_text *m, money_t amount, const char *currency)
{
	char buf[MONEY_TEXT_MAX];
	int exponent = money_exponent(currency);
	money_format_grouped(amount, exponent < 0 ? 2 : exponent, ',', '.', buf);
	return keep(m, xstrdup(buf));
}

static void message_text_free(struct message_text *m)
{
	for (int i = 0; i < m->nstrings; i++)
		free(m->strings[i]);
	free(m->strings);
	free(m->invoices);
}

static int message_fill(const struct config *cfg, const struct dunning_plan *plan, const struct dunning_action *a,
    struct message_text *m, char **cause)
{
	*m = (struct message_text){ 0 };
	int64_t rate_e4 = 0;
	const char *why;
	if (cfg->late_interest_rate && !money_parse(cfg->late_interest_rate, 4, MONEY_MARK_DOT, &rate_e4, &why))
		return dun_fail(cause, DUN_EDATA, "%s: late_interest_rate \"%s\": %s",
		    cfg->path ? cfg->path : "config", cfg->late_interest_rate, why);
	const char *base = cfg->base_currency ? cfg->base_currency : "EUR";
	const struct dunning_row *rows = &plan->rows[a->first_row];
	m->invoices = xcalloc((size_t)a->nrows, sizeof *m->invoices);
	money_t open = 0, interest = 0, indemnity = 0;
	struct buf numbers = { 0 };
	buf_puts(&numbers, "");
	for (int i = 0; i < a->nrows; i++) {
		const struct dunning_row *r = &rows[i];
		struct template_invoice *inv = &m->invoices[i];
		char date[DATE_TEXT_MAX], amount[MONEY_TEXT_MAX];
		money_t row_interest = late_interest(r->open, rate_e4, r->days_overdue);
		int exponent = money_exponent(r->currency);
		inv->number = r->number;
		inv->issue_date = keep(m, xstrdup(date_format_iso(r->issue_date, date)));
		inv->due_date = keep(m, xstrdup(date_format_iso(r->due_date, date)));
		inv->days_overdue = keep(m, xasprintf("%d", r->days_overdue));
		inv->amount = keep_money(m, r->amount, r->currency);
		inv->open = keep_money(m, r->open, r->currency);
		inv->interest = keep_money(m, row_interest, r->currency);
		inv->indemnity = keep_money(m, cfg->recovery_indemnity, base);
		inv->payment_link = keep(m, payment_link(cfg->payment_link, r->number, a->code,
		    money_format(r->open, exponent < 0 ? 2 : exponent, amount)));
		/* Totals are in the customer's currency; other currencies show per line. */
		if (strcmp(r->currency, a->currency) == 0) {
			money_add(open, r->open, &open);
			money_add(interest, row_interest, &interest);
		}
		money_add(indemnity, cfg->recovery_indemnity, &indemnity);
		buf_printf(&numbers, "%s%s", i ? "," : "", r->number);
	}
	char amount[MONEY_TEXT_MAX];
	int exponent = money_exponent(a->currency);
	money_t due = open;
	money_add(due, interest, &due);
	if (strcmp(base, a->currency) == 0)
		money_add(due, indemnity, &due);
	char date[DATE_TEXT_MAX];
	m->data = (struct template_data){
		.customer_name = a->name, .customer_code = a->code,
		.company_name = cfg->company_name ? cfg->company_name : "",
		.date = keep(m, xstrdup(date_format_iso(plan->as_of, date))),
		.currency = a->currency, .base_currency = base,
		.total_overdue = keep_money(m, a->overdue, a->currency),
		.total_open = keep_money(m, open, a->currency),
		.total_interest = keep_money(m, interest, a->currency),
		.total_indemnity = keep_money(m, indemnity, base),
		.total_due = keep_money(m, due, a->currency),
		.payment_link = keep(m, payment_link(cfg->payment_link, numbers.data, a->code,
		    money_format(open, exponent < 0 ? 2 : exponent, amount))),
		.statement = a->step->attach_statement,
		.late_interest = rate_e4 > 0,
		.invoices = m->invoices, .ninvoices = a->nrows,
	};
	buf_free(&numbers);
	return DUN_OK;
}

/* Queues the action's e-mail or letter; *outbox_id stays 0 for others. */
static int action_message(struct store *s, const struct config *cfg, const struct dunning_plan *plan,
    const struct dunning_action *a, int64_t *outbox_id, char **cause)
{
	*outbox_id = 0;
	if (a->step->channel != SCENARIO_EMAIL && a->step->channel != SCENARIO_LETTER)
		return DUN_OK;
	struct message_text m;
	int status = message_fill(cfg, plan, a, &m, cause);
	char *subject = NULL, *body = NULL;
	if (status == DUN_OK)
		status = template_render_message(a->step->name, a->language, &m.data, &subject, &body, cause);
	if (status == DUN_OK) {
		struct outbox_new msg = {
			.customer_id = a->customer_id, .date = plan->as_of,
			.channel = scenario_channel_name(a->step->channel), .template_name = a->step->name,
			.language = a->language, .recipient = a->email, .subject = subject, .body = body,
			.attach_statement = a->step->attach_statement,
		};
		status = outbox_queue(s, cfg, &msg, outbox_id, cause);
	}
	free(subject);
	free(body);
	message_text_free(&m);
	return status;
}

static int action_write(struct store *s, const struct config *cfg, const struct dunning_plan *plan,
    const struct dunning_action *a, bool *taken, char **cause)
{
	const struct dunning_row *rows = &plan->rows[a->first_row];
	/* Optimistic check: a step taken meanwhile by another run wins. */
	for (int i = 0; i < a->nrows; i++) {
		sqlite3_stmt *st = store_stmt(s,
		    "UPDATE invoice SET dunning_step = ?1, dunning_date = ?2 WHERE id = ?3 AND dunning_step < ?1"
		    " AND (dunning_date IS NULL OR dunning_date < ?2)");
		sqlite3_bind_int(st, 1, rows[i].step->position);
		store_bind_date(st, 2, plan->as_of);
		sqlite3_bind_int64(st, 3, rows[i].invoice_id);
		if (store_step_done(st) != SQLITE_DONE)
			return store_error(s, "record the dunning step", cause);
		if (sqlite3_changes(store_db(s)) == 0) {
			*taken = false;
			return DUN_OK;
		}
	}
	int64_t outbox_id;
	int status = action_message(s, cfg, plan, a, &outbox_id, cause);
	if (status != DUN_OK)
		return status;
	int64_t *ids = xcalloc((size_t)a->nrows, sizeof *ids);
	money_t total = 0;
	for (int i = 0; i < a->nrows; i++) {
		ids[i] = rows[i].invoice_id;
		if (strcmp(rows[i].currency, a->currency) == 0)
			money_add(total, rows[i].open, &total);
	}
	char *text = xasprintf("%s step %d: %s %s", a->scenario->code, a->step->position,
	    scenario_channel_name(a->step->channel), a->step->name);
	struct ledger_activity act = {
		.customer_id = a->customer_id, .date = plan->as_of, .kind = "dunning", .who = ledger_user(),
		.text = text, .amount = total, .currency = a->currency, .invoice_ids = ids, .ninvoices = a->nrows,
	};
	int64_t activity_id;
	status = ledger_activity_add(s, &act, &activity_id, cause);
	free(text);
	free(ids);
	for (int i = 0; status == DUN_OK && i < a->nrows; i++) {
		sqlite3_stmt *st = store_stmt(s,
		    "INSERT INTO dunning_log (customer_id, invoice_id, date, scenario, step, channel, name, activity_id, outbox_id)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, a->customer_id);
		sqlite3_bind_int64(st, 2, rows[i].invoice_id);
		store_bind_date(st, 3, plan->as_of);
		store_bind_text(st, 4, a->scenario->code);
		sqlite3_bind_int(st, 5, rows[i].step->position);
		store_bind_text(st, 6, scenario_channel_name(rows[i].step->channel));
		store_bind_text(st, 7, rows[i].step->name);
		sqlite3_bind_int64(st, 8, activity_id);
		if (outbox_id)
			sqlite3_bind_int64(st, 9, outbox_id);
		if (store_step_done(st) != SQLITE_DONE)
			status = store_error(s, "log the dunning step", cause);
	}
	if (status == DUN_OK)
		*taken = true;
	return status;
}

int dunning_action_take(struct store *s, const struct config *cfg, const struct dunning_plan *plan,
    const struct dunning_action *a, bool *taken, char **cause)
{
	*taken = false;
	int status = store_begin(s, cause);
	if (status != DUN_OK)
		return status;
	status = action_write(s, cfg, plan, a, taken, cause);
	if (status != DUN_OK || !*taken) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, cause);
}

int dunning_calls_due(struct store *s, const struct config *cfg, day_t as_of,
    struct dunning_call **calls, int *ncalls, char **cause)
{
	*calls = NULL;
	*ncalls = 0;
	struct dunning_plan plan;
	int status = dunning_plan_compute(s, cfg, as_of, 0, &plan, cause);
	if (status != DUN_OK)
		return status;
	for (int i = 0; i < plan.nactions; i++) {
		const struct dunning_action *a = &plan.actions[i];
		if (a->step->channel != SCENARIO_CALL && a->step->channel != SCENARIO_TASK)
			continue;
		*calls = xreallocarray(*calls, (size_t)*ncalls + 1, sizeof **calls);
		(*calls)[(*ncalls)++] = (struct dunning_call){
			.customer_id = a->customer_id, .label = xstrdup(a->step->name),
			.scenario = xstrdup(a->scenario->code), .step = a->step->position,
		};
	}
	dunning_plan_free(&plan);
	/* One call per customer: the highest step taken that day. */
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT customer_id, name, scenario, max(step) FROM dunning_log"
	    " WHERE date = ?1 AND channel IN ('call', 'task') GROUP BY customer_id ORDER BY customer_id");
	store_bind_date(st, 1, as_of);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*calls = xreallocarray(*calls, (size_t)*ncalls + 1, sizeof **calls);
		(*calls)[(*ncalls)++] = (struct dunning_call){
			.customer_id = sqlite3_column_int64(st, 0), .label = xstrdup(store_column_text(st, 1)),
			.scenario = xstrdup(store_column_text(st, 2)), .step = sqlite3_column_int(st, 3), .taken = true,
		};
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		dunning_calls_free(*calls, *ncalls);
		*calls = NULL;
		*ncalls = 0;
		return store_error(s, "read the calls due", cause);
	}
	return DUN_OK;
}

void dunning_calls_free(struct dunning_call *calls, int ncalls)
{
	for (int i = 0; i < ncalls; i++) {
		free(calls[i].label);
		free(calls[i].scenario);
	}
	free(calls);
}
