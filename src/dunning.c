/* The dunning run: one pass over the open invoices, grouped by customer. */
#include "dunning.h"
#include <stdlib.h>
#include <string.h>
#include "ledger.h"
#include "outbox.h"
#include "promise.h"
#include "status.h"
#include "template.h"
#include "xalloc.h"

/* Every open invoice issued by ?1, customer by customer in code order:
 * CROSS JOIN keeps customers (by their code index) as the outer loop and
 * the partial index of open invoices as the inner one ("open_amount <> 0"
 * lets the planner use it; the unary + keeps it off the issue-date index,
 * which would visit the whole history), so only each customer's few rows
 * are sorted by number, never the whole set. A customer on hold is left
 * out whole: its collection is in other hands, so it takes no step and
 * lists no escalation, and its invoices keep the step they reached.
 * Nothing per row but the row: what pauses an invoice is looked up apart
 * (few disputes, few promises), and the payer profile only when a
 * scenario rule asks for it (?3). */
static const char sql_open_invoices[] =
    "SELECT c.id, c.code, c.name, c.segment, c.scenario, c.language, c.email, c.currency,"
    " c.dunning_snooze_until >= ?1,"
    " CASE WHEN ?3 THEN (SELECT r.profile FROM risk r WHERE r.customer_id = c.id) END,"
    " i.id, i.number, i.issue_date, i.due_date, i.currency, i.amount, i.open_amount, i.dunning_step"
    " FROM customer c CROSS JOIN invoice i ON i.customer_id = c.id"
    " WHERE i.open_amount <> 0 AND i.open_amount > 0 AND i.kind = 'invoice' AND +i.issue_date <= ?1"
    " AND (?2 = 0 OR c.id = ?2) AND c.on_hold = 0"
    " ORDER BY c.code, i.number";

enum {
	COL_CUSTOMER_ID, COL_CODE, COL_NAME, COL_SEGMENT, COL_SCENARIO, COL_LANGUAGE, COL_EMAIL, COL_CUSTOMER_CURRENCY,
	COL_SNOOZED, COL_PROFILE, COL_INVOICE_ID, COL_NUMBER, COL_ISSUE, COL_DUE, COL_CURRENCY, COL_AMOUNT, COL_OPEN, COL_STEP,
};

/* Invoices under a dispute open at ?1, read once for the whole pass. */
static const char sql_disputed[] =
    "SELECT invoice_id FROM dispute WHERE opened <= ?1 AND (resolved IS NULL OR resolved > ?1) ORDER BY invoice_id";

/* Asked only for a customer with a step or an escalation in view: its last
 * step, and whether a promise made by ?2 may still be open then (promised
 * date plus grace, ?3 = "-N days", not past). */
static const char sql_customer_state[] =
    "SELECT (SELECT max(date) FROM dunning_log WHERE customer_id = ?1),"
    " EXISTS (SELECT 1 FROM promise WHERE customer_id = ?1 AND made_date <= ?2 AND promised_date >= date(?2, ?3))";

/* Room for element n of an array of n elements: capacity doubles at each
 * power of two, so a plan of millions of rows is not a million reallocs. */
static void *array_room(void *v, int n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		v = xreallocarray(v, n == 0 ? 1 : (size_t)n * 2, size);
	return v;
}

static void copy_currency(char dst[4], const char *src)
{
	snprintf(dst, 4, "%s", src);
}

/* The step an invoice is due for, or NULL. */
static const struct scenario_step *next_step(const struct scenario *sc, int taken, day_t due, money_t open,
    const char *currency, day_t as_of)
{
	int pos = taken < 0 ? 0 : taken;
	/* A step with a negative offset is only ever taken before the due
	 * date: from the due date on, the invoice passes over it. */
	while (pos < sc->nsteps && sc->steps[pos].offset < 0 && as_of >= due)
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

struct pass {
	struct store *s;
	const struct config *cfg;
	struct dunning_plan *plan;
	char grace[32];
	int64_t *disputed;   /* sorted */
	int ndisputed;
	/* the customer being read */
	bool have;
	int64_t id;
	char *code, *name, *email, *language; /* handed to the action, if any */
	const struct scenario *scenario;
	bool snoozed;
	money_t overdue;
	char currency[4];
	int first_row, first_escalation;
	/* the call list's pass: only call and task actions are kept, and no
	 * escalations, so the whole ledger's plan is never held at once */
	bool calls_only;
};

static bool is_disputed(const struct pass *p, int64_t invoice_id)
{
	int lo = 0, hi = p->ndisputed;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (p->disputed[mid] < invoice_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->ndisputed && p->disputed[lo] == invoice_id;
}

static int disputed_read(struct pass *p, char **cause)
{
	sqlite3_stmt *st = store_stmt(p->s, sql_disputed);
	store_bind_date(st, 1, p->plan->as_of);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->disputed = array_room(p->disputed, p->ndisputed, sizeof *p->disputed);
		p->disputed[p->ndisputed++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(p->s, "read disputes", cause);
}

/* Drops the customer's rows (or escalations) for which keep is false. */
static void rows_filter(struct dunning_plan *plan, int first, const bool *keep)
{
	int n = first;
	for (int i = first; i < plan->nrows; i++) {
		if (keep[i - first])
			plan->rows[n++] = plan->rows[i];
		else
			free(plan->rows[i].number);
	}
	plan->nrows = n;
}

static void escalations_filter(struct dunning_plan *plan, int first, const bool *keep)
{
	int n = first;
	for (int i = first; i < plan->nescalations; i++) {
		struct dunning_escalation *e = &plan->escalations[i];
		if (keep[i - first])
			plan->escalations[n++] = *e;
		else {
			free(e->customer);
			free(e->number);
			free(e->scenario);
		}
	}
	plan->nescalations = n;
}

/* The promises of the customer that may be open at ?2 (made by then, date
 * plus grace ?3 not past), with whether each covers named invoices. */
static const char sql_customer_promises[] =
    "SELECT p.id, EXISTS (SELECT 1 FROM promise_invoice pi WHERE pi.promise_id = p.id) FROM promise p"
    " WHERE p.customer_id = ?1 AND p.made_date <= ?2 AND p.promised_date >= date(?2, ?3)";

struct paused {
	bool all;            /* an open promise for the whole account */
	int64_t *ids;        /* invoices covered by an open promise */
	int n;
};

static bool paused_has(const struct paused *pz, int64_t invoice_id)
{
	if (pz->all)
		return true;
	for (int i = 0; i < pz->n; i++)
		if (pz->ids[i] == invoice_id)
			return true;
	return false;
}

/* The customer's invoices paused by a promise open at the plan's date:
 * each candidate promise's status comes from the ledger
 * (promise_status_at: kept by payments, broken past its date and grace);
 * an open one pauses the invoices it covers, or the whole account when it
 * names none (promise.h). Once per customer, not once per invoice. */
static int paused_read(struct pass *p, struct paused *pz, char **cause)
{
	struct dunning_plan *plan = p->plan;
	struct candidate {
		int64_t id;
		bool covers;     /* names invoices */
	} *v = NULL;
	int n = 0, rc;
	sqlite3_stmt *st = store_stmt(p->s, sql_customer_promises);
	sqlite3_bind_int64(st, 1, p->id);
	store_bind_date(st, 2, plan->as_of);
	store_bind_text(st, 3, p->grace);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = array_room(v, n, sizeof *v);
		v[n++] = (struct candidate){ sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1) != 0 };
	}
	sqlite3_reset(st);
	int status = rc == SQLITE_DONE ? DUN_OK : store_error(p->s, "read promises", cause);
	for (int i = 0; i < n && status == DUN_OK && !pz->all; i++) {
		enum promise_status state;
		status = promise_status_at(p->s, v[i].id, plan->as_of, p->cfg->promise_grace_days, &state, NULL, cause);
		if (status != DUN_OK || state != PROMISE_OPEN)
			continue;
		if (!v[i].covers) {
			pz->all = true;
			continue;
		}
		st = store_stmt(p->s, "SELECT invoice_id FROM promise_invoice WHERE promise_id = ?1");
		sqlite3_bind_int64(st, 1, v[i].id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			pz->ids = array_room(pz->ids, pz->n, sizeof *pz->ids);
			pz->ids[pz->n++] = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			status = store_error(p->s, "read promises", cause);
	}
	free(v);
	return status;
}

/* What only a customer with something in view is asked: the min gap and
 * the snooze drop its steps, open promises some of its invoices. */
static int customer_gate(struct pass *p, char **cause)
{
	struct dunning_plan *plan = p->plan;
	sqlite3_stmt *q = store_stmt(p->s, sql_customer_state);
	sqlite3_bind_int64(q, 1, p->id);
	store_bind_date(q, 2, plan->as_of);
	store_bind_text(q, 3, p->grace);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		return store_error(p->s, "plan the dunning run", cause);
	}
	day_t last = store_column_date(q, 0);
	bool promised = sqlite3_column_int(q, 1) != 0;
	sqlite3_reset(q);
	struct paused pz = { 0 };
	int status = promised ? paused_read(p, &pz, cause) : DUN_OK;
	if (status != DUN_OK) {
		free(pz.ids);
		return status;
	}
	bool blocked = p->snoozed ||
	    (last != DATE_NONE && (last >= plan->as_of || plan->as_of - last < p->scenario->min_gap_days));
	int nrows = plan->nrows - p->first_row, nesc = plan->nescalations - p->first_escalation;
	bool *keep = xcalloc((size_t)(nrows > nesc ? nrows : nesc) + 1, sizeof *keep);
	for (int i = 0; i < nesc; i++)
		keep[i] = !paused_has(&pz, plan->escalations[p->first_escalation + i].invoice_id);
	escalations_filter(plan, p->first_escalation, keep);
	for (int i = 0; i < nrows; i++)
		keep[i] = !blocked && !paused_has(&pz, plan->rows[p->first_row + i].invoice_id);
	rows_filter(plan, p->first_row, keep);
	free(keep);
	free(pz.ids);
	return DUN_OK;
}

static int customer_end(struct pass *p, char **cause)
{
	struct dunning_plan *plan = p->plan;
	int status = DUN_OK;
	if (!p->have || (plan->nrows == p->first_row && plan->nescalations == p->first_escalation))
		goto done;
	if ((status = customer_gate(p, cause)) != DUN_OK || plan->nrows == p->first_row)
		goto done;
	const struct scenario_step *best = NULL;
	for (int i = p->first_row; i < plan->nrows; i++)
		if (!best || plan->rows[i].step->position > best->position)
			best = plan->rows[i].step;
	if (p->calls_only && best->channel != SCENARIO_CALL && best->channel != SCENARIO_TASK) {
		for (int i = p->first_row; i < plan->nrows; i++)
			free(plan->rows[i].number);
		plan->nrows = p->first_row;
		goto done;
	}
	plan->actions = array_room(plan->actions, plan->nactions, sizeof *plan->actions);
	struct dunning_action *a = &plan->actions[plan->nactions++];
	*a = (struct dunning_action){
		.customer_id = p->id, .code = p->code, .name = p->name, .email = p->email, .language = p->language,
		.scenario = p->scenario, .step = best, .first_row = p->first_row, .nrows = plan->nrows - p->first_row,
		.overdue = p->overdue,
	};
	copy_currency(a->currency, p->currency);
	p->code = p->name = p->email = p->language = NULL;
done:
	free(p->code);
	free(p->name);
	free(p->email);
	free(p->language);
	p->code = p->name = p->email = p->language = NULL;
	p->have = false;
	return status;
}

static void customer_begin(struct pass *p, sqlite3_stmt *st)
{
	p->have = true;
	p->id = sqlite3_column_int64(st, COL_CUSTOMER_ID);
	p->code = xstrdup(store_column_text(st, COL_CODE));
	p->name = xstrdup(store_column_text(st, COL_NAME));
	p->email = xstrdup(store_column_text(st, COL_EMAIL));
	p->language = xstrdup(store_column_text(st, COL_LANGUAGE));
	copy_currency(p->currency, store_column_text(st, COL_CUSTOMER_CURRENCY));
	p->scenario = scenario_for(&p->plan->scenarios, store_column_text(st, COL_SCENARIO),
	    store_column_text(st, COL_SEGMENT), store_column_text(st, COL_PROFILE), NULL);
	p->snoozed = sqlite3_column_int(st, COL_SNOOZED) == 1;
	p->overdue = 0;
	p->first_row = p->plan->nrows;
	p->first_escalation = p->plan->nescalations;
}

static void invoice_add(struct pass *p, sqlite3_stmt *st)
{
	struct dunning_plan *plan = p->plan;
	day_t due = store_column_date(st, COL_DUE);
	money_t open = sqlite3_column_int64(st, COL_OPEN);
	const char *currency = store_column_text(st, COL_CURRENCY);
	int64_t invoice_id = sqlite3_column_int64(st, COL_INVOICE_ID);
	int days = plan->as_of > due ? plan->as_of - due : 0;
	if (days > 0 && strcmp(currency, p->currency) == 0)
		money_add(p->overdue, open, &p->overdue);
	if (!p->scenario || is_disputed(p, invoice_id))
		return;
	if (days > p->scenario->max_amicable_days && !p->calls_only) {
		plan->escalations = array_room(plan->escalations, plan->nescalations, sizeof *plan->escalations);
		struct dunning_escalation *e = &plan->escalations[plan->nescalations++];
		*e = (struct dunning_escalation){
			.invoice_id = invoice_id, .customer = xstrdup(store_column_text(st, COL_CODE)),
			.number = xstrdup(store_column_text(st, COL_NUMBER)),
			.scenario = xstrdup(p->scenario->code), .days_overdue = days, .open = open,
		};
		copy_currency(e->currency, currency);
	}
	const struct scenario_step *step = next_step(p->scenario, sqlite3_column_int(st, COL_STEP), due, open,
	    currency, plan->as_of);
	if (!step)
		return;
	plan->rows = array_room(plan->rows, plan->nrows, sizeof *plan->rows);
	struct dunning_row *r = &plan->rows[plan->nrows++];
	*r = (struct dunning_row){
		.invoice_id = invoice_id, .number = xstrdup(store_column_text(st, COL_NUMBER)),
		.step = step, .days_overdue = days, .amount = sqlite3_column_int64(st, COL_AMOUNT), .open = open,
		.issue_date = store_column_date(st, COL_ISSUE), .due_date = due,
	};
	copy_currency(r->currency, currency);
}

static int plan_compute(struct store *s, const struct config *cfg, day_t as_of, int64_t customer_id,
    bool calls_only, struct dunning_plan *plan, char **cause)
{
	*plan = (struct dunning_plan){ .as_of = as_of };
	int status = scenario_load(s, &plan->scenarios, cause);
	if (status != DUN_OK)
		return status;
	struct pass p = { .s = s, .cfg = cfg, .plan = plan, .calls_only = calls_only };
	snprintf(p.grace, sizeof p.grace, "%+d days", -cfg->promise_grace_days);
	status = disputed_read(&p, cause);
	sqlite3_stmt *st = store_stmt(s, sql_open_invoices);
	store_bind_date(st, 1, as_of);
	sqlite3_bind_int64(st, 2, customer_id);
	sqlite3_bind_int(st, 3, scenario_rule_count(&plan->scenarios, SCENARIO_BY_PROFILE) > 0);
	int rc = SQLITE_DONE;
	while (status == DUN_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p.have && p.id != sqlite3_column_int64(st, COL_CUSTOMER_ID))
			status = customer_end(&p, cause);
		if (status != DUN_OK)
			break;
		if (!p.have)
			customer_begin(&p, st);
		invoice_add(&p, st);
	}
	if (status == DUN_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		status = store_error(s, "plan the dunning run", cause);
	if (status == DUN_OK)
		status = customer_end(&p, cause);
	sqlite3_reset(st);
	free(p.code);
	free(p.name);
	free(p.email);
	free(p.language);
	free(p.disputed);
	if (status != DUN_OK) {
		dunning_plan_free(plan);
		*plan = (struct dunning_plan){ .as_of = as_of }; /* freeable again */
	}
	return status;
}

int dunning_plan_compute(struct store *s, const struct config *cfg, day_t as_of, int64_t customer_id,
    struct dunning_plan *plan, char **cause)
{
	return plan_compute(s, cfg, as_of, customer_id, false, plan, cause);
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
	bool french;         /* amounts as "1 234,50" */
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
	/* Amounts read the way the customer's language writes them. */
	money_format_grouped(amount, exponent < 0 ? 2 : exponent, m->french ? ' ' : ',', m->french ? ',' : '.', buf);
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
	*m = (struct message_text){ .french = strcmp(a->language, "fr") == 0 };
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
		inv->payment_link = keep(m, config_payment_link(cfg->payment_link, a->code, r->number,
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
		.payment_link = keep(m, config_payment_link(cfg->payment_link, a->code, numbers.data,
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
	/* The step must not be taken yet: under the run's write lock it never is,
	 * and a plan that says otherwise fails the run (dunning_run). */
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

int dunning_run(struct store *s, const struct config *cfg, day_t as_of, struct dunning_plan *plan, char **cause)
{
	memset(plan, 0, sizeof *plan);
	int status = store_begin(s, cause);
	if (status != DUN_OK)
		return status;
	status = dunning_plan_compute(s, cfg, as_of, 0, plan, cause);
	for (int i = 0; status == DUN_OK && i < plan->nactions; i++) {
		bool taken;
		status = action_write(s, cfg, plan, &plan->actions[i], &taken, cause);
		/* Under the write lock the plan is the ledger's; a step taken
		 * already would be a plan in error, not a race. */
		if (status == DUN_OK && !taken)
			status = dun_fail(cause, DUN_EDB, "dunning run: customer %s: a step of its plan was taken already",
			    plan->actions[i].code);
	}
	if (status == DUN_OK)
		return store_commit(s, cause);
	store_rollback(s);
	return status;
}

int dunning_snooze(struct store *s, const char *code, day_t until, const char *reason, day_t today, char **cause)
{
	int64_t id = ledger_customer_id(s, code);
	if (id == 0)
		return dun_fail(cause, DUN_EDATA, "customer \"%s\": no such customer", code);
	int status = store_begin(s, cause);
	if (status != DUN_OK)
		return status;
	sqlite3_stmt *st = store_stmt(s,
	    "UPDATE customer SET dunning_snooze_until = ?2, dunning_snooze_reason = ?3, version = version + 1 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	store_bind_date(st, 2, until);
	store_bind_text(st, 3, until == DATE_NONE ? "" : reason ? reason : "");
	if (store_step_done(st) != SQLITE_DONE) {
		status = store_error(s, "snooze dunning", cause);
		store_rollback(s);
		return status;
	}
	char date[DATE_TEXT_MAX];
	char *text = until == DATE_NONE ? xstrdup("dunning resumed")
	    : xasprintf("dunning snoozed until %s%s%s", date_format_iso(until, date), reason && *reason ? ": " : "",
	        reason ? reason : "");
	struct ledger_activity a = { .customer_id = id, .date = today, .kind = "edit", .who = ledger_user(), .text = text };
	status = ledger_activity_add(s, &a, NULL, cause);
	free(text);
	if (status != DUN_OK) {
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
	int status = plan_compute(s, cfg, as_of, 0, true, &plan, cause);
	if (status != DUN_OK)
		return status;
	for (int i = 0; i < plan.nactions; i++) {
		const struct dunning_action *a = &plan.actions[i];
		*calls = xreallocarray(*calls, (size_t)*ncalls + 1, sizeof **calls);
		(*calls)[(*ncalls)++] = (struct dunning_call){
			.customer_id = a->customer_id, .label = xstrdup(a->step->name),
			.scenario = xstrdup(a->scenario->code), .step = a->step->position,
			.task = a->step->channel == SCENARIO_TASK,
		};
	}
	dunning_plan_free(&plan);
	/* One call per customer: the highest step taken that day (its name,
	 * scenario and channel are that row's, as max() picks it). */
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT customer_id, name, scenario, max(step), channel = 'task' FROM dunning_log"
	    " WHERE date = ?1 AND channel IN ('call', 'task') GROUP BY customer_id ORDER BY customer_id");
	store_bind_date(st, 1, as_of);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*calls = xreallocarray(*calls, (size_t)*ncalls + 1, sizeof **calls);
		(*calls)[(*ncalls)++] = (struct dunning_call){
			.customer_id = sqlite3_column_int64(st, 0), .label = xstrdup(store_column_text(st, 1)),
			.scenario = xstrdup(store_column_text(st, 2)), .step = sqlite3_column_int(st, 3),
			.task = sqlite3_column_int(st, 4) != 0, .taken = true,
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
